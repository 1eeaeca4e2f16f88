using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.Abstractions;
using Platform.Charts.Dependencies;
using Platform.Charts.Loading;
using Platform.Charts.Tests.Loading;
using Platform.Charts.Values;
using Platform.Tests.Shared;

namespace Platform.Charts.Tests.Dependencies;

/// <summary>Helm's dependency processing tests (pkg/chart/v2/util/dependencies_test.go) restated as data over its fixtures.</summary>
public sealed class ChartValuesTests
{
    private static string Fixture(string name) =>
        Path.Combine(SharedCorpus.Charts, "helm-testdata", "pkg", "chart", "v2", "util", "testdata", name);

    private static async Task<Chart> Load(string path) => (await ChartLoader.LoadAsync(path)).Chart;

    public static TheoryData<string, string, string[]> EnabledCases => new()
    {
        { "tags with no effect", """{"tags":{"nothinguseful":false}}""", ["parentchart", "parentchart.subchart1", "parentchart.subchart1.subcharta", "parentchart.subchart1.subchartb"] },
        { "tags disabling a group", """{"tags":{"front-end":false}}""", ["parentchart"] },
        { "tags disabling a group and enabling a different group", """{"tags":{"front-end":false,"back-end":true}}""", ["parentchart", "parentchart.subchart2", "parentchart.subchart2.subchartb", "parentchart.subchart2.subchartc"] },
        { "tags disabling only children", """{"tags":{"subcharta":false,"subchartb":false}}""", ["parentchart", "parentchart.subchart1", "parentchart.subchart1.subcharta", "parentchart.subchart1.subchartb"] },
        { "tags disabling all with a tag re-enabling a parent", """{"tags":{"front-end":false,"subchart1":true,"back-end":false}}""", ["parentchart", "parentchart.subchart1"] },
        { "conditions enabling the parent charts", """{"subchart1":{"enabled":true},"subchart2":{"enabled":true}}""", ["parentchart", "parentchart.subchart1", "parentchart.subchart1.subcharta", "parentchart.subchart1.subchartb", "parentchart.subchart2"] },
        { "conditions disabling the parent charts", """{"subchart1":{"enabled":false},"subchart2":{"enabled":false}}""", ["parentchart"] },
        { "second condition path of a child", """{"subchart1":{"subcharta":{"enabled":false}}}""", ["parentchart", "parentchart.subchart1", "parentchart.subchart1.subchartb"] },
        { "tags enabling a group with a condition disabling one child", """{"subchart2":{"subchartc":{"enabled":false}},"tags":{"back-end":true}}""", ["parentchart", "parentchart.subchart1", "parentchart.subchart1.subcharta", "parentchart.subchart1.subchartb", "parentchart.subchart2", "parentchart.subchart2.subchartb"] },
        { "tags do not enable a child whose condition disables it", """{"subchart1":{"enabled":false},"tags":{"front-end":true}}""", ["parentchart"] },
        { "aliases respect conditions", """{"subchart1":{"enabled":false},"subchart2alias":{"enabled":true,"subchartb":{"enabled":true}}}""", ["parentchart", "parentchart.subchart2alias", "parentchart.subchart2alias.subchartb"] },
    };

    [Theory]
    [MemberData(nameof(EnabledCases))]
    public async Task Compute_Subpop_EnablesChartsAsHelm(string name, string userJson, string[] expected)
    {
        _ = name;
        Chart chart = await Load(Fixture("subpop"));
        ChartValuesResult result = ChartValues.Compute(chart, JsonNode.Parse(userJson)!.AsObject());
        Assert.Equal(expected, Names(result.Chart).Order(StringComparer.Ordinal).ToArray());
    }

