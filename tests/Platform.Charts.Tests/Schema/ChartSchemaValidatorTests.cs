using System.Text.Json.Nodes;
using Platform.Abstractions;
using Platform.Charts.Loading;
using Platform.Charts.Schema;
using Platform.Charts.Values;
using Xunit.Abstractions;

namespace Platform.Charts.Tests.Schema;

public sealed class ChartSchemaValidatorTests(ITestOutputHelper output)
{
    private static string Charts => Path.Combine(SchemaSuite.Shared, "corpus", "charts");

    private static string HelmUtil(string name) => Path.Combine(Charts, "helm-testdata", "pkg", "chart", "common", "util", "testdata", name);

    private static string TestChart(string name) => Path.Combine(Charts, "helm-testdata", "pkg", "cmd", "testdata", "testcharts", name);

    [Fact]
    public void FormatErrors_HelmNegativeFixture_MatchesHelmV4TextExactly()
    {
        // helm pkg/chart/common/util/jsonschema_test.go, TestValidateAgainstSingleSchemaNegative
        CompiledSchema schema = CompiledSchema.Parse(File.ReadAllText(HelmUtil("test-values.schema.json")));
        JsonObject values = ValuesYaml.Parse(File.ReadAllText(HelmUtil("test-values-negative.yaml")));

        SchemaValidationResult result = schema.Validate(values);

        Assert.False(result.IsValid);
        Assert.Equal("- at '': missing property 'employmentInfo'\n- at '/age': minimum: got -5, want 0\n", ChartSchemaResult.FormatErrors(result.Errors));
        Assert.Equal(["required", "minimum"], result.Errors.Select(e => e.Keyword));
        Assert.Equal("#/properties/age/minimum", result.Errors[1].SchemaLocation);
    }

    [Fact]
    public void Validate_HelmPositiveFixture_IsValid()
    {
        CompiledSchema schema = CompiledSchema.Parse(File.ReadAllText(HelmUtil("test-values.schema.json")));
        Assert.True(schema.Validate(ValuesYaml.Parse(File.ReadAllText(HelmUtil("test-values.yaml")))).IsValid);
    }

    [Fact]
    public void Parse_HelmInvalidSchemaFixture_ThrowsSchemaException()
    {
        var ex = Assert.Throws<SchemaException>(() => CompiledSchema.Parse(File.ReadAllText(HelmUtil("test-values-invalid.schema.json"))));
        // Helm: "... is not valid against metaschema: ... - at '': got number, want boolean or object"
        Assert.Equal("The schema is not valid against its meta-schema https://json-schema.org/draft/2020-12/schema:\n- at '': got number, want object or boolean", ex.Message);
    }

    [Fact]
    public async Task Validate_ChartWithSchemaAndSubchart_ReportsParentThenSubchartAsHelm()
    {
        Chart chart = (await ChartLoader.LoadAsync(TestChart("chart-with-schema-and-subchart"))).Chart;

        ChartSchemaResult result = ChartSchemaValidator.Validate(chart, null);

        Assert.Equal(
            "values don't meet the specifications of the schema(s) in the following chart(s):\n"
            + "chart-without-schema:\n- at '': missing property 'lastname'\n"
            + "subchart-with-schema:\n- at '': missing property 'age'\n",
            result.ToHelmText());
        Assert.Equal(["", "subchart-with-schema"], result.Violations.Select(v => v.ValuesPath));
    }

    [Fact]
    public async Task Validate_UserValuesFixTheChart_IsValid()
    {
        Chart chart = (await ChartLoader.LoadAsync(TestChart("chart-with-schema-and-subchart"))).Chart;
        var user = new JsonObject { ["lastname"] = "Doe", ["subchart-with-schema"] = new JsonObject { ["age"] = 25 } };

        ChartSchemaResult result = ChartSchemaValidator.Validate(chart, user);

        Assert.True(result.IsValid, result.ToHelmText());
        Assert.Equal(string.Empty, result.ToHelmText());
    }

    [Fact]
    public async Task Validate_SubchartSectionNotAMap_ReportsHelmTypeMessage()
    {
        Chart chart = (await ChartLoader.LoadAsync(TestChart("chart-with-schema-and-subchart"))).Chart;
        var values = new JsonObject { ["firstname"] = "a", ["lastname"] = "b", ["subchart-with-schema"] = "oops" };
        var computed = Platform.Charts.Dependencies.ChartValues.Compute(chart, null);

        ChartSchemaResult result = ChartSchemaValidator.Validate(computed.Chart, values);

        Assert.Equal(
            "values don't meet the specifications of the schema(s) in the following chart(s):\nsubchart-with-schema:\ninvalid type for values: expected object (map), got string\n",
            result.ToHelmText());
    }

