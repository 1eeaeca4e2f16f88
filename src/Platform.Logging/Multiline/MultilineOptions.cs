namespace Platform.Logging.Multiline;

/// <summary>How physical lines are joined into records.</summary>
public sealed record MultilineOptions
{
    /// <summary>Gets the built-in language profile. Defaults to <see cref="MultilineProfile.Auto"/>.</summary>
    public MultilineProfile Profile { get; init; } = MultilineProfile.Auto;

    /// <summary>Gets a Filebeat-style rule that replaces the profile when set.</summary>
    public MultilineRule? Rule { get; init; }

    /// <summary>Gets whether JSON log lines are parsed into fields (level, message, logger, exception). Defaults to <see langword="true"/>.</summary>
    public bool ParseJson { get; init; } = true;

    /// <summary>Gets how long an open trace of a profile waits for more lines before <c>FlushIdle</c> closes it. Defaults to 5 seconds; zero disables. A <see cref="Rule"/> uses its own <see cref="MultilineRule.Timeout"/>.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);
}

/// <summary>Built-in joining profiles.</summary>
public enum MultilineProfile
{
    /// <summary>Every line is its own record.</summary>
    None,

    /// <summary>Detects stack traces of every supported language in a mixed stream.</summary>
    Auto,

    /// <summary>Java and JVM languages.</summary>
    Java,

    /// <summary>Python tracebacks.</summary>
    Python,

    /// <summary>Go panics and goroutine dumps.</summary>
    Go,

    /// <summary>Ruby and Rails.</summary>
    Ruby,

    /// <summary>PHP.</summary>
    Php,

    /// <summary>JavaScript on Node.js (V8 stacks).</summary>
    Node,

    /// <summary>C# and .NET.</summary>
    DotNet,

    /// <summary>Dart.</summary>
    Dart,
}

/// <summary>How a <see cref="MultilineRule"/> groups lines (Filebeat's <c>multiline.type</c>).</summary>
public enum MultilineRuleType
{
    /// <summary>Lines are grouped by <see cref="MultilineRule.Pattern"/>, <see cref="MultilineRule.Negate"/> and <see cref="MultilineRule.Match"/>.</summary>
    Pattern,

    /// <summary>A fixed number of lines form a record.</summary>
    Count,

    /// <summary>Consecutive lines matching the pattern (or not, when negated) form a record.</summary>
    WhilePattern,
}

/// <summary>Where a matching line goes (Filebeat's <c>multiline.match</c>).</summary>
public enum MultilineMatch
{
    /// <summary>Lines are appended to the line before them.</summary>
    After,

    /// <summary>Lines are prepended to the line after them.</summary>
    Before,
}

/// <summary>A Filebeat-compatible multiline rule.</summary>
public sealed record MultilineRule
{
    /// <summary>Gets the grouping mode. Defaults to <see cref="MultilineRuleType.Pattern"/>.</summary>
    public MultilineRuleType Type { get; init; } = MultilineRuleType.Pattern;

    /// <summary>Gets the regular expression (ECMAScript-like syntax as Filebeat's Go regexp).</summary>
    public string? Pattern { get; init; }

    /// <summary>Gets whether the pattern's sense is inverted.</summary>
    public bool Negate { get; init; }

    /// <summary>Gets where matching lines are joined. Defaults to <see cref="MultilineMatch.After"/>.</summary>
    public MultilineMatch Match { get; init; } = MultilineMatch.After;

    /// <summary>Gets the number of lines per record in <see cref="MultilineRuleType.Count"/> mode.</summary>
    public int CountLines { get; init; }

    /// <summary>Gets a pattern that ends the current record (Filebeat's <c>flush_pattern</c>).</summary>
    public string? FlushPattern { get; init; }

    /// <summary>Gets the most lines per record. Defaults to 500.</summary>
    public int MaxLines { get; init; } = 500;

    /// <summary>Gets the most bytes per record. Defaults to 10 MiB.</summary>
    public int MaxBytes { get; init; } = 10 * 1024 * 1024;

    /// <summary>Gets how long an open record waits for more lines. Defaults to 5 seconds.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);
}
