using System.Text.Json.Nodes;

namespace Platform.Charts.Values;

/// <summary>
/// The part of a chart that values computation needs: its name (the alias, when the parent gives one), its
/// default values, and its enabled subcharts.
/// </summary>
/// <remarks>
/// The chart values builder builds this tree from a loaded chart after dependency processing
/// (conditions, tags, aliases, import-values). Portals that keep base values outside chart archives can build
/// it directly. Instances are treated as read-only: computation never mutates <see cref="Defaults"/>.
/// </remarks>
/// <param name="Name">The chart name as its parent sees it (alias applied).</param>
/// <param name="Defaults">The chart's own default values (its <c>values.yaml</c>).</param>
/// <param name="Dependencies">The enabled subcharts, in declaration order.</param>
public sealed record ValuesChart(string Name, JsonObject Defaults, IReadOnlyList<ValuesChart> Dependencies)
{
    /// <summary>Creates a chart with no subcharts.</summary>
    /// <param name="name">The chart name.</param>
    /// <param name="defaults">The default values.</param>
    /// <returns>The chart.</returns>
    public static ValuesChart Leaf(string name, JsonObject defaults) => new(name, defaults, []);

    /// <summary>Gets the loaded chart this node was built from, or <see langword="null"/> when built by hand.</summary>
    public Loading.Chart? Source { get; init; }
}

/// <summary>A non-fatal finding of values computation, such as a type conflict Helm skips with a warning.</summary>
/// <param name="Path">The dotted values path concerned (prefixed with the chart chain, as Helm prints it).</param>
/// <param name="Message">The warning text.</param>
public sealed record ValuesWarning(string Path, string Message)
{
    /// <inheritdoc />
    public override string ToString() => Message;
}
