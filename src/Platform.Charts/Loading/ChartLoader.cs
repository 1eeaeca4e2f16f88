using Platform.Abstractions;
using Platform.Charts.Loading.Internal;

namespace Platform.Charts.Loading;

/// <summary>
/// Loads Helm charts from a directory or a <c>.tgz</c> archive the way Helm's loader does, with hard limits that
/// keep hostile archives from escaping the chart root or exhausting memory.
/// </summary>
/// <remarks>
/// <para>
/// Directories: every file is read (in ordinal path order), <c>.helmignore</c> is applied with Helm's rules plus the
/// default rule <c>templates/.?*</c>, symbolic links are followed only when they resolve inside the chart
/// directory, and anything that is not a regular file is refused.
/// </para>
/// <para>
/// Archives: gzip-compressed tar. The first path segment of every entry (the chart directory) is stripped and
/// <c>\</c> separators are read as <c>/</c>; entries that are absolute, contain <c>..</c> that leaves the chart,
/// are links (symbolic or hard) or devices are refused. Sizes are checked against the declared entry size before
/// reading and against the bytes actually read. <c>.helmignore</c> is not applied to archives (as in Helm).
/// </para>
/// <para>
/// Every failure is a <see cref="ChartException"/> whose <see cref="ChartException.ChartPath"/> is the path the
/// caller gave and whose <see cref="ChartException.EntryPath"/> names the file inside the chart (subchart paths
/// included, for example <c>charts/mariner-4.3.2.tgz/Chart.yaml</c>). Warnings Helm would print are returned in
/// <see cref="ChartLoadResult.Warnings"/>. All members are thread-safe.
/// </para>
/// </remarks>
public static class ChartLoader
{
    /// <summary>Loads the chart at <paramref name="path"/>: a chart directory or a <c>.tgz</c> archive.</summary>
    /// <param name="path">The chart directory or archive file.</param>
    /// <param name="options">The limits to apply; <see langword="null"/> for <see cref="ChartLoadOptions.Default"/>.</param>
    /// <param name="cancellationToken">A token that cancels the load.</param>
    /// <returns>The chart and the load warnings.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="ChartException">The chart is missing, malformed, unsafe or over a limit.</exception>
    public static async Task<ChartLoadResult> LoadAsync(string path, ChartLoadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= ChartLoadOptions.Default;
        options.Validate();
        var ctx = new LoadContext(options, path);

        if (Directory.Exists(path))
        {
            var files = await DirectoryReader.ReadAsync(path, ctx, cancellationToken).ConfigureAwait(false);
            var chart = await ChartAssembler.AssembleAsync(files, ctx, string.Empty, 0, cancellationToken).ConfigureAwait(false);
            return new ChartLoadResult(chart, ctx.Warnings.AsReadOnly());
        }

        if (!File.Exists(path))
        {
            throw new ChartException($"chart '{path}': no such directory or file; expected a chart directory or a .tgz archive.", path);
        }

        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ChartException($"chart '{path}': the file cannot be read: {ex.Message}", path, innerException: ex);
        }

        await using (stream.ConfigureAwait(false))
        {
            var head = new byte[2];
            var n = await stream.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            if (!ArchiveReader.LooksLikeGzip(head.AsSpan(0, n)))
            {
                var hint = path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase)
                    ? "seems to be a YAML file, but expected a gzipped archive or a chart directory"
                    : "does not appear to be a gzipped archive; expected a .tgz made by 'helm package' or a chart directory";
                throw new ChartException($"chart '{path}': the file {hint}.", path);
            }

            stream.Position = 0;
            return await LoadArchiveCoreAsync(stream, ctx, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Loads a chart from a gzip-compressed tar archive read from <paramref name="archive"/>.</summary>
    /// <param name="archive">The archive content; read forward only and left open.</param>
    /// <param name="options">The limits to apply; <see langword="null"/> for <see cref="ChartLoadOptions.Default"/>.</param>
    /// <param name="cancellationToken">A token that cancels the load.</param>
    /// <returns>The chart and the load warnings.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="archive"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="ChartException">The archive is not gzip, is malformed, unsafe or over a limit.</exception>
    public static async Task<ChartLoadResult> LoadAsync(Stream archive, ChartLoadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(archive);
        options ??= ChartLoadOptions.Default;
        options.Validate();
        var ctx = new LoadContext(options, null);

        var head = new byte[2];
        var n = await archive.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (!ArchiveReader.LooksLikeGzip(head.AsSpan(0, n)))
        {
            throw new ChartException("chart archive stream: the data does not appear to be a gzipped archive; expected a .tgz made by 'helm package'.");
        }

        await using var joined = new PrefixedStream(head.AsMemory(0, n), archive);
        return await LoadArchiveCoreAsync(joined, ctx, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<ChartLoadResult> LoadArchiveCoreAsync(Stream stream, LoadContext ctx, CancellationToken cancellationToken)
    {
        var files = await ArchiveReader.ReadAsync(stream, ctx, string.Empty, cancellationToken).ConfigureAwait(false);
        var chart = await ChartAssembler.AssembleAsync(files, ctx, string.Empty, 0, cancellationToken).ConfigureAwait(false);
        return new ChartLoadResult(chart, ctx.Warnings.AsReadOnly());
    }
}
