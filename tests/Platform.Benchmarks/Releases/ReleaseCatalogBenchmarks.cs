using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BenchmarkDotNet.Attributes;
using Platform.Kubernetes.Client;
using Platform.Kubernetes.Config;
using Platform.Kubernetes.Emulator;
using Platform.Kubernetes.Releases;

namespace Platform.Benchmarks.Releases;

/// <summary>
/// 2,000 releases x 10 revisions stored as Helm Secrets in the embedded emulator, read through the real client over
/// HTTPS. Baseline: what <c>helm list -n NS --filter RE</c> does per call (list every release Secret of the namespace,
/// decode every revision fully, keep the latest per release, filter). Against it: the same query answered by a synced
/// <see cref="ReleaseCatalog"/>. The setup also prints cold sync time against pure decode time, memory per cached
/// revision and query latency percentiles (p50/p99).
/// </summary>
[MemoryDiagnoser]
public class ReleaseCatalogBenchmarks
{
    private const int Releases = 2000;
    private const int RevisionsPerRelease = 10;
    private const string Filter = "svc-1[0-4]";
    private const string Namespace = "team-3";

    // One emulator and one synced catalog per process, shared by the benchmarks: BenchmarkDotNet runs the setup once per
    // benchmark method, and seeding and syncing take seconds. Both are released after the class's last benchmark, so that the 20,000 Secrets do not slow down the forced
    // collections between iterations of the classes that run after this one in quick mode.
    private const int Methods = 2;
    private static Cluster? s_cluster;
    private static ReleaseCatalog? s_catalog;
    private static int s_cleanups;
    private KubernetesReleaseStore _store = null!;
    private ReleaseCatalog _catalog = null!;
    private Regex _filter = null!;

    [GlobalSetup]
    public void Setup()
    {
        Cluster cluster = s_cluster ??= Cluster.StartAsync().GetAwaiter().GetResult();
        _store = new KubernetesReleaseStore(cluster.Client, secrets: true, pageSize: 500);
        _filter = new Regex(Filter, RegexOptions.NonBacktracking);
        if (s_catalog is not null)
        {
            // The catalog synced by the first setup stays valid: nothing changes the emulator's Secrets in between.
            _catalog = s_catalog;
            return;
        }

        Console.WriteLine($"// {Releases} releases x {RevisionsPerRelease} revisions = {cluster.SecretData.Count} Secrets in the emulator, {cluster.PayloadBytes / (1024 * 1024)} MiB of data.release, seeded in {cluster.SeedTime.TotalSeconds:F1} s");

        // Pure decode: every record fully decoded once from memory (no HTTP), as helm decodes.
        var sw = Stopwatch.StartNew();
        int decoded = 0;
        foreach (string data in cluster.SecretData)
        {
            decoded += HelmReleaseCodec.DecodeSecretData(data).Version > 0 ? 1 : 0;
        }

        TimeSpan pureDecode = sw.Elapsed;

        sw.Restart();
        _catalog = new ReleaseCatalog(_store, _store);
        _catalog.WaitForSyncAsync().GetAwaiter().GetResult();
        TimeSpan coldSync = sw.Elapsed;
        s_catalog = _catalog;

        // The catalog's own cost and footprint, apart from HTTP and the in-process emulator: index records listed beforehand.
        ReleaseRecordList prefetched = _store.ListRecordsAsync(null).GetAwaiter().GetResult();
        var feed = new PrefetchedFeed(prefetched);
        long before = Allocated();
        sw.Restart();
        var indexOnly = new ReleaseCatalog(_store, feed);
        indexOnly.WaitForSyncAsync().GetAwaiter().GetResult();
        TimeSpan indexTime = sw.Elapsed;
        long after = Allocated();
        double perRevision = (after - before) / (double)indexOnly.Status.Revisions;
        indexOnly.DisposeAsync().AsTask().GetAwaiter().GetResult();
        GC.KeepAlive(prefetched);

        var query = new ReleaseListQuery { Filter = Filter, Namespace = Namespace };
        int matches = _catalog.Query(query).Total;
        for (int i = 0; i < 500; i++)
        {
            _catalog.Query(query);
        }

        Allocated();
        var ticks = new long[20000];
        for (int i = 0; i < ticks.Length; i++)
        {
            long start = Stopwatch.GetTimestamp();
            _catalog.Query(query);
            ticks[i] = Stopwatch.GetTimestamp() - start;
        }

        Array.Sort(ticks);
        double p50 = Ms(ticks[ticks.Length / 2]);
        double p99 = Ms(ticks[(int)(ticks.Length * 0.99)]);

        sw.Restart();
        int baselineMatches = HelmListBaseline();
        double baselineMs = sw.Elapsed.TotalMilliseconds;

        Console.WriteLine($"// decoded {decoded} records: pure full decode {pureDecode.TotalMilliseconds:F0} ms; catalog cold sync over HTTPS (emulator in this process) {coldSync.TotalMilliseconds:F0} ms = {coldSync / pureDecode:F2}x pure decode (goal <= 2x); indexing alone {indexTime.TotalMilliseconds:F0} ms = {indexTime / pureDecode:F2}x");
        Console.WriteLine($"// catalog memory: {perRevision:F0} bytes per cached revision over {_catalog.Status.Revisions} revisions (goal <= 2048)");
        Console.WriteLine($"// filtered query ('{Filter}' in {Namespace}, {matches} matches): catalog p50 {p50 * 1000:F1} us, p99 {p99 * 1000:F1} us (goal <= 1 ms); helm-style list+decode {baselineMs:F0} ms ({baselineMatches} matches) = {baselineMs / p99:F0}x the catalog p99 (goal >= 1000x)");
        if (matches != baselineMatches)
        {
            throw new InvalidOperationException($"catalog ({matches}) and baseline ({baselineMatches}) disagree");
        }
    }

