using System.Text;
using Platform.Logging.Sources;
using Platform.Logging.Tests.Reading;

namespace Platform.Logging.Tests.Sources;

public sealed class FileLogSourceTests : IDisposable
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);
    private readonly string _dir = Directory.CreateTempSubdirectory("platform-logging-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task OpenAsync_TailLines_ReadsOnlyTheEndOfTheFile()
    {
        string path = Path.Combine(_dir, "app.log");
        await File.WriteAllTextAsync(path, string.Concat(Enumerable.Range(0, 10_000).Select(i => $"line {i}\n")));

        var records = new List<LogRecord>();
        await foreach (var r in LogReader.ReadAsync(new FileLogSource(), path, new LogQuery { TailLines = 3 }, Decode.Options()))
        {
            records.Add(r);
        }

        Assert.Equal(["line 9997", "line 9998", "line 9999"], records.Select(r => r.Message));
    }

    [Fact]
    public async Task OpenAsync_MissingFile_ThrowsFileNotFound()
    {
        var source = new FileLogSource();
        await Assert.ThrowsAsync<FileNotFoundException>(async () => await source.OpenAsync(Path.Combine(_dir, "nope.log"), LogQuery.All));
    }

    [Fact]
    public async Task Follow_GrowthRotationAndTruncation_EveryLineReadOnce()
    {
        string path = Path.Combine(_dir, "app.log");
        await File.WriteAllTextAsync(path, "a\n");
        var clock = new ManualTimeProvider();
        var source = new FileLogSource(clock, Poll);
        var options = Decode.Options() with { IdleCheckInterval = TimeSpan.Zero };
        using var stop = new CancellationTokenSource();
        await using var e = LogReader.ReadAsync(source, path, new LogQuery { Follow = true }, options, clock, stop.Token).GetAsyncEnumerator();

        Assert.Equal("a", (await LogReaderTests.NextAsync(e, clock, Poll)).Message);

        await File.AppendAllTextAsync(path, "b\n");
        Assert.Equal("b", (await LogReaderTests.NextAsync(e, clock, Poll)).Message);

        // Rotation: a last line lands in the old file, which is renamed away; a new file takes the path.
        await File.AppendAllTextAsync(path, "c\n");
        File.Move(path, path + ".1");
        await File.WriteAllTextAsync(path, "dddd\n");
        Assert.Equal("c", (await LogReaderTests.NextAsync(e, clock, Poll)).Message);
        Assert.Equal("dddd", (await LogReaderTests.NextAsync(e, clock, Poll)).Message);

        // Truncation (copytruncate): the file shrinks below the read position and is read again from the start.
        await using (var f = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
        {
            f.SetLength(0);
            await f.WriteAsync(Encoding.UTF8.GetBytes("e\n"));
        }

        Assert.Equal("e", (await LogReaderTests.NextAsync(e, clock, Poll)).Message);

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await e.MoveNextAsync());
    }
}
