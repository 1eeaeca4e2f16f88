using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Platform.Abstractions;
using Platform.Charts.Loading;
using Platform.Tests.Shared;

namespace Platform.Charts.Tests.Loading;

/// <summary>Hostile archives: each fails fast with a <see cref="ChartException"/> naming the entry, in bounded memory.</summary>
[Collection(MemoryMeasuredCollection.Name)]
public sealed class ChartLoaderSafetyTests
{
    // Helm's TestLoadInvalidArchive, restated: entry name -> expected error, each archive holding that one entry.
    public static TheoryData<string, string> HelmInvalidArchives => new()
    {
        { "../../malformed-helm-test", "references its parent directory" },
        { "/foo/../../malformed-helm-test", "references its parent directory" },
        { "/../../malformed-helm-test", "references its parent directory" },
        { "./../../malformed-helm-test", "references its parent directory" },
        { "./.", "outside the base directory" },
        { "/./.", "outside the base directory" },
        { "missing-leading-slash", "outside the base directory" },
        { "/missing-leading-slash", "Chart.yaml file is missing" },
        { "//foo", "absolute paths" },
        { "///foo", "absolute paths" },
        { "\\\\foo", "absolute paths" },
        { "\\..\\..\\foo", "references its parent directory" },
        { "\\.\\c:\\\\foo", "illegally named file" },
        { "/./c://foo", "illegally named file" },
        { "\\\\?\\Some\\windows\\magic", "absolute paths" },
        { "Chart.yaml", "outside the base directory" },
    };

