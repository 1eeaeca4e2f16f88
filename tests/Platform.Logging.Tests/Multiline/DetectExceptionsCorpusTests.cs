using System.Text.Json.Nodes;
using Platform.Logging.Multiline;
using Platform.Tests.Shared;

namespace Platform.Logging.Tests.Multiline;

/// <summary>Google's exception-detector traces (corpus/logs/detect-exceptions): each joined exactly as its expected file says.</summary>
public sealed class DetectExceptionsCorpusTests
{
    public static TheoryData<string> Samples()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(SharedCorpus.Log("detect-exceptions"), "*.expected.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(SharedCorpus.Log("detect-exceptions"), file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Auto_CorpusSample_JoinsAsExpected(string sample)
    {
        var (lines, expected, _) = Load(sample);
        Assert.Equal(expected, Joining.Messages(Joining.Profile(MultilineProfile.Auto), lines));
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void LanguageProfile_CorpusSample_JoinsAsExpected(string sample)
    {
        var (lines, expected, language) = Load(sample);
        var profile = language switch
        {
            "java" => MultilineProfile.Java,
            "javascript" => MultilineProfile.Node,
            "csharp" => MultilineProfile.DotNet,
            "python" => MultilineProfile.Python,
            "php" => MultilineProfile.Php,
            "go" => MultilineProfile.Go,
            "ruby" => MultilineProfile.Ruby,
            "dart" => MultilineProfile.Dart,
            _ => throw new InvalidOperationException($"unknown language {language} in {sample}"),
        };
        var records = Joining.Run(Joining.Profile(profile), lines);
        Assert.Equal(expected, records.Select(r => r.Message));
        Assert.Equal(lines.Count, records.Sum(r => r.Lines));
    }

    [Fact]
    public void Auto_BufferScenarios_JoinPerLanguageFilter()
    {
        var root = JsonNode.Parse(File.ReadAllText(SharedCorpus.Log("detect-exceptions/scenarios.json")))!;
        var count = 0;
        foreach (var scenario in root["buffer_scenarios"]!.AsArray())
        {
            var languages = TraceLanguages.None;
            foreach (var language in scenario!["languages"]!.AsArray())
            {
                languages |= language!.GetValue<string>() switch
                {
                    "all" => TraceLanguages.All,
                    "java" => TraceLanguages.Java,
                    "python" => TraceLanguages.Python,
                    "go" => TraceLanguages.Go,
                    "ruby" => TraceLanguages.Ruby,
                    var other => throw new InvalidOperationException($"unknown language {other}"),
                };
            }

            var joiner = new TraceLineJoiner(languages, 500, 10 * 1024 * 1024, TimeSpan.Zero, parseJson: false);
            var lines = Joining.SplitLines(string.Concat(scenario["input"]!.AsArray().Select(n => n!.GetValue<string>())));
            var expected = scenario["expected_records"]!.AsArray().Select(n => TrimOneNewline(n!.GetValue<string>())).ToList();
            Assert.Equal(expected, Joining.Run(joiner, lines).Select(r => r.Message));
            count++;
        }

        Assert.Equal(4, count);
    }

    [Fact]
    public void Auto_LimitScenarios_CutTraceAndFlagSplit()
    {
        var root = JsonNode.Parse(File.ReadAllText(SharedCorpus.Log("detect-exceptions/scenarios.json")))!;
        var count = 0;
        foreach (var scenario in root["limit_scenarios"]!.AsArray())
        {
            var limits = new LogLimits
            {
                MaxRecordLines = scenario!["max_lines"]?.GetValue<int>() ?? 500,
                MaxRecordBytes = scenario["max_bytes"]?.GetValue<int>() ?? 10 * 1024 * 1024,
            };
            var lines = Joining.SplitLines(string.Concat(scenario["input"]!.AsArray().Select(n => n!.GetValue<string>())));
            var expected = scenario["expected_records"]!.AsArray().Select(n => TrimOneNewline(n!.GetValue<string>())).ToList();
            var records = Joining.Run(Joining.Profile(MultilineProfile.Auto), lines, limits);
            Assert.Equal(expected, records.Select(r => r.Message));
            Assert.True(records[0].Flags.HasFlag(LogRecordFlags.RecordSplit), scenario["desc"]!.GetValue<string>());
            count++;
        }

        Assert.Equal(3, count);
    }

    internal static string TrimOneNewline(string s) => s.EndsWith('\n') ? s[..^1] : s;

    private static (List<string> Lines, List<string> Expected, string Language) Load(string sample)
    {
        var path = Path.Combine(SharedCorpus.Log("detect-exceptions"), sample);
        var meta = JsonNode.Parse(File.ReadAllText(path))!;
        var log = Path.Combine(Path.GetDirectoryName(path)!, meta["input_file"]!.GetValue<string>());
        var lines = Joining.SplitLines(File.ReadAllText(log));
        var expected = meta["expected_records"]!.AsArray().Select(n => n!.GetValue<string>()).ToList();
        return (lines, expected, meta["language"]!.GetValue<string>());
    }
}
