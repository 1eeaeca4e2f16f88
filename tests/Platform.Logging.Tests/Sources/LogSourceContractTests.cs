using System.Text;
using Platform.Logging.Sources;

namespace Platform.Logging.Tests.Sources;

/// <summary>What every <see cref="ILogSource"/> must do, read through <see cref="LogReader"/>; each backend's test class inherits it.</summary>
public abstract class LogSourceContractTests
{
    private static readonly string Log = string.Concat(Enumerable.Range(0, 2000).Select(i => $"2024-01-01T00:{i / 60 % 60:00}:{i % 60:00}.000000001Z stdout F line {i}\n"));

    protected abstract ILogSource Source { get; }

    /// <summary>Stores <paramref name="content"/> as a log and returns its name in the source.</summary>
    protected abstract Task<string> CreateLogAsync(string content);

    /// <summary>Returns a name the source does not know.</summary>
    protected abstract string MissingName { get; }

    [Fact]
    public async Task ReadAsync_WholeLog_EveryLineOnce()
    {
        string name = await CreateLogAsync(Log);

        var records = await ReadAsync(name, LogQuery.All);

        Assert.Equal(Enumerable.Range(0, 2000).Select(i => $"line {i}"), records.Select(r => r.Message));
        Assert.All(records, r => Assert.Equal(LogStream.Stdout, r.Stream));
    }

    [Fact]
    public async Task ReadAsync_TailSinceAndLimit_AppliedBySourceOrReader()
    {
        string name = await CreateLogAsync(Log);

        var tail = await ReadAsync(name, new LogQuery { TailLines = 10 });
        var since = await ReadAsync(name, new LogQuery { Since = new DateTimeOffset(2024, 1, 1, 0, 33, 10, TimeSpan.Zero) });
        var limited = await ReadAsync(name, new LogQuery { LimitBytes = Encoding.UTF8.GetByteCount(Log.Split('\n')[0]) + 1 });

        Assert.Equal(Enumerable.Range(1990, 10).Select(i => $"line {i}"), tail.Select(r => r.Message));
        Assert.Equal(2000 - 1990, since.Count);
        Assert.Equal("line 0", Assert.Single(limited).Message);
    }

    [Fact]
    public async Task OpenAsync_UnknownName_Throws()
    {
        await Assert.ThrowsAnyAsync<Exception>(async () => await Source.OpenAsync(MissingName, LogQuery.All));
    }

    [Fact]
    public async Task OpenAsync_InvalidQuery_ThrowsArgumentException()
    {
        string name = await CreateLogAsync(Log);
        await Assert.ThrowsAsync<ArgumentException>(async () => await Source.OpenAsync(name, new LogQuery { LimitBytes = 0 }));
    }

    private async Task<List<LogRecord>> ReadAsync(string name, LogQuery query)
    {
        var list = new List<LogRecord>();
        await foreach (var r in LogReader.ReadAsync(Source, name, query, Decode.Options()))
        {
            list.Add(r);
        }

        return list;
    }
}

public sealed class FileLogSourceContractTests : LogSourceContractTests, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("platform-logging-contract-").FullName;

    protected override ILogSource Source { get; } = new FileLogSource();

    protected override string MissingName => Path.Combine(_dir, "missing.log");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    protected override async Task<string> CreateLogAsync(string content)
    {
        string path = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".log");
        await File.WriteAllTextAsync(path, content);
        return path;
    }
}

/// <summary>A source that applies nothing and cannot seek: the reader must apply the whole query itself.</summary>
public sealed class ForwardOnlyLogSourceContractTests : LogSourceContractTests
{
    private readonly Dictionary<string, byte[]> _logs = [];

    protected override ILogSource Source => new ForwardOnlySource(_logs);

    protected override string MissingName => "nobody/nothing";

    protected override Task<string> CreateLogAsync(string content)
    {
        string name = "ns/pod-" + _logs.Count + "/app";
        _logs[name] = Encoding.UTF8.GetBytes(content);
        return Task.FromResult(name);
    }

    private sealed class ForwardOnlySource(Dictionary<string, byte[]> logs) : ILogSource
    {
        public string Kind => "memory";

        public ValueTask<OpenedLog> OpenAsync(string name, LogQuery query, CancellationToken cancellationToken = default)
        {
            query.Validate();
            if (!logs.TryGetValue(name, out byte[]? bytes))
            {
                throw new KeyNotFoundException($"No log named {name}.");
            }

            return ValueTask.FromResult(new OpenedLog(new ChunkedStream(bytes, 1000), LogFormat.Cri, new Dictionary<string, string> { ["name"] = name }));
        }
    }
}