    [Theory]
    [MemberData(nameof(HelmInvalidArchives))]
    public async Task LoadAsync_HelmInvalidArchiveEntry_Throws(string entryName, string expected)
    {
        var archive = new TestArchive().File(entryName, "hello: world").ToStream();
        var ex = await Assert.ThrowsAsync<ChartException>(() => ChartLoader.LoadAsync(archive));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/Chart.yaml")]
    [InlineData("c:\\Chart.yaml")]
    public async Task LoadAsync_LeadingSegmentIsTheChartDirectory_ReadsChartYaml(string entryName)
    {
        // Helm: the first segment is always the chart directory, so these are the chart's Chart.yaml (which lacks a name).
        var archive = new TestArchive().File(entryName, "hello: world").ToStream();
        var ex = await Assert.ThrowsAsync<ChartException>(() => ChartLoader.LoadAsync(archive));
        Assert.Contains("chart.metadata.name is required", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_ParentTraversalEntry_ThrowsNamingEntry()
    {
        var archive = TestArchive.WithChart().File("chart/../../etc/x", "owned").ToStream();
        var ex = await Assert.ThrowsAsync<ChartException>(() => ChartLoader.LoadAsync(archive));
        Assert.Equal("chart/../../etc/x", ex.EntryPath);
        Assert.Contains("'..'", ex.Message, StringComparison.Ordinal);
        Assert.Null(ex.ChartPath);
    }

    [Fact]
    public async Task LoadAsync_AbsoluteEntryAfterChartDirectory_Throws()
    {
        var archive = TestArchive.WithChart().File("chart//etc/passwd", "x").ToStream();
        var ex = await Assert.ThrowsAsync<ChartException>(() => ChartLoader.LoadAsync(archive));
        Assert.Contains("absolute paths", ex.Message, StringComparison.Ordinal);
        Assert.Equal("chart//etc/passwd", ex.EntryPath);
    }

    [Theory]
    [InlineData(TarEntryType.SymbolicLink, "symbolic link")]
    [InlineData(TarEntryType.HardLink, "hard link")]
    public async Task LoadAsync_LinkEntry_Throws(TarEntryType type, string expected)
    {
        var archive = TestArchive.WithChart().Link(type, "chart/templates/passwd.yaml", "../../../../etc/passwd").ToStream();
        var ex = await Assert.ThrowsAsync<ChartException>(() => ChartLoader.LoadAsync(archive));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.Contains("../../../../etc/passwd", ex.Message, StringComparison.Ordinal);
        Assert.Equal("chart/templates/passwd.yaml", ex.EntryPath);
    }

    [Theory]
    [InlineData(TarEntryType.Fifo)]
    [InlineData(TarEntryType.CharacterDevice)]
    [InlineData(TarEntryType.BlockDevice)]
    public async Task LoadAsync_DeviceEntry_Throws(TarEntryType type)
    {
        var archive = TestArchive.WithChart().Entry(type, "chart/dev").ToStream();
        var ex = await Assert.ThrowsAsync<ChartException>(() => ChartLoader.LoadAsync(archive));
        Assert.Contains("expected regular files", ex.Message, StringComparison.Ordinal);
        Assert.Equal("chart/dev", ex.EntryPath);
    }

    [Fact]
    public async Task LoadAsync_DeclaredTwoGigabyteEntry_FailsBeforeReading()
    {
        // The header declares 2 GiB but no data follows: the loader must refuse on the declared size alone.
        var archive = TestArchive.WithChart().Raw(TestArchive.UstarHeader("chart/huge.bin", 2L * 1024 * 1024 * 1024)).ToBytes();
        Assert.True(archive.Length < 4096);
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var ex = await Assert.ThrowsAsync<ChartException>(() => ChartLoader.LoadAsync(new MemoryStream(archive)));
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.Contains("larger than the maximum file size of 5242880 bytes", ex.Message, StringComparison.Ordinal);
        Assert.Equal("huge.bin", ex.EntryPath);
        Assert.True(allocated < 16L * 1024 * 1024, $"allocated {allocated} bytes");
    }

    [Fact]
    public async Task LoadAsync_TruncatedEntry_ThrowsInsteadOfHanging()
    {
        var archive = TestArchive.WithChart().Raw(TestArchive.UstarHeader("chart/short.bin", 4096)).Raw(new byte[512]).ToBytes();
        var ex = await Assert.ThrowsAsync<ChartException>(() => ChartLoader.LoadAsync(new MemoryStream(archive)));
        Assert.Equal("short.bin", ex.EntryPath);
    }

    [Fact]
    public async Task LoadAsync_TotalOverLimit_Throws()
    {
        var options = new ChartLoadOptions { MaxChartSize = 1024 * 1024, MaxFileSize = 512 * 1024 };
        var builder = TestArchive.WithChart();
        for (var i = 0; i < 5; i++)
        {
            builder.File($"chart/files/part{i}.bin", RandomBytes(300 * 1024, i));
        }

        var ex = await Assert.ThrowsAsync<ChartException>(() => ChartLoader.LoadAsync(builder.ToStream(), options));
        Assert.Contains("larger than the maximum size of 1048576 bytes", ex.Message, StringComparison.Ordinal);
        Assert.Equal("files/part3.bin", ex.EntryPath);
    }

    [Fact]
    public async Task LoadAsync_GzipBombOverDefaultLimit_ThrowsInBoundedMemory()
    {
        // 26 entries of 4 MiB zeros: about 100 KiB compressed, 104 MiB decompressed (Helm's limit is 100 MiB).
        var builder = TestArchive.WithChart();
        for (var i = 0; i < 26; i++)
        {
            builder.Zeros($"chart/zeros/{i:D2}.bin", 4L * 1024 * 1024);
        }

        var archive = builder.ToBytes();
        Assert.True(archive.Length < 1024 * 1024, $"archive is {archive.Length} bytes");
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var ex = await Assert.ThrowsAsync<ChartException>(() => ChartLoader.LoadAsync(new MemoryStream(archive)));
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.Contains("larger than the maximum size of 104857600 bytes", ex.Message, StringComparison.Ordinal);
        // 25 x 4 MiB reach 100 MiB exactly; with Chart.yaml the 25th entry (index 24) crosses the limit.
        Assert.Equal("zeros/24.bin", ex.EntryPath);
        Assert.True(allocated < 160L * 1024 * 1024, $"allocated {allocated} bytes");
    }

    [Fact]
    public async Task LoadAsync_SingleEntryBomb_FailsOnPerFileLimit()
    {
        var archive = TestArchive.WithChart().Zeros("chart/big.bin", 64L * 1024 * 1024).ToBytes();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var ex = await Assert.ThrowsAsync<ChartException>(() => ChartLoader.LoadAsync(new MemoryStream(archive)));
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.Contains("maximum file size", ex.Message, StringComparison.Ordinal);
        Assert.True(allocated < 16L * 1024 * 1024, $"allocated {allocated} bytes");
    }

    [Fact]
    public async Task LoadAsync_NestedArchivesShareTheBudget()
    {
        // Each nested archive is small, but together they decompress past the configured chart size.
        var options = new ChartLoadOptions { MaxChartSize = 600 * 1024, MaxFileSize = 400 * 1024 };
        var sub = TestArchive.WithChart("sub").File("sub/data.bin", new byte[250 * 1024]).ToBytes();
        var builder = TestArchive.WithChart();
        for (var i = 0; i < 3; i++)
        {
            builder.File($"chart/charts/sub{i}-0.1.0.tgz", sub);
        }

        var ex = await Assert.ThrowsAsync<ChartException>(() => ChartLoader.LoadAsync(builder.ToStream(), options));
        Assert.Contains("maximum size", ex.Message, StringComparison.Ordinal);
        Assert.StartsWith("charts/sub", ex.EntryPath, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_DeeplyNestedArchives_StopAtDepthLimit()
    {
        var inner = TestArchive.WithChart("c").ToBytes();
        for (var i = 0; i < 40; i++)
        {
            inner = TestArchive.WithChart("c").File("c/charts/c-0.1.0.tgz", inner).ToBytes();
        }

        var ex = await Assert.ThrowsAsync<ChartException>(() => ChartLoader.LoadAsync(new MemoryStream(inner)));
        Assert.Contains("MaxSubchartDepth", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_NotGzip_ThrowsClearly()
    {
        using var dir = new TempDirectory();
        var yaml = dir.Write("values.yaml", "a: 1\n");
        var ex = await Assert.ThrowsAsync<ChartException>(() => ChartLoader.LoadAsync(yaml));
        Assert.Contains("seems to be a YAML file, but expected a gzipped archive", ex.Message, StringComparison.Ordinal);
        Assert.Equal(yaml, ex.ChartPath);

        var bin = dir.Write("chart.tgz", "PK\u0003\u0004 not a tarball");
        ex = await Assert.ThrowsAsync<ChartException>(() => ChartLoader.LoadAsync(bin));
        Assert.Contains("does not appear to be a gzipped archive", ex.Message, StringComparison.Ordinal);

        ex = await Assert.ThrowsAsync<ChartException>(() => ChartLoader.LoadAsync(new MemoryStream(Encoding.UTF8.GetBytes("apiVersion: v2"))));
        Assert.Contains("does not appear to be a gzipped archive", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_GzipOfGarbage_ThrowsClearly()
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true))
        {
            gz.Write(RandomBytes(4096, 7));
        }

        ms.Position = 0;
        var ex = await Assert.ThrowsAsync<ChartException>(() => ChartLoader.LoadAsync(ms));
        Assert.Contains("not a valid gzip-compressed tar file", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_EmptyArchive_Throws()
    {
        var ex = await Assert.ThrowsAsync<ChartException>(() => ChartLoader.LoadAsync(new TestArchive().Entry(TarEntryType.Directory, "chart/").ToStream()));
        Assert.Contains("no files in the chart archive", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_TooManyFiles_Throws()
    {
        var builder = TestArchive.WithChart();
        for (var i = 0; i < 20; i++)
        {
            builder.File($"chart/f{i}", "x");
        }

        var ex = await Assert.ThrowsAsync<ChartException>(() => ChartLoader.LoadAsync(builder.ToStream(), new ChartLoadOptions { MaxFileCount = 10 }));
        Assert.Contains("more than 10 files", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_DuplicateEntry_Throws()
    {
        var archive = TestArchive.WithChart().File("chart/Chart.yaml", "apiVersion: v2\nname: other\nversion: 1.0.0\n").ToStream();
        var ex = await Assert.ThrowsAsync<ChartException>(() => ChartLoader.LoadAsync(archive));
        Assert.Contains("twice", ex.Message, StringComparison.Ordinal);
        Assert.Equal("Chart.yaml", ex.EntryPath);
    }

    [Fact]
    public async Task LoadAsync_Canceled_ThrowsOperationCanceled()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ChartLoader.LoadAsync(SharedCorpus.LoaderTestdata("frobnitz-1.2.3.tgz"), cancellationToken: cts.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ChartLoader.LoadAsync(SharedCorpus.LoaderTestdata("frobnitz"), cancellationToken: cts.Token));
    }

    [Fact]
    public async Task LoadAsync_NonSeekableStream_LoadsArchive()
    {
        var bytes = await File.ReadAllBytesAsync(SharedCorpus.LoaderTestdata("frobnitz-1.2.3.tgz"));
        await using var stream = new ForwardOnlyStream(new MemoryStream(bytes));
        var c = (await ChartLoader.LoadAsync(stream)).Chart;
        Assert.Equal("frobnitz", c.Name);
        Assert.Equal(2, c.Subcharts.Count);
    }

    [Theory]
    [InlineData(0L, 1L, 1, "MaxFileSize")]
    [InlineData(1L, 0L, 1, "MaxChartSize")]
    [InlineData(1L, 1L, 0, "MaxFileCount")]
    public async Task LoadAsync_InvalidOptions_ThrowsArgumentOutOfRange(long maxFile, long maxChart, int maxCount, string setting)
    {
        var options = new ChartLoadOptions { MaxFileSize = maxFile, MaxChartSize = maxChart, MaxFileCount = maxCount };
        var ex = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => ChartLoader.LoadAsync(TestArchive.WithChart().ToStream(), options));
        Assert.Equal(setting, ex.ParamName);
    }

    private static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private sealed class ForwardOnlyStream(Stream inner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

/// <summary>Tests that measure allocations run alone, so other tests do not add to the count.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryMeasuredCollection
{
    public const string Name = "memory-measured";
}
