using System.Text.Json.Nodes;
using Platform.Kubernetes.Client;
using Platform.Kubernetes.Config;
using Platform.Kubernetes.Emulator;
using Platform.Kubernetes.Releases;
using Platform.Kubernetes.Tests.Config;

namespace Platform.Kubernetes.Tests.Releases;

/// <summary>The embedded emulator with the namespaces the release tests use, and the real client over HTTPS.</summary>
public sealed class EmulatorServer : IAsyncLifetime
{
    private static readonly string[] Namespaces = ["apps", "ns1", "ns2", "ns3", "other", "data", "team-a", "team-b", "team-c"];
    private readonly TempDirectory _dir = new();

    public KubernetesEmulator Emulator { get; private set; } = null!;

    public KubernetesClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Emulator = await KubernetesEmulator.StartAsync(new EmulatorOptions { RandomSeed = 11, BookmarkInterval = TimeSpan.FromMilliseconds(200) });
        string path = Path.Combine(_dir.Path, "kubeconfig");
        await Emulator.WriteKubeconfigAsync(path);
        var config = KubernetesClientConfiguration.Load(new KubernetesOptions { KubeconfigPath = path, Environment = new KubernetesEnvironment() });
        Client = new KubernetesClient(config, new KubernetesOptions { RetryBaseDelay = TimeSpan.FromMilliseconds(5), RetryMaxDelay = TimeSpan.FromMilliseconds(50), MaxRetryAfter = TimeSpan.FromMilliseconds(50) });
        foreach (string ns in Namespaces)
        {
            await Client.CreateAsync(ResourceType.Namespaces, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = ns } });
        }
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Emulator.DisposeAsync();
        _dir.Dispose();
    }

    /// <summary>Deletes every Helm release object of a type, in every namespace.</summary>
    public async Task ClearAsync(ResourceType type)
    {
        var list = await Client.ListAsync(type, null, new ListOptions { LabelSelector = "owner=helm" });
        foreach (JsonObject item in list.Items)
        {
            await Client.DeleteAsync(type, item["metadata"]!["namespace"]!.GetValue<string>(), item["metadata"]!["name"]!.GetValue<string>());
        }
    }
}

/// <summary>The contract against the Secrets driver through the real client and the emulator over HTTPS.</summary>
public sealed class EmulatorSecretsReleaseStoreTests(EmulatorServer server) : ReleaseStoreContractTests, IClassFixture<EmulatorServer>
{
    protected override async Task<Backend> CreateBackendAsync()
    {
        await server.ClearAsync(ResourceType.Secrets);
        var store = new KubernetesReleaseStore(server.Client, secrets: true, pageSize: 2);
        return new Backend(store, store, (ns, name) => server.Client.CreateAsync(ResourceType.Secrets, ns, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { ["owner"] = "helm", ["name"] = "broken", ["version"] = "1" } },
            ["type"] = "helm.sh/release.v1",
            ["data"] = new JsonObject { ["release"] = Convert.ToBase64String("H4sIAAAAnotgzip"u8.ToArray()) },
        }));
    }
}

/// <summary>The contract against the ConfigMaps driver through the real client and the emulator over HTTPS.</summary>
public sealed class EmulatorConfigMapsReleaseStoreTests(EmulatorServer server) : ReleaseStoreContractTests, IClassFixture<EmulatorServer>
{
    protected override async Task<Backend> CreateBackendAsync()
    {
        await server.ClearAsync(ResourceType.ConfigMaps);
        var store = new KubernetesReleaseStore(server.Client, secrets: false, pageSize: 2);
        return new Backend(store, store, (ns, name) => server.Client.CreateAsync(ResourceType.ConfigMaps, ns, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { ["owner"] = "helm", ["name"] = "broken", ["version"] = "1" } },
            ["data"] = new JsonObject { ["release"] = "e30K{not json" },
        }));
    }
}

/// <summary>The catalog through the real client against the emulator's own faults: dropped watches, compaction (410), 429s.</summary>
public sealed class EmulatorReleaseCatalogTests(EmulatorServer server) : IClassFixture<EmulatorServer>
{
    [Fact]
    public async Task Catalog_UnderEmulatorFaults_ConvergesToTheStore()
    {
        await server.ClearAsync(ResourceType.Secrets);
        var store = new KubernetesReleaseStore(server.Client, secrets: true, pageSize: 5);
        for (int i = 0; i < 6; i++)
        {
            await store.CreateAsync(TestReleases.Build($"web{i}", 1, "team-a"));
        }

        await using var catalog = new ReleaseCatalog(store, store, CatalogTestSupport.FastRetries());
        await catalog.WaitForSyncAsync().WaitAsync(CatalogTestSupport.Generous);
        await CatalogTestSupport.AssertConvergesAsync(catalog, store);

        try
        {
            server.Emulator.Faults.DropWatchesAfterEvents = 1;
            for (int i = 0; i < 6; i++)
            {
                await store.UpdateAsync(TestReleases.Build($"web{i}", 1, "team-a", ReleaseStatus.Superseded));
                await store.CreateAsync(TestReleases.Build($"web{i}", 2, "team-a"));
            }

            await CatalogTestSupport.AssertConvergesAsync(catalog, store);

            server.Emulator.Faults.DropWatchesAfterEvents = 0; // every watch ends at once: the catalog resumes, then relists after compaction
            await store.DeleteAsync("team-a", "web0", 1); // web0 keeps its deployed revision 2
            server.Emulator.CompactHistory();
            server.Emulator.Faults.AppliesTo = r => r.Method == "GET"; // the catalog's list and watch, not the test's writes
            server.Emulator.Faults.FailNext(3, 429);
            server.Emulator.Faults.DropWatchesAfterEvents = null;
            await store.CreateAsync(TestReleases.Build("late", 1, "team-b", ReleaseStatus.Failed));

            await CatalogTestSupport.AssertConvergesAsync(catalog, store);
            Assert.Equal(["late", "web0", "web1", "web2", "web3", "web4", "web5"], catalog.Query(new ReleaseListQuery()).Items.Select(s => s.Name));
        }
        finally
        {
            server.Emulator.Faults.Reset();
        }
    }
}
