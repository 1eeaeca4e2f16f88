using System.Globalization;

namespace Platform.Logging.Multiline;

/// <summary>Reads per-pod multiline rules from Filebeat hint annotations.</summary>
/// <remarks>
/// Recognised keys (Filebeat hints): <c>co.elastic.logs/multiline.pattern</c>, <c>.negate</c>, <c>.match</c>, <c>.type</c>,
/// <c>.max_lines</c>, <c>.max_bytes</c>, <c>.timeout</c>, <c>.flush_pattern</c> and <c>.count_lines</c>. The same keys under
/// <c>co.elastic.logs.&lt;container&gt;/multiline.*</c> apply to that container only and win, key by key, over the pod-level
/// ones. Values use Filebeat's syntax: Go booleans (<c>true</c>, <c>1</c>, <c>t</c>, …), integers, Go durations
/// (<c>5s</c>, <c>1m30s</c>, <c>500ms</c>) and RE2 patterns. Stateless and thread-safe.
/// </remarks>
public static class MultilineAnnotations
{
    /// <summary>The pod-level hint prefix.</summary>
    public const string Prefix = "co.elastic.logs";

    private const string Multiline = "multiline.";

    /// <summary>Builds the multiline options for <paramref name="containerName"/> from a pod's annotations.</summary>
    /// <param name="annotations">The pod's annotations.</param>
    /// <param name="containerName">The container whose logs are joined.</param>
    /// <param name="defaults">The options used when no multiline hint is present, and the base of the result otherwise; defaults to <c>new MultilineOptions()</c>.</param>
    /// <returns><paramref name="defaults"/> when no hint applies, else a copy whose <see cref="MultilineOptions.Rule"/> comes from the hints.</returns>
    /// <exception cref="ArgumentException">A hint has an invalid value; the message names the annotation and what was expected.</exception>
    public static MultilineOptions FromAnnotations(IReadOnlyDictionary<string, string> annotations, string containerName, MultilineOptions? defaults = null)
    {
        ArgumentNullException.ThrowIfNull(annotations);
        ArgumentException.ThrowIfNullOrEmpty(containerName);
        defaults ??= new MultilineOptions();

        // setting -> (annotation key, value); container-specific keys overwrite pod-level ones.
        var hints = new Dictionary<string, (string Key, string Value)>(StringComparer.Ordinal);
        var containerPrefix = $"{Prefix}.{containerName}/{Multiline}";
        var podPrefix = $"{Prefix}/{Multiline}";
        foreach (var (key, value) in annotations)
        {
            if (key.StartsWith(podPrefix, StringComparison.Ordinal))
            {
                hints.TryAdd(key[podPrefix.Length..], (key, value));
            }
        }

        foreach (var (key, value) in annotations)
        {
            if (key.StartsWith(containerPrefix, StringComparison.Ordinal))
            {
                hints[key[containerPrefix.Length..]] = (key, value);
            }
        }

        if (hints.Count == 0)
        {
            return defaults;
        }

        var rule = new MultilineRule();
        foreach (var (setting, (key, raw)) in hints)
        {
            var value = raw.Trim();
            rule = setting switch
            {
                "pattern" => rule with { Pattern = value },
                "flush_pattern" => rule with { FlushPattern = value },
                "negate" => rule with { Negate = ParseBool(key, value) },
                "match" => rule with
                {
                    Match = value switch
                    {
                        "after" => MultilineMatch.After,
                        "before" => MultilineMatch.Before,
                        _ => throw Invalid(key, value, "'after' or 'before'"),
                    },
                },
                "type" => rule with
                {
                    Type = value switch
                    {
                        "pattern" => MultilineRuleType.Pattern,
                        "count" => MultilineRuleType.Count,
                        "while_pattern" => MultilineRuleType.WhilePattern,
                        _ => throw Invalid(key, value, "'pattern', 'count' or 'while_pattern'"),
                    },
                },
                "max_lines" => rule with { MaxLines = ParseCount(key, value) },
                "max_bytes" => rule with { MaxBytes = ParseCount(key, value) },
                "count_lines" => rule with { CountLines = ParseCount(key, value) },
                "timeout" => rule with { Timeout = ParseGoDuration(key, value) },
                _ => rule, // other Filebeat multiline settings (skip_newline …) do not change joining here
            };
        }

        var (patternKey, _) = hints.TryGetValue("pattern", out var p) ? p : (podPrefix + "pattern", "");
        if (rule.Type != MultilineRuleType.Count)
        {
            if (string.IsNullOrEmpty(rule.Pattern))
            {
                throw new ArgumentException($"Annotation {patternKey}: a pattern is required for multiline type '{(rule.Type == MultilineRuleType.Pattern ? "pattern" : "while_pattern")}'.", nameof(annotations));
            }

            Re2Pattern.Compile(rule.Pattern, patternKey);
        }
        else if (rule.CountLines < 1)
        {
            throw new ArgumentException($"Annotation {containerPrefix}count_lines (or {podPrefix}count_lines): a positive count is required for multiline type 'count'.", nameof(annotations));
        }

        if (rule.FlushPattern is not null)
        {
            Re2Pattern.Compile(rule.FlushPattern, hints["flush_pattern"].Key);
        }

        return defaults with { Rule = rule };
    }

    /// <summary>Parses a Go duration (<c>300ms</c>, <c>5s</c>, <c>1m30s</c>, <c>2h</c>; units ns, us, µs, ms, s, m, h).</summary>
    internal static TimeSpan ParseGoDuration(string key, string value)
    {
        if (value is "0")
        {
            return TimeSpan.Zero;
        }

        var span = value.AsSpan();
        double ticks = 0;
        if (span.IsEmpty)
        {
            throw Invalid(key, value, "a Go duration such as 5s, 500ms or 1m30s");
        }

        while (!span.IsEmpty)
        {
            var n = 0;
            while (n < span.Length && (char.IsAsciiDigit(span[n]) || span[n] == '.'))
            {
                n++;
            }

            var u = n;
            while (u < span.Length && !char.IsAsciiDigit(span[u]) && span[u] != '.')
            {
                u++;
            }

            if (n == 0 || !double.TryParse(span[..n], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                throw Invalid(key, value, "a Go duration such as 5s, 500ms or 1m30s");
            }

            double unit = span[n..u] switch
            {
                "ns" => 0.01,
                "us" or "µs" => 10,
                "ms" => TimeSpan.TicksPerMillisecond,
                "s" => TimeSpan.TicksPerSecond,
                "m" => TimeSpan.TicksPerMinute,
                "h" => TimeSpan.TicksPerHour,
                _ => throw Invalid(key, value, "a Go duration such as 5s, 500ms or 1m30s"),
            };
            ticks += number * unit;
            span = span[u..];
        }

        return TimeSpan.FromTicks((long)ticks);
    }

    private static bool ParseBool(string key, string value) => value switch
    {
        "1" or "t" or "T" or "true" or "TRUE" or "True" => true,
        "0" or "f" or "F" or "false" or "FALSE" or "False" => false,
        _ => throw Invalid(key, value, "true or false"),
    };

    private static int ParseCount(string key, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : throw Invalid(key, value, "a non-negative integer");

    private static ArgumentException Invalid(string key, string value, string expected) =>
        new($"Annotation {key}: '{value}' is not valid; expected {expected}.", "annotations");
}
