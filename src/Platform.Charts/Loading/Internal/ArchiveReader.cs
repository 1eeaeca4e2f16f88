using System.Formats.Tar;
using System.IO.Compression;
using System.Text.RegularExpressions;

namespace Platform.Charts.Loading.Internal;

/// <summary>Normalizes archive entry names the way Helm's archive loader does, rejecting every name that escapes the chart.</summary>
internal static partial class ArchivePath
{
    /// <summary>
    /// Strips the first path segment (the chart directory), normalizes <c>\</c> to <c>/</c> and cleans the path.
    /// Returns the path inside the chart, or an error message saying why the name is refused.
    /// </summary>
    public static bool TryNormalize(string entryName, out string path, out string error)
    {
        path = string.Empty;
        error = string.Empty;

        // An archive made on Windows may use '\' as its separator.
        var delimiter = entryName.Contains('\\', StringComparison.Ordinal) ? '\\' : '/';
        var parts = entryName.Split(delimiter);
        var n = string.Join(delimiter, parts.Skip(1)).Replace(delimiter, '/');

        if (n.StartsWith('/'))
        {
            error = "the chart illegally contains absolute paths; expected paths relative to the chart directory.";
            return false;
        }

        n = Clean(n);
        if (n == ".")
        {
            error = "the chart illegally contains content outside the base directory; expected every entry under one chart directory (for example mychart/Chart.yaml).";
            return false;
        }

        if (n.StartsWith("..", StringComparison.Ordinal))
        {
            error = "the chart illegally references its parent directory ('..'); expected paths inside the chart directory.";
            return false;
        }

        if (DrivePath().IsMatch(n))
        {
            error = "the chart contains an illegally named file (a Windows drive path); expected paths relative to the chart directory.";
            return false;
        }

        if (parts[0] == "Chart.yaml")
        {
            error = "Chart.yaml is not in the chart directory; expected the archive to hold one top-level directory (mychart/Chart.yaml).";
            return false;
        }

        path = n;
        return true;
    }

    /// <summary>Go's <c>path.Clean</c>: removes empty and <c>.</c> segments, folds <c>x/..</c>, keeps leading <c>..</c> of a relative path.</summary>
    public static string Clean(string p)
    {
        if (p.Length == 0)
        {
            return ".";
        }

        var rooted = p[0] == '/';
        var stack = new List<string>();
        foreach (var seg in p.Split('/'))
        {
            if (seg.Length == 0 || seg == ".")
            {
                continue;
            }

            if (seg == "..")
            {
                if (stack.Count > 0 && stack[^1] != "..")
                {
                    stack.RemoveAt(stack.Count - 1);
                }
                else if (!rooted)
                {
                    stack.Add("..");
                }

                continue;
            }

            stack.Add(seg);
        }

        var joined = string.Join('/', stack);
        if (rooted)
        {
            return "/" + joined;
        }

        return joined.Length == 0 ? "." : joined;
    }

    [GeneratedRegex("^[a-zA-Z]:/")]
    private static partial Regex DrivePath();
}

/// <summary>Reads the files of a gzip-compressed tar chart archive into memory, within the load limits.</summary>
internal static class ArchiveReader
{
    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    /// <summary>Tells whether the first bytes are a gzip header.</summary>
    public static bool LooksLikeGzip(ReadOnlySpan<byte> head) => head.Length >= 2 && head[0] == 0x1F && head[1] == 0x8B;

