using System.Text.Json.Nodes;

namespace Platform.Charts.Values;

/// <summary>Orders computed values like the chart's own defaults, so output reads like the chart's <c>values.yaml</c>.</summary>
internal static class ValuesOrdering
{
    /// <summary>Reorders <paramref name="values"/> in place: keys in the order of the chart defaults, then the rest as they were.</summary>
    public static void OrderLike(JsonObject values, ValuesChart chart)
    {
        Reorder(values, chart.Defaults, chart);
    }

    private static void Reorder(JsonObject values, JsonObject? template, ValuesChart? chart)
    {
        if (values.Count > 1 && template is not null)
        {
            var entries = values.ToList();
            var index = new Dictionary<string, int>(StringComparer.Ordinal);
            int i = 0;
            foreach (var (key, _) in template)
            {
                index[key] = i++;
            }

            if (chart is not null)
            {
                foreach (ValuesChart sub in chart.Dependencies)
                {
                    index.TryAdd(sub.Name, i++);
                }
            }

            var ordered = entries
                .Select((e, position) => (e, rank: index.TryGetValue(e.Key, out int r) ? r : int.MaxValue, position))
                .OrderBy(t => t.rank)
                .ThenBy(t => t.position)
                .Select(t => t.e)
                .ToList();
            if (!ordered.Select(e => e.Key).SequenceEqual(entries.Select(e => e.Key), StringComparer.Ordinal))
            {
                values.Clear();
                foreach (var (key, value) in ordered)
                {
                    values[key] = value;
                }
            }
        }

        foreach (var (key, value) in values)
        {
            if (value is not JsonObject child)
            {
                continue;
            }

            ValuesChart? sub = chart?.Dependencies.FirstOrDefault(d => d.Name == key);
            if (sub is not null)
            {
                Reorder(child, sub.Defaults, sub);
            }
            else
            {
                Reorder(child, template?[key] as JsonObject, null);
            }
        }
    }
}
