using Platform.Logging.Multiline;

namespace Platform.Logging.Tests.Multiline;

/// <summary>Filebeat hint annotations turned into per-container multiline options.</summary>
public sealed class MultilineAnnotationsTests
{
    [Fact]
    public void FromAnnotations_PodLevelHints_RuleBuilt()
    {
        var options = MultilineAnnotations.FromAnnotations(
            new Dictionary<string, string>
            {
                ["co.elastic.logs/multiline.pattern"] = "^\\[",
                ["co.elastic.logs/multiline.negate"] = "true",
                ["co.elastic.logs/multiline.match"] = "after",
                ["co.elastic.logs/multiline.max_lines"] = "200",
                ["co.elastic.logs/multiline.timeout"] = "1m30s",
                ["co.elastic.logs/multiline.flush_pattern"] = "END",
                ["unrelated"] = "x",
            },
            "app");
        Assert.Equal(new MultilineRule { Pattern = "^\\[", Negate = true, Match = MultilineMatch.After, MaxLines = 200, Timeout = TimeSpan.FromSeconds(90), FlushPattern = "END" }, options.Rule);
    }

    [Fact]
    public void FromAnnotations_ContainerSpecificHints_WinKeyByKey()
    {
        var annotations = new Dictionary<string, string>
        {
            ["co.elastic.logs/multiline.pattern"] = "^\\d{4}-",
            ["co.elastic.logs/multiline.negate"] = "true",
            ["co.elastic.logs.sidecar/multiline.pattern"] = "^\\s",
            ["co.elastic.logs.sidecar/multiline.negate"] = "false",
            ["co.elastic.logs.other/multiline.type"] = "count",
        };
        var sidecar = MultilineAnnotations.FromAnnotations(annotations, "sidecar").Rule!;
        Assert.Equal(("^\\s", false, MultilineRuleType.Pattern), (sidecar.Pattern, sidecar.Negate, sidecar.Type));
        var app = MultilineAnnotations.FromAnnotations(annotations, "app").Rule!;
        Assert.Equal(("^\\d{4}-", true), (app.Pattern, app.Negate));

        // The options really join the way the hint says.
        var lines = new[] { "2026-12-04 start", "  more", "2026-12-04 next" };
        Assert.Equal(["2026-12-04 start\n  more", "2026-12-04 next"], Joining.Messages(MultilineAnnotations.FromAnnotations(annotations, "app") with { ParseJson = false }, lines));
    }

    [Fact]
    public void FromAnnotations_CountType_Parsed()
    {
        var rule = MultilineAnnotations.FromAnnotations(new Dictionary<string, string> { ["co.elastic.logs/multiline.type"] = "count", ["co.elastic.logs/multiline.count_lines"] = "3" }, "c").Rule!;
        Assert.Equal((MultilineRuleType.Count, 3), (rule.Type, rule.CountLines));
    }

    [Fact]
    public void FromAnnotations_NoHints_DefaultsReturned()
    {
        var defaults = new MultilineOptions { Profile = MultilineProfile.Java };
        Assert.Same(defaults, MultilineAnnotations.FromAnnotations(new Dictionary<string, string> { ["co.elastic.logs/enabled"] = "true" }, "c", defaults));
    }

    [Theory]
    [InlineData("co.elastic.logs/multiline.negate", "yes", "true or false")]
    [InlineData("co.elastic.logs/multiline.match", "around", "'after' or 'before'")]
    [InlineData("co.elastic.logs/multiline.timeout", "5 seconds", "Go duration")]
    [InlineData("co.elastic.logs/multiline.max_lines", "-1", "non-negative integer")]
    [InlineData("co.elastic.logs/multiline.pattern", "(unclosed", "not a valid RE2 pattern")]
    [InlineData("co.elastic.logs/multiline.type", "regex", "'pattern', 'count' or 'while_pattern'")]
    public void FromAnnotations_InvalidValue_ErrorNamesAnnotation(string key, string value, string expected)
    {
        var annotations = new Dictionary<string, string> { ["co.elastic.logs/multiline.pattern"] = "^x", [key] = value };
        var ex = Assert.Throws<ArgumentException>(() => MultilineAnnotations.FromAnnotations(annotations, "c"));
        Assert.Contains(key, ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromAnnotations_PatternTypeWithoutPattern_Error()
    {
        var ex = Assert.Throws<ArgumentException>(() => MultilineAnnotations.FromAnnotations(new Dictionary<string, string> { ["co.elastic.logs/multiline.negate"] = "true" }, "c"));
        Assert.Contains("co.elastic.logs/multiline.pattern", ex.Message, StringComparison.Ordinal);
    }
}
