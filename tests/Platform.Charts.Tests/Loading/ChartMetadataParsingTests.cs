using System.Text;
using Platform.Abstractions;
using Platform.Charts.Loading;

namespace Platform.Charts.Tests.Loading;

/// <summary>Chart.yaml, requirements and lock parsing as Helm reads them (YAML → JSON → struct), and Helm's validation.</summary>
public sealed class ChartMetadataParsingTests
{
    private static async Task<ChartLoadResult> LoadAsync(string chartYaml, params (string Name, string Content)[] more)
    {
        using var dir = new TempDirectory();
        dir.Write("Chart.yaml", chartYaml);
        foreach (var (name, content) in more)
        {
            dir.Write(name, content);
        }

        return await ChartLoader.LoadAsync(dir.Path);
    }

    private static async Task<ChartException> FailAsync(string chartYaml, params (string Name, string Content)[] more)
    {
        return await Assert.ThrowsAsync<ChartException>(() => LoadAsync(chartYaml, more));
    }

    [Theory]
    [InlineData("version: 1.0", "1.0")]
    [InlineData("version: 1.10", "1.10")]
    [InlineData("version: 1", "1")]
    [InlineData("version: \"1.2.3\"", "1.2.3")]
    [InlineData("version: v2.0.0-rc.1+build.5", "v2.0.0-rc.1+build.5")]
    [InlineData("version: 3.9.0  # VERSION", "3.9.0")]
    public async Task LoadAsync_VersionScalar_KeepsItsText(string line, string expected)
    {
        var md = (await LoadAsync($"apiVersion: v2\nname: demo\n{line}\nappVersion: 1.10\n")).Chart.Metadata;
        Assert.Equal(expected, md.Version);
        Assert.Equal("1.10", md.AppVersion);
    }

    [Fact]
    public async Task LoadAsync_MissingApiVersion_DefaultsToV1()
    {
        var md = (await LoadAsync("name: demo\nversion: 0.1.0\n")).Chart.Metadata;
        Assert.Equal("v1", md.ApiVersion);
    }

    [Fact]
    public async Task LoadAsync_KeysMatchCaseInsensitively_LastWins()
    {
        var md = (await LoadAsync("APIVERSION: v2\nName: first\nname: demo\nVersion: 0.1.0\nDeprecated: yes\n")).Chart.Metadata;
        Assert.Equal("v2", md.ApiVersion);
        Assert.Equal("demo", md.Name);
        Assert.True(md.Deprecated);
    }

    [Theory]
    [InlineData("apiVersion: v3\nname: demo\nversion: 0.1.0\n", "apiVersion \"v3\" is not supported; expected v1 or v2")]
    [InlineData("apiVersion: v9\nname: demo\nversion: 0.1.0\n", "apiVersion \"v9\" is not supported")]
    [InlineData("apiVersion: v2\nversion: 0.1.0\n", "chart.metadata.name is required")]
    [InlineData("apiVersion: v2\nname: demo\n", "chart.metadata.version is required")]
    [InlineData("apiVersion: v2\nname: demo\nversion: one\n", "chart.metadata.version \"one\" is invalid")]
    [InlineData("apiVersion: v2\nname: demo\nversion: 1.2.3.4\n", "is invalid")]
    [InlineData("apiVersion: v2\nname: demo\nversion: 0.1.0\ntype: service\n", "chart.metadata.type \"service\" is invalid; expected application or library")]
    [InlineData("apiVersion: v2\nname: demo\nversion: 0.1.0\ndeprecated: 'true'\n", "'deprecated' must be a boolean")]
    [InlineData("apiVersion: v2\nname: demo\nversion: 0.1.0\nkeywords: one\n", "line 4, column 11: 'keywords' must be a list of strings")]
    [InlineData("apiVersion: v2\nname: [a, b]\nversion: 0.1.0\n", "'name' must be a string")]
    [InlineData("- apiVersion: v2\n", "Chart.yaml must be a YAML mapping")]
    [InlineData("apiVersion: v2\nname: demo\n  version: [\n", "Chart.yaml is not valid YAML")]
    [InlineData("apiVersion: v2\nname: demo\nversion: 0.1.0\nmaintainers:\n  - ~\n", "maintainers must not contain empty or null nodes")]
    [InlineData("apiVersion: v2\nname: demo\nversion: 0.1.0\ndependencies:\n  - null\n", "dependencies must not contain empty or null nodes")]
    [InlineData("apiVersion: v2\nname: demo\nversion: 0.1.0\ndependencies:\n  - name: a\n    alias: bad.alias\n", "dependency \"a\" has disallowed characters in the alias")]
    [InlineData("apiVersion: v2\nname: demo\nversion: 0.1.0\ndependencies:\n  - name: a\n  - name: b\n    alias: a\n", "more than one dependency with name or alias \"a\"")]
    public async Task LoadAsync_InvalidChartYaml_ThrowsWithReason(string chartYaml, string expected)
    {
        var ex = await FailAsync(chartYaml);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.Equal("Chart.yaml", ex.EntryPath);
    }

