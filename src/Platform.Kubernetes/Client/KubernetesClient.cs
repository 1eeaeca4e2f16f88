using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Platform.Kubernetes.Config;

namespace Platform.Kubernetes.Client;

/// <summary>
/// The Kubernetes REST client: unstructured CRUD, list, watch and pod logs over one <see cref="HttpClient"/>
/// connection pool, with the TLS trust, client certificate and credentials of a <see cref="KubernetesClientConfiguration"/>.
/// </summary>
/// <remarks>
/// <para>Thread-safe; create one per API server and share it. Disposing it closes its connections.</para>
/// <para>Retries (bounded by <see cref="KubernetesOptions.MaxAttempts"/>, exponential backoff with jitter, injected
/// <see cref="TimeProvider"/>) follow client-go's reasoning about what is safe to repeat:</para>
/// <list type="bullet">
/// <item>A <c>429</c> or <c>5xx</c> that carries <c>Retry-After</c> means the server did not process the request
/// (API priority and fairness, overload), so every verb is retried after the hinted delay.</item>
/// <item>A <c>429</c>, <c>500</c>, <c>502</c>, <c>503</c> or <c>504</c> without the hint, a time-out, or a connection
/// reset / early end of the response are retried only for reads (get, list, opening a watch or log stream), because
/// a create, replace, patch or delete may already have taken effect.</item>
/// <item>A connection that could not be established (refused, DNS) is retried for every verb: nothing was sent.</item>
/// <item>A <c>401</c> is retried once after refreshing an exec-plugin or token-file credential.</item>
/// </list>
/// <para>Credentials, tokens and request bodies never appear in log entries or exception messages.</para>
/// </remarks>
public sealed class KubernetesClient : IKubernetesResourceClient, IPodLogClient, IDisposable
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 512 };
    private static readonly MediaTypeHeaderValue JsonMedia = new("application/json");

    private readonly KubernetesOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly CredentialSource _credentials;
    private readonly Uri _baseAddress;
    private readonly Lock _handlerLock = new();
    private readonly List<HttpMessageInvoker> _retired = [];
    private HttpMessageInvoker _invoker;
    private X509Certificate2? _handlerCertificate;
    private bool _disposed;

    /// <summary>Initializes a new client.</summary>
    /// <param name="configuration">The server, TLS settings and credentials.</param>
    /// <param name="options">Retry policy, time-outs and limits; <see langword="null"/> uses the defaults.</param>
    /// <param name="logger">The logger; <see langword="null"/> logs nothing.</param>
    /// <param name="timeProvider">The clock for backoff, token refresh and credential expiry; <see langword="null"/> uses the system clock.</param>
    /// <exception cref="ArgumentException"><paramref name="options"/> is invalid; the message names the setting.</exception>
    public KubernetesClient(KubernetesClientConfiguration configuration, KubernetesOptions? options = null, ILogger<KubernetesClient>? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        _options = options ?? new KubernetesOptions();
        var failures = _options.Validate();
        if (failures.Count > 0)
        {
            throw new ArgumentException("Invalid Kubernetes options: " + string.Join(" ", failures), nameof(options));
        }

        Configuration = configuration;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
        _credentials = CreateCredentials(configuration);

        // Servers behind a path prefix (Rancher, API gateways): paths resolve below the whole server path.
        var server = configuration.Server.GetLeftPart(UriPartial.Path);
        _baseAddress = new Uri(server.EndsWith('/') ? server : server + "/");
        _handlerCertificate = configuration.ClientCertificate;
        _invoker = CreateInvoker(_handlerCertificate);
    }

    /// <summary>Gets the configuration this client talks with.</summary>
    public KubernetesClientConfiguration Configuration { get; }

    /// <summary>Gets the configuration's default namespace.</summary>
    public string DefaultNamespace => Configuration.Namespace;

    /// <inheritdoc />
    public async Task<JsonObject> GetAsync(ResourceType type, string? @namespace, string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var request = new RequestInfo(HttpMethod.Get, "get", ObjectPath(type, @namespace, name), type, @namespace, name, Safe: true);
        return await SendForObjectAsync(request, null, null, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<ResourceList> ListAsync(ResourceType type, string? @namespace, ListOptions? options = null, CancellationToken cancellationToken = default)
    {
        var query = new QueryBuilder();
        query.Add("labelSelector", options?.LabelSelector);
        query.Add("fieldSelector", options?.FieldSelector);
        query.Add("limit", options?.Limit?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        query.Add("continue", options?.Continue);
        query.Add("resourceVersion", options?.ResourceVersion);
        var request = new RequestInfo(HttpMethod.Get, "list", CollectionPath(type, @namespace, allowAll: true) + query, type, @namespace, null, Safe: true);
        var list = await SendForObjectAsync(request, null, null, cancellationToken).ConfigureAwait(false);
        var items = new List<JsonObject>();
        if (list["items"] is JsonArray array)
        {
            var apiVersion = KubernetesErrors.Str(list, "apiVersion") ?? type.ApiVersion;
            foreach (var node in array)
            {
                if (node is JsonObject item)
                {
                    // The server omits apiVersion and kind on the items of a list; client-go's unstructured lists restore them.
                    if (item["apiVersion"] is null)
                    {
                        item["apiVersion"] = apiVersion;
                    }

                    if (item["kind"] is null)
                    {
                        item["kind"] = type.Kind;
                    }

                    items.Add(item);
                }
            }
        }

        var metadata = list["metadata"] as JsonObject;
        return new ResourceList(items, KubernetesErrors.Str(metadata, "resourceVersion") ?? "", KubernetesErrors.Str(metadata, "continue"));
    }

    /// <inheritdoc />
    /// <remarks>
    /// <c>ERROR</c> events are not yielded: their <c>Status</c> is thrown as the matching <see cref="KubernetesException"/>
    /// (<see cref="KubernetesGoneException"/> for <c>410</c>, when the resource version is too old: relist). A stream
    /// the server or the network ends (cleanly, by reset, or mid-event) ends the sequence; resume by watching from the
    /// last seen <c>metadata.resourceVersion</c> (bookmarks included).
    /// </remarks>
    public async IAsyncEnumerable<WatchEvent> WatchAsync(ResourceType type, string? @namespace, WatchOptions options, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var query = new QueryBuilder();
        query.Add("watch", "true");
        query.Add("resourceVersion", options.ResourceVersion);
        query.Add("labelSelector", options.LabelSelector);
        query.Add("fieldSelector", options.FieldSelector);
        query.Add("allowWatchBookmarks", options.AllowBookmarks ? "true" : null);
        query.Add("timeoutSeconds", options.Timeout is { } t ? ((long)Math.Ceiling(t.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture) : null);
        var request = new RequestInfo(HttpMethod.Get, "watch", CollectionPath(type, @namespace, allowAll: true) + query, type, @namespace, null, Safe: true);
        using var response = await SendAsync(request, null, null, streaming: true, cancellationToken).ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using var _ = stream.ConfigureAwait(false);
        var reader = new JsonFrameReader(stream, _options.MaxWatchEventBytes);
        while (true)
        {
            JsonObject? frame;
            try
            {
                frame = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
            {
                _logger.LogInformation("Watch of {Resource} ended by the connection: {Error}", request.Describe(), ex.Message);
                yield break;
            }
            catch (InvalidDataException ex)
            {
                throw new KubernetesException(
                    $"{request.Describe()} on {Server} sent an unreadable event: {ex.Message}",
                    new KubernetesStatus(200, "InvalidWatchEvent", ex.Message, "watch", type.Plural, null, @namespace, null, []),
                    ex);
            }

            if (frame is null)
            {
                yield break;
            }

            yield return ToWatchEvent(frame, request);
        }
    }

    /// <inheritdoc />
    public async Task<JsonObject> CreateAsync(ResourceType type, string? @namespace, JsonObject body, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        var name = KubernetesErrors.Str(body["metadata"] as JsonObject, "name") ?? KubernetesErrors.Str(body["metadata"] as JsonObject, "generateName");
        var request = new RequestInfo(HttpMethod.Post, "create", CollectionPath(type, @namespace, allowAll: false), type, @namespace, name, Safe: false);
        return await SendForObjectAsync(request, Serialize(WithTypeMeta(type, body)), JsonMedia, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<JsonObject> ReplaceAsync(ResourceType type, string? @namespace, string name, JsonObject body, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(body);
        var request = new RequestInfo(HttpMethod.Put, "replace", ObjectPath(type, @namespace, name), type, @namespace, name, Safe: false);
        return await SendForObjectAsync(request, Serialize(WithTypeMeta(type, body)), JsonMedia, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<JsonObject> PatchAsync(ResourceType type, string? @namespace, string name, Patch patch, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(patch);
        var media = patch.Kind switch
        {
            PatchKind.Merge => "application/merge-patch+json",
            PatchKind.Json => "application/json-patch+json",
            PatchKind.Apply => "application/apply-patch+yaml",
            _ => throw new ArgumentOutOfRangeException(nameof(patch), patch.Kind, "Unknown patch kind."),
        };
        if (patch.Kind == PatchKind.Apply && string.IsNullOrEmpty(patch.FieldManager))
        {
            throw new ArgumentException("Server-side apply needs a field manager (Patch.FieldManager).", nameof(patch));
        }

        if (patch.Kind == PatchKind.Json && patch.Document is not JsonArray)
        {
            throw new ArgumentException("A JSON patch document must be an array of operations.", nameof(patch));
        }

        if (patch.Kind != PatchKind.Json && patch.Document is not JsonObject)
        {
            throw new ArgumentException("A merge patch or apply document must be a JSON object.", nameof(patch));
        }

        var query = new QueryBuilder();
        query.Add("fieldManager", patch.FieldManager);
        query.Add("force", patch.Kind == PatchKind.Apply && patch.Force ? "true" : null);
        var document = patch.Kind == PatchKind.Apply ? WithTypeMeta(type, (JsonObject)patch.Document) : patch.Document;
        var request = new RequestInfo(HttpMethod.Patch, "patch", ObjectPath(type, @namespace, name) + query, type, @namespace, name, Safe: false);
        return await SendForObjectAsync(request, Serialize(document), new MediaTypeHeaderValue(media), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task DeleteAsync(ResourceType type, string? @namespace, string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var request = new RequestInfo(HttpMethod.Delete, "delete", ObjectPath(type, @namespace, name), type, @namespace, name, Safe: false);
        using var response = await SendAsync(request, null, null, streaming: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes an object with propagation, preconditions, grace period or dry run.</summary>
    /// <param name="type">The resource type.</param>
    /// <param name="namespace">The namespace, or <see langword="null"/> for a cluster-scoped resource.</param>
    /// <param name="name">The object name.</param>
    /// <param name="options">The delete options.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The server's answer: the object (still present while finalizers run) or a <c>Status</c>.</returns>
    public async Task<JsonObject> DeleteAsync(ResourceType type, string? @namespace, string name, DeleteOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(options);
        var body = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "DeleteOptions" };
        if (options.PropagationPolicy is { } policy)
        {
            body["propagationPolicy"] = policy.ToString();
        }

        if (options.PreconditionResourceVersion is not null || options.PreconditionUid is not null)
        {
            var preconditions = new JsonObject();
            if (options.PreconditionResourceVersion is not null)
            {
                preconditions["resourceVersion"] = options.PreconditionResourceVersion;
            }

            if (options.PreconditionUid is not null)
            {
                preconditions["uid"] = options.PreconditionUid;
            }

            body["preconditions"] = preconditions;
        }

        if (options.GracePeriod is { } grace)
        {
            body["gracePeriodSeconds"] = (long)Math.Ceiling(Math.Max(0, grace.TotalSeconds));
        }

        var query = new QueryBuilder();
        query.Add("dryRun", options.DryRun ? "All" : null);
        var request = new RequestInfo(HttpMethod.Delete, "delete", ObjectPath(type, @namespace, name) + query, type, @namespace, name, Safe: false);
        return await SendForObjectAsync(request, Serialize(body), JsonMedia, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<Stream> OpenLogAsync(string @namespace, string pod, PodLogOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(@namespace);
        ArgumentException.ThrowIfNullOrEmpty(pod);
        options ??= new PodLogOptions();
        if (options.TailLines is < 0 || options.LimitBytes is < 1 || options.Since is { } s && s <= TimeSpan.Zero)
        {
            throw new ArgumentException("TailLines must be non-negative, LimitBytes and Since positive.", nameof(options));
        }

        if (options.Since is not null && options.SinceTime is not null)
        {
            throw new ArgumentException("At most one of Since and SinceTime may be set.", nameof(options));
        }

        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var query = new QueryBuilder();
        query.Add("container", options.Container);
        query.Add("follow", options.Follow ? "true" : null);
        query.Add("previous", options.Previous ? "true" : null);
        query.Add("sinceSeconds", options.Since is { } since ? ((long)Math.Ceiling(since.TotalSeconds)).ToString(inv) : null);
        query.Add("sinceTime", options.SinceTime is { } sinceTime ? FormatSinceTime(sinceTime) : null);
        query.Add("tailLines", options.TailLines?.ToString(inv));
        query.Add("limitBytes", options.LimitBytes?.ToString(inv));
        query.Add("timestamps", options.Timestamps ? "true" : null);
        var path = ObjectPath(ResourceType.Pods, @namespace, pod) + "/log" + query;
        var request = new RequestInfo(HttpMethod.Get, "log", path, ResourceType.Pods, @namespace, pod, Safe: true);
        var response = await SendAsync(request, null, null, streaming: true, cancellationToken).ConfigureAwait(false);
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            return new ResponseStream(stream, response);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_handlerLock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _invoker.Dispose();
            foreach (var old in _retired)
            {
                old.Dispose();
            }
        }
    }

    /// <summary>Formats RFC 3339 in UTC: whole seconds, or with the fraction (no trailing zeros) when there is one.</summary>
    internal static string FormatSinceTime(DateTimeOffset time)
    {
        var text = time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", System.Globalization.CultureInfo.InvariantCulture).TrimEnd('0').TrimEnd('.');
        return text + "Z";
    }

    internal int ExecRuns => (_credentials as ExecCredentialProvider)?.Runs ?? 0;

    private Uri Server => Configuration.Server;

    private static string CollectionPath(ResourceType type, string? @namespace, bool allowAll)
    {
        ArgumentNullException.ThrowIfNull(type);
        var sb = new StringBuilder(type.Group.Length == 0 ? "api/" : "apis/" + Uri.EscapeDataString(type.Group) + "/");
        sb.Append(Uri.EscapeDataString(type.Version));
        if (type.Namespaced)
        {
            if (!string.IsNullOrEmpty(@namespace))
            {
                sb.Append("/namespaces/").Append(Uri.EscapeDataString(@namespace));
            }
            else if (!allowAll)
            {
                throw new ArgumentException($"Resource '{type.Plural}' is namespaced: a namespace is required.", nameof(@namespace));
            }
        }
        else if (!string.IsNullOrEmpty(@namespace))
        {
            throw new ArgumentException($"Resource '{type.Plural}' is cluster-scoped: the namespace must be null (was '{@namespace}').", nameof(@namespace));
        }

        return sb.Append('/').Append(Uri.EscapeDataString(type.Plural)).ToString();
    }

    private static string ObjectPath(ResourceType type, string? @namespace, string name) =>
        CollectionPath(type, @namespace, allowAll: false) + "/" + Uri.EscapeDataString(name);

    private static JsonObject WithTypeMeta(ResourceType type, JsonObject body)
    {
        if (body["apiVersion"] is not null && body["kind"] is not null)
        {
            return body;
        }

        var copy = (JsonObject)body.DeepClone();
        copy["apiVersion"] ??= type.ApiVersion;
        copy["kind"] ??= type.Kind;
        return copy;
    }

    private static byte[] Serialize(JsonNode node)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            node.WriteTo(writer);
        }

        return buffer.ToArray();
    }

    private WatchEvent ToWatchEvent(JsonObject frame, RequestInfo request)
    {
        var typeText = KubernetesErrors.Str(frame, "type");
        var obj = frame["object"] as JsonObject;
        if (typeText is null || obj is null)
        {
            throw new KubernetesException(
                $"{request.Describe()} on {Server} sent an event without type or object.",
                new KubernetesStatus(200, "InvalidWatchEvent", "event without type or object", "watch", request.Type?.Plural, null, request.Namespace, null, []));
        }

        var type = typeText switch
        {
            "ADDED" => WatchEventType.Added,
            "MODIFIED" => WatchEventType.Modified,
            "DELETED" => WatchEventType.Deleted,
            "BOOKMARK" => WatchEventType.Bookmark,
            "ERROR" => WatchEventType.Error,
            _ => throw new KubernetesException(
                $"{request.Describe()} on {Server} sent an event of unknown type '{typeText}'.",
                new KubernetesStatus(200, "InvalidWatchEvent", "unknown event type " + typeText, "watch", request.Type?.Plural, null, request.Namespace, null, [])),
        };
        if (type == WatchEventType.Error)
        {
            var code = obj["code"] is JsonValue c && c.TryGetValue<int>(out var n) ? n : 500;
            throw KubernetesErrors.FromStatus(code, obj, null, request, Server, null, _credentials.Secrets);
        }

        if (request.Type is { } rt && type != WatchEventType.Bookmark)
        {
            obj["apiVersion"] ??= rt.ApiVersion;
            obj["kind"] ??= rt.Kind;
        }

        return new WatchEvent(type, obj);
    }

    private async Task<JsonObject> SendForObjectAsync(RequestInfo request, byte[]? body, MediaTypeHeaderValue? media, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(request, body, media, streaming: false, cancellationToken).ConfigureAwait(false);
        if (response.Content.Headers.ContentLength is { } length && length > _options.MaxResponseBytes)
        {
            throw TooLarge(request);
        }

        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                var limited = new LimitedReadStream(stream, _options.MaxResponseBytes);
                var node = await JsonNode.ParseAsync(limited, documentOptions: DocumentOptions, cancellationToken: cancellationToken).ConfigureAwait(false);
                return node as JsonObject ?? throw new KubernetesException(
                    $"{request.Describe()} on {Server} answered JSON that is not an object.",
                    new KubernetesStatus((int)response.StatusCode, "InvalidResponse", "not a JSON object", request.Verb, request.Type?.Plural, request.Name, request.Namespace, null, []));
            }
        }
        catch (LimitExceededException)
        {
            throw TooLarge(request);
        }
        catch (JsonException ex)
        {
            throw new KubernetesException(
                $"{request.Describe()} on {Server} answered invalid JSON: {ex.Message}",
                new KubernetesStatus((int)response.StatusCode, "InvalidResponse", ex.Message, request.Verb, request.Type?.Plural, request.Name, request.Namespace, null, []),
                ex);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            throw new KubernetesUnavailableException($"{request.Describe()}: the connection to {Server} broke while reading the answer: {ex.Message}", Server, ex);
        }
    }

    private KubernetesException TooLarge(RequestInfo request) => new(
        $"{request.Describe()} on {Server}: the answer exceeds {_options.MaxResponseBytes} bytes (MaxResponseBytes).",
        new KubernetesStatus(200, "ResponseTooLarge", "response exceeds MaxResponseBytes", request.Verb, request.Type?.Plural, request.Name, request.Namespace, null, []));

    /// <summary>Sends with retries; returns a successful response or throws the mapped exception.</summary>
    private async Task<HttpResponseMessage> SendAsync(RequestInfo request, byte[]? body, MediaTypeHeaderValue? media, bool streaming, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var refreshedAfter401 = false;
        for (var attempt = 1; ; attempt++)
        {
            var credential = await _credentials.GetAsync(cancellationToken).ConfigureAwait(false);
            var invoker = InvokerFor(credential);
            using var message = new HttpRequestMessage(request.Method, new Uri(_baseAddress, request.PathAndQuery));
            // As kubectl: JSON, and anything for the log subresource, which answers text/plain.
            message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("*/*"));
            message.Headers.UserAgent.ParseAdd(_options.UserAgent);
            message.Headers.Authorization = credential.Authorization;
            if (Configuration.TlsServerName is { } serverName)
            {
                // SocketsHttpHandler takes SNI and the name it verifies from the Host header; the API server ignores Host.
                message.Headers.Host = Server.IsDefaultPort ? serverName : serverName + ":" + Server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            if (body is not null)
            {
                message.Content = new ByteArrayContent(body);
                message.Content.Headers.ContentType = media;
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (_options.RequestTimeout != Timeout.InfiniteTimeSpan)
            {
                timeout.CancelAfter(_options.RequestTimeout);
            }

            HttpResponseMessage response;
            Exception failure;
            TimeSpan? retryAfter = null;
            bool retryable;
            try
            {
                response = await invoker.SendAsync(message, timeout.Token).ConfigureAwait(false);
                if (!streaming)
                {
                    // Buffer the body inside the attempt so a reset while reading is retried like one while sending.
                    await response.Content.LoadIntoBufferAsync(_options.MaxResponseBytes, timeout.Token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (OperationCanceledException ex)
            {
                failure = new KubernetesUnavailableException(
                    $"{request.Describe()}: {Server} did not answer within {_options.RequestTimeout.TotalSeconds:0.#} s (RequestTimeout).", Server, new TimeoutException(ex.Message, ex));
                retryable = request.Safe;
                if (!await BackoffAsync(request, attempt, retryable, null, "time-out", cancellationToken).ConfigureAwait(false))
                {
                    throw failure;
                }

                continue;
            }
            catch (HttpRequestException ex) when (ex.HttpRequestError == HttpRequestError.ConfigurationLimitExceeded)
            {
                throw TooLarge(request);
            }
            catch (HttpRequestException ex) when (ex.InnerException is AuthenticationException)
            {
                throw new KubernetesUnavailableException(
                    $"{request.Describe()}: the TLS handshake with {Server} failed ({ex.InnerException.Message}); check certificate-authority, tls-server-name and the client certificate.",
                    Server,
                    ex);
            }
            catch (HttpRequestException ex)
            {
                var notSent = ex.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError
                    && ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostNotFound or SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.TryAgain };
                failure = new KubernetesUnavailableException($"{request.Describe()}: cannot reach the Kubernetes API server at {Server}: {ex.Message}", Server, ex);
                retryable = request.Safe || notSent;
                if (!await BackoffAsync(request, attempt, retryable, null, ex.HttpRequestError.ToString(), cancellationToken).ConfigureAwait(false))
                {
                    throw failure;
                }

                continue;
            }
            catch (IOException ex)
            {
                failure = new KubernetesUnavailableException($"{request.Describe()}: the connection to {Server} broke: {ex.Message}", Server, ex);
                if (!await BackoffAsync(request, attempt, request.Safe, null, "connection reset", cancellationToken).ConfigureAwait(false))
                {
                    throw failure;
                }

                continue;
            }

            if (response.IsSuccessStatusCode)
            {
                return response;
            }

            var code = (int)response.StatusCode;
            if (code == 401 && !refreshedAfter401 && _credentials.Invalidate(credential))
            {
                refreshedAfter401 = true;
                response.Dispose();
                _logger.LogInformation("{Request} was refused with 401; refreshing the credential and retrying once.", request.Describe());
                attempt--;
                continue;
            }

            if (code == 429 || code >= 500)
            {
                retryAfter = KubernetesErrors.RetryAfter(response.Headers);
                retryable = retryAfter is not null || (request.Safe && code is 429 or 500 or 502 or 503 or 504);
                if (retryAfter > _options.MaxRetryAfter)
                {
                    retryable = false;
                }

                if (retryable && attempt < _options.MaxAttempts)
                {
                    response.Dispose();
                    await BackoffAsync(request, attempt, true, retryAfter, code.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
                    continue;
                }
            }

            using (response)
            {
                throw await KubernetesErrors.FromResponseAsync(response, request, Server, _credentials.Secrets, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Waits before the next attempt, or returns <see langword="false"/> when no attempt is left or allowed.</summary>
    private async Task<bool> BackoffAsync(RequestInfo request, int attempt, bool retryable, TimeSpan? retryAfter, string cause, CancellationToken cancellationToken)
    {
        if (!retryable || attempt >= _options.MaxAttempts)
        {
            return false;
        }

        var delay = retryAfter ?? Backoff(attempt);
        _logger.LogInformation(
            "{Request} on {Server} failed ({Cause}); retry {Attempt} of {Max} in {Delay} ms.",
            request.Describe(),
            Server.GetLeftPart(UriPartial.Authority),
            cause,
            attempt,
            _options.MaxAttempts - 1,
            (long)delay.TotalMilliseconds);
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    private TimeSpan Backoff(int attempt)
    {
        // Exponential with "equal jitter": half fixed, half random, so retries spread but never collapse to zero.
        var exp = _options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 30));
        var capped = Math.Min(exp, _options.RetryMaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds((capped / 2) + (Random.Shared.NextDouble() * capped / 2));
    }

    private CredentialSource CreateCredentials(KubernetesClientConfiguration config)
    {
        if (config.Exec is not null)
        {
            return new ExecCredentialProvider(
                config.Exec, config.UserName ?? "(unnamed)", config.Exec.ProvideClusterInfo ? config.ExecClusterInfo() : null, _options.ExecTimeout, _time, _logger);
        }

        if (!string.IsNullOrEmpty(config.BearerTokenFile))
        {
            return new TokenFileCredentialSource(config.BearerTokenFile, config.BearerToken, _time);
        }

        if (!string.IsNullOrEmpty(config.BearerToken))
        {
            return StaticCredentialSource.Bearer(config.BearerToken);
        }

        if (!string.IsNullOrEmpty(config.Username))
        {
            return StaticCredentialSource.Basic(config.Username, config.Password ?? "");
        }

        return new StaticCredentialSource(Credential.None);
    }

    private HttpMessageInvoker InvokerFor(Credential credential)
    {
        if (credential.Certificate is null || ReferenceEquals(credential.Certificate, _handlerCertificate))
        {
            return _invoker;
        }

        // A rotated client certificate needs new connections: TLS client authentication happens once per connection.
        lock (_handlerLock)
        {
            if (!ReferenceEquals(credential.Certificate, _handlerCertificate))
            {
                _retired.Add(_invoker);
                _handlerCertificate = credential.Certificate;
                _invoker = CreateInvoker(credential.Certificate);
            }

            return _invoker;
        }
    }

    private HttpMessageInvoker CreateInvoker(X509Certificate2? clientCertificate)
    {
        var config = Configuration;
        var ssl = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = ValidateServerCertificate,
        };
        if (clientCertificate is not null)
        {
            ssl.ClientCertificates = [clientCertificate];
            ssl.LocalCertificateSelectionCallback = (_, _, _, _, _) => clientCertificate;
        }

        var handler = new SocketsHttpHandler
        {
            SslOptions = ssl,
            AutomaticDecompression = DecompressionMethods.GZip,
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
            ConnectTimeout = TimeSpan.FromSeconds(30),
            UseProxy = true,
            Proxy = config.ProxyUrl is { } proxyUrl ? new WebProxy(proxyUrl) : new LoopbackBypassProxy(HttpClient.DefaultProxy),
            AllowAutoRedirect = false,
        };
        return new HttpMessageInvoker(handler, disposeHandler: true);
    }

    private bool ValidateServerCertificate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (Configuration.InsecureSkipTlsVerify)
        {
            return true;
        }

        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        var cas = Configuration.CertificateAuthorities;
        if (cas.Count == 0 || certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0)
        {
            return false;
        }

        // The configured CA bundle is the only trust anchor, as client-go's RootCAs.
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(cas);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements)
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        var leaf = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return custom.Build(leaf);
    }

    private sealed class QueryBuilder
    {
        private readonly StringBuilder _sb = new();

        public void Add(string name, string? value)
        {
            if (string.IsNullOrEmpty(value))
            {
                return;
            }

            _sb.Append(_sb.Length == 0 ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
        }

        public override string ToString() => _sb.ToString();
    }

    /// <summary>The process proxy settings, except that loopback addresses are never proxied (as Go's <c>ProxyFromEnvironment</c>).</summary>
    private sealed class LoopbackBypassProxy(IWebProxy inner) : IWebProxy
    {
        public ICredentials? Credentials
        {
            get => inner.Credentials;
            set => inner.Credentials = value;
        }

        public Uri? GetProxy(Uri destination) => inner.GetProxy(destination);

        public bool IsBypassed(Uri host) => host.IsLoopback || inner.IsBypassed(host);
    }
}
