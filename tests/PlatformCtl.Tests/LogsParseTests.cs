using System.Text.Json.Nodes;

namespace PlatformCtl.Tests;

public sealed class LogsParseTests
{
    private static string Logs => Path.Combine(PlatformCtlRunner.SharedDir, "corpus", "logs");

    [Fact]
    public async Task Parse_DockerFileAsJson_OneObjectPerRecordWithTheContractFields()
    {
        string file = Path.Combine(Logs, "beats", "files", "docker_corrupted.log");

        var r = await PlatformCtlRunner.RunAsync("logs", "parse", file, "--multiline", "none", "-o", "json");

        Assert.Equal(0, r.ExitCode);
        var records = r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        Assert.Equal(File.ReadAllLines(file).Length, records.Count);
        Assert.All(records, o => Assert.True(o.ContainsKey("time") && o.ContainsKey("stream") && o.ContainsKey("level") && o.ContainsKey("message") && o.ContainsKey("lines")));
        Assert.Equal("Fetching main repository github.com/elastic/beats...", records[0]["message"]!.GetValue<string>());
        Assert.Equal("stdout", records[0]["stream"]!.GetValue<string>());
        // The runtime wrote 2016-03-02T22:58:51.338462311Z: all nine digits come out.
        Assert.Equal("2016-03-02T22:58:51.338462311Z", records[0]["time"]!.GetValue<string>());
        Assert.Equal(1, records[0]["lines"]!.GetValue<int>());
        Assert.Equal("malformedEnvelope", records[6]["flags"]![0]!.GetValue<string>());
        Assert.Equal("Moving binaries to host...", records[^1]["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Parse_CriFromStdin_ReassemblesPartialsPerStream()
    {
        string input = "2024-01-01T00:00:00.000000001Z stdout P hello \n2024-01-01T00:00:00.5Z stderr F oops\n2024-01-01T00:00:01Z stdout F world\n";

        var r = await PlatformCtlRunner.RunWithInputAsync(input, "logs", "parse", "-", "--format", "cri", "--multiline", "none", "-o", "json");

        Assert.Equal(0, r.ExitCode);
        var records = r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(["oops", "hello world"], records.Select(o => o["message"]!.GetValue<string>()));
        Assert.Equal(["stderr", "stdout"], records.Select(o => o["stream"]!.GetValue<string>()));
        // The reassembled line has its first fragment's time, to the nanosecond.
        Assert.Equal(["2024-01-01T00:00:00.500000000Z", "2024-01-01T00:00:00.000000001Z"], records.Select(o => o["time"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Parse_ExactTimeWithOffset_PrintsUtcWithNineDigits()
    {
        string input = "2024-01-02T05:04:05.123456789+02:00 stdout F hello\n";

        var r = await PlatformCtlRunner.RunWithInputAsync(input, "logs", "parse", "-", "--format", "cri", "-o", "json");

        Assert.Equal(0, r.ExitCode);
        Assert.Equal("2024-01-02T03:04:05.123456789Z", JsonNode.Parse(r.StdOut)!["time"]!.GetValue<string>());
    }

    [Fact]
    public async Task Parse_JsonLineOwnTime_PrintsRoundTripFormatAsBefore()
    {
        string input = "{\"@t\":\"2024-12-04T10:00:00.1234567+01:00\",\"@mt\":\"Started\"}\n";

        var r = await PlatformCtlRunner.RunWithInputAsync(input, "logs", "parse", "-", "--format", "raw", "-o", "json");

        Assert.Equal(0, r.ExitCode);
        Assert.Equal("2024-12-04T10:00:00.1234567+01:00", JsonNode.Parse(r.StdOut)!["time"]!.GetValue<string>());
    }

    [Fact]
    public async Task Parse_Stats_PrintsOneObjectWithCounts()
    {
        string file = Path.Combine(Logs, "detect-exceptions", "java", "COMPLEX_JAVA_EXC.log");

        var r = await PlatformCtlRunner.RunAsync("logs", "parse", file, "--multiline", "java", "--stats");

        Assert.Equal(0, r.ExitCode);
        var stats = JsonNode.Parse(r.StdOut)!.AsObject();
        Assert.Equal(["records", "lines", "bytes", "seconds"], stats.Select(p => p.Key));
        Assert.Equal(new FileInfo(file).Length, stats["bytes"]!.GetValue<long>());
        // Whatever the joining, every physical line is in exactly one record.
        Assert.Equal(File.ReadAllLines(file).Length, stats["lines"]!.GetValue<long>());
        Assert.InRange(stats["records"]!.GetValue<long>(), 1, stats["lines"]!.GetValue<long>());
    }

    [Fact]
    public async Task Parse_DefaultText_PrintsTimeStreamAndMessage()
    {
        string input = "{\"log\":\"started\\n\",\"stream\":\"stdout\",\"time\":\"2024-01-01T00:00:00Z\"}\n";

        var r = await PlatformCtlRunner.RunWithInputAsync(input, "logs", "parse");

        Assert.Equal(0, r.ExitCode);
        Assert.Equal("2024-01-01T00:00:00.000000000Z stdout started\n", r.StdOut);
    }

    [Theory]
    [InlineData(2, "--format", "xml")]
    [InlineData(2, "--multiline", "cobol")]
    [InlineData(2, "--negate")]
    [InlineData(2, "--match", "before")]
    [InlineData(2, "--pattern", "(unclosed")]
    [InlineData(2, "--no-such-flag")]
    [InlineData(1, "/nonexistent/app.log")]
    public async Task Parse_BadArguments_FailWithOneErrorLine(int exitCode, params string[] args)
    {
        var r = await PlatformCtlRunner.RunWithInputAsync("", ["logs", "parse", .. args]);

        Assert.Equal(exitCode, r.ExitCode);
        Assert.StartsWith("Error: ", r.StdErr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, r.StdOut);
    }
}
