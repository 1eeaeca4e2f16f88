using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using Platform.Kubernetes.Client;

namespace Platform.Kubernetes.Tests.Client;

/// <summary>Property: however the network splits a watch stream, the reader returns exactly the frames that were sent.</summary>
public sealed class JsonFrameReaderPropertyTests
{
    private static readonly string[] Values = ["plain", "with } brace", "with { brace", "quote \" inside", "back\\slash", "\\\"}", "ünïcødé ✓", "[[]]", ""];

    private static Gen<string> Frames =>
        from name in Gen.Elements(Values)
        from label in Gen.Elements(Values)
        from rv in Gen.Choose(1, 1_000_000)
        from pretty in Gen.Elements(false, true)
        select Frame(name, label, rv, pretty);

    private static string Frame(string name, string label, int rv, bool pretty)
    {
        var frame = new JsonObject
        {
            ["type"] = "MODIFIED",
            ["object"] = new JsonObject
            {
                ["metadata"] = new JsonObject { ["name"] = name, ["resourceVersion"] = rv.ToString(System.Globalization.CultureInfo.InvariantCulture), ["labels"] = new JsonObject { ["l"] = label } },
                ["data"] = new JsonArray(1, new JsonArray(), new JsonObject()),
            },
        };
        return frame.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = pretty });
    }

    [Fact]
    public void ReadAsync_AnyChunking_YieldsTheSentFrames()
    {
        var property = Prop.ForAll(
            Frames.ListOf().ToArbitrary(),
            Gen.Choose(1, 64).ListOf().Where(l => l.Count > 0).ToArbitrary(),
            (frames, chunks) =>
            {
                var bytes = Encoding.UTF8.GetBytes(string.Concat(frames.Select(f => f + "\n")));
                var reader = new JsonFrameReader(new ChunkedStream(bytes, chunks.ToArray()), 1024 * 1024);
                var read = new List<string>();
                while (reader.ReadAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult() is { } frame)
                {
                    read.Add(frame.ToJsonString());
                }

                return read.SequenceEqual(frames.Select(f => JsonNode.Parse(f)!.ToJsonString()));
            });

        Check.One(FsCheck.Config.QuickThrowOnFailure.WithMaxTest(300), property);
    }

    [Fact]
    public async Task ReadAsync_FrameOverLimit_ThrowsNamingTheSetting()
    {
        var big = Encoding.UTF8.GetBytes(Frame(new string('x', 70_000), "l", 1, false));
        var reader = new JsonFrameReader(new MemoryStream(big), 64 * 1024);

        var ex = await Assert.ThrowsAsync<InvalidDataException>(async () => await reader.ReadAsync(CancellationToken.None));

        Assert.Contains("MaxWatchEventBytes", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_StreamEndsInsideFrame_ThrowsEndOfStream()
    {
        var reader = new JsonFrameReader(new MemoryStream(Encoding.UTF8.GetBytes("{\"type\":\"ADDED\",\"object\":{\"a\":\"}\"")), 1024);

        await Assert.ThrowsAsync<EndOfStreamException>(async () => await reader.ReadAsync(CancellationToken.None));
    }

    /// <summary>Returns the bytes in reads of the given sizes, cycling through them.</summary>
    private sealed class ChunkedStream(byte[] data, int[] sizes) : Stream
    {
        private int _position;
        private int _next;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => data.Length;

        public override long Position
        {
            get => _position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = Math.Min(Math.Min(count, sizes[_next++ % sizes.Length]), data.Length - _position);
            Array.Copy(data, _position, buffer, offset, n);
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
