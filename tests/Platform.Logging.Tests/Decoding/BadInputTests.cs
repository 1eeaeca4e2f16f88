using System.Text;
using Platform.Logging.Decoding;
using Platform.Logging.Multiline;
using Platform.Logging.Reading;

namespace Platform.Logging.Tests.Decoding;

/// <summary>Hostile input: every case ends with bounded memory, a visible marker, and nothing silently dropped.</summary>
[Collection(nameof(MemoryMeasuringCollection))]
public sealed class BadInputTests
{
    private const int HundredMegabytes = 100 * 1024 * 1024;

    [Fact]
    public void Read_InvalidUtf8_ReplacesWithFffdAndFlags()
    {
        byte[] input = [.. "ok "u8, 0xFF, 0xC3, (byte)' ', .. "end\n"u8, .. "fine\n"u8];

        var records = Decode.Bytes(input, Decode.Options(LogFormat.Raw));

        Assert.Equal("ok \uFFFD\uFFFD end", records[0].Message);
        Assert.Equal(LogRecordFlags.InvalidUtf8, records[0].Flags);
        Assert.Equal("fine", records[1].Message);
        Assert.Equal(LogRecordFlags.None, records[1].Flags);
    }

    [Fact]
    public void Read_InvalidUtf8InsideDockerLog_DecodesEnvelopeAndFlags()
    {
        byte[] input = [.. "{\"log\":\"bad "u8, 0xFE, .. "\\n\",\"stream\":\"stderr\",\"time\":\"2024-01-01T00:00:00Z\"}\n"u8];

        var record = Assert.Single(Decode.Bytes(input, Decode.Options(LogFormat.Docker)));

        Assert.Equal("bad \uFFFD", record.Message);
        Assert.Equal(LogStream.Stderr, record.Stream);
        Assert.True(record.Flags.HasFlag(LogRecordFlags.InvalidUtf8));
    }

    [Fact]
    public void Read_InvalidUtf8SplitAcrossCriPartials_FlagsTheJoinedLineOnce()
    {
        // A valid 2-byte character split over a P and an F line must survive reassembly.
        byte[] input = [.. "2024-01-01T00:00:00Z stdout P caf"u8, 0xC3, (byte)'\n', .. "2024-01-01T00:00:01Z stdout F "u8, 0xA9, (byte)'\n'];

        var record = Assert.Single(Decode.Bytes(input, Decode.Options()));

        Assert.Equal("café", record.Message);
        Assert.Equal(LogRecordFlags.None, record.Flags);
    }

    [Fact]
    public void Read_NulBytes_AreKeptNotDropped()
    {
        byte[] input = [.. "a"u8, 0, .. "b\n"u8, 0, 0, 0, .. "{\"log\":\"x\\n\",\"stream\":\"stdout\"}\n"u8];

        var records = Decode.Bytes(input, Decode.Options(LogFormat.Docker));

        Assert.Equal(2, records.Count);
        Assert.Equal("a\0b", records[0].Message);
        Assert.Equal(LogRecordFlags.MalformedEnvelope, records[0].Flags);
        Assert.Equal("\0\0\0{\"log\":\"x\\n\",\"stream\":\"stdout\"}", records[1].Message);
        Assert.Equal(LogRecordFlags.MalformedEnvelope, records[1].Flags);
    }

