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
/// </remarks>
internal sealed class TraceLineJoiner : JoinerBase
{
    private readonly TraceDetector _detector;
    private int _heldBlanks;
    private DateTimeOffset? _heldTime;
    private LogStream _heldStream;
    private LogRecordFlags _heldFlags;

    public TraceLineJoiner(TraceLanguages languages, int maxLines, int maxBytes, TimeSpan timeout, bool parseJson)
        : base(maxLines, maxBytes, timeout, parseJson) =>
        _detector = new TraceDetector(languages);

    protected override bool HasOpen => base.HasOpen || _heldBlanks > 0;

    protected override void AddLine(scoped in DecodedLine line, ICollection<LogRecord> output)
    {
        var text = line.Text;
        var bytes = ByteCount(text);
        if (!Buffer.IsEmpty && !Buffer.Fits(bytes + _heldBlanks))
        {
            EmitSplit(output);
            ReleaseHeld(output);
            _detector.Reset();
        }

        switch (_detector.Update(text))
        {
            case TraceStatus.Tentative:
                if (_heldBlanks++ == 0)
                {
                    _heldTime = line.Time;
                    _heldStream = line.Stream;
                    _heldFlags = line.Flags;
                }

                return;
            case TraceStatus.InsideTrace:
                AppendHeld();
                Append(line, bytes);
                break;
            case TraceStatus.EndTrace:
                AppendHeld();
                Append(line, bytes);
                Emit(output);
                return;
            case TraceStatus.StartTrace:
                Emit(output);
                ReleaseHeld(output);
                Append(line, bytes);
                break;
            default:
                Emit(output);
                ReleaseHeld(output);
                EmitSingle(line, output);
                return;
        }

        if (Buffer.IsFull)
        {
            EmitSplit(output);
            _detector.Reset();
        }
    }

    protected override void Close(ICollection<LogRecord> output, LogRecordFlags flags)
    {
        Emit(output, flags);
        ReleaseHeld(output);
        _detector.Reset();
    }

    private void AppendHeld()
    {
        for (; _heldBlanks > 0; _heldBlanks--)
        {
            Buffer.Append(_heldTime, _heldStream, [], _heldFlags, 0);
        }
    }

    // Held blank lines that no chained traceback confirmed are records of their own.
    private void ReleaseHeld(ICollection<LogRecord> output)
    {
        for (; _heldBlanks > 0; _heldBlanks--)
        {
            output.Add(RecordBuffer.Single(_heldTime, _heldStream, [], _heldFlags));
        }
    }
}
