namespace Platform.Logging.Tests.Decoding;

public sealed class FormatDetectionTests
{
    private const string Docker = "{\"log\":\"hello\\n\",\"stream\":\"stdout\",\"time\":\"2024-01-01T00:00:00Z\"}";
    private const string Cri = "2024-01-01T00:00:00Z stderr F hello";

    [Fact]
    public void Read_GarbageThenDocker_DetectsDockerAndLaterGarbageIsFlagged()
    {
        var records = Decode.Lines(["garbage first", Docker, "garbage later", Cri]);

        Assert.Equal(["garbage first", "hello", "garbage later", "hello"], records.Select(r => r.Message));
        Assert.Equal(LogRecordFlags.None, records[0].Flags);
        Assert.Equal(LogRecordFlags.MalformedEnvelope, records[2].Flags);
        Assert.Equal([LogStream.Unknown, LogStream.Stdout, LogStream.Unknown, LogStream.Stderr], records.Select(r => r.Stream));
    }

    [Fact]
    public void Read_SixteenPlainLines_SettlesOnPlainTextForGood()
    {
        var lines = Enumerable.Range(0, 16).Select(i => $"plain {i}").Append(Docker).Append(Cri).ToList();

        var records = Decode.Lines(lines);

        Assert.Equal(18, records.Count);
        Assert.Equal(Docker, records[16].Message);
        Assert.Equal(Cri, records[17].Message);
        Assert.All(records, r => Assert.Equal((LogStream.Unknown, LogRecordFlags.None, (DateTimeOffset?)null), (r.Stream, r.Flags, r.Time)));
    }

    [Fact]
    public void Read_ForcedFormats_DoNotAcceptTheOtherEnvelope()
    {
        Assert.Equal(LogRecordFlags.MalformedEnvelope, Decode.Lines([Docker, Cri], LogFormat.Docker)[1].Flags);
        Assert.Equal(LogRecordFlags.MalformedEnvelope, Decode.Lines([Cri, Docker], LogFormat.Cri)[1].Flags);
        Assert.All(Decode.Lines([Docker, Cri], LogFormat.Raw), r => Assert.Equal(LogRecordFlags.None, r.Flags));
    }

    [Theory]
    [InlineData("2024-01-01T00:00:00Z stdout")]
    [InlineData("2024-01-01T00:00:00Z stdin F x")]
    [InlineData("2024-01-01 stdout F x")]
    [InlineData("2024-01-01T00:00:00Zstdout F x")]
    public void Read_NotQuiteCri_IsKeptRawAndMarked(string line)
    {
        var records = Decode.Lines([Cri, line], LogFormat.Cri);

        Assert.Equal(line, records[1].Message);
        Assert.Equal(LogRecordFlags.MalformedEnvelope, records[1].Flags);
    }

    [Fact]
    public void Read_CriEmptyMessages_AreEmptyLines()
    {
        var records = Decode.Lines(["2024-01-01T00:00:00Z stdout F", "2024-01-01T00:00:00Z stdout F ", "2024-01-01T00:00:00Z stdout P", "2024-01-01T00:00:00Z stdout F x"]);

        Assert.Equal(["", "", "x"], records.Select(r => r.Message));
    }
}
