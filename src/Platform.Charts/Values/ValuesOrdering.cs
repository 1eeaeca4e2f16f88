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
        if (values.Count > 1 && template is not null && !InOrder(values, template, chart))
        {
            var entries = values.ToList();
            var ordered = entries
                .Select((e, position) => (e, rank: Rank(e.Key, template, chart), position))
                .OrderBy(t => t.rank)
                .ThenBy(t => t.position)
                .Select(t => t.e)
                .ToList();
            values.Clear();
            foreach (var (key, value) in ordered)
            {
                values[key] = value;
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

    // Most objects come out of coalescing already in chart order (user keys are few): check before sorting.
    private static bool InOrder(JsonObject values, JsonObject template, ValuesChart? chart)
    {
        long previous = -1;
        foreach (var (key, _) in values)
        {
            long rank = Rank(key, template, chart);
            if (rank < previous)
            {
                return false;
            }

            previous = rank;
        }

        return true;
    }

    // The template's keys first, then the subcharts in dependency order, then anything else in its current order.
    private static long Rank(string key, JsonObject template, ValuesChart? chart)
    {
        int index = template.IndexOf(key);
        if (index >= 0)
        {
            return index;
        }

        if (chart is not null)
        {
            for (int i = 0; i < chart.Dependencies.Count; i++)
            {
                if (chart.Dependencies[i].Name == key)
                {
                    return template.Count + (long)i;
                }
            }
        }

        return long.MaxValue;
    }
}