    public static TheoryData<string, string> ImportExpectations => new()
    {
        { "imported-chart1.SC1bool", "true" }, { "imported-chart1.SC1float", "3.14" }, { "imported-chart1.SC1int", "100" },
        { "imported-chart1.SC1string", "dollywood" }, { "imported-chart1.SC1extra1", "11" }, { "imported-chart1.SPextra1", "helm rocks" },
        { "imported-chartA.SCAbool", "false" }, { "imported-chartA.SCAfloat", "3.1" }, { "imported-chartA.SCAint", "55" },
        { "imported-chartA.SCAstring", "jabba" }, { "imported-chartA.SPextra3", "1.337" }, { "imported-chartA.SC1extra2", "1.337" },
        { "imported-chartA.SCAnested1.SCAnested2", "true" },
        { "imported-chartA-B.SCAbool", "false" }, { "imported-chartA-B.SCAfloat", "3.1" }, { "imported-chartA-B.SCAint", "55" },
        { "imported-chartA-B.SCAstring", "jabba" }, { "imported-chartA-B.SCBbool", "true" }, { "imported-chartA-B.SCBfloat", "7.77" },
        { "imported-chartA-B.SCBint", "33" }, { "imported-chartA-B.SCBstring", "boba" }, { "imported-chartA-B.SPextra5", "k8s" },
        { "imported-chartA-B.SC1extra5", "tiller" },
        { "overridden-chart1.SC1bool", "false" }, { "overridden-chart1.SC1float", "3.141592" }, { "overridden-chart1.SC1int", "99" },
        { "overridden-chart1.SC1string", "pollywog" }, { "overridden-chart1.SPextra2", "42" },
        { "overridden-chartA.SCAbool", "true" }, { "overridden-chartA.SCAfloat", "41.3" }, { "overridden-chartA.SCAint", "808" },
        { "overridden-chartA.SCAstring", "jabberwocky" }, { "overridden-chartA.SPextra4", "true" },
        { "overridden-chartA-B.SCAbool", "true" }, { "overridden-chartA-B.SCAfloat", "41.3" }, { "overridden-chartA-B.SCAint", "808" },
        { "overridden-chartA-B.SCAstring", "jabberwocky" }, { "overridden-chartA-B.SCBbool", "false" }, { "overridden-chartA-B.SCBfloat", "1.99" },
        { "overridden-chartA-B.SCBint", "77" }, { "overridden-chartA-B.SCBstring", "jango" }, { "overridden-chartA-B.SPextra6", "111" },
        { "overridden-chartA-B.SCAextra1", "23" }, { "overridden-chartA-B.SCBextra1", "13" }, { "overridden-chartA-B.SC1extra6", "77" },
        { "SCBexported1B", "1965" }, { "SC1extra7", "true" }, { "SCBexported2A", "blaster" },
        { "global.SC1exported2.all.SC1exported3", "SC1expstr" },
    };

    [Theory]
    [MemberData(nameof(ImportExpectations))]
    public async Task Compute_Subpop_ImportsValuesAsHelm(string path, string expected)
    {
        Chart chart = await Load(Fixture("subpop"));
        ChartValuesResult result = ChartValues.Compute(chart, null);
        Assert.Equal(expected, Text(PathValue(result.Chart.Defaults, path)));
        Assert.Equal(expected, Text(PathValue(result.Values, path)));
    }

    [Fact]
    public async Task Compute_Subpop_TopLevelNullKept()
    {
        // Import processing merges (keeps nulls); the top-level chart's own null survives coalescing (helm#32530).
        ChartValuesResult result = ChartValues.Compute(await Load(Fixture("subpop")), null);
        Assert.True(result.Values.ContainsKey("ensurenull"));
        Assert.Null(result.Values["ensurenull"]);
    }

    [Theory]
    [InlineData("app1.service.port", "3456")]
    [InlineData("app2.service.port", "8080")]
    [InlineData("app3.service.port", "9090")]
    [InlineData("app4.service.port", "1234")]
    public async Task Compute_ThreeLevelUmbrella_ImportPrecedenceAsHelm(string path, string expected)
    {
        ChartValuesResult result = ChartValues.Compute(await Load(Path.Combine(Fixture("three-level-dependent-chart"), "umbrella")), null);
        Assert.Equal(expected, Text(PathValue(result.Values, path)));
    }

