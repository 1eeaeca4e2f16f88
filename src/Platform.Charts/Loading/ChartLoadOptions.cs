namespace Platform.Charts.Loading;

/// <summary>
/// Limits applied while loading a chart. The defaults are Helm's: 5 MiB per file and 100 MiB for the whole chart.
/// </summary>
/// <remarks>
/// <para>
/// Sizes count decompressed bytes held in memory. The chart budget is shared by the whole chart tree: the root
/// chart's files, and again the content of every nested <c>charts/*.tgz</c> (Helm restarts its budget for each
/// nested archive; sharing it keeps a chain of nested archives from multiplying the memory used).
/// An archive entry is checked against its declared size before any of it is read, and again while reading.
/// </para>
/// <para>Instances are immutable and thread-safe.</para>
/// </remarks>
public sealed record ChartLoadOptions
{
    /// <summary>Helm's per-file limit: 5 MiB.</summary>
    public const long DefaultMaxFileSize = 5L * 1024 * 1024;

    /// <summary>Helm's limit on the decompressed size of a chart: 100 MiB.</summary>
    public const long DefaultMaxChartSize = 100L * 1024 * 1024;

    /// <summary>Gets the shared default options.</summary>
    public static ChartLoadOptions Default { get; } = new();

    /// <summary>Gets the largest file (archive entry or file on disk) accepted, in bytes. Default 5 MiB.</summary>
    public long MaxFileSize { get; init; } = DefaultMaxFileSize;

    /// <summary>Gets the largest total of decompressed bytes accepted for the whole chart tree. Default 100 MiB.</summary>
    public long MaxChartSize { get; init; } = DefaultMaxChartSize;

    /// <summary>Gets the most files (archive entries or files on disk) accepted for the whole chart tree. Default 100,000.</summary>
    public int MaxFileCount { get; init; } = 100_000;

    /// <summary>Gets how deep subcharts may nest (<c>charts/a/charts/b</c> is depth 2). Default 32.</summary>
    public int MaxSubchartDepth { get; init; } = 32;

    /// <summary>Gets how deep directories may nest inside a chart directory. Default 64.</summary>
    public int MaxDirectoryDepth { get; init; } = 64;

    /// <summary>Gets a value indicating whether <c>.helmignore</c> is applied when loading a directory. Default <see langword="true"/> (as Helm).</summary>
    public bool ApplyHelmIgnore { get; init; } = true;

    internal void Validate()
    {
        if (MaxFileSize <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxFileSize), MaxFileSize, "ChartLoadOptions.MaxFileSize must be positive.");
        }

        if (MaxChartSize <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxChartSize), MaxChartSize, "ChartLoadOptions.MaxChartSize must be positive.");
        }

        if (MaxFileCount <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxFileCount), MaxFileCount, "ChartLoadOptions.MaxFileCount must be positive.");
        }

        if (MaxSubchartDepth < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxSubchartDepth), MaxSubchartDepth, "ChartLoadOptions.MaxSubchartDepth must not be negative.");
        }

        if (MaxDirectoryDepth <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxDirectoryDepth), MaxDirectoryDepth, "ChartLoadOptions.MaxDirectoryDepth must be positive.");
        }
    }
}

/// <summary>Represents the outcome of loading a chart: the chart and the warnings Helm would have printed.</summary>
/// <param name="Chart">The loaded chart.</param>
/// <param name="Warnings">The warnings, in the order they arose.</param>
public sealed record ChartLoadResult(Chart Chart, IReadOnlyList<ChartLoadWarning> Warnings);

/// <summary>Represents a warning raised while loading a chart (Helm prints these; the SDK returns them).</summary>
/// <param name="Message">The warning text.</param>
/// <param name="EntryPath">The file inside the chart the warning concerns (including the subchart path), or <see langword="null"/>.</param>
public sealed record ChartLoadWarning(string Message, string? EntryPath);
