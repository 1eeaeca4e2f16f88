using Platform.Charts.Dependencies;
using Platform.Charts.Loading;
using Platform.Charts.Values;

namespace Platform.Charts;

/// <summary>Settings of the charts services registered by <c>AddPlatformCharts</c>, typically bound from configuration.</summary>
/// <remarks>Validated once when first resolved; an invalid setting fails with a message naming it.</remarks>
public sealed class ChartsOptions
{
    /// <summary>Gets or sets the largest chart file accepted, in bytes. Defaults to Helm's 5 MiB.</summary>
    public long MaxChartFileBytes { get; set; } = ChartLoadOptions.DefaultMaxFileSize;

    /// <summary>Gets or sets the largest decompressed chart accepted, in bytes. Defaults to Helm's 100 MiB.</summary>
    public long MaxChartBytes { get; set; } = ChartLoadOptions.DefaultMaxChartSize;

    /// <summary>Gets or sets the deepest YAML nesting accepted in values. Defaults to 1,000.</summary>
    public int MaxValuesDepth { get; set; } = YamlReadOptions.Default.MaxDepth;

    /// <summary>Gets or sets the most nodes a values document may expand to (alias bombs stop here). Defaults to 5,000,000.</summary>
    public int MaxValuesNodes { get; set; } = YamlReadOptions.Default.MaxNodes;

    /// <summary>Gets or sets how a dependency declared in <c>Chart.yaml</c> but absent from <c>charts/</c> is handled. Defaults to <see cref="MissingDependencyHandling.Warn"/>.</summary>
    public MissingDependencyHandling MissingDependencies { get; set; } = MissingDependencyHandling.Warn;

    /// <summary>Gets or sets a value indicating whether <c>.helmignore</c> applies to chart directories. Defaults to <see langword="true"/>.</summary>
    public bool ApplyHelmIgnore { get; set; } = true;

    internal ChartLoadOptions ToLoadOptions() => new()
    {
        MaxFileSize = MaxChartFileBytes,
        MaxChartSize = MaxChartBytes,
        ApplyHelmIgnore = ApplyHelmIgnore,
    };

    internal ChartValuesOptions ToValuesOptions() => new()
    {
        MissingDependencies = MissingDependencies,
        Yaml = new YamlReadOptions { MaxDepth = MaxValuesDepth, MaxNodes = MaxValuesNodes },
    };
}