    [Theory]
    [InlineData(LogFormat.Raw, "", LogStream.Unknown)]
    [InlineData(LogFormat.Auto, "2024-05-06T07:08:09.123456789Z stderr F ", LogStream.Stderr)]
    public void Read_HundredMegabyteLine_TruncatesWithMarkerInBoundedMemory(LogFormat format, string prefix, LogStream stream)
    {
        var options = Decode.Options(format);
        var input = new GeneratedStream(Encoding.UTF8.GetBytes(prefix), "0123456789abcdé"u8.ToArray(), HundredMegabytes, "\nnext line\n"u8.ToArray());
        long before = GC.GetAllocatedBytesForCurrentThread();

        var records = Decode.Stream(input, options);

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(2, records.Count);
        Assert.Equal(LogRecordFlags.LineTruncated, records[0].Flags);
        Assert.Equal(stream, records[0].Stream);
        Assert.EndsWith(options.Limits.TruncationMarker, records[0].Message, StringComparison.Ordinal);
        Assert.True(Encoding.UTF8.GetByteCount(records[0].Message) <= options.Limits.MaxLineBytes + Encoding.UTF8.GetByteCount(options.Limits.TruncationMarker));
        Assert.StartsWith("0123456789abcdé0123", records[0].Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\uFFFD', records[0].Message);
        Assert.Equal("next line", records[1].Message);
        Assert.True(allocated < 32L * 1024 * 1024, $"allocated {allocated:N0} bytes for a 100 MB line");
    }

    [Fact]
    public void Read_HundredMegabytesOfDockerFragments_JoinsIntoOneTruncatedRecordInBoundedMemory()
    {
        // Docker splits a long line into 16 KiB entries without "\n"; the joined line stops growing at MaxLineBytes.
        string chunk = new('x', 16 * 1024);
        byte[] fragment = Encoding.UTF8.GetBytes("{\"log\":\"" + chunk + "\",\"stream\":\"stdout\",\"time\":\"2024-01-01T00:00:00.000000001Z\"}\n");
        byte[] end = "{\"log\":\"END\\n\",\"stream\":\"stdout\",\"time\":\"2024-01-01T00:00:01Z\"}\n{\"log\":\"after\\n\",\"stream\":\"stdout\",\"time\":\"2024-01-01T00:00:02Z\"}\n"u8.ToArray();
        var options = Decode.Options(LogFormat.Docker);
        var input = new GeneratedStream([], fragment, (long)fragment.Length * (HundredMegabytes / chunk.Length), end);
        long before = GC.GetAllocatedBytesForCurrentThread();

        var records = Decode.Stream(input, options);

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(2, records.Count);
        Assert.Equal(LogRecordFlags.LineTruncated, records[0].Flags);
        Assert.Equal(LogStream.Stdout, records[0].Stream);
        Assert.Equal(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero), records[0].Time);
        Assert.Equal(options.Limits.MaxLineBytes + options.Limits.TruncationMarker.Length, records[0].Message.Length);
        Assert.Equal("after", records[1].Message);
        Assert.True(allocated < 32L * 1024 * 1024, $"allocated {allocated:N0} bytes");
    }

