using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Platform.Kubernetes.Client;
using Platform.Kubernetes.Releases;

namespace Platform.Kubernetes.Tests.Releases;

public sealed class ReleaseCatalogServiceCollectionExtensionsTests
{
    [Fact]
    public async Task AddPlatformReleaseCatalog_Memory_ResolvesOneCatalogOverOneStore()
    {
        var services = new ServiceCollection();
        services.AddPlatformReleaseCatalog(o => o.Store = ReleaseStoreKind.Memory);
        services.AddPlatformReleaseCatalog(); // twice: still one registration each
        await using var provider = services.BuildServiceProvider();

        var catalog = provider.GetRequiredService<IReleaseCatalog>();
        var store = provider.GetRequiredService<IReleaseStore>();
        await store.CreateAsync(TestReleases.Build("web", 1));
        await catalog.WaitForSyncAsync().WaitAsync(CatalogTestSupport.Generous);
        await CatalogTestSupport.AssertConvergesAsync(catalog, store);

        Assert.Same(catalog, provider.GetRequiredService<ReleaseCatalog>());
        Assert.Same(store, provider.GetRequiredService<IReleaseChangeFeed>());
        Assert.Single(services, d => d.ServiceType == typeof(IReleaseCatalog));
        Assert.Equal(ReleaseStoreKind.Memory, provider.GetRequiredService<ReleaseBackend>().Kind);
    }

    [Fact]
    public async Task AddPlatformReleaseCatalog_Secrets_UsesTheRegisteredClient()
    {
        var client = new FakeKubernetesClient();
        var services = new ServiceCollection();
        services.AddSingleton<IKubernetesResourceClient>(client);
        services.AddPlatformReleaseCatalog();
        await using var provider = services.BuildServiceProvider();

        await provider.GetRequiredService<IReleaseStore>().CreateAsync(TestReleases.Build("web", 1, "apps"));

        Assert.Equal(["sh.helm.release.v1.web.v1"], client.Snapshot(ResourceType.Secrets).Select(o => o["metadata"]!["name"]!.GetValue<string>()));
    }

    [Fact]
    public void AddPlatformReleaseCatalog_AppRegistrationWins()
    {
        var mine = new MemoryReleaseStore();
        var services = new ServiceCollection();
        services.AddSingleton<IReleaseStore>(mine);
        services.AddPlatformReleaseCatalog(o => o.Store = ReleaseStoreKind.Memory);
        using var provider = services.BuildServiceProvider();

        Assert.Same(mine, provider.GetRequiredService<IReleaseStore>());
    }

    [Theory]
    [InlineData(ReleaseStoreKind.Sql, null, "SqlConnectionString")]
    [InlineData(ReleaseStoreKind.Memory, 0, "ListPageSize")]
    public void AddPlatformReleaseCatalog_InvalidOptions_FailNamingTheSetting(ReleaseStoreKind store, int? pageSize, string setting)
    {
        var services = new ServiceCollection();
        services.AddPlatformReleaseCatalog(o =>
        {
            o.Store = store;
            o.ListPageSize = pageSize ?? o.ListPageSize;
        });
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<ReleaseCatalogOptions>>().Value);
        Assert.Contains(setting, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddPlatformReleaseCatalog_SecretsWithoutClient_FailsClearly()
    {
        var services = new ServiceCollection();
        services.AddPlatformReleaseCatalog();
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<ArgumentException>(() => provider.GetRequiredService<IReleaseStore>());
        Assert.Contains("Kubernetes client", ex.Message, StringComparison.Ordinal);
    }
}
