using System.Text.Json.Nodes;
using Platform.Abstractions;
using Platform.Charts.Loading;
using Platform.Charts.Values;
using Platform.Charts.Versions;

namespace Platform.Charts.Dependencies;

/// <summary>
/// Helm's dependency processing (<c>ProcessDependencies</c>): matches <c>Chart.yaml</c> dependencies to the charts in
/// <c>charts/</c> by name and version range, applies aliases, disables subcharts by tags and conditions, and imports
/// child values into parents (import-values), producing the chart tree that values are coalesced against.
/// </summary>
internal sealed class DependencyProcessor
{
    private readonly List<ValuesWarning> _warnings;
    private readonly ChartValuesOptions _options;

    private DependencyProcessor(List<ValuesWarning> warnings, ChartValuesOptions options)
    {
        _warnings = warnings;
        _options = options;
    }

    public static ValuesChart Process(Chart chart, JsonObject? userValues, ChartValuesOptions options, List<ValuesWarning> warnings)
    {
        var processor = new DependencyProcessor(warnings, options);
        WorkingChart root = WorkingChart.From(chart, string.Empty, options.Yaml);
        processor.CheckMissing(root, chart.Name);
        processor.ProcessEnabled(root, userValues ?? new JsonObject(), string.Empty, chart.Name);
        processor.ProcessImportValues(root);
        return root.ToValuesChart();
    }

    // Helm's CheckDependencies: every dependency Chart.yaml declares must be present under charts/.
    private void CheckMissing(WorkingChart chart, string chain)
    {
        if (chart.Requirements is null)
        {
            return;
        }

        foreach (WorkingDependency req in chart.Requirements)
        {
            if (!chart.Subcharts.Any(s => s.Name == req.Name))
            {
                string message = $"{chain}: dependency '{req.Name}' is declared in Chart.yaml but missing in charts/ (run 'helm dependency build'); its values are left out";
                if (_options.MissingDependencies == MissingDependencyHandling.Error)
                {
                    throw new ChartException(message, chart.SourcePath, "Chart.yaml");
                }

                _warnings.Add(new ValuesWarning(chain, "warning: " + message));
            }
        }
    }

    private void ProcessEnabled(WorkingChart c, JsonObject values, string path, string chain)
    {
        if (c.Requirements is null)
        {
            return;
        }

        // Each (requirement, subchart) pair is decided once: constraint parsing dominates on wide umbrellas.
        bool[,] compatible = new bool[c.Requirements.Count, c.Subcharts.Count];
        for (int r = 0; r < c.Requirements.Count; r++)
        {
            WorkingDependency req = c.Requirements[r];
            VersionConstraint? constraint = null;
            bool parsed = false;
            for (int s = 0; s < c.Subcharts.Count; s++)
            {
                WorkingChart sub = c.Subcharts[s];
                if (sub.Name != req.Name)
                {
                    continue;
                }

                if (!parsed)
                {
                    parsed = true;
                    VersionConstraint.TryParse(req.Version ?? string.Empty, out constraint);
                }

                compatible[r, s] = constraint is not null && SemanticVersion.TryParse(sub.Version, out SemanticVersion? v) && constraint.IsSatisfiedBy(v);
            }
        }

        // Subcharts that no Chart.yaml entry claims are kept as they are.
        var subcharts = new List<WorkingChart>();
        for (int s = 0; s < c.Subcharts.Count; s++)
        {
            bool claimed = false;
            for (int r = 0; r < c.Requirements.Count && !claimed; r++)
            {
                claimed = compatible[r, s];
            }

            if (!claimed)
            {
                subcharts.Add(c.Subcharts[s]);
            }
        }

        for (int r = 0; r < c.Requirements.Count; r++)
        {
            WorkingDependency req = c.Requirements[r];
            WorkingChart? match = null;
            for (int s = 0; s < c.Subcharts.Count && match is null; s++)
            {
                match = compatible[r, s] ? c.Subcharts[s] : null;
            }

            if (match is not null)
            {
                WorkingChart copy = match.DeepCopy();
                if (!string.IsNullOrEmpty(req.Alias))
                {
                    copy.Name = req.Alias;
                }

                subcharts.Add(copy);
            }

            if (!string.IsNullOrEmpty(req.Alias))
            {
                req.Name = req.Alias;
            }
        }

        c.Subcharts = subcharts;
        foreach (WorkingDependency req in c.Requirements)
        {
            req.Enabled = true;
        }

        // Tags and conditions read the coalesced values; without any, the (costly) coalesce only feeds recursion.
        bool needsValues = c.Requirements.Any(r => r.Tags.Count > 0 || !string.IsNullOrWhiteSpace(r.Condition)) || HasRequirementsBelow(c);
        // When no chart below has requirements, the coalesced values are only read at the tag and condition paths:
        // coalesce a view of the tree pruned to those paths (coalescing is per key, so they come out the same).
        JsonObject cvals = !needsValues ? values
            : HasRequirementsBelow(c) ? ValuesCoalescer.Coalesce(c.ToValuesChart(), values).Values
            : ValuesCoalescer.Coalesce(PrunedChart(c, LookupPaths(c.Requirements, path)), values).Values;
        ApplyTags(c.Requirements, cvals);
        ApplyConditions(c.Requirements, cvals, path, chain);

        var disabled = c.Requirements.Where(r => !r.Enabled).Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        c.Subcharts = c.Subcharts.Where(s => !disabled.Contains(s.Name)).ToList();
        c.Requirements = c.Requirements.Where(r => !disabled.Contains(r.Name)).ToList();

        foreach (WorkingChart sub in c.Subcharts)
        {
            ProcessEnabled(sub, cvals, path + sub.Name + ".", chain + "." + sub.Name);
        }
    }

