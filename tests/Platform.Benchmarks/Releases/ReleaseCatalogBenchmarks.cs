using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BenchmarkDotNet.Attributes;
using Platform.Kubernetes.Client;
using Platform.Kubernetes.Releases;

namespace Platform.Benchmarks.Releases;

/// <summary>
/// 2,000 releases x 10 revisions stored as Helm Secrets. Baseline: what <c>helm list --filter</c> does per call (list every
/// release Secret, decode every revision fully, keep the latest per release, filter). Against it: the same query
/// answered by a synced <see cref="ReleaseCatalog"/>. The setup also prints cold sync time against pure decode time,
/// memory per cached revision and query latency percentiles.
/// </summary>
[MemoryDiagnoser]
public class ReleaseCatalogBenchmarks
{
    private const int Releases = 2000;
    private const int RevisionsPerRelease = 10;
    private const string Filter = "svc-1[0-4]";
    private SecretsSource _source = null!;
    private KubernetesReleaseStore _store = null!;
    private ReleaseCatalog _catalog = null!;
    private Regex _filter = null!;

    // Built once per process: BenchmarkDotNet runs the setup once per benchmark method, and 20,000 Secrets take seconds.
    private static readonly Lazy<List<JsonObject>> Secrets = new(BuildSecrets);
    private static bool _reported;

