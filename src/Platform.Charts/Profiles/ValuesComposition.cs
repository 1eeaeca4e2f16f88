using System.Text;
using System.Text.Json.Nodes;
using Platform.Charts.Values;

namespace Platform.Charts.Profiles;

/// <summary>
/// The result of composing a values profile: the final values Helm computes, the warnings, and for every final
/// value the layer (or chart default) that set it, so a portal can answer "why is this value X".
/// </summary>
/// <remarks>Immutable once built; safe to read from many threads.</remarks>
public sealed class ValuesComposition
{
    private readonly Dictionary<string, ValueSource> _sources;
    private readonly Dictionary<string, string> _removals;

    internal ValuesComposition(JsonObject values, JsonObject userValues, IReadOnlyList<ValuesWarning> warnings, Dictionary<string, ValueSource> sources, Dictionary<string, string> removals)
    {
        Values = values;
        UserValues = userValues;
        Warnings = warnings;
        _sources = sources;
        _removals = removals;
    }

    /// <summary>Gets the final (coalesced) values. Treat as read-only; clone before changing.</summary>
    public JsonObject Values { get; }

    /// <summary>Gets the merged layers before coalescing: what a deployment passes to Helm as user values.</summary>
    public JsonObject UserValues { get; }

    /// <summary>Gets the warnings of coalescing.</summary>
    public IReadOnlyList<ValuesWarning> Warnings { get; }

    /// <summary>Gets the source of every leaf of <see cref="Values"/> (lists count as leaves), by dotted path.</summary>
    public IReadOnlyDictionary<string, ValueSource> Sources => _sources;

    /// <summary>Gets the chart defaults that a layer removed with a null, as path → layer name.</summary>
    public IReadOnlyDictionary<string, string> Removals => _removals;

    /// <summary>Finds the source of a value, or of the nearest enclosing value recorded.</summary>
    /// <param name="path">A dotted values path, for example <c>image.tag</c>.</param>
    /// <returns>The source, or <see langword="null"/> when the path is not in the final values.</returns>
    public ValueSource? Explain(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (_sources.TryGetValue(path, out ValueSource? exact))
        {
            return exact;
        }

        // A map: report the layer when all its leaves come from one source.
        string prefix = path + ".";
        ValueSource? single = null;
        foreach (var (key, source) in _sources)
        {
            if (key.StartsWith(prefix, StringComparison.Ordinal))
            {
                if (single is not null && (single.Layer != source.Layer || single.Kind != source.Kind))
                {
                    return new ValueSource(path, "(several)", ValueSourceKind.Layer);
                }

                single = source;
            }
        }

        return single is null ? null : single with { Path = path };
    }

    internal static string Join(string prefix, string key)
    {
        string escaped = key.Contains('.', StringComparison.Ordinal) || key.Contains('\\', StringComparison.Ordinal)
            ? new StringBuilder(key).Replace("\\", "\\\\").Replace(".", "\\.").ToString()
            : key;
        return prefix.Length == 0 ? escaped : prefix + "." + escaped;
    }
}
