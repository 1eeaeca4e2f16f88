using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Platform.Kubernetes.Emulator.Api;
using Platform.Kubernetes.Emulator.Logs;
using Platform.Kubernetes.Emulator.Security;
using Platform.Kubernetes.Emulator.Seeding;
using Platform.Kubernetes.Emulator.Storage;

namespace Platform.Kubernetes.Emulator;

/// <summary>
/// An in-memory Kubernetes API server on 127.0.0.1 over real HTTPS (with a CA it generates) and plain HTTP.
/// Clients, including the real <c>kubectl</c>, talk to it exactly as to a cluster.
/// </summary>
/// <remarks>
/// Start one with <see cref="StartAsync"/>, point a client at <see cref="HttpsEndpoint"/> (or a kubeconfig from
/// <see cref="WriteKubeconfigAsync"/>), and dispose it to stop. Every member is thread-safe. Each instance is
/// independent (ephemeral ports by default), so tests may run many in parallel.
/// </remarks>
public sealed class KubernetesEmulator : IAsyncDisposable
{
    /// <summary>The largest manifest file <see cref="SeedDirectoryAsync"/> reads.</summary>
    public const long MaxManifestFileBytes = 16 * 1024 * 1024;

    private readonly WebApplication _app;
    private readonly CertificateAuthority _ca;
    private readonly ApiHandler _handler;
    private readonly ObjectStore _store;
    private readonly ResourceRegistry _registry;
    private readonly PodLogStore _logs;
    private readonly CancellationTokenSource _stopping;
    private int _disposed;

    private KubernetesEmulator(WebApplication app, CertificateAuthority ca, ApiHandler handler, ObjectStore store, ResourceRegistry registry, PodLogStore logs, EmulatorFaults faults, CancellationTokenSource stopping, string token)
    {
        _app = app;
        _ca = ca;
        _handler = handler;
        _store = store;
        _registry = registry;
        _logs = logs;
        Faults = faults;
        _stopping = stopping;
        Token = token;
        HttpsEndpoint = null!;
    }

    /// <summary>Gets the HTTPS endpoint, for example <c>https://127.0.0.1:45123/</c>.</summary>
    public Uri HttpsEndpoint { get; private set; }

    /// <summary>Gets the plain HTTP endpoint, or <see langword="null"/> when <see cref="EmulatorOptions.EnableHttp"/> is off.</summary>
    public Uri? HttpEndpoint { get; private set; }

    /// <summary>Gets the bearer token clients authenticate with.</summary>
    public string Token { get; }

    /// <summary>Gets the generated CA certificate (PEM) that signed the serving certificate; clients trust it.</summary>
    public string CertificateAuthorityPem => _ca.CertificatePem;

    /// <summary>Gets the generated CA certificate.</summary>
    public X509Certificate2 CertificateAuthority => _ca.Certificate;

    /// <summary>Gets a client certificate (PEM) for the admin user, issued by the CA; an alternative to <see cref="Token"/>.</summary>
    public string ClientCertificatePem => _ca.ClientCertificatePem;

    /// <summary>Gets the private key (PKCS#8 PEM) of <see cref="ClientCertificatePem"/>.</summary>
    public string ClientKeyPem => _ca.ClientKeyPem;

    /// <summary>Gets the fault-injection settings; change them at any time.</summary>
    public EmulatorFaults Faults { get; }

    /// <summary>Gets the newest resource version (the global change counter).</summary>
    public long ResourceVersion => _store.ResourceVersion;

    /// <summary>Gets the number of stored objects of every type.</summary>
    public int ObjectCount => _store.Count;

