using Platform.Logging.Decoding;

namespace Platform.Logging.Multiline;

/// <summary>Joins the lines of stack traces recognised by a <see cref="TraceDetector"/>; every other line is a record by itself.</summary>
/// <remarks>
/// Buffering follows Google's <c>TraceAccumulator</c>: a line that starts a trace closes the open one; a line inside a
/// trace is appended; the end line of a trace is appended and closes it; any other line closes the open trace and is
/// emitted alone. When the record would pass the byte limit, or reaches the line limit, it is emitted with
/// <see cref="LogRecordFlags.RecordSplit"/> and the detector starts over (as upstream does), so the frames after the cut
/// come out as ordinary lines: nothing is dropped. Blank lines after a Python exception are held (counted, not copied)
/// until the next line says whether a chained traceback follows.
/// <para>One addition over upstream, because applications log "what failed" on one line and the exception on the next:
/// a plain line whose level is ERROR or FATAL is held until the next line; when that line starts a trace and carries no
/// level or timestamp of its own (<c>java.lang.IllegalStateException: …</c>, <c>Traceback (most recent call last):</c>,
/// <c>panic: …</c>), the held line becomes the first line of the trace's record. Other plain lines are emitted at once.</para>
/// </remarks>
internal sealed class TraceLineJoiner : JoinerBase
{
    private readonly TraceDetector _detector;
    private int _heldBlanks;
    private DateTimeOffset? _heldTime;
    private int _heldNanos;
    private LogStream _heldStream;
    private LogRecordFlags _heldFlags;
    private bool _holdingHeader;

    public TraceLineJoiner(TraceLanguages languages, int maxLines, int maxBytes, TimeSpan timeout, bool parseJson)
        : base(maxLines, maxBytes, timeout, parseJson) =>
        _detector = new TraceDetector(languages);

    protected override bool HasOpen => base.HasOpen || _heldBlanks > 0;

    protected override void AddLine(scoped in DecodedLine line, ICollection<LogRecord> output)
    {
        var text = line.Text;
        if (_holdingHeader && !Buffer.Fits(line.Text))
        {
            Emit(output);
            _holdingHeader = false;
        }

        if (!Buffer.IsEmpty && !Buffer.Fits(text, _heldBlanks))
        {
            EmitSplit(output);
            ReleaseHeld(output);
            _detector.Reset();
        }

        // Rules look at the text without a stray CR (CRLF files); the record keeps the text as it came.
        switch (_detector.Update(text.Length > 0 && text[^1] == '\r' ? text[..^1] : text))
        {
            case TraceStatus.Tentative:
                if (Buffer.Lines + _heldBlanks + 2 > Buffer.MaxLines)
                {
                    // No room left for held blanks plus a confirming line: the trace ends here.
                    Emit(output);
                    ReleaseHeld(output);
                    _detector.Reset();
                    EmitSingle(line, output);
                    return;
                }

                if (_heldBlanks++ == 0)
                {
                    _heldTime = line.Time;
                    _heldNanos = line.TimeNanosecond;
                    _heldStream = line.Stream;
                    _heldFlags = line.Flags;
                }

                return;
            case TraceStatus.InsideTrace:
                AppendHeld();
                Append(line);
                break;
            case TraceStatus.EndTrace:
                AppendHeld();
                Append(line);
                Emit(output);
                return;
            case TraceStatus.StartTrace:
                if (!_holdingHeader || !IsBareTraceStart(text))
                {
                    Emit(output);
                    ReleaseHeld(output);
                }

                _holdingHeader = false;
                Append(line);
                break;
            default:
                {
                    Emit(output);
                    ReleaseHeld(output);
                    _holdingHeader = false;
                    var level = LevelDetector.Detect(text);
                    if (level is LevelDetector.Error or LevelDetector.Fatal)
                    {
                        Append(line);
                        _holdingHeader = true;
                    }
                    else
                    {
                        EmitSingle(line, level, output);
                    }

                    return;
                }
        }

        if (Buffer.IsFull)
        {
            EmitSplit(output);
            _detector.Reset();
        }
    }

    protected override void Close(ICollection<LogRecord> output, LogRecordFlags flags)
    {
        _holdingHeader = false;
        Emit(output, flags);
        ReleaseHeld(output);
        _detector.Reset();
    }

    // A trace start that names no level and does not begin with a timestamp continues the error line before it.
    private static bool IsBareTraceStart(ReadOnlySpan<char> text) =>
        text.Length > 0 && !char.IsAsciiDigit(text[0]) && text[0] != '[' && LevelDetector.Detect(text) is null;

    private void AppendHeld()
    {
        for (; _heldBlanks > 0; _heldBlanks--)
        {
            Buffer.Append(_heldTime, _heldNanos, _heldStream, [], _heldFlags);
        }
    }

    // Held blank lines that no chained traceback confirmed are records of their own.
    private void ReleaseHeld(ICollection<LogRecord> output)
    {
        for (; _heldBlanks > 0; _heldBlanks--)
        {
            output.Add(RecordBuffer.Single(_heldTime, _heldNanos, _heldStream, [], _heldFlags));
        }
    }
}
