using Platform.Logging.Decoding;
using Platform.Logging.JsonLogs;

namespace Platform.Logging.Multiline;

/// <summary>What every joiner shares: the pooled record buffer, JSON lines, limits bookkeeping and the idle timeout.</summary>
/// <remarks>
/// Idle time is measured between <see cref="FlushIdle"/> calls, without reading a clock per line: a call that sees new
/// lines since the previous call only notes <c>now</c>; a later call closes the open record once <c>now</c> is at least
/// the timeout past that note. Callers therefore call <see cref="FlushIdle"/> periodically (for example every second)
/// while the input is quiet; a record then closes between timeout and timeout + one call interval after its last line.
/// </remarks>
internal abstract class JoinerBase : ILineJoiner
{
    private readonly bool _parseJson;
    private readonly TimeSpan _timeout;
    private long _activity;
    private long _activityAtMark = -1;
    private DateTimeOffset _mark;
    private bool _afterSplit;

    protected JoinerBase(int maxLines, int maxBytes, TimeSpan timeout, bool parseJson)
    {
        Buffer = new RecordBuffer(maxLines, maxBytes);
        _timeout = timeout;
        _parseJson = parseJson;
    }

    protected RecordBuffer Buffer { get; }

    /// <summary>Gets whether a record (or a held line) is open.</summary>
    protected virtual bool HasOpen => !Buffer.IsEmpty;

    public void Add(scoped in DecodedLine line, ICollection<LogRecord> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _activity++;
        if (_parseJson && JsonLogLine.LooksLikeJson(line.Text)
            && JsonLogLine.TryParse(line.Text, line.Time, line.TimeNanosecond, line.Stream, line.Flags, out var json))
        {
            // A JSON line is a complete event: it closes whatever is open and never joins a neighbour.
            Close(output, LogRecordFlags.None);
            output.Add(json);
            return;
        }

        AddLine(line, output);
    }

    public void FlushIdle(DateTimeOffset now, ICollection<LogRecord> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (_timeout <= TimeSpan.Zero)
        {
            return;
        }

        if (_activity != _activityAtMark)
        {
            _activityAtMark = _activity;
            _mark = now;
            return;
        }

        if (HasOpen && now - _mark >= _timeout)
        {
            Close(output, LogRecordFlags.FlushedByTimeout);
        }
    }

    public void Flush(ICollection<LogRecord> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        Close(output, LogRecordFlags.None);
    }

    /// <summary>Handles one non-JSON line.</summary>
    protected abstract void AddLine(scoped in DecodedLine line, ICollection<LogRecord> output);

    /// <summary>Closes the open record (and anything held) and returns to the initial state.</summary>
    protected virtual void Close(ICollection<LogRecord> output, LogRecordFlags flags) => Emit(output, flags);

    /// <summary>Emits the buffered record, if any.</summary>
    protected void Emit(ICollection<LogRecord> output, LogRecordFlags flags = LogRecordFlags.None)
    {
        if (!Buffer.IsEmpty)
        {
            output.Add(Buffer.Build(flags | TakeSplitMark()));
        }
    }

    /// <summary>Emits the buffered record because it reached a limit: it and the record after it carry <see cref="LogRecordFlags.RecordSplit"/>.</summary>
    protected void EmitSplit(ICollection<LogRecord> output)
    {
        if (!Buffer.IsEmpty)
        {
            output.Add(Buffer.Build(LogRecordFlags.RecordSplit | TakeSplitMark()));
            _afterSplit = true;
        }
    }

    /// <summary>Emits one line as a record of its own.</summary>
    protected void EmitSingle(scoped in DecodedLine line, ICollection<LogRecord> output) =>
        output.Add(RecordBuffer.Single(line.Time, line.TimeNanosecond, line.Stream, line.Text, line.Flags | TakeSplitMark()));

    /// <summary>Emits one line whose level is already known as a record of its own.</summary>
    protected void EmitSingle(scoped in DecodedLine line, string? level, ICollection<LogRecord> output) =>
        output.Add(RecordBuffer.Single(line.Time, line.TimeNanosecond, line.Stream, line.Text, line.Flags | TakeSplitMark(), level));

    /// <summary>Appends a line to the open record.</summary>
    protected void Append(scoped in DecodedLine line) => Buffer.Append(line.Time, line.TimeNanosecond, line.Stream, line.Text, line.Flags);

    private LogRecordFlags TakeSplitMark()
    {
        if (!_afterSplit)
        {
            return LogRecordFlags.None;
        }

        _afterSplit = false;
        return LogRecordFlags.RecordSplit;
    }
}
