using System.Text.Json.Nodes;
using Platform.Logging.Metadata;
using Platform.Logging.Tests.Multiline;
using Platform.Tests.Shared;

namespace Platform.Logging.Tests.Metadata;

/// <summary>De-dotting and log-path parsing against corpus/logs/k8s-metadata/dedot-and-paths.json.</summary>
public sealed class KubernetesMetadataTests
{
    private static JsonNode Corpus => JsonNode.Parse(File.ReadAllText(SharedCorpus.Log("k8s-metadata/dedot-and-paths.json")))!;

    [Fact]
    public void Dedot_FilebeatLabelsCase_MatchesExpected()
    {
        var c = CorpusCase("filebeat-labels-dedot-true");
        var actual = KubernetesMetadata.Dedot(ToMap(c["input_labels"]!));
        Assert.Equal(ToMap(c["expected_labels_derived"]!).OrderBy(p => p.Key, StringComparer.Ordinal), actual.OrderBy(p => p.Key, StringComparer.Ordinal));
    }

    [Fact]
    public void ToFields_FluentBitReplaceDotsCase_MatchesExpected()
    {
        var c = CorpusCase("fluent-bit-es-replace-dots");
        var input = c["input_record"]!["kubernetes"]!;
        var metadata = new PodMetadata
        {
            Namespace = "ns",
            PodName = "p",
            ContainerName = "c",
            Labels = ToMap(input["labels"]!),
            Annotations = ToMap(input["annotations"]!),
        };
        var fields = KubernetesMetadata.ToFields(metadata);
        var expected = c["expected_record"]!["kubernetes"]!;
        Assert.True(JsonNode.DeepEquals(expected["labels"], fields["labels"]), fields["labels"]!.ToJsonString());
        Assert.True(JsonNode.DeepEquals(expected["annotations"], fields["annotations"]), fields["annotations"]!.ToJsonString());
    }

    [Fact]
    public void ToFields_EsMappingConflictDocs_NoLabelKeyHasADot()
    {
        foreach (var doc in Corpus["es_mapping_conflict"]!["docs_in_order"]!.AsArray())
        {
            var labels = ToMap(doc!["kubernetes"]!["labels"]!);
            var fields = KubernetesMetadata.ToFields(new PodMetadata { Namespace = "n", PodName = "p", ContainerName = "c", Labels = labels });
            Assert.All(fields["labels"]!.AsObject(), p => Assert.DoesNotContain('.', p.Key));
            Assert.Equal(labels.Values.Order(), fields["labels"]!.AsObject().Select(p => p.Value!.GetValue<string>()).Order());
        }
    }

    [Fact]
    public void Dedot_KeysCollidingAfterReplacement_NoValueLostAndDotFreeKeyWins()
    {
        var source = new Dictionary<string, string> { ["a.b"] = "dotted", ["a_b"] = "plain", ["a.b_2"] = "taken", ["x.y"] = "1", ["x_y.z"] = "2", ["x.y.z"] = "3" };
        var result = KubernetesMetadata.Dedot(source);
        Assert.Equal("plain", result["a_b"]);
        Assert.Equal("taken", result["a_b_2"]);
        Assert.Equal("dotted", result["a_b_3"]);
        Assert.Equal("3", result["x_y_z"]);
        Assert.Equal("2", result["x_y_z_2"]);
        Assert.Equal(source.Values.Order(), result.Values.Order());
    }

    [Fact]
    public void Dedot_CustomReplacement_Used()
    {
        var result = KubernetesMetadata.Dedot(new Dictionary<string, string> { ["app.kubernetes.io/name"] = "db", ["app"] = "web" }, "-");
        Assert.Equal(new Dictionary<string, string> { ["app"] = "web", ["app-kubernetes-io/name"] = "db" }, result);
        Assert.Throws<ArgumentException>(() => KubernetesMetadata.Dedot(result, "."));
    }

    [Fact]
    public void ToFields_DedotOff_KeysKept()
    {
        var fields = KubernetesMetadata.ToFields(new PodMetadata { Namespace = "n", PodName = "p", ContainerName = "c", NodeName = "node-1", Labels = new Dictionary<string, string> { ["app.kubernetes.io/name"] = "db" } }, dedot: false);
        Assert.Equal("db", fields["labels"]!["app.kubernetes.io/name"]!.GetValue<string>());
        Assert.Equal("node-1", fields["node"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public void TryParseLogPath_CorpusContainerPaths_Captured()
    {
        var cases = Corpus["container_log_path_cases"]!["cases"]!.AsArray();
        Assert.NotEmpty(cases);
        foreach (var c in cases)
        {
            Assert.True(KubernetesMetadata.TryParseLogPath(c!["path"]!.GetValue<string>(), out var m));
            var expected = c["expected_captures"]!;
            Assert.Equal(expected["pod_name"]!.GetValue<string>(), m!.PodName);
            Assert.Equal(expected["namespace_name"]!.GetValue<string>(), m.Namespace);
            Assert.Equal(expected["container_name"]!.GetValue<string>(), m.ContainerName);
            Assert.Equal(expected["docker_id"]!.GetValue<string>(), m.ContainerId);
        }
    }

    [Fact]
    public void TryParseLogPath_PodsLayoutAndGarbage_ParsedOrRejected()
    {
        Assert.True(KubernetesMetadata.TryParseLogPath("/var/log/pods/shop_web-0_8f14e45f-ceea-467f-a0e6-1d2f3b4c5d6e/nginx/3.log", out var m));
        Assert.Equal(("shop", "web-0", "nginx", "8f14e45f-ceea-467f-a0e6-1d2f3b4c5d6e"), (m!.Namespace, m.PodName, m.ContainerName, m.PodUid));
        Assert.False(KubernetesMetadata.TryParseLogPath("/var/log/syslog", out _));
    }

    private static JsonNode CorpusCase(string id) => Corpus["cases"]!.AsArray().Single(c => c!["id"]!.GetValue<string>() == id)!;

    private static Dictionary<string, string> ToMap(JsonNode node) => node.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>());
}
