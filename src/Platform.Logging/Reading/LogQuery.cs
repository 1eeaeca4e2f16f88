namespace Platform.Logging;

/// <summary>What part of a log to read: the viewer's tail-N, since-T and byte limit, and whether to follow it.</summary>
/// <remarks>The same knobs as the Kubernetes pod-log API (<c>tailLines</c>, <c>sinceTime</c>, <c>limitBytes</c>, <c>follow</c>), so a source may apply them server-side.</remarks>
public sealed record LogQuery
{
    /// <summary>Gets a query for the whole log.</summary>
    public static LogQuery All { get; } = new();

    /// <summary>Gets how many physical lines from the end to start at, or <see langword="null"/> for the whole log. Seekable inputs are read backwards from the end in blocks; others keep only the last records covering that many lines.</summary>
    public int? TailLines { get; init; }

    /// <summary>Gets the earliest record time to return, or <see langword="null"/>. Records without a time are kept once a later-or-equal record was seen.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Gets the most input bytes to read (from where reading starts), or <see langword="null"/> for no limit.</summary>
    public long? LimitBytes { get; init; }

    /// <summary>Gets whether to keep reading as the log grows (files: like <c>tail -F</c>, across rotation and truncation). Defaults to <see langword="false"/>.</summary>
    public bool Follow { get; init; }

    /// <summary>Checks every setting.</summary>
    /// <exception cref="ArgumentException">A setting is out of range; the message names it.</exception>
    public void Validate()
    {
        if (TailLines is < 0)
        {
            throw new ArgumentException($"{nameof(TailLines)} must not be negative (was {TailLines}).", nameof(TailLines));
        }

        if (LimitBytes is <= 0)
        {
            throw new ArgumentException($"{nameof(LimitBytes)} must be positive (was {LimitBytes}).", nameof(LimitBytes));
        }
    }
}

/// <summary>The parts of a <see cref="LogQuery"/> a source already applied.</summary>
[Flags]
public enum LogQueryParts
{
    /// <summary>None: the reader applies the whole query.</summary>
    None = 0,

    /// <summary><see cref="LogQuery.TailLines"/> was applied.</summary>
    TailLines = 1,

    /// <summary><see cref="LogQuery.Since"/> was applied.</summary>
    Since = 2,

    /// <summary><see cref="LogQuery.LimitBytes"/> was applied.</summary>
    LimitBytes = 4,

    /// <summary><see cref="LogQuery.Follow"/> was applied.</summary>
    Follow = 8,
}
