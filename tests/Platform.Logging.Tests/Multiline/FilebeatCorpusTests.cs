using System.Text.Json.Nodes;
using Platform.Logging.Multiline;
using Platform.Tests.Shared;

namespace Platform.Logging.Tests.Multiline;

/// <summary>Filebeat's multiline reader vectors and system-test expectations (corpus/logs/beats), restated as data.</summary>
public sealed class FilebeatCorpusTests
{
    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var c in ReaderCases()["cases"]!.AsArray())
        {
            data.Add(c!["id"]!.GetValue<string>());
        }

        return data;
    }

    public static TheoryData<string> TruncationCases()
    {
        var data = new TheoryData<string>();
        foreach (var c in ReaderCases()["truncation_cases"]!.AsArray())
        {
            data.Add(c!["id"]!.GetValue<string>());
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Rule_ReaderCase_JoinsAsFilebeat(string id)
    {
        var c = Case("cases", id);
        var records = Joining.Run(new MultilineOptions { Rule = ToRule(c["config"]!), ParseJson = false }, Joining.SplitLines(c["input"]!.GetValue<string>()));
        Assert.Equal(c["expected_records"]!.AsArray().Select(n => n!.GetValue<string>()), records.Select(r => r.Message));

        // Filebeat's byte count per event is the raw bytes consumed: the lines plus their newlines.
        var bytes = c["expected_bytes"]!.AsArray().Select(n => n!.GetValue<int>());
        Assert.Equal(bytes, records.Select(r => System.Text.Encoding.UTF8.GetByteCount(r.Message) + 1));
        Assert.All(records, r => Assert.False(r.Flags.HasFlag(LogRecordFlags.RecordSplit)));
    }

    [Theory]
    [MemberData(nameof(TruncationCases))]
    public void Rule_TruncationCase_SplitsInsteadOfDropping(string id)
    {
        var c = Case("truncation_cases", id);
        var input = Joining.SplitLines(c["input"]!.GetValue<string>());
        var records = Joining.Run(new MultilineOptions { Rule = ToRule(c["config"]!), ParseJson = false }, input);
        var filebeat = (c["expected_records"] ?? c["expected_records_derived"])!.AsArray().Select(n => n!.GetValue<string>()).ToList();
        var truncated = c["expected_flags"]!.AsArray().Any(n => n!.GetValue<string>() == "truncated");

        // Filebeat's (truncated) events are exactly our records that do not continue a cut record...
        var maxLines = c["config"]!["max_lines"]!.GetValue<int>();
        Assert.Equal(filebeat, records.Where((r, i) => !IsContinuation(records, i, maxLines)).Select(r => r.Message));

        // ...and the lines Filebeat drops come back in continuation records, so nothing is lost.
        Assert.Equal(input, records.SelectMany(r => r.Message.Split('\n')));
        Assert.Equal(truncated, records.Any(r => r.Flags.HasFlag(LogRecordFlags.RecordSplit)));
    }

    [Fact]
    public void Rule_CStyleLogFile_FourEvents()
    {
        var c = SystemCase("files/multiline-c-log.log");
        var lines = Joining.SplitLines(File.ReadAllText(SharedCorpus.Log("beats/files/multiline-c-log.log")));
        var messages = Joining.Messages(new MultilineOptions { Rule = ToRule(c["config"]!), ParseJson = false }, lines);
        Assert.Equal(c["expected_records_derived"]!.AsArray().Select(n => n!.GetValue<string>()), messages);
        Assert.Equal(c["expected_event_count"]!.GetValue<int>(), messages.Count);
    }

    [Fact]
    public void Rule_RabbitMqReport_ThreeEventsKeepingEmptyLines()
    {
        var c = ReadSystem()["cases"]!.AsArray().Single(n => n!["from"]!.GetValue<string>().Contains("rabbitmq", StringComparison.Ordinal))!;
        var lines = Joining.SplitLines(c["inline_input"]!.GetValue<string>());
        var records = Joining.Run(new MultilineOptions { Rule = ToRule(c["config"]!), ParseJson = false }, lines);
        Assert.Equal(c["expected_event_count"]!.GetValue<int>(), records.Count);
        Assert.All(records, r => Assert.EndsWith("'queue.declare'}\n\n", r.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Rule_TimeoutBetweenPhases_ThreeEvents()
    {
        var c = ReadSystem()["cases"]!.AsArray().Single(n => n!["from"]!.GetValue<string>().Contains("test_timeout", StringComparison.Ordinal))!;
        var joiner = LineJoiner.Create(new MultilineOptions { Rule = ToRule(c["config"]!), ParseJson = false }, new LogLimits());
        var output = new List<LogRecord>();
        var now = DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var phases = c["inline_input_phases"]!.AsArray().Select(n => n!.GetValue<string>()).ToList();
        foreach (var line in Joining.SplitLines(phases[0]))
        {
            joiner.Add(new(null, LogStream.Stdout, line, LogRecordFlags.None), output);
        }

        joiner.FlushIdle(now, output);
        Assert.Empty(output);
        joiner.FlushIdle(now.AddSeconds(4), output);
        Assert.Empty(output);
        joiner.FlushIdle(now.AddSeconds(5), output);
        Assert.Single(output);
        Assert.True(output[0].Flags.HasFlag(LogRecordFlags.FlushedByTimeout));

        foreach (var line in Joining.SplitLines(phases[1]))
        {
            joiner.Add(new(null, LogStream.Stdout, line, LogRecordFlags.None), output);
        }

        joiner.Flush(output);
        Assert.Equal(c["expected_event_count"]!.GetValue<int>(), output.Count);
        Assert.Equal("  This should not be third\n  This should not be fourth", output[1].Message);
    }

    [Fact]
    public void Rule_JsonMultilineFile_JoinsMessageKey()
    {
        // Test-only decoding: Filebeat decodes JSON first, then joins the message key.
        var c = SystemCase("files/json_multiline.log");
        var lines = File.ReadAllLines(SharedCorpus.Log("beats/files/json_multiline.log")).Where(l => l.Length > 0)
            .Select(l => JsonNode.Parse(l)!["log_line"]!.GetValue<string>());
        var messages = Joining.Messages(new MultilineOptions { Rule = ToRule(c["config_derived"]!["multiline"]!), ParseJson = false }, lines);
        Assert.Equal(c["expected_records_derived"]!.AsArray().Select(n => n!.GetValue<string>()), messages);
    }

    internal static MultilineRule ToRule(JsonNode config) => new()
    {
        Type = (config["type"]?.GetValue<string>() ?? "pattern") switch
        {
            "pattern" => MultilineRuleType.Pattern,
            "count" => MultilineRuleType.Count,
            "while_pattern" => MultilineRuleType.WhilePattern,
            var t => throw new InvalidOperationException($"type {t}"),
        },
        Pattern = config["pattern"]?.GetValue<string>(),
        Negate = config["negate"]?.GetValue<bool>() ?? false,
        Match = config["match"]?.GetValue<string>() == "before" ? MultilineMatch.Before : MultilineMatch.After,
        FlushPattern = config["flush_pattern"]?.GetValue<string>(),
        CountLines = config["count_lines"]?.GetValue<int>() ?? 0,
        MaxLines = config["max_lines"]?.GetValue<int>() ?? 500,
    };

    // A continuation follows a record that was cut at the line limit; both carry RecordSplit.
    private static bool IsContinuation(List<LogRecord> records, int index, int maxLines) =>
        index > 0 && records[index - 1].Lines == maxLines && records[index - 1].Flags.HasFlag(LogRecordFlags.RecordSplit)
        && records[index].Flags.HasFlag(LogRecordFlags.RecordSplit);

    private static JsonNode ReaderCases() => JsonNode.Parse(File.ReadAllText(SharedCorpus.Log("beats/multiline-reader-cases.json")))!;

    private static JsonNode ReadSystem() => JsonNode.Parse(File.ReadAllText(SharedCorpus.Log("beats/system-test-expectations.json")))!;

    private static JsonNode SystemCase(string file) => ReadSystem()["cases"]!.AsArray().Single(n => n!["file"]?.GetValue<string>() == file)!;

    private static JsonNode Case(string group, string id) => ReaderCases()[group]!.AsArray().Single(n => n!["id"]!.GetValue<string>() == id)!;
}
