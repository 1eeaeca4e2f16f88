// A portal's "installed apps" page without a cluster: Helm release records live in Secrets (exactly as Helm writes
// them) on the embedded emulator; a ReleaseCatalog keeps an in-memory index current by list+watch, so `helm list`
// queries never touch the API server, and the page hears about a new revision as soon as it is written.
//
//   dotnet run --project samples/ReleasesSample
using System.Globalization;
using System.Text.Json.Nodes;
using Platform.Kubernetes.Client;
using Platform.Kubernetes.Config;
using Platform.Kubernetes.Emulator;
using Platform.Kubernetes.Releases;

await using KubernetesEmulator emulator = await KubernetesEmulator.StartAsync(new EmulatorOptions { EnableHttp = false });

// The real client over HTTPS: against a cluster only this configuration changes (KubernetesClientConfiguration.FromKubeconfig()).
using var client = new KubernetesClient(new KubernetesClientConfiguration
{
    Server = emulator.HttpsEndpoint,
    CertificateAuthorities = [emulator.CertificateAuthority],
    BearerToken = emulator.Token,
});
foreach (string ns in new[] { "payments", "catalog" })
{
    await client.CreateAsync(ResourceType.Namespaces, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = ns } });
}

await using ReleaseBackend backend = ReleaseStores.Create(new ReleaseCatalogOptions { Store = ReleaseStoreKind.Secrets }, client);
IReleaseStore store = backend.Store;
DateTimeOffset t0 = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

// Seed a small history, as `helm install` / `helm upgrade` would have left it.
await store.CreateAsync(Release("api", "payments", 1, ReleaseStatus.Superseded, "1.0.0", t0));
await store.CreateAsync(Release("api", "payments", 2, ReleaseStatus.Deployed, "1.1.0", t0.AddHours(1)));
await store.CreateAsync(Release("search", "catalog", 1, ReleaseStatus.Failed, "3.2.0", t0.AddHours(2)));
await store.CreateAsync(Release("redis", "catalog", 1, ReleaseStatus.Deployed, "7.2.4", t0.AddHours(3)));

await using var catalog = new ReleaseCatalog(store, backend.Feed);
using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
await catalog.WaitForSyncAsync(timeout.Token);
Console.WriteLine($"# synced: {catalog.Status.Releases} releases, {catalog.Status.Revisions} revisions");

Print("helm list -A", catalog.Query(new ReleaseListQuery()));
Print("helm list -n catalog --failed", catalog.Query(new ReleaseListQuery { Namespace = "catalog", States = ReleaseStateFilter.Failed }));
Print("helm list -A --all --date -r", catalog.Query(new ReleaseListQuery { States = ReleaseStateFilter.All, Sort = ReleaseSort.Date, Reverse = true }));

// Subscribe before writing: WatchChangesAsync registers the reader when called, so nothing written after it is missed.
IAsyncEnumerable<ReleaseCatalogChange> changes = catalog.WatchChangesAsync(timeout.Token);

// `helm upgrade api`: revision 2 becomes superseded, revision 3 is deployed — two writes, two notifications.
await store.UpdateAsync(Release("api", "payments", 2, ReleaseStatus.Superseded, "1.1.0", t0.AddHours(1)));
await store.CreateAsync(Release("api", "payments", 3, ReleaseStatus.Deployed, "1.2.0", t0.AddHours(4)));

Console.WriteLine("# changes seen by the catalog:");
int seen = 0;
await foreach (ReleaseCatalogChange c in changes)
{
    Console.WriteLine($"  {c.Kind,-8} {c.Namespace}/{c.Name} revision {c.Revision} -> {c.Summary?.Status.ToHelmString() ?? "-"}");
    if (++seen == 2)
    {
        break;
    }
}

Print("helm list -n payments (after the upgrade)", catalog.Query(new ReleaseListQuery { Namespace = "payments" }));
Console.WriteLine("# history of payments/api: " + string.Join(", ", catalog.History("payments", "api").Select(r => $"{r.Revision}:{r.Status.ToHelmString()}")));

// The index keeps no values or manifests; the full revision is loaded from the store only when a page needs it.
HelmRelease latest = await catalog.GetReleaseAsync("payments", "api");
Console.WriteLine($"# payments/api revision {latest.Version} values: {latest.Config?.ToJsonString()}");

static HelmRelease Release(string name, string ns, int revision, ReleaseStatus status, string appVersion, DateTimeOffset deployed) => new()
{
    Name = name,
    Namespace = ns,
    Version = revision,
    Status = status,
    LastDeployed = deployed,
    Description = revision == 1 ? "Install complete" : "Upgrade complete",
    Chart = new JsonObject { ["metadata"] = new JsonObject { ["name"] = name, ["version"] = "0." + revision + ".0", ["appVersion"] = appVersion, ["apiVersion"] = "v2" } },
    Config = new JsonObject { ["image"] = new JsonObject { ["tag"] = appVersion } },
};

static void Print(string title, ReleaseQueryResult result)
{
    Console.WriteLine($"# {title} ({result.Total})");
    Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "  {0,-8} {1,-10} {2,-9} {3,-22} {4,-12} {5,-14} {6}", "NAME", "NAMESPACE", "REVISION", "UPDATED", "STATUS", "CHART", "APP VERSION"));
    foreach (ReleaseSummary r in result.Items)
    {
        Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "  {0,-8} {1,-10} {2,-9} {3,-22} {4,-12} {5,-14} {6}", r.Name, r.Namespace, r.Revision, r.Updated?.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), r.Status.ToHelmString(), r.Chart, r.AppVersion));
    }
}
