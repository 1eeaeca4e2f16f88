using System.Text.Json.Nodes;
using Platform.Tests.Shared;

namespace Platform.Logging.Tests.Decoding;

/// <summary>The docker/CRI samples of the shared corpus (Fluent Bit and Filebeat test vectors), decoded with joining off.</summary>
public sealed class CorpusDecodingTests
{
    public static TheoryData<string> FluentBitEngineFiles => new() { "docker.json", "cri.json", "container_mix.json", "docker_cri_chain.json" };

    [Theory]
    [MemberData(nameof(FluentBitEngineFiles))]
    public void Read_FluentBitContainerVectors_ReassemblesFragmentsPerStream(string file)
    {
        var vector = JsonNode.Parse(File.ReadAllText(SharedCorpus.Log(Path.Combine("fluent-bit", "ml-engine", file))))!;
        // The vectors were fed to Fluent Bit record by record; two docker lines carry a raw newline inside the JSON string
        // (a C "\n" in the upstream test). On disk docker always escapes it, so the file we build does too.
        var lines = vector["input_lines"]!.AsArray().Select(l => l!.GetValue<string>().Replace("\n", "\\n", StringComparison.Ordinal));
        var expected = vector["expected_records"]!.AsArray().Select(e => TrimNewline(e!.GetValue<string>())).ToList();

        var records = Decode.Lines(lines);

        Assert.Equal(expected, records.Select(r => r.Message).ToList());
    }

    [Fact]
    public void Read_FluentBitCri_KeepsStreamsAndFirstFragmentTime()
    {
        var vector = JsonNode.Parse(File.ReadAllText(SharedCorpus.Log(Path.Combine("fluent-bit", "ml-engine", "cri.json"))))!;
        var records = Decode.Lines(vector["input_lines"]!.AsArray().Select(l => l!.GetValue<string>()));

        Assert.Equal(
            [LogStream.Stdout, LogStream.Stderr, LogStream.Stdout, LogStream.Stderr, LogStream.Stdout, LogStream.Stdout, LogStream.Stderr, LogStream.Stderr],
            records.Select(r => r.Stream));
        // "2019-05-07T18:57:50.904275087+00:00" — the first P line's time, truncated to 100 ns.
        Assert.Equal(new DateTimeOffset(2019, 5, 7, 18, 57, 50, TimeSpan.Zero).AddTicks(9042750), records[0].Time);
        Assert.All(records, r => Assert.Equal(LogRecordFlags.None, r.Flags));
    }

    [Fact]
    public void Read_FluentBitDocker_ForeignLineFlushesPendingFragmentVisibly()
    {
        var vector = JsonNode.Parse(File.ReadAllText(SharedCorpus.Log(Path.Combine("fluent-bit", "ml-engine", "docker.json"))))!;
        var records = Decode.Lines(vector["input_lines"]!.AsArray().Select(l => l!.GetValue<string>().Replace("\n", "\\n", StringComparison.Ordinal)));

        Assert.Equal(LogRecordFlags.IncompletePartial, records[3].Flags);
        Assert.Equal(LogStream.Stderr, records[3].Stream);
        Assert.Equal(LogRecordFlags.MalformedEnvelope, records[4].Flags);
        Assert.Equal(LogStream.Unknown, records[4].Stream);
    }

    [Theory]
    [InlineData("dockermode")]
    [InlineData("dockermode_splitted_line")]
    [InlineData("3943")]
    public void Read_FluentBitTailFiles_MatchExpectedRecords(string name)
    {
        string dir = SharedCorpus.Log(Path.Combine("fluent-bit", "tail"));
        var expected = File.ReadAllLines(Path.Combine(dir, name + ".out"))
            .Where(l => l.Length > 0)
            .Select(l => TrimNewline(JsonNode.Parse(l)!["log"]!.GetValue<string>()))
            .ToList();

        var records = Decode.Bytes(File.ReadAllBytes(Path.Combine(dir, name + ".log")), Decode.Options());

        Assert.Equal(expected, records.Select(r => r.Message).ToList());
    }

    [Fact]
    public void Read_BeatsCorruptedDockerFile_KeepsEveryLineAndMarksTheBrokenOne()
    {
        string root = SharedCorpus.Log("beats");
        var expectations = JsonNode.Parse(File.ReadAllText(Path.Combine(root, "system-test-expectations.json")))!;
        var entry = FindEntry(expectations, "files/docker_corrupted.log");
        var expected = entry["expected_records_derived"]!.AsArray().Select(e => e!.GetValue<string>()).ToList();
        string[] rawLines = File.ReadAllLines(Path.Combine(root, "files", "docker_corrupted.log"));

        var records = Decode.Bytes(File.ReadAllBytes(Path.Combine(root, "files", "docker_corrupted.log")), Decode.Options());

        Assert.Equal(rawLines.Length, records.Count);
        var broken = Assert.Single(records, r => r.Flags.HasFlag(LogRecordFlags.MalformedEnvelope));
        Assert.Equal(rawLines[6], broken.Message);
        Assert.Equal(expected, records.Where(r => r != broken).Select(r => r.Message).ToList());
        Assert.All(records.Where(r => r != broken), r => Assert.Equal(LogStream.Stdout, r.Stream));
        Assert.Equal(entry["expected_event_count"]!.GetValue<int>(), records.Count - 1);
    }

