using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using Platform.Logging.Multiline;
using Platform.Logging.Reading;

namespace Platform.Logging;

/// <summary>Reads container and application logs as complete records, in bounded memory.</summary>
/// <remarks>
/// Each read decodes one source: its format is detected from the first lines (unless set), docker fragments and CRI partials
/// are reassembled per stream, and stdout/stderr each get their own multiline joiner. Memory stays bounded by
/// <see cref="LogLimits"/> whatever the input (a 100 MB line costs at most <see cref="LogLimits.MaxLineBytes"/> plus a read buffer).
/// The methods are thread-safe; each enumeration is independent.
/// </remarks>
public static class LogReader
{
    /// <summary>Reads records from a stream until it ends.</summary>
    /// <param name="stream">The input; not disposed.</param>
    /// <param name="options">The options, or <see langword="null"/> for <see cref="LogReaderOptions.Default"/>.</param>
    /// <param name="timeProvider">The clock for multiline timeouts while the stream has no data; defaults to <see cref="TimeProvider.System"/>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The records, in the order they complete.</returns>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public static IAsyncEnumerable<LogRecord> ReadAsync(Stream stream, LogReaderOptions? options = null, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        options ??= LogReaderOptions.Default;
        options.Validate();
        return ReadStreamAsync(stream, options, timeProvider ?? TimeProvider.System, null, cancellationToken);
    }

    /// <summary>Reads records from a pipe until the writer completes.</summary>
    /// <param name="reader">The input; the caller completes it.</param>
    /// <param name="options">The options, or <see langword="null"/> for <see cref="LogReaderOptions.Default"/>.</param>
    /// <param name="timeProvider">The clock for multiline timeouts while the pipe has no data; defaults to <see cref="TimeProvider.System"/>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The records, in the order they complete.</returns>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public static IAsyncEnumerable<LogRecord> ReadAsync(PipeReader reader, LogReaderOptions? options = null, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        options ??= LogReaderOptions.Default;
        options.Validate();
        return ReadPipeAsync(reader, options, timeProvider ?? TimeProvider.System, cancellationToken);
    }

    /// <summary>Reads the part of a stream a viewer asked for: tail-N (seeking backwards when the stream can seek), a byte limit, since-T.</summary>
    /// <param name="stream">The input; not disposed.</param>
    /// <param name="query">What to read; <see cref="LogQuery.Follow"/> is up to the stream itself.</param>
    /// <param name="options">The options, or <see langword="null"/> for <see cref="LogReaderOptions.Default"/>.</param>
    /// <param name="timeProvider">The clock for multiline timeouts; defaults to <see cref="TimeProvider.System"/>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The records.</returns>
    /// <exception cref="ArgumentException">An option or query setting is out of range.</exception>
    public static IAsyncEnumerable<LogRecord> ReadAsync(Stream stream, LogQuery query, LogReaderOptions? options = null, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        options ??= LogReaderOptions.Default;
        options.Validate();
        return ReadQueryAsync(stream, query, LogQueryParts.None, options, timeProvider ?? TimeProvider.System, cancellationToken);
    }

    /// <summary>Opens a log from a source and reads it; the parts of the query the source did not apply are applied here.</summary>
    /// <param name="source">The source.</param>
    /// <param name="name">The log's name in the source.</param>
    /// <param name="query">What to read, or <see langword="null"/> for the whole log.</param>
    /// <param name="options">The options, or <see langword="null"/> for <see cref="LogReaderOptions.Default"/>; an auto format takes the source's format when it knows it.</param>
    /// <param name="timeProvider">The clock for multiline timeouts; defaults to <see cref="TimeProvider.System"/>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The records.</returns>
    public static IAsyncEnumerable<LogRecord> ReadAsync(Sources.ILogSource source, string name, LogQuery? query = null, LogReaderOptions? options = null, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentException.ThrowIfNullOrEmpty(name);
        query ??= LogQuery.All;
        query.Validate();
        options ??= LogReaderOptions.Default;
        options.Validate();
        return ReadSourceAsync(source, name, query, options, timeProvider ?? TimeProvider.System, cancellationToken);
    }

    private static async IAsyncEnumerable<LogRecord> ReadSourceAsync(Sources.ILogSource source, string name, LogQuery query, LogReaderOptions options, TimeProvider timeProvider, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Sources.OpenedLog opened = await source.OpenAsync(name, query, cancellationToken).ConfigureAwait(false);
        await using (opened.ConfigureAwait(false))
        {
            if (options.Format == LogFormat.Auto && opened.Format != LogFormat.Auto)
            {
                options = options with { Format = opened.Format };
            }

            await foreach (LogRecord record in ReadQueryAsync(opened.Stream, query, opened.Applied, options, timeProvider, cancellationToken).ConfigureAwait(false))
            {
                yield return record;
            }
        }
    }

    private static async IAsyncEnumerable<LogRecord> ReadQueryAsync(Stream stream, LogQuery query, LogQueryParts applied, LogReaderOptions options, TimeProvider timeProvider, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        bool tailByRecords = false;
        if (query.TailLines is int lines && (applied & LogQueryParts.TailLines) == 0)
        {
            if (stream.CanSeek)
            {
                stream.Position = await LogView.FindTailStartAsync(stream, lines, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                tailByRecords = true;
            }
        }

        Stream input = query.LimitBytes is long limit && (applied & LogQueryParts.LimitBytes) == 0
            ? LogView.LimitBytes(stream, limit, leaveOpen: true)
            : stream;
        IAsyncEnumerable<LogRecord> records = ReadStreamAsync(input, options, timeProvider, null, cancellationToken);
        if (tailByRecords)
        {
            records = LogView.TailAsync(records, query.TailLines!.Value, cancellationToken);
        }

        if (query.Since is DateTimeOffset since && (applied & LogQueryParts.Since) == 0)
        {
            records = LogView.SinceAsync(records, since, cancellationToken);
        }

        await foreach (LogRecord record in records.ConfigureAwait(false))
        {
            yield return record;
        }
    }

    internal static async IAsyncEnumerable<LogRecord> ReadStreamAsync(
        Stream stream,
        LogReaderOptions options,
        TimeProvider timeProvider,
        Func<LogStream, ILineJoiner>? joinerFactory,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var pipeline = new LogPipeline(options, joinerFactory);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(options.ReadBufferSize);
        try
        {
            bool idle = IdleEnabled(options);
            DateTimeOffset lastIdleCheck = timeProvider.GetUtcNow();
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                ValueTask<int> pending = stream.ReadAsync(buffer.AsMemory(0, options.ReadBufferSize), cancellationToken);
                int read;
                if (pending.IsCompleted || !idle)
                {
                    read = await pending.ConfigureAwait(false);
                }
                else
                {
                    Task<int> readTask = pending.AsTask();
                    while (!await WaitAsync(readTask, options.IdleCheckInterval, timeProvider, cancellationToken).ConfigureAwait(false))
                    {
                        pipeline.FlushIdle(timeProvider.GetUtcNow());
                        foreach (LogRecord record in pipeline.Output)
                        {
                            yield return record;
                        }

                        pipeline.Output.Clear();
                    }

                    read = await readTask.ConfigureAwait(false);
                }

                if (read == 0)
                {
                    break;
                }

                pipeline.Write(buffer.AsSpan(0, read));
                if (idle)
                {
                    FlushIdleIfDue(pipeline, options, timeProvider, ref lastIdleCheck);
                }

                foreach (LogRecord record in pipeline.Output)
                {
                    yield return record;
                }

                pipeline.Output.Clear();
            }

            pipeline.Complete();
            foreach (LogRecord record in pipeline.Output)
            {
                yield return record;
            }

            pipeline.Output.Clear();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async IAsyncEnumerable<LogRecord> ReadPipeAsync(
        PipeReader reader,
        LogReaderOptions options,
        TimeProvider timeProvider,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var pipeline = new LogPipeline(options);
        bool idle = IdleEnabled(options);
        DateTimeOffset lastIdleCheck = timeProvider.GetUtcNow();
        while (true)
        {
            ValueTask<ReadResult> pending = reader.ReadAsync(cancellationToken);
            ReadResult result;
            if (pending.IsCompleted || !idle)
            {
                result = await pending.ConfigureAwait(false);
            }
            else
            {
                Task<ReadResult> readTask = pending.AsTask();
                while (!await WaitAsync(readTask, options.IdleCheckInterval, timeProvider, cancellationToken).ConfigureAwait(false))
                {
                    pipeline.FlushIdle(timeProvider.GetUtcNow());
                    foreach (LogRecord record in pipeline.Output)
                    {
                        yield return record;
                    }

                    pipeline.Output.Clear();
                }

                result = await readTask.ConfigureAwait(false);
            }

            foreach (ReadOnlyMemory<byte> segment in result.Buffer)
            {
                pipeline.Write(segment.Span);
            }

            // Everything is consumed: the decoder keeps its own bounded copy of an unfinished line.
            reader.AdvanceTo(result.Buffer.End);
            if (idle)
            {
                FlushIdleIfDue(pipeline, options, timeProvider, ref lastIdleCheck);
            }

            foreach (LogRecord record in pipeline.Output)
            {
                yield return record;
            }

            pipeline.Output.Clear();
            if (result.IsCompleted || result.IsCanceled)
            {
                break;
            }
        }

        pipeline.Complete();
        foreach (LogRecord record in pipeline.Output)
        {
            yield return record;
        }

        pipeline.Output.Clear();
    }

    /// <summary>While data keeps flowing on one stream, another stream's open record still times out: check once per interval.</summary>
    private static void FlushIdleIfDue(LogPipeline pipeline, LogReaderOptions options, TimeProvider timeProvider, ref DateTimeOffset lastCheck)
    {
        DateTimeOffset now = timeProvider.GetUtcNow();
        if (now - lastCheck >= options.IdleCheckInterval)
        {
            lastCheck = now;
            pipeline.FlushIdle(now);
        }
    }

    private static bool IdleEnabled(LogReaderOptions options) =>
        options.IdleCheckInterval > TimeSpan.Zero && options.IdleCheckInterval != Timeout.InfiniteTimeSpan;

    /// <summary>Waits for <paramref name="task"/> at most <paramref name="interval"/>; <see langword="true"/> when it completed.</summary>
    private static async Task<bool> WaitAsync(Task task, TimeSpan interval, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        if (task.IsCompleted)
        {
            return true;
        }

        using var delayCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task delay = Task.Delay(interval, timeProvider, delayCancellation.Token);
        Task first = await Task.WhenAny(task, delay).ConfigureAwait(false);
        await delayCancellation.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return first == task;
    }
}
