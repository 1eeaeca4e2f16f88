namespace Platform.Logging.Sources;

/// <summary>A log opened by an <see cref="ILogSource"/>: its bytes, its format if known, and metadata.</summary>
/// <remarks>Disposing it disposes the stream.</remarks>
public sealed class OpenedLog : IAsyncDisposable
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="stream">The bytes of the log; owned by this instance.</param>
    /// <param name="format">The envelope format when the source knows it, else <see cref="LogFormat.Auto"/>.</param>
    /// <param name="metadata">Facts about the log (path, namespace, pod, container, …), or <see langword="null"/>.</param>
    /// <param name="applied">The parts of the query the source already applied.</param>
    public OpenedLog(Stream stream, LogFormat format = LogFormat.Auto, IReadOnlyDictionary<string, string>? metadata = null, LogQueryParts applied = LogQueryParts.None)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Stream = stream;
        Format = format;
        Metadata = metadata ?? new Dictionary<string, string>();
        Applied = applied;
    }

    /// <summary>Gets the bytes of the log.</summary>
    public Stream Stream { get; }

    /// <summary>Gets the envelope format, or <see cref="LogFormat.Auto"/> when unknown.</summary>
    public LogFormat Format { get; }

    /// <summary>Gets facts about the log.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Gets the parts of the query the source applied; the reader applies the others it can (not <see cref="LogQuery.Follow"/>).</summary>
    public LogQueryParts Applied { get; }

    /// <summary>Disposes the stream.</summary>
    /// <returns>A task that completes when the stream is disposed.</returns>
    public ValueTask DisposeAsync() => Stream.DisposeAsync();
}