    public static async Task<List<BufferedFile>> ReadAsync(Stream compressed, LoadContext ctx, string prefix, CancellationToken cancellationToken)
    {
        var files = new List<BufferedFile>();
        var seen = new HashSet<string>(StringComparer.Ordinal);

        // Backstop for bytes TarReader consumes outside entry data (headers, PAX records, GNU long names): the whole
        // decompressed tar stream may not exceed the chart budget plus generous header room.
        var rawLimit = ctx.Remaining + (4096L * Math.Min(ctx.Options.MaxFileCount, 100_000)) + (1L << 20);
        await using var gzip = new GZipStream(compressed, CompressionMode.Decompress, leaveOpen: true);
        await using var limited = new LimitedReadStream(gzip, rawLimit);
        await using var tar = new TarReader(limited, leaveOpen: true);
        while (true)
        {
            TarEntry? entry;
            try
            {
                entry = await tar.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false);
            }
            catch (LimitExceededException)
            {
                throw ctx.Error($"the decompressed archive is larger than the maximum chart size of {ctx.Options.MaxChartSize} bytes (ChartLoadOptions.MaxChartSize).", prefix.Length == 0 ? null : prefix.TrimEnd('/'));
            }
            catch (Exception ex) when (IsFormatError(ex))
            {
                throw ctx.Error($"the archive is not a valid gzip-compressed tar file: {ex.Message}", prefix.Length == 0 ? null : prefix.TrimEnd('/'), ex);
            }

            if (entry is null)
            {
                break;
            }

            var display = prefix + entry.Name;
            switch (entry.EntryType)
            {
                case TarEntryType.Directory:
                case TarEntryType.GlobalExtendedAttributes:
                case TarEntryType.ExtendedAttributes:
                    continue;
                case TarEntryType.SymbolicLink:
                    throw ctx.Error($"the entry is a symbolic link (to '{entry.LinkName}'); links are not allowed in chart archives, expected regular files.", display);
                case TarEntryType.HardLink:
                    throw ctx.Error($"the entry is a hard link (to '{entry.LinkName}'); links are not allowed in chart archives, expected regular files.", display);
                case TarEntryType.RegularFile:
                case TarEntryType.V7RegularFile:
                case TarEntryType.ContiguousFile:
                    break;
                default:
                    throw ctx.Error($"the entry has type {entry.EntryType}; expected regular files and directories only.", display);
            }

            if (!ArchivePath.TryNormalize(entry.Name, out var name, out var pathError))
            {
                throw ctx.Error(pathError, display);
            }

            var entryPath = prefix + name;
            if (!seen.Add(name))
            {
                throw ctx.Error("the archive holds this file twice; expected each path once.", entryPath);
            }

            ctx.CountFile(entryPath);

            // Fail fast on the declared size before reading a byte of the entry.
            ctx.CheckDeclaredSize(entry.Length, entryPath);
            var data = await ReadEntryAsync(entry, ctx, entryPath, cancellationToken).ConfigureAwait(false);
            ctx.Consume(data.Length, entryPath);
            files.Add(new BufferedFile(name, StripBom(data)));
        }

        if (files.Count == 0)
        {
            throw ctx.Error("there are no files in the chart archive; expected at least a Chart.yaml.", prefix.Length == 0 ? null : prefix.TrimEnd('/'));
        }

        return files;
    }

    public static byte[] StripBom(byte[] data) => data.AsSpan().StartsWith(Utf8Bom) ? data[3..] : data;

    private static async Task<byte[]> ReadEntryAsync(TarEntry entry, LoadContext ctx, string entryPath, CancellationToken cancellationToken)
    {
        var declared = entry.Length;
        if (declared == 0 || entry.DataStream is null)
        {
            return [];
        }

        var buffer = new byte[declared];
        var read = 0;
        try
        {
            while (read < buffer.Length)
            {
                var n = await entry.DataStream.ReadAsync(buffer.AsMemory(read), cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    throw ctx.Error($"the archive ends inside this entry after {read} of its declared {declared} bytes; expected a complete archive.", entryPath);
                }

                read += n;
            }

            // The data stream is bounded by the declared size; a byte beyond it would mean a lying header.
            Span<byte> probe = stackalloc byte[1];
            if (entry.DataStream.Read(probe) != 0)
            {
                throw ctx.Error($"the entry holds more data than its declared {declared} bytes.", entryPath);
            }
        }
        catch (LimitExceededException)
        {
            throw ctx.Error($"the decompressed archive is larger than the maximum chart size of {ctx.Options.MaxChartSize} bytes (ChartLoadOptions.MaxChartSize).", entryPath);
        }
        catch (Exception ex) when (IsFormatError(ex))
        {
            throw ctx.Error($"the archive is not a valid gzip-compressed tar file: {ex.Message}", entryPath, ex);
        }

        return buffer;
    }

    private static bool IsFormatError(Exception ex) =>
        ex is InvalidDataException or EndOfStreamException or FormatException or OverflowException or NotSupportedException
            or ArgumentException or IOException;
}

/// <summary>Thrown by <see cref="LimitedReadStream"/> when more bytes than allowed are read.</summary>
internal sealed class LimitExceededException : Exception
{
    public LimitExceededException()
        : base("The read limit was exceeded.")
    {
    }
}

/// <summary>A read-only stream that throws once more than a fixed number of bytes have been read through it.</summary>
internal sealed class LimitedReadStream : Stream
{
    private readonly Stream _inner;
    private readonly long _limit;
    private long _read;

    public LimitedReadStream(Stream inner, long limit)
    {
        _inner = inner;
        _limit = limit;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = _inner.Read(buffer);
        return Count(n);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        return Count(n);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int Count(int n)
    {
        _read += n;
        if (_read > _limit)
        {
            throw new LimitExceededException();
        }

        return n;
    }
}