    [Fact]
    public async Task LoadAsync_DeeplyNestedChartYaml_ThrowsInsteadOfOverflowing()
    {
        var sb = new StringBuilder("apiVersion: v2\nname: demo\nversion: 0.1.0\nannotations: ");
        sb.Append('[', 10_000).Append(']', 10_000).Append('\n');
        var ex = await FailAsync(sb.ToString());
        Assert.Contains("nests deeper than 64 levels", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_AliasBombInImportValues_Throws()
    {
        var sb = new StringBuilder("apiVersion: v2\nname: demo\nversion: 0.1.0\nx0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (var i = 1; i < 10; i++)
        {
            sb.Append($"x{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]\n");
        }

        sb.Append("dependencies:\n  - name: sub\n    import-values: [*a9]\n");
        var ex = await FailAsync(sb.ToString());
        Assert.Contains("expands to more than", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_UnknownAlias_Throws()
    {
        var ex = await FailAsync("apiVersion: v2\nname: *nope\nversion: 0.1.0\n");
        Assert.Contains("not valid YAML", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_StringsAreSanitizedAsHelmDoes()
    {
        var md = (await LoadAsync("apiVersion: v2\nname: demo\nversion: 0.1.0\ndescription: \"a\\tb\\u0007c\\u200Bd\"\nkeywords: [\"x\\ny\"]\n")).Chart.Metadata;
        Assert.Equal("a bcd", md.Description);
        Assert.Equal(["x y"], md.Keywords);
    }

    [Fact]
    public async Task LoadAsync_AnnotationScalars_KeepText()
    {
        var md = (await LoadAsync("apiVersion: v2\nname: demo\nversion: 0.1.0\nannotations:\n  b: 1.50\n  a: true\n  c: ~\n")).Chart.Metadata;
        Assert.Equal(["b", "a", "c"], md.Annotations.Keys);
        Assert.Equal("1.50", md.Annotations["b"]);
        Assert.Equal("true", md.Annotations["a"]);
        Assert.Equal(string.Empty, md.Annotations["c"]);
    }

    [Fact]
    public async Task LoadAsync_FullDependency_ReadsEveryField()
    {
        var yaml = """
            apiVersion: v2
            name: demo
            version: 0.1.0
            type: application
            kubeVersion: ">=1.22.0-0"
            dependencies:
              - name: redis
                version: ~18.4
                repository: oci://registry-1.docker.io/bitnamicharts
                condition: redis.enabled,global.redis.enabled
                tags: [cache, backend]
                enabled: true
                alias: cache_1
                import-values:
                  - data
                  - child: default.data
                    parent: imported
            """;
        var md = (await LoadAsync(yaml)).Chart.Metadata;
        Assert.Equal(">=1.22.0-0", md.KubeVersion);
        Assert.False(md.IsLibrary);
        var d = Assert.Single(md.Dependencies);
        Assert.Equal("redis", d.Name);
        Assert.Equal("~18.4", d.Version);
        Assert.Equal("oci://registry-1.docker.io/bitnamicharts", d.Repository);
        Assert.Equal("redis.enabled,global.redis.enabled", d.Condition);
        Assert.Equal(["cache", "backend"], d.Tags);
        Assert.True(d.Enabled);
        Assert.Equal("cache_1", d.Alias);
        Assert.Equal("[\"data\",{\"child\":\"default.data\",\"parent\":\"imported\"}]", System.Text.Json.JsonSerializer.Serialize(d.ImportValues));
    }

    [Fact]
    public async Task LoadAsync_Lock_ReadsGeneratedDigestAndDependencies()
    {
        var c = (await LoadAsync(
            "apiVersion: v2\nname: demo\nversion: 0.1.0\n",
            ("Chart.lock", "dependencies:\n- name: common\n  repository: oci://r\n  version: 2.31.4\ndigest: sha256:abc\ngenerated: \"2025-05-01T10:20:30.123456+02:00\"\n"))).Chart;
        Assert.Equal("Chart.lock", c.Lock!.FileName);
        Assert.Equal("sha256:abc", c.Lock.Digest);
        Assert.Equal(new DateTimeOffset(2025, 5, 1, 8, 20, 30, 123, TimeSpan.Zero).AddTicks(4560), c.Lock.Generated!.Value.ToUniversalTime());
        Assert.Equal("2.31.4", Assert.Single(c.Lock.Dependencies).Version);
    }

    [Fact]
    public async Task LoadAsync_LockWithBadTimestamp_Throws()
    {
        var ex = await FailAsync("apiVersion: v2\nname: demo\nversion: 0.1.0\n", ("Chart.lock", "generated: yesterday\n"));
        Assert.Equal("Chart.lock", ex.EntryPath);
        Assert.Contains("RFC 3339", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_RequirementsLockInV2_Warns()
    {
        var result = await LoadAsync("apiVersion: v2\nname: demo\nversion: 0.1.0\n", ("requirements.lock", "dependencies: []\n"));
        Assert.Equal("requirements.lock", result.Chart.Lock!.FileName);
        Assert.Contains("Dependency locking is handled in Chart.lock", Assert.Single(result.Warnings).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_ValuesAndSchema_KeptAsTextWithoutBom()
    {
        var c = (await LoadAsync(
            "apiVersion: v2\nname: demo\nversion: 0.1.0\n",
            ("values.yaml", "\uFEFFreplicas: 1\n"),
            ("values.schema.json", "{\"type\":\"object\"}"),
            ("values.yml", "not: the values file"))).Chart;
        Assert.Equal("replicas: 1\n", c.ValuesText);
        Assert.Equal("values.yaml", c.ValuesFileName);
        Assert.Equal("{\"type\":\"object\"}", c.SchemaText);
        Assert.Contains(c.Files, f => f.Name == "values.yml");
        Assert.DoesNotContain(c.Files, f => f.Name == "values.yaml" || f.Name == "Chart.yaml");
    }

    [Fact]
    public async Task LoadAsync_NoValuesFile_LeavesValuesNull()
    {
        var c = (await LoadAsync("apiVersion: v2\nname: demo\nversion: 0.1.0\n")).Chart;
        Assert.Null(c.ValuesText);
        Assert.Null(c.ValuesFileName);
        Assert.Null(c.SchemaText);
        Assert.Null(c.Lock);
    }

    [Fact]
    public async Task LoadAsync_MissingChartYaml_Throws()
    {
        using var dir = new TempDirectory();
        dir.Write("values.yaml", "a: 1\n");
        var ex = await Assert.ThrowsAsync<ChartException>(() => ChartLoader.LoadAsync(dir.Path));
        Assert.Contains("Chart.yaml file is missing", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_SubchartErrors_NameTheSubchartPath()
    {
        var ex = await FailAsync("apiVersion: v2\nname: demo\nversion: 0.1.0\n", ("charts/sub/Chart.yaml", "apiVersion: v2\nname: sub\nversion: bad\n"));
        Assert.Equal("charts/sub/Chart.yaml", ex.EntryPath);
        Assert.Contains("chart.metadata.version \"bad\" is invalid", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_PlainFileUnderCharts_IsNotASubchart()
    {
        // Helm fails here too: every non-hidden entry under charts/ must be a chart.
        var ex = await FailAsync("apiVersion: v2\nname: demo\nversion: 0.1.0\n", ("charts/README.md", "hi"));
        Assert.Contains("error unpacking subchart README.md in demo", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_HiddenAndUnderscoreEntriesUnderCharts_AreSkipped()
    {
        var c = (await LoadAsync(
            "apiVersion: v2\nname: demo\nversion: 0.1.0\n",
            ("charts/_ignore_me", "x"),
            ("charts/.DS_Store", "x"),
            ("charts/sub-1.0.0.tgz.prov", "signature"),
            ("charts/sub/Chart.yaml", "apiVersion: v2\nname: sub\nversion: 1.0.0\n"))).Chart;
        Assert.Equal("sub", Assert.Single(c.Subcharts).Name);
        Assert.Contains(c.Files, f => f.Name == "charts/sub-1.0.0.tgz.prov");
    }
}