    [Fact]
    public void Read_EndlessContinuationLines_RecordsStayWithinLimitsAndNoLineIsLost()
    {
        const int Lines = 1_000_000;
        var options = Decode.Options() with { Multiline = new MultilineOptions { Profile = MultilineProfile.Java } };
        byte[] frame = "\tat com.example.Service.handle(Service.java:42)\n"u8.ToArray();
        var input = new GeneratedStream("java.lang.IllegalStateException: boom\n"u8.ToArray(), frame, (long)frame.Length * Lines, []);
        long records = 0;
        long lines = 0;
        long baseline = GC.GetTotalMemory(forceFullCollection: true);
        long peak = 0;
        Decode.ForEach(input, options, r =>
        {
            Assert.InRange(r.Lines, 1, options.Limits.MaxRecordLines);
            Assert.True(r.Message.Length <= options.Limits.MaxRecordBytes + options.Limits.TruncationMarker.Length);
            lines += r.Lines;
            if (++records % 100_000 == 0)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true) - baseline);
            }
        });

        Assert.Equal(Lines + 1, lines);
        Assert.True(peak < 64L * 1024 * 1024, $"live memory grew by {peak:N0} bytes while reading");
    }

    [Fact]
    public void Read_CriPartialWithoutFinal_IsEmittedAtEndAndFlagged()
    {
        string input = "2024-01-01T00:00:00Z stdout P never \n2024-01-01T00:00:01Z stderr F err\n2024-01-01T00:00:02Z stdout P finished\n";

        var records = Decode.Text(input);

        Assert.Equal(2, records.Count);
        Assert.Equal(("err", LogStream.Stderr, LogRecordFlags.None), (records[0].Message, records[0].Stream, records[0].Flags));
        Assert.Equal(("never finished", LogStream.Stdout, LogRecordFlags.IncompletePartial), (records[1].Message, records[1].Stream, records[1].Flags));
        Assert.Equal(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero), records[1].Time);
    }

    [Theory]
    [InlineData("{\"log\":\"unterminated")]
    [InlineData("{\"log\":\"x\\n\",\"stream\":\"stdout\"")]
    [InlineData("{\"log\":42,\"stream\":\"stdout\"}")]
    [InlineData("{\"stream\":\"stdout\",\"time\":\"2024-01-01T00:00:00Z\"}")]
    [InlineData("{\"log\":\"x\\n\"} trailing")]
    [InlineData("not json at all")]
    public void Read_BrokenDockerJson_KeepsRawLineFlaggedMalformed(string broken)
    {
        string good = "{\"log\":\"good\\n\",\"stream\":\"stdout\",\"time\":\"2024-01-01T00:00:00Z\"}";

        var records = Decode.Lines([good, broken, good]);

        Assert.Equal(3, records.Count);
        Assert.Equal(broken, records[1].Message);
        Assert.Equal(LogRecordFlags.MalformedEnvelope, records[1].Flags);
        Assert.Equal("good", records[2].Message);
    }

    [Fact]
    public void Write_AdversarialInput_DecoderBuffersStayBounded()
    {
        var options = Decode.Options(maxLineBytes: 1024);
        using var pipeline = new LogPipeline(options);
        byte[] noNewline = Enumerable.Repeat((byte)'z', 3 * 1024 * 1024).ToArray();
        byte[] partials = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("2024-01-01T00:00:00Z stdout P " + new string('p', 500) + "\n", 5000)));
        byte[] fragments = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{\"log\":\"" + new string('d', 500) + "\",\"stream\":\"stderr\"}\n", 5000)));
        long bound = 0;
        foreach (byte[] chunk in new[] { noNewline, "\n"u8.ToArray(), partials, fragments, noNewline })
        {
            pipeline.Write(chunk);
            bound = Math.Max(bound, pipeline.BufferedBytes);
            Assert.All(pipeline.Output, r => Assert.True(r.Message.Length <= 1024 + options.Limits.TruncationMarker.Length));
            pipeline.Output.Clear();
        }

        pipeline.Complete();
        Assert.All(pipeline.Output, r => Assert.True(r.Message.Length <= 1024 + options.Limits.TruncationMarker.Length));
        Assert.Contains(pipeline.Output, r => r.Flags == (LogRecordFlags.IncompletePartial | LogRecordFlags.LineTruncated) && r.Stream == LogStream.Stdout);
        Assert.Contains(pipeline.Output, r => r.Flags == (LogRecordFlags.IncompletePartial | LogRecordFlags.LineTruncated) && r.Stream == LogStream.Stderr);
        // Physical-line carry (64 KiB + 4 KiB minimum), JSON scratch, chars and six reassembly buffers, each rounded up by the pool.
        Assert.True(bound <= 512 * 1024, $"decoder buffers reached {bound:N0} bytes");
    }

    [Fact]
    public void Write_AnyLine_AllocatesNothingPerLineInTheDecoder()
    {
        var sink = new CountingSink();
        using var decoder = new LogDecoder(LogFormat.Auto, new LogLimits(), sink);
        byte[] docker = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 2000).Select(i =>
            $"{{\"log\":\"line {i} with \\\"escapes\\\" \\u00e9\\n\",\"stream\":\"{(i % 2 == 0 ? "stdout" : "stderr")}\",\"time\":\"2024-01-01T00:00:00.123456789Z\"}}\n")));
        decoder.Write(docker); // warm-up: buffers rented
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 50; i++)
        {
            decoder.Write(docker);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(51 * 2000, sink.Lines);
        Assert.True(allocated < 1024, $"decoder allocated {allocated:N0} bytes for 100,000 lines");
    }

    [Fact]
    public void Read_DockerLog_AllocatesOnlyTheRecordAndItsMessagePerRecord()
    {
        // The issue's budget: at most one allocation per record beyond the record itself (its message string).
        byte[] input = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 100_000).Select(i =>
            $"{{\"log\":\"2024-03-01 12:00:00.000  INFO 1 --- [exec-{i % 20}] c.e.Controller : request {i} \\\"ok\\\"\\n\",\"stream\":\"stdout\",\"time\":\"2024-01-01T00:00:00.123456789Z\"}}\n")));
        var options = Decode.Options(LogFormat.Docker);
        Decode.Bytes(input.AsSpan(0, 64 * 1024).ToArray(), options); // warm-up: pools and statics
        long expected = 0;
        int records = 0;
        long before = GC.GetAllocatedBytesForCurrentThread();

        Decode.ForEach(new MemoryStream(input), options, r =>
        {
            records++;
            expected += AllocationSizes.String(r.Message.Length);
        });

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        long recordSize = AllocationSizes.Record();
        Assert.Equal(100_000, records);
        long beyond = allocated - expected - (records * recordSize);
        Assert.True(beyond < 256 * 1024, $"{beyond:N0} bytes beyond record ({recordSize} B) + message for {records:N0} records");
    }

    private sealed class CountingSink : IDecodedLineSink
    {
        public int Lines { get; private set; }

        public void OnLine(scoped in DecodedLine line) => Lines++;
    }
}

