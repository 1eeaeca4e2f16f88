namespace Platform.Logging.Sources;

/// <summary>Reads log files: tail-N from the end without reading the rest, a byte limit, and <c>tail -F</c>-style following.</summary>
/// <remarks>Thread-safe. Kind <c>file</c>; the name is a file path. Following polls every <see cref="PollInterval"/> on the injected <see cref="TimeProvider"/>.</remarks>
public sealed class FileLogSource : ILogSource
{
    private readonly TimeProvider _timeProvider;

    /// <summary>Initializes a new instance.</summary>
    /// <param name="timeProvider">The clock for polling followed files; defaults to <see cref="TimeProvider.System"/>.</param>
    /// <param name="pollInterval">How often a followed file is checked for new data, rotation and truncation; defaults to 250 ms.</param>
    public FileLogSource(TimeProvider? timeProvider = null, TimeSpan? pollInterval = null)
    {
        _timeProvider = timeProvider ?? TimeProvider.System;
        PollInterval = pollInterval ?? TimeSpan.FromMilliseconds(250);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(PollInterval, TimeSpan.Zero, nameof(pollInterval));
    }

    /// <summary>Gets how often a followed file is polled.</summary>
    public TimeSpan PollInterval { get; }

    /// <inheritdoc/>
    public string Kind => "file";

    /// <inheritdoc/>
    /// <exception cref="FileNotFoundException">The file does not exist (and the query does not follow it).</exception>
    public async ValueTask<OpenedLog> OpenAsync(string name, LogQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        string path = Path.GetFullPath(name);
        FileStream file = FollowingFileStream.Open(path);
        try
        {
            if (query.TailLines is int lines)
            {
                file.Position = await LogView.FindTailStartAsync(file, lines, cancellationToken).ConfigureAwait(false);
            }

            Stream stream = query.Follow ? new FollowingFileStream(path, file, _timeProvider, PollInterval) : file;
            if (query.LimitBytes is long limit)
            {
                stream = LogView.LimitBytes(stream, limit);
            }

            var applied = LogQueryParts.TailLines | LogQueryParts.LimitBytes | (query.Follow ? LogQueryParts.Follow : LogQueryParts.None);
            return new OpenedLog(stream, LogFormat.Auto, new Dictionary<string, string> { ["path"] = path }, applied);
        }
        catch
        {
            await file.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
