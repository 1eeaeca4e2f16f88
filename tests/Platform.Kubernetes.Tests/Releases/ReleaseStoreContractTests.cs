using System.Text.Json.Nodes;
using Platform.Kubernetes.Releases;

namespace Platform.Kubernetes.Tests.Releases;

/// <summary>
/// The behaviour every release-store backend shares, written once: each backend's test class inherits it.
/// </summary>
public abstract class ReleaseStoreContractTests
{
    /// <summary>A fresh, empty backend for one test.</summary>
    protected sealed record Backend(IReleaseStore Store, IReleaseChangeFeed Feed, Func<string, string, Task> PlantCorruptAsync);

    protected abstract Task<Backend> CreateBackendAsync();

    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task CreateAsync_ThenGet_RoundTripsEveryField()
    {
        var b = await CreateBackendAsync();
        var labels = new Dictionary<string, string> { ["team"] = "payments", ["tier"] = "backend" };
        HelmRelease release = TestReleases.Build("web", 1, "apps", labels: labels);

        await b.Store.CreateAsync(release);
        HelmRelease got = await b.Store.GetAsync("apps", "web", 1);

        Assert.Equal(HelmReleaseCodec.ToJson(release).ToJsonString(), HelmReleaseCodec.ToJson(got).ToJsonString());
        Assert.Equal("nginx", got.ChartName);
        Assert.Equal(ReleaseStatus.Deployed, got.Status);
        Assert.Equal(labels.OrderBy(p => p.Key), got.Labels.OrderBy(p => p.Key));
        Assert.Equal("ssa", got.ApplyMethod);
    }

    [Fact]
    public async Task CreateAsync_SameRevisionTwice_ThrowsReleaseExists()
    {
        var b = await CreateBackendAsync();
        await b.Store.CreateAsync(TestReleases.Build("web", 1));

        var ex = await Assert.ThrowsAsync<ReleaseExistsException>(() => b.Store.CreateAsync(TestReleases.Build("web", 1)));
        Assert.Equal("sh.helm.release.v1.web.v1", ex.RecordName);
    }

    [Fact]
    public async Task CreateAsync_InvalidName_ThrowsArgumentException()
    {
        var b = await CreateBackendAsync();
        await Assert.ThrowsAsync<ArgumentException>(() => b.Store.CreateAsync(TestReleases.Build("Bad_Name", 1)));
        await Assert.ThrowsAsync<ArgumentException>(() => b.Store.CreateAsync(TestReleases.Build("web", 1) with { Version = 0 }));
    }

    [Fact]
    public async Task UpdateAsync_Existing_ReplacesOnlyThatRevision()
    {
        var b = await CreateBackendAsync();
        await b.Store.CreateAsync(TestReleases.Build("web", 1));
        await b.Store.CreateAsync(TestReleases.Build("web", 2));

        await b.Store.UpdateAsync(TestReleases.Build("web", 1, status: ReleaseStatus.Superseded));

        Assert.Equal(ReleaseStatus.Superseded, (await b.Store.GetAsync("default", "web", 1)).Status);
        Assert.Equal(ReleaseStatus.Deployed, (await b.Store.GetAsync("default", "web", 2)).Status);
    }

    [Fact]
    public async Task UpdateAsync_Missing_ThrowsNotFound()
    {
        var b = await CreateBackendAsync();
        await Assert.ThrowsAsync<ReleaseNotFoundException>(() => b.Store.UpdateAsync(TestReleases.Build("ghost", 1)));
    }

    [Fact]
    public async Task DeleteAsync_Existing_RemovesOnlyThatRevision()
    {
        var b = await CreateBackendAsync();
        await b.Store.CreateAsync(TestReleases.Build("web", 1));
        await b.Store.CreateAsync(TestReleases.Build("web", 2));

        await b.Store.DeleteAsync("default", "web", 1);

        await Assert.ThrowsAsync<ReleaseNotFoundException>(() => b.Store.GetAsync("default", "web", 1));
        Assert.Equal(2, (await b.Store.GetAsync("default", "web", 2)).Version);
        await Assert.ThrowsAsync<ReleaseNotFoundException>(() => b.Store.DeleteAsync("default", "web", 1));
    }