    public static TheoryData<string> BeatsCases()
    {
        var data = new TheoryData<string>();
        var cases = JsonNode.Parse(File.ReadAllText(SharedCorpus.Log(Path.Combine("beats", "docker-cri-reader-cases.json"))))!["cases"]!.AsArray();
        foreach (var c in cases)
        {
            data.Add(c!["name"]!.GetValue<string>());
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(BeatsCases))]
    public void Read_BeatsReaderCases_DecodeAsFilebeatOrKeepTheLineVisibly(string name)
    {
        var cases = JsonNode.Parse(File.ReadAllText(SharedCorpus.Log(Path.Combine("beats", "docker-cri-reader-cases.json"))))!["cases"]!.AsArray();
        var c = cases.Single(x => x!["name"]!.GetValue<string>() == name)!;
        var lines = c["input_lines"]!.AsArray().Select(l => l!.GetValue<string>().TrimEnd('\n')).ToList();
        var config = c["config"]!;
        var expected = c["expected"]!;
        LogFormat format = config["format"]!.GetValue<string>() switch
        {
            "docker" => LogFormat.Docker,
            "cri" => LogFormat.Cri,
            _ => LogFormat.Auto,
        };
        string streamFilter = config["stream"]!.GetValue<string>();

        var records = Decode.Lines(lines, format);

        // Deliberate differences from Filebeat: fragments are always joined (no "partial: false"), and a docker line
        // without "time" is decoded with no time instead of being rejected.
        if (!config["partial"]!.GetValue<bool>() && name.StartsWith("Docker split", StringComparison.Ordinal))
        {
            Assert.Equal("1:M 09 Nov 13:27:36.276 # User requested shutdown...", Assert.Single(records).Message);
            return;
        }

        if (name == "Missing time")
        {
            var record = Assert.Single(records);
            Assert.Null(record.Time);
            Assert.Equal("1:M 09 Nov 13:27:36.276 # User requested shutdown...", record.Message);
            return;
        }

        if (expected["error"] is not null)
        {
            // Filebeat skips the line; we keep it, raw, as a record (marked when the format is known).
            var kept = records.Last();
            Assert.Equal(lines[^1], kept.Message);
            if (format != LogFormat.Auto)
            {
                Assert.True(kept.Flags.HasFlag(LogRecordFlags.MalformedEnvelope));
            }

            return;
        }

        // The first decoded record (a raw line kept before it has no stream) of the stream Filebeat was asked for.
        var first = records.First(r => r.Stream != LogStream.Unknown
            && (streamFilter == "all" || r.Stream.ToString().Equals(streamFilter, StringComparison.OrdinalIgnoreCase)));
        Assert.Equal(TrimNewline(expected["content"]!.GetValue<string>()), first.Message);
        Assert.Equal(expected["stream"]!.GetValue<string>(), first.Stream.ToString().ToLowerInvariant());
        Assert.Equal(ParseTruncated(expected["timestamp"]!.GetValue<string>()), first.Time);
    }

    private static DateTimeOffset ParseTruncated(string rfc3339Nano)
    {
        // "2017-11-09T13:27:36.277747246Z" -> whole seconds + the first 7 fraction digits.
        int dot = rfc3339Nano.IndexOf('.', StringComparison.Ordinal);
        var seconds = DateTimeOffset.Parse(rfc3339Nano[..dot] + "Z", System.Globalization.CultureInfo.InvariantCulture);
        string fraction = rfc3339Nano[(dot + 1)..^1].PadRight(7, '0')[..7];
        return seconds.AddTicks(long.Parse(fraction, System.Globalization.CultureInfo.InvariantCulture));
    }

    private static JsonNode FindEntry(JsonNode expectations, string file)
    {
        foreach (var property in expectations.AsObject())
        {
            if (property.Value is JsonArray array)
            {
                foreach (var item in array)
                {
                    if (item?["file"]?.GetValue<string>() == file)
                    {
                        return item;
                    }
                }
            }
        }

        throw new InvalidOperationException(file + " not found in system-test-expectations.json");
    }

    private static string TrimNewline(string s) => s.EndsWith('\n') ? s[..^1] : s;
}
