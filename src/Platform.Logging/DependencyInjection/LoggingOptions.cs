using Platform.Logging.Multiline;

namespace Platform.Logging;

/// <summary>Settings of the log reader registered by <c>AddPlatformLogging</c>, typically bound from configuration.</summary>
/// <remarks>Validated once when first resolved; an invalid setting fails with a message naming it.</remarks>
public sealed class LoggingOptions
{
    /// <summary>Gets or sets the envelope format. Defaults to <see cref="LogFormat.Auto"/>.</summary>
    public LogFormat Format { get; set; } = LogFormat.Auto;

    /// <summary>Gets or sets the multiline profile. Defaults to <see cref="MultilineProfile.Auto"/>.</summary>
    public MultilineProfile Profile { get; set; } = MultilineProfile.Auto;

    /// <summary>Gets or sets a Filebeat-style rule that replaces the profile, or <see langword="null"/>.</summary>
    public MultilineRule? Rule { get; set; }

    /// <summary>Gets or sets whether JSON log lines are parsed into fields. Defaults to <see langword="true"/>.</summary>
    public bool ParseJson { get; set; } = true;

    /// <summary>Gets or sets the longest line kept, in UTF-8 bytes (64 B – 256 MiB). Defaults to 1 MiB.</summary>
    public int MaxLineBytes { get; set; } = new LogLimits().MaxLineBytes;

    /// <summary>Gets or sets the most lines joined into one record. Defaults to 500.</summary>
    public int MaxRecordLines { get; set; } = new LogLimits().MaxRecordLines;

    /// <summary>Gets or sets the most bytes joined into one record (at least <see cref="MaxLineBytes"/>). Defaults to 10 MiB.</summary>
    public int MaxRecordBytes { get; set; } = new LogLimits().MaxRecordBytes;

    /// <summary>Gets or sets the text appended to a cut line. Defaults to <c>…[truncated]</c>.</summary>
    public string TruncationMarker { get; set; } = new LogLimits().TruncationMarker;

    /// <summary>Gets or sets the size of each read, in bytes (4 KiB – 16 MiB). Defaults to 64 KiB.</summary>
    public int ReadBufferSize { get; set; } = LogReaderOptions.Default.ReadBufferSize;

    /// <summary>Gets or sets how often open multiline records are checked for their timeout while input is idle. Defaults to 1 second; zero disables.</summary>
    public TimeSpan IdleCheckInterval { get; set; } = LogReaderOptions.Default.IdleCheckInterval;

    /// <summary>Gets or sets how often followed files are polled. Defaults to 250 ms.</summary>
    public TimeSpan FilePollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Builds the reader options these settings describe.</summary>
    /// <returns>The options (not yet validated).</returns>
    public LogReaderOptions ToReaderOptions() => new()
    {
        Format = Format,
        Multiline = new MultilineOptions { Profile = Profile, Rule = Rule, ParseJson = ParseJson },
        Limits = new LogLimits
        {
            MaxLineBytes = MaxLineBytes,
            MaxRecordLines = MaxRecordLines,
            MaxRecordBytes = MaxRecordBytes,
            TruncationMarker = TruncationMarker,
        },
        ReadBufferSize = ReadBufferSize,
        IdleCheckInterval = IdleCheckInterval,
    };
}
