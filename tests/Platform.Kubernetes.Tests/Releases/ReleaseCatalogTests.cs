using Platform.Kubernetes.Releases;

namespace Platform.Kubernetes.Tests.Releases;

public sealed class ReleaseCatalogTests : IAsyncLifetime
{
    private readonly MemoryReleaseStore _store = new();
    private ReleaseCatalog _catalog = null!;

    public async Task InitializeAsync()
    {
        // a: v1 superseded, v2 deployed | b: v1 deployed, v2 failed | c: v1 uninstalled | d: v1 superseded, v2 pending-upgrade
        await _store.CreateAsync(TestReleases.Build("a", 1, "ns1", ReleaseStatus.Superseded, chart: "nginx", lastDeployed: TestReleases.Epoch.AddHours(1), labels: Labels("team=web")));
        await _store.CreateAsync(TestReleases.Build("a", 2, "ns1", ReleaseStatus.Deployed, chart: "nginx", lastDeployed: TestReleases.Epoch.AddHours(5), labels: Labels("team=web")));
        await _store.CreateAsync(TestReleases.Build("b", 1, "ns2", ReleaseStatus.Deployed, chart: "redis", lastDeployed: TestReleases.Epoch.AddHours(2)));
        await _store.CreateAsync(TestReleases.Build("b", 2, "ns2", ReleaseStatus.Failed, chart: "redis", lastDeployed: TestReleases.Epoch.AddHours(3), labels: Labels("team=data")));
        await _store.CreateAsync(TestReleases.Build("c", 1, "ns1", ReleaseStatus.Uninstalled, chart: "nginx", lastDeployed: TestReleases.Epoch.AddHours(4)));
        await _store.CreateAsync(TestReleases.Build("d", 1, "ns2", ReleaseStatus.Superseded, chart: "kafka", lastDeployed: TestReleases.Epoch.AddHours(1)));
        await _store.CreateAsync(TestReleases.Build("d", 2, "ns2", ReleaseStatus.PendingUpgrade, chart: "kafka", lastDeployed: TestReleases.Epoch.AddHours(6)));
        _catalog = new ReleaseCatalog(_store, _store, CatalogTestSupport.FastRetries());
        await _catalog.WaitForSyncAsync().WaitAsync(CatalogTestSupport.Generous);
    }

    public async Task DisposeAsync() => await _catalog.DisposeAsync();

    [Fact]
    public void Query_Default_ListsLatestDeployedAndFailed()
    {
        Assert.Equal(["a/2", "b/2"], Ids(new ReleaseListQuery()));
    }

    [Theory]
    [InlineData(ReleaseStateFilter.Deployed, "a/2")] // b's deployed v1 is not its latest: the mask applies after the latest rule
    [InlineData(ReleaseStateFilter.Failed, "b/2")]
    [InlineData(ReleaseStateFilter.Uninstalled, "c/1")]
    [InlineData(ReleaseStateFilter.Pending, "d/2")]
    [InlineData(ReleaseStateFilter.Superseded, "a/1,d/1")] // superseded alone: every revision, not only the latest
    [InlineData(ReleaseStateFilter.Superseded | ReleaseStateFilter.Deployed, "a/2")]
    [InlineData(ReleaseStateFilter.All, "a/2,b/2,c/1,d/2")]
    public void Query_StateMask_FollowsHelmList(ReleaseStateFilter states, string expected)
    {
        Assert.Equal(expected.Split(','), Ids(new ReleaseListQuery { States = states }));
    }

    [Theory]
    [InlineData("b", "b/2")]
    [InlineData("^[ab]$", "a/2,b/2")]
    [InlineData("x", "")]
    public void Query_Filter_IsAnUnanchoredRegexOnTheName(string filter, string expected)
    {
        Assert.Equal(expected.Split(',', StringSplitOptions.RemoveEmptyEntries), Ids(new ReleaseListQuery { Filter = filter, States = ReleaseStateFilter.All }).Where(id => id.Length > 0));
    }

