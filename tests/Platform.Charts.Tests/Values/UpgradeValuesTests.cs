using System.Text.Json.Nodes;
using Platform.Charts.Values;

namespace Platform.Charts.Tests.Values;

public sealed class UpgradeValuesTests
{
    private static JsonObject J(string json) => JsonNode.Parse(json)!.AsObject();

    private static readonly ValuesChart OldChart = ValuesChart.Leaf("app", J("""{"replicas":1,"image":{"tag":"1.0"},"oldOnly":true}"""));
    private static readonly ValuesChart NewChart = ValuesChart.Leaf("app", J("""{"replicas":1,"image":{"tag":"2.0"},"newOnly":true}"""));
    private static readonly JsonObject OldConfig = J("""{"replicas":3,"ingress":{"host":"a.example"}}""");

    [Fact]
    public void Default_NoNewValues_ReusesPreviousConfig()
    {
        var r = UpgradeValues.Resolve(NewChart, new JsonObject(), OldChart, OldConfig, ReuseValuesMode.Default);
        Assert.True(JsonNode.DeepEquals(J("""{"replicas":3,"ingress":{"host":"a.example"},"image":{"tag":"2.0"},"newOnly":true}"""), r.Values), r.Values.ToJsonString());
    }

    [Fact]
    public void Default_WithNewValues_IgnoresPreviousConfig()
    {
        var r = UpgradeValues.Resolve(NewChart, J("""{"image":{"tag":"2.1"}}"""), OldChart, OldConfig, ReuseValuesMode.Default);
        Assert.True(JsonNode.DeepEquals(J("""{"image":{"tag":"2.1"},"replicas":1,"newOnly":true}"""), r.Values), r.Values.ToJsonString());
    }

    [Fact]
    public void ReuseValues_OldComputedValuesReplaceNewDefaults()
    {
        var r = UpgradeValues.Resolve(NewChart, J("""{"image":{"tag":"2.1"}}"""), OldChart, OldConfig, ReuseValuesMode.ReuseValues);
        Assert.True(JsonNode.DeepEquals(J("""{"image":{"tag":"2.1"},"replicas":3,"ingress":{"host":"a.example"},"oldOnly":true}"""), r.Values), r.Values.ToJsonString());
        Assert.True(JsonNode.DeepEquals(J("""{"image":{"tag":"2.1"},"replicas":3,"ingress":{"host":"a.example"}}"""), r.UserValues), r.UserValues.ToJsonString());
    }

    [Fact]
    public void ResetThenReuse_NewDefaultsThenOldConfigThenNewValues()
    {
        var r = UpgradeValues.Resolve(NewChart, J("""{"image":{"tag":"2.1"}}"""), OldChart, OldConfig, ReuseValuesMode.ResetThenReuseValues);
        Assert.True(JsonNode.DeepEquals(J("""{"image":{"tag":"2.1"},"replicas":3,"ingress":{"host":"a.example"},"newOnly":true}"""), r.Values), r.Values.ToJsonString());
    }

    [Fact]
    public void ResetValues_IgnoresPreviousRelease()
    {
        var r = UpgradeValues.Resolve(NewChart, new JsonObject(), OldChart, OldConfig, ReuseValuesMode.ResetValues);
        Assert.True(JsonNode.DeepEquals(NewChart.Defaults, r.Values), r.Values.ToJsonString());
    }

    [Fact]
    public void ReuseValues_NullCannotRemoveAPreviousValue_AsInHelm()
    {
        // The null removes ingress from the stored user values, but the previous computed values (which become the
        // chart defaults under --reuse-values) bring it back: Helm's behaviour, kept on purpose.
        var r = UpgradeValues.Resolve(NewChart, J("""{"ingress":null}"""), OldChart, OldConfig, ReuseValuesMode.ReuseValues);
        Assert.False(r.UserValues.ContainsKey("ingress"));
        Assert.Equal("a.example", (string?)r.Values["ingress"]!["host"]);
    }
}
