using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Platform.Kubernetes.Client;
using Platform.Kubernetes.Config;
using Platform.Kubernetes.Tests.Client;
using Platform.Kubernetes.Tests.Config;

namespace Platform.Kubernetes.Tests.DependencyInjection;

public sealed class KubernetesServiceCollectionExtensionsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Kubeconfig(string server) => _dir.Write("config", $$$"""
        current-context: a
        clusters: [{name: c, cluster: {server: "{{{server}}}", insecure-skip-tls-verify: true}}]
        users: [{name: u, user: {token: di-token}}]
        contexts: [{name: a, context: {cluster: c, user: u, namespace: di}}]
        """);

    [Fact]
    public async Task AddPlatformKubernetes_KubeconfigPath_ResolvesOneSharedClientThatWorks()
    {
        await using var server = await FakeApiServer.StartAsync();
        server.Handler = (ctx, _) => FakeApiServer.Json(ctx, 200, Statuses.ConfigMap("web", "di", "3"));
        var path = Kubeconfig(server.Address.ToString());
        var services = new ServiceCollection();
        services.AddPlatformKubernetes(o =>
        {
            o.KubeconfigPath = path;
            o.Environment = new KubernetesEnvironment();
        });
        await using var provider = services.BuildServiceProvider();

        var resources = provider.GetRequiredService<IKubernetesResourceClient>();
        var logs = provider.GetRequiredService<IPodLogClient>();
        await resources.GetAsync(ResourceType.ConfigMaps, "di", "web");

        Assert.Same(resources, logs);
        Assert.Equal("di", provider.GetRequiredService<KubernetesClientConfiguration>().Namespace);
        Assert.Equal("Bearer di-token", Assert.Single(server.Snapshot()).Authorization);
    }

    [Fact]
    public void AddPlatformKubernetes_CalledTwice_RegistersOnceAndAppliesBothConfigures()
    {
        var services = new ServiceCollection();
        services.AddPlatformKubernetes(o => o.MaxAttempts = 7);
        services.AddPlatformKubernetes(o => o.Context = "b");
        using var provider = services.BuildServiceProvider();

        Assert.Single(services, d => d.ServiceType == typeof(IKubernetesResourceClient));
        Assert.Single(services, d => d.ServiceType == typeof(IValidateOptions<KubernetesOptions>));
        var options = provider.GetRequiredService<IOptions<KubernetesOptions>>().Value;
        Assert.Equal((7, "b"), (options.MaxAttempts, options.Context));
    }

    [Fact]
    public void AddPlatformKubernetes_AppConfigurationRegisteredFirst_Wins()
    {
        var services = new ServiceCollection();
        var mine = new KubernetesClientConfiguration { Server = new Uri("https://mine:6443"), Namespace = "own" };
        services.AddSingleton(mine);
        services.AddPlatformKubernetes(o => o.KubeconfigPath = "/does/not/exist");
        using var provider = services.BuildServiceProvider();

        Assert.Same(mine, provider.GetRequiredService<KubernetesClient>().Configuration);
    }

    [Fact]
    public void AddPlatformKubernetes_InvalidOptions_FailNamingTheSetting()
    {
        var services = new ServiceCollection();
        services.AddPlatformKubernetes(o =>
        {
            o.MaxAttempts = 0;
            o.Source = KubernetesConfigSource.InCluster;
            o.KubeconfigPath = "/x";
        });
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<KubernetesOptions>>().Value);

        Assert.Contains(ex.Failures, f => f.Contains("MaxAttempts", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("KubeconfigPath", StringComparison.Ordinal));
    }

    [Fact]
    public void AddPlatformKubernetes_NoConfigurationAnywhere_ThrowsConfigurationErrorOnResolve()
    {
        var services = new ServiceCollection();
        services.AddPlatformKubernetes(o => o.Environment = new KubernetesEnvironment { HomeDirectory = _dir.Path });
        using var provider = services.BuildServiceProvider();

        Assert.Throws<KubernetesConfigurationException>(() => provider.GetRequiredService<IKubernetesResourceClient>());
    }
}
