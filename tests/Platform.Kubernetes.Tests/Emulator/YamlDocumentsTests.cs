using System.Text.Json.Nodes;
using Platform.Kubernetes.Emulator.Seeding;

namespace Platform.Kubernetes.Tests.Emulator;

public sealed class YamlDocumentsTests
{
    [Theory]
    [InlineData("v: yes", "true")]
    [InlineData("v: Off", "false")]
    [InlineData("v: \"yes\"", "\"yes\"")]
    [InlineData("v: 42", "42")]
    [InlineData("v: -7", "-7")]
    [InlineData("v: 0x1F", "31")]
    [InlineData("v: 1.5", "1.5")]
    [InlineData("v: '1.5'", "\"1.5\"")]
    [InlineData("v: ~", "null")]
    [InlineData("v:", "null")]
    [InlineData("v: 1.2.3", "\"1.2.3\"")]
    [InlineData("v: !!str 10", "\"10\"")]
    [InlineData("v: |\n  a\n  b\n", "\"a\\nb\\n\"")]
    public void Parse_Scalars_FollowKubernetesYaml(string yaml, string expectedJson)
    {
        var documents = YamlDocuments.Parse(yaml, "t.yaml");

        JsonNode? value = Assert.Single(documents).Node!["v"];
        Assert.Equal(expectedJson, value?.ToJsonString() ?? "null");
    }

    [Fact]
    public void Parse_MultiDocumentWithEmptyOnes_ReturnsEachWithItsLine()
    {
        var documents = YamlDocuments.Parse("a: 1\n---\n---\n# only a comment\n---\nb: 2\n", "t.yaml");

        Assert.Equal(2, documents.Count);
        Assert.Equal(1, documents[0].Line);
        Assert.Equal(6, documents[1].Line);
    }

    [Fact]
    public void Parse_MergeKeys_AreResolved()
    {
        var documents = YamlDocuments.Parse("base: &b {x: 1, y: 2}\nderived:\n  <<: *b\n  y: 3\n", "t.yaml");

        Assert.Equal("""{"x":1,"y":3}""", SortKeys(documents[0].Node!["derived"]!));
    }

    [Fact]
    public void Parse_TooDeep_FailsWithFileAndLine()
    {
        string yaml = string.Concat(Enumerable.Repeat("[", 200)) + string.Concat(Enumerable.Repeat("]", 200));

        var ex = Assert.Throws<FormatException>(() => YamlDocuments.Parse(yaml, "deep.yaml"));

        Assert.StartsWith("deep.yaml:", ex.Message);
        Assert.Contains("nesting deeper than 128", ex.Message);
    }

    private static string SortKeys(JsonNode node) =>
        new JsonObject(node.AsObject().OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone()))).ToJsonString();
}
