using Platform.Logging.Decoding;

namespace Platform.Logging.Multiline;

/// <summary>Turns the decoded lines of one stream into records. One instance per (source, stream); not thread-safe.</summary>
internal interface ILineJoiner
{
    /// <summary>Adds a line; appends to <paramref name="output"/> every record this line completes.</summary>
    void Add(scoped in DecodedLine line, ICollection<LogRecord> output);

    /// <summary>Completes the open record if it has waited longer than the rule's timeout at <paramref name="now"/>.</summary>
    void FlushIdle(DateTimeOffset now, ICollection<LogRecord> output);

    /// <summary>Completes the open record (end of input).</summary>
    void Flush(ICollection<LogRecord> output);
}
