using System.Text.Json.Nodes;
using Platform.Abstractions;
using Platform.Charts.Loading;
using Platform.Tests.Shared;

namespace Platform.Charts.Tests.Loading;

/// <summary>Restates the assertions of Helm's own loader tests (pkg/chart/v2/loader/load_test.go) over its fixtures.</summary>
public sealed class ChartLoaderHelmFixtureTests
{
    // verifyDependencies / verifyDependenciesLock: the two frobnitz dependencies, in order.
    private static readonly (string Name, string Version, string Repository)[] FrobnitzDependencies =
    [
        ("alpine", "0.1.0", "https://example.com/charts"),
        ("mariner", "4.3.2", "https://example.com/charts"),
    ];

    // verifyChart: subchart name -> chart version.
    private static readonly Dictionary<string, string> FrobnitzSubchartVersions = new()
    {
        ["alpine"] = "0.1.0",
        ["mariner"] = "4.3.2",
    };

    public static TheoryData<string> FrobnitzDirectories => new()
    {
        "frobnitz",
        "frobnitz_backslash",
        "frobnitz_with_bom",
    };

    public static TheoryData<string, string> FrobnitzArchives => new()
    {
        // archive, expected chart name (verifyChartFileAndTemplate)
        { "frobnitz-1.2.3.tgz", "frobnitz" },
        { "frobnitz_backslash-1.2.3.tgz", "frobnitz_backslash" },
        { "frobnitz_with_bom.tgz", "frobnitz" },
    };

    [Theory]
    [MemberData(nameof(FrobnitzDirectories))]
    public async Task LoadAsync_FrobnitzDirectory_MatchesHelmAssertions(string fixture)
    {
        var result = await ChartLoader.LoadAsync(SharedCorpus.LoaderTestdata(fixture));
        var c = result.Chart;

        VerifyMetadata(c, fixture == "frobnitz_backslash" ? "frobnitz_backslash" : "frobnitz");
        VerifyDependencies(c.Metadata.Dependencies);
        Assert.NotNull(c.Lock);
        Assert.Equal("Chart.lock", c.Lock!.FileName);
        VerifyDependencies(c.Lock.Dependencies);
        VerifySubchartTree(c);
        Assert.Empty(result.Warnings);
    }

