using System.Text.Json.Nodes;
using Platform.Abstractions;

namespace Platform.Charts.Values;

/// <summary>
/// Coalesces user values with a chart's defaults and its subcharts' defaults exactly as Helm v4 does.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>User values win; maps deep-merge; lists and scalars replace.</item>
/// <item>A user null deletes a key only where the chart default is non-null (otherwise the null is kept).</item>
/// <item>Subchart defaults lose their nulls before use; the top-level chart's own default nulls are kept.</item>
/// <item>A subchart sees only its own section; <c>global</c> is copied down (the parent wins) and never flows up.</item>
/// <item>Type conflicts (a map over a scalar or the reverse) are skipped with a <see cref="ValuesWarning"/>.</item>
/// <item>A subchart section that is not a map is an error.</item>
/// </list>
/// Inputs are never mutated. All members are thread-safe.
/// </remarks>
public static class ValuesCoalescer
{
    private const string GlobalKey = "global";

    /// <summary>Computes the final values of a chart tree (Helm's <c>CoalesceValues</c>).</summary>
    /// <param name="chart">The chart tree after dependency processing.</param>
    /// <param name="userValues">The user-supplied values (files and <c>--set</c> merged).</param>
    /// <returns>The coalesced values and the warnings Helm would print.</returns>
    /// <exception cref="ValuesException">A subchart's section is not a map.</exception>
    public static CoalescedValues Coalesce(ValuesChart chart, JsonObject? userValues) => Run(chart, userValues, merge: false);

    /// <summary>Merges values without deleting for nulls (Helm's <c>MergeValues</c>, used before import-values).</summary>
    /// <param name="chart">The chart tree.</param>
    /// <param name="userValues">The user-supplied values.</param>
    /// <returns>The merged values and warnings.</returns>
    /// <exception cref="ValuesException">A subchart's section is not a map.</exception>
    public static CoalescedValues Merge(ValuesChart chart, JsonObject? userValues) => Run(chart, userValues, merge: true);

    private static CoalescedValues Run(ValuesChart chart, JsonObject? userValues, bool merge)
    {
        ArgumentNullException.ThrowIfNull(chart);
        var values = userValues is null ? new JsonObject() : (JsonObject)userValues.DeepClone();
        var warnings = new List<ValuesWarning>();
        CoalesceChart(chart, values, string.Empty, merge, warnings);
        return new CoalescedValues(values, warnings);
    }

    private static void CoalesceChart(ValuesChart chart, JsonObject dest, string prefix, bool merge, List<ValuesWarning> warnings)
    {
        CoalesceOwnValues(chart, dest, prefix, merge, warnings);
        CoalesceDependencies(chart, dest, prefix, merge, warnings);
    }

    private static void CoalesceDependencies(ValuesChart chart, JsonObject dest, string prefix, bool merge, List<ValuesWarning> warnings)
    {
        foreach (ValuesChart sub in chart.Dependencies)
        {
            if (!dest.TryGetPropertyValue(sub.Name, out JsonNode? section))
            {
                section = new JsonObject();
                dest[sub.Name] = section;
            }
            else if (section is not JsonObject)
            {
                string path = Concat(Concat(prefix, chart.Name), sub.Name);
                throw new ValuesException(
                    $"type mismatch on {sub.Name}: the values of subchart '{sub.Name}' (at '{path}') must be a map, but are {Describe(section)}",
                    valuesPath: path);
            }

            var subValues = (JsonObject)section;
            string subPrefix = Concat(prefix, chart.Name);
            CoalesceGlobals(subValues, dest, subPrefix, warnings);
            CoalesceChart(sub, subValues, subPrefix, merge, warnings);
        }
    }

