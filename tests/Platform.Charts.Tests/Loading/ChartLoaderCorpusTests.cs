using Platform.Charts.Loading;
using Platform.Tests.Shared;

namespace Platform.Charts.Tests.Loading;

/// <summary>Loads every real chart of the shared corpus (see shared/corpus/charts/MANIFEST.md).</summary>
public sealed class ChartLoaderCorpusTests
{
    // directory, name, version, apiVersion, declared dependencies, subcharts anywhere in the tree, has schema, lock file
    public static TheoryData<string, string, string, string, int, int, bool, string?> Corpus => new()
    {
        { "alertmanager", "alertmanager", "1.42.0", "v2", 0, 0, true, null },
        { "bitnami-redis-18.4.0", "redis", "18.4.0", "v2", 1, 0, true, "Chart.lock" },
        { "bitnami-wordpress", "wordpress", "27.0.0", "v2", 3, 5, true, "Chart.lock" },
        { "bitnami-wordpress-9.0.2", "wordpress", "9.0.2", "v1", 1, 0, true, "requirements.lock" },
        { "cert-manager", "cert-manager", "v0.0.0", "v2", 0, 0, true, null },
        { "cilium", "cilium", "1.20.0", "v2", 0, 0, true, null },
        { "epinio", "epinio", "103.0.2+up1.10.0", "v2", 4, 4, true, "Chart.lock" },
        { "external-secrets", "external-secrets", "2.9.0", "v2", 1, 0, true, "Chart.lock" },
        { "ingress-nginx", "ingress-nginx", "4.15.1", "v2", 0, 0, false, null },
        { "k8s-monitoring", "k8s-monitoring", "4.4.0", "v2", 20, 31, true, "Chart.lock" },
        { "kube-prometheus-stack", "kube-prometheus-stack", "88.5.3", "v2", 5, 1, false, null },
        { "kubeapps", "kubeapps", "17.1.1", "v2", 3, 0, true, "Chart.lock" },
        { "kyverno", "kyverno", "3.9.0", "v2", 5, 2, false, "Chart.lock" },
        { "longhorn", "longhorn", "1.12.1", "v1", 0, 0, false, null },
        { "nginx-ingress", "nginx-ingress", "2.7.0", "v2", 0, 0, true, null },
        { "opentelemetry-collector", "opentelemetry-collector", "0.170.0", "v2", 0, 0, true, null },
        { "opentelemetry-demo", "opentelemetry-demo", "0.41.0", "v2", 6, 0, true, "Chart.lock" },
        { "opentelemetry-operator", "opentelemetry-operator", "0.122.0", "v2", 0, 0, true, null },
        { "prometheus", "prometheus", "29.27.0", "v2", 4, 0, true, "Chart.lock" },
        { "vault", "vault", "0.34.1", "v2", 0, 0, true, null },
    };

    [Theory]
    [MemberData(nameof(Corpus))]
    public async Task LoadAsync_CorpusChart_ReadsMetadataAndTree(
        string directory, string name, string version, string apiVersion, int dependencies, int subcharts, bool hasSchema, string? lockFile)
    {
        var result = await ChartLoader.LoadAsync(Path.Combine(SharedCorpus.Charts, directory));
        var c = result.Chart;
        Assert.Equal(name, c.Name);
        Assert.Equal(version, c.Metadata.Version);
        Assert.Equal(apiVersion, c.Metadata.ApiVersion);
        Assert.Equal(dependencies, c.Metadata.Dependencies.Count);
        Assert.Equal(subcharts, CountSubcharts(c));
        Assert.Equal(hasSchema, c.SchemaText is not null);
        Assert.Equal(lockFile, c.Lock?.FileName);
        Assert.Equal("values.yaml", c.ValuesFileName);
        Assert.False(string.IsNullOrEmpty(c.ValuesText));
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public async Task LoadAsync_K8sMonitoring_KeepsAliasesAndConditions()
    {
        var c = (await ChartLoader.LoadAsync(Path.Combine(SharedCorpus.Charts, "k8s-monitoring"))).Chart;
        var clusterMetrics = c.Metadata.Dependencies.Single(d => d.Name == "feature-cluster-metrics");
        Assert.Equal("clusterMetrics", clusterMetrics.Alias);
        Assert.Equal(19, c.Metadata.Dependencies.Count(d => d.Alias is not null));
        Assert.Equal(18, c.Metadata.Dependencies.Count(d => d.Condition is not null));
    }

    [Fact]
    public async Task LoadAsync_Epinio_KeepsQuestionsYmlAndAnnotations()
    {
        var c = (await ChartLoader.LoadAsync(Path.Combine(SharedCorpus.Charts, "epinio"))).Chart;
        Assert.NotNull(c.FindFile("questions.yml"));
        Assert.Contains(c.Metadata.Annotations.Keys, k => k.StartsWith("catalog.cattle.io/", StringComparison.Ordinal));
        var s3gw = c.Subcharts.Single(s => s.Name == "s3gw");
        Assert.NotNull(s3gw.FindFile("questions.yaml"));
    }

    [Fact]
    public async Task LoadAsync_Longhorn_KeepsQuestionsYaml()
    {
        var c = (await ChartLoader.LoadAsync(Path.Combine(SharedCorpus.Charts, "longhorn"))).Chart;
        var questions = c.FindFile("questions.yaml");
        Assert.NotNull(questions);
        Assert.Contains("show_subquestion_if", questions!.ReadText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_BitnamiWordpress_NestsCommonUnderSubcharts()
    {
        var c = (await ChartLoader.LoadAsync(Path.Combine(SharedCorpus.Charts, "bitnami-wordpress"))).Chart;
        Assert.Equal(["common", "mariadb", "memcached"], c.Subcharts.Select(s => s.Name));
        Assert.True(c.Subcharts[0].Metadata.IsLibrary);
        Assert.Equal("common", Assert.Single(c.Subcharts[1].Subcharts).Name);
        Assert.Equal("common", Assert.Single(c.Subcharts[2].Subcharts).Name);
    }

    private static int CountSubcharts(Chart c) => c.Subcharts.Count + c.Subcharts.Sum(CountSubcharts);
}
