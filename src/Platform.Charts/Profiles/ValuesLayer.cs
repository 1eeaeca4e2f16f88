using System.Text.Json.Nodes;

namespace Platform.Charts.Profiles;

/// <summary>
/// One named layer of an app-store values profile: per-application-type defaults (for example
/// <c>spring-boot</c>), team or environment overrides, the user's form input, CI parameters.
/// </summary>
/// <param name="Name">The name reported as the source of the values this layer sets.</param>
/// <param name="Values">The layer's values, treated like one <c>-f</c> file: maps merge, everything else replaces, and a
/// null removes the chart default underneath.</param>
public sealed record ValuesLayer(string Name, JsonObject Values);

/// <summary>Where a final value came from.</summary>
/// <param name="Path">The dotted values path (dots inside keys escaped as <c>\.</c>).</param>
/// <param name="Layer">The layer that set the value, or the chart whose defaults supplied it.</param>
/// <param name="Kind">Whether a layer or a chart default supplied the value.</param>
public sealed record ValueSource(string Path, string Layer, ValueSourceKind Kind);

/// <summary>What kind of source supplied a value.</summary>
public enum ValueSourceKind
{
    /// <summary>A chart's <c>values.yaml</c> (the chart named in <see cref="ValueSource.Layer"/>).</summary>
    ChartDefault,

    /// <summary>A profile layer.</summary>
    Layer,

    /// <summary>A <c>global</c> value copied down from a parent chart's layer or default.</summary>
    Global,
}