    /// <summary>Copies the parent's globals into the subchart's section; the parent's globals win.</summary>
    private static void CoalesceGlobals(JsonObject dest, JsonObject src, string prefix, List<ValuesWarning> warnings)
    {
        JsonObject destGlobals;
        if (!dest.TryGetPropertyValue(GlobalKey, out JsonNode? dg))
        {
            destGlobals = new JsonObject();
        }
        else if (dg is JsonObject dgo)
        {
            destGlobals = dgo;
        }
        else
        {
            warnings.Add(new ValuesWarning(Concat(prefix, GlobalKey), $"warning: skipping globals because destination {GlobalKey} is not a table."));
            return;
        }

        JsonObject srcGlobals;
        if (!src.TryGetPropertyValue(GlobalKey, out JsonNode? sg))
        {
            srcGlobals = new JsonObject();
        }
        else if (sg is JsonObject sgo)
        {
            srcGlobals = sgo;
        }
        else
        {
            warnings.Add(new ValuesWarning(Concat(prefix, GlobalKey), $"warning: skipping globals because source {GlobalKey} is not a table."));
            return;
        }

        foreach (var (key, val) in srcGlobals)
        {
            if (val is JsonObject table)
            {
                // A deep copy, so that nothing merged below can flow back up into the parent's globals.
                var copy = (JsonObject)table.DeepClone();
                if (!destGlobals.TryGetPropertyValue(key, out JsonNode? existing))
                {
                    destGlobals[key] = copy;
                }
                else if (existing is not JsonObject existingTable)
                {
                    warnings.Add(new ValuesWarning(Concat(prefix, key), $"Conflict: cannot merge map onto non-map for \"{key}\". Skipping."));
                }
                else
                {
                    CoalesceTablesFrom(copy, existingTable, Concat(prefix, key), merge: true, stripNulls: false, warnings);
                    destGlobals[key] = copy;
                }
            }
            else if (destGlobals.TryGetPropertyValue(key, out JsonNode? existing) && existing is JsonObject)
            {
                warnings.Add(new ValuesWarning(Concat(prefix, key), $"key {key} is table. Skipping"));
            }
            else
            {
                destGlobals[key] = val?.DeepClone();
            }
        }

        if (!ReferenceEquals(dest[GlobalKey], destGlobals))
        {
            dest[GlobalKey] = destGlobals;
        }
    }

    private static void CoalesceOwnValues(ValuesChart chart, JsonObject values, string prefix, bool merge, List<ValuesWarning> warnings)
    {
        string subPrefix = Concat(prefix, chart.Name);
        foreach (var (key, defaultValue) in chart.Defaults)
        {
            if (values.TryGetPropertyValue(key, out JsonNode? value))
            {
                if (value is null && !merge)
                {
                    // A user null removes the key: how values files and --set drop a chart's setting.
                    values.Remove(key);
                }
                else if (value is JsonObject userTable)
                {
                    if (defaultValue is not JsonObject defaultTable)
                    {
                        if (defaultValue is not null)
                        {
                            warnings.Add(new ValuesWarning(Concat(subPrefix, key), $"warning: skipped value for {subPrefix}.{key}: Not a table."));
                        }
                    }
                    else
                    {
                        bool mergeHere = merge || chart.Dependencies.Any(d => d.Name == key);

                        // Reads the defaults in place and copies only what lands in the result.
                        CoalesceTablesFrom(userTable, defaultTable, Concat(subPrefix, key), mergeHere, stripNulls: !mergeHere && prefix.Length > 0, warnings);
                    }
                }
            }
            else
            {
                if (!merge && prefix.Length > 0)
                {
                    // Subchart default nulls never leak into the result; the top-level chart's own are kept.
                    if (defaultValue is null)
                    {
                        continue;
                    }

                    values[key] = defaultValue is JsonObject table ? CloneWithoutNulls(table) : defaultValue.DeepClone();
                }
                else
                {
                    values[key] = defaultValue?.DeepClone();
                }
            }
        }
    }

