using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Platform.Kubernetes.Emulator.Logs;
using Platform.Kubernetes.Emulator.Security;
using Platform.Kubernetes.Emulator.Storage;

namespace Platform.Kubernetes.Emulator.Api;

/// <summary>The request pipeline: faults, authentication, routing and the handlers of each verb.</summary>
internal sealed partial class ApiHandler
{
    private const string JsonContentType = "application/json";

    private readonly EmulatorOptions _options;
    private readonly ObjectStore _store;
    private readonly ResourceRegistry _registry;
    private readonly PodLogStore _logs;
    private readonly EmulatorFaults _faults;
    private readonly CertificateAuthority _ca;
    private readonly byte[] _token;
    private readonly Random _random;
    private readonly ListSnapshots _snapshots;
    private readonly CancellationToken _stopping;
    private int _nextServiceIp = 1;

    public ApiHandler(EmulatorOptions options, ObjectStore store, ResourceRegistry registry, PodLogStore logs, EmulatorFaults faults, CertificateAuthority ca, string token, Random random, CancellationToken stopping)
    {
        _options = options;
        _store = store;
        _registry = registry;
        _logs = logs;
        _faults = faults;
        _ca = ca;
        _token = Encoding.UTF8.GetBytes(token);
        _random = random;
        _stopping = stopping;
        _snapshots = new ListSnapshots(options.MaxListSnapshots, options.ContinueTokenLifetime, options.TimeProvider);
    }

    /// <summary>Gets or sets the address <c>/api</c> advertises (host:port of the HTTPS endpoint).</summary>
    public string ServerAddress { get; set; } = "127.0.0.1:443";

    private DateTimeOffset Now => _options.TimeProvider.GetUtcNow();

    public async Task HandleAsync(HttpContext context)
    {
        try
        {
            await HandleCoreAsync(context).ConfigureAwait(false);
        }
        catch (ApiException ex)
        {
            await WriteErrorAsync(context, ex).ConfigureAwait(false);
        }
        catch (FormatException ex)
        {
            await WriteErrorAsync(context, ApiException.BadRequest(ex.Message)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested || _stopping.IsCancellationRequested)
        {
            // The client went away or the emulator is stopping; nothing to answer.
        }
    }

    private async Task HandleCoreAsync(HttpContext context)
    {
        HttpRequest request = context.Request;
        string path = request.Path.Value ?? "/";
        string[] segments = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries)
            .Select(Uri.UnescapeDataString).ToArray();

        if (segments.Length == 1 && segments[0] == "version")
        {
            await WriteJsonAsync(context, 200, Discovery.Version(_options.KubernetesVersion)).ConfigureAwait(false);
            return;
        }

        if (segments.Length >= 1 && segments[0] is "healthz" or "livez" or "readyz")
        {
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync("ok", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        if (!await IsAuthenticatedAsync(context).ConfigureAwait(false))
        {
            throw new ApiException(401, "Unauthorized", "Unauthorized");
        }

        bool isWatch = IsTrue(request.Query["watch"]);
        var (delay, status, retryAfter, dropAfter) = _faults.Decide(new EmulatorRequest(request.Method, path, isWatch));
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, _options.TimeProvider, context.RequestAborted).ConfigureAwait(false);
        }

        if (status is int code)
        {
            throw code switch
            {
                429 => new ApiException(429, "TooManyRequests", "Too many requests, please try again later.", new JsonObject { ["retryAfterSeconds"] = retryAfter }) { RetryAfterSeconds = retryAfter },
                503 => new ApiException(503, "ServiceUnavailable", "the server is currently unable to handle the request") { RetryAfterSeconds = retryAfter },
                504 => new ApiException(504, "Timeout", "the server was unable to return a response in the time allotted, but may still be processing the request"),
                _ => new ApiException(500, "InternalError", "Internal error occurred: injected fault", new JsonObject { ["causes"] = new JsonArray(new JsonObject { ["message"] = "injected fault" }) }),
            };
        }

        if (segments.Length == 0)
        {
            await WriteJsonAsync(context, 200, new JsonObject { ["paths"] = new JsonArray("/api", "/api/v1", "/apis", "/healthz", "/livez", "/readyz", "/version") }).ConfigureAwait(false);
            return;
        }

        if (segments[0] == "api")
        {
            if (segments.Length == 1)
            {
                await WriteJsonAsync(context, 200, Discovery.ApiVersions(ServerAddress)).ConfigureAwait(false);
                return;
            }

            if (segments[1] != "v1")
            {
                throw ApiException.ResourceNotFound();
            }

            if (segments.Length == 2)
            {
                await WriteJsonAsync(context, 200, Discovery.ResourceList(_registry.All, "", "v1")!).ConfigureAwait(false);
                return;
            }

            await HandleResourceAsync(context, "", "v1", segments[2..], dropAfter).ConfigureAwait(false);
            return;
        }

        if (segments[0] == "apis")
        {
            JsonObject? document = segments.Length switch
            {
                1 => Discovery.GroupList(_registry.All),
                2 => Discovery.Group(_registry.All, segments[1]),
                3 => Discovery.ResourceList(_registry.All, segments[1], segments[2]),
                _ => null,
            };
            if (segments.Length <= 3)
            {
                await WriteJsonAsync(context, 200, document ?? throw NotFoundPage()).ConfigureAwait(false);
                return;
            }

            await HandleResourceAsync(context, segments[1], segments[2], segments[3..], dropAfter).ConfigureAwait(false);
            return;
        }

        if (segments[0] == "openapi" && segments.Length >= 2 && segments[1] == "v3")
        {
            JsonObject? openApi = segments.Length == 2
                ? OpenApi.Index(_registry.All)
                : segments.Length == 4 && segments[2] == "api" ? OpenApi.Document(_registry.All, "", segments[3])
                : segments.Length == 5 && segments[2] == "apis" ? OpenApi.Document(_registry.All, segments[3], segments[4])
                : null;
            await WriteJsonAsync(context, 200, openApi ?? throw NotFoundPage()).ConfigureAwait(false);
            return;
        }

        throw NotFoundPage();
    }

