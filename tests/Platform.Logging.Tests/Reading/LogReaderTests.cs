using System.IO.Pipelines;
using System.Text;
using Platform.Logging.Decoding;
using Platform.Logging.Multiline;

namespace Platform.Logging.Tests.Reading;

public sealed class LogReaderTests
{
    [Fact]
    public async Task ReadAsync_PipeReader_SameRecordsAsStream()
    {
        byte[] input = File.ReadAllBytes(SharedCorpus.Log(Path.Combine("beats", "files", "docker_corrupted.log")));
        var options = Decode.Options();
        var pipe = new Pipe();
        var writer = Task.Run(async () =>
        {
            for (int i = 0; i < input.Length; i += 100)
            {
                await pipe.Writer.WriteAsync(input.AsMemory(i, Math.Min(100, input.Length - i)));
            }

            await pipe.Writer.CompleteAsync();
        });

        var records = new List<LogRecord>();
        await foreach (var r in LogReader.ReadAsync(pipe.Reader, options))
        {
            records.Add(r);
        }

        await writer;
        Assert.Equal(Decode.Bytes(input, options), records);
        Assert.Equal(21, records.Count);
    }

    [Fact]
    public async Task ReadAsync_IdleInput_OffersOpenRecordsToTheJoinerTimeout()
    {
        var clock = new ManualTimeProvider();
        var pipe = new Pipe();
        var options = Decode.Options() with { IdleCheckInterval = TimeSpan.FromSeconds(1) };
        var joiners = new List<HoldingJoiner>();
        await using var e = LogReader.ReadStreamAsync(pipe.Reader.AsStream(), options, clock, _ =>
        {
            var j = new HoldingJoiner();
            joiners.Add(j);
            return j;
        }, CancellationToken.None).GetAsyncEnumerator();

        await pipe.Writer.WriteAsync("held line\n"u8.ToArray());
        var record = await NextAsync(e, clock, TimeSpan.FromSeconds(1));

        Assert.Equal("held line", record.Message);
        Assert.Equal(LogRecordFlags.FlushedByTimeout, record.Flags);
        Assert.Equal(clock.GetUtcNow(), Assert.Single(joiners).LastIdleCheck);

        await pipe.Writer.CompleteAsync();
        Assert.False(await e.MoveNextAsync());
    }

    [Fact]
    public async Task ReadAsync_BusyStdoutWhileStderrWaits_StderrRecordStillTimesOut()
    {
        // Every read returns one stdout line and moves the clock 1 s on: the input is never idle.
        var clock = new ManualTimeProvider();
        byte[][] chunks =
        [
            "2024-01-01T00:00:00Z stderr F held on stderr\n"u8.ToArray(),
            .. Enumerable.Range(0, 5).Select(i => System.Text.Encoding.UTF8.GetBytes($"2024-01-01T00:00:0{i}Z stdout F busy {i}\n")),
        ];
        var input = new ClockedStream(chunks, clock, TimeSpan.FromSeconds(1));
        var options = Decode.Options() with { IdleCheckInterval = TimeSpan.FromSeconds(2) };
        var joiners = new Dictionary<LogStream, HoldingJoiner>();

        var messages = new List<string>();
        await foreach (var r in LogReader.ReadStreamAsync(input, options, clock, s => joiners[s] = new HoldingJoiner(), CancellationToken.None))
        {
            messages.Add(r.Message + (r.Flags.HasFlag(LogRecordFlags.FlushedByTimeout) ? " (timeout)" : string.Empty));
        }

        // Every read completes at once, so the input is never idle: the stderr record can only leave by the periodic
        // check while stdout is busy (at the end of input it would leave without the timeout flag).
        Assert.Contains("held on stderr (timeout)", messages);
        Assert.Equal(6, messages.Count);
        Assert.NotNull(joiners[LogStream.Stderr].LastIdleCheck);
    }

    private sealed class ClockedStream(byte[][] chunks, ManualTimeProvider clock, TimeSpan step) : Stream
    {
        private int _next;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_next == chunks.Length)
            {
                return 0;
            }

            clock.Advance(step);
            byte[] chunk = chunks[_next++];
            chunk.CopyTo(buffer, offset);
            return chunk.Length;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            byte[] temp = new byte[buffer.Length];
            int n = Read(temp, 0, temp.Length);
            temp.AsSpan(0, n).CopyTo(buffer.Span);
            return ValueTask.FromResult(n);
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    [Fact]
    public async Task ReadAsync_QueryOnSeekableAndNonSeekableStreams_GivesTheSameRecords()
    {
        var t0 = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        string text = string.Concat(Enumerable.Range(0, 5000).Select(i => $"{t0.AddSeconds(i):yyyy-MM-ddTHH:mm:ss}Z stdout F line {i}\n"));
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        var query = new LogQuery { TailLines = 1200, Since = t0.AddSeconds(3900) };
        var options = Decode.Options();

        var seekable = await ToListAsync(LogReader.ReadAsync(new MemoryStream(bytes), query, options));
        var forwardOnly = await ToListAsync(LogReader.ReadAsync(new ChunkedStream(bytes, 4096), query, options));

        Assert.Equal(seekable, forwardOnly);
        Assert.Equal("line 3900", seekable[0].Message);
        Assert.Equal("line 4999", seekable[^1].Message);
        Assert.Equal(1100, seekable.Count);
    }

