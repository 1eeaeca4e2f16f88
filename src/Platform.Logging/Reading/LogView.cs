using System.Buffers;
using System.Runtime.CompilerServices;

namespace Platform.Logging;

/// <summary>Viewer helpers (tail-N, since-T, byte limit) that never load a whole log.</summary>
/// <remarks>Thread-safe; each call works on its own stream or sequence.</remarks>
public static class LogView
{
    private const int BlockSize = 64 * 1024;

    /// <summary>Finds where the last <paramref name="lines"/> physical lines of a seekable stream start, reading backwards from the end in 64 KiB blocks.</summary>
    /// <param name="stream">A seekable, readable stream; its position is changed.</param>
    /// <param name="lines">How many lines; a newline ending the stream does not start a line.</param>
    /// <param name="cancellationToken">Cancels the search.</param>
    /// <returns>The byte offset to read from (0 when the stream has fewer lines).</returns>
    public static async Task<long> FindTailStartAsync(Stream stream, int lines, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfNegative(lines);
        if (!stream.CanSeek)
        {
            throw new ArgumentException("The stream must be seekable.", nameof(stream));
        }

        long end = stream.Length;
        if (lines == 0)
        {
            return end;
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent(BlockSize);
        try
        {
            long position = end;
            int found = 0;
            while (position > 0)
            {
                int count = (int)Math.Min(BlockSize, position);
                position -= count;
                stream.Position = position;
                await stream.ReadExactlyAsync(buffer.AsMemory(0, count), cancellationToken).ConfigureAwait(false);
                ReadOnlySpan<byte> block = buffer.AsSpan(0, count);
                if (position + count == end && block[^1] == '\n')
                {
                    block = block[..^1];
                }

                for (int i = block.LastIndexOf((byte)'\n'); i >= 0; i = block.LastIndexOf((byte)'\n'))
                {
                    if (++found == lines)
                    {
                        return position + i + 1;
                    }

                    block = block[..i];
                }
            }

            return 0;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Wraps a stream so at most <paramref name="maxBytes"/> are read from it.</summary>
    /// <param name="stream">The inner stream; disposed with the wrapper only when <paramref name="leaveOpen"/> is <see langword="false"/>.</param>
    /// <param name="maxBytes">The byte limit, positive.</param>
    /// <param name="leaveOpen">Whether the inner stream stays open when the wrapper is disposed.</param>
    /// <returns>A read-only stream.</returns>
    public static Stream LimitBytes(Stream stream, long maxBytes, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        return new LimitedStream(stream, maxBytes, leaveOpen);
    }

    /// <summary>Keeps the records at or after <paramref name="since"/>; records without a time are kept once a timed record passed.</summary>
    /// <param name="records">The records.</param>
    /// <param name="since">The earliest time.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The filtered records.</returns>
    public static async IAsyncEnumerable<LogRecord> SinceAsync(IAsyncEnumerable<LogRecord> records, DateTimeOffset since, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        bool started = false;
        await foreach (LogRecord record in records.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (record.Time is { } time)
            {
                started = time >= since;
            }

            if (started)
            {
                yield return record;
            }
        }
    }

    /// <summary>Keeps the last records that together hold at most <paramref name="lines"/> physical lines (for inputs that cannot seek).</summary>
    /// <param name="records">The records.</param>
    /// <param name="lines">How many lines.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The last records, in order, once the input ended. Memory: at most <paramref name="lines"/> records.</returns>
    public static async IAsyncEnumerable<LogRecord> TailAsync(IAsyncEnumerable<LogRecord> records, int lines, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentOutOfRangeException.ThrowIfNegative(lines);
        var window = new Queue<LogRecord>();
        long held = 0;
        await foreach (LogRecord record in records.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            window.Enqueue(record);
            held += record.Lines;
            while (held > lines && window.Count > 0)
            {
                held -= window.Dequeue().Lines;
            }
        }

        foreach (LogRecord record in window)
        {
            yield return record;
        }
    }

    private sealed class LimitedStream(Stream inner, long maxBytes, bool leaveOpen) : Stream
    {
        private readonly long _limit = maxBytes;
        private long _remaining = maxBytes;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _limit - _remaining; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_remaining <= 0)
            {
                return 0;
            }

            int n = inner.Read(buffer[..(int)Math.Min(buffer.Length, _remaining)]);
            _remaining -= n;
            return n;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_remaining <= 0)
            {
                return 0;
            }

            int n = await inner.ReadAsync(buffer[..(int)Math.Min(buffer.Length, _remaining)], cancellationToken).ConfigureAwait(false);
            _remaining -= n;
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing && !leaveOpen)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
