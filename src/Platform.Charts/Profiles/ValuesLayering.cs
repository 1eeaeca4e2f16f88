using System.Text.Json.Nodes;
using Platform.Charts.Values;

namespace Platform.Charts.Profiles;

/// <summary>
/// Composes app-store values profiles: base chart defaults, then named layers (application-type defaults,
/// team and environment overrides, user input, CI parameters) in order, with Helm's rules, recording which
/// layer set each final value.
/// </summary>
/// <remarks>
/// The layers merge like successive <c>-f</c> files (maps merge, other values replace, nulls are kept) into the
/// user values Helm receives; Helm's coalescing then applies them over the chart and its subcharts. The result
/// is exactly what <c>helm install -f layer1.yaml -f layer2.yaml …</c> computes. Thread-safe; inputs are never mutated.
/// </remarks>
public static class ValuesLayering
{
    /// <summary>Composes the layers over a chart.</summary>
    /// <param name="chart">The chart tree (after dependency processing), whose defaults are the base.</param>
    /// <param name="layers">The layers, lowest priority first.</param>
    /// <returns>The final values with per-value sources.</returns>
    /// <exception cref="Platform.Abstractions.ValuesException">A subchart section is not a map.</exception>
    public static ValuesComposition Compose(ValuesChart chart, IEnumerable<ValuesLayer> layers)
    {
        ArgumentNullException.ThrowIfNull(chart);
        ArgumentNullException.ThrowIfNull(layers);

        var user = new JsonObject();
        var setBy = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (ValuesLayer layer in layers)
        {
            ArgumentNullException.ThrowIfNull(layer);
            Track(user, layer.Values, string.Empty, layer.Name, setBy);
            ValuesMerge.MergeMapsInPlace(user, layer.Values);
        }

        CoalescedValues coalesced = ValuesCoalescer.Coalesce(chart, user);
        ValuesOrdering.OrderLike(coalesced.Values, chart);
        var sources = new Dictionary<string, ValueSource>(StringComparer.Ordinal);
        Attribute(coalesced.Values, coalesced.Values, string.Empty, chart, [chart.Name], setBy, sources);

        var removals = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (path, layer) in setBy)
        {
            if (Lookup(user, path) is { Found: true, Node: null } && !PathExists(coalesced.Values, path))
            {
                removals[path] = layer;
            }
        }

        return new ValuesComposition(coalesced.Values, user, coalesced.Warnings, sources, removals);
    }

    // Records, for each leaf the layer writes, that the layer set it; a replaced map forgets its old leaves.
    private static void Track(JsonObject current, JsonObject overlay, string prefix, string layer, Dictionary<string, string> setBy)
    {
        foreach (var (key, value) in overlay)
        {
            string path = ValuesComposition.Join(prefix, key);
            if (value is JsonObject map && current[key] is JsonObject existing)
            {
                Track(existing, map, path, layer, setBy);
                continue;
            }

            Forget(setBy, path);
            if (value is JsonObject fresh)
            {
                MarkLeaves(fresh, path, layer, setBy);
                if (fresh.Count == 0)
                {
                    setBy[path] = layer;
                }
            }
            else
            {
                setBy[path] = layer;
            }
        }
    }

    private static void MarkLeaves(JsonObject map, string prefix, string layer, Dictionary<string, string> setBy)
    {
        foreach (var (key, value) in map)
        {
            string path = ValuesComposition.Join(prefix, key);
            if (value is JsonObject child && child.Count > 0)
            {
                MarkLeaves(child, path, layer, setBy);
            }
            else
            {
                setBy[path] = layer;
            }
        }
    }

    private static void Forget(Dictionary<string, string> setBy, string path)
    {
        setBy.Remove(path);
        string prefix = path + ".";
        foreach (string key in setBy.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToList())
        {
            setBy.Remove(key);
        }
    }

    private static void Attribute(JsonObject root, JsonObject values, string prefix, ValuesChart chart, List<string> chain, Dictionary<string, string> setBy, Dictionary<string, ValueSource> sources)
    {
        foreach (var (key, value) in values)
        {
            string path = ValuesComposition.Join(prefix, key);
            ValuesChart? sub = chart.Dependencies.FirstOrDefault(d => d.Name == key);
            if (value is JsonObject map && map.Count > 0)
            {
                if (sub is not null)
                {
                    chain.Add(sub.Name);
                    Attribute(root, map, path, sub, chain, setBy, sources);
                    chain.RemoveAt(chain.Count - 1);
                }
                else
                {
                    Attribute(root, map, path, chart, chain, setBy, sources);
                }

                continue;
            }

            sources[path] = Source(path, chain, setBy, root);
        }
    }

    private static ValueSource Source(string path, List<string> chain, Dictionary<string, string> setBy, JsonObject root)
    {
        if (setBy.TryGetValue(path, out string? layer))
        {
            return new ValueSource(path, layer, ValueSourceKind.Layer);
        }

        // A subchart's global.* is copied down from its parent's global.*, which wins over the subchart's own
        // default: when the parent has the value, explain it by the parent's source.
        string[] parts = SplitPath(path);
        int global = Array.IndexOf(parts, "global");
        if (global > 0 && chain.Count > 1)
        {
            string parentPath = string.Join('.', parts.Take(global - 1).Concat(parts.Skip(global)));
            if (Lookup(root, parentPath).Found)
            {
                ValueSource parent = Source(parentPath, chain[..^1], setBy, root);
                return new ValueSource(path, parent.Layer, parent.Kind == ValueSourceKind.Layer ? ValueSourceKind.Global : parent.Kind);
            }
        }

        return new ValueSource(path, chain[^1], ValueSourceKind.ChartDefault);
    }

    private static string[] SplitPath(string path)
    {
        var parts = new List<string>();
        var current = new System.Text.StringBuilder();
        for (int i = 0; i < path.Length; i++)
        {
            if (path[i] == '\\' && i + 1 < path.Length)
            {
                current.Append(path[i]).Append(path[++i]);
            }
            else if (path[i] == '.')
            {
                parts.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(path[i]);
            }
        }

        parts.Add(current.ToString());
        return parts.ToArray();
    }

    private static (bool Found, JsonNode? Node) Lookup(JsonObject root, string path)
    {
        JsonNode? node = root;
        foreach (string part in SplitPath(path))
        {
            string key = part.Replace("\\.", ".", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);
            if (node is not JsonObject map || !map.TryGetPropertyValue(key, out node))
            {
                return (false, null);
            }
        }

        return (true, node);
    }

    private static bool PathExists(JsonObject root, string path) => Lookup(root, path).Found;
}
