namespace Platform.Abstractions;

/// <summary>
/// Reports a chart that cannot be loaded or processed: a malformed <c>Chart.yaml</c>, an unsafe or oversized
/// archive entry, a dependency that cannot be resolved.
/// </summary>
public class ChartException : PlatformException
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">The full message, naming the chart, the file and what was expected.</param>
    /// <param name="chartPath">The chart directory or archive, or <see langword="null"/>.</param>
    /// <param name="entryPath">The file or archive entry inside the chart, or <see langword="null"/>.</param>
    /// <param name="innerException">The original exception, if any.</param>
    public ChartException(string message, string? chartPath = null, string? entryPath = null, Exception? innerException = null)
        : base(message, innerException)
    {
        ChartPath = chartPath;
        EntryPath = entryPath;
    }

    /// <summary>Gets the chart directory or archive the error concerns, or <see langword="null"/>.</summary>
    public string? ChartPath { get; }

    /// <summary>Gets the file or archive entry inside the chart, or <see langword="null"/>.</summary>
    public string? EntryPath { get; }
}
