using System.Text.RegularExpressions;
using Platform.Logging.Decoding;

namespace Platform.Logging.Multiline;

/// <summary>Filebeat's <c>multiline.type: pattern</c>: lines join by <c>pattern</c>, <c>negate</c> and <c>match</c>, and a <c>flush_pattern</c> line ends a record.</summary>
/// <remarks>
/// Restated from libbeat's pattern reader: the predicate decides whether the current line joins the previous one.
/// With <c>match: after</c> it tests the current line, with <c>match: before</c> the previous line; <c>negate</c> inverts
/// the test. So: negate=false/after — a matching line continues the record above it; negate=true/after — a
/// non-matching line continues the record above it (a match starts a record); negate=false/before — a line following a
/// matching line joins it (a match announces a continuation); negate=true/before — a line following a non-matching line
/// joins it (a match ends a record). A <c>flush_pattern</c> line is appended and closes the record; the first line of a
/// record is never tested against it. Unlike Filebeat, lines past <c>max_lines</c>/<c>max_bytes</c> are not dropped:
/// the record is cut and the rest continues in a new record, both marked <see cref="LogRecordFlags.RecordSplit"/>.
/// </remarks>
internal sealed class PatternLineJoiner : JoinerBase
{
    private readonly Regex _pattern;
    private readonly Regex? _flush;
    private readonly bool _negate;
    private readonly bool _before;
    private bool _lastMatched;

    public PatternLineJoiner(Regex pattern, bool negate, MultilineMatch match, Regex? flush, int maxLines, int maxBytes, TimeSpan timeout, bool parseJson)
        : base(maxLines, maxBytes, timeout, parseJson)
    {
        _pattern = pattern;
        _negate = negate;
        _before = match == MultilineMatch.Before;
        _flush = flush;
    }

    protected override void AddLine(scoped in DecodedLine line, ICollection<LogRecord> output)
    {
        var text = line.Text;
        var matched = _pattern.IsMatch(text);
        if (Buffer.IsEmpty)
        {
            Append(line);
            _lastMatched = matched;
            return;
        }

        if (_flush is not null && _flush.IsMatch(text))
        {
            AppendOrSplit(line, output);
            Emit(output);
            return;
        }

        var joins = (_before ? _lastMatched : matched) != _negate;
        _lastMatched = matched;
        if (!joins)
        {
            Emit(output);
            Append(line);
            return;
        }

        AppendOrSplit(line, output);
    }

    private void AppendOrSplit(scoped in DecodedLine line, ICollection<LogRecord> output)
    {
        if (!Buffer.Fits(line.Text))
        {
            EmitSplit(output);
        }

        Append(line);
    }
}

/// <summary>Filebeat's <c>multiline.type: count</c>: every <c>count_lines</c> lines form one record.</summary>
internal sealed class CountLineJoiner : JoinerBase
{
    private readonly int _count;
    private int _inGroup;

    public CountLineJoiner(int count, int maxLines, int maxBytes, TimeSpan timeout, bool parseJson)
        : base(maxLines, maxBytes, timeout, parseJson) =>
        _count = count;

    protected override void AddLine(scoped in DecodedLine line, ICollection<LogRecord> output)
    {
        if (!Buffer.Fits(line.Text))
        {
            EmitSplit(output);
        }

        Append(line);
        if (++_inGroup >= _count)
        {
            _inGroup = 0;
            Emit(output);
        }
    }

    protected override void Close(ICollection<LogRecord> output, LogRecordFlags flags)
    {
        _inGroup = 0;
        Emit(output, flags);
    }
}

/// <summary>Filebeat's <c>multiline.type: while_pattern</c>: consecutive matching lines (non-matching when negated) form one record; any other line is a record by itself.</summary>
internal sealed class WhilePatternLineJoiner : JoinerBase
{
    private readonly Regex _pattern;
    private readonly bool _negate;

    public WhilePatternLineJoiner(Regex pattern, bool negate, int maxLines, int maxBytes, TimeSpan timeout, bool parseJson)
        : base(maxLines, maxBytes, timeout, parseJson)
    {
        _pattern = pattern;
        _negate = negate;
    }

    protected override void AddLine(scoped in DecodedLine line, ICollection<LogRecord> output)
    {
        if (_pattern.IsMatch(line.Text) == _negate)
        {
            Emit(output);
            EmitSingle(line, output);
            return;
        }

        if (!Buffer.Fits(line.Text))
        {
            EmitSplit(output);
        }

        Append(line);
    }
}

/// <summary>Every line is its own record (<see cref="MultilineProfile.None"/>), JSON lines still parsed when enabled.</summary>
internal sealed class SingleLineJoiner : JoinerBase
{
    public SingleLineJoiner(bool parseJson)
        : base(1, int.MaxValue, TimeSpan.Zero, parseJson)
    {
    }

    protected override void AddLine(scoped in DecodedLine line, ICollection<LogRecord> output) => EmitSingle(line, output);
}
