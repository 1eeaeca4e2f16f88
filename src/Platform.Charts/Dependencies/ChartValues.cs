using System.Text.Json.Nodes;
using Platform.Abstractions;
using Platform.Charts.Loading;
using Platform.Charts.Values;

namespace Platform.Charts.Dependencies;

/// <summary>What to do when <c>Chart.yaml</c> declares a dependency that is not in <c>charts/</c>.</summary>
public enum MissingDependencyHandling
{
    /// <summary>Compute the values without it and report a warning (the default: portals show values of charts whose
    /// dependencies are fetched at deploy time).</summary>
    Warn,

    /// <summary>Fail with a <see cref="ChartException"/>, as <c>helm install</c> and <c>helm template</c> do.</summary>
    Error,
}

/// <summary>Options of <see cref="ChartValues.Compute"/>.</summary>
public sealed record ChartValuesOptions
{
    /// <summary>Gets the shared default options.</summary>
    public static ChartValuesOptions Default { get; } = new();

    /// <summary>Gets how a declared but absent dependency is handled. Defaults to <see cref="MissingDependencyHandling.Warn"/>.</summary>
    public MissingDependencyHandling MissingDependencies { get; init; } = MissingDependencyHandling.Warn;

    /// <summary>Gets the YAML limits used for the charts' <c>values.yaml</c> files.</summary>
    public YamlReadOptions Yaml { get; init; } = YamlReadOptions.Default;
}

/// <summary>The computed values of a chart: Helm's COMPUTED VALUES.</summary>
/// <param name="Values">The final values (subcharts and globals coalesced), keys in the order of the chart's own
/// defaults; the caller owns the tree.</param>
/// <param name="Chart">The processed chart tree: enabled subcharts under their alias names, with imported values.</param>
/// <param name="Warnings">Warnings Helm would print (type conflicts, non-bool conditions, missing imports or dependencies).</param>
public sealed record ChartValuesResult(JsonObject Values, ValuesChart Chart, IReadOnlyList<ValuesWarning> Warnings);

/// <summary>
/// Computes a chart's values exactly as Helm v4 does for install, upgrade and template: dependency processing
/// (tags, conditions, aliases, import-values) followed by coalescing with the user values.
/// </summary>
/// <remarks>Thread-safe; neither the chart nor the user values are mutated.</remarks>
public static class ChartValues
{
    /// <summary>Computes the values of a loaded chart.</summary>
    /// <param name="chart">The chart.</param>
    /// <param name="userValues">The user-supplied values (see <see cref="UserValues"/>), or <see langword="null"/>.</param>
    /// <param name="options">Options; <see langword="null"/> uses <see cref="ChartValuesOptions.Default"/>.</param>
    /// <returns>The computed values, the processed chart tree and warnings.</returns>
    /// <exception cref="ValuesException">A chart's <c>values.yaml</c> does not parse, or a subchart section is not a map.</exception>
    /// <exception cref="ChartException">A dependency is missing and <see cref="ChartValuesOptions.MissingDependencies"/> is <see cref="MissingDependencyHandling.Error"/>.</exception>
    public static ChartValuesResult Compute(Chart chart, JsonObject? userValues, ChartValuesOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(chart);
        options ??= ChartValuesOptions.Default;
        var warnings = new List<ValuesWarning>();
        ValuesChart tree = DependencyProcessor.Process(chart, userValues, options, warnings);
        CoalescedValues coalesced = ValuesCoalescer.Coalesce(tree, userValues);
        warnings.AddRange(coalesced.Warnings);
        ValuesOrdering.OrderLike(coalesced.Values, tree);
        return new ChartValuesResult(coalesced.Values, tree, warnings);
    }
}
