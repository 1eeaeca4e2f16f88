using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Platform.Logging.Reading;

namespace Platform.Logging.Tests.Decoding;

/// <summary>Properties of decoding: lossless for plain text, independent of read chunking, bounded on any input.</summary>
public sealed class DecodingPropertyTests
{
    private static readonly string[] TextPieces = ["a", "é", "\n", "\r\n", "\r", "x y", "日本", "\t", "\0", "🙂", "\\", "\"", "{", "2024-01-01T00:00:00Z stdout F "];

    private static readonly string[] ContainerLines =
    [
        "{\"log\":\"full\\n\",\"stream\":\"stdout\",\"time\":\"2024-01-01T00:00:00.123456789Z\"}",
        "{\"log\":\"frag \",\"stream\":\"stdout\",\"time\":\"2024-01-01T00:00:01Z\"}",
        "{\"log\":\"err frag\",\"stream\":\"stderr\",\"time\":\"2024-01-01T00:00:02Z\"}",
        "{\"log\":\"err end\\n\",\"stream\":\"stderr\",\"time\":\"2024-01-01T00:00:03Z\"}",
        "{\"log\":\"\\u00e9\\t\\\"q\\\"\\n\",\"stream\":\"stdout\"}",
        "2024-01-01T00:00:04.5+02:00 stdout P cri part ",
        "2024-01-01T00:00:05Z stdout F cri end",
        "2024-01-01T00:00:06Z stderr F cri err",
        "2024-01-01T00:00:07Z stderr P cri err part",
        "plain text line",
        "{\"log\":\"broken",
        "",
        "\tat com.example.Foo.bar(Foo.java:1)",
        new string('L', 300),
    ];

    private static Gen<string> Texts => Gen.Elements(TextPieces).ListOf().Select(p => string.Concat(p));

    private static Gen<byte[]> ContainerInputs =>
        Gen.Elements(ContainerLines).ListOf().SelectMany(
            lines => Gen.Elements(new[] { "", "\n" }),
            (lines, end) => Encoding.UTF8.GetBytes(string.Join('\n', lines) + end));