    [Fact]
    public async Task ReadAsync_LimitBytes_StopsAtTheLimitAndKeepsTheCutLineVisible()
    {
        byte[] bytes = "one\ntwo\nthree\n"u8.ToArray();

        var records = await ToListAsync(LogReader.ReadAsync(new MemoryStream(bytes), new LogQuery { LimitBytes = 10 }, Decode.Options()));

        Assert.Equal(["one", "two", "th"], records.Select(r => r.Message));
    }

    [Fact]
    public void Options_OutOfRange_ThrowNamingTheSetting()
    {
        var bad = Decode.Options() with { Limits = new LogLimits { MaxLineBytes = 1 } };
        var ex = Assert.Throws<ArgumentException>(() => LogReader.ReadAsync(new MemoryStream(), bad));
        Assert.Contains("MaxLineBytes", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => LogReader.ReadAsync(new MemoryStream(), new LogQuery { TailLines = -1 }));
        Assert.Throws<ArgumentException>(() => LogReader.ReadAsync(new MemoryStream(), Decode.Options() with { ReadBufferSize = 1 }));
    }

    internal static async Task<LogRecord> NextAsync(IAsyncEnumerator<LogRecord> e, ManualTimeProvider clock, TimeSpan step)
    {
        Task<bool> move = e.MoveNextAsync().AsTask();
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!move.IsCompleted)
        {
            if (clock.HasPendingTimers)
            {
                clock.Advance(step);
            }
            else
            {
                await Task.Delay(5, guard.Token);
            }
        }

        Assert.True(await move);
        return e.Current;
    }

    private static async Task<List<LogRecord>> ToListAsync(IAsyncEnumerable<LogRecord> records)
    {
        var list = new List<LogRecord>();
        await foreach (var r in records)
        {
            list.Add(r);
        }

        return list;
    }

    /// <summary>Holds each line until the idle check or the end, as a multiline joiner holds an open record.</summary>
    private sealed class HoldingJoiner : ILineJoiner
    {
        private string? _held;

        public DateTimeOffset? LastIdleCheck { get; private set; }

        public void Add(scoped in DecodedLine line, ICollection<LogRecord> output)
        {
            Flush(output);
            _held = line.Text.ToString();
        }

        public void FlushIdle(DateTimeOffset now, ICollection<LogRecord> output)
        {
            LastIdleCheck = now;
            if (_held is not null)
            {
                output.Add(new LogRecord { Message = _held, Flags = LogRecordFlags.FlushedByTimeout });
                _held = null;
            }
        }

        public void Flush(ICollection<LogRecord> output)
        {
            if (_held is not null)
            {
                output.Add(new LogRecord { Message = _held });
                _held = null;
            }
        }
    }
}

public sealed class LogReaderStreamSeparationTests
{
    [Fact]
    public async Task ReadAsync_InterleavedStdoutAndStderr_EachStreamHasItsOwnJoiner()
    {
        string input = string.Concat(Enumerable.Range(0, 50).Select(i =>
            $"{{\"log\":\"{(i % 3 == 0 ? "err" : "out")} {i}\\n\",\"stream\":\"{(i % 3 == 0 ? "stderr" : "stdout")}\",\"time\":\"2024-01-01T00:00:00Z\"}}\n"));
        var seen = new Dictionary<LogStream, List<string>>();
        var records = new List<LogRecord>();

        await foreach (var r in LogReader.ReadStreamAsync(new MemoryStream(Encoding.UTF8.GetBytes(input)), Decode.Options(), TimeProvider.System, stream =>
        {
            Assert.False(seen.ContainsKey(stream), "one joiner per stream");
            seen[stream] = [];
            return new RecordingJoiner(seen[stream]);
        }, CancellationToken.None))
        {
            records.Add(r);
        }

        Assert.Equal([LogStream.Stdout, LogStream.Stderr], seen.Keys.Order());
        Assert.All(seen[LogStream.Stderr], t => Assert.StartsWith("err", t, StringComparison.Ordinal));
        Assert.All(seen[LogStream.Stdout], t => Assert.StartsWith("out", t, StringComparison.Ordinal));
        Assert.Equal(17, seen[LogStream.Stderr].Count);
        Assert.Equal(50, records.Count);
    }

    private sealed class RecordingJoiner(List<string> texts) : ILineJoiner
    {
        public void Add(scoped in DecodedLine line, ICollection<LogRecord> output)
        {
            texts.Add(line.Text.ToString());
            output.Add(new LogRecord { Message = line.Text.ToString(), Stream = line.Stream });
        }

        public void FlushIdle(DateTimeOffset now, ICollection<LogRecord> output)
        {
        }

        public void Flush(ICollection<LogRecord> output)
        {
        }
    }
}
