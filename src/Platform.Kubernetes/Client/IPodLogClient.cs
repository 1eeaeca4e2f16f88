namespace Platform.Kubernetes.Client;

/// <summary>Opens the log stream of a pod's container (<c>GET …/pods/{name}/log</c>).</summary>
/// <remarks>Implementations are thread-safe.</remarks>
public interface IPodLogClient
{
    /// <summary>Opens a container log as a stream of bytes, as <c>kubectl logs</c> reads it.</summary>
    /// <param name="namespace">The pod's namespace.</param>
    /// <param name="pod">The pod name.</param>
    /// <param name="options">The container, follow and windowing options; <see langword="null"/> reads the whole log of the only container.</param>
    /// <param name="cancellationToken">Cancels opening the stream and reads from it.</param>
    /// <returns>
    /// The log bytes; the caller disposes it, which ends the request. With <see cref="PodLogOptions.Follow"/> the stream
    /// ends when the container stops or the server closes it.
    /// </returns>
    Task<Stream> OpenLogAsync(string @namespace, string pod, PodLogOptions? options = null, CancellationToken cancellationToken = default);
}

/// <summary>Query options of a pod log request, as the API server's <c>PodLogOptions</c>.</summary>
public sealed record PodLogOptions
{
    /// <summary>Gets the container; required when the pod has more than one.</summary>
    public string? Container { get; init; }

    /// <summary>Gets whether the stream stays open and follows new lines (<c>follow</c>).</summary>
    public bool Follow { get; init; }

    /// <summary>Gets whether the log of the previous, terminated container instance is read (<c>previous</c>).</summary>
    public bool Previous { get; init; }

    /// <summary>Gets how far back to start, rounded to whole seconds (<c>sinceSeconds</c>), or <see langword="null"/>.</summary>
    public TimeSpan? Since { get; init; }

    /// <summary>
    /// Gets the absolute time to start at (<c>sinceTime</c>, RFC 3339), or <see langword="null"/>. Sent as UTC with its
    /// fraction when it has one; API servers forward it to the kubelet at whole-second precision. At most one of
    /// <see cref="Since"/> and <see cref="SinceTime"/> may be set.
    /// </summary>
    public DateTimeOffset? SinceTime { get; init; }

    /// <summary>Gets the number of lines from the end to start at (<c>tailLines</c>), or <see langword="null"/> for all.</summary>
    public long? TailLines { get; init; }

    /// <summary>Gets the most bytes the server sends (<c>limitBytes</c>), or <see langword="null"/> for no limit.</summary>
    public long? LimitBytes { get; init; }

    /// <summary>Gets whether each line is prefixed with an RFC 3339 timestamp (<c>timestamps</c>).</summary>
    public bool Timestamps { get; init; }
}