    /// <summary>Releases the catalog, the client and the emulator after the class's last benchmark.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        if (++s_cleanups % Methods != 0 || s_cluster is null)
        {
            return;
        }

        s_catalog?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        s_cluster.Client.Dispose();
        s_cluster.Emulator.DisposeAsync().AsTask().GetAwaiter().GetResult();
        (s_catalog, s_cluster, _catalog, _store) = (null, null, null!, null!);
    }

    [Benchmark(Baseline = true, Description = "helm list: list + decode every revision + filter")]
    public int HelmListBaseline()
    {
        ReleaseListResult all = _store.ListAsync(Namespace).GetAwaiter().GetResult();
        var latest = new Dictionary<(string, string), HelmRelease>();
        foreach (HelmRelease r in all.Releases)
        {
            if (!_filter.IsMatch(r.Name))
            {
                continue;
            }

            if (!latest.TryGetValue((r.Namespace, r.Name), out HelmRelease? seen) || seen.Version < r.Version)
            {
                latest[(r.Namespace, r.Name)] = r;
            }
        }

        return latest.Values.Count(r => r.Status is ReleaseStatus.Deployed or ReleaseStatus.Failed);
    }

    [Benchmark(Description = "ReleaseCatalog.Query (same filter)")]
    public int CatalogQuery() => _catalog.Query(new ReleaseListQuery { Filter = Filter, Namespace = Namespace }).Total;

    private static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    private static long Allocated()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    /// <summary>A change feed that lists records fetched beforehand and never changes.</summary>
    private sealed class PrefetchedFeed(ReleaseRecordList list) : IReleaseChangeFeed
    {
        public Task<ReleaseRecordList> ListRecordsAsync(string? @namespace, CancellationToken cancellationToken = default) => Task.FromResult(list);

        public async IAsyncEnumerable<ReleaseRecordChange> WatchRecordsAsync(string? @namespace, string fromVersion, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            yield break;
        }
    }

    /// <summary>The emulator seeded with the releases, and a client configured from the kubeconfig it writes.</summary>
    private sealed class Cluster
    {
        public required KubernetesEmulator Emulator { get; init; }

        public required KubernetesClient Client { get; init; }

        public required List<string> SecretData { get; init; }

        public required TimeSpan SeedTime { get; init; }

        public long PayloadBytes => SecretData.Sum(d => (long)d.Length);

        public static async Task<Cluster> StartAsync()
        {
            var sw = Stopwatch.StartNew();
            var emulator = await KubernetesEmulator.StartAsync(new EmulatorOptions { EnableHttp = false });
            string kubeconfig = Path.Combine(Path.GetTempPath(), "platform-bench-releases-" + Environment.ProcessId + ".kubeconfig");
            await emulator.WriteKubeconfigAsync(kubeconfig);
            var client = new KubernetesClient(KubernetesClientConfiguration.Load(new KubernetesOptions { KubeconfigPath = kubeconfig, Environment = new KubernetesEnvironment() }));
            File.Delete(kubeconfig);
            for (int n = 0; n < 8; n++)
            {
                await emulator.SeedAsync(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = "team-" + n } });
            }

            var data = new List<string>(Releases * RevisionsPerRelease);
            var secrets = new List<JsonObject>(Releases * RevisionsPerRelease);
            string manifest = string.Concat(Enumerable.Range(0, 40).Select(i => $"---\\n# Source: svc/templates/obj{i}.yaml\\napiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: cm-{i}\\ndata:\\n  key: value-{i}\\n"));
            string template = Convert.ToBase64String(Encoding.UTF8.GetBytes(manifest));
            var start = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
            string Json(int r, int v)
            {
                string name = $"svc-{r:0000}";
                string ns = $"team-{r % 8}";
                string status = v == RevisionsPerRelease ? (r % 10 == 0 ? "failed" : "deployed") : "superseded";
                return $$$$"""{"name":"{{{{name}}}}","info":{"first_deployed":"2025-01-01T00:00:00Z","last_deployed":"{{{{HelmReleaseCodec.FormatTime(start.AddMinutes((r * 10) + v))}}}}","description":"{{{{(v == 1 ? "Install complete" : "Upgrade complete")}}}}","status":"{{{{status}}}}","notes":"Thank you for installing {{{{name}}}}"},"chart":{"metadata":{"name":"svc","version":"1.{{{{v}}}}.0","appVersion":"2.{{{{v}}}}","apiVersion":"v2"},"templates":[{"name":"templates/all.yaml","data":"{{{{template}}}}"}],"values":{"replicaCount":1,"image":{"repository":"registry/svc","tag":"2.{{{{v}}}}"}}},"config":{"replicaCount":{{{{v}}}}},"manifest":"{{{{manifest}}}}","version":{{{{v}}}},"namespace":"{{{{ns}}}}"}""";
            }

            // Encoding (gzip + base64 twice) dominates the seeding: spread it over the cores, then seed in order.
            var encoded = new string[Releases * RevisionsPerRelease];
            Parallel.For(0, Releases, r =>
            {
                for (int v = 1; v <= RevisionsPerRelease; v++)
                {
                    encoded[(r * RevisionsPerRelease) + v - 1] = EncodeSecretData(Json(r, v));
                }
            });

            for (int r = 0; r < Releases; r++)
            {
                string name = $"svc-{r:0000}";
                string ns = $"team-{r % 8}";
                for (int v = 1; v <= RevisionsPerRelease; v++)
                {
                    string status = v == RevisionsPerRelease ? (r % 10 == 0 ? "failed" : "deployed") : "superseded";
                    string secretData = encoded[(r * RevisionsPerRelease) + v - 1];
                    data.Add(secretData);
                    secrets.Add(new JsonObject
                    {
                        ["apiVersion"] = "v1",
                        ["kind"] = "Secret",
                        ["metadata"] = new JsonObject
                        {
                            ["name"] = ReleaseStorageLabels.ObjectName(name, v),
                            ["namespace"] = ns,
                            ["labels"] = new JsonObject { ["name"] = name, ["owner"] = "helm", ["status"] = status, ["version"] = v.ToString(System.Globalization.CultureInfo.InvariantCulture), ["createdAt"] = "1735689600" },
                        },
                        ["type"] = ReleaseStorageLabels.ReleaseType,
                        ["data"] = new JsonObject { ["release"] = secretData },
                    });
                }
            }

            // One batch through the emulator's bulk path (no result object built per Secret).
            await emulator.SeedManyAsync(secrets);

            return new Cluster { Emulator = emulator, Client = client, SecretData = data, SeedTime = sw.Elapsed };
        }

        /// <summary>Helm's Secret encoding with the fastest gzip level, to keep the setup short (decoding costs the same).</summary>
        private static string EncodeSecretData(string json)
        {
            using var buffer = new MemoryStream();
            using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
            {
                gzip.Write(Encoding.UTF8.GetBytes(json));
            }

            return Convert.ToBase64String(Encoding.ASCII.GetBytes(Convert.ToBase64String(buffer.GetBuffer(), 0, (int)buffer.Length)));
        }
    }
}