    [Fact]
    public void Query_InvalidFilter_ThrowsArgumentExceptionNamingIt()
    {
        var ex = Assert.Throws<ArgumentException>(() => _catalog.Query(new ReleaseListQuery { Filter = "a(" }));
        Assert.Contains("a(", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Query_NamespaceAndChart_Filter()
    {
        Assert.Equal(["a/2", "c/1"], Ids(new ReleaseListQuery { Namespace = "ns1", States = ReleaseStateFilter.All }));
        Assert.Equal(["b/2"], Ids(new ReleaseListQuery { ChartName = "redis", States = ReleaseStateFilter.All }));
        Assert.Empty(Ids(new ReleaseListQuery { Namespace = "ns1", ChartName = "redis", States = ReleaseStateFilter.All }));
    }

    [Theory]
    [InlineData("team=web", "a/2")]
    [InlineData("team==data", "b/2")]
    [InlineData("team!=web", "b/2,c/1,d/2")]
    [InlineData("team", "a/2,b/2")]
    [InlineData("!team", "c/1,d/2")]
    [InlineData("team in (web,data)", "a/2,b/2")]
    [InlineData("team notin (web)", "b/2,c/1,d/2")]
    [InlineData("status=failed,owner=helm", "b/2")]
    public void Query_LabelSelector_MatchesCustomAndSystemLabels(string selector, string expected)
    {
        Assert.Equal(expected.Split(','), Ids(new ReleaseListQuery { LabelSelector = selector, States = ReleaseStateFilter.All }));
    }

    [Fact]
    public void Query_SortAndPaging_FollowHelm()
    {
        var all = ReleaseStateFilter.All;
        Assert.Equal(["d/2", "c/1", "b/2", "a/2"], Ids(new ReleaseListQuery { States = all, Reverse = true }));
        Assert.Equal(["b/2", "c/1", "a/2", "d/2"], Ids(new ReleaseListQuery { States = all, Sort = ReleaseSort.Date })); // oldest first, as helm --date
        Assert.Equal(["d/2", "a/2", "c/1", "b/2"], Ids(new ReleaseListQuery { States = all, Sort = ReleaseSort.Date, Reverse = true }));
        var page = _catalog.Query(new ReleaseListQuery { States = all, Offset = 1, Max = 2 });
        Assert.Equal(["b/2", "c/1"], page.Items.Select(s => $"{s.Name}/{s.Revision}"));
        Assert.Equal(4, page.Total);
        Assert.Empty(_catalog.Query(new ReleaseListQuery { States = all, Offset = 4 }).Items);
    }

    [Fact]
    public void Summary_CarriesChartAppVersionUpdatedAndDescription()
    {
        ReleaseSummary a = _catalog.Query(new ReleaseListQuery { Filter = "^a$" }).Items.Single();
        Assert.Equal(("nginx-1.2.3", "1.25.0", TestReleases.Epoch.AddHours(5), "Upgrade complete", "ns1"), (a.Chart, a.AppVersion, a.Updated, a.Description, a.Namespace));
        Assert.Equal("web", a.Labels["team"]);
    }

    [Fact]
    public async Task GetReleaseAsync_LoadsDetailsLazilyFromTheStore()
    {
        HelmRelease latest = await _catalog.GetReleaseAsync("ns1", "a");
        HelmRelease first = await _catalog.GetReleaseAsync("ns1", "a", 1);

        Assert.Equal(2, latest.Version);
        Assert.Contains("replicas: 2", latest.Manifest, StringComparison.Ordinal);
        Assert.Equal(1, first.Config!["replicaCount"]!.GetValue<int>());
        await Assert.ThrowsAsync<ReleaseNotFoundException>(() => _catalog.GetReleaseAsync("ns1", "missing"));
        Assert.Equal([1, 2], (await _catalog.GetHistoryAsync("ns1", "a")).Releases.Select(r => r.Version));
        Assert.Equal([1, 2], _catalog.History("ns1", "a").Select(s => s.Revision));
    }

    [Fact]
    public async Task WatchChangesAsync_ReportsAddUpdateDelete()
    {
        using var cts = new CancellationTokenSource(CatalogTestSupport.Generous);
        var changes = new List<ReleaseCatalogChange>();
        var ready = new TaskCompletionSource();
        var reading = Task.Run(async () =>
        {
            await using var e = _catalog.WatchChangesAsync(cts.Token).GetAsyncEnumerator(cts.Token);
            var next = e.MoveNextAsync();
            ready.SetResult();
            while (await next)
            {
                changes.Add(e.Current);
                if (e.Current.Kind == ReleaseCatalogChangeKind.Deleted)
                {
                    return;
                }

                next = e.MoveNextAsync();
            }
        });
        await ready.Task;
        await CatalogTestSupport.WaitUntilAsync(() => true, "subscribed");

        await _store.CreateAsync(TestReleases.Build("e", 1, "ns1"));
        await _store.UpdateAsync(TestReleases.Build("e", 1, "ns1", ReleaseStatus.Failed));
        await _store.DeleteAsync("ns1", "e", 1);
        await reading.WaitAsync(cts.Token);

        Assert.Equal(["Added e/1 Deployed", "Updated e/1 Failed", "Deleted e/1 "], changes.Select(c => $"{c.Kind} {c.Name}/{c.Revision} {c.Summary?.Status}"));
        Assert.Empty(_catalog.History("ns1", "e"));
    }

    [Fact]
    public async Task Status_AfterSync_IsSyncedConnectedWithTheClock()
    {
        var clock = new FixedClock(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));
        await using var catalog = new ReleaseCatalog(_store, _store, CatalogTestSupport.FastRetries(), clock);
        Assert.False(catalog.Status.IsSynced);

        await catalog.WaitForSyncAsync().WaitAsync(CatalogTestSupport.Generous);

        var status = catalog.Status;
        Assert.True(status.IsSynced && status.IsConnected);
        Assert.Equal(clock.Now, status.LastSyncTime);
        Assert.Equal((4, 7, 1), (status.Releases, status.Revisions, status.Relists));
    }

    [Fact]
    public async Task Catalog_CorruptRecordThenRepaired_IsSkippedThenIndexed()
    {
        _store.PutRecord(new ReleaseRecord("ns1", "sh.helm.release.v1.z.v1", "bm90IGd6aXA="u8.ToArray(), new Dictionary<string, string>()));
        await CatalogTestSupport.WaitUntilAsync(() => _catalog.Status.Skipped.Count == 1, "the corrupt record is reported");
        Assert.Equal("sh.helm.release.v1.z.v1", _catalog.Status.Skipped[0].RecordName);

        await _store.UpdateAsync(TestReleases.Build("z", 1, "ns1"));
        await CatalogTestSupport.WaitUntilAsync(() => _catalog.Status.Skipped.Count == 0 && _catalog.History("ns1", "z").Count == 1, "the repaired record is indexed");
        await CatalogTestSupport.AssertConvergesAsync(_catalog, _store);
    }

    [Fact]
    public async Task Query_ManyConcurrentReadersDuringWrites_AlwaysSeeConsistentSnapshots()
    {
        using var stop = new CancellationTokenSource();
        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            int reads = 0;
            while (!stop.IsCancellationRequested || reads == 0)
            {
                var page = _catalog.Query(new ReleaseListQuery { States = ReleaseStateFilter.All });
                Assert.Equal(page.Total, page.Items.Count);
                Assert.True(page.Items.Select(s => (s.Name, s.Namespace)).Distinct().Count() == page.Items.Count, "a release appears once");
                reads++;
            }

            return reads;
        })).ToArray();

        for (int i = 1; i <= 50; i++)
        {
            await _store.CreateAsync(TestReleases.Build("load", i, "ns3", i % 2 == 0 ? ReleaseStatus.Deployed : ReleaseStatus.Failed));
        }

        await CatalogTestSupport.WaitUntilAsync(() => _catalog.History("ns3", "load").Count == 50, "all 50 revisions are indexed");
        await stop.CancelAsync();
        Assert.All(await Task.WhenAll(readers), reads => Assert.True(reads > 0));
        await CatalogTestSupport.AssertConvergesAsync(_catalog, _store);
    }

    private List<string> Ids(ReleaseListQuery query) =>
        _catalog.Query(query).Items.Select(s => $"{s.Name}/{s.Revision}").ToList();

    private static Dictionary<string, string> Labels(string pair) => new() { [pair.Split('=')[0]] = pair.Split('=')[1] };

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