    [GlobalSetup]
    public void Setup()
    {
        var sw = Stopwatch.StartNew();
        _source = new SecretsSource(Secrets.Value);
        Console.WriteLine($"// {Releases} releases x {RevisionsPerRelease} revisions = {_source.Items.Count} Secrets, {_source.PayloadBytes / (1024 * 1024)} MiB of data.release, built in {sw.Elapsed.TotalSeconds:F1} s");
        _store = new KubernetesReleaseStore(_source, secrets: true, pageSize: 500);
        _filter = new Regex(Filter, RegexOptions.NonBacktracking);
        if (_reported)
        {
            _catalog = new ReleaseCatalog(_store, _store);
            _catalog.WaitForSyncAsync().GetAwaiter().GetResult();
            return;
        }

        _reported = true;

        // Pure decode: every record fully decoded once (what any cold sync must at least read), as helm does.
        sw.Restart();
        int decoded = 0;
        foreach (JsonObject item in _source.Items)
        {
            decoded += HelmReleaseCodec.DecodeSecretData(item["data"]!["release"]!.GetValue<string>()).Version > 0 ? 1 : 0;
        }

        TimeSpan pureDecode = sw.Elapsed;

        long before = Allocated();
        sw.Restart();
        _catalog = new ReleaseCatalog(_store, _store);
        _catalog.WaitForSyncAsync().GetAwaiter().GetResult();
        TimeSpan coldSync = sw.Elapsed;
        long after = Allocated();
        GC.KeepAlive(_catalog);
        double perRevision = (after - before) / (double)_catalog.Status.Revisions;

        var query = new ReleaseListQuery { Filter = Filter, Namespace = "team-3" };
        int matches = _catalog.Query(query).Total;
        var ticks = new long[20000];
        Allocated();
        for (int i = 0; i < 200; i++)
        {
            _catalog.Query(query);
        }

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

        Console.WriteLine($"// decoded {decoded} records; pure full decode {pureDecode.TotalMilliseconds:F0} ms; catalog cold sync {coldSync.TotalMilliseconds:F0} ms ({coldSync / pureDecode:F2}x pure decode; goal <= 2x)");
        Console.WriteLine($"// catalog memory: {perRevision:F0} bytes per cached revision over {_catalog.Status.Revisions} revisions (goal <= 2048)");
        Console.WriteLine($"// filtered query ('{Filter}' in team-3, {matches} matches): catalog p50 {p50 * 1000:F1} us, p99 {p99 * 1000:F1} us (goal <= 1 ms); helm-style list+decode {baselineMs:F0} ms ({baselineMatches} matches) = {baselineMs / p99:F0}x the catalog p99 (goal >= 1000x)");
        if (matches != baselineMatches)
        {
            throw new InvalidOperationException($"catalog ({matches}) and baseline ({baselineMatches}) disagree");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _catalog.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Baseline = true, Description = "helm list: list + decode every revision + filter")]
    public int HelmListBaseline()
    {
        ReleaseListResult all = _store.ListAsync("team-3").GetAwaiter().GetResult();
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
    public int CatalogQuery() => _catalog.Query(new ReleaseListQuery { Filter = Filter, Namespace = "team-3" }).Total;

    private static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    private static long Allocated()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static List<JsonObject> BuildSecrets()
    {
        string manifest = string.Concat(Enumerable.Range(0, 40).Select(i => $"---\n# Source: svc/templates/obj{i}.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-{i}\ndata:\n  key: value-{i}\n"));
        string template = Convert.ToBase64String(Encoding.UTF8.GetBytes(manifest));
        var items = new List<JsonObject>(Releases * RevisionsPerRelease);
        for (int r = 0; r < Releases; r++)
        {
            string name = $"svc-{r:0000}";
            string ns = $"team-{r % 8}";
            for (int v = 1; v <= RevisionsPerRelease; v++)
            {
                var json = new JsonObject
                {
                    ["name"] = name,
                    ["info"] = new JsonObject
                    {
                        ["first_deployed"] = "2025-01-01T00:00:00Z",
                        ["last_deployed"] = HelmReleaseCodec.FormatTime(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes((r * 10) + v)),
                        ["description"] = v == 1 ? "Install complete" : "Upgrade complete",
                        ["status"] = v == RevisionsPerRelease ? (r % 10 == 0 ? "failed" : "deployed") : "superseded",
                        ["notes"] = "Thank you for installing " + name,
                    },
                    ["chart"] = new JsonObject
                    {
                        ["metadata"] = new JsonObject { ["name"] = "svc", ["version"] = $"1.{v}.0", ["appVersion"] = $"2.{v}", ["apiVersion"] = "v2" },
                        ["templates"] = new JsonArray(new JsonObject { ["name"] = "templates/all.yaml", ["data"] = template }),
                        ["values"] = new JsonObject { ["replicaCount"] = 1, ["image"] = new JsonObject { ["repository"] = "registry/svc", ["tag"] = "2." + v } },
                    },
                    ["config"] = new JsonObject { ["replicaCount"] = v },
                    ["manifest"] = manifest,
                    ["version"] = v,
                    ["namespace"] = ns,
                };
                HelmRelease release = HelmReleaseCodec.FromJson(Encoding.UTF8.GetBytes(json.ToJsonString()));
                var labels = new JsonObject();
                foreach (var (k, value) in ReleaseStorageLabels.ForObject(release, 1735689600, null))
                {
                    labels[k] = value;
                }

                items.Add(new JsonObject
                {
                    ["apiVersion"] = "v1",
                    ["kind"] = "Secret",
                    ["metadata"] = new JsonObject { ["name"] = release.StorageKey, ["namespace"] = ns, ["labels"] = labels, ["resourceVersion"] = "1" },
                    ["type"] = ReleaseStorageLabels.ReleaseType,
                    ["data"] = new JsonObject { ["release"] = FastSecretData(release) },
                });
            }
        }

        return items;
    }

    /// <summary>Helm's encoding with the fastest gzip level, to keep the setup short (decoding cost is the same).</summary>
    private static string FastSecretData(HelmRelease release)
    {
        byte[] json = Encoding.UTF8.GetBytes(HelmReleaseCodec.ToJson(release).ToJsonString());
        using var buffer = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(buffer, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(json);
        }

        return Convert.ToBase64String(Encoding.ASCII.GetBytes(Convert.ToBase64String(buffer.ToArray())));
    }

    /// <summary>
    /// Serves prebuilt Secrets as list pages and a watch that stays open; stands in for the API server until the
    /// benchmark runs against the emulator.
    /// </summary>
    private sealed class SecretsSource(List<JsonObject> items) : IKubernetesResourceClient
    {
        public List<JsonObject> Items { get; } = items;

        public long PayloadBytes => Items.Sum(i => (long)i["data"]!["release"]!.GetValue<string>().Length);

        public Task<ResourceList> ListAsync(ResourceType type, string? @namespace, ListOptions? options = null, CancellationToken cancellationToken = default)
        {
            int start = options?.Continue is string c ? int.Parse(c, System.Globalization.CultureInfo.InvariantCulture) : 0;
            var matching = @namespace is null ? Items : Items.Where(i => i["metadata"]!["namespace"]!.GetValue<string>() == @namespace).ToList();
            int limit = options?.Limit ?? matching.Count;
            var page = matching.Skip(start).Take(limit).ToList();
            string? next = start + page.Count < matching.Count ? (start + page.Count).ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
            return Task.FromResult(new ResourceList(page, "1", next));
        }

        public async IAsyncEnumerable<WatchEvent> WatchAsync(ResourceType type, string? @namespace, WatchOptions options, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            yield break;
        }

        public Task<JsonObject> GetAsync(ResourceType type, string? @namespace, string name, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<JsonObject> CreateAsync(ResourceType type, string? @namespace, JsonObject body, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<JsonObject> ReplaceAsync(ResourceType type, string? @namespace, string name, JsonObject body, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<JsonObject> PatchAsync(ResourceType type, string? @namespace, string name, Patch patch, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task DeleteAsync(ResourceType type, string? @namespace, string name, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
