using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.Abstractions;
using Platform.Charts.Schema;

namespace Platform.Charts.Tests.Schema;

/// <summary>Runs the official JSON Schema Test Suite (shared/conformance/json-schema-test-suite).</summary>
internal static class SchemaSuite
{
    public static readonly string[] Drafts = ["draft7", "draft2019-09", "draft2020-12"];

    private static readonly Lazy<string> SharedDir = new(FindShared);
    private static readonly ConcurrentDictionary<string, JsonArray> Files = new();

    public static string Shared => SharedDir.Value;

    public static string Root => Path.Combine(Shared, "conformance", "json-schema-test-suite");

    public static SchemaDraft ToDraft(string draft) => draft switch
    {
        "draft7" => SchemaDraft.Draft7,
        "draft2019-09" => SchemaDraft.Draft201909,
        _ => SchemaDraft.Draft202012,
    };

    /// <summary>The test files of a draft, relative to its folder (for example <c>ref.json</c>, <c>optional/bignum.json</c>).</summary>
    public static IEnumerable<string> TestFiles(string draft, bool optional)
    {
        string dir = Path.Combine(Root, "tests", draft);
        IEnumerable<string> files = optional
            ? Directory.EnumerateFiles(Path.Combine(dir, "optional"), "*.json", SearchOption.AllDirectories)
            : Directory.EnumerateFiles(dir, "*.json", SearchOption.TopDirectoryOnly);
        return files.Select(f => Path.GetRelativePath(dir, f).Replace('\\', '/')).OrderBy(f => f, StringComparer.Ordinal);
    }

    public static JsonArray Load(string draft, string file) =>
        Files.GetOrAdd(draft + "/" + file, _ => (JsonArray)JsonNode.Parse(File.ReadAllText(Path.Combine(Root, "tests", draft, file)))!);

    public static ISchemaResolver Remotes { get; } = new RemoteResolver();

    /// <summary>One test outcome.</summary>
    public sealed record Outcome(string Draft, string File, string Case, string Test, bool Passed, string Detail);

    /// <summary>Runs every test of one file.</summary>
    public static List<Outcome> Run(string draft, string file)
    {
        bool formatFile = file.StartsWith("optional/format/", StringComparison.Ordinal);
        var options = new SchemaOptions
        {
            DefaultDraft = ToDraft(draft),
            Resolver = Remotes,
            Format = formatFile ? FormatAssertion.Always : FormatAssertion.Default,
        };
        var outcomes = new List<Outcome>();
        foreach (JsonNode? group in Load(draft, file))
        {
            string description = group!["description"]!.GetValue<string>();
            CompiledSchema? schema = null;
            string? compileError = null;
            try
            {
                schema = CompiledSchema.Compile(group["schema"], options);
            }
            catch (SchemaException ex)
            {
                compileError = ex.Message;
            }

            foreach (JsonNode? test in group["tests"]!.AsArray())
            {
                string testDescription = test!["description"]!.GetValue<string>();
                bool expected = test["valid"]!.GetValue<bool>();
                if (schema is null)
                {
                    outcomes.Add(new Outcome(draft, file, description, testDescription, false, "compile failed: " + compileError));
                    continue;
                }

                try
                {
                    SchemaValidationResult result = schema.Validate(test["data"]);
                    bool fast = schema.IsValid(test["data"]);
                    bool passed = result.IsValid == expected && fast == expected && (result.IsValid || result.Errors.Count > 0);
                    outcomes.Add(new Outcome(draft, file, description, testDescription, passed,
                        passed ? string.Empty : $"expected {(expected ? "valid" : "invalid")}, Validate said {result.IsValid}, IsValid said {fast}"));
                }
                catch (SchemaException ex)
                {
                    outcomes.Add(new Outcome(draft, file, description, testDescription, false, "threw: " + ex.Message));
                }
            }
        }

        return outcomes;
    }

    private static string FindShared()
    {
        string? env = Environment.GetEnvironmentVariable("PLATFORM_SHARED_DIR");
        if (!string.IsNullOrEmpty(env) && Directory.Exists(Path.Combine(env, "conformance")))
        {
            return env;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared");
            if (Directory.Exists(Path.Combine(candidate, "conformance")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("shared/conformance was not found: set PLATFORM_SHARED_DIR or place the repository next to shared/.");
    }

    /// <summary>Serves the suite's remotes/ folder as http://localhost:1234/.</summary>
    private sealed class RemoteResolver : ISchemaResolver
    {
        public JsonNode? Resolve(Uri uri)
        {
            if (uri.Scheme != "http" || uri.Host != "localhost" || uri.Port != 1234)
            {
                return null;
            }

            string path = Path.Combine(Root, "remotes", uri.AbsolutePath.TrimStart('/'));
            return File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path)) : null;
        }
    }
}