    private static ApiException NotFoundPage() => ApiException.ResourceNotFound();

    private async Task<bool> IsAuthenticatedAsync(HttpContext context)
    {
        string? header = context.Request.Headers.Authorization;
        if (header is not null && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            byte[] presented = Encoding.UTF8.GetBytes(header[7..].Trim());
            if (CryptographicOperations.FixedTimeEquals(presented, _token))
            {
                return true;
            }
        }

        if (context.Request.IsHttps)
        {
            var certificate = await context.Connection.GetClientCertificateAsync(context.RequestAborted).ConfigureAwait(false);
            if (certificate is not null && _ca.IsTrusted(certificate))
            {
                return true;
            }
        }

        return false;
    }

    private async Task HandleResourceAsync(HttpContext context, string group, string version, string[] rest, int? dropAfter)
    {
        if (_registry.All.All(t => t.Type.Group != group || t.Type.Version != version))
        {
            throw NotFoundPage();
        }

        string? ns = null;
        string plural;
        string? name = null;
        string? sub = null;
        if (rest.Length >= 3 && rest[0] == "namespaces" && _registry.Find(group, version, rest[2]) is { Namespaced: true })
        {
            ns = rest[1];
            plural = rest[2];
            name = rest.ElementAtOrDefault(3);
            sub = rest.ElementAtOrDefault(4);
            if (rest.Length > 5)
            {
                throw NotFoundPage();
            }
        }
        else
        {
            plural = rest[0];
            name = rest.ElementAtOrDefault(1);
            sub = rest.ElementAtOrDefault(2);
            if (rest.Length > 3)
            {
                throw NotFoundPage();
            }
        }

        ResourceInfo type = _registry.Find(group, version, plural) ?? throw NotFoundPage();
        if ((type.Namespaced && ns is null && name is not null) || (!type.Namespaced && ns is not null))
        {
            throw NotFoundPage();
        }

        if (sub is not null && !(sub == "status" || (sub == "log" && type.Key == "/pods")))
        {
            throw NotFoundPage();
        }

        string method = context.Request.Method;
        if (name is null)
        {
            switch (method)
            {
                case "GET" when IsTrue(context.Request.Query["watch"]):
                    await WatchAsync(context, type, ns, dropAfter).ConfigureAwait(false);
                    return;
                case "GET":
                    await ListAsync(context, type, ns).ConfigureAwait(false);
                    return;
                case "POST" when ns is not null || !type.Namespaced:
                    await CreateAsync(context, type, ns ?? "").ConfigureAwait(false);
                    return;
                case "DELETE":
                    await DeleteCollectionAsync(context, type, ns).ConfigureAwait(false);
                    return;
                default:
                    throw ApiException.MethodNotAllowed(method);
            }
        }

        ns ??= "";
        switch (method)
        {
            case "GET" when sub == "log":
                await LogsAsync(context, ns, name).ConfigureAwait(false);
                return;
            case "GET":
                await GetAsync(context, type, ns, name).ConfigureAwait(false);
                return;
            case "PUT" when sub != "log":
                await UpdateAsync(context, type, ns, name, statusOnly: sub == "status").ConfigureAwait(false);
                return;
            case "PATCH" when sub != "log":
                await PatchAsync(context, type, ns, name, statusOnly: sub == "status").ConfigureAwait(false);
                return;
            case "DELETE" when sub is null:
                await DeleteAsync(context, type, ns, name).ConfigureAwait(false);
                return;
            default:
                throw ApiException.MethodNotAllowed(method);
        }
    }

