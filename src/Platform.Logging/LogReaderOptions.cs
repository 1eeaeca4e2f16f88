using Platform.Logging.Multiline;

namespace Platform.Logging;

/// <summary>How a log is read: envelope format, joining rules, bounds and buffering.</summary>
/// <remarks>Immutable; validated when a read starts (<see cref="Validate"/>), with a message naming the wrong setting.</remarks>
public sealed record LogReaderOptions
{
    /// <summary>The smallest accepted <see cref="LogLimits.MaxLineBytes"/>.</summary>
    public const int MinLineBytes = 64;

    /// <summary>The largest accepted <see cref="LogLimits.MaxLineBytes"/> (256 MiB).</summary>
    public const int MaxLineBytesLimit = 256 * 1024 * 1024;

    /// <summary>Gets the default options: auto-detected format, auto multiline profile, default limits.</summary>
    public static LogReaderOptions Default { get; } = new();

    /// <summary>Gets the envelope format. Defaults to <see cref="LogFormat.Auto"/>.</summary>
    public LogFormat Format { get; init; } = LogFormat.Auto;

    /// <summary>Gets how physical lines are joined into records. Defaults to the auto profile.</summary>
    public MultilineOptions Multiline { get; init; } = new();

    /// <summary>Gets the hard bounds (line bytes, record lines and bytes, truncation marker).</summary>
    public LogLimits Limits { get; init; } = new();

    /// <summary>Gets the size of each read from the input, in bytes (4 KiB – 16 MiB). Defaults to 64 KiB.</summary>
    public int ReadBufferSize { get; init; } = 64 * 1024;

    /// <summary>
    /// Gets how often, while the input has no new data, open multiline records are offered to the joiners' timeout
    /// (<see cref="MultilineRule.Timeout"/>). Defaults to 1 second; <see cref="TimeSpan.Zero"/> or
    /// <see cref="Timeout.InfiniteTimeSpan"/> disables idle flushing (records then wait for the next line or the end).
    /// </summary>
    public TimeSpan IdleCheckInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Checks every setting.</summary>
    /// <exception cref="ArgumentException">A setting is out of range; the message names it.</exception>
    public void Validate()
    {
        if (!Enum.IsDefined(Format))
        {
            throw new ArgumentException($"{nameof(Format)} must be Auto, Docker, Cri or Raw (was {(int)Format}).", nameof(Format));
        }

        if (Multiline is null)
        {
            throw new ArgumentException($"{nameof(Multiline)} must be set.", nameof(Multiline));
        }

        if (!Enum.IsDefined(Multiline.Profile))
        {
            throw new ArgumentException($"{nameof(Multiline)}.{nameof(MultilineOptions.Profile)} is not a known profile (was {(int)Multiline.Profile}).", nameof(Multiline));
        }

        if (Limits is null)
        {
            throw new ArgumentException($"{nameof(Limits)} must be set.", nameof(Limits));
        }

        if (Limits.MaxLineBytes is < MinLineBytes or > MaxLineBytesLimit)
        {
            throw new ArgumentException($"{nameof(Limits)}.{nameof(LogLimits.MaxLineBytes)} must be between {MinLineBytes} and {MaxLineBytesLimit} (was {Limits.MaxLineBytes}).", nameof(Limits));
        }

        if (Limits.MaxRecordLines < 1)
        {
            throw new ArgumentException($"{nameof(Limits)}.{nameof(LogLimits.MaxRecordLines)} must be positive (was {Limits.MaxRecordLines}).", nameof(Limits));
        }

        if (Limits.MaxRecordBytes < Limits.MaxLineBytes)
        {
            throw new ArgumentException($"{nameof(Limits)}.{nameof(LogLimits.MaxRecordBytes)} ({Limits.MaxRecordBytes}) must be at least {nameof(LogLimits.MaxLineBytes)} ({Limits.MaxLineBytes}).", nameof(Limits));
        }

        if (Limits.TruncationMarker is null || Limits.TruncationMarker.Length > 256)
        {
            throw new ArgumentException($"{nameof(Limits)}.{nameof(LogLimits.TruncationMarker)} must be set and at most 256 characters.", nameof(Limits));
        }

        if (ReadBufferSize is < 4096 or > 16 * 1024 * 1024)
        {
            throw new ArgumentException($"{nameof(ReadBufferSize)} must be between 4096 and 16777216 (was {ReadBufferSize}).", nameof(ReadBufferSize));
        }

        if (IdleCheckInterval < TimeSpan.Zero && IdleCheckInterval != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentException($"{nameof(IdleCheckInterval)} must not be negative (was {IdleCheckInterval}).", nameof(IdleCheckInterval));
        }
    }
}
