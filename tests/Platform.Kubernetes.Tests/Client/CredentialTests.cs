using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Platform.Kubernetes.Client;
using Platform.Kubernetes.Config;
using Platform.Kubernetes.Tests.Config;

namespace Platform.Kubernetes.Tests.Client;

/// <summary>Credentials from kubeconfig against a real HTTPS server: client certificates, token files, exec plugins.</summary>
public sealed class CredentialTests : IAsyncLifetime
{
    private const string ExecScript = """
        #!/bin/sh
        # A stand-in credential plugin: counts its runs, records what it was given, prints an ExecCredential.
        n=$(( $(cat "$COUNT_FILE" 2>/dev/null || echo 0) + 1 ))
        echo "$n" > "$COUNT_FILE"
        printf '%s' "$KUBERNETES_EXEC_INFO" > "$INFO_FILE"
        if [ "$1" = "--fail" ]; then
          echo "error: you must be logged in to the server (run: cloud login)" >&2
          exit 3
        fi
        cat <<JSON
        {"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"exec-token-$n","expirationTimestamp":"2026-12-01T13:00:00Z"}}
        JSON
        """;

    private readonly TempDirectory _dir = new();
    private readonly RecordingTimeProvider _time = new();
    private FakeApiServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeApiServer.StartAsync(requireClientCertificate: false);

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _dir.Dispose();
    }

    private string Kubeconfig(string user) => _dir.Write("config", $"""
        current-context: test
        clusters:
        - name: test
          cluster:
            server: {_server.Address}
            certificate-authority-data: {Convert.ToBase64String(Encoding.UTF8.GetBytes(TestCertificates.Shared.CaPem))}
        users:
        - name: tester
          user:
        {user}
        contexts:
        - name: test
          context: {"{"}cluster: test, user: tester, namespace: apps{"}"}
        """);

    private KubernetesClient ClientFrom(string kubeconfigPath) =>
        new(KubernetesClientConfiguration.FromKubeconfig(kubeconfigPath, environment: new KubernetesEnvironment()), null, null, _time);

    private Task Ok(HttpContext ctx) => FakeApiServer.Json(ctx, 200, Statuses.ConfigMap("web", "apps", "1"));

    [Fact]
    public async Task ClientCertificate_EcKeyFromFiles_IsPresentedToServerRequiringIt()
    {
        await _server.DisposeAsync();
        _server = await FakeApiServer.StartAsync(requireClientCertificate: true);
        _server.Handler = (ctx, _) => Ok(ctx);
        _dir.Write("ec.crt", TestCertificates.Shared.EcClientCertPem);
        _dir.Write("ec.key", TestCertificates.Shared.EcClientKeyPem);
        using var client = ClientFrom(Kubeconfig("    client-certificate: ec.crt\n    client-key: ec.key"));

        await client.GetAsync(ResourceType.ConfigMaps, client.DefaultNamespace, "web");

        var request = Assert.Single(_server.Snapshot());
        Assert.Equal("CN=ec-user", request.ClientCertificateSubject);
        Assert.Null(request.Authorization);
        Assert.Equal("/api/v1/namespaces/apps/configmaps/web", request.Path);
    }

    [Fact]
    public async Task ClientCertificate_RsaKeyInline_IsPresented()
    {
        _server.Handler = (ctx, _) => Ok(ctx);
        var certs = TestCertificates.Shared;
        using var client = ClientFrom(Kubeconfig(
            $"    client-certificate-data: {Convert.ToBase64String(Encoding.UTF8.GetBytes(certs.RsaClientCertPem))}\n" +
            $"    client-key-data: {Convert.ToBase64String(Encoding.UTF8.GetBytes(certs.RsaClientKeyPem))}"));

        await client.GetAsync(ResourceType.ConfigMaps, "apps", "web");

        Assert.StartsWith("CN=rsa-user", Assert.Single(_server.Snapshot()).ClientCertificateSubject, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenFile_RotatedToken_IsReReadAfter401()
    {
        var tokenPath = _dir.Write("token", "old-token\n");
        _server.Handler = (ctx, _) =>
        {
            if (ctx.Request.Headers.Authorization == "Bearer new-token")
            {
                return Ok(ctx);
            }

            File.WriteAllText(tokenPath, "new-token\n");
            return FakeApiServer.Json(ctx, 401, Statuses.Unauthorized);
        };
        using var client = ClientFrom(Kubeconfig("    tokenFile: token"));

        await client.GetAsync(ResourceType.ConfigMaps, "apps", "web");

        Assert.Equal(["Bearer old-token", "Bearer new-token"], _server.Snapshot().Select(r => r.Authorization));
    }

    [Fact]
    public async Task TokenFile_StillRejected_ThrowsUnauthorizedWithoutToken()
    {
        _dir.Write("token", "bad-token-value\n");
        _server.Handler = (ctx, _) => FakeApiServer.Json(ctx, 401, Statuses.Unauthorized);
        using var client = ClientFrom(Kubeconfig("    tokenFile: token"));

        var ex = await Assert.ThrowsAsync<KubernetesUnauthorizedException>(() => client.GetAsync(ResourceType.ConfigMaps, "apps", "web"));

        Assert.DoesNotContain("bad-token-value", ex.ToString(), StringComparison.Ordinal);
        Assert.Equal(2, _server.Snapshot().Length);
    }

    private string ExecKubeconfig(string args = "[]", bool provideClusterInfo = true)
    {
        _dir.WriteScript("bin/kube-login", ExecScript);
        return Kubeconfig($$"""
                exec:
                  apiVersion: client.authentication.k8s.io/v1
                  command: ./bin/kube-login
                  args: {{args}}
                  interactiveMode: Never
                  provideClusterInfo: {{(provideClusterInfo ? "true" : "false")}}
                  env:
                  - {name: COUNT_FILE, value: {{Path.Combine(_dir.Path, "count")}}}
                  - {name: INFO_FILE, value: {{Path.Combine(_dir.Path, "info.json")}}}
            """);
    }

    private int Runs => int.Parse(File.ReadAllText(Path.Combine(_dir.Path, "count")).Trim(), System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task ExecPlugin_Token_IsCachedUntilExpiry()
    {
        _server.Handler = (ctx, _) => Ok(ctx);
        using var client = ClientFrom(ExecKubeconfig());

        await client.GetAsync(ResourceType.ConfigMaps, "apps", "web");
        await client.GetAsync(ResourceType.ConfigMaps, "apps", "web");
        Assert.Equal(1, Runs);

        _time.Now = new DateTimeOffset(2026, 12, 1, 13, 0, 1, TimeSpan.Zero);
        await client.GetAsync(ResourceType.ConfigMaps, "apps", "web");

        Assert.Equal(2, Runs);
        Assert.Equal(["Bearer exec-token-1", "Bearer exec-token-1", "Bearer exec-token-2"], _server.Snapshot().Select(r => r.Authorization));
    }

    [Fact]
    public async Task ExecPlugin_ReceivesExecInfoWithClusterAndNonInteractive()
    {
        _server.Handler = (ctx, _) => Ok(ctx);
        using var client = ClientFrom(ExecKubeconfig());

        await client.GetAsync(ResourceType.ConfigMaps, "apps", "web");

        var info = JsonNode.Parse(File.ReadAllText(Path.Combine(_dir.Path, "info.json")))!;
        Assert.Equal("ExecCredential", info["kind"]!.GetValue<string>());
        Assert.Equal("client.authentication.k8s.io/v1", info["apiVersion"]!.GetValue<string>());
        Assert.False(info["spec"]!["interactive"]!.GetValue<bool>());
        Assert.Equal(_server.Address.ToString().TrimEnd('/'), info["spec"]!["cluster"]!["server"]!.GetValue<string>());
        Assert.NotNull(info["spec"]!["cluster"]!["certificate-authority-data"]);
    }

    [Fact]
    public async Task ExecPlugin_401_ReRunsPluginOnceAndRetries()
    {
        _server.Handler = (ctx, _) => ctx.Request.Headers.Authorization == "Bearer exec-token-2"
            ? Ok(ctx)
            : FakeApiServer.Json(ctx, 401, Statuses.Unauthorized);
        using var client = ClientFrom(ExecKubeconfig());

        await client.CreateAsync(ResourceType.ConfigMaps, "apps", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "web" } });

        Assert.Equal(2, Runs);
        Assert.Equal(["Bearer exec-token-1", "Bearer exec-token-2"], _server.Snapshot().Select(r => r.Authorization));
    }

    [Fact]
    public async Task ExecPlugin_Failure_ReportsExitCodeAndStderr()
    {
        _server.Handler = (ctx, _) => Ok(ctx);
        using var client = ClientFrom(ExecKubeconfig("[--fail]"));

        var ex = await Assert.ThrowsAsync<KubernetesConfigurationException>(() => client.GetAsync(ResourceType.ConfigMaps, "apps", "web"));

        Assert.Contains("exited with code 3", ex.Message, StringComparison.Ordinal);
        Assert.Contains("cloud login", ex.Message, StringComparison.Ordinal);
        Assert.Equal("users[tester].user.exec.command", ex.Setting);
        Assert.Empty(_server.Snapshot());
    }

    [Fact]
    public async Task ExecPlugin_MissingCommand_ShowsInstallHint()
    {
        var path = Kubeconfig("""
                exec:
                  apiVersion: client.authentication.k8s.io/v1beta1
                  command: platform-sdk-no-such-plugin
                  installHint: Install it with 'brew install no-such-plugin'.
            """);
        using var client = ClientFrom(path);

        var ex = await Assert.ThrowsAsync<KubernetesConfigurationException>(() => client.GetAsync(ResourceType.ConfigMaps, "apps", "web"));

        Assert.Contains("brew install no-such-plugin", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecPlugin_ClientCertificate_IsPresentedOverTls()
    {
        await _server.DisposeAsync();
        _server = await FakeApiServer.StartAsync(requireClientCertificate: true);
        _server.Handler = (ctx, _) => Ok(ctx);
        var certs = TestCertificates.Shared;
        var credential = new JsonObject
        {
            ["apiVersion"] = "client.authentication.k8s.io/v1beta1",
            ["kind"] = "ExecCredential",
            ["status"] = new JsonObject { ["clientCertificateData"] = certs.EcClientCertPem, ["clientKeyData"] = certs.EcClientKeyPem },
        };
        var credentialFile = _dir.Write("cred.json", credential.ToJsonString());
        _dir.WriteScript("cert-plugin", "#!/bin/sh\ncat \"$1\"\n");
        var path = Kubeconfig($$"""
                exec:
                  apiVersion: client.authentication.k8s.io/v1beta1
                  command: ./cert-plugin
                  args: [{{credentialFile}}]
            """);
        using var client = ClientFrom(path);

        await client.GetAsync(ResourceType.ConfigMaps, "apps", "web");
        await client.GetAsync(ResourceType.ConfigMaps, "apps", "web");

        Assert.All(_server.Snapshot(), r => Assert.Equal("CN=ec-user", r.ClientCertificateSubject));
        Assert.Equal(1, client.ExecRuns);
    }

    [Fact]
    public async Task Create_ConnectionRefused_IsRetriedBecauseNothingWasSent()
    {
        var address = _server.Address;
        await _server.DisposeAsync();
        _server = await FakeApiServer.StartAsync();
        using var client = new KubernetesClient(
            new KubernetesClientConfiguration { Server = address, CertificateAuthorities = [TestCertificates.Shared.Ca] },
            new KubernetesOptions { MaxAttempts = 2 },
            null,
            _time);

        var ex = await Assert.ThrowsAsync<KubernetesUnavailableException>(() =>
            client.CreateAsync(ResourceType.ConfigMaps, "apps", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "web" } }));

        Assert.Single(_time.Delays);
        Assert.IsType<HttpRequestException>(ex.InnerException);
    }

    [Fact]
    public async Task InCluster_ServiceAccount_TokenAndCaAreUsed()
    {
        _server.Handler = (ctx, _) => Ok(ctx);
        _dir.Write("sa/token", "sa-token-value\n");
        _dir.Write("sa/ca.crt", TestCertificates.Shared.CaPem);
        _dir.Write("sa/namespace", "apps");
        var env = new KubernetesEnvironment
        {
            ServiceHost = "127.0.0.1",
            ServicePort = _server.Address.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ServiceAccountDirectory = Path.Combine(_dir.Path, "sa"),
        };
        using var client = new KubernetesClient(KubernetesClientConfiguration.Load(new KubernetesOptions { Source = KubernetesConfigSource.InCluster, Environment = env }));

        await client.GetAsync(ResourceType.ConfigMaps, client.DefaultNamespace, "web");

        var request = Assert.Single(_server.Snapshot());
        Assert.Equal("Bearer sa-token-value", request.Authorization);
        Assert.Equal("/api/v1/namespaces/apps/configmaps/web", request.Path);
    }

    [Fact]
    public async Task Logs_OfRetriesAndRefreshes_NeverContainCredentials()
    {
        _server.Handler = (ctx, i) => i switch
        {
            0 => FakeApiServer.Json(ctx, 401, Statuses.Unauthorized),
            1 => FakeApiServer.Json(ctx, 503, Statuses.InternalError, r => r.Headers.RetryAfter = "1"),
            _ => FakeApiServer.Json(ctx, 404, Statuses.NotFound("web", "secrets")),
        };
        var logger = new ListLogger();
        using var client = new KubernetesClient(
            KubernetesClientConfiguration.FromKubeconfig(ExecKubeconfig(), environment: new KubernetesEnvironment()), null, logger, _time);

        await Assert.ThrowsAsync<KubernetesNotFoundException>(() => client.GetAsync(ResourceType.Secrets, "apps", "web"));

        Assert.NotEmpty(logger.Messages);
        Assert.All(logger.Messages, m => Assert.DoesNotContain("exec-token", m, StringComparison.Ordinal));
        Assert.Contains(logger.Messages, m => m.Contains("401", StringComparison.Ordinal));
    }

    private sealed class ListLogger : Microsoft.Extensions.Logging.ILogger<KubernetesClient>
    {
        public System.Collections.Concurrent.ConcurrentQueue<string> Messages { get; } = new();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Messages.Enqueue(formatter(state, exception) + " " + exception);
    }
}