    [Fact]
    public async Task Compute_ImportFromEnabledSubchartOnly()
    {
        ChartValuesResult result = ChartValues.Compute(await Load(Path.Combine(Fixture("import-values-from-enabled-subchart"), "parent-chart")), null);
        Assert.Equal(["parent-chart", "parent-chart.prod"], Names(result.Chart).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal("parent-chart-prod", (string?)result.Chart.Dependencies[0].Defaults["nameOverride"]);
    }

    [Fact]
    public async Task Compute_DependentChartAlias_AddsAliasCopies()
    {
        ChartValuesResult result = ChartValues.Compute(await Load(Fixture("dependent-chart-alias")), null);
        Assert.Equal(3, result.Chart.Dependencies.Count);
    }

    [Theory]
    [InlineData("dependent-chart-no-requirements-yaml", 2)]
    [InlineData("dependent-chart-with-all-in-requirements-yaml", 2)]
    [InlineData("dependent-chart-with-mixed-requirements-yaml", 2)]
    public async Task Compute_SubchartsNotDeclared_AreKept(string fixture, int expected)
    {
        ChartValuesResult result = ChartValues.Compute(await Load(Fixture(fixture)), null);
        Assert.Equal(expected, result.Chart.Dependencies.Count);
    }

    [Fact]
    public async Task Compute_ChartAliasedTwice_EachAliasHasItsOwnGrandchild()
    {
        ChartValuesResult result = ChartValues.Compute(await Load(Fixture("chart-with-dependency-aliased-twice")), null);
        Assert.Equal(
            ["chart-with-dependency-aliased-twice", "chart-with-dependency-aliased-twice.bar", "chart-with-dependency-aliased-twice.bar.grandchild", "chart-with-dependency-aliased-twice.foo", "chart-with-dependency-aliased-twice.foo.grandchild"],
            Names(result.Chart).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal("foo", (string?)result.Values["foo"]!["grandchild"]!["from"]);
        Assert.Equal("bar", (string?)result.Values["bar"]!["grandchild"]!["from"]);
    }

    [Fact]
    public async Task Compute_ImportThroughAliases_ImportsIntoEachAlias()
    {
        ChartValuesResult result = ChartValues.Compute(await Load(Fixture("chart-with-import-from-aliased-dependencies")), null);
        Assert.Equal("42", (string?)result.Values["foo-defaults"]!["defaultValue"]);
        Assert.Equal("42", (string?)result.Values["bar-defaults"]!["defaultValue"]);
    }

    [Fact]
    public async Task Compute_MissingDependency_WarnsByDefault_ErrorsWhenAsked()
    {
        Chart chart = await Load(Path.Combine(SharedCorpus.Charts, "prometheus"));
        ChartValuesResult result = ChartValues.Compute(chart, null);
        Assert.Contains(result.Warnings, w => w.Message.Contains("missing in charts/", StringComparison.Ordinal));

        var ex = Assert.Throws<ChartException>(() => ChartValues.Compute(chart, null, new ChartValuesOptions { MissingDependencies = MissingDependencyHandling.Error }));
        Assert.Contains("missing in charts/", ex.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string> CorpusCharts()
    {
        var data = new TheoryData<string>();
        foreach (string dir in Directory.GetDirectories(SharedCorpus.Charts).Order(StringComparer.Ordinal))
        {
            if (File.Exists(Path.Combine(dir, "Chart.yaml")))
            {
                data.Add(Path.GetFileName(dir));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CorpusCharts))]
    public async Task Compute_EveryCorpusChart_ComputesWithoutErrorAndKeepsDefaults(string name)
    {
        Chart chart = await Load(Path.Combine(SharedCorpus.Charts, name));
        string before = chart.ValuesText ?? string.Empty;
        ChartValuesResult result = ChartValues.Compute(chart, null);

        // With no user values, every top-level default of the chart survives (nulls included, helm#32530).
        JsonObject defaults = chart.ValuesText is null ? new JsonObject() : ValuesYaml.Parse(chart.ValuesText);
        foreach (var (key, value) in defaults)
        {
            Assert.True(result.Values.ContainsKey(key), key);
            if (value is not JsonObject)
            {
                Assert.True(JsonNode.DeepEquals(value, result.Values[key]), key);
            }
        }

        Assert.Equal(before, chart.ValuesText ?? string.Empty);
    }

    [Fact]
    public async Task Compute_Wordpress_GlobalsReachEverySubchart()
    {
        Chart chart = await Load(Path.Combine(SharedCorpus.Charts, "bitnami-wordpress"));
        ChartValuesResult result = ChartValues.Compute(chart, JsonNode.Parse("""{"global":{"imageRegistry":"mirror.local"},"memcached":{"enabled":true}}""")!.AsObject());
        Assert.Equal("mirror.local", (string?)result.Values["mariadb"]!["global"]!["imageRegistry"]);
        Assert.Equal("mirror.local", (string?)result.Values["memcached"]!["global"]!["imageRegistry"]);
        Assert.Equal("mirror.local", (string?)result.Values["common"]!["global"]!["imageRegistry"]);
        Assert.Null(result.Values["global"]!["memcached"]);
    }

    [Fact]
    public async Task Compute_Wordpress_DisabledSubchartGetsNoGlobals()
    {
        // memcached.enabled defaults to false: the subchart is dropped, its section stays as plain parent values.
        ChartValuesResult result = ChartValues.Compute(await Load(Path.Combine(SharedCorpus.Charts, "bitnami-wordpress")), null);
        Assert.DoesNotContain(result.Chart.Dependencies, d => d.Name == "memcached");
        Assert.False(result.Values["memcached"]!.AsObject().ContainsKey("global"));
        Assert.True(result.Values["mariadb"]!.AsObject().ContainsKey("global"));
    }

    private static IEnumerable<string> Names(ValuesChart chart, string prefix = "")
    {
        string self = prefix.Length == 0 ? chart.Name : prefix + "." + chart.Name;
        yield return self;
        foreach (ValuesChart sub in chart.Dependencies)
        {
            foreach (string n in Names(sub, self))
            {
                yield return n;
            }
        }
    }

    private static JsonNode? PathValue(JsonObject values, string path)
    {
        JsonNode? node = values;
        foreach (string part in path.Split('.'))
        {
            node = node is JsonObject o && o.TryGetPropertyValue(part, out JsonNode? next) ? next : throw new Xunit.Sdk.XunitException($"no value at {path}");
        }

        return node;
    }

    private static string? Text(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.GetValue<double>().ToString(CultureInfo.InvariantCulture),
        _ => node.ToJsonString(),
    };
}