    [Fact]
    public void Read_RawText_ConcatenatedMessagesAndSeparatorsReproduceTheInput()
    {
        var property = Prop.ForAll(Texts.ToArbitrary(), Gen.Choose(1, 64).ToArbitrary(), (text, chunk) =>
        {
            var records = Decode.Bytes(Encoding.UTF8.GetBytes(text), Decode.Options(LogFormat.Raw), chunk);
            // "\r\n" ends a line like "\n" does; a last line needs no terminator.
            string expected = text.Replace("\r\n", "\n", StringComparison.Ordinal);
            if (expected.EndsWith('\n'))
            {
                expected = expected[..^1];
            }

            return string.Join('\n', records.Select(r => r.Message)) == expected
                && records.All(r => r.Flags == LogRecordFlags.None && r.Stream == LogStream.Unknown && r.Time is null);
        });

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), property);
    }

    [Fact]
    public void Read_AnyContainerInput_SameRecordsWhateverTheReadChunkSize()
    {
        var property = Prop.ForAll(ContainerInputs.ToArbitrary(), Gen.Choose(1, 97).ToArbitrary(), Gen.Choose(0, int.MaxValue).ToArbitrary(), (input, maxChunk, seed) =>
        {
            var options = Decode.Options(maxLineBytes: 256);
            var whole = Decode.Bytes(input, options);
            var chunked = Decode.Stream(new ChunkedStream(input, maxChunk, seed), options);
            return whole.SequenceEqual(chunked);
        });

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), property);
    }

    [Fact]
    public void Read_AnyContainerInput_EveryFragmentByteReachesARecord()
    {
        // Nothing silently dropped: each message text of the input shows up in the output, in order per stream.
        var property = Prop.ForAll(ContainerInputs.ToArbitrary(), input =>
        {
            var records = Decode.Bytes(input, Decode.Options());
            string all = string.Concat(records.Select(r => r.Message));
            string text = Encoding.UTF8.GetString(input);
            int expectedMarkers = CountOf(text, "plain text line") + CountOf(text, "{\"log\":\"broken") + CountOf(text, "cri end") + CountOf(text, "cri err part") + CountOf(text, "frag ");
            int seen = CountOf(all, "plain text line") + CountOf(all, "{\"log\":\"broken") + CountOf(all, "cri end") + CountOf(all, "cri err part") + CountOf(all, "frag ");
            return seen == expectedMarkers;
        });

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), property);
    }

    [Fact]
    public void Write_AdversarialBytes_BuffersAndMessagesStayBounded()
    {
        var pieces = Gen.Elements(new[]
        {
            Enumerable.Repeat((byte)'x', 5000).ToArray(),
            Encoding.UTF8.GetBytes("2024-01-01T00:00:00Z stdout P " + new string('p', 700) + "\n"),
            Encoding.UTF8.GetBytes("{\"log\":\"" + new string('d', 700) + "\",\"stream\":\"stderr\"}\n"),
            new byte[] { 0xFF, 0xFE, 0xC3 },
            "\n"u8.ToArray(),
            "\r"u8.ToArray(),
        });
        var property = Prop.ForAll(pieces.ListOf().ToArbitrary(), input =>
        {
            var options = Decode.Options(maxLineBytes: 512);
            using var pipeline = new LogPipeline(options);
            long peak = 0;
            foreach (byte[] piece in input)
            {
                pipeline.Write(piece);
                peak = Math.Max(peak, pipeline.BufferedBytes);
            }

            pipeline.Complete();
            int limit = 512 + options.Limits.TruncationMarker.Length;
            return peak <= 512 * 1024 && pipeline.Output.All(r => r.Message.Length <= limit);
        });

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(200), property);
    }

    private static int CountOf(string haystack, string needle)
    {
        int count = 0;
        for (int i = haystack.IndexOf(needle, StringComparison.Ordinal); i >= 0; i = haystack.IndexOf(needle, i + needle.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}

/// <summary>The canonical docker fast path and the general JSON path agree on any <c>log</c> text.</summary>
public sealed class DockerPathPropertyTests
{
    private static readonly string[] Pieces = ["a", "\"", "\\", "/", "\n", "\t", "\u0001", "é", "🙂", "\u2028", " ", "{", "}", ",", "\"stream\":", "\\n"];

    [Fact]
    public void Read_AnyLogText_FastPathAndJsonPathGiveTheSameRecord()
    {
        var texts = Gen.Elements(Pieces).ListOf().Select(p => string.Concat(p));
        var property = Prop.ForAll(texts.ToArbitrary(), Gen.Elements(true, false).ToArbitrary(), (text, newline) =>
        {
            string full = text + (newline ? "\n" : string.Empty);
            string log = System.Text.Json.JsonSerializer.Serialize(full);
            string canonical = "{\"log\":" + log + ",\"stream\":\"stderr\",\"time\":\"2024-01-01T00:00:00.123456789Z\"}";
            string general = "{ \"time\": \"2024-01-01T00:00:00.123456789Z\", \"attrs\": {\"k\": [1, 2]}, \"stream\": \"stderr\", \"log\": " + log + " }";
            var a = Decode.Lines([canonical, "{\"log\":\"end\\n\",\"stream\":\"stderr\",\"time\":\"2024-01-01T00:00:01Z\"}"], LogFormat.Docker);
            var b = Decode.Lines([general, "{\"log\":\"end\\n\",\"stream\":\"stderr\",\"time\":\"2024-01-01T00:00:01Z\"}"], LogFormat.Docker);
            // A log value ending with "\n" is a whole line (so is an empty one); otherwise it is a fragment joined with the next one.
            string expected = full.Length == 0 ? string.Empty : full.EndsWith('\n') ? full[..^1] : full + "end";
            Assert.Equal(b, a);
            Assert.Equal(expected, a[0].Message);
            Assert.Equal(LogRecordFlags.None, a[0].Flags);
            Assert.Equal(LogStream.Stderr, a[0].Stream);
            return true;
        });

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), property);
    }
}