/// <summary>Tests that sample process-wide memory run alone.</summary>
[CollectionDefinition(nameof(MemoryMeasuringCollection), DisableParallelization = true)]
public sealed class MemoryMeasuringCollection;

public sealed class OverlongEnvelopeTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(100)]
    [InlineData(200_000)]
    public void Read_DockerEnvelopeLongerThanTheLineCap_KeepsStreamTimeAndFragmentChain(int extra)
    {
        // MaxLineBytes 1 KiB: physical lines are held up to 68 KiB; these envelopes are longer, so their ends are cut off.
        var options = Decode.Options(LogFormat.Docker, maxLineBytes: 1024);
        string big = new('x', (68 * 1024) + extra);
        string input =
            "{\"log\":\"" + big + "\",\"stream\":\"stderr\",\"time\":\"2024-01-01T00:00:01.5Z\"}\n" +
            "{\"log\":\"tail\\n\",\"stream\":\"stderr\",\"time\":\"2024-01-01T00:00:02Z\"}\n" +
            "{\"log\":\"" + big + "\\n\",\"stream\":\"stdout\",\"time\":\"2024-01-01T00:00:03Z\"}\n";

        var records = Decode.Bytes(System.Text.Encoding.UTF8.GetBytes(input), options);

        Assert.Equal(2, records.Count);
        Assert.Equal((LogStream.Stderr, LogRecordFlags.LineTruncated), (records[0].Stream, records[0].Flags));
        Assert.Equal(new DateTimeOffset(2024, 1, 1, 0, 0, 1, TimeSpan.Zero).AddMilliseconds(500), records[0].Time);
        Assert.Equal(new string('x', 1024) + options.Limits.TruncationMarker, records[0].Message);
        Assert.Equal((LogStream.Stdout, LogRecordFlags.LineTruncated), (records[1].Stream, records[1].Flags));
        Assert.Equal(new DateTimeOffset(2024, 1, 1, 0, 0, 3, TimeSpan.Zero), records[1].Time);
    }
}
