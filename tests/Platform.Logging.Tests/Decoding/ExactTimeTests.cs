using System.Text;
using Platform.Logging.Decoding;
using Platform.Logging.Multiline;
using Platform.Logging.Reading;
using Platform.Tests.Shared;

namespace Platform.Logging.Tests.Decoding;

/// <summary>Runtime timestamps keep their nanoseconds exactly (<see cref="LogRecord.TimeNanosecond"/>) from the decoder through the joiners.</summary>
public sealed class ExactTimeTests
{
    [Theory]
    [InlineData("2024-01-02T03:04:05.123456789Z", 123456789)]
    [InlineData("2024-01-02T03:04:05.000000001Z", 1)]
    [InlineData("2024-01-02T03:04:05.999999999z", 999999999)]
    [InlineData("2024-01-02T03:04:05.12345678Z", 123456780)]
    [InlineData("2024-01-02T03:04:05.1234567Z", 123456700)]
    [InlineData("2024-01-02T03:04:05.123Z", 123000000)]
    [InlineData("2024-01-02T03:04:05.5Z", 500000000)]
    [InlineData("2024-01-02T03:04:05Z", 0)]
    [InlineData("2024-01-02T03:04:05.000000099+00:00", 99)]
    [InlineData("2024-01-02T05:04:05.987654321+02:00", 987654321)]
    [InlineData("2024-01-01T21:34:05.000000250-05:30", 250)]
    [InlineData("2024-01-02 03:04:05.123456789Z", 123456789)]
    public void TryParse_Fraction_NanosecondsExactAndTicksTruncated(string text, int nanos)
    {
        Assert.True(Rfc3339.TryParse(Encoding.ASCII.GetBytes(text), out var value, out var nanosecond));

        Assert.Equal(nanos, nanosecond);
        Assert.Equal(nanos / 100, value.Ticks % TimeSpan.TicksPerSecond);
    }

    [Theory]
    [InlineData("2024-01-02T03:04:05.1234567890Z")]
    [InlineData("2024-01-02T03:04:05.Z")]
    public void TryParse_BadFraction_ReturnsFalseAndNoNanoseconds(string text)
    {
        Assert.False(Rfc3339.TryParse(Encoding.ASCII.GetBytes(text), out _, out var nanosecond));
        Assert.Equal(0, nanosecond);
    }

    [Theory]
    [InlineData("2024-01-02T03:04:05.123456789Z", 123456789, 0)]
    [InlineData("2024-01-02T03:04:05.123Z", 123000000, 0)]
    [InlineData("2024-01-02T03:04:05Z", 0, 0)]
    [InlineData("2024-01-02T05:04:05.000000007+02:00", 7, 120)]
    [InlineData("2024-01-01T21:34:05.999999999-05:30", 999999999, -330)]
    public void Read_CriLine_ExactNanosecondsAndOffset(string stamp, int nanos, int offsetMinutes)
    {
        var record = Assert.Single(Decode.Lines([$"{stamp} stdout F hello"], LogFormat.Cri));

        Assert.Equal("hello", record.Message);
        Assert.Equal(nanos, record.TimeNanosecond);
        Assert.Equal(TimeSpan.FromMinutes(offsetMinutes), record.Time!.Value.Offset);
        Assert.Equal(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(nanos / 100), record.Time.Value.ToUniversalTime());
    }

    [Theory]
    [InlineData("2016-03-02T22:58:51.338462311Z", 338462311)]
    [InlineData("2016-03-02T22:58:51.33846Z", 338460000)]
    [InlineData("2016-03-02T23:58:51.000000042+01:00", 42)]
    public void Read_DockerLine_ExactNanosecondsOnBothParsingPaths(string stamp, int nanos)
    {
        string canonical = $"{{\"log\":\"hello\\n\",\"stream\":\"stdout\",\"time\":\"{stamp}\"}}";
        string general = $"{{\"stream\":\"stderr\", \"attrs\":{{\"a\":\"b\"}}, \"time\":\"{stamp}\", \"log\":\"hello\\n\"}}";

        var records = Decode.Lines([canonical, general], LogFormat.Docker);

        Assert.Equal(2, records.Count);
        Assert.All(records, r => Assert.Equal(nanos, r.TimeNanosecond));
        Assert.All(records, r => Assert.Equal(new DateTimeOffset(2016, 3, 2, 22, 58, 51, TimeSpan.Zero).AddTicks(nanos / 100), r.Time));
        Assert.Equal([LogStream.Stdout, LogStream.Stderr], records.Select(r => r.Stream));
    }