    [Fact]
    public async Task Validate_SubchartSchemaSeesGlobals_FromTheParent()
    {
        Chart chart = (await ChartLoader.LoadAsync(TestChart("chart-with-schema-and-subchart"))).Chart;
        var user = new JsonObject { ["lastname"] = "Doe", ["global"] = new JsonObject { ["region"] = "eu" }, ["subchart-with-schema"] = new JsonObject { ["age"] = -1 } };

        ChartSchemaResult result = ChartSchemaValidator.Validate(chart, user);

        ChartSchemaViolation sub = Assert.Single(result.Violations);
        Assert.Equal("subchart-with-schema", sub.Chart);
        Assert.Equal("/age", Assert.Single(sub.Errors).InstanceLocation);
    }

    public static TheoryData<string, string, string> CorpusVerdicts()
    {
        var data = new TheoryData<string, string, string>();
        foreach (string line in File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Schema", "corpus-verdicts.txt")))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            string[] parts = line.Split(" | ");
            data.Add(parts[0], parts[1], parts.Length > 2 ? parts[2] : string.Empty);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CorpusVerdicts))]
    public void Validate_CorpusSchemaOnItsOwnDefaults_GivesTheReferenceVerdict(string path, string verdict, string reason)
    {
        string dir = Path.Combine(Charts, path);
        string valuesPath = Path.Combine(dir, "values.yaml");
        JsonObject values = File.Exists(valuesPath) ? ValuesYaml.Parse(File.ReadAllText(valuesPath), valuesPath) : [];
        Assert.True(verdict == "valid" || reason.Length > 0, "a non-valid verdict needs a reason");

        CompiledSchema schema;
        try
        {
            schema = CompiledSchema.Parse(File.ReadAllText(Path.Combine(dir, "values.schema.json")), fileName: path + "/values.schema.json");
        }
        catch (SchemaException ex)
        {
            output.WriteLine(ex.Message);
            Assert.Equal("schema-error", verdict);
            return;
        }

        SchemaValidationResult result = schema.Validate(values);
        output.WriteLine(ChartSchemaResult.FormatErrors(result.Errors));
        Assert.Equal(verdict, result.IsValid ? "valid" : "invalid");
        Assert.Equal(result.IsValid, schema.IsValid(values));
    }

    [Fact]
    public void CorpusVerdicts_ListEverySchemaInTheCorpus()
    {
        var listed = CorpusVerdicts().Select(row => (string)row[0]).ToHashSet(StringComparer.Ordinal);
        var found = Directory.EnumerateFiles(Charts, "values.schema.json", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Charts, Path.GetDirectoryName(f)!).Replace('\\', '/'))
            .ToList();
        Assert.True(found.Count >= 40, $"only {found.Count} schemas found");
        string[] unlisted = found.Where(f => !listed.Contains(f)).ToArray();
        string[] stale = listed.Where(l => !found.Contains(l)).ToArray();
        Assert.True(unlisted.Length == 0, "not in corpus-verdicts.txt: " + string.Join(", ", unlisted));
        Assert.True(stale.Length == 0, "listed but not in the corpus: " + string.Join(", ", stale));
    }
}

/// <summary>Helm's own check (parent schema on the computed values, each subchart's on its section) over whole corpus charts.</summary>
public sealed class CorpusChartValidationTests(ITestOutputHelper output)
{
    // Pinned verdicts of ChartSchemaValidator.Validate(chart, no user values); a reason for anything not valid.
    public static TheoryData<string, string, string> Charts() => new()
    {
        { "alertmanager", "valid", "" },
        { "bitnami-redis-18.4.0", "valid", "" },
        { "bitnami-wordpress", "valid", "" },
        { "bitnami-wordpress-9.0.2", "valid", "" },
        { "cert-manager", "valid", "" },
        { "cilium", "valid", "" },
        { "epinio", "valid", "" },
        { "external-secrets", "valid", "" },
        { "k8s-monitoring", "valid", "" },
        { "kubeapps", "valid", "" },
        { "nginx-ingress", "schema-error", "the schema's $refs point at raw.githubusercontent.com; remote references are not fetched without a resolver" },
        { "opentelemetry-collector", "valid", "" },
        { "opentelemetry-demo", "valid", "" },
        { "opentelemetry-operator", "valid", "" },
        { "prometheus", "valid", "" },
        { "vault", "valid", "" },
        { "ingress-nginx", "valid", "no schema anywhere in the chart: nothing to check" },
        { "kube-prometheus-stack", "valid", "no schema anywhere in the chart: nothing to check" },
    };

    [Theory]
    [MemberData(nameof(Charts))]
    public async Task Validate_CorpusChartDefaultsAsHelm_GivesThePinnedVerdict(string chart, string verdict, string reason)
    {
        var loaded = await Platform.Charts.Loading.ChartLoader.LoadAsync(Path.Combine(SchemaSuite.Shared, "corpus", "charts", chart));
        try
        {
            ChartSchemaResult result = ChartSchemaValidator.Validate(loaded.Chart, null);
            output.WriteLine(result.ToHelmText());
            Assert.Equal(verdict, result.IsValid ? "valid" : "invalid");
        }
        catch (SchemaException ex)
        {
            output.WriteLine(ex.Message);
            Assert.Equal("schema-error", verdict);
            Assert.NotEmpty(reason);
        }
    }
}