    /// <summary>Starts an emulator with the namespaces <c>default</c>, <c>kube-system</c>, <c>kube-public</c> and <c>kube-node-lease</c>.</summary>
    /// <param name="options">The options; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running emulator; dispose it to stop.</returns>
    /// <exception cref="KubernetesEmulatorException">A port cannot be bound.</exception>
    public static async Task<KubernetesEmulator> StartAsync(EmulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new EmulatorOptions();
        options.Validate();
        string token = options.Token ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var random = options.RandomSeed is int seed ? new Random(seed) : new Random();
        var ca = new CertificateAuthority(options.TimeProvider);
        var store = new ObjectStore(options.WatchHistoryLimit);
        var registry = new ResourceRegistry(EmulatorResourceType.BuiltIn, options.ResourceTypes);
        var logs = new PodLogStore(options.TimeProvider, options.MaxPodLogBytes);
        var faults = new EmulatorFaults(new Random(random.Next()));
        var stopping = new CancellationTokenSource();
        var handler = new ApiHandler(options, store, registry, logs, faults, ca, token, random, stopping.Token);

        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(KubernetesEmulator).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = null;

            // client-go multiplexes every watch of a process over one HTTP/2 connection; the real server allows 250+.
            kestrel.Limits.Http2.MaxStreamsPerConnection = 1000;
            kestrel.Listen(IPAddress.Loopback, options.HttpsPort, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(new HttpsConnectionAdapterOptions
                {
                    ServerCertificate = ca.ServingCertificate,
                    ClientCertificateMode = ClientCertificateMode.AllowCertificate,
                    ClientCertificateValidation = (certificate, _, _) => ca.IsTrusted(certificate),
                    CheckCertificateRevocation = false,
                });
            });
            if (options.EnableHttp)
            {
                kestrel.Listen(IPAddress.Loopback, options.HttpPort);
            }
        });
        WebApplication app = builder.Build();
        app.Run(handler.HandleAsync);

        var emulator = new KubernetesEmulator(app, ca, handler, store, registry, logs, faults, stopping, token);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex) when (ex.InnerException is SocketException || ex.Message.Contains("address", StringComparison.OrdinalIgnoreCase))
        {
            await emulator.DisposeAsync().ConfigureAwait(false);
            throw new KubernetesEmulatorException($"The emulator cannot listen on 127.0.0.1 (HTTPS port {options.HttpsPort}, HTTP port {options.HttpPort}): {ex.Message}", innerException: ex);
        }

        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        foreach (string address in addresses)
        {
            var uri = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
            var normalized = new Uri($"{uri.Scheme}://127.0.0.1:{uri.Port}/");
            if (uri.Scheme == "https")
            {
                emulator.HttpsEndpoint = normalized;
            }
            else
            {
                emulator.HttpEndpoint = normalized;
            }
        }

        handler.ServerAddress = $"127.0.0.1:{emulator.HttpsEndpoint.Port}";
        foreach (string ns in new[] { "default", "kube-system", "kube-public", "kube-node-lease" })
        {
            handler.Seed(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = ns } });
        }

        return emulator;
    }

    /// <summary>
    /// Creates an <see cref="HttpClient"/> for the emulator: its base address is <see cref="HttpsEndpoint"/> (or
    /// <see cref="HttpEndpoint"/>), it trusts only the emulator's CA and sends the bearer token. The caller disposes it.
    /// </summary>
    /// <param name="useHttps">Whether to use the HTTPS endpoint (the default) or plain HTTP.</param>
    /// <returns>A new client.</returns>
    public HttpClient CreateHttpClient(bool useHttps = true)
    {
        X509Certificate2 ca = _ca.Certificate;
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
        {
            if (certificate is null)
            {
                return false;
            }

            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(ca);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return chain.Build(new X509Certificate2(certificate));
        };
        var client = new HttpClient(handler)
        {
            BaseAddress = useHttps ? HttpsEndpoint : HttpEndpoint ?? throw new InvalidOperationException("The plain HTTP endpoint is disabled (EmulatorOptions.EnableHttp)."),
            Timeout = Timeout.InfiniteTimeSpan,
        };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        return client;
    }

    /// <summary>
    /// Returns a kubeconfig (YAML) for the emulator: cluster <c>platform-emulator</c> with the CA data, a user with
    /// the token or the client certificate, and the current context with namespace <c>default</c>.
    /// </summary>
    /// <param name="credentials">Which credentials the user entry carries.</param>
    /// <returns>The kubeconfig text.</returns>
    public string GetKubeconfig(KubeconfigCredentials credentials = KubeconfigCredentials.Token)
    {
        string caData = Convert.ToBase64String(Encoding.ASCII.GetBytes(_ca.CertificatePem));
        string user = credentials == KubeconfigCredentials.ClientCertificate
            ? $"    client-certificate-data: {Convert.ToBase64String(Encoding.ASCII.GetBytes(_ca.ClientCertificatePem))}\n    client-key-data: {Convert.ToBase64String(Encoding.ASCII.GetBytes(_ca.ClientKeyPem))}\n"
            : $"    token: {Token}\n";
        return "apiVersion: v1\n"
            + "kind: Config\n"
            + "clusters:\n"
            + "- name: platform-emulator\n"
            + "  cluster:\n"
            + $"    server: {HttpsEndpoint.GetLeftPart(UriPartial.Authority)}\n"
            + $"    certificate-authority-data: {caData}\n"
            + "users:\n"
            + "- name: platform-emulator-admin\n"
            + "  user:\n"
            + user
            + "contexts:\n"
            + "- name: platform-emulator\n"
            + "  context:\n"
            + "    cluster: platform-emulator\n"
            + "    user: platform-emulator-admin\n"
            + "    namespace: default\n"
            + "current-context: platform-emulator\n"
            + "preferences: {}\n";
    }

    /// <summary>Writes <see cref="GetKubeconfig"/> to a file (created or replaced; owner-only permissions on Unix).</summary>
    /// <param name="path">The file path; its directory must exist.</param>
    /// <param name="credentials">Which credentials the user entry carries.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the file is written.</returns>
    public async Task WriteKubeconfigAsync(string path, KubeconfigCredentials credentials = KubeconfigCredentials.Token, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Options = FileOptions.Asynchronous };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using var stream = new FileStream(path, options);
        byte[] bytes = Encoding.UTF8.GetBytes(GetKubeconfig(credentials));
        await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Creates or replaces one object as if it had always been there: the type comes from <c>apiVersion</c> and
    /// <c>kind</c>, a namespaced object without namespace goes to <c>default</c>, a missing namespace is created,
    /// <c>status</c> is kept and <c>resourceVersion</c>/<c>uid</c> are assigned. Watchers see the change.
    /// </summary>
    /// <param name="obj">The object; not modified.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The stored object, as a GET would return it.</returns>
    /// <exception cref="KubernetesEmulatorException">The API server would reject the object (the message carries its Status message).</exception>
    public Task<JsonObject> SeedAsync(JsonObject obj, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(obj);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(SeedOne(obj, null, null).ToJson());
    }

    /// <summary>
    /// Seeds many objects (as <see cref="SeedAsync"/> does for one) without building a result per object: the fast
    /// path for large fixtures such as thousands of release Secrets.
    /// </summary>
    /// <param name="objects">The objects; not modified.</param>
    /// <param name="cancellationToken">Cancels between objects.</param>
    /// <returns>The number of objects seeded.</returns>
    /// <exception cref="KubernetesEmulatorException">The API server would reject an object; the ones before it stay seeded.</exception>
    public Task<int> SeedManyAsync(IEnumerable<JsonObject> objects, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(objects);
        int count = 0;
        foreach (JsonObject obj in objects)
        {
            cancellationToken.ThrowIfCancellationRequested();
            SeedOne(obj ?? throw new ArgumentException("The sequence contains a null object.", nameof(objects)), null, null);
            count++;
        }

        return Task.FromResult(count);
    }

    /// <summary>
    /// Seeds every manifest under a directory (recursively; <c>*.yaml</c>, <c>*.yml</c>, <c>*.json</c>, files in
    /// ordinal path order, multi-document YAML and <c>kind: List</c> supported). Namespaces and
    /// CustomResourceDefinitions go first so the objects that need them find them.
    /// </summary>
    /// <param name="path">The directory (or one manifest file).</param>
    /// <param name="cancellationToken">Cancels between files.</param>
    /// <returns>The number of objects seeded.</returns>
    /// <exception cref="KubernetesEmulatorException">A file is unreadable, too large (<see cref="MaxManifestFileBytes"/>), not valid YAML, or holds an object the server rejects; the message names the file and line.</exception>
    public async Task<int> SeedDirectoryAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string[] files;
        if (File.Exists(path))
        {
            files = [path];
        }
        else if (Directory.Exists(path))
        {
            files = Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                .Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal)
                .ToArray();
        }
        else
        {
            throw new KubernetesEmulatorException($"{path}: no such file or directory (expected a directory of YAML/JSON manifests)", path);
        }

        var documents = new List<(JsonObject Obj, string File, int Line)>();
        foreach (string file in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var info = new FileInfo(file);
            if (info.Length > MaxManifestFileBytes)
            {
                throw new KubernetesEmulatorException($"{file}: manifest file of {info.Length} bytes exceeds the limit of {MaxManifestFileBytes} bytes", file);
            }

            string text = await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false);
            List<(JsonNode? Node, int Line)> parsed;
            try
            {
                parsed = YamlDocuments.Parse(text, file);
            }
            catch (FormatException ex)
            {
                throw new KubernetesEmulatorException(ex.Message, file, innerException: ex);
            }

            foreach (var (node, line) in parsed)
            {
                if (node is not JsonObject obj)
                {
                    throw new KubernetesEmulatorException($"{file}:{line}: a manifest document must be a mapping with apiVersion, kind and metadata", file, line);
                }

                if (obj["kind"]?.ToString() is { } kind && kind.EndsWith("List", StringComparison.Ordinal) && obj["items"] is JsonArray items)
                {
                    foreach (JsonNode? item in items)
                    {
                        documents.Add((item as JsonObject ?? throw new KubernetesEmulatorException($"{file}:{line}: every item of a List must be an object", file, line), file, line));
                    }
                }
                else
                {
                    documents.Add((obj, file, line));
                }
            }
        }

        static int Priority(JsonObject o) => o["kind"]?.ToString() switch
        {
            "Namespace" => 0,
            "CustomResourceDefinition" => 1,
            _ => 2,
        };

        foreach (var (obj, file, line) in documents.OrderBy(d => Priority(d.Obj)))
        {
            SeedOne(obj, file, line);
        }

        return documents.Count;
    }

    /// <summary>Serves another resource type (for example a custom resource) from now on; discovery lists it.</summary>
    /// <param name="type">The type. A built-in type cannot be replaced; a registered one is replaced.</param>
    public void RegisterResourceType(EmulatorResourceType type) => _registry.Register(type, builtIn: false);

    /// <summary>Sets (replaces) the log of a container; followers of the replaced log see it end.</summary>
    /// <param name="namespace">The pod's namespace.</param>
    /// <param name="pod">The pod name.</param>
    /// <param name="container">The container name.</param>
    /// <param name="text">The log text; lines end with <c>\n</c> (a missing final newline is added).</param>
    /// <param name="previous">Whether this is the log of the previous (terminated) container instance, served for <c>previous=true</c>.</param>
    public void SetPodLog(string @namespace, string pod, string container, string text, bool previous = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        _logs.Set(@namespace, pod, container, text, previous);
    }

    /// <summary>Appends text to a container's log; <c>follow=true</c> requests receive it immediately.</summary>
    /// <param name="namespace">The pod's namespace.</param>
    /// <param name="pod">The pod name.</param>
    /// <param name="container">The container name.</param>
    /// <param name="text">The text to append.</param>
    public void AppendPodLog(string @namespace, string pod, string container, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        _logs.Append(@namespace, pod, container, text);
    }

    /// <summary>Marks a container's log (or all the pod's logs) as finished: follow streams end after the last line.</summary>
    /// <param name="namespace">The pod's namespace.</param>
    /// <param name="pod">The pod name.</param>
    /// <param name="container">The container, or <see langword="null"/> for every container of the pod.</param>
    public void CompletePodLog(string @namespace, string pod, string? container = null) => _logs.Complete(@namespace, pod, container);

    /// <summary>
    /// Drops the whole watch history and every paged-list snapshot, as an etcd compaction: a watch resuming from
    /// any earlier resource version gets a 410 <c>Expired</c> ERROR frame, and outstanding <c>continue</c> tokens get 410.
    /// </summary>
    public void CompactHistory()
    {
        _store.Compact();
        _handler.ClearSnapshots();
    }

    /// <summary>Stops serving: open watches and log streams end, then the listeners close.</summary>
    /// <returns>A task that completes when the server has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _logs.CompleteAll();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            try
            {
                await _app.StopAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Connections that did not close in time are aborted by DisposeAsync below.
            }
        }

        await _app.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
        _ca.Dispose();
    }

    private StoredObject SeedOne(JsonObject obj, string? file, int? line)
    {
        try
        {
            return _handler.Seed(obj);
        }
        catch (ApiException ex)
        {
            string where = file is null ? "" : line is null ? file + ": " : $"{file}:{line}: ";
            string? ns = obj["metadata"]?["namespace"]?.ToString();
            string what = $"{obj["kind"]} {(string.IsNullOrEmpty(ns) ? "" : ns + "/")}{obj["metadata"]?["name"]}";
            throw new KubernetesEmulatorException($"{where}{what}: {ex.Message}", file, line, ex.Code, ex.Reason, ex);
        }
    }
}
