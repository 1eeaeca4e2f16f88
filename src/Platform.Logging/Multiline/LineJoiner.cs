namespace Platform.Logging.Multiline;

/// <summary>Creates the joiner for a set of options.</summary>
internal static class LineJoiner
{
    /// <summary>Creates a joiner for one stream.</summary>
    /// <remarks>
    /// A <see cref="MultilineOptions.Rule"/> wins over the profile. Record bounds are the smaller of the rule's
    /// <c>MaxLines</c>/<c>MaxBytes</c> and <see cref="LogLimits.MaxRecordLines"/>/<see cref="LogLimits.MaxRecordBytes"/>;
    /// profiles use the latter. Nothing is dropped at a limit: the record is cut and carries
    /// <see cref="LogRecordFlags.RecordSplit"/>, as does the record right after the cut. With a rule, the following
    /// continuation lines form that next record (Filebeat would drop them); with a profile, the trace detector starts over
    /// as Google's detector does, so the frames after the cut come out as single-line records.
    /// The joiner is not thread-safe; <c>FlushIdle</c> should be called periodically, for example every second, while the
    /// input is quiet: idleness is measured between those calls (see <see cref="JoinerBase"/>).
    /// </remarks>
    /// <exception cref="ArgumentException">The rule is invalid (the message names the setting).</exception>
    public static ILineJoiner Create(MultilineOptions options, LogLimits limits)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(limits);
        if (limits.MaxRecordLines < 1 || limits.MaxRecordBytes < 1)
        {
            throw new ArgumentException("LogLimits.MaxRecordLines and MaxRecordBytes must be at least 1.", nameof(limits));
        }

        if (options.Rule is { } rule)
        {
            return CreateForRule(rule, limits, options.ParseJson);
        }

        if (options.Timeout < TimeSpan.Zero)
        {
            throw new ArgumentException("MultilineOptions.Timeout must not be negative.", nameof(options));
        }

        var languages = Languages(options.Profile);
        return languages == TraceLanguages.None
            ? new SingleLineJoiner(options.ParseJson)
            : new TraceLineJoiner(languages, limits.MaxRecordLines, limits.MaxRecordBytes, options.Timeout, options.ParseJson);
    }

    /// <summary>Maps a profile to the trace languages it recognises.</summary>
    internal static TraceLanguages Languages(MultilineProfile profile) => profile switch
    {
        MultilineProfile.None => TraceLanguages.None,
        MultilineProfile.Auto => TraceLanguages.All,
        MultilineProfile.Java or MultilineProfile.Node or MultilineProfile.DotNet => TraceLanguages.Java,
        MultilineProfile.Python => TraceLanguages.Python,
        MultilineProfile.Go => TraceLanguages.Go,
        MultilineProfile.Ruby => TraceLanguages.Ruby,
        MultilineProfile.Php => TraceLanguages.Php,
        MultilineProfile.Dart => TraceLanguages.Dart,
        _ => throw new ArgumentOutOfRangeException(nameof(profile), profile, "Unknown multiline profile."),
    };

    private static JoinerBase CreateForRule(MultilineRule rule, LogLimits limits, bool parseJson)
    {
        if (rule.MaxLines < 0)
        {
            throw new ArgumentException($"multiline.max_lines must not be negative (got {rule.MaxLines}).", nameof(rule));
        }

        if (rule.MaxBytes < 0)
        {
            throw new ArgumentException($"multiline.max_bytes must not be negative (got {rule.MaxBytes}).", nameof(rule));
        }

        if (rule.Timeout < TimeSpan.Zero)
        {
            throw new ArgumentException($"multiline.timeout must not be negative (got {rule.Timeout}).", nameof(rule));
        }

        // 0 means "no limit of its own" in Filebeat; the hard limits still apply.
        var maxLines = rule.MaxLines == 0 ? limits.MaxRecordLines : Math.Min(rule.MaxLines, limits.MaxRecordLines);
        var maxBytes = rule.MaxBytes == 0 ? limits.MaxRecordBytes : Math.Min(rule.MaxBytes, limits.MaxRecordBytes);
        switch (rule.Type)
        {
            case MultilineRuleType.Pattern:
                {
                    if (!Enum.IsDefined(rule.Match))
                    {
                        throw new ArgumentException($"multiline.match must be 'after' or 'before' (got {rule.Match}).", nameof(rule));
                    }

                    var pattern = Re2Pattern.Compile(rule.Pattern, "multiline.pattern");
                    var flush = rule.FlushPattern is null ? null : Re2Pattern.Compile(rule.FlushPattern, "multiline.flush_pattern");
                    return new PatternLineJoiner(pattern, rule.Negate, rule.Match, flush, maxLines, maxBytes, rule.Timeout, parseJson);
                }

            case MultilineRuleType.Count:
                if (rule.CountLines < 1)
                {
                    throw new ArgumentException($"multiline.count_lines must be at least 1 for type 'count' (got {rule.CountLines}).", nameof(rule));
                }

                return new CountLineJoiner(rule.CountLines, maxLines, maxBytes, rule.Timeout, parseJson);
            case MultilineRuleType.WhilePattern:
                return new WhilePatternLineJoiner(Re2Pattern.Compile(rule.Pattern, "multiline.pattern"), rule.Negate, maxLines, maxBytes, rule.Timeout, parseJson);
            default:
                throw new ArgumentException($"multiline.type must be 'pattern', 'count' or 'while_pattern' (got {rule.Type}).", nameof(rule));
        }
    }
}
