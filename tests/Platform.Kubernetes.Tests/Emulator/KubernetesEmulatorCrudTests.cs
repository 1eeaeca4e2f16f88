using System.Text.Json.Nodes;
using static Platform.Kubernetes.Tests.Emulator.EmulatorHttp;

namespace Platform.Kubernetes.Tests.Emulator;

public sealed class KubernetesEmulatorCrudTests
{
    [Fact]
    public async Task Discovery_CoreAndGroups_ListServedResources()
    {
        await using var emulator = await StartAsync();
        using var http = emulator.CreateHttpClient();

        var (_, api, _) = await GetAsync(http, "/api");
        Assert.Equal("APIVersions", api!["kind"]!.ToString());
        Assert.Equal("v1", api["versions"]![0]!.ToString());

        var (_, core, _) = await GetAsync(http, "/api/v1");
        var secrets = core!["resources"]!.AsArray().Single(r => r!["name"]!.ToString() == "secrets")!;
        Assert.Equal("Secret", secrets["kind"]!.ToString());
        Assert.True(secrets["namespaced"]!.GetValue<bool>());
        Assert.Contains("watch", secrets["verbs"]!.AsArray().Select(v => v!.ToString()));
        Assert.Contains(core["resources"]!.AsArray(), r => r!["name"]!.ToString() == "pods/log");

        var (_, groups, _) = await GetAsync(http, "/apis");
        Assert.Equal(["apps", "batch", "apiextensions.k8s.io"], groups!["groups"]!.AsArray().Select(g => g!["name"]!.ToString()));

        var (_, apps, _) = await GetAsync(http, "/apis/apps/v1");
        Assert.Equal("apps/v1", apps!["groupVersion"]!.ToString());
        Assert.Contains(apps["resources"]!.AsArray(), r => r!["name"]!.ToString() == "deployments" && r["shortNames"]![0]!.ToString() == "deploy");

        var (status, version, _) = await GetAsync(http, "/version");
        Assert.Equal(200, status);
        Assert.Equal("v1.32.0", version!["gitVersion"]!.ToString());

        var (missing, _, _) = await GetAsync(http, "/apis/nothing.example.com/v1");
        Assert.Equal(404, missing);
    }

    [Fact]
    public async Task Discovery_AggregatedAcceptAsKubectl132Sends_FallsBackToLegacyJson()
    {
        await using var emulator = await StartAsync();
        using var http = emulator.CreateHttpClient();
        const string accept = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";

        var (status, body, response) = await GetAsync(http, "/apis", accept);

        Assert.Equal(200, status);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.DoesNotContain(response.Content.Headers.ContentType.Parameters, p => p.Name == "as");
        Assert.Equal("APIGroupList", body!["kind"]!.ToString());
    }

    [Fact]
    public async Task Create_ConfigMap_SetsServerFields()
    {
        await using var emulator = await StartAsync();
        using var http = emulator.CreateHttpClient();

        JsonNode created = await CreateConfigMapAsync(http, "settings");

        var meta = created["metadata"]!;
        Assert.Equal("ConfigMap", created["kind"]!.ToString());
        Assert.True(Guid.TryParse(meta["uid"]!.ToString(), out _));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", meta["creationTimestamp"]!.ToString());
        Assert.Equal(emulator.ResourceVersion.ToString(), meta["resourceVersion"]!.ToString());
        Assert.Null(meta["generation"]);

        var (status, fetched, _) = await GetAsync(http, "/api/v1/namespaces/default/configmaps/settings");
        Assert.Equal(200, status);
        Assert.True(JsonNode.DeepEquals(created, fetched));
    }

