using System.Text.Json.Nodes;

namespace Platform.Logging;

/// <summary>One complete log event: a single line, or several physical lines joined (a stack trace).</summary>
/// <remarks>Instances are immutable and safe to share between threads.</remarks>
public sealed record LogRecord
{
    private readonly int _timeNanosecond = -1;

    /// <summary>Gets the time of the first line, as the container runtime recorded it (exact, with its offset), or <see langword="null"/> for plain text.</summary>
    /// <remarks>Holds 100 ns ticks: a runtime's nanoseconds are truncated here and kept exactly in <see cref="TimeNanosecond"/>.</remarks>
    public DateTimeOffset? Time { get; init; }

    /// <summary>
    /// Gets the nanoseconds within the second of <see cref="Time"/> exactly as the container runtime wrote them
    /// (0–999,999,999; <c>.5</c> is 500,000,000), or <see langword="null"/> when the exact time is unknown (plain text, or a
    /// time read from a JSON line's own fields).
    /// </summary>
    /// <remarks>
    /// When set, <see cref="Time"/>'s fraction of a second is this value truncated to 100 ns. Stored as a plain
    /// <see langword="int"/> (−1 when unknown), so the record stays as large as it was without it.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">Set to a value outside 0–999,999,999.</exception>
    public int? TimeNanosecond
    {
        get => _timeNanosecond < 0 ? null : _timeNanosecond;
        init => _timeNanosecond = value is not { } nanos ? -1
            : nanos is >= 0 and <= 999_999_999 ? nanos
            : throw new ArgumentOutOfRangeException(nameof(value), value, "Nanoseconds within a second must be 0–999,999,999.");
    }

    /// <summary>Gets the stream the lines came from.</summary>
    public LogStream Stream { get; init; }

    /// <summary>Gets the text: the joined lines separated by <c>\n</c>, without a trailing newline.</summary>
    public string Message { get; init; } = "";

    /// <summary>Gets the number of physical lines joined into this record. Defaults to 1.</summary>
    public int Lines { get; init; } = 1;

    /// <summary>Gets the level (for example <c>ERROR</c>) when the line carried one, else <see langword="null"/>.</summary>
    public string? Level { get; init; }

    /// <summary>Gets the logger name of a structured (JSON) line, else <see langword="null"/>.</summary>
    public string? Logger { get; init; }

    /// <summary>Gets the exception or stack trace of a structured (JSON) line, else <see langword="null"/>.</summary>
    public string? Exception { get; init; }

    /// <summary>Gets all fields of a structured (JSON) line, else <see langword="null"/>.</summary>
    public JsonObject? Fields { get; init; }

    /// <summary>Gets what happened to the record on its way in (truncation, invalid UTF-8, …).</summary>
    public LogRecordFlags Flags { get; init; }
}
