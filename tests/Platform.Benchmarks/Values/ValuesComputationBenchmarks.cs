using System.Text;
using BenchmarkDotNet.Attributes;
using Platform.Charts.Dependencies;
using Platform.Charts.Loading;
using Platform.Charts.Values;
using YamlDotNet.RepresentationModel;

namespace Platform.Benchmarks.Values;

/// <summary>
/// Values computation for an umbrella chart with 20 subcharts and about 5,000 keys in all, against plain YAML
/// parsing of the same files (YamlDotNet's representation model, the Baseline).
/// </summary>
[MemoryDiagnoser]
public class ValuesComputationBenchmarks
{
    private const int Subcharts = 20;
    private const int KeysPerChart = 238; // 21 charts x ~238 leaf keys = ~5,000 keys
    private static bool s_warmed;
    private string _dir = string.Empty;
    private Chart _chart = null!;
    private string[] _texts = [];
    private JsonObjectHolder _user = null!;

    [GlobalSetup]
    public void Setup()
    {
        _dir = Environment.GetEnvironmentVariable("BENCH_KEEP_DIR") ?? Path.Combine(Path.GetTempPath(), "platform-bench-umbrella-" + Environment.ProcessId);
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }

        var deps = new StringBuilder("dependencies:\n");
        for (int s = 0; s < Subcharts; s++)
        {
            string name = $"service{s:00}";
            deps.Append($"  - name: {name}\n    version: \"~1.{s}.0\"\n    condition: {name}.enabled\n    tags: [tier{s % 3}]\n");
            if (s % 4 == 0)
            {
                deps.Append("    import-values:\n      - child: exported\n        parent: imported").Append(s).Append('\n');
            }

            WriteChart(Path.Combine(_dir, "charts", name), name, $"1.{s}.3", string.Empty, ValuesFile(name, s));
        }

        WriteChart(_dir, "umbrella", "1.0.0", deps.ToString(), ValuesFile("umbrella", 99) + "global:\n  imageRegistry: registry.local\n  storageClass: fast\ntags:\n  tier0: true\n");
        _chart = ChartLoader.LoadAsync(_dir).GetAwaiter().GetResult().Chart;
        _texts = new[] { _chart.ValuesText! }.Concat(_chart.Subcharts.Select(c => c.ValuesText!)).ToArray();
        _user = new JsonObjectHolder(ValuesYaml.Parse("service03:\n  replicas: 5\n  image:\n    tag: v2\nglobal:\n  imageRegistry: mirror.local\n"));

        int keys = _texts.Sum(t => CountLeaves(ValuesYaml.Parse(t)));
        Console.WriteLine($"// umbrella with {Subcharts} subcharts, {keys} leaf keys in {_texts.Length} values files, {_texts.Sum(t => t.Length) / 1024} KiB");

        // Quick mode runs in-process with one warm-up: bring all three methods to tier-1 code once per process (at least
        // 30 calls each, the tiering threshold, and 1.5 s, since call counting starts only after a quiet period), so that
        // no measured iteration runs tier-0 code and the ratios are stable.
        if (!s_warmed && Environment.GetCommandLineArgs().Contains("--quick"))
        {
            s_warmed = true;
            var warm = System.Diagnostics.Stopwatch.StartNew();
            for (int i = 0; i < 30 || warm.ElapsedMilliseconds < 1500; i++)
            {
                _ = PlainYamlParse();
                _ = ValuesParse();
                _ = Compute();
            }

            Thread.Sleep(200); // let the background JIT finish the tier-1 versions
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Benchmark(Baseline = true, Description = "plain YAML parse (YamlDotNet model)")]
    public int PlainYamlParse()
    {
        int nodes = 0;
        foreach (string text in _texts)
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            nodes += stream.Documents.Count;
        }

        return nodes;
    }

    [Benchmark(Description = "ValuesYaml.Parse (Helm rules)")]
    public int ValuesParse()
    {
        int count = 0;
        foreach (string text in _texts)
        {
            count += ValuesYaml.Parse(text).Count;
        }

        return count;
    }

    [Benchmark(Description = "ChartValues.Compute (parse + deps + coalesce)")]
    public int Compute() => ChartValues.Compute(_chart, _user.Value).Values.Count;

    private static string ValuesFile(string name, int seed)
    {
        var sb = new StringBuilder();
        sb.Append("enabled: true\nreplicas: 1\nimage:\n  repository: registry/").Append(name).Append("\n  tag: \"1.0\"\n  pullPolicy: IfNotPresent\n");
        sb.Append("exported:\n  endpoint: http://").Append(name).Append(":8080\n  timeoutSeconds: 30\n");
        int written = 7;
        int section = 0;
        while (written < KeysPerChart)
        {
            sb.Append("section").Append(section).Append(":\n");
            for (int i = 0; i < 10 && written < KeysPerChart; i++, written++)
            {
                switch ((i + seed) % 5)
                {
                    case 0: sb.Append($"  key{i}: value-{seed}-{section}-{i}\n"); break;
                    case 1: sb.Append($"  key{i}: {seed * 1000 + i}\n"); break;
                    case 2: sb.Append($"  key{i}: {(i % 2 == 0 ? "true" : "false")}\n"); break;
                    case 3: sb.Append($"  key{i}:\n    nested: \"{i}\"\n    list: [a, b, c]\n"); break;
                    default: sb.Append($"  key{i}: null\n"); break;
                }
            }

            section++;
        }

        return sb.ToString();
    }

    private static void WriteChart(string dir, string name, string version, string extra, string values)
    {
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "Chart.yaml"), $"apiVersion: v2\nname: {name}\nversion: {version}\n{extra}");
        File.WriteAllText(Path.Combine(dir, "values.yaml"), values);
    }

    private static int CountLeaves(System.Text.Json.Nodes.JsonNode? node) => node switch
    {
        System.Text.Json.Nodes.JsonObject o => o.Sum(p => CountLeaves(p.Value)),
        _ => 1,
    };

    /// <summary>Keeps the user values out of BenchmarkDotNet's parameter handling.</summary>
    private sealed record JsonObjectHolder(System.Text.Json.Nodes.JsonObject Value);
}
