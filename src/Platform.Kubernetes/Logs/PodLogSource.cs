using Platform.Kubernetes.Client;
using Platform.Logging;
using Platform.Logging.Sources;

namespace Platform.Kubernetes.Logs;

/// <summary>
/// Reads container logs through the Kubernetes API (<c>GET …/pods/{pod}/log</c>, as <c>kubectl logs</c> does):
/// the <see cref="ILogSource"/> of kind <c>pod</c>, named <c>NAMESPACE/POD[/CONTAINER][?previous][&amp;timestamps]</c>
/// (see <see cref="PodLogName"/>).
/// </summary>
/// <remarks>
/// <para>The whole <see cref="LogQuery"/> is applied by the server, and <see cref="OpenedLog.Applied"/> says so:
/// <see cref="LogQuery.TailLines"/> → <c>tailLines</c>, <see cref="LogQuery.Since"/> → <c>sinceTime</c>,
/// <see cref="LogQuery.LimitBytes"/> → <c>limitBytes</c>, <see cref="LogQuery.Follow"/> → <c>follow</c> (not reported
/// for <c>previous</c> logs: a terminated container's log never grows, so the stream ends).
/// <c>sinceTime</c> is sent truncated to whole seconds, because API servers forward it to the kubelet at that precision
/// anyway: a <see cref="LogQuery.Since"/> with a fraction of a second may return lines up to one second earlier, on the
/// emulator exactly as on a real cluster. The server applies since-T and tail-N to the container's physical lines
/// before joining, so tail-N counts lines, not joined records.</para>
/// <para>The stream is the HTTP response body as the client returns it, read as it arrives (never buffered whole);
/// disposing it ends the request; cancelling the read ends a follow.</para>
/// <para>The format is <see cref="LogFormat.Raw"/>: the kubelet already removed the CRI/docker envelope and merged
/// stdout and stderr, so records have stream <see cref="LogStream.Unknown"/> and no time. With <c>?timestamps</c> every
/// line starts with the server's RFC 3339 time and a space; the decoders keep that prefix as part of the message (it is
/// neither a docker nor a CRI envelope), which also hides indented continuation lines from the multiline profiles, so
/// read without timestamps when stack traces should be joined.</para>
/// <para>Metadata: <c>namespace</c>, <c>pod</c>, <c>container</c> (only when the name gives one) and <c>previous</c>
/// (<c>true</c> when set). Errors come from the client: a missing pod is a <see cref="KubernetesNotFoundException"/>,
/// a missing container choice or unknown container a <see cref="KubernetesInvalidException"/>. This type logs nothing;
/// the client never logs credentials. Thread-safe.</para>
/// </remarks>
public sealed class PodLogSource : ILogSource
{
    /// <summary>The kind this source serves: <c>pod</c>.</summary>
    public const string SourceKind = "pod";

    private readonly IPodLogClient _client;

    /// <summary>Initializes a new instance.</summary>
    /// <param name="client">The client that opens pod logs (usually the shared <see cref="KubernetesClient"/>).</param>
    public PodLogSource(IPodLogClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
    }

    /// <inheritdoc/>
    public string Kind => SourceKind;

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The name is not <see cref="PodLogName.Syntax"/> (the message says which part is wrong), or the query is out of range.</exception>
    /// <exception cref="KubernetesNotFoundException">The pod (or namespace) does not exist.</exception>
    /// <exception cref="KubernetesInvalidException">The pod has several containers and none was named, the container is unknown, or there is no previous instance.</exception>
    /// <exception cref="KubernetesException">The server refused the request otherwise.</exception>
    /// <exception cref="KubernetesUnavailableException">The server could not be reached.</exception>
    public async ValueTask<OpenedLog> OpenAsync(string name, LogQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        PodLogName log = PodLogName.Parse(name);
        PodLogOptions options = ToOptions(log, query);
        Stream stream = await _client.OpenLogAsync(log.Namespace, log.Pod, options, cancellationToken).ConfigureAwait(false);

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["namespace"] = log.Namespace,
            ["pod"] = log.Pod,
        };
        if (log.Container is not null)
        {
            metadata["container"] = log.Container;
        }

        if (log.Previous)
        {
            metadata["previous"] = "true";
        }

        return new OpenedLog(stream, LogFormat.Raw, metadata, Applied(query, options));
    }

    /// <summary>Maps a name and a query onto the API's options.</summary>
    /// <param name="log">The parsed name.</param>
    /// <param name="query">The validated query.</param>
    /// <returns>The options sent to the server.</returns>
    internal static PodLogOptions ToOptions(PodLogName log, LogQuery query) => new()
    {
        Container = log.Container,
        Previous = log.Previous,
        Timestamps = log.Timestamps,
        Follow = query.Follow && !log.Previous,
        TailLines = query.TailLines,
        LimitBytes = query.LimitBytes,
        SinceTime = query.Since is { } since ? TruncateToSeconds(since) : null,
    };

    /// <summary>Says which parts of the query the options make the server apply.</summary>
    /// <param name="query">The query.</param>
    /// <param name="options">The options sent.</param>
    /// <returns>The applied parts.</returns>
    internal static LogQueryParts Applied(LogQuery query, PodLogOptions options)
    {
        var applied = LogQueryParts.None;
        if (query.TailLines is not null && options.TailLines is not null)
        {
            applied |= LogQueryParts.TailLines;
        }

        if (query.Since is not null && options.SinceTime is not null)
        {
            applied |= LogQueryParts.Since;
        }

        if (query.LimitBytes is not null && options.LimitBytes is not null)
        {
            applied |= LogQueryParts.LimitBytes;
        }

        if (query.Follow && options.Follow)
        {
            applied |= LogQueryParts.Follow;
        }

        return applied;
    }

    private static DateTimeOffset TruncateToSeconds(DateTimeOffset time)
    {
        DateTimeOffset utc = time.ToUniversalTime();
        return utc.AddTicks(-(utc.Ticks % TimeSpan.TicksPerSecond));
    }
}
