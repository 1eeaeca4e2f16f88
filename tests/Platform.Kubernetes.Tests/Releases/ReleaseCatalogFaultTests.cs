using System.Text.Json.Nodes;
using Platform.Kubernetes.Client;
using Platform.Kubernetes.Releases;

namespace Platform.Kubernetes.Tests.Releases;

/// <summary>
/// The catalog under faults of the Kubernetes API (dropped watches, 410 on resume, 429 bursts, corrupt payloads):
/// after each scenario it must equal the store's truth, decoded the slow way. No timing assertions: conditions are
/// awaited with a generous timeout.
/// </summary>
public sealed class ReleaseCatalogFaultTests : IAsyncLifetime
{
    private readonly FakeKubernetesClient _client = new();
    private KubernetesReleaseStore _store = null!;
    private ReleaseCatalog _catalog = null!;

    public async Task InitializeAsync()
    {
        _store = new KubernetesReleaseStore(_client, secrets: true, pageSize: 7);
        for (int i = 0; i < 12; i++)
        {
            for (int v = 1; v <= 3; v++)
            {
                await _store.CreateAsync(TestReleases.Build($"app{i:00}", v, i % 2 == 0 ? "team-a" : "team-b", v == 3 ? ReleaseStatus.Deployed : ReleaseStatus.Superseded));
            }
        }

        _catalog = new ReleaseCatalog(_store, _store, CatalogTestSupport.FastRetries());
        await _catalog.WaitForSyncAsync().WaitAsync(CatalogTestSupport.Generous);
        await CatalogTestSupport.AssertConvergesAsync(_catalog, _store);
    }

    public async Task DisposeAsync() => await _catalog.DisposeAsync();

    [Fact]
    public async Task WatchDroppedMidStream_ResumesAndConverges()
    {
        _client.DropWatchAfterEvents = 2; // every watch is closed by the server after two events
        int watchesBefore = _client.WatchCalls;

        await MutateAsync(round: 1);
        _client.DropWatches();
        await MutateAsync(round: 2);

        await CatalogTestSupport.AssertConvergesAsync(_catalog, _store);
        Assert.True(_client.WatchCalls > watchesBefore + 2, "the watch was resumed after each drop");
        Assert.Equal(1, _catalog.Status.Relists); // resumed from the last version: no relist needed
    }

    [Theory]
    [InlineData(false)] // the API server's way: an ERROR event carrying a 410 Status
    [InlineData(true)] // a client that raises 410 as an exception
    public async Task GoneOnResume_RelistsAndConverges(bool goneAsException)
    {
        _client.GoneAsException = goneAsException;
        await MutateAsync(round: 1);
        await CatalogTestSupport.AssertConvergesAsync(_catalog, _store);

        // Writes, then a compaction, while the watch is down: the resume version is too old.
        _client.HoldWatches();
        _client.DropWatches();
        await MutateAsync(round: 2);
        _client.CompactHistory();
        _client.ReleaseWatches();

        await CatalogTestSupport.AssertConvergesAsync(_catalog, _store);
        Assert.True(_catalog.Status.Relists >= 2, $"relisted after 410 (relists: {_catalog.Status.Relists})");
    }

    [Fact]
    public async Task RepeatedGone_KeepsRelistingUntilAWatchHolds()
    {
        _client.FailNextWatchesWithGone(3);
        _client.DropWatches();
        await MutateAsync(round: 1);

        await CatalogTestSupport.WaitUntilAsync(() => _catalog.Status.Relists >= 4, "one relist per 410");
        await CatalogTestSupport.AssertConvergesAsync(_catalog, _store);
    }

    [Fact]
    public async Task TooManyRequestsBurst_OnWatchAndList_RetriesAndConverges()
    {
        _client.FailNextWithTooManyRequests(6);
        _client.DropWatches();
        await CatalogTestSupport.WaitUntilAsync(() => _client.TooManyRequestsServed == 6, "the 429 burst was served");
        await MutateAsync(round: 1);

        await CatalogTestSupport.AssertConvergesAsync(_catalog, _store);
        Assert.Null(_catalog.Status.LastError);
    }