    private static bool IsTrue(string? value) => value is "true" or "1" or "True";

    private async Task<byte[]> ReadBodyAsync(HttpContext context)
    {
        long limit = _options.MaxRequestBodyBytes;
        if (context.Request.ContentLength > limit)
        {
            throw new ApiException(413, "RequestEntityTooLarge", $"Request entity too large: limit is {limit}");
        }

        using var buffer = new MemoryStream();
        byte[] chunk = new byte[81920];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted).ConfigureAwait(false)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > limit)
            {
                throw new ApiException(413, "RequestEntityTooLarge", $"Request entity too large: limit is {limit}");
            }
        }

        return buffer.ToArray();
    }

    /// <summary>Reads a JSON (or YAML) object body.</summary>
    private async Task<JsonObject> ReadObjectAsync(HttpContext context)
    {
        byte[] body = await ReadBodyAsync(context).ConfigureAwait(false);
        string contentType = context.Request.ContentType ?? JsonContentType;
        JsonNode? node;
        if (contentType.StartsWith(KubernetesProtobuf.MediaType, StringComparison.OrdinalIgnoreCase))
        {
            return KubernetesProtobuf.Decode(body);
        }

        if (contentType.Contains("yaml", StringComparison.OrdinalIgnoreCase))
        {
            node = ParseYaml(body);
        }
        else if (contentType.Contains("json", StringComparison.OrdinalIgnoreCase) || contentType.Length == 0)
        {
            node = Patches.ParseJson(body);
        }
        else
        {
            throw new ApiException(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json, application/yaml (got {contentType})");
        }

        return node as JsonObject ?? throw ApiException.BadRequest("the request body must be a JSON object");
    }

    private static JsonNode? ParseYaml(byte[] body)
    {
        var documents = Seeding.YamlDocuments.Parse(Encoding.UTF8.GetString(body), "request body");
        return documents.Count switch
        {
            0 => throw ApiException.BadRequest("the request body is empty"),
            1 => documents[0].Node,
            _ => throw ApiException.BadRequest("the request body must hold exactly one YAML document"),
        };
    }

    private static async Task WriteErrorAsync(HttpContext context, ApiException ex)
    {
        if (context.Response.HasStarted)
        {
            return;
        }

        if (ex.RetryAfterSeconds is int seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        await WriteJsonAsync(context, ex.Code, ex.ToStatus()).ConfigureAwait(false);
    }

    private static async Task WriteJsonAsync(HttpContext context, int status, JsonNode body, string contentType = JsonContentType)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        byte[] bytes = JsonSerializer.SerializeToUtf8Bytes(body, StoredObject.Json);
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task WriteBytesAsync(HttpContext context, int status, byte[] bytes)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = JsonContentType;
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
    }
}
