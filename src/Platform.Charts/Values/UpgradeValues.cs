using System.Text.Json.Nodes;

namespace Platform.Charts.Values;

/// <summary>How an upgrade treats the values of the release it upgrades (Helm's upgrade flags).</summary>
public enum ReuseValuesMode
{
    /// <summary>No flag: the previous release's user values are reused only when the upgrade supplies none.</summary>
    Default,

    /// <summary><c>--reuse-values</c>: the previous user values merge under the new ones, and the previous computed
    /// values replace the new chart's defaults.</summary>
    ReuseValues,

    /// <summary><c>--reset-values</c>: the previous release's values are ignored.</summary>
    ResetValues,

    /// <summary><c>--reset-then-reuse-values</c>: the new chart's defaults, then the previous user values, then the new ones.</summary>
    ResetThenReuseValues,
}

/// <summary>What an upgrade renders with and stores.</summary>
/// <param name="Chart">The chart to coalesce against (with <c>--reuse-values</c>, its defaults are the previous release's computed values).</param>
/// <param name="UserValues">The user values the new release records as its configuration.</param>
/// <param name="Values">The computed values the upgrade renders with.</param>
/// <param name="Warnings">Warnings of coalescing.</param>
public sealed record UpgradeValuesResult(ValuesChart Chart, JsonObject UserValues, JsonObject Values, IReadOnlyList<ValuesWarning> Warnings);

/// <summary>Helm's upgrade value reuse rules (<c>--reuse-values</c>, <c>--reset-values</c>, <c>--reset-then-reuse-values</c>).</summary>
/// <remarks>Thread-safe; inputs are never mutated.</remarks>
public static class UpgradeValues
{
    /// <summary>Computes the values of an upgrade.</summary>
    /// <param name="newChart">The chart being upgraded to (after dependency processing).</param>
    /// <param name="newValues">The user values given to the upgrade.</param>
    /// <param name="currentChart">The chart of the release being upgraded, as stored in the release.</param>
    /// <param name="currentConfig">The user values of the release being upgraded (the release's <c>config</c>).</param>
    /// <param name="mode">Which flag the upgrade uses.</param>
    /// <returns>The chart and user values to use, and the computed values.</returns>
    /// <exception cref="Platform.Abstractions.ValuesException">A subchart section is not a map.</exception>
    public static UpgradeValuesResult Resolve(ValuesChart newChart, JsonObject? newValues, ValuesChart currentChart, JsonObject? currentConfig, ReuseValuesMode mode)
    {
        ArgumentNullException.ThrowIfNull(newChart);
        ArgumentNullException.ThrowIfNull(currentChart);
        JsonObject supplied = newValues is null ? new JsonObject() : (JsonObject)newValues.DeepClone();
        JsonObject previous = currentConfig is null ? new JsonObject() : (JsonObject)currentConfig.DeepClone();

        ValuesChart chart = newChart;
        JsonObject user;
        switch (mode)
        {
            case ReuseValuesMode.ResetValues:
                user = supplied;
                break;
            case ReuseValuesMode.ReuseValues:
                // The previous computed values stand in for the new chart's own defaults.
                JsonObject oldValues = ValuesCoalescer.Coalesce(currentChart, previous).Values;
                user = ValuesMerge.CoalesceTables(supplied, previous);
                chart = newChart with { Defaults = oldValues };
                break;
            case ReuseValuesMode.ResetThenReuseValues:
                user = ValuesMerge.CoalesceTables(supplied, previous);
                break;
            default:
                user = supplied.Count == 0 && previous.Count > 0 ? previous : supplied;
                break;
        }

        CoalescedValues computed = ValuesCoalescer.Coalesce(chart, user);
        return new UpgradeValuesResult(chart, user, computed.Values, computed.Warnings);
    }
}