    [Theory]
    [MemberData(nameof(FrobnitzArchives))]
    public async Task LoadAsync_FrobnitzArchive_MatchesHelmAssertions(string archive, string name)
    {
        var result = await ChartLoader.LoadAsync(SharedCorpus.LoaderTestdata(archive));
        var c = result.Chart;

        // verifyChartFileAndTemplate: one template, six extra files, two subcharts, two dependencies, two locked.
        Assert.Equal(name, c.Name);
        var template = Assert.Single(c.Templates);
        Assert.Equal("templates/template.tpl", template.Name);
        Assert.False(template.Data.IsEmpty);
        Assert.Equal(6, c.Files.Count);
        Assert.Equal(
            [".helmignore", "INSTALL.txt", "LICENSE", "README.md", "docs/README.md", "icon.svg"],
            c.Files.Select(f => f.Name).Order(StringComparer.Ordinal));
        Assert.Equal(2, c.Subcharts.Count);
        VerifyDependencies(c.Metadata.Dependencies);
        Assert.Equal(2, c.Lock!.Dependencies.Count);

        var alpine = c.Subcharts.Single(s => s.Name == "alpine");
        var alpineTemplate = Assert.Single(alpine.Templates);
        Assert.Equal("templates/alpine-pod.yaml", alpineTemplate.Name);
        Assert.False(alpineTemplate.Data.IsEmpty);
        Assert.Single(alpine.Files);
        Assert.Equal(2, alpine.Subcharts.Count);

        VerifySubchartTree(c);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public async Task LoadAsync_FrobnitzWithBom_StripsBomFromEveryFile()
    {
        foreach (var path in new[] { SharedCorpus.LoaderTestdata("frobnitz_with_bom"), SharedCorpus.LoaderTestdata("frobnitz_with_bom.tgz") })
        {
            var c = (await ChartLoader.LoadAsync(path)).Chart;
            Assert.All(c.Files.Concat(c.Templates), f => Assert.False(f.Data.Span.StartsWith(new byte[] { 0xEF, 0xBB, 0xBF }), f.Name));
            Assert.NotNull(c.ValuesText);
            Assert.False(c.ValuesText!.StartsWith('\uFEFF'));
            Assert.Equal("frobnitz", c.Name);
        }
    }

    [Theory]
    [InlineData("frobnitz.v1")]
    [InlineData("frobnitz.v1.tgz")]
    public async Task LoadAsync_V1ChartWithRequirements_ReadsDependenciesAndLock(string fixture)
    {
        // TestLoadV1 / TestLoadFileV1: dependencies come from requirements.yaml.
        var result = await ChartLoader.LoadAsync(SharedCorpus.LoaderTestdata(fixture));
        var c = result.Chart;
        Assert.Equal("v1", c.Metadata.ApiVersion);
        VerifyDependencies(c.Metadata.Dependencies);
        Assert.NotNull(c.Lock);
        VerifyDependencies(c.Lock!.Dependencies);

        // For apiVersion v1, requirements.yaml stays among the files, and no warning is raised.
        Assert.Contains(c.Files, f => f.Name == "requirements.yaml");
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public async Task LoadAsync_V2ChartWithRequirementsYaml_ReadsDependenciesWithWarning()
    {
        // TestLoadV2WithReqs: Helm reads requirements.yaml for v2 too, logging a warning.
        var result = await ChartLoader.LoadAsync(SharedCorpus.LoaderTestdata("frobnitz.v2.reqs"));
        var c = result.Chart;
        Assert.Equal("v2", c.Metadata.ApiVersion);
        VerifyDependencies(c.Metadata.Dependencies);
        Assert.Null(c.Lock);
        Assert.DoesNotContain(c.Files, f => f.Name == "requirements.yaml");
        var warning = Assert.Single(result.Warnings);
        Assert.Contains("Dependencies are handled in Chart.yaml since apiVersion \"v2\"", warning.Message, StringComparison.Ordinal);
        Assert.Equal("requirements.yaml", warning.EntryPath);
    }

    [Fact]
    public async Task LoadAsync_Mariner_PacksAlbatrossWithGlobalValues()
    {
        var c = (await ChartLoader.LoadAsync(SharedCorpus.LoaderTestdata("mariner"))).Chart;
        Assert.Equal("mariner", c.Name);
        var albatross = Assert.Single(c.Subcharts);
        Assert.Equal("albatross", albatross.Name);
        Assert.Equal("charts/albatross-0.1.0.tgz", albatross.SourcePath);
        Assert.Contains("global", albatross.ValuesText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_Subpop_ReadsAliasesConditionsTagsAndImportValues()
    {
        var c = (await ChartLoader.LoadAsync(SharedCorpus.UtilTestdata("subpop"))).Chart;
        Assert.Equal("parentchart", c.Name);
        Assert.Equal(["subchart1", "subchart2"], c.Subcharts.Select(s => s.Name));
        // The directories are subchartA/B/C; the names in their Chart.yaml are lower case.
        Assert.Equal(["subcharta", "subchartb"], c.Subcharts[0].Subcharts.Select(s => s.Name));
        Assert.Equal(["charts/subchart1/charts/subchartA", "charts/subchart1/charts/subchartB"], c.Subcharts[0].Subcharts.Select(s => s.SourcePath));
        Assert.Equal(["subchartb", "subchartc"], c.Subcharts[1].Subcharts.Select(s => s.Name));

        var deps = c.Metadata.Dependencies;
        var sub1 = deps.Single(d => d.Name == "subchart1");
        Assert.Equal("subchart1.enabled", sub1.Condition);
        Assert.Equal(["front-end", "subchart1"], sub1.Tags);
        var imports = sub1.ImportValues;
        Assert.Contains(imports, n => n is JsonObject o && (string?)o["child"] == "SC1data" && (string?)o["parent"] == "imported-chart1");
        Assert.Contains(imports, n => n is JsonValue v && v.GetValue<string>() == "SCBexported2");

        Assert.Contains(deps, d => d.Alias == "subchart2alias");

        // The model cannot be changed through the returned import-values nodes.
        ((JsonObject)sub1.ImportValues.OfType<JsonObject>().First())["child"] = "changed";
        Assert.DoesNotContain(sub1.ImportValues, n => n is JsonObject o && (string?)o["child"] == "changed");
    }

    [Fact]
    public async Task LoadAsync_ImportValuesFromEnabledSubchart_LoadsPackagedSubcharts()
    {
        var c = (await ChartLoader.LoadAsync(SharedCorpus.UtilTestdata(Path.Combine("import-values-from-enabled-subchart", "parent-chart")))).Chart;
        Assert.Equal(["dev", "prod"], c.Subcharts.Select(s => s.Name));
        Assert.Equal(["charts/dev-v0.1.0.tgz", "charts/prod-v0.1.0.tgz"], c.Subcharts.Select(s => s.SourcePath));
        var dev = c.Metadata.Dependencies.Single(d => d.Name == "dev");
        Assert.Equal("dev.enabled,global.dev.enabled", dev.Condition);

        // envs/ holds the subchart sources; they are plain files of the parent, not subcharts.
        Assert.Contains(c.Files, f => f.Name == "envs/dev/Chart.yaml");
    }

    [Theory]
    [InlineData("dependent-chart-alias")]
    [InlineData("dependent-chart-helmignore")]
    [InlineData("dependent-chart-no-requirements-yaml")]
    [InlineData("dependent-chart-with-all-in-requirements-yaml")]
    [InlineData("dependent-chart-with-mixed-requirements-yaml")]
    [InlineData("chart-with-dependency-aliased-twice")]
    [InlineData("chart-with-import-from-aliased-dependencies")]
    [InlineData("three-level-dependent-chart/umbrella")]
    [InlineData("frobnitz")]
    [InlineData("frobnitz-1.2.3.tgz")]
    [InlineData("frobnitz_backslash-1.2.3.tgz")]
    [InlineData("joonix")]
    public async Task LoadAsync_DependencyFixtures_LoadWithSubchartsInStableOrder(string fixture)
    {
        var c = (await ChartLoader.LoadAsync(SharedCorpus.UtilTestdata(fixture))).Chart;
        AssertStableOrder(c);
        var again = (await ChartLoader.LoadAsync(SharedCorpus.UtilTestdata(fixture))).Chart;
        Assert.Equal(Flatten(c), Flatten(again));
    }

    [Fact]
    public async Task LoadAsync_DependentChartAlias_KeepsAliasesFromChartYaml()
    {
        var c = (await ChartLoader.LoadAsync(SharedCorpus.UtilTestdata("dependent-chart-alias"))).Chart;
        var aliases = c.Metadata.Dependencies.Where(d => d.Alias is not null).Select(d => (d.Name, d.Alias)).ToList();
        Assert.Contains(("mariner", "mariners2"), aliases);
        Assert.Contains(("mariner", "mariners1"), aliases);
    }

    [Fact]
    public async Task LoadAsync_ThreeLevelUmbrella_LoadsEveryLevel()
    {
        var c = (await ChartLoader.LoadAsync(SharedCorpus.UtilTestdata("three-level-dependent-chart/umbrella"))).Chart;
        Assert.Equal(["app1", "app2", "app3", "app4"], c.Subcharts.Select(s => s.Name));
        Assert.All(c.Subcharts, s => Assert.Equal("library", Assert.Single(s.Subcharts).Name));
    }

    [Theory]
    [InlineData("dotname", "chart name \".\" is not allowed")]
    [InlineData("dotdotname", "chart name \"..\" is not allowed")]
    [InlineData("slashinname", "chart name \"a/../b\" must not contain path separators")]
    public async Task LoadAsync_InvalidChartName_Throws(string fixture, string expected)
    {
        var ex = await Assert.ThrowsAsync<ChartException>(() => ChartLoader.LoadAsync(SharedCorpus.UtilTestdata(fixture)));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.Equal("Chart.yaml", ex.EntryPath);
        Assert.Equal(SharedCorpus.UtilTestdata(fixture), ex.ChartPath);
    }

    [Fact]
    public async Task LoadAsync_ChartFileTest_ReadsEveryMetadataField()
    {
        // chartfile_test.go verifyChartfile, over the same content (chartfiletest.yaml) packed as a chart directory.
        using var dir = new TempDirectory();
        File.Copy(SharedCorpus.UtilTestdata("chartfiletest.yaml"), Path.Combine(dir.Path, "Chart.yaml"));
        var md = (await ChartLoader.LoadAsync(dir.Path)).Chart.Metadata;
        Assert.Equal("v1", md.ApiVersion);
        Assert.Equal("frobnitz", md.Name);
        Assert.Equal("This is a frobnitz.", md.Description);
        Assert.Equal("1.2.3", md.Version);
        Assert.Equal(2, md.Maintainers.Count);
        Assert.Equal(new ChartMaintainer("The Helm Team", "helm@example.com", null), md.Maintainers[0]);
        Assert.Equal(new ChartMaintainer("Someone Else", "nobody@example.com", null), md.Maintainers[1]);
        Assert.Equal(["https://example.com/foo/bar"], md.Sources);
        Assert.Equal("http://example.com", md.Home);
        Assert.Equal("https://example.com/64x64.png", md.Icon);
        Assert.Equal(["frobnitz", "sprocket", "dodad"], md.Keywords);
        Assert.Equal([new("extrakey", "extravalue"), new KeyValuePair<string, string>("anotherkey", "anothervalue")], md.Annotations);
    }

    [Theory]
    [InlineData("pkg/action/testdata/charts/chart-with-compressed-dependencies", "mariadb")]
    [InlineData("pkg/action/testdata/charts/chart-with-uncompressed-dependencies", "mariadb")]
    [InlineData("pkg/action/testdata/charts/chart-with-compressed-dependencies-2.1.8.tgz", "mariadb")]
    [InlineData("pkg/action/testdata/charts/chart-with-uncompressed-dependencies-2.1.8.tgz", "mariadb")]
    public async Task LoadAsync_RequirementsWithPackagedOrUnpackedSubchart_LoadsSubchart(string fixture, string subchart)
    {
        var c = (await ChartLoader.LoadAsync(SharedCorpus.HelmTestdata(fixture))).Chart;
        Assert.Equal(subchart, Assert.Single(c.Subcharts).Name);
        Assert.Contains(c.Metadata.Dependencies, d => d.Name == subchart);
        Assert.Equal("requirements.lock", c.Lock?.FileName);
    }

    private static void VerifyMetadata(Chart c, string name)
    {
        var md = c.Metadata;
        Assert.Equal(name, md.Name);
        Assert.Equal("v1", md.ApiVersion);
        Assert.Equal("1.2.3", md.Version);
        Assert.Equal("This is a frobnitz.", md.Description);
        Assert.Equal(["frobnitz", "sprocket", "dodad"], md.Keywords);
        Assert.Equal(2, md.Maintainers.Count);
        Assert.Equal("extravalue", md.Annotations["extrakey"]);
    }

    private static void VerifyDependencies(IReadOnlyList<ChartDependency> deps)
    {
        Assert.Equal(FrobnitzDependencies.Length, deps.Count);
        for (var i = 0; i < deps.Count; i++)
        {
            Assert.Equal(FrobnitzDependencies[i].Name, deps[i].Name);
            Assert.Equal(FrobnitzDependencies[i].Version, deps[i].Version);
            Assert.Equal(FrobnitzDependencies[i].Repository, deps[i].Repository);
        }
    }

    // alpine (dir) -> mast1 (dir), mast2 (tgz); mariner (tgz) -> albatross (tgz).
    private static void VerifySubchartTree(Chart c)
    {
        Assert.Equal(["alpine", "mariner"], c.Subcharts.Select(s => s.Name));
        foreach (var s in c.Subcharts)
        {
            Assert.Equal(FrobnitzSubchartVersions[s.Name], s.Metadata.Version);
        }

        var alpine = c.Subcharts[0];
        Assert.Equal("charts/alpine", alpine.SourcePath);
        Assert.Equal(["mast1", "mast2"], alpine.Subcharts.Select(s => s.Name));
        Assert.Equal(["charts/alpine/charts/mast1", "charts/alpine/charts/mast2-0.1.0.tgz"], alpine.Subcharts.Select(s => s.SourcePath));

        var mariner = c.Subcharts[1];
        Assert.Equal("charts/mariner-4.3.2.tgz", mariner.SourcePath);
        var albatross = Assert.Single(mariner.Subcharts);
        Assert.Equal("albatross", albatross.Name);
        Assert.Equal("charts/mariner-4.3.2.tgz/charts/albatross-0.1.0.tgz", albatross.SourcePath);
    }

    private static void AssertStableOrder(Chart c)
    {
        Assert.Equal(c.Files.Select(f => f.Name).Order(StringComparer.Ordinal), c.Files.Select(f => f.Name));
        Assert.Equal(c.Subcharts.Select(s => s.SourcePath).Order(StringComparer.Ordinal), c.Subcharts.Select(s => s.SourcePath));
        foreach (var s in c.Subcharts)
        {
            AssertStableOrder(s);
        }
    }

    private static List<string> Flatten(Chart c)
    {
        var list = new List<string> { $"{c.SourcePath}:{c.Name}@{c.Metadata.Version}" };
        list.AddRange(c.Files.Select(f => $"{c.SourcePath}/{f.Name}:{f.Data.Length}"));
        foreach (var s in c.Subcharts)
        {
            list.AddRange(Flatten(s));
        }

        return list;
    }
}

/// <summary>A temporary directory removed on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "platform-charts-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Write(string relative, string content)
    {
        var full = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return full;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