    /// <summary>The paths <see cref="ApplyTags"/> and <see cref="ApplyConditions"/> read, as a trie.</summary>
    private static PathTrie LookupPaths(List<WorkingDependency> requirements, string path)
    {
        var root = new PathTrie();
        root.Add(["tags"]);
        foreach (WorkingDependency req in requirements)
        {
            if (string.IsNullOrWhiteSpace(req.Condition))
            {
                continue;
            }

            foreach (string condition in req.Condition.Trim().Split(','))
            {
                if (condition.Length > 0)
                {
                    root.Add((path + condition).Split('.'));
                }
            }
        }

        return root;
    }

    /// <summary>
    /// The chart tree with every chart's defaults cut down to the keys on the lookup paths, plus what decides the
    /// shape of the coalesce: <c>global</c> (copied down) and each subchart's section type (a non-map is an error).
    /// </summary>
    private static ValuesChart PrunedChart(WorkingChart chart, PathTrie? paths)
    {
        var subcharts = new List<ValuesChart>(chart.Subcharts.Count);
        foreach (WorkingChart sub in chart.Subcharts)
        {
            subcharts.Add(PrunedChart(sub, paths?.Child(sub.Name)));
        }

        return new ValuesChart(chart.Name, Prune(chart.Defaults, paths, chart.Subcharts), subcharts) { Source = chart.Source };
    }

    private static JsonObject Prune(JsonObject defaults, PathTrie? paths, List<WorkingChart>? subcharts)
    {
        var pruned = new JsonObject();
        foreach (var (key, value) in defaults)
        {
            PathTrie? child = paths?.Child(key);
            if (key == "global" || child is { Whole: true } || (child is not null && value is not JsonObject))
            {
                pruned[key] = value?.DeepClone();
            }
            else if (child is not null)
            {
                pruned[key] = Prune((JsonObject)value!, child, null);
            }
            else if (subcharts is not null && subcharts.Exists(s => s.Name == key))
            {
                pruned[key] = value is JsonObject ? new JsonObject() : value?.DeepClone();
            }
        }

        return pruned;
    }

    private sealed class PathTrie
    {
        private Dictionary<string, PathTrie>? _children;

        /// <summary>Gets a value indicating whether the whole subtree is read (a path ends here).</summary>
        public bool Whole { get; private set; }

        public PathTrie? Child(string key) =>
            _children is not null && _children.TryGetValue(key, out PathTrie? child) ? child : null;

        public void Add(string[] parts)
        {
            PathTrie node = this;
            foreach (string part in parts)
            {
                if (node.Whole)
                {
                    return;
                }

                node._children ??= new Dictionary<string, PathTrie>(StringComparer.Ordinal);
                if (!node._children.TryGetValue(part, out PathTrie? next))
                {
                    next = new PathTrie();
                    node._children[part] = next;
                }

                node = next;
            }

            node.Whole = true;
            node._children = null;
        }
    }

    private static bool HasRequirementsBelow(WorkingChart c) =>
        c.Subcharts.Any(s => s.Requirements is not null || HasRequirementsBelow(s));

    private void ApplyTags(List<WorkingDependency> requirements, JsonObject cvals)
    {
        if (!cvals.TryGetPropertyValue("tags", out JsonNode? tagsNode) || tagsNode is not JsonObject tags)
        {
            return;
        }

        foreach (WorkingDependency req in requirements)
        {
            bool hasTrue = false, hasFalse = false;
            foreach (string tag in req.Tags)
            {
                if (!tags.TryGetPropertyValue(tag, out JsonNode? value))
                {
                    continue;
                }

                if (AsBool(value) is bool b)
                {
                    hasTrue |= b;
                    hasFalse |= !b;
                }
                else
                {
                    _warnings.Add(new ValuesWarning("tags." + tag, $"warning: tag '{tag}' of dependency '{req.Name}' is not a boolean; it is ignored"));
                }
            }

            if (!hasTrue && hasFalse)
            {
                req.Enabled = false;
            }
            else if (hasTrue || !hasFalse)
            {
                req.Enabled = true;
            }
        }
    }