    /// <summary>Helm's <c>coalesceTablesFullKey</c>: <paramref name="dst"/> wins; <paramref name="src"/> is consumed.</summary>
    internal static void CoalesceTables(JsonObject dst, JsonObject src, string prefix, bool merge, List<ValuesWarning>? warnings)
    {
        HashSet<string>? srcNonNull = null;
        foreach (var (key, val) in src)
        {
            if (val is not null)
            {
                (srcNonNull ??= new HashSet<string>(StringComparer.Ordinal)).Add(key);
            }
        }

        foreach (var (key, val) in dst)
        {
            if (val is null)
            {
                src[key] = null;
            }
        }

        var entries = src.ToList();
        src.Clear();
        foreach (var (key, val) in entries)
        {
            bool present = dst.TryGetPropertyValue(key, out JsonNode? dv);
            if (present && !merge && dv is null && srcNonNull is not null && srcNonNull.Contains(key))
            {
                dst.Remove(key);
            }
            else if (!present)
            {
                dst[key] = val;
            }
            else if (val is JsonObject srcTable)
            {
                if (dv is JsonObject dstTable)
                {
                    CoalesceTables(dstTable, srcTable, Concat(prefix, key), merge, warnings);
                }
                else
                {
                    warnings?.Add(new ValuesWarning(Concat(prefix, key), $"warning: cannot overwrite table with non table for {Concat(prefix, key)} ({Brief(val)})"));
                }
            }
            else if (dv is JsonObject && val is not null)
            {
                warnings?.Add(new ValuesWarning(Concat(prefix, key), $"warning: destination for {Concat(prefix, key)} is a table. Ignoring non-table value ({Brief(val)})"));
            }
        }
    }

    /// <summary>
    /// <see cref="CoalesceTables"/> over a <paramref name="src"/> that is only read, never consumed: the same result
    /// and warnings as coalescing a deep copy of it (without its nulls at any depth when <paramref name="stripNulls"/>),
    /// but only the entries that land in <paramref name="dst"/> are copied.
    /// </summary>
    internal static void CoalesceTablesFrom(JsonObject dst, JsonObject src, string prefix, bool merge, bool stripNulls, List<ValuesWarning>? warnings)
    {
        foreach (var (key, val) in src)
        {
            if (val is null && stripNulls)
            {
                continue;
            }

            if (!dst.TryGetPropertyValue(key, out JsonNode? dv))
            {
                dst[key] = val is JsonObject table && stripNulls ? CloneWithoutNulls(table) : val?.DeepClone();
            }
            else if (dv is null)
            {
                // CoalesceTables first overwrites such source entries with the destination's null.
                if (!merge && val is not null)
                {
                    dst.Remove(key);
                }
            }
            else if (val is JsonObject srcTable)
            {
                if (dv is JsonObject dstTable)
                {
                    CoalesceTablesFrom(dstTable, srcTable, Concat(prefix, key), merge, stripNulls, warnings);
                }
                else
                {
                    JsonNode shown = stripNulls ? CloneWithoutNulls(srcTable) : srcTable;
                    warnings?.Add(new ValuesWarning(Concat(prefix, key), $"warning: cannot overwrite table with non table for {Concat(prefix, key)} ({Brief(shown)})"));
                }
            }
            else if (dv is JsonObject && val is not null)
            {
                warnings?.Add(new ValuesWarning(Concat(prefix, key), $"warning: destination for {Concat(prefix, key)} is a table. Ignoring non-table value ({Brief(val)})"));
            }
        }
    }

    // A deep copy without null entries, at every depth, in one pass: the copy never holds the nulls it would drop.
    internal static JsonObject CloneWithoutNulls(JsonObject table)
    {
        var copy = new JsonObject();
        foreach (var (key, val) in table)
        {
            switch (val)
            {
                case null:
                    break;
                case JsonObject sub:
                    copy[key] = CloneWithoutNulls(sub);
                    break;
                default:
                    copy[key] = val.DeepClone();
                    break;
            }
        }

        return copy;
    }

    internal static string Concat(string a, string b) => a.Length == 0 ? b : a + "." + b;

    private static string Describe(JsonNode? node) => node switch
    {
        null => "null",
        JsonArray => "a list",
        JsonValue v => $"the {v.GetValueKind().ToString().ToLowerInvariant()} {Brief(v)}",
        _ => "not a map",
    };

    private static string Brief(JsonNode? node)
    {
        string text = node?.ToJsonString() ?? "null";
        return text.Length <= 80 ? text : text[..77] + "...";
    }
}

/// <summary>The result of coalescing: the values and the warnings Helm would print.</summary>
/// <param name="Values">The coalesced values; the caller owns the tree.</param>
/// <param name="Warnings">Non-fatal findings, in the order Helm meets them.</param>
public sealed record CoalescedValues(JsonObject Values, IReadOnlyList<ValuesWarning> Warnings);
