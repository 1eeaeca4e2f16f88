using System.Text.Json.Nodes;

namespace Platform.Charts.Values;

/// <summary>
/// Helm's map merges that keep nulls: the merge of several <c>-f</c> files and the non-deleting table merge
/// used by import-values.
/// </summary>
/// <remarks>All members are thread-safe and never mutate their inputs.</remarks>
public static class ValuesMerge
{
    /// <summary>
    /// Merges <paramref name="overlay"/> onto <paramref name="baseValues"/> as Helm merges successive
    /// <c>-f</c> files: maps merge deeply, every other value (lists, scalars, null) replaces.
    /// </summary>
    /// <param name="baseValues">The earlier values.</param>
    /// <param name="overlay">The later values, which win.</param>
    /// <returns>A new tree.</returns>
    public static JsonObject MergeMaps(JsonObject baseValues, JsonObject overlay)
    {
        ArgumentNullException.ThrowIfNull(baseValues);
        ArgumentNullException.ThrowIfNull(overlay);
        var result = (JsonObject)baseValues.DeepClone();
        MergeMapsInPlace(result, overlay);
        return result;
    }

    internal static void MergeMapsInPlace(JsonObject target, JsonObject overlay)
    {
        foreach (var (key, value) in overlay)
        {
            if (value is JsonObject overlayMap && target[key] is JsonObject targetMap)
            {
                MergeMapsInPlace(targetMap, overlayMap);
            }
            else
            {
                target[key] = value?.DeepClone();
            }
        }
    }

    /// <summary>
    /// Merges <paramref name="source"/> under <paramref name="destination"/> (destination wins) without
    /// deleting anything for nulls: Helm's <c>MergeTables</c>.
    /// </summary>
    /// <param name="destination">The authoritative values.</param>
    /// <param name="source">The values filled in where the destination has none.</param>
    /// <returns>A new tree.</returns>
    public static JsonObject MergeTables(JsonObject destination, JsonObject source)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(source);
        var dst = (JsonObject)destination.DeepClone();
        ValuesCoalescer.CoalesceTablesFrom(dst, source, string.Empty, merge: true, stripNulls: false, warnings: null);
        return dst;
    }

    /// <summary>
    /// Coalesces <paramref name="source"/> under <paramref name="destination"/> (destination wins); a null in the
    /// destination deletes the key where the source has a non-null value: Helm's <c>CoalesceTables</c>.
    /// </summary>
    /// <param name="destination">The authoritative values.</param>
    /// <param name="source">The values filled in where the destination has none.</param>
    /// <returns>A new tree.</returns>
    public static JsonObject CoalesceTables(JsonObject destination, JsonObject source)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(source);
        var dst = (JsonObject)destination.DeepClone();
        ValuesCoalescer.CoalesceTablesFrom(dst, source, string.Empty, merge: false, stripNulls: false, warnings: null);
        return dst;
    }
}