    [Fact]
    public async Task TooManyRequestsBurst_BeforeFirstList_StillSyncs()
    {
        var client = new FakeKubernetesClient();
        var store = new KubernetesReleaseStore(client, secrets: true);
        await store.CreateAsync(TestReleases.Build("solo", 1));
        client.FailNextWithTooManyRequests(5);
        await using var catalog = new ReleaseCatalog(store, store, CatalogTestSupport.FastRetries());

        await catalog.WaitForSyncAsync().WaitAsync(CatalogTestSupport.Generous);

        Assert.Equal(5, client.TooManyRequestsServed);
        await CatalogTestSupport.AssertConvergesAsync(catalog, store);
    }

    [Fact]
    public async Task CorruptPayloadDuringWatch_IsSkippedReportedAndTheRestConverges()
    {
        _client.PutRaw(ResourceType.Secrets, "team-a", CorruptSecret("sh.helm.release.v1.bad.v1", "bm90LWd6aXA=")); // base64 of "not-gzip": inner base64 invalid
        _client.PutRaw(ResourceType.Secrets, "team-a", CorruptSecret("sh.helm.release.v1.bomb.v1", Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(TestReleases.GzipBase64("{\"name\": 12}")))));
        await MutateAsync(round: 1);

        await CatalogTestSupport.AssertConvergesAsync(_catalog, _store);
        await CatalogTestSupport.WaitUntilAsync(() => _catalog.Status.Skipped.Count == 2, "both corrupt records are reported");
        var storeDiagnostics = (await _store.ListAsync()).Diagnostics.Select(d => d.RecordName).Order();
        Assert.Equal(storeDiagnostics, _catalog.Status.Skipped.Select(d => d.RecordName).Order());

        // A relist (410) keeps reporting them and still converges.
        _client.HoldWatches();
        _client.DropWatches();
        var victim = (await _store.ListAsync("team-a")).Releases.First();
        await _store.DeleteAsync(victim.Namespace, victim.Name, victim.Version);
        _client.CompactHistory();
        _client.ReleaseWatches();
        await CatalogTestSupport.AssertConvergesAsync(_catalog, _store);
        Assert.Equal(2, _catalog.Status.Skipped.Count);
    }

    [Fact]
    public async Task RandomFaultsInterleavedWithWrites_AlwaysConverge()
    {
        var random = new Random(4242);
        for (int round = 0; round < 6; round++)
        {
            switch (random.Next(4))
            {
                case 0:
                    _client.DropWatches();
                    break;
                case 1:
                    _client.HoldWatches();
                    _client.DropWatches();
                    await MutateAsync(round + 100);
                    _client.CompactHistory();
                    _client.ReleaseWatches();
                    break;
                case 2:
                    _client.FailNextWithTooManyRequests(random.Next(1, 5));
                    _client.DropWatches();
                    break;
                default:
                    _client.DropWatchAfterEvents = random.Next(0, 3);
                    break;
            }

            await MutateAsync(round + 10);
            await CatalogTestSupport.AssertConvergesAsync(_catalog, _store);
        }
    }

    /// <summary>Creates, upgrades (superseding the previous revision), uninstalls and deletes a few releases.</summary>
    private async Task MutateAsync(int round)
    {
        string name = $"r{round}";
        await _store.CreateAsync(TestReleases.Build(name, 1, "team-c"));
        await _store.UpdateAsync(TestReleases.Build(name, 1, "team-c", ReleaseStatus.Superseded));
        await _store.CreateAsync(TestReleases.Build(name, 2, "team-c", chartVersion: "2.0.0"));
        var victim = (await CatalogTestSupport.RetryThrottledAsync(() => _store.ListAsync("team-a"))).Releases.FirstOrDefault();
        if (victim is not null)
        {
            await _store.DeleteAsync(victim.Namespace, victim.Name, victim.Version);
        }

        var failing = (await CatalogTestSupport.RetryThrottledAsync(() => _store.ListAsync("team-b"))).Releases.FirstOrDefault(r => r.Status == ReleaseStatus.Deployed);
        if (failing is not null)
        {
            await _store.UpdateAsync(failing with { Status = ReleaseStatus.Failed });
        }
    }

    private static JsonObject CorruptSecret(string name, string data) => new()
    {
        ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { ["owner"] = "helm", ["name"] = name.Split('.')[4], ["version"] = "1" } },
        ["type"] = "helm.sh/release.v1",
        ["data"] = new JsonObject { ["release"] = data },
    };
}
