using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Platform.Logging.Decoding;

/// <summary>
/// Turns the bytes of one source into decoded lines: splits physical lines, removes the docker/CRI envelope, reassembles
/// docker fragments and CRI partials per stream, and transcodes UTF-8 into one reused char buffer.
/// </summary>
/// <remarks>
/// Allocation-free per line once warmed up: every buffer is rented from <see cref="ArrayPool{T}.Shared"/> and reused.
/// Memory is bounded by <see cref="PhysicalLineCap"/> (one carried physical line), one reassembly buffer of at most
/// <see cref="LogLimits.MaxLineBytes"/> per (format, stream), and the char buffer. The output does not depend on how the
/// input is cut into chunks. Not thread-safe.
/// </remarks>
internal sealed class LogDecoder : IDisposable
{
    /// <summary>How many undecided lines auto-detection looks at before settling on plain text.</summary>
    public const int DetectionLines = 16;

    private const int EnvelopeSlack = 4096;

    /// <summary>How many bytes of the cut-off end of an overlong line are kept (docker writes <c>stream</c> and <c>time</c> after <c>log</c>).</summary>
    private const int TailWindow = 256;
    private const int MinPhysicalCap = 64 * 1024;
    private const int DockerSlot = 0;
    private const int CriSlot = 1;

    private readonly LogFormat _format;
    private readonly LogLimits _limits;
    private readonly IDecodedLineSink _sink;
    private readonly Pending?[] _pending = new Pending?[6];
    private LogFormat _detected;
    private int _undecided;

    private byte[] _carry = [];
    private int _carryLength;
    private bool _overflow;
    private readonly byte[] _tail = new byte[TailWindow];
    private int _tailLength;
    private byte[] _scratch = [];
    private char[] _chars = [];

    public LogDecoder(LogFormat format, LogLimits limits, IDecodedLineSink sink)
    {
        _format = format;
        _limits = limits;
        _sink = sink;
        _detected = format;
        PhysicalLineCap = Math.Max(limits.MaxLineBytes, MinPhysicalCap) + EnvelopeSlack;
    }

    /// <summary>Gets the longest physical line (envelope included) held in memory; longer lines are cut and marked.</summary>
    public int PhysicalLineCap { get; }

    /// <summary>Gets the bytes consumed so far.</summary>
    public long Bytes { get; private set; }

    /// <summary>Gets the physical lines seen so far.</summary>
    public long PhysicalLines { get; private set; }

    /// <summary>Gets the format in use: the configured one, or what auto-detection settled on (<see cref="LogFormat.Auto"/> while undecided).</summary>
    public LogFormat DetectedFormat => _detected;

    /// <summary>Gets the bytes of every buffer the decoder holds (for bound checks).</summary>
    public long BufferedBytes
    {
        get
        {
            long total = _carry.Length + _scratch.Length + ((long)_chars.Length * sizeof(char));
            foreach (Pending? p in _pending)
            {
                total += p?.Buffer.Length ?? 0;
            }

            return total;
        }
    }

    /// <summary>Consumes a chunk of input; completed lines go to the sink.</summary>
    public void Write(ReadOnlySpan<byte> data)
    {
        Bytes += data.Length;
        while (!data.IsEmpty)
        {
            int newline = data.IndexOf((byte)'\n');
            if (newline < 0)
            {
                Carry(data);
                return;
            }

            if (_carryLength == 0 && !_overflow)
            {
                ReadOnlySpan<byte> line = data[..newline];
                if (line.Length <= PhysicalLineCap)
                {
                    EndPhysicalLine(line, truncated: false, terminated: true);
                }
                else
                {
                    NoteDiscarded(line[PhysicalLineCap..]);
                    EndPhysicalLine(line[..PhysicalLineCap], truncated: true, terminated: true);
                    _tailLength = 0;
                }
            }
            else
            {
                Carry(data[..newline]);
                EndPhysicalLine(_carry.AsSpan(0, _carryLength), _overflow, terminated: true);
                _carryLength = 0;
                _overflow = false;
                _tailLength = 0;
            }

            data = data[(newline + 1)..];
        }
    }

    /// <summary>Ends the input: the last unterminated line, then every pending fragment (flagged <see cref="LogRecordFlags.IncompletePartial"/>).</summary>
    public void Complete()
    {
        if (_carryLength > 0 || _overflow)
        {
            EndPhysicalLine(_carry.AsSpan(0, _carryLength), _overflow, terminated: false);
            _carryLength = 0;
            _overflow = false;
            _tailLength = 0;
        }

        FlushPending();
    }