    [Fact]
    public void Read_DockerLineOverTheLineCap_KeepsExactNanosecondsFromTheKeptEnd()
    {
        string line = $"{{\"log\":\"{new string('x', 4096)}\\n\",\"stream\":\"stdout\",\"time\":\"2024-01-02T03:04:05.000000123Z\"}}\n";

        var record = Assert.Single(Decode.Bytes(Encoding.UTF8.GetBytes(line), Decode.Options(LogFormat.Docker, maxLineBytes: 1024)));

        Assert.Equal(LogRecordFlags.LineTruncated, record.Flags);
        Assert.Equal(123, record.TimeNanosecond);
    }

    [Fact]
    public void Read_CriPartials_KeepFirstFragmentsNanosecondsPerStream()
    {
        string input =
            "2024-01-02T03:04:05.000000001Z stdout P hel\n" +
            "2024-01-02T03:04:05.000000002Z stderr P oo\n" +
            "2024-01-02T03:04:05.000000003Z stdout F lo\n" +
            "2024-01-02T03:04:05.000000004Z stderr F ps\n" +
            "2024-01-02T03:04:05.000000005Z stdout P never \n" +
            "2024-01-02T03:04:05.000000006Z stdout P finished\n";

        var records = Decode.Text(input, LogFormat.Cri);

        Assert.Equal(["hello", "oops", "never finished"], records.Select(r => r.Message));
        Assert.Equal([1, 2, 5], records.Select(r => r.TimeNanosecond!.Value));
        Assert.Equal(LogRecordFlags.IncompletePartial, records[2].Flags);
    }

    [Fact]
    public void Read_DockerFragments_KeepFirstFragmentsNanoseconds()
    {
        string[] lines =
        [
            "{\"log\":\"part one, \",\"stream\":\"stdout\",\"time\":\"2024-01-02T03:04:05.111111111Z\"}",
            "{\"log\":\"part two\\n\",\"stream\":\"stdout\",\"time\":\"2024-01-02T03:04:05.222222222Z\"}",
        ];

        var record = Assert.Single(Decode.Lines(lines, LogFormat.Docker));

        Assert.Equal("part one, part two", record.Message);
        Assert.Equal(111111111, record.TimeNanosecond);
    }

    [Theory]
    [InlineData(LogFormat.Raw)]
    [InlineData(LogFormat.Auto)]
    public void Read_PlainText_NoTimeNoNanoseconds(LogFormat format)
    {
        var record = Assert.Single(Decode.Lines(["2024-01-02T03:04:05.123456789Z looks like a time"], format));

        Assert.Null(record.Time);
        Assert.Null(record.TimeNanosecond);
    }

    [Theory]
    [InlineData(MultilineProfile.Java)]
    [InlineData(MultilineProfile.Auto)]
    public void Read_CriJavaTrace_RecordHasFirstLinesNanoseconds(MultilineProfile profile)
    {
        string input =
            "2024-01-02T03:04:05.100000001Z stderr F java.lang.IllegalStateException: boom\n" +
            "2024-01-02T03:04:05.100000002Z stderr F \tat a.B.c(B.java:1)\n" +
            "2024-01-02T03:04:05.100000003Z stderr F \tat a.B.d(B.java:2)\n" +
            "2024-01-02T03:04:06.000000004Z stderr F next event\n";
        var options = Decode.Options(LogFormat.Cri) with { Multiline = new MultilineOptions { Profile = profile } };

        var records = Decode.Bytes(Encoding.UTF8.GetBytes(input), options);

        Assert.Equal([3, 1], records.Select(r => r.Lines));
        Assert.Equal([100000001, 4], records.Select(r => r.TimeNanosecond!.Value));
    }

    [Fact]
    public void Read_PythonTraceThenBlankLine_HeldBlankLineKeepsItsOwnNanoseconds()
    {
        // The blank line after a traceback is held (a chained traceback may follow); when none does, it is a record of its own.
        string input =
            "2024-01-02T03:04:05.000000021Z stderr F Traceback (most recent call last):\n" +
            "2024-01-02T03:04:05.000000022Z stderr F   File \"app.py\", line 1, in <module>\n" +
            "2024-01-02T03:04:05.000000023Z stderr F ValueError: boom\n" +
            "2024-01-02T03:04:05.000000024Z stderr F \n" +
            "2024-01-02T03:04:05.000000025Z stderr F next event\n";
        var options = Decode.Options(LogFormat.Cri) with { Multiline = new MultilineOptions { Profile = MultilineProfile.Python } };

        var records = Decode.Bytes(Encoding.UTF8.GetBytes(input), options);

        Assert.Equal([3, 1, 1], records.Select(r => r.Lines));
        Assert.Equal(["", "next event"], records.Skip(1).Select(r => r.Message));
        Assert.Equal([21, 24, 25], records.Select(r => r.TimeNanosecond!.Value));
    }