    private void ApplyConditions(List<WorkingDependency> requirements, JsonObject cvals, string path, string chain)
    {
        foreach (WorkingDependency req in requirements)
        {
            if (string.IsNullOrWhiteSpace(req.Condition))
            {
                continue;
            }

            // Helm trims the whole list but not each entry: "a.enabled, b.enabled" looks up " b.enabled".
            foreach (string condition in req.Condition.Trim().Split(','))
            {
                if (condition.Length == 0)
                {
                    continue;
                }

                if (PathValue(cvals, path + condition) is not { } value)
                {
                    continue;
                }

                if (AsBool(value) is bool enabled)
                {
                    req.Enabled = enabled;
                    break;
                }

                _warnings.Add(new ValuesWarning(path + condition, $"warning: condition path '{condition}' for dependency '{req.Name}' of {chain} returned a non-bool value"));
            }
        }
    }

    /// <summary>Helm's <c>Values.PathValue</c>: the value at a dotted path, which must exist and not be a map.</summary>
    private static JsonNode? PathValue(JsonObject values, string path)
    {
        string[] parts = path.Split('.');
        JsonObject table = values;
        for (int i = 0; i < parts.Length - 1; i++)
        {
            if (!table.TryGetPropertyValue(parts[i], out JsonNode? next) || next is not JsonObject nextTable)
            {
                return null;
            }

            table = nextTable;
        }

        return table.TryGetPropertyValue(parts[^1], out JsonNode? leaf) && leaf is not JsonObject ? leaf : null;
    }

    private static bool? AsBool(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False
            ? v.GetValueKind() == System.Text.Json.JsonValueKind.True
            : null;

    private void ProcessImportValues(WorkingChart c)
    {
        foreach (WorkingChart sub in c.Subcharts)
        {
            ProcessImportValues(sub);
        }

        if (c.Requirements is null)
        {
            return;
        }

        JsonObject cvals = ValuesCoalescer.Merge(c.ToValuesChart(), null).Values;
        var imported = new JsonObject();
        foreach (WorkingDependency req in c.Requirements)
        {
            foreach (JsonNode? entry in req.ImportValues)
            {
                string child, parent;
                switch (entry)
                {
                    case JsonObject map:
                        child = GoString(map["child"]);
                        parent = GoString(map["parent"]);
                        break;
                    case JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String:
                        child = "exports." + v.GetValue<string>();
                        parent = ".";
                        break;
                    default:
                        continue;
                }

                if (Table(cvals, req.Name + "." + child) is not JsonObject table)
                {
                    _warnings.Add(new ValuesWarning(req.Name + "." + child, $"warning: import-values of {c.Name}: chart '{req.Name}' has no table '{child}'; nothing imported"));
                    continue;
                }

                ValuesCoalescer.CoalesceTables(imported, PathToMap(parent, (JsonObject)table.DeepClone()), string.Empty, merge: true, warnings: null);
            }
        }

        // Imported values rank below the parent's own values, so the parent can override parts of an import.
        ValuesCoalescer.CoalesceTables(cvals, imported, string.Empty, merge: true, warnings: null);
        c.Defaults = cvals;
    }

    private static JsonObject PathToMap(string path, JsonObject data)
    {
        if (path == ".")
        {
            return data;
        }

        JsonObject current = data;
        string[] parts = path.Split('.');
        for (int i = parts.Length - 1; i >= 0; i--)
        {
            current = new JsonObject { [parts[i]] = current };
        }

        return current;
    }

    private static JsonObject? Table(JsonObject values, string path)
    {
        JsonObject table = values;
        foreach (string part in path.Split('.'))
        {
            if (!table.TryGetPropertyValue(part, out JsonNode? next) || next is not JsonObject nextTable)
            {
                return null;
            }

            table = nextTable;
        }

        return table;
    }

    // Go's fmt %v of a YAML-decoded value.
    private static string GoString(JsonNode? node) => node switch
    {
        null => "<nil>",
        JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String => v.GetValue<string>(),
        _ => node.ToJsonString(),
    };

    /// <summary>Helm's <c>IsCompatibleRange</c>: the version parses and satisfies the constraint (empty means any).</summary>
    internal static bool IsCompatibleRange(string? constraint, string version)
    {
        if (!SemanticVersion.TryParse(version, out SemanticVersion? v))
        {
            return false;
        }

        return VersionConstraint.TryParse(constraint ?? string.Empty, out VersionConstraint? c) && c.IsSatisfiedBy(v);
    }
}