    public void Dispose()
    {
        Return(ref _carry);
        Return(ref _scratch);
        if (_chars.Length > 0)
        {
            ArrayPool<char>.Shared.Return(_chars);
            _chars = [];
        }

        foreach (Pending? p in _pending)
        {
            if (p is not null)
            {
                Return(ref p.Buffer);
            }
        }
    }

    private static void Return(ref byte[] buffer)
    {
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = [];
        }
    }

    private static void Grow(ref byte[] buffer, int needed, int cap)
    {
        if (buffer.Length >= needed)
        {
            return;
        }

        int size = Math.Min(Math.Max(Math.Max(needed, 4096), buffer.Length * 2), Math.Max(cap, needed));
        byte[] next = ArrayPool<byte>.Shared.Rent(size);
        buffer.AsSpan().CopyTo(next);
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        buffer = next;
    }

    /// <summary>Cuts UTF-8 at <paramref name="max"/> bytes without splitting a character.</summary>
    private static ReadOnlySpan<byte> CutUtf8(ReadOnlySpan<byte> bytes, int max)
    {
        if (bytes.Length <= max)
        {
            return bytes;
        }

        int end = max;
        // Back off over continuation bytes (10xxxxxx) so the cut lands on a character start; at most 3 for valid UTF-8.
        for (int i = 0; i < 3 && end > 0 && (bytes[end] & 0xC0) == 0x80; i++)
        {
            end--;
        }

        return bytes[..end];
    }

    private void Carry(ReadOnlySpan<byte> data)
    {
        if (_overflow)
        {
            NoteDiscarded(data);
            return;
        }

        int room = PhysicalLineCap - _carryLength;
        if (data.Length > room)
        {
            NoteDiscarded(data[room..]);
            data = data[..room];
            _overflow = true;
        }

        Grow(ref _carry, _carryLength + data.Length, PhysicalLineCap);
        data.CopyTo(_carry.AsSpan(_carryLength));
        _carryLength += data.Length;
    }

    /// <summary>Keeps the last <see cref="TailWindow"/> bytes of what an overlong line loses.</summary>
    private void NoteDiscarded(ReadOnlySpan<byte> discarded)
    {
        if (discarded.Length >= TailWindow)
        {
            discarded[^TailWindow..].CopyTo(_tail);
            _tailLength = TailWindow;
            return;
        }

        int keep = Math.Min(_tailLength, TailWindow - discarded.Length);
        _tail.AsSpan(_tailLength - keep, keep).CopyTo(_tail);
        discarded.CopyTo(_tail.AsSpan(keep));
        _tailLength = keep + discarded.Length;
    }

    private void EndPhysicalLine(ReadOnlySpan<byte> line, bool truncated, bool terminated)
    {
        PhysicalLines++;
        if (terminated && !truncated && line.Length > 0 && line[^1] == '\r')
        {
            line = line[..^1];
        }

        LogRecordFlags flags = truncated ? LogRecordFlags.LineTruncated : LogRecordFlags.None;
        switch (_detected)
        {
            case LogFormat.Raw:
                Emit(line, null, DecodedLine.NoNanosecond, LogStream.Unknown, flags);
                return;
            case LogFormat.Docker:
                if (!TryDocker(line, flags) && (_format == LogFormat.Docker || !TryCri(line, flags)))
                {
                    Malformed(line, flags);
                }

                return;
            case LogFormat.Cri:
                if (!TryCri(line, flags) && (_format == LogFormat.Cri || !TryDocker(line, flags)))
                {
                    Malformed(line, flags);
                }

                return;
            default:
                if (TryDocker(line, flags))
                {
                    _detected = LogFormat.Docker;
                }
                else if (TryCri(line, flags))
                {
                    _detected = LogFormat.Cri;
                }
                else
                {
                    Emit(line, null, DecodedLine.NoNanosecond, LogStream.Unknown, flags);
                    if (line.Length > 0 && ++_undecided >= DetectionLines)
                    {
                        _detected = LogFormat.Raw;
                    }
                }

                return;
        }
    }

    private void Malformed(ReadOnlySpan<byte> line, LogRecordFlags flags)
    {
        // An interrupted fragment chain is not continued across a foreign line (as Fluent Bit does).
        FlushPending();
        Emit(line, null, DecodedLine.NoNanosecond, LogStream.Unknown, flags | LogRecordFlags.MalformedEnvelope);
    }

    private bool TryDocker(ReadOnlySpan<byte> line, LogRecordFlags flags)
    {
        if (line.IsEmpty || line[0] != '{')
        {
            return false;
        }

        if ((flags & LogRecordFlags.LineTruncated) != 0)
        {
            return TryDockerTruncated(line, flags);
        }

        if (!TryDockerCanonical(line, out ReadOnlySpan<byte> log, out bool escaped, out LogStream stream, out DateTimeOffset? time, out int nanos)
            && !TryDockerJson(line, out log, out escaped, out stream, out time, out nanos))
        {
            return false;
        }

        ReadOnlySpan<byte> content = log;
        if (escaped)
        {
            Grow(ref _scratch, log.Length, log.Length);
            int n = JsonString.Unescape(log, _scratch);
            content = _scratch.AsSpan(0, n);
        }

        // The log field keeps the container's newline: without one it is a fragment of a line docker split at 16 KiB.
        // An empty log (never written by docker itself) is taken as a complete empty line.
        bool complete = content.IsEmpty || content[^1] == '\n';
        if (complete && !content.IsEmpty)
        {
            content = content[..^1];
            if (!content.IsEmpty && content[^1] == '\r')
            {
                content = content[..^1];
            }
        }

        Fragment(DockerSlot, stream, time, nanos, content, partial: !complete, flags);
        return true;
    }

    /// <summary>
    /// The fast path for exactly what docker's json-file driver writes — <c>{"log":"…","stream":"…","time":"…"}</c> in this order,
    /// without spaces. Anything else (extra fields such as <c>attrs</c>, another order, whitespace) goes to <see cref="TryDockerJson"/>.
    /// </summary>
    private static bool TryDockerCanonical(ReadOnlySpan<byte> line, out ReadOnlySpan<byte> log, out bool escaped, out LogStream stream, out DateTimeOffset? time, out int nanos)
    {
        log = default;
        escaped = false;
        stream = LogStream.Unknown;
        time = null;
        nanos = DecodedLine.NoNanosecond;
        ReadOnlySpan<byte> head = "{\"log\":\""u8;
        if (!line.StartsWith(head))
        {
            return false;
        }

        ReadOnlySpan<byte> rest = line[head.Length..];
        int i = 0;
        while (true)
        {
            int stop = rest[i..].IndexOfAny((byte)'"', (byte)'\\');
            if (stop < 0)
            {
                return false;
            }

            i += stop;
            if (rest[i] == '"')
            {
                break;
            }

            escaped = true;
            i += 2;
            if (i >= rest.Length)
            {
                return false;
            }
        }

        log = rest[..i];
        // Control characters must be escaped in JSON; a raw one means this is not a docker line (leave it to the strict path).
        if (log.IndexOfAnyInRange((byte)0, (byte)0x1F) >= 0)
        {
            return false;
        }

        rest = rest[(i + 1)..];
        ReadOnlySpan<byte> streamKey = ",\"stream\":\""u8;
        if (!rest.StartsWith(streamKey))
        {
            return false;
        }

        rest = rest[streamKey.Length..];
        if (rest.StartsWith("stdout\""u8))
        {
            stream = LogStream.Stdout;
        }
        else if (rest.StartsWith("stderr\""u8))
        {
            stream = LogStream.Stderr;
        }
        else
        {
            return false;
        }

        rest = rest[7..];
        ReadOnlySpan<byte> timeKey = ",\"time\":\""u8;
        if (!rest.StartsWith(timeKey) || !rest.EndsWith("\"}"u8))
        {
            return false;
        }

        rest = rest[timeKey.Length..^2];
        if (!Rfc3339.TryParse(rest, out DateTimeOffset t, out int ns))
        {
            return false;
        }

        time = t;
        nanos = ns;
        return true;
    }

    /// <summary>The general path: any valid JSON object with a string <c>log</c>; <c>stream</c> and <c>time</c> optional, other fields skipped.</summary>
    private static bool TryDockerJson(ReadOnlySpan<byte> line, out ReadOnlySpan<byte> log, out bool escaped, out LogStream stream, out DateTimeOffset? time, out int nanos)
    {
        log = default;
        escaped = false;
        stream = LogStream.Unknown;
        time = null;
        nanos = DecodedLine.NoNanosecond;
        bool hasLog = false;
        var reader = new Utf8JsonReader(line, new JsonReaderOptions { MaxDepth = 16 });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("log"u8))
                {
                    if (!reader.Read() || reader.TokenType != JsonTokenType.String)
                    {
                        return false;
                    }

                    log = reader.ValueSpan;
                    escaped = reader.ValueIsEscaped;
                    hasLog = true;
                }
                else if (reader.ValueTextEquals("stream"u8))
                {
                    if (!reader.Read() || reader.TokenType != JsonTokenType.String)
                    {
                        return false;
                    }

                    stream = reader.ValueTextEquals("stdout"u8) ? LogStream.Stdout : reader.ValueTextEquals("stderr"u8) ? LogStream.Stderr : LogStream.Unknown;
                }
                else if (reader.ValueTextEquals("time"u8))
                {
                    if (!reader.Read() || reader.TokenType != JsonTokenType.String)
                    {
                        return false;
                    }

                    if (!reader.ValueIsEscaped && Rfc3339.TryParse(reader.ValueSpan, out DateTimeOffset t, out int ns))
                    {
                        time = t;
                        nanos = ns;
                    }
                }
                else
                {
                    reader.Skip();
                }
            }

            return reader.TokenType == JsonTokenType.EndObject && !reader.Read() && hasLog;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>
    /// A docker envelope cut at <see cref="PhysicalLineCap"/>: keeps what arrived of the <c>log</c> value, and reads
    /// <c>stream</c>, <c>time</c> and whether the value ended with <c>\n</c> from the kept end of the line.
    /// </summary>
    private bool TryDockerTruncated(ReadOnlySpan<byte> line, LogRecordFlags flags)
    {
        ReadOnlySpan<byte> prefix = "{\"log\":\""u8;
        if (!line.StartsWith(prefix))
        {
            return false;
        }

        ReadOnlySpan<byte> value = line[prefix.Length..];
        for (int i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\')
            {
                i++;
            }
            else if (value[i] == '"')
            {
                value = value[..i];
                break;
            }
        }

        LogStream stream = LogStream.Unknown;
        DateTimeOffset? time = null;
        int nanos = DecodedLine.NoNanosecond;
        bool complete = true;
        // The line's end: the last kept bytes followed by the last discarded ones (the cut may fall inside the fields).
        Span<byte> joined = stackalloc byte[2 * TailWindow];
        ReadOnlySpan<byte> keptEnd = line[Math.Max(0, line.Length - TailWindow)..];
        keptEnd.CopyTo(joined);
        _tail.AsSpan(0, _tailLength).CopyTo(joined[keptEnd.Length..]);
        ReadOnlySpan<byte> tail = joined[..(keptEnd.Length + _tailLength)];
        int at = tail.LastIndexOf("\",\"stream\":\""u8);
        if (at >= 0)
        {
            ReadOnlySpan<byte> after = tail[(at + 12)..];
            stream = after.StartsWith("stdout\""u8) ? LogStream.Stdout : after.StartsWith("stderr\""u8) ? LogStream.Stderr : LogStream.Unknown;
            int t = after.IndexOf("\"time\":\""u8);
            if (t >= 0)
            {
                ReadOnlySpan<byte> stamp = after[(t + 8)..];
                int quote = stamp.IndexOf((byte)'"');
                if (quote > 0 && Rfc3339.TryParse(stamp[..quote], out DateTimeOffset parsed, out int ns))
                {
                    time = parsed;
                    nanos = ns;
                }
            }

            // The value ended with the escape "\n" when an odd run of backslashes precedes that n.
            ReadOnlySpan<byte> end = tail[..at];
            int slashes = 0;
            if (end.Length >= 2 && end[^1] == 'n')
            {
                for (int i = end.Length - 2; i >= 0 && end[i] == '\\'; i--)
                {
                    slashes++;
                }
            }

            complete = slashes % 2 == 1;
        }

        Grow(ref _scratch, value.Length, value.Length);
        int n = JsonString.Unescape(value, _scratch);
        Fragment(DockerSlot, stream, time, nanos, _scratch.AsSpan(0, n), partial: !complete, flags);
        return true;
    }

    private bool TryCri(ReadOnlySpan<byte> line, LogRecordFlags flags)
    {
        int space = line.IndexOf((byte)' ');
        if (space < 20 || !Rfc3339.TryParse(line[..space], out DateTimeOffset time, out int nanos))
        {
            return false;
        }

        ReadOnlySpan<byte> rest = line[(space + 1)..];
        LogStream stream;
        if (rest.StartsWith("stdout"u8))
        {
            stream = LogStream.Stdout;
        }
        else if (rest.StartsWith("stderr"u8))
        {
            stream = LogStream.Stderr;
        }
        else
        {
            return false;
        }

        if (rest.Length > 6 && rest[6] == ' ')
        {
            rest = rest[7..];
        }
        else
        {
            return false;
        }

        // The tag field (P = partial, F = full); legacy runtimes wrote no tag, the rest is then the message.
        bool partial = false;
        if (rest.Length >= 1 && (rest[0] == 'P' || rest[0] == 'F') && (rest.Length == 1 || rest[1] == ' '))
        {
            partial = rest[0] == 'P';
            rest = rest.Length == 1 ? default : rest[2..];
        }

        Fragment(CriSlot, stream, time, nanos, rest, partial, flags);
        return true;
    }

    private void Fragment(int slot, LogStream stream, DateTimeOffset? time, int nanos, ReadOnlySpan<byte> content, bool partial, LogRecordFlags flags)
    {
        int index = (slot * 3) + (int)stream;
        Pending? p = _pending[index];
        if (!partial && (p is null || !p.Active))
        {
            Emit(content, time, nanos, stream, flags);
            return;
        }

        p ??= _pending[index] = new Pending();
        if (!p.Active)
        {
            p.Active = true;
            p.Length = 0;
            p.Time = time;
            p.Nanos = nanos;
            p.Flags = LogRecordFlags.None;
        }

        p.Flags |= flags;
        // A few bytes past the limit are kept so Emit sees the overflow and cuts on a character boundary.
        int cap = _limits.MaxLineBytes + 4;
        int room = cap - p.Length;
        if (content.Length > room)
        {
            content = content[..Math.Max(room, 0)];
            p.Flags |= LogRecordFlags.LineTruncated;
        }

        Grow(ref p.Buffer, p.Length + content.Length, cap);
        content.CopyTo(p.Buffer.AsSpan(p.Length));
        p.Length += content.Length;
        if (!partial)
        {
            p.Active = false;
            Emit(p.Buffer.AsSpan(0, p.Length), p.Time, p.Nanos, stream, p.Flags);
        }
    }

    private void FlushPending()
    {
        for (int i = 0; i < _pending.Length; i++)
        {
            Pending? p = _pending[i];
            if (p is { Active: true })
            {
                p.Active = false;
                Emit(p.Buffer.AsSpan(0, p.Length), p.Time, p.Nanos, (LogStream)(i % 3), p.Flags | LogRecordFlags.IncompletePartial);
            }
        }
    }

    private void Emit(ReadOnlySpan<byte> content, DateTimeOffset? time, int nanos, LogStream stream, LogRecordFlags flags)
    {
        if (content.Length > _limits.MaxLineBytes)
        {
            content = CutUtf8(content, _limits.MaxLineBytes);
            flags |= LogRecordFlags.LineTruncated;
        }

        string marker = _limits.TruncationMarker;
        int needed = content.Length + marker.Length;
        if (_chars.Length < needed)
        {
            if (_chars.Length > 0)
            {
                ArrayPool<char>.Shared.Return(_chars);
            }

            _chars = ArrayPool<char>.Shared.Rent(Math.Max(needed, 1024));
        }

        OperationStatus status = Utf8.ToUtf16(content, _chars, out _, out int written, replaceInvalidSequences: false);
        if (status != OperationStatus.Done)
        {
            Utf8.ToUtf16(content, _chars, out _, out written, replaceInvalidSequences: true);
            flags |= LogRecordFlags.InvalidUtf8;
        }

        if ((flags & LogRecordFlags.LineTruncated) != 0)
        {
            marker.CopyTo(_chars.AsSpan(written));
            written += marker.Length;
        }

        _sink.OnLine(new DecodedLine(time, nanos, stream, _chars.AsSpan(0, written), flags));
    }

    private sealed class Pending
    {
        public byte[] Buffer = [];
        public int Length;
        public bool Active;
        public DateTimeOffset? Time;
        public int Nanos;
        public LogRecordFlags Flags;
    }
}
