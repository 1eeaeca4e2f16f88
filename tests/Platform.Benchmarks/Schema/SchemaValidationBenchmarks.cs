using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Newtonsoft.Json.Linq;
using Platform.Charts.Schema;
using Platform.Charts.Values;
using Platform.Tests.Shared;

namespace Platform.Benchmarks.Schema;

/// <summary>
/// Validates a values document of more than 1 MB against the real <c>values.schema.json</c> of the
/// opentelemetry-collector chart (40 KB, <c>additionalProperties: false</c> almost everywhere), against NJsonSchema
/// 10.7.2 (the Baseline) on the same document. The document is the chart's own defaults plus an ingress section with
/// thousands of hosts, paths and additional ingresses, so every byte of it is checked by a subschema (objects closed
/// with <c>additionalProperties: false</c>, <c>required</c>, <c>enum</c>, <c>integer</c>). Both validators get a
/// pre-parsed tree (JsonNode / JToken) and a pre-compiled schema.
/// </summary>
[MemoryDiagnoser]
public class SchemaValidationBenchmarks
{
    private const int Methods = 3;
    private static Prepared? s_prepared;
    private static int s_cleanups;
    private CompiledSchema _ours = null!;
    private NJsonSchema.JsonSchema _njson = null!;
    private JsonNode _instance = null!;
    private JToken _token = null!;

    [GlobalSetup]
    public void Setup()
    {
        // BenchmarkDotNet runs the setup once per benchmark: build the document, parse both trees, compile both schemas
        // and warm both validators once per process, then share them (NJsonSchema's schema object is built only here).
        Prepared p = s_prepared ??= Prepared.Create();
        (_ours, _njson, _instance, _token) = (p.Ours, p.NJson, p.Instance, p.Token);
        GC.Collect();
        GC.WaitForPendingFinalizers();
    }

    /// <summary>Drops the shared trees after the class's last benchmark (see <c>MultilineBenchmarks.Cleanup</c>).</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        (_instance, _token) = (null!, null!);
        if (++s_cleanups % Methods == 0)
        {
            s_prepared = null;
        }
    }

    [Benchmark(Baseline = true)]
    public int NJsonSchema_Validate() => _njson.Validate(_token).Count;

    [Benchmark]
    public bool Platform_Validate() => _ours.Validate(_instance).IsValid;

    [Benchmark]
    public bool Platform_IsValid() => _ours.IsValid(_instance);

    /// <summary>The schema, compiled by both validators, and the document, parsed into both trees; built once.</summary>
    private sealed record Prepared(CompiledSchema Ours, NJsonSchema.JsonSchema NJson, JsonNode Instance, JToken Token)
    {
        public static Prepared Create()
        {
            string chart = Path.Combine(SharedCorpus.Charts, "opentelemetry-collector");
            string schemaText = File.ReadAllText(Path.Combine(chart, "values.schema.json"));
            JsonObject values = ValuesYaml.Parse(File.ReadAllText(Path.Combine(chart, "values.yaml")));
            values["ingress"] = BigIngress(targetBytes: 1_100_000);
            string json = values.ToJsonString();

            var p = new Prepared(
                CompiledSchema.Parse(schemaText),
                NJsonSchema.JsonSchema.FromJsonAsync(schemaText).GetAwaiter().GetResult(),
                JsonNode.Parse(json)!,
                JToken.Parse(json));

            SchemaValidationResult ours = p.Ours.Validate(p.Instance);
            int theirs = p.NJson.Validate(p.Token).Count;
            if (!ours.IsValid || theirs != 0)
            {
                throw new InvalidOperationException($"the benchmark document must be valid: ours {ours.IsValid} ({string.Join("; ", ours.Errors.Take(3))}), NJsonSchema {theirs} errors");
            }

            // Warm both validators up to tier-1 code here: in quick (in-process) mode, whichever benchmark runs right after
            // NJsonSchema otherwise pays for tiering and the collection of NJsonSchema's ~70 MB of garbage per call.
            for (int i = 0; i < 3; i++)
            {
                _ = p.NJson.Validate(p.Token);
            }

            for (int i = 0; i < 40; i++)
            {
                _ = p.Ours.Validate(p.Instance);
                _ = p.Ours.IsValid(p.Instance);
            }

            Console.WriteLine($"// document {json.Length / 1024} KiB, schema {schemaText.Length / 1024} KiB (opentelemetry-collector values.schema.json)");
            return p;
        }
    }

    private static JsonObject BigIngress(int targetBytes)
    {
        string[] pathTypes = ["Exact", "Prefix", "ImplementationSpecific"];
        JsonArray Hosts(int seed, int count)
        {
            var hosts = new JsonArray();
            for (int h = 0; h < count; h++)
            {
                var paths = new JsonArray();
                for (int p = 0; p < 3; p++)
                {
                    paths.Add(new JsonObject { ["path"] = $"/api/v{p}/tenant-{seed}-{h}", ["pathType"] = pathTypes[(seed + p) % 3], ["port"] = 4317 + p });
                }

                hosts.Add(new JsonObject { ["host"] = $"collector-{seed}-{h}.example.com", ["paths"] = paths });
            }

            return hosts;
        }

        var additional = new JsonArray();
        var ingress = new JsonObject
        {
            ["enabled"] = true,
            ["ingressClassName"] = "nginx",
            ["annotations"] = new JsonObject { ["nginx.ingress.kubernetes.io/backend-protocol"] = "GRPC" },
            ["hosts"] = Hosts(0, 50),
            ["tls"] = new JsonArray(new JsonObject { ["secretName"] = "collector-tls", ["hosts"] = new JsonArray("collector-0-0.example.com") }),
            ["additionalIngresses"] = additional,
        };
        for (int i = 1; ingress.ToJsonString().Length < targetBytes; i++)
        {
            for (int k = 0; k < 50; k++, i++)
            {
                additional.Add(new JsonObject
                {
                    ["name"] = $"extra-{i}",
                    ["ingressClassName"] = "nginx",
                    ["annotations"] = new JsonObject { ["team"] = $"team-{i % 17}" },
                    ["hosts"] = Hosts(i, 2),
                    ["tls"] = new JsonArray(new JsonObject { ["secretName"] = $"tls-{i}", ["hosts"] = new JsonArray($"collector-{i}-0.example.com", $"collector-{i}-1.example.com") }),
                });
            }
        }

        return ingress;
    }
}
