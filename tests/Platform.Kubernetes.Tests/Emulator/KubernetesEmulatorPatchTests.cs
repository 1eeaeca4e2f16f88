using System.Text.Json.Nodes;
using static Platform.Kubernetes.Tests.Emulator.EmulatorHttp;

namespace Platform.Kubernetes.Tests.Emulator;

public sealed class KubernetesEmulatorPatchTests
{
    private const string Path = "/apis/apps/v1/namespaces/default/deployments/web";

    private const string Deployment = """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","labels":{"app":"web","keep":"yes"}},
         "spec":{"replicas":1,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},
         "spec":{"containers":[{"name":"app","image":"app:1","env":[{"name":"A","value":"1"}]},{"name":"sidecar","image":"side:1"}]}}}}
        """;

    private static async Task<HttpClient> WithDeploymentAsync(Platform.Kubernetes.Emulator.KubernetesEmulator emulator)
    {
        HttpClient http = emulator.CreateHttpClient();
        var (status, _, _) = await PostAsync(http, "/apis/apps/v1/namespaces/default/deployments", Deployment);
        Assert.Equal(201, status);
        return http;
    }

    [Fact]
    public async Task MergePatch_NullRemovesAndObjectsMerge()
    {
        await using var emulator = await StartAsync();
        using HttpClient http = await WithDeploymentAsync(emulator);

        var (status, body, _) = await SendAsync(http, HttpMethod.Patch, Path, """{"metadata":{"labels":{"keep":null,"new":"1"}},"spec":{"replicas":3}}""", "application/merge-patch+json");

        Assert.Equal(200, status);
        Assert.Equal("""{"app":"web","new":"1"}""", body!["metadata"]!["labels"]!.ToJsonString());
        Assert.Equal(3, body["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal(2, body["metadata"]!["generation"]!.GetValue<int>());
    }

    [Fact]
    public async Task JsonPatch_AddReplaceRemoveAndTest()
    {
        await using var emulator = await StartAsync();
        using HttpClient http = await WithDeploymentAsync(emulator);

        var (status, body, _) = await SendAsync(http, HttpMethod.Patch, Path, """
            [{"op":"test","path":"/spec/replicas","value":1},
             {"op":"replace","path":"/spec/replicas","value":2},
             {"op":"add","path":"/metadata/labels/team~1owner","value":"x"},
             {"op":"remove","path":"/spec/template/spec/containers/1"}]
            """, "application/json-patch+json");

        Assert.Equal(200, status);
        Assert.Equal(2, body!["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal("x", body["metadata"]!["labels"]!["team/owner"]!.ToString());
        Assert.Single(body["spec"]!["template"]!["spec"]!["containers"]!.AsArray());
    }

    [Fact]
    public async Task JsonPatch_FailedTest_Returns422AndChangesNothing()
    {
        await using var emulator = await StartAsync();
        using HttpClient http = await WithDeploymentAsync(emulator);
        long before = emulator.ResourceVersion;

        var (status, body, _) = await SendAsync(http, HttpMethod.Patch, Path, """[{"op":"test","path":"/spec/replicas","value":5},{"op":"replace","path":"/spec/replicas","value":9}]""", "application/json-patch+json");

        Assert.Equal(422, status);
        Assert.Contains("test failed", body!["message"]!.ToString());
        Assert.Equal(before, emulator.ResourceVersion);
    }

    [Fact]
    public async Task StrategicMergePatch_MergesContainersByName()
    {
        await using var emulator = await StartAsync();
        using HttpClient http = await WithDeploymentAsync(emulator);

        var (status, body, _) = await SendAsync(http, HttpMethod.Patch, Path, """{"spec":{"template":{"spec":{"containers":[{"name":"app","image":"app:2"}]}}}}""", "application/strategic-merge-patch+json");

        Assert.Equal(200, status);
        var containers = body!["spec"]!["template"]!["spec"]!["containers"]!.AsArray();
        Assert.Equal(2, containers.Count);
        Assert.Equal("app:2", containers[0]!["image"]!.ToString());
        Assert.Equal("A", containers[0]!["env"]![0]!["name"]!.ToString());
        Assert.Equal("side:1", containers[1]!["image"]!.ToString());
    }

    [Fact]
    public async Task Patch_StaleResourceVersionInPatch_Returns409()
    {
        await using var emulator = await StartAsync();
        using HttpClient http = await WithDeploymentAsync(emulator);

        var (status, body, _) = await SendAsync(http, HttpMethod.Patch, Path, """{"metadata":{"resourceVersion":"1"},"spec":{"replicas":4}}""", "application/merge-patch+json");

        Assert.Equal(409, status);
        Assert.Equal("Operation cannot be fulfilled on deployments.apps \"web\": the object has been modified; please apply your changes to the latest version and try again", body!["message"]!.ToString());
        Assert.Equal("apps", body["details"]!["group"]!.ToString());
    }

    [Fact]
    public async Task Patch_Missing_Returns404AndUnknownContentTypeReturns415()
    {
        await using var emulator = await StartAsync();
        using var http = emulator.CreateHttpClient();

        var (missing, _, _) = await SendAsync(http, HttpMethod.Patch, "/api/v1/namespaces/default/configmaps/none", "{}", "application/merge-patch+json");
        var (unsupported, _, _) = await SendAsync(http, HttpMethod.Patch, "/api/v1/namespaces/default/configmaps/none", "{}", "text/plain");

        Assert.Equal(404, missing);
        Assert.Equal(415, unsupported);
    }

    [Fact]
    public async Task Apply_Missing_CreatesWith201AndRecordsManagedFields()
    {
        await using var emulator = await StartAsync();
        using var http = emulator.CreateHttpClient();
        const string yaml = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: applied
              labels:
                app: demo
            data:
              mode: "on"
              count: "3"
            """;

        var (status, body, _) = await SendAsync(http, HttpMethod.Patch, "/api/v1/namespaces/default/configmaps/applied?fieldManager=deployer", yaml, "application/apply-patch+yaml");

        Assert.Equal(201, status);
        Assert.Equal("on", body!["data"]!["mode"]!.ToString());
        var managed = body["metadata"]!["managedFields"]![0]!;
        Assert.Equal("deployer", managed["manager"]!.ToString());
        Assert.Equal("Apply", managed["operation"]!.ToString());
        Assert.Equal("""{"f:data":{"f:count":{},"f:mode":{}},"f:metadata":{"f:labels":{"f:app":{}}}}""", SortedJson(managed["fieldsV1"]!));
    }

    [Fact]
    public async Task Apply_Existing_MergesAndIsIdempotent()
    {
        await using var emulator = await StartAsync();
        using HttpClient http = await WithDeploymentAsync(emulator);
        const string config = """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"replicas":5}}""";

        var (status, body, _) = await SendAsync(http, HttpMethod.Patch, Path + "?fieldManager=ops&force=true", config, "application/apply-patch+yaml");
        Assert.Equal(200, status);
        Assert.Equal(5, body!["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal("app:1", body["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.ToString());
        long afterFirst = emulator.ResourceVersion;

        var (again, _, _) = await SendAsync(http, HttpMethod.Patch, Path + "?fieldManager=ops&force=true", config, "application/apply-patch+yaml");
        Assert.Equal(200, again);
        Assert.Equal(afterFirst, emulator.ResourceVersion);
    }

    [Fact]
    public async Task Apply_WithoutFieldManager_Returns422()
    {
        await using var emulator = await StartAsync();
        using var http = emulator.CreateHttpClient();

        var (status, _, _) = await SendAsync(http, HttpMethod.Patch, "/api/v1/namespaces/default/configmaps/x", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"}}""", "application/apply-patch+yaml");

        Assert.Equal(422, status);
    }

    [Fact]
    public async Task StatusSubresource_Put_ChangesOnlyStatus()
    {
        await using var emulator = await StartAsync();
        using HttpClient http = await WithDeploymentAsync(emulator);
        var (_, live, _) = await GetAsync(http, Path);
        live!["status"] = new JsonObject { ["readyReplicas"] = 1 };
        live["spec"]!["replicas"] = 9;

        var (status, body, _) = await SendAsync(http, HttpMethod.Put, Path + "/status", live.ToJsonString());

        Assert.Equal(200, status);
        Assert.Equal(1, body!["status"]!["readyReplicas"]!.GetValue<int>());
        Assert.Equal(1, body["spec"]!["replicas"]!.GetValue<int>());
    }

    [Fact]
    public async Task DryRun_Create_DoesNotStore()
    {
        await using var emulator = await StartAsync();
        using var http = emulator.CreateHttpClient();

        var (status, _, _) = await PostAsync(http, "/api/v1/namespaces/default/configmaps?dryRun=All", ConfigMap("dry"));
        var (after, _, _) = await GetAsync(http, "/api/v1/namespaces/default/configmaps/dry");

        Assert.Equal(201, status);
        Assert.Equal(404, after);
    }

    private static string SortedJson(JsonNode node)
    {
        static JsonNode? Sort(JsonNode? n) => n is JsonObject o
            ? new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Sort(p.Value?.DeepClone()))))
            : n?.DeepClone();
        return Sort(node)!.ToJsonString();
    }
}
