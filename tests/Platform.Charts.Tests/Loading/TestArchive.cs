using System.Formats.Tar;
using System.IO.Compression;
using System.Text;

namespace Platform.Charts.Tests.Loading;

/// <summary>Builds gzip-compressed tar archives in memory for tests.</summary>
internal sealed class TestArchive
{
    public const string MinimalChartYaml = "apiVersion: v2\nname: chart\nversion: 0.1.0\n";

    private readonly List<Action<TarWriter, Stream>> _writes = [];

    public static TestArchive WithChart(string dir = "chart") => new TestArchive().File($"{dir}/Chart.yaml", MinimalChartYaml);

    public TestArchive File(string name, string content) => File(name, Encoding.UTF8.GetBytes(content));

    public TestArchive File(string name, byte[] content)
    {
        _writes.Add((w, _) =>
        {
            var e = new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(content) };
            w.WriteEntry(e);
        });
        return this;
    }

    /// <summary>Adds an entry of <paramref name="size"/> zero bytes, streamed (never held in memory whole).</summary>
    public TestArchive Zeros(string name, long size)
    {
        _writes.Add((w, _) =>
        {
            var e = new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new ZeroStream(size) };
            w.WriteEntry(e);
        });
        return this;
    }

    public TestArchive Link(TarEntryType type, string name, string target)
    {
        _writes.Add((w, _) => w.WriteEntry(new PaxTarEntry(type, name) { LinkName = target }));
        return this;
    }

    public TestArchive Entry(TarEntryType type, string name)
    {
        _writes.Add((w, _) => w.WriteEntry(new PaxTarEntry(type, name)));
        return this;
    }

    /// <summary>Appends raw bytes to the tar stream (for hand-made headers); the writer's end marker still follows.</summary>
    public TestArchive Raw(byte[] bytes)
    {
        _writes.Add((_, stream) => stream.Write(bytes));
        return this;
    }

    public byte[] ToBytes()
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            using var writer = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true);
            foreach (var write in _writes)
            {
                write(writer, gzip);
            }
        }

        return output.ToArray();
    }

    public MemoryStream ToStream() => new(ToBytes());

    public string WriteTo(string directory, string fileName = "chart.tgz")
    {
        var path = Path.Combine(directory, fileName);
        System.IO.File.WriteAllBytes(path, ToBytes());
        return path;
    }

    /// <summary>A hand-made ustar header declaring <paramref name="size"/> bytes (its data is not written).</summary>
    public static byte[] UstarHeader(string name, long size, char typeFlag = '0')
    {
        var h = new byte[512];
        Encoding.ASCII.GetBytes(name).CopyTo(h, 0);
        Encoding.ASCII.GetBytes("0000644\0").CopyTo(h, 100);
        Encoding.ASCII.GetBytes("0000000\0").CopyTo(h, 108);
        Encoding.ASCII.GetBytes("0000000\0").CopyTo(h, 116);
        Encoding.ASCII.GetBytes(Convert.ToString(size, 8).PadLeft(11, '0') + "\0").CopyTo(h, 124);
        Encoding.ASCII.GetBytes("00000000000\0").CopyTo(h, 136);
        h[156] = (byte)typeFlag;
        Encoding.ASCII.GetBytes("ustar\0").CopyTo(h, 257);
        Encoding.ASCII.GetBytes("00").CopyTo(h, 263);

        // Checksum: sum of all bytes with the checksum field taken as spaces.
        for (var i = 148; i < 156; i++)
        {
            h[i] = (byte)' ';
        }

        var sum = h.Sum(b => (int)b);
        Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ").CopyTo(h, 148);
        return h;
    }

    /// <summary>A read-only stream of zeros of a fixed length.</summary>
    private sealed class ZeroStream(long length) : Stream
    {
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => true;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position
        {
            get => _position;
            set => _position = value;
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - _position);
            Array.Clear(buffer, offset, n);
            _position += n;
            return n;
        }

        public override long Seek(long offset, SeekOrigin origin) => _position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => length + offset,
        };

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
