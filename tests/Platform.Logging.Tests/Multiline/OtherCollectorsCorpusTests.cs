using System.Text.Json.Nodes;
using Platform.Logging.Multiline;
using Platform.Tests.Shared;

namespace Platform.Logging.Tests.Multiline;

/// <summary>Fluent Bit multiline-engine vectors and Vector line-aggregation cases (corpus/logs), expressed as our profiles or Filebeat rules.</summary>
public sealed class OtherCollectorsCorpusTests
{
    [Theory]
    [InlineData("java", MultilineProfile.Java)]
    [InlineData("python", MultilineProfile.Python)]
    [InlineData("go", MultilineProfile.Go)]
    [InlineData("ruby", MultilineProfile.Ruby)]
    public void Profile_FluentBitBuiltInParserVector_JoinsAsFluentBit(string name, MultilineProfile profile)
    {
        var (lines, expected) = FluentBit(name);
        Assert.Equal(expected, Joining.Messages(Joining.Profile(profile), lines));
        Assert.Equal(expected, Joining.Messages(Joining.Profile(MultilineProfile.Auto), lines));
    }

    [Theory]
    [InlineData("endswith", "\\\\$", false, MultilineMatch.Before)]
    [InlineData("elastic_custom_rules", "^\\s+", false, MultilineMatch.After)]
    [InlineData("issue_3817_cri_then_custom", "- $", false, MultilineMatch.Before)]
    public void Rule_FluentBitCustomRuleVector_JoinsAsFluentBit(string name, string pattern, bool negate, MultilineMatch match)
    {
        var (lines, expected) = FluentBit(name);
        var rule = new MultilineRule { Pattern = pattern, Negate = negate, Match = match };
        Assert.Equal(expected, Joining.Messages(new MultilineOptions { Rule = rule, ParseJson = false }, lines));
    }

    [Fact]
    public void JavaProfileAndRule_FluentBitTailMultiline001MessageKey_JoinsAsFluentBit()
    {
        // Test-only decoding: Fluent Bit joins the 'message' key of JSON records; we feed that key's values.
        var lines = File.ReadAllLines(SharedCorpus.Log("fluent-bit/tail/multiline_001.log")).Where(l => l.Length > 0)
            .Select(l => JsonNode.Parse(l)!["message"]!.GetValue<string>()).ToList();
        var expected = File.ReadAllLines(SharedCorpus.Log("fluent-bit/tail/multiline_001.out")).Where(l => l.Length > 0)
            .Select(l => JsonNode.Parse(l)!["message"]!.GetValue<string>()).ToList();
        Assert.Equal(expected, Joining.Messages(Joining.Profile(MultilineProfile.Java), lines));
        var rule = new MultilineRule { Pattern = "^\\s+at", Match = MultilineMatch.After };
        Assert.Equal(expected, Joining.Messages(new MultilineOptions { Rule = rule, ParseJson = false }, lines));
    }

    [Fact]
    public void Rule_FluentBitDockerModeFirstLineParser_JoinsAsFluentBit()
    {
        // Test-only docker decoding (complete lines only): the 'log' value without its newline.
        static List<string> Logs(string file) => File.ReadAllLines(SharedCorpus.Log($"fluent-bit/tail/{file}")).Where(l => l.Length > 0)
            .Select(l => DetectExceptionsCorpusTests.TrimOneNewline(JsonNode.Parse(l)!["log"]!.GetValue<string>())).ToList();

        // Docker_Mode_Parser's first-line regex, restated on the decoded text: a date starts a record.
        var rule = new MultilineRule { Pattern = "^\\d{4}-\\d{2}-\\d{2}", Negate = true, Match = MultilineMatch.After };
        var expected = Logs("dockermode_multiple_lines.out").SelectMany(r => Joining.SplitLines(r + "\n")).ToList();
        var records = Joining.Messages(new MultilineOptions { Rule = rule, ParseJson = false }, Logs("dockermode_multiple_lines.log"));
        Assert.Equal(Logs("dockermode_multiple_lines.out"), records);
        Assert.Equal(expected, records.SelectMany(r => r.Split('\n')));
    }

    public static TheoryData<string> VectorCases()
    {
        var data = new TheoryData<string>();
        foreach (var c in Vector())
        {
            var id = c!["id"]!.GetValue<string>();

            // Vector's start_pattern that matches continuation lines has no Filebeat equivalent.
            if (id != "two_lines_emit_with_continue_through")
            {
                data.Add(id);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(VectorCases))]
    public void Rule_VectorLineAggCase_JoinsAsVector(string id)
    {
        var c = Vector().Single(n => n!["id"]!.GetValue<string>() == id)!;
        var condition = (c["condition_pattern"] ?? c["legacy_message_start_indicator"])!.GetValue<string>();
        var mode = c["mode"]!.GetValue<string>();
        var rule = mode switch
        {
            "continue_through" => new MultilineRule { Pattern = condition, Match = MultilineMatch.After },
            "continue_past" => new MultilineRule { Pattern = condition, Match = MultilineMatch.Before },
            "halt_with" => new MultilineRule { Pattern = condition, Negate = true, Match = MultilineMatch.Before },
            _ when mode.StartsWith("halt_before", StringComparison.Ordinal) => new MultilineRule { Pattern = condition, Negate = true, Match = MultilineMatch.After },
            _ => throw new InvalidOperationException(mode),
        };
        var lines = c["input_lines"]!.AsArray().Select(n => n!.GetValue<string>());
        Assert.Equal(c["expected_records"]!.AsArray().Select(n => n!.GetValue<string>()), Joining.Messages(new MultilineOptions { Rule = rule, ParseJson = false }, lines));
    }

    private static (List<string> Lines, List<string> Expected) FluentBit(string name)
    {
        var root = JsonNode.Parse(File.ReadAllText(SharedCorpus.Log($"fluent-bit/ml-engine/{name}.json")))!;
        var lines = root["input_lines"]!.AsArray().Select(n => DetectExceptionsCorpusTests.TrimOneNewline(n!.GetValue<string>()))

            // Test-only CRI decoding for the two-stage vector: "<time> <stream> F <message>" -> message.
            .Select(l => root["config"]!["stage1"] is null ? l : CriMessage(l))
            .ToList();
        var expected = root["expected_records"]!.AsArray().Select(n => DetectExceptionsCorpusTests.TrimOneNewline(n!.GetValue<string>())).ToList();
        return (lines, expected);
    }

    private static string CriMessage(string line)
    {
        var parts = line.Split(' ', 4);
        return parts.Length == 4 && parts[2] is "F" or "P" ? parts[3] : line;
    }

    private static JsonArray Vector() => JsonNode.Parse(File.ReadAllText(SharedCorpus.Log("vector/line-agg-cases.json")))!["cases"]!.AsArray();
}
