using System.Text;
using Platform.Kubernetes.Client;
using Platform.Kubernetes.Config;
using Platform.Kubernetes.Tests.Client;

namespace Platform.Kubernetes.Tests.Config;

public sealed class KubeconfigTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static KubernetesEnvironment Env(string? kubeconfig = null, string? home = null) =>
        new() { KubeconfigVariable = kubeconfig, HomeDirectory = home ?? "/nonexistent-home" };

    [Fact]
    public void FromKubeconfig_ExplicitFile_ResolvesCurrentContext()
    {
        var path = _dir.Write("config", $"""
            apiVersion: v1
            kind: Config
            current-context: dev
            clusters:
            - name: dev-cluster
              cluster:
                server: https://10.0.0.1:6443
                certificate-authority-data: {B64(TestCertificates.Shared.CaPem)}
            users:
            - name: dev-user
              user:
                token: abc123
            contexts:
            - name: dev
              context:
                cluster: dev-cluster
                user: dev-user
                namespace: team-a
            """);

        var config = KubernetesClientConfiguration.FromKubeconfig(path, environment: Env());

        Assert.Equal(new Uri("https://10.0.0.1:6443"), config.Server);
        Assert.Equal("team-a", config.Namespace);
        Assert.Equal("dev", config.ContextName);
        Assert.Equal("abc123", config.BearerToken);
        Assert.Equal(TestCertificates.Shared.Ca.Thumbprint, Assert.Single(config.CertificateAuthorities).Thumbprint);
        Assert.DoesNotContain("abc123", config.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void FromKubeconfig_KubeconfigList_FirstFileWinsPerNameAndForCurrentContext()
    {
        var first = _dir.Write("a/config", """
            clusters:
            - name: shared
              cluster: {server: "https://first:6443"}
            users:
            - name: u
              user: {token: first-token}
            contexts:
            - name: one
              context: {cluster: shared, user: u}
            """);
        var second = _dir.Write("b/config", """
            current-context: two
            clusters:
            - name: shared
              cluster: {server: "https://second:6443"}
            - name: only-second
              cluster: {server: "https://only-second:6443"}
            users:
            - name: u
              user: {token: second-token}
            contexts:
            - name: two
              context: {cluster: shared, user: u, namespace: from-second}
            """);
        var third = _dir.Write("c/config", "current-context: one\n");
        var missing = Path.Combine(_dir.Path, "missing");
        var list = string.Join(Path.PathSeparator, first, missing, second, third, first);

        var config = KubernetesClientConfiguration.FromKubeconfig(environment: Env(list));

        Assert.Equal("two", config.ContextName);
        Assert.Equal("https://first:6443/", config.Server.ToString());
        Assert.Equal("first-token", config.BearerToken);
        Assert.Equal("from-second", config.Namespace);
    }

    [Fact]
    public void FromKubeconfig_ExplicitContextAndNamespace_OverrideCurrent()
    {
        var path = _dir.Write("config", """
            current-context: a
            clusters:
            - {name: c, cluster: {server: "https://c:443"}}
            contexts:
            - {name: a, context: {cluster: c, namespace: ns-a}}
            - {name: b, context: {cluster: c}}
            """);

        Assert.Equal("default", KubernetesClientConfiguration.FromKubeconfig(path, "b", environment: Env()).Namespace);
        Assert.Equal("x", KubernetesClientConfiguration.FromKubeconfig(path, "a", "x", Env()).Namespace);
        Assert.Equal("ns-a", KubernetesClientConfiguration.FromKubeconfig(path, environment: Env()).Namespace);
    }

    [Fact]
    public void FromKubeconfig_DefaultHomeConfig_IsUsedWithoutKubeconfigVariable()
    {
        _dir.Write(".kube/config", """
            current-context: home
            clusters: [{name: c, cluster: {server: "https://home:6443"}}]
            contexts: [{name: home, context: {cluster: c}}]
            """);

        var config = KubernetesClientConfiguration.FromKubeconfig(environment: Env(home: _dir.Path));

        Assert.Equal("home", config.Server.Host);
    }

    [Fact]
    public void FromKubeconfig_UnknownContext_NamesContextAndFile()
    {
        var path = _dir.Write("config", "current-context: nope\nclusters: []\n");

        var ex = Assert.Throws<KubernetesConfigurationException>(() => KubernetesClientConfiguration.FromKubeconfig(path, environment: Env()));

        Assert.Contains("'nope'", ex.Message, StringComparison.Ordinal);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Equal("contexts[nope]", ex.Setting);
    }

    [Fact]
    public void FromKubeconfig_NoFilesAtAll_ExplainsWhatToSet()
    {
        var ex = Assert.Throws<KubernetesConfigurationException>(() => KubernetesClientConfiguration.FromKubeconfig(environment: Env()));
        Assert.Contains("KUBECONFIG", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromKubeconfig_MissingExplicitFile_Throws()
    {
        var ex = Assert.Throws<KubernetesConfigurationException>(() => KubernetesClientConfiguration.FromKubeconfig(Path.Combine(_dir.Path, "nope"), environment: Env()));
        Assert.Contains("does not exist", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromKubeconfig_InvalidYaml_NamesFileAndLine()
    {
        var path = _dir.Write("config", "clusters:\n- name: a\n  cluster: [unclosed\n");

        var ex = Assert.Throws<KubernetesConfigurationException>(() => KubernetesClientConfiguration.FromKubeconfig(path, environment: Env()));

        Assert.Equal(path, ex.FilePath);
        Assert.Contains("line", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromKubeconfig_WrongShape_NamesSetting()
    {
        var path = _dir.Write("config", "current-context: a\nclusters:\n  name: not-a-list\n");

        var ex = Assert.Throws<KubernetesConfigurationException>(() => KubernetesClientConfiguration.FromKubeconfig(path, environment: Env()));

        Assert.Contains("line 3", ex.Message, StringComparison.Ordinal);
        Assert.Equal("clusters", ex.Setting);
    }

    [Fact]
    public void FromKubeconfig_DuplicateNameInOneFile_IsRejected()
    {
        var path = _dir.Write("config", """
            current-context: a
            clusters:
            - {name: c, cluster: {server: "https://one"}}
            - {name: c, cluster: {server: "https://two"}}
            contexts: [{name: a, context: {cluster: c}}]
            """);

        var ex = Assert.Throws<KubernetesConfigurationException>(() => KubernetesClientConfiguration.FromKubeconfig(path, environment: Env()));
        Assert.Contains("defined twice", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromKubeconfig_CaAndInsecure_IsRejectedAsKubectlDoes()
    {
        var path = _dir.Write("config", $$$"""
            current-context: a
            clusters: [{name: c, cluster: {server: "https://one", insecure-skip-tls-verify: true, certificate-authority-data: {{{B64(TestCertificates.Shared.CaPem)}}}}}]
            contexts: [{name: a, context: {cluster: c}}]
            """);

        var ex = Assert.Throws<KubernetesConfigurationException>(() => KubernetesClientConfiguration.FromKubeconfig(path, environment: Env()));
        Assert.Equal("clusters[c].cluster.insecure-skip-tls-verify", ex.Setting);
    }

    [Fact]
    public void FromKubeconfig_RelativeFiles_ResolveAgainstKubeconfigDirectory()
    {
        var certs = TestCertificates.Shared;
        _dir.Write("kube/pki/ca.crt", certs.CaPem);
        _dir.Write("kube/pki/ec.crt", certs.EcClientCertPem);
        _dir.Write("kube/pki/ec.key", certs.EcClientKeyPem);
        _dir.Write("kube/token", "file-token\n");
        var path = _dir.Write("kube/config", """
            current-context: a
            clusters: [{name: c, cluster: {server: "https://one", certificate-authority: pki/ca.crt, tls-server-name: api.internal}}]
            users: [{name: u, user: {client-certificate: pki/ec.crt, client-key: pki/ec.key, tokenFile: token}}]
            contexts: [{name: a, context: {cluster: c, user: u}}]
            """);

        var config = KubernetesClientConfiguration.FromKubeconfig(path, environment: Env());

        Assert.Single(config.CertificateAuthorities);
        Assert.NotNull(config.ClientCertificate);
        Assert.True(config.ClientCertificate.HasPrivateKey);
        Assert.Equal("CN=ec-user", config.ClientCertificate.Subject);
        Assert.Equal(Path.Combine(_dir.Path, "kube", "token"), config.BearerTokenFile);
        Assert.Equal("api.internal", config.TlsServerName);
    }

    [Fact]
    public void FromKubeconfig_InlineDataWinsOverFiles_RsaKey()
    {
        var certs = TestCertificates.Shared;
        var path = _dir.Write("config", $$$"""
            current-context: a
            clusters: [{name: c, cluster: {server: "https://one"}}]
            users: [{name: u, user: {client-certificate: /nonexistent.crt, client-certificate-data: {{{B64(certs.RsaClientCertPem)}}}, client-key: /nonexistent.key, client-key-data: {{{B64(certs.RsaClientKeyPem)}}}}}]
            contexts: [{name: a, context: {cluster: c, user: u}}]
            """);

        var config = KubernetesClientConfiguration.FromKubeconfig(path, environment: Env());

        Assert.StartsWith("CN=rsa-user", config.ClientCertificate!.Subject, StringComparison.Ordinal);
        Assert.True(config.ClientCertificate.HasPrivateKey);
    }

    [Fact]
    public void FromKubeconfig_CertificateWithoutKey_NamesMissingSetting()
    {
        var path = _dir.Write("config", $$$"""
            current-context: a
            clusters: [{name: c, cluster: {server: "https://one"}}]
            users: [{name: u, user: {client-certificate-data: {{{B64(TestCertificates.Shared.RsaClientCertPem)}}}}}]
            contexts: [{name: a, context: {cluster: c, user: u}}]
            """);

        var ex = Assert.Throws<KubernetesConfigurationException>(() => KubernetesClientConfiguration.FromKubeconfig(path, environment: Env()));
        Assert.Equal("users[u].user.client-key", ex.Setting);
    }

    [Fact]
    public void FromKubeconfig_MismatchedKey_FailsWithoutLeakingKeyMaterial()
    {
        var certs = TestCertificates.Shared;
        var path = _dir.Write("config", $$$"""
            current-context: a
            clusters: [{name: c, cluster: {server: "https://one"}}]
            users: [{name: u, user: {client-certificate-data: {{{B64(certs.RsaClientCertPem)}}}, client-key-data: {{{B64(certs.EcClientKeyPem)}}}}}]
            contexts: [{name: a, context: {cluster: c, user: u}}]
            """);

        var ex = Assert.Throws<KubernetesConfigurationException>(() => KubernetesClientConfiguration.FromKubeconfig(path, environment: Env()));
        Assert.DoesNotContain("PRIVATE KEY", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void FromKubeconfig_ExecV1WithoutInteractiveMode_IsRejected()
    {
        var path = _dir.Write("config", """
            current-context: a
            clusters: [{name: c, cluster: {server: "https://one"}}]
            users: [{name: u, user: {exec: {apiVersion: client.authentication.k8s.io/v1, command: get-token}}}]
            contexts: [{name: a, context: {cluster: c, user: u}}]
            """);

        var ex = Assert.Throws<KubernetesConfigurationException>(() => KubernetesClientConfiguration.FromKubeconfig(path, environment: Env()));
        Assert.Equal("users[u].user.exec.interactiveMode", ex.Setting);
    }

    [Fact]
    public void Load_AutoWithoutKubeconfigInPod_UsesServiceAccount()
    {
        var sa = Path.Combine(_dir.Path, "sa");
        _dir.Write("sa/token", "sa-token");
        _dir.Write("sa/ca.crt", TestCertificates.Shared.CaPem);
        _dir.Write("sa/namespace", "platform\n");
        var env = new KubernetesEnvironment { HomeDirectory = _dir.Path, ServiceHost = "fd00::1", ServicePort = "443", ServiceAccountDirectory = sa };

        var config = KubernetesClientConfiguration.Load(new KubernetesOptions { Environment = env });

        Assert.Equal("in-cluster", config.Origin);
        Assert.Equal(new Uri("https://[fd00::1]:443"), config.Server);
        Assert.Equal("platform", config.Namespace);
        Assert.Equal(Path.Combine(sa, "token"), config.BearerTokenFile);
        Assert.Single(config.CertificateAuthorities);
    }

    [Fact]
    public void InCluster_PodNamespaceVariable_WinsOverFile()
    {
        var sa = Path.Combine(_dir.Path, "sa");
        _dir.Write("sa/token", "sa-token");
        _dir.Write("sa/namespace", "from-file");
        var env = new KubernetesEnvironment { ServiceHost = "10.96.0.1", ServicePort = "443", ServiceAccountDirectory = sa, PodNamespace = "from-env" };

        Assert.Equal("from-env", KubernetesClientConfiguration.InCluster(env).Namespace);
    }

    [Fact]
    public void InCluster_NotInPod_ExplainsVariables()
    {
        var ex = Assert.Throws<KubernetesConfigurationException>(() => KubernetesClientConfiguration.InCluster(new KubernetesEnvironment()));
        Assert.Contains("KUBERNETES_SERVICE_HOST", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_AutoWithKubeconfigVariableInPod_PrefersKubeconfig()
    {
        var path = _dir.Write("config", """
            current-context: a
            clusters: [{name: c, cluster: {server: "https://from-file"}}]
            contexts: [{name: a, context: {cluster: c}}]
            """);
        var env = new KubernetesEnvironment { KubeconfigVariable = path, ServiceHost = "10.96.0.1", ServicePort = "443", ServiceAccountDirectory = _dir.Path };

        Assert.Equal("from-file", KubernetesClientConfiguration.Load(new KubernetesOptions { Environment = env }).Server.Host);
    }

    [Fact]
    public void Load_AutoInPodWithKubeconfigVariableNamingMissingFiles_FallsBackToServiceAccount()
    {
        _dir.Write("sa/token", "sa-token");
        var env = new KubernetesEnvironment
        {
            KubeconfigVariable = Path.Combine(_dir.Path, "missing"),
            ServiceHost = "10.96.0.1",
            ServicePort = "443",
            ServiceAccountDirectory = Path.Combine(_dir.Path, "sa"),
        };

        Assert.Equal("in-cluster", KubernetesClientConfiguration.Load(new KubernetesOptions { Environment = env }).Origin);
        Assert.Throws<KubernetesConfigurationException>(() => KubernetesClientConfiguration.Load(new KubernetesOptions { Environment = env, Context = "x" }));
    }

    [Fact]
    public void FromKubeconfig_BadProxyUrl_NamesSetting()
    {
        var path = _dir.Write("config", """
            current-context: a
            clusters: [{name: c, cluster: {server: "https://one", proxy-url: "ftp://proxy:21"}}]
            contexts: [{name: a, context: {cluster: c}}]
            """);

        var ex = Assert.Throws<KubernetesConfigurationException>(() => KubernetesClientConfiguration.FromKubeconfig(path, environment: Env()));
        Assert.Equal("clusters[c].cluster.proxy-url", ex.Setting);
    }

    [Fact]
    public async Task ProxyUrl_RequestsGoThroughTheProxy()
    {
        await using var proxy = await FakeApiServer.StartAsync(https: false);
        string? host = null;
        proxy.Handler = (ctx, _) =>
        {
            host = ctx.Request.Host.Value;
            return FakeApiServer.Json(ctx, 200, Statuses.ConfigMap("web", "default", "1"));
        };
        var path = _dir.Write("config", $$$"""
            current-context: a
            clusters: [{name: c, cluster: {server: "http://cluster.invalid:8080", proxy-url: "{{{proxy.Address}}}"}}]
            contexts: [{name: a, context: {cluster: c}}]
            """);
        using var client = new KubernetesClient(KubernetesClientConfiguration.FromKubeconfig(path, environment: Env()));

        await client.GetAsync(ResourceType.ConfigMaps, "default", "web");

        Assert.Equal("cluster.invalid:8080", host);
        Assert.Equal("/api/v1/namespaces/default/configmaps/web", Assert.Single(proxy.Snapshot()).Path);
    }
}