    [Fact]
    public void Read_FilebeatPatternRule_RecordHasFirstLinesNanoseconds()
    {
        string input =
            "2024-01-02T03:04:05.000000011Z stdout F [2024] start\n" +
            "2024-01-02T03:04:05.000000012Z stdout F   continued\n" +
            "2024-01-02T03:04:05.000000013Z stdout F [2024] second\n";
        var rule = new MultilineRule { Pattern = "^\\[", Negate = true, Match = MultilineMatch.After };
        var options = Decode.Options(LogFormat.Cri) with { Multiline = new MultilineOptions { Rule = rule, ParseJson = false } };

        var records = Decode.Bytes(Encoding.UTF8.GetBytes(input), options);

        Assert.Equal(["[2024] start\n  continued", "[2024] second"], records.Select(r => r.Message));
        Assert.Equal([11, 13], records.Select(r => r.TimeNanosecond!.Value));
    }

    [Fact]
    public void Read_JsonLineInsideCri_RuntimeNanosecondsWin()
    {
        string input = "2024-01-02T03:04:05.123456789Z stdout F {\"@t\":\"2020-01-01T00:00:00Z\",\"@mt\":\"hi\"}\n";
        var options = Decode.Options(LogFormat.Cri) with { Multiline = new MultilineOptions { Profile = MultilineProfile.None, ParseJson = true } };

        var record = Assert.Single(Decode.Bytes(Encoding.UTF8.GetBytes(input), options));

        Assert.NotNull(record.Fields);
        Assert.Equal(123456789, record.TimeNanosecond);
        Assert.Equal(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(1234567), record.Time);
    }

    [Fact]
    public void Read_JsonLineOwnTime_NoExactNanoseconds()
    {
        var options = Decode.Options(LogFormat.Raw) with { Multiline = new MultilineOptions { Profile = MultilineProfile.None, ParseJson = true } };

        var record = Assert.Single(Decode.Bytes("{\"@t\":\"2024-01-02T03:04:05.1234567Z\",\"@mt\":\"hi\"}\n"u8.ToArray(), options));

        Assert.Equal(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(1234567), record.Time);
        Assert.Null(record.TimeNanosecond);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1_000_000_000)]
    public void TimeNanosecond_OutOfRange_Throws(int nanos) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new LogRecord { TimeNanosecond = nanos });

    [Fact]
    public void TimeNanosecond_DefaultAndNull_AreNull()
    {
        Assert.Null(new LogRecord().TimeNanosecond);
        Assert.Null((new LogRecord { TimeNanosecond = 5 } with { TimeNanosecond = null }).TimeNanosecond);
        Assert.Equal(0, new LogRecord { TimeNanosecond = 0 }.TimeNanosecond);
    }

    [Fact]
    public void Pipeline_CriJavaHeavyLogWithNanoseconds_AllocatesOnlyRecordAndMessage()
    {
        // Decoder and java joiner together: carrying the exact nanoseconds costs no object per record.
        var lines = JavaHeavyLog.Lines(3000);
        var input = lines.Select((l, i) => Encoding.UTF8.GetBytes($"2024-01-02T03:04:05.{i % 1_000_000_000:D9}Z stdout F {l}\n")).ToList();
        var options = Decode.Options(LogFormat.Cri) with { Multiline = new MultilineOptions { Profile = MultilineProfile.Java } };
        using var pipeline = new LogPipeline(options);
        var recordSize = AllocationSizes.Record();
        Feed(pipeline, input, recordSize, out _, out _); // warm-up: pools, JIT, tiering

        // The least of three passes: a one-off runtime allocation (tiering, pools) is not a per-record cost.
        long allocated = long.MaxValue, ceiling = 0;
        int records = 0;
        for (var pass = 0; pass < 3; pass++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            Feed(pipeline, input, recordSize, out ceiling, out records);
            allocated = Math.Min(allocated, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.InRange(records, 3000, 3001);
        // One more object per record (24 bytes at least, 72 KB here) would pass the slack of 16 KB.
        Assert.True(allocated <= ceiling + 16384, $"allocated {allocated} bytes for {records} records; the record + message ceiling is {ceiling}");
    }

    // Writes line by line and drains the output after each write (so the output list never grows), summing what the records may cost.
    private static void Feed(LogPipeline pipeline, List<byte[]> input, long recordSize, out long ceiling, out int records)
    {
        ceiling = 0;
        records = 0;
        for (var i = 0; i < input.Count; i++)
        {
            pipeline.Write(input[i]);
            foreach (var record in pipeline.Output)
            {
                Assert.True(record.TimeNanosecond is >= 0 and < 1_000_000_000);
                ceiling += recordSize + AllocationSizes.String(record.Message.Length);
                records++;
            }

            pipeline.Output.Clear();
        }
    }
}
