using System.Text;
using Platform.Logging.Multiline;

namespace Platform.Logging.Tests;

/// <summary>Runs inputs through <see cref="LogReader"/> with every line its own record (decoding only).</summary>
internal static class Decode
{
    public static LogReaderOptions Options(LogFormat format = LogFormat.Auto, int maxLineBytes = 1024 * 1024) => new()
    {
        Format = format,
        Multiline = new MultilineOptions { Profile = MultilineProfile.None, ParseJson = false },
        Limits = new LogLimits { MaxLineBytes = maxLineBytes },
    };

    public static List<LogRecord> Text(string input, LogFormat format = LogFormat.Auto) =>
        Bytes(Encoding.UTF8.GetBytes(input), Options(format));

    public static List<LogRecord> Lines(IEnumerable<string> lines, LogFormat format = LogFormat.Auto) =>
        Text(string.Concat(lines.Select(l => l + "\n")), format);

    public static List<LogRecord> Bytes(byte[] input, LogReaderOptions options, int? chunk = null) =>
        Stream(chunk is null ? new MemoryStream(input) : new ChunkedStream(input, chunk.Value), options);

    public static List<LogRecord> Stream(Stream stream, LogReaderOptions options)
    {
        var list = new List<LogRecord>();
        ForEach(stream, options, list.Add);
        return list;
    }

    /// <summary>Enumerates synchronously on this thread (the test streams complete every read at once), so per-thread allocation counts hold.</summary>
    public static void ForEach(Stream stream, LogReaderOptions options, Action<LogRecord> action)
    {
        var e = LogReader.ReadAsync(stream, options).GetAsyncEnumerator();
        try
        {
            while (e.MoveNextAsync().AsTask().GetAwaiter().GetResult())
            {
                action(e.Current);
            }
        }
        finally
        {
            e.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }
}

/// <summary>A read-only stream that returns at most a given number of bytes per read (or random sizes from a seed).</summary>
internal sealed class ChunkedStream(byte[] data, int maxChunk, int? seed = null) : Stream
{
    private readonly Random? _random = seed is null ? null : new Random(seed.Value);
    private int _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => data.Length;

    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int limit = _random is null ? maxChunk : _random.Next(1, maxChunk + 1);
        int n = Math.Min(Math.Min(limit, buffer.Length), data.Length - _position);
        data.AsSpan(_position, n).CopyTo(buffer);
        _position += n;
        return n;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

/// <summary>Generates a long input without holding it: <paramref name="head"/>, then <paramref name="fill"/> repeated up to <paramref name="length"/> bytes, then <paramref name="tail"/>.</summary>
internal sealed class GeneratedStream(byte[] head, byte[] fill, long length, byte[] tail) : Stream
{
    private long _position;

    public long Total => head.Length + length + tail.Length;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => Total;

    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int written = 0;
        while (written < buffer.Length && _position < Total)
        {
            byte b;
            if (_position < head.Length)
            {
                b = head[_position];
            }
            else if (_position < head.Length + length)
            {
                // Copy whole runs of the fill pattern for speed.
                long offsetInFill = (_position - head.Length) % fill.Length;
                int run = (int)Math.Min(Math.Min(fill.Length - offsetInFill, buffer.Length - written), head.Length + length - _position);
                fill.AsSpan((int)offsetInFill, run).CopyTo(buffer[written..]);
                written += run;
                _position += run;
                continue;
            }
            else
            {
                b = tail[_position - head.Length - length];
            }

            buffer[written++] = b;
            _position++;
        }

        return written;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
