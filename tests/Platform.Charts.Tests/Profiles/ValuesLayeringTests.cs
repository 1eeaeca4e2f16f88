using System.Text.Json.Nodes;
using Platform.Charts.Profiles;
using Platform.Charts.Values;

namespace Platform.Charts.Tests.Profiles;

public sealed class ValuesLayeringTests
{
    private static JsonObject J(string json) => JsonNode.Parse(json)!.AsObject();

    private static ValuesChart WebApp() => new(
        "webapp",
        J("""{"replicas":1,"image":{"repository":"registry/app","tag":"latest","pullPolicy":"IfNotPresent"},"resources":{"limits":{"memory":"256Mi"}},"debug":false,"global":{"region":"eu"}}"""),
        [ValuesChart.Leaf("redis", J("""{"enabled":true,"auth":{"password":""},"global":{"region":"us"}}"""))]);

    private static IReadOnlyList<ValuesLayer> Layers() =>
    [
        new("app-type: spring-boot", J("""{"resources":{"limits":{"memory":"1Gi"}},"env":{"JAVA_OPTS":"-Xmx768m"}}""")),
        new("team: payments", J("""{"image":{"repository":"registry/payments"},"global":{"region":"eu-west"}}""")),
        new("env: staging", J("""{"replicas":2,"debug":null}""")),
        new("user", J("""{"replicas":3,"redis":{"auth":{"password":"s3cret"}}}""")),
        new("ci", J("""{"image":{"tag":"1.4.2"}}""")),
    ];

    [Fact]
    public void Compose_EqualsHelmOverSuccessiveValuesFiles()
    {
        ValuesComposition composed = ValuesLayering.Compose(WebApp(), Layers());

        // The same as helm install -f each layer in order.
        JsonObject user = UserValues.Merge(new UserValuesOptions(), Layers().Select(l => (l.Name, l.Values.ToJsonString())));
        JsonObject helm = ValuesCoalescer.Coalesce(WebApp(), user).Values;
        Assert.True(JsonNode.DeepEquals(helm, composed.Values));
        Assert.True(JsonNode.DeepEquals(user, composed.UserValues));
    }

    [Theory]
    [InlineData("replicas", "user", ValueSourceKind.Layer)]
    [InlineData("image.tag", "ci", ValueSourceKind.Layer)]
    [InlineData("image.repository", "team: payments", ValueSourceKind.Layer)]
    [InlineData("image.pullPolicy", "webapp", ValueSourceKind.ChartDefault)]
    [InlineData("resources.limits.memory", "app-type: spring-boot", ValueSourceKind.Layer)]
    [InlineData("env.JAVA_OPTS", "app-type: spring-boot", ValueSourceKind.Layer)]
    [InlineData("redis.enabled", "redis", ValueSourceKind.ChartDefault)]
    [InlineData("redis.auth.password", "user", ValueSourceKind.Layer)]
    [InlineData("global.region", "team: payments", ValueSourceKind.Layer)]
    [InlineData("redis.global.region", "team: payments", ValueSourceKind.Global)]
    public void Compose_ExplainsEveryValue(string path, string expectedLayer, ValueSourceKind expectedKind)
    {
        ValuesComposition composed = ValuesLayering.Compose(WebApp(), Layers());
        ValueSource? source = composed.Explain(path);
        Assert.NotNull(source);
        Assert.Equal(expectedLayer, source.Layer);
        Assert.Equal(expectedKind, source.Kind);
    }

    [Fact]
    public void Compose_NullInLayer_RemovesDefault_AndIsReported()
    {
        ValuesComposition composed = ValuesLayering.Compose(WebApp(), Layers());
        Assert.False(composed.Values.ContainsKey("debug"));
        Assert.Equal("env: staging", composed.Removals["debug"]);
        Assert.Null(composed.Explain("debug"));
    }

    [Fact]
    public void Compose_EveryLeafHasASource()
    {
        ValuesComposition composed = ValuesLayering.Compose(WebApp(), Layers());
        Assert.Equal(
            ["env.JAVA_OPTS", "global.region", "image.pullPolicy", "image.repository", "image.tag", "redis.auth.password", "redis.enabled", "redis.global.region", "replicas", "resources.limits.memory"],
            composed.Sources.Keys.Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public void Compose_LaterLayerReplacingAMap_ForgetsEarlierLeaves()
    {
        var chart = ValuesChart.Leaf("c", J("""{"a":{"x":1}}"""));
        ValuesComposition composed = ValuesLayering.Compose(chart, [new("one", J("""{"a":{"y":1}}""")), new("two", J("""{"a":"scalar"}"""))]);
        Assert.Equal("two", composed.Explain("a")!.Layer);
        Assert.DoesNotContain("a.y", composed.Sources.Keys);
    }

    [Fact]
    public void Compose_DoesNotMutateLayers()
    {
        var layers = Layers();
        string before = string.Join("|", layers.Select(l => l.Values.ToJsonString()));
        _ = ValuesLayering.Compose(WebApp(), layers);
        Assert.Equal(before, string.Join("|", layers.Select(l => l.Values.ToJsonString())));
    }
}
