using Platform.Abstractions;

namespace Platform.Charts.Loading.Internal;

/// <summary>A file read from a chart directory or archive, before it is sorted into the chart model.</summary>
internal readonly record struct BufferedFile(string Name, byte[] Data);

/// <summary>State shared by one load: limits, the remaining size budget, warnings and error construction.</summary>
internal sealed class LoadContext
{
    private long _remaining;
    private int _files;

    public LoadContext(ChartLoadOptions options, string? chartPath)
    {
        Options = options;
        ChartPath = chartPath;
        _remaining = options.MaxChartSize;
    }

    public ChartLoadOptions Options { get; }

    /// <summary>Gets the directory or archive the caller asked for (null for a stream).</summary>
    public string? ChartPath { get; }

    public List<ChartLoadWarning> Warnings { get; } = [];

    /// <summary>Gets the decompressed bytes still allowed for the chart tree.</summary>
    public long Remaining => _remaining;

    public string DisplayPath => ChartPath is null ? "chart archive stream" : $"chart '{ChartPath}'";

    public void Warn(string message, string? entryPath) => Warnings.Add(new ChartLoadWarning(message, entryPath));

    public ChartException Error(string message, string? entryPath, Exception? inner = null)
    {
        var where = entryPath is null ? DisplayPath : $"{DisplayPath}, entry '{entryPath}'";
        return new ChartException($"{where}: {message}", ChartPath, entryPath, inner);
    }

    /// <summary>Counts one more file against <see cref="ChartLoadOptions.MaxFileCount"/>.</summary>
    public void CountFile(string entryPath)
    {
        if (++_files > Options.MaxFileCount)
        {
            throw Error($"the chart has more than {Options.MaxFileCount} files; expected at most ChartLoadOptions.MaxFileCount.", entryPath);
        }
    }

    /// <summary>Checks a declared size against the per-file limit and the remaining chart budget before any byte is read.</summary>
    public void CheckDeclaredSize(long size, string entryPath)
    {
        if (size < 0)
        {
            throw Error($"the entry declares a negative size ({size}).", entryPath);
        }

        if (size > Options.MaxFileSize)
        {
            throw Error($"the file is {size} bytes, larger than the maximum file size of {Options.MaxFileSize} bytes (ChartLoadOptions.MaxFileSize).", entryPath);
        }

        if (size > _remaining)
        {
            throw Error($"the decompressed chart is larger than the maximum size of {Options.MaxChartSize} bytes (ChartLoadOptions.MaxChartSize).", entryPath);
        }
    }

    /// <summary>Takes bytes actually read from the budget.</summary>
    public void Consume(long size, string entryPath)
    {
        CheckDeclaredSize(size, entryPath);
        _remaining -= size;
    }
}