    [Fact]
    public async Task Create_Deployment_StartsAtGenerationOneAndUpdateBumpsItOnSpecChange()
    {
        await using var emulator = await StartAsync();
        using var http = emulator.CreateHttpClient();
        const string deployment = """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"c","image":"nginx"}]}}}}""";

        var (_, created, _) = await PostAsync(http, "/apis/apps/v1/namespaces/default/deployments", deployment);
        Assert.Equal(1, created!["metadata"]!["generation"]!.GetValue<long>());
        Assert.Equal(1, created["spec"]!["replicas"]!.GetValue<long>());

        created["metadata"]!["labels"] = new JsonObject { ["x"] = "y" };
        var (_, relabelled, _) = await SendAsync(http, HttpMethod.Put, "/apis/apps/v1/namespaces/default/deployments/web", created.ToJsonString());
        Assert.Equal(1, relabelled!["metadata"]!["generation"]!.GetValue<long>());

        relabelled["spec"]!["replicas"] = 3;
        var (_, scaled, _) = await SendAsync(http, HttpMethod.Put, "/apis/apps/v1/namespaces/default/deployments/web", relabelled.ToJsonString());
        Assert.Equal(2, scaled!["metadata"]!["generation"]!.GetValue<long>());
    }

    [Fact]
    public async Task Create_GenerateName_AppendsFiveRandomCharacters()
    {
        await using var emulator = await StartAsync();
        using var http = emulator.CreateHttpClient();

        var (status, body, _) = await PostAsync(http, "/api/v1/namespaces/default/secrets", """{"metadata":{"generateName":"sh.helm.release.v1.app."},"stringData":{"a":"b"}}""");

        Assert.Equal(201, status);
        Assert.Matches(@"^sh\.helm\.release\.v1\.app\.[bcdfghjklmnpqrstvwxz2456789]{5}$", body!["metadata"]!["name"]!.ToString());
        Assert.Equal("Opaque", body["type"]!.ToString());
        Assert.Equal("Yg==", body["data"]!["a"]!.ToString());
        Assert.Null(body["stringData"]);
    }

    [Fact]
    public async Task Create_WithoutName_Returns422Invalid()
    {
        await using var emulator = await StartAsync();
        using var http = emulator.CreateHttpClient();

        var (status, body, _) = await PostAsync(http, "/api/v1/namespaces/default/configmaps", """{"metadata":{}}""");

        Assert.Equal(422, status);
        Assert.Equal("Invalid", body!["reason"]!.ToString());
        Assert.Equal("metadata.name", body["details"]!["causes"]![0]!["field"]!.ToString());
    }

    [Fact]
    public async Task Create_InvalidName_Returns422NamingTheRule()
    {
        await using var emulator = await StartAsync();
        using var http = emulator.CreateHttpClient();

        var (status, body, _) = await PostAsync(http, "/api/v1/namespaces/default/configmaps", ConfigMap("Bad_Name"));

        Assert.Equal(422, status);
        Assert.StartsWith("ConfigMap \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain", body!["message"]!.ToString());
    }

    [Fact]
    public async Task Create_InMissingNamespace_Returns404ForTheNamespace()
    {
        await using var emulator = await StartAsync();
        using var http = emulator.CreateHttpClient();

        string raw = await RawAsync(http, HttpMethod.Post, "/api/v1/namespaces/nowhere/configmaps", ConfigMap("a", "nowhere"));

        Assert.Equal("""{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"namespaces \"nowhere\" not found","reason":"NotFound","details":{"name":"nowhere","kind":"namespaces"},"code":404}""", raw);
    }

    [Fact]
    public async Task Create_NamespaceMismatch_Returns400()
    {
        await using var emulator = await StartAsync();
        using var http = emulator.CreateHttpClient();

        var (status, body, _) = await PostAsync(http, "/api/v1/namespaces/default/configmaps", ConfigMap("a", "kube-system"));

        Assert.Equal(400, status);
        Assert.Equal("the namespace of the provided object does not match the namespace sent on the request", body!["message"]!.ToString());
    }

    [Fact]
    public async Task Update_StaleResourceVersion_Returns409Conflict()
    {
        await using var emulator = await StartAsync();
        using var http = emulator.CreateHttpClient();
        JsonNode created = await CreateConfigMapAsync(http, "cm");
        JsonNode first = created.DeepClone();
        first["data"]!["k"] = "1";
        var (ok, _, _) = await SendAsync(http, HttpMethod.Put, "/api/v1/namespaces/default/configmaps/cm", first.ToJsonString());
        Assert.Equal(200, ok);

        JsonNode stale = created.DeepClone();
        stale["data"]!["k"] = "2";
        var (status, body, _) = await SendAsync(http, HttpMethod.Put, "/api/v1/namespaces/default/configmaps/cm", stale.ToJsonString());

        Assert.Equal(409, status);
        Assert.Equal("Conflict", body!["reason"]!.ToString());
        Assert.Equal("Operation cannot be fulfilled on configmaps \"cm\": the object has been modified; please apply your changes to the latest version and try again", body["message"]!.ToString());
    }

