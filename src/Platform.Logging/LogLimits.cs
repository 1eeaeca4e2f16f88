namespace Platform.Logging;

/// <summary>Hard bounds that keep memory bounded whatever the input.</summary>
/// <remarks>The defaults follow Filebeat's multiline defaults (500 lines, 10 MiB) and cap a single physical line at 1 MiB.</remarks>
public sealed record LogLimits
{
    /// <summary>Gets the longest physical line kept, in UTF-8 bytes; the rest is dropped and the line marked. Defaults to 1 MiB.</summary>
    public int MaxLineBytes { get; init; } = 1024 * 1024;

    /// <summary>Gets the most lines joined into one record. Defaults to 500.</summary>
    public int MaxRecordLines { get; init; } = 500;

    /// <summary>Gets the most bytes joined into one record. Defaults to 10 MiB.</summary>
    public int MaxRecordBytes { get; init; } = 10 * 1024 * 1024;

    /// <summary>Gets the text appended to a cut line. Defaults to <c>…[truncated]</c>.</summary>
    public string TruncationMarker { get; init; } = "…[truncated]";
}
