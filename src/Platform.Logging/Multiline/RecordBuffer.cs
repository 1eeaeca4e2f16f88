using System.Buffers;
using System.Text;
using Platform.Logging.Decoding;

namespace Platform.Logging.Multiline;

/// <summary>Accumulates the lines of one open record in a pooled char buffer; builds the message string once per record.</summary>
/// <remarks>
/// Size accounting follows the file layout: every line counts its UTF-8 bytes plus one for its newline, which is how
/// both Filebeat (<c>max_bytes</c>) and Google's exception detector (<c>max_bytes</c>) measure a buffered event.
/// UTF-8 sizes are counted lazily: a char is at most 3 UTF-8 bytes, so while that upper bound stays under the limit no
/// byte is counted; past it, the not-yet-counted tail is measured once (amortised linear).
/// Not thread-safe: one instance per joiner.
/// </remarks>
internal sealed class RecordBuffer
{
    private const int InitialChars = 4096;

    // A buffer that grew past this is handed back after the record, so one huge record does not pin memory.
    private const int RetainedChars = 256 * 1024;

    private char[] _chars;
    private int _length;
    private int _firstLineLength;
    private long _exactBytes;   // UTF-8 bytes of _chars[0.._exactChars)
    private int _exactChars;
    private DateTimeOffset? _time;
    private int _nanos = DecodedLine.NoNanosecond;
    private LogStream _stream;
    private LogRecordFlags _flags;

    public RecordBuffer(int maxLines, int maxBytes)
    {
        MaxLines = maxLines;
        MaxBytes = maxBytes;
        _chars = ArrayPool<char>.Shared.Rent(InitialChars);
    }

    public int MaxLines { get; }

    public int MaxBytes { get; }

    public int Lines { get; private set; }

    public bool IsEmpty => Lines == 0;

    /// <summary>Gets whether the record already holds the most lines allowed.</summary>
    public bool IsFull => Lines >= MaxLines;

    /// <summary>Returns whether <paramref name="text"/>, after <paramref name="blankLines"/> held blank lines, can join the open record without passing a limit (an empty record takes any line).</summary>
    public bool Fits(ReadOnlySpan<char> text, int blankLines = 0)
    {
        if (Lines == 0)
        {
            return true;
        }

        if (Lines >= MaxLines)
        {
            return false;
        }

        // Size as in the file: the buffer (lines and the newlines between them), its last newline, the held blank
        // lines' newlines, the new line and its newline.
        var fixedPart = 2L + blankLines;
        if (_exactBytes + (3L * (_length - _exactChars)) + (3L * text.Length) + fixedPart <= MaxBytes)
        {
            return true;
        }

        _exactBytes += Encoding.UTF8.GetByteCount(_chars.AsSpan(_exactChars, _length - _exactChars));
        _exactChars = _length;
        return _exactBytes + Encoding.UTF8.GetByteCount(text) + fixedPart <= MaxBytes;
    }

    /// <summary>Appends a line.</summary>
    public void Append(DateTimeOffset? time, int nanos, LogStream stream, ReadOnlySpan<char> text, LogRecordFlags flags)
    {
        var needed = _length + text.Length + 1;
        if (needed > _chars.Length)
        {
            Grow(needed);
        }

        if (Lines == 0)
        {
            _time = time;
            _nanos = nanos;
            _stream = stream;
            _firstLineLength = text.Length;
        }
        else
        {
            _chars[_length++] = '\n';
        }

        text.CopyTo(_chars.AsSpan(_length));
        _length += text.Length;
        _flags |= flags;
        Lines++;
    }

    /// <summary>Builds the record from the buffered lines and empties the buffer.</summary>
    public LogRecord Build(LogRecordFlags extraFlags)
    {
        var chars = _chars.AsSpan(0, _length);
        var record = new LogRecord
        {
            Time = _time,
            TimeNanosecond = Exact(_time, _nanos),
            Stream = _stream,
            Message = new string(chars),
            Lines = Lines,
            Level = LevelDetector.Detect(chars[.._firstLineLength]),
            Flags = _flags | extraFlags,
        };
        Clear();
        return record;
    }

    /// <summary>Builds a one-line record straight from <paramref name="text"/>, bypassing the buffer.</summary>
    public static LogRecord Single(DateTimeOffset? time, int nanos, LogStream stream, ReadOnlySpan<char> text, LogRecordFlags flags) =>
        Single(time, nanos, stream, text, flags, LevelDetector.Detect(text));

    /// <summary>Builds a one-line record whose level is already known.</summary>
    public static LogRecord Single(DateTimeOffset? time, int nanos, LogStream stream, ReadOnlySpan<char> text, LogRecordFlags flags, string? level) => new()
    {
        Time = time,
        TimeNanosecond = Exact(time, nanos),
        Stream = stream,
        Message = new string(text),
        Lines = 1,
        Level = level,
        Flags = flags,
    };

    /// <summary>Returns the record's exact nanoseconds: only with a time, and only when the decoder read them.</summary>
    internal static int? Exact(DateTimeOffset? time, int nanos) => time is not null && nanos >= 0 ? nanos : null;

    private void Clear()
    {
        _length = 0;
        _firstLineLength = 0;
        _exactBytes = 0;
        _exactChars = 0;
        _time = null;
        _nanos = DecodedLine.NoNanosecond;
        _stream = LogStream.Unknown;
        _flags = LogRecordFlags.None;
        Lines = 0;
        if (_chars.Length > RetainedChars)
        {
            ArrayPool<char>.Shared.Return(_chars);
            _chars = ArrayPool<char>.Shared.Rent(InitialChars);
        }
    }

    private void Grow(int needed)
    {
        var next = ArrayPool<char>.Shared.Rent(Math.Max(needed, _chars.Length * 2));
        _chars.AsSpan(0, _length).CopyTo(next);
        ArrayPool<char>.Shared.Return(_chars);
        _chars = next;
    }
}