    [Fact]
    public async Task Update_WithoutResourceVersion_IsUnconditional()
    {
        await using var emulator = await StartAsync();
        using var http = emulator.CreateHttpClient();
        await CreateConfigMapAsync(http, "cm");

        var (status, body, _) = await SendAsync(http, HttpMethod.Put, "/api/v1/namespaces/default/configmaps/cm", ConfigMap("cm", data: """{"k":"new"}"""));

        Assert.Equal(200, status);
        Assert.Equal("new", body!["data"]!["k"]!.ToString());
    }

    [Fact]
    public async Task Update_Missing_Returns404()
    {
        await using var emulator = await StartAsync();
        using var http = emulator.CreateHttpClient();

        var (status, body, _) = await SendAsync(http, HttpMethod.Put, "/api/v1/namespaces/default/configmaps/none", ConfigMap("none"));

        Assert.Equal(404, status);
        Assert.Equal("configmaps \"none\" not found", body!["message"]!.ToString());
    }

    [Fact]
    public async Task Update_NoChange_KeepsResourceVersion()
    {
        await using var emulator = await StartAsync();
        using var http = emulator.CreateHttpClient();
        JsonNode created = await CreateConfigMapAsync(http, "cm");

        var (_, body, _) = await SendAsync(http, HttpMethod.Put, "/api/v1/namespaces/default/configmaps/cm", created.ToJsonString());

        Assert.Equal(created["metadata"]!["resourceVersion"]!.ToString(), body!["metadata"]!["resourceVersion"]!.ToString());
    }

    [Fact]
    public async Task Delete_ConfigMap_ReturnsSuccessStatusAndThenGetIs404()
    {
        await using var emulator = await StartAsync();
        using var http = emulator.CreateHttpClient();
        JsonNode created = await CreateConfigMapAsync(http, "gone");

        var (status, body, _) = await SendAsync(http, HttpMethod.Delete, "/api/v1/namespaces/default/configmaps/gone");

        Assert.Equal(200, status);
        Assert.Equal("Status", body!["kind"]!.ToString());
        Assert.Equal("Success", body["status"]!.ToString());
        Assert.Equal(created["metadata"]!["uid"]!.ToString(), body["details"]!["uid"]!.ToString());
        var (after, _, _) = await GetAsync(http, "/api/v1/namespaces/default/configmaps/gone");
        Assert.Equal(404, after);
    }

    [Fact]
    public async Task Delete_Pod_ReturnsTheDeletedObject()
    {
        await using var emulator = await StartAsync();
        using var http = emulator.CreateHttpClient();
        await PostAsync(http, "/api/v1/namespaces/default/pods", """{"metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"x"}]}}""");

        var (status, body, _) = await SendAsync(http, HttpMethod.Delete, "/api/v1/namespaces/default/pods/p");

        Assert.Equal(200, status);
        Assert.Equal("Pod", body!["kind"]!.ToString());
        Assert.NotNull(body["metadata"]!["deletionTimestamp"]);
    }

    [Fact]
    public async Task Delete_UidPreconditionMismatch_Returns409()
    {
        await using var emulator = await StartAsync();
        using var http = emulator.CreateHttpClient();
        await CreateConfigMapAsync(http, "cm");

        var (status, body, _) = await SendAsync(http, HttpMethod.Delete, "/api/v1/namespaces/default/configmaps/cm", """{"preconditions":{"uid":"other"}}""");

        Assert.Equal(409, status);
        Assert.Contains("Precondition failed: UID in precondition: other", body!["message"]!.ToString());
    }