    [Fact]
    public async Task GetAsync_Missing_ThrowsNotFoundNamingTheRelease()
    {
        var b = await CreateBackendAsync();
        var ex = await Assert.ThrowsAsync<ReleaseNotFoundException>(() => b.Store.GetAsync("default", "nope", 3));
        Assert.Contains("nope", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HistoryAsync_ReturnsThatReleaseOldestFirst()
    {
        var b = await CreateBackendAsync();
        foreach (int v in new[] { 3, 1, 2 })
        {
            await b.Store.CreateAsync(TestReleases.Build("web", v));
        }

        await b.Store.CreateAsync(TestReleases.Build("web-api", 1));
        await b.Store.CreateAsync(TestReleases.Build("web", 1, "other"));

        ReleaseListResult history = await b.Store.HistoryAsync("default", "web");

        Assert.Equal(new[] { 1, 2, 3 }, history.Releases.Select(r => r.Version));
        Assert.All(history.Releases, r => Assert.Equal("web", r.Name));
        Assert.Empty((await b.Store.HistoryAsync("default", "unknown")).Releases);
    }

    [Fact]
    public async Task ListAsync_ByNamespaceAndAll_ReturnsEveryRevision()
    {
        var b = await CreateBackendAsync();
        await b.Store.CreateAsync(TestReleases.Build("a", 1, "ns1"));
        await b.Store.CreateAsync(TestReleases.Build("a", 2, "ns1"));
        await b.Store.CreateAsync(TestReleases.Build("b", 1, "ns2"));

        var all = await b.Store.ListAsync();
        var ns1 = await b.Store.ListAsync("ns1");
        var named = await b.Store.ListAsync(null, "b");

        Assert.Equal(["ns1/a/1", "ns1/a/2", "ns2/b/1"], all.Releases.Select(Id).Order());
        Assert.Equal(["ns1/a/1", "ns1/a/2"], ns1.Releases.Select(Id).Order());
        Assert.Equal(["ns2/b/1"], named.Releases.Select(Id));
        Assert.Empty(all.Diagnostics);
    }

    [Fact]
    public async Task ListAsync_CorruptRecord_IsReportedAndSkipped()
    {
        var b = await CreateBackendAsync();
        await b.Store.CreateAsync(TestReleases.Build("good", 1));
        await b.PlantCorruptAsync("default", "sh.helm.release.v1.broken.v1");

        ReleaseListResult list = await b.Store.ListAsync();

        Assert.Equal(["default/good/1"], list.Releases.Select(Id));
        ReleaseDiagnostic diagnostic = Assert.Single(list.Diagnostics);
        Assert.Equal("sh.helm.release.v1.broken.v1", diagnostic.RecordName);
        Assert.Contains("sh.helm.release.v1.broken.v1", diagnostic.Message, StringComparison.Ordinal);
        var ex = await Assert.ThrowsAsync<ReleaseDecodeException>(() => b.Store.GetAsync("default", "broken", 1));
        Assert.Equal("sh.helm.release.v1.broken.v1", ex.RecordName);
    }

    [Fact]
    public async Task ListRecordsThenWatch_SeesCreateUpdateAndDelete()
    {
        var b = await CreateBackendAsync();
        await b.Store.CreateAsync(TestReleases.Build("before", 1));
        ReleaseRecordList list = await b.Feed.ListRecordsAsync(null);
        Assert.Equal(["sh.helm.release.v1.before.v1"], list.Records.Select(r => r.RecordName));

        using var cts = new CancellationTokenSource(Generous);
        var seen = new List<ReleaseRecordChange>();
        var watching = Task.Run(async () =>
        {
            string version = list.Version;
            while (!cts.IsCancellationRequested && !seen.Any(c => c.Type == ReleaseRecordChangeType.Deleted))
            {
                await foreach (var change in b.Feed.WatchRecordsAsync(null, version, cts.Token))
                {
                    version = change.Version;
                    if (change.Type != ReleaseRecordChangeType.Bookmark)
                    {
                        seen.Add(change);
                    }

                    if (change.Type == ReleaseRecordChangeType.Deleted)
                    {
                        break;
                    }
                }
            }
        });

        await b.Store.CreateAsync(TestReleases.Build("after", 1));
        await b.Store.UpdateAsync(TestReleases.Build("after", 1, status: ReleaseStatus.Failed));
        await b.Store.DeleteAsync("default", "before", 1);
        await watching.WaitAsync(cts.Token);

        // A polling feed (SQL) may coalesce the create and the update of one record: consecutive upserts collapse.
        var collapsed = seen.Select(c => $"{c.Type} {c.RecordName}").Where((text, i) => i == 0 || text != $"{seen[i - 1].Type} {seen[i - 1].RecordName}");
        Assert.Equal(["Upserted sh.helm.release.v1.after.v1", "Deleted sh.helm.release.v1.before.v1"], collapsed);
        var lastUpsert = seen.Last(c => c.Type == ReleaseRecordChangeType.Upserted);
        var decoded = HelmReleaseCodec.FromJson(HelmReleaseCodec.DecodeToJson(lastUpsert.Record!.Payload.Span, 1 << 20, null, null));
        Assert.Equal(ReleaseStatus.Failed, decoded.Status);
    }

    private static string Id(HelmRelease r) => $"{r.Namespace}/{r.Name}/{r.Version}";
}

/// <summary>The contract against the in-memory store.</summary>
public sealed class MemoryReleaseStoreTests : ReleaseStoreContractTests
{
    protected override Task<Backend> CreateBackendAsync()
    {
        var store = new MemoryReleaseStore();
        return Task.FromResult(new Backend(store, store, (ns, name) =>
        {
            store.PutRecord(new ReleaseRecord(ns, name, "H4sIAAAAnotgzip"u8.ToArray(), new Dictionary<string, string>()));
            return Task.CompletedTask;
        }));
    }
}

/// <summary>The contract against the Secrets driver over the in-memory Kubernetes fake.</summary>
public sealed class SecretsReleaseStoreTests : ReleaseStoreContractTests
{
    protected override Task<Backend> CreateBackendAsync()
    {
        var client = new FakeKubernetesClient();
        var store = new KubernetesReleaseStore(client, secrets: true, pageSize: 2);
        return Task.FromResult(new Backend(store, store, (ns, name) =>
        {
            client.PutRaw(Platform.Kubernetes.Client.ResourceType.Secrets, ns, new JsonObject
            {
                ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { ["owner"] = "helm", ["name"] = "broken", ["version"] = "1" } },
                ["type"] = "helm.sh/release.v1",
                ["data"] = new JsonObject { ["release"] = Convert.ToBase64String("H4sIAAAAnotgzip"u8.ToArray()) },
            });
            return Task.CompletedTask;
        }));
    }
}

/// <summary>The contract against the ConfigMaps driver over the in-memory Kubernetes fake.</summary>
public sealed class ConfigMapsReleaseStoreTests : ReleaseStoreContractTests
{
    protected override Task<Backend> CreateBackendAsync()
    {
        var client = new FakeKubernetesClient();
        var store = new KubernetesReleaseStore(client, secrets: false, pageSize: 2);
        return Task.FromResult(new Backend(store, store, (ns, name) =>
        {
            client.PutRaw(Platform.Kubernetes.Client.ResourceType.ConfigMaps, ns, new JsonObject
            {
                ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { ["owner"] = "helm", ["name"] = "broken", ["version"] = "1" } },
                ["data"] = new JsonObject { ["release"] = "e30K{not json" },
            });
            return Task.CompletedTask;
        }));
    }
}
