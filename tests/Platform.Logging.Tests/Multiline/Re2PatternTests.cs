using Platform.Logging.Multiline;

namespace Platform.Logging.Tests.Multiline;

/// <summary>Filebeat patterns (Go RE2) keep RE2's meaning on .NET.</summary>
public sealed class Re2PatternTests
{
    [Theory]
    [InlineData(@"^[[:space:]]+(at|\.{3})[[:space:]]+\b|^Caused by:", "\tat com.A.b(A.java:1)", true)]
    [InlineData(@"^[[:space:]]+(at|\.{3})[[:space:]]+\b|^Caused by:", "    ... 3 more", true)]
    [InlineData(@"^[[:space:]]+(at|\.{3})[[:space:]]+\b|^Caused by:", "Caused by: x", true)]
    [InlineData(@"^[[:space:]]+(at|\.{3})[[:space:]]+\b|^Caused by:", "at the start", false)]
    [InlineData(@"^[[:space:]]", ":", false)]
    [InlineData(@"^[[:space:]]", "p", false)]
    [InlineData(@"^[^[:space:]]", "x", true)]
    [InlineData(@"^[^[:space:]]", " x", false)]
    [InlineData(@"^[[:upper:][:digit:]_]+$", "ERROR_42", true)]
    [InlineData(@"^\d", "٣ Arabic-Indic digit", false)]
    [InlineData(@"^\s", "\u00a0no-break space", false)]
    [InlineData(@"^\w+$", "héllo", false)]
    [InlineData(@"^\W", "é", true)]
    [InlineData(@"^(?P<year>\d{4})-", "2026-12-04", true)]
    [InlineData(@"^\Q[a.b]\E$", "[a.b]", true)]
    [InlineData(@"^\Q[a.b]\E$", "[axb]", false)]
    [InlineData(@"^[]a]+$", "]a]", true)]
    [InlineData(@"^{", "{line", true)]
    [InlineData(@"(?i)^error", "ErRoR x", true)]
    [InlineData(@"\\$", @"ends with \", true)]
    public void Compile_Re2Pattern_MatchesAsRe2(string pattern, string input, bool expected) =>
        Assert.Equal(expected, Re2Pattern.Compile(pattern, "multiline.pattern").IsMatch(input));

    [Theory]
    [InlineData("(?U)a+", "ungreedy")]
    [InlineData("(a", "not a valid RE2 pattern")]
    [InlineData(@"(a)\1", "not a valid RE2 pattern")]
    [InlineData("[[:nope:]]", "unknown POSIX class")]
    [InlineData("[abc", "missing closing ]")]
    [InlineData("", "a regular expression is required")]
    public void Compile_Unsupported_ErrorNamesSettingAndReason(string pattern, string reason)
    {
        var ex = Assert.Throws<ArgumentException>(() => Re2Pattern.Compile(pattern, "multiline.flush_pattern"));
        Assert.StartsWith("multiline.flush_pattern:", ex.Message, StringComparison.Ordinal);
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_InvalidRule_ArgumentExceptionNamesSetting()
    {
        var ex = Assert.Throws<ArgumentException>(() => LineJoiner.Create(new MultilineOptions { Rule = new MultilineRule { Type = MultilineRuleType.Count } }, new LogLimits()));
        Assert.Contains("multiline.count_lines", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<ArgumentException>(() => LineJoiner.Create(new MultilineOptions { Rule = new MultilineRule { Pattern = "x", MaxLines = -1 } }, new LogLimits()));
        Assert.Contains("multiline.max_lines", ex.Message, StringComparison.Ordinal);
    }
}
