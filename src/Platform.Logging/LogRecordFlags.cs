namespace Platform.Logging;

/// <summary>What happened to a record on its way in: every lossy step is marked, never silent.</summary>
[Flags]
public enum LogRecordFlags
{
    /// <summary>Nothing special.</summary>
    None = 0,

    /// <summary>A line was longer than <see cref="LogLimits.MaxLineBytes"/> and was cut; the message ends with <see cref="LogLimits.TruncationMarker"/>.</summary>
    LineTruncated = 1,

    /// <summary>The record reached <see cref="LogLimits.MaxRecordLines"/> or <see cref="LogLimits.MaxRecordBytes"/>; the following lines start a new record.</summary>
    RecordSplit = 2,

    /// <summary>The input held bytes that are not UTF-8; they were replaced by U+FFFD.</summary>
    InvalidUtf8 = 4,

    /// <summary>A CRI partial line (<c>P</c>) was never completed by a final (<c>F</c>) line before the input ended.</summary>
    IncompletePartial = 8,

    /// <summary>A docker json-file line was not valid JSON; the raw line is the message.</summary>
    MalformedEnvelope = 16,

    /// <summary>The record was closed by the multiline timeout rather than by a following line.</summary>
    FlushedByTimeout = 32,
}