    [Fact]
    public async Task Delete_Namespace_RemovesItsObjects()
    {
        await using var emulator = await StartAsync();
        using var http = emulator.CreateHttpClient();
        await PostAsync(http, "/api/v1/namespaces", """{"metadata":{"name":"team"}}""");
        await CreateConfigMapAsync(http, "a", "team");

        var (status, body, _) = await SendAsync(http, HttpMethod.Delete, "/api/v1/namespaces/team");

        Assert.Equal(200, status);
        Assert.Equal("Terminating", body!["status"]!["phase"]!.ToString());
        var (_, list, _) = await GetAsync(http, "/api/v1/configmaps");
        Assert.DoesNotContain(list!["items"]!.AsArray(), i => i!["metadata"]!["namespace"]!.ToString() == "team");
    }

    [Fact]
    public async Task DeleteCollection_LabelSelector_DeletesOnlyMatches()
    {
        await using var emulator = await StartAsync();
        using var http = emulator.CreateHttpClient();
        await CreateConfigMapAsync(http, "a", labels: """{"app":"x"}""");
        await CreateConfigMapAsync(http, "b", labels: """{"app":"y"}""");

        var (status, body, _) = await SendAsync(http, HttpMethod.Delete, "/api/v1/namespaces/default/configmaps?labelSelector=app%3Dx");

        Assert.Equal(200, status);
        Assert.Single(body!["items"]!.AsArray());
        var (_, list, _) = await GetAsync(http, "/api/v1/namespaces/default/configmaps");
        Assert.Equal(["b"], list!["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.ToString()));
    }

    [Fact]
    public async Task Get_UnknownResource_Returns404Status()
    {
        await using var emulator = await StartAsync();
        using var http = emulator.CreateHttpClient();

        var (status, body, _) = await GetAsync(http, "/api/v1/namespaces/default/widgets");

        Assert.Equal(404, status);
        Assert.Equal("the server could not find the requested resource", body!["message"]!.ToString());
    }

    [Fact]
    public async Task List_AllNamespaces_ItemsOmitTypeMetaAsTypedListsDo()
    {
        await using var emulator = await StartAsync();
        using var http = emulator.CreateHttpClient();
        await PostAsync(http, "/api/v1/namespaces", """{"metadata":{"name":"other"}}""");
        await CreateConfigMapAsync(http, "a");
        await CreateConfigMapAsync(http, "b", "other");

        var (_, list, _) = await GetAsync(http, "/api/v1/configmaps");

        Assert.Equal("ConfigMapList", list!["kind"]!.ToString());
        Assert.Equal(["default/a", "other/b"], list["items"]!.AsArray().Select(i => i!["metadata"]!["namespace"] + "/" + i["metadata"]!["name"]));
        Assert.All(list["items"]!.AsArray(), i => Assert.Null(i!["kind"]));
    }

    [Fact]
    public async Task CustomResource_RegisteredType_ServesCrudAndDiscovery()
    {
        await using var emulator = await StartAsync(new() { ResourceTypes = [new("example.com", "v1", "widgets", "Widget") { ShortNames = ["wd"] }] });
        using var http = emulator.CreateHttpClient();

        var (status, created, _) = await PostAsync(http, "/apis/example.com/v1/namespaces/default/widgets", """{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w1"},"spec":{"size":3}}""");
        Assert.Equal(201, status);
        Assert.Equal(1, created!["metadata"]!["generation"]!.GetValue<long>());

        var (_, list, _) = await GetAsync(http, "/apis/example.com/v1/widgets");
        Assert.Equal("WidgetList", list!["kind"]!.ToString());
        Assert.Equal("Widget", list["items"]![0]!["kind"]!.ToString());

        var (_, resources, _) = await GetAsync(http, "/apis/example.com/v1");
        Assert.Equal("wd", resources!["resources"]![0]!["shortNames"]![0]!.ToString());
    }

    [Fact]
    public async Task CustomResourceDefinition_Created_RegistersItsTypeAndIsEstablished()
    {
        await using var emulator = await StartAsync();
        using var http = emulator.CreateHttpClient();
        const string crd = """
            {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"gadgets.example.com"},
             "spec":{"group":"example.com","scope":"Cluster","names":{"plural":"gadgets","singular":"gadget","kind":"Gadget"},
             "versions":[{"name":"v1","served":true,"storage":true,"schema":{"openAPIV3Schema":{"type":"object"}}}]}}
            """;

        var (status, created, _) = await PostAsync(http, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd);
        Assert.Equal(201, status);
        Assert.Contains(created!["status"]!["conditions"]!.AsArray(), c => c!["type"]!.ToString() == "Established" && c["status"]!.ToString() == "True");

        var (gadget, _, _) = await PostAsync(http, "/apis/example.com/v1/gadgets", """{"metadata":{"name":"g"}}""");
        Assert.Equal(201, gadget);

        await SendAsync(http, HttpMethod.Delete, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gadgets.example.com");
        var (after, _, _) = await GetAsync(http, "/apis/example.com/v1/gadgets");
        Assert.Equal(404, after);
    }

    [Fact]
    public async Task Service_Create_AssignsClusterIp()
    {
        await using var emulator = await StartAsync();
        using var http = emulator.CreateHttpClient();

        var (_, body, _) = await PostAsync(http, "/api/v1/namespaces/default/services", """{"metadata":{"name":"web"},"spec":{"ports":[{"port":80}]}}""");

        Assert.Equal("ClusterIP", body!["spec"]!["type"]!.ToString());
        Assert.Matches(@"^10\.96\.\d+\.\d+$", body["spec"]!["clusterIP"]!.ToString());
    }

    [Fact]
    public async Task Table_Requested_ReturnsColumnsAndRows()
    {
        await using var emulator = await StartAsync();
        using var http = emulator.CreateHttpClient();
        await PostAsync(http, "/api/v1/namespaces/default/secrets", """{"metadata":{"name":"s"},"type":"kubernetes.io/tls","data":{"tls.crt":"","tls.key":""}}""");

        var (status, table, response) = await GetAsync(http, "/api/v1/namespaces/default/secrets", "application/json;as=Table;v=v1;g=meta.k8s.io,application/json");

        Assert.Equal(200, status);
        Assert.Equal("Table", table!["kind"]!.ToString());
        Assert.Equal("meta.k8s.io/v1", table["apiVersion"]!.ToString());
        Assert.Equal(["Name", "Type", "Data", "Age"], table["columnDefinitions"]!.AsArray().Select(c => c!["name"]!.ToString()));
        var cells = table["rows"]![0]!["cells"]!.AsArray();
        Assert.Equal("s", cells[0]!.ToString());
        Assert.Equal("kubernetes.io/tls", cells[1]!.ToString());
        Assert.Equal(2, cells[2]!.GetValue<long>());
        Assert.Equal("PartialObjectMetadata", table["rows"]![0]!["object"]!["kind"]!.ToString());
        Assert.Contains("as=Table", response.Content.Headers.ContentType!.ToString());
    }

    [Theory]
    [InlineData("""{"metadata":{"name":"x","labels":[1]}}""")]
    [InlineData("""{"metadata":{"name":7}}""")]
    [InlineData("""{"metadata":"x"}""")]
    [InlineData("""[1,2]""")]
    [InlineData("""{"metadata":{"name":"x"}""")]
    public async Task Create_MalformedBodies_Return400NotACrash(string body)
    {
        await using var emulator = await StartAsync();
        using var http = emulator.CreateHttpClient();

        var (status, response, _) = await PostAsync(http, "/api/v1/namespaces/default/configmaps", body);

        Assert.True(status is 400 or 422, $"{status} {response?.ToJsonString()}");
        Assert.Equal("Status", response!["kind"]!.ToString());
        var (after, _, _) = await GetAsync(http, "/api/v1/namespaces/default/configmaps");
        Assert.Equal(200, after);
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(119, "119s")]
    [InlineData(200, "3m20s")]
    [InlineData(600, "10m")]
    [InlineData(3 * 3600 + 600, "3h10m")]
    [InlineData(30 * 3600, "30h")]
    [InlineData(3 * 86400 + 3600, "3d1h")]
    [InlineData(400 * 86400, "400d")]
    [InlineData(3 * 365 * 86400 + 86400 * 20, "3y20d")]
    public void HumanDuration_AsKubectlPrintsAge(int seconds, string expected)
    {
        Assert.Equal(expected, Platform.Kubernetes.Emulator.Api.Tables.HumanDuration(TimeSpan.FromSeconds(seconds)));
    }
}
