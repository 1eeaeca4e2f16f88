namespace Platform.Logging.Decoding;

/// <summary>One physical line after decoding (docker/CRI envelope removed, CRI partials reassembled).</summary>
/// <remarks><see cref="Text"/> points into a buffer the decoder reuses: it is valid only during the call it is passed to.</remarks>
internal readonly ref struct DecodedLine
{
    /// <summary>The <see cref="TimeNanosecond"/> of a line whose exact time is unknown.</summary>
    public const int NoNanosecond = -1;

    public DecodedLine(DateTimeOffset? time, LogStream stream, ReadOnlySpan<char> text, LogRecordFlags flags)
        : this(time, NoNanosecond, stream, text, flags)
    {
    }

    public DecodedLine(DateTimeOffset? time, int timeNanosecond, LogStream stream, ReadOnlySpan<char> text, LogRecordFlags flags)
    {
        Time = time;
        TimeNanosecond = time is null ? NoNanosecond : timeNanosecond;
        Stream = stream;
        Text = text;
        Flags = flags;
    }

    /// <summary>Gets the runtime's timestamp of the line, if any.</summary>
    public DateTimeOffset? Time { get; }

    /// <summary>Gets the nanoseconds within the second of <see cref="Time"/> exactly as the runtime wrote them (0–999,999,999), or <see cref="NoNanosecond"/> when unknown.</summary>
    public int TimeNanosecond { get; }

    /// <summary>Gets the stream.</summary>
    public LogStream Stream { get; }

    /// <summary>Gets the text without the line terminator.</summary>
    public ReadOnlySpan<char> Text { get; }

    /// <summary>Gets the flags decoding set (truncated, invalid UTF-8, …).</summary>
    public LogRecordFlags Flags { get; }
}
