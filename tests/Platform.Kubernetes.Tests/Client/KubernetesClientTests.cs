using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Platform.Kubernetes.Client;
using Platform.Kubernetes.Config;

namespace Platform.Kubernetes.Tests.Client;

public sealed class KubernetesClientTests : IAsyncLifetime
{
    private FakeApiServer _server = null!;
    private readonly RecordingTimeProvider _time = new();

    public async Task InitializeAsync() => _server = await FakeApiServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private KubernetesClient Client(KubernetesOptions? options = null, string? token = Statuses.Token) =>
        new(new KubernetesClientConfiguration
        {
            Server = _server.Address,
            CertificateAuthorities = [TestCertificates.Shared.Ca],
            BearerToken = token,
        }, options, null, _time);

    [Fact]
    public async Task GetAsync_ExistingObject_SendsBearerTokenToObjectPath()
    {
        _server.Handler = (ctx, _) => FakeApiServer.Json(ctx, 200, Statuses.ConfigMap("web", "prod", "42"));
        using var client = Client();

        var obj = await client.GetAsync(ResourceType.ConfigMaps, "prod", "web");

        Assert.Equal("42", obj["metadata"]!["resourceVersion"]!.GetValue<string>());
        var request = Assert.Single(_server.Snapshot());
        Assert.Equal("GET", request.Method);
        Assert.Equal("/api/v1/namespaces/prod/configmaps/web", request.Path);
        Assert.Equal("Bearer " + Statuses.Token, request.Authorization);
    }

    [Fact]
    public async Task GetAsync_GroupedClusterScopedResource_UsesApisPath()
    {
        _server.Handler = (ctx, _) => FakeApiServer.Json(ctx, 200, """{"kind":"ClusterRole","apiVersion":"rbac.authorization.k8s.io/v1","metadata":{"name":"view"}}""");
        using var client = Client();
        var type = new ResourceType("rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", Namespaced: false);

        await client.GetAsync(type, null, "view");

        Assert.Equal("/apis/rbac.authorization.k8s.io/v1/clusterroles/view", Assert.Single(_server.Snapshot()).Path);
    }

    [Fact]
    public async Task GetAsync_ServerWithPathPrefix_KeepsThePrefix()
    {
        _server.Handler = (ctx, _) => FakeApiServer.Json(ctx, 200, Statuses.ConfigMap("web", "prod", "1"));
        using var client = new KubernetesClient(
            new KubernetesClientConfiguration { Server = new Uri(_server.Address, "/k8s/clusters/c-m-4x7"), CertificateAuthorities = [TestCertificates.Shared.Ca] }, null, null, _time);

        await client.GetAsync(ResourceType.ConfigMaps, "prod", "web");

        Assert.Equal("/k8s/clusters/c-m-4x7/api/v1/namespaces/prod/configmaps/web", Assert.Single(_server.Snapshot()).Path);
    }

    [Fact]
    public async Task GetAsync_NamespacedTypeWithoutNamespace_ThrowsArgumentException()
    {
        using var client = Client();
        await Assert.ThrowsAsync<ArgumentException>(() => client.GetAsync(ResourceType.Secrets, null, "x"));
        Assert.Empty(_server.Snapshot());
    }

    [Fact]
    public async Task GetAsync_NotFoundStatus_ThrowsNotFoundWithStructuredFacts()
    {
        _server.Handler = (ctx, _) => FakeApiServer.Json(ctx, 404, Statuses.NotFound("db-password", "secrets"));
        using var client = Client();

        var ex = await Assert.ThrowsAsync<KubernetesNotFoundException>(() => client.GetAsync(ResourceType.Secrets, "prod", "db-password"));

        Assert.Equal(HttpStatusCode.NotFound, ex.StatusCode);
        Assert.Equal("NotFound", ex.Reason);
        Assert.Equal("secrets", ex.ResourceKind);
        Assert.Equal("db-password", ex.ResourceName);
        Assert.Equal("prod", ex.ResourceNamespace);
        Assert.Contains("secrets \"db-password\" not found", ex.Message, StringComparison.Ordinal);
        Assert.Contains(_server.Address.Authority, ex.Message, StringComparison.Ordinal);
        Assert.Single(_server.Snapshot());
    }

    [Fact]
    public async Task Errors_ForSecretRequests_NeverContainTokenOrSecretData()
    {
        // A misbehaving proxy echoes the Authorization header into its error text.
        _server.Handler = (ctx, _) => FakeApiServer.Json(
            ctx, 403, Statuses.ForbiddenSecrets.Replace("secrets is forbidden", "token " + Statuses.Token + " secrets is forbidden", StringComparison.Ordinal));
        using var client = Client(new KubernetesOptions { MaxAttempts = 1 });
        var secret = new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "db" },
            ["data"] = new JsonObject { ["password"] = "c3VwZXItc2VjcmV0LXBhc3N3b3Jk" },
        };

        var ex = await Assert.ThrowsAsync<KubernetesForbiddenException>(() => client.CreateAsync(ResourceType.Secrets, "prod", secret));

        var text = ex.ToString();
        Assert.DoesNotContain(Statuses.Token, text, StringComparison.Ordinal);
        Assert.DoesNotContain("c3VwZXItc2VjcmV0LXBhc3N3b3Jk", text, StringComparison.Ordinal);
        Assert.Contains("[redacted]", ex.Status.Message, StringComparison.Ordinal);
        Assert.Contains("cannot list resource", ex.Message, StringComparison.Ordinal);
        Assert.Contains("c3VwZXItc2VjcmV0LXBhc3N3b3Jk", Assert.Single(_server.Snapshot()).Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(401, typeof(KubernetesUnauthorizedException))]
    [InlineData(403, typeof(KubernetesForbiddenException))]
    [InlineData(410, typeof(KubernetesGoneException))]
    [InlineData(422, typeof(KubernetesInvalidException))]
    public async Task ReplaceAsync_StatusCode_MapsToExceptionType(int code, Type expected)
    {
        var body = code switch
        {
            401 => Statuses.Unauthorized,
            403 => Statuses.ForbiddenSecrets,
            410 => Statuses.ContinueExpired,
            _ => Statuses.InvalidConfigMap,
        };
        _server.Handler = (ctx, _) => FakeApiServer.Json(ctx, code, body);
        using var client = Client();

        var ex = await Assert.ThrowsAnyAsync<KubernetesException>(() => client.ReplaceAsync(ResourceType.ConfigMaps, "default", "Bad_Name", new JsonObject()));

        Assert.IsType(expected, ex);
        Assert.Equal(code, (int)ex.StatusCode);
        Assert.Single(_server.Snapshot());
    }

    [Fact]
    public async Task CreateAsync_Invalid_ExposesFieldCauses()
    {
        _server.Handler = (ctx, _) => FakeApiServer.Json(ctx, 422, Statuses.InvalidConfigMap);
        using var client = Client();

        var ex = await Assert.ThrowsAsync<KubernetesInvalidException>(() =>
            client.CreateAsync(ResourceType.ConfigMaps, "default", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "Bad_Name" } }));

        Assert.Equal("Invalid", ex.Reason);
        Assert.StartsWith("metadata.name: Invalid value", Assert.Single(ex.Status.Causes), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAsync_AlreadyExistsAndConflict_AreDistinguished()
    {
        _server.Handler = (ctx, i) => i == 0
            ? FakeApiServer.Json(ctx, 409, Statuses.AlreadyExists("web", "configmaps"))
            : FakeApiServer.Json(ctx, 409, Statuses.Conflict("web", "configmaps"));
        using var client = Client();
        var body = new JsonObject { ["metadata"] = new JsonObject { ["name"] = "web" } };

        await Assert.ThrowsAsync<KubernetesAlreadyExistsException>(() => client.CreateAsync(ResourceType.ConfigMaps, "default", body));
        await Assert.ThrowsAsync<KubernetesConflictException>(() => client.ReplaceAsync(ResourceType.ConfigMaps, "default", "web", body));
    }

    [Fact]
    public async Task CreateAsync_BodyWithoutTypeMeta_PostsToCollectionWithApiVersionAndKind()
    {
        _server.Handler = (ctx, _) => FakeApiServer.Json(ctx, 201, Statuses.ConfigMap("web", "default", "7"));
        using var client = Client();
        var body = new JsonObject { ["metadata"] = new JsonObject { ["name"] = "web" }, ["data"] = new JsonObject { ["k"] = "v" } };

        var created = await client.CreateAsync(ResourceType.ConfigMaps, "default", body);

        Assert.Equal("7", created["metadata"]!["resourceVersion"]!.GetValue<string>());
        var request = Assert.Single(_server.Snapshot());
        Assert.Equal("POST", request.Method);
        Assert.Equal("/api/v1/namespaces/default/configmaps", request.Path);
        Assert.StartsWith("application/json", request.ContentType, StringComparison.Ordinal);
        var sent = JsonNode.Parse(request.Body)!;
        Assert.Equal("v1", sent["apiVersion"]!.GetValue<string>());
        Assert.Equal("ConfigMap", sent["kind"]!.GetValue<string>());
        Assert.Null(body["kind"]);
    }

    [Theory]
    [InlineData(PatchKind.Merge, "application/merge-patch+json", "")]
    [InlineData(PatchKind.Json, "application/json-patch+json", "")]
    [InlineData(PatchKind.Apply, "application/apply-patch+yaml", "?fieldManager=platform&force=true")]
    public async Task PatchAsync_Kind_SendsMatchingContentTypeAndQuery(PatchKind kind, string contentType, string query)
    {
        _server.Handler = (ctx, _) => FakeApiServer.Json(ctx, 200, Statuses.ConfigMap("web", "default", "8"));
        using var client = Client();
        JsonNode document = kind == PatchKind.Json
            ? new JsonArray(new JsonObject { ["op"] = "replace", ["path"] = "/data/k", ["value"] = "w" })
            : new JsonObject { ["data"] = new JsonObject { ["k"] = "w" } };
        var patch = new Patch(kind, document, kind == PatchKind.Apply ? "platform" : null, Force: kind == PatchKind.Apply);

        await client.PatchAsync(ResourceType.ConfigMaps, "default", "web", patch);

        var request = Assert.Single(_server.Snapshot());
        Assert.Equal("PATCH", request.Method);
        Assert.Equal(contentType, request.ContentType);
        Assert.Equal(query, request.Query);
        if (kind == PatchKind.Apply)
        {
            Assert.Equal("ConfigMap", JsonNode.Parse(request.Body)!["kind"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task PatchAsync_ApplyWithoutFieldManager_ThrowsArgumentException()
    {
        using var client = Client();
        await Assert.ThrowsAsync<ArgumentException>(() =>
            client.PatchAsync(ResourceType.ConfigMaps, "default", "web", new Patch(PatchKind.Apply, new JsonObject())));
    }

    [Fact]
    public async Task DeleteAsync_Object_SendsDelete()
    {
        _server.Handler = (ctx, _) => FakeApiServer.Json(ctx, 200, """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Success","details":{"name":"web","kind":"configmaps","uid":"1"}}""");
        using var client = Client();

        await client.DeleteAsync(ResourceType.ConfigMaps, "default", "web");

        var request = Assert.Single(_server.Snapshot());
        Assert.Equal(("DELETE", "/api/v1/namespaces/default/configmaps/web"), (request.Method, request.Path));
    }

    [Fact]
    public async Task DeleteAsync_WithOptions_SendsDeleteOptionsBodyAndDryRun()
    {
        _server.Handler = (ctx, _) => FakeApiServer.Json(ctx, 200, Statuses.ConfigMap("web", "default", "9"));
        using var client = Client();

        await client.DeleteAsync(ResourceType.Jobs, "default", "migrate", new DeleteOptions
        {
            PropagationPolicy = PropagationPolicy.Foreground,
            PreconditionResourceVersion = "41",
            GracePeriod = TimeSpan.Zero,
            DryRun = true,
        });

        var request = Assert.Single(_server.Snapshot());
        Assert.Equal(("DELETE", "/apis/batch/v1/namespaces/default/jobs/migrate", "?dryRun=All"), (request.Method, request.Path, request.Query));
        var body = JsonNode.Parse(request.Body)!;
        Assert.Equal("Foreground", body["propagationPolicy"]!.GetValue<string>());
        Assert.Equal("41", body["preconditions"]!["resourceVersion"]!.GetValue<string>());
        Assert.Equal(0, body["gracePeriodSeconds"]!.GetValue<long>());
    }

    [Fact]
    public async Task ListAsync_SelectorsAndPaging_AreSentAndItemsGetTypeMeta()
    {
        _server.Handler = (ctx, _) => FakeApiServer.Json(ctx, 200, Statuses.ConfigMapList("10245", "ENCODED_CONTINUE_TOKEN", ("a", "1"), ("b", "2")));
        using var client = Client();

        var page = await client.ListAsync(ResourceType.ConfigMaps, null, new ListOptions { LabelSelector = "owner=helm,status in (deployed)", FieldSelector = "metadata.name!=x", Limit = 2 });

        Assert.Equal("10245", page.ResourceVersion);
        Assert.Equal("ENCODED_CONTINUE_TOKEN", page.Continue);
        Assert.Equal(["a", "b"], page.Items.Select(i => i["metadata"]!["name"]!.GetValue<string>()));
        Assert.All(page.Items, i => Assert.Equal("ConfigMap", i["kind"]!.GetValue<string>()));
        var request = Assert.Single(_server.Snapshot());
        Assert.Equal("/api/v1/configmaps", request.Path);
        var query = QueryHelpers(request.Query);
        Assert.Equal("owner=helm,status in (deployed)", query["labelSelector"]);
        Assert.Equal("metadata.name!=x", query["fieldSelector"]);
        Assert.Equal("2", query["limit"]);
    }

    [Fact]
    public async Task ListAllAsync_ThreePages_FollowsContinueTokens()
    {
        _server.Handler = (ctx, i) => FakeApiServer.Json(ctx, 200, i switch
        {
            0 => Statuses.ConfigMapList("10245", "T1", ("a", "1"), ("b", "2")),
            1 => Statuses.ConfigMapList("10245", "T2", ("c", "3"), ("d", "4")),
            _ => Statuses.ConfigMapList("10245", null, ("e", "5")),
        });
        using var client = Client();

        var names = new List<string>();
        await foreach (var item in client.ListAllAsync(ResourceType.ConfigMaps, "default", new ListOptions { Limit = 2 }))
        {
            names.Add(item["metadata"]!["name"]!.GetValue<string>());
        }

        Assert.Equal(["a", "b", "c", "d", "e"], names);
        var requests = _server.Snapshot();
        Assert.Equal(3, requests.Length);
        Assert.DoesNotContain("continue", requests[0].Query, StringComparison.Ordinal);
        Assert.Contains("continue=T1", requests[1].Query, StringComparison.Ordinal);
        Assert.Contains("continue=T2", requests[2].Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListAllAsync_ContinueExpired_ThrowsGone()
    {
        _server.Handler = (ctx, i) => i == 0
            ? FakeApiServer.Json(ctx, 200, Statuses.ConfigMapList("10245", "T1", ("a", "1")))
            : FakeApiServer.Json(ctx, 410, Statuses.ContinueExpired);
        using var client = Client();

        var ex = await Assert.ThrowsAsync<KubernetesGoneException>(async () =>
        {
            await foreach (var _ in client.ListAllAsync(ResourceType.ConfigMaps, "default", new ListOptions { Limit = 1 }))
            {
            }
        });

        Assert.Equal("Expired", ex.Reason);
    }

    [Fact]
    public async Task ListCompleteAsync_ContinueExpired_FallsBackToOneFullList()
    {
        _server.Handler = (ctx, i) => i switch
        {
            0 => FakeApiServer.Json(ctx, 200, Statuses.ConfigMapList("100", "T1", ("a", "1"))),
            1 => FakeApiServer.Json(ctx, 410, Statuses.ContinueExpired),
            _ => FakeApiServer.Json(ctx, 200, Statuses.ConfigMapList("120", null, ("a", "1"), ("b", "2"), ("c", "3"))),
        };
        using var client = Client();

        var list = await client.ListCompleteAsync(ResourceType.ConfigMaps, "default", new ListOptions { Limit = 1 });

        Assert.Equal("120", list.ResourceVersion);
        Assert.Equal(3, list.Items.Count);
        Assert.DoesNotContain("limit", _server.Snapshot()[2].Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WatchAsync_DocumentationExample_YieldsEventsAndBookmark()
    {
        // The watch example of the Kubernetes API concepts page: pretty-printed frames, bookmarks allowed.
        const string stream = """
            {
              "type": "ADDED",
              "object": {"kind": "Pod", "apiVersion": "v1", "metadata": {"resourceVersion": "10596", "name": "a"}}
            }
            {
              "type": "MODIFIED",
              "object": {"kind": "Pod", "apiVersion": "v1", "metadata": {"resourceVersion": "11020", "name": "a"}}
            }
            {
              "type": "BOOKMARK",
              "object": {"kind": "Pod", "apiVersion": "v1", "metadata": {"resourceVersion": "12746"} }
            }

            """;
        _server.Handler = (ctx, _) => FakeApiServer.Json(ctx, 200, stream);
        using var client = Client();

        var events = new List<WatchEvent>();
        await foreach (var e in client.WatchAsync(ResourceType.Pods, "test", new WatchOptions { ResourceVersion = "10245" }))
        {
            events.Add(e);
        }

        Assert.Equal([WatchEventType.Added, WatchEventType.Modified, WatchEventType.Bookmark], events.Select(e => e.Type));
        Assert.Equal("12746", events[2].Object["metadata"]!["resourceVersion"]!.GetValue<string>());
        var request = Assert.Single(_server.Snapshot());
        Assert.Equal("/api/v1/namespaces/test/pods", request.Path);
        var query = QueryHelpers(request.Query);
        Assert.Equal("true", query["watch"]);
        Assert.Equal("10245", query["resourceVersion"]);
        Assert.Equal("true", query["allowWatchBookmarks"]);
    }

    [Fact]
    public async Task WatchAsync_InBandExpiredError_ThrowsGoneAfterEarlierEvents()
    {
        _server.Handler = (ctx, _) => FakeApiServer.Json(
            ctx, 200, """{"type":"ADDED","object":{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"a","resourceVersion":"5"}}}""" + "\n" + Statuses.WatchExpired + "\n");
        using var client = Client();
        var seen = new List<WatchEvent>();

        var ex = await Assert.ThrowsAsync<KubernetesGoneException>(async () =>
        {
            await foreach (var e in client.WatchAsync(ResourceType.ConfigMaps, "default", new WatchOptions { ResourceVersion = "1" }))
            {
                seen.Add(e);
            }
        });

        Assert.Single(seen);
        Assert.Equal("Expired", ex.Reason);
        Assert.Contains("too old resource version", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WatchAsync_Http410OnOpen_ThrowsGone()
    {
        _server.Handler = (ctx, _) => FakeApiServer.Json(ctx, 410, Statuses.ContinueExpired);
        using var client = Client();

        await Assert.ThrowsAsync<KubernetesGoneException>(async () =>
        {
            await foreach (var _ in client.WatchAsync(ResourceType.ConfigMaps, "default", new WatchOptions { ResourceVersion = "1" }))
            {
            }
        });
    }

    [Fact]
    public async Task WatchAsync_ConnectionDroppedMidStream_EndsAfterDeliveredEventsSoCallerCanResume()
    {
        var firstSeen = new TaskCompletionSource();
        _server.Handler = async (ctx, _) =>
        {
            ctx.Response.ContentType = "application/json";
            await ctx.Response.WriteAsync("""{"type":"ADDED","object":{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"a","resourceVersion":"5"}}}""" + "\n");
            await ctx.Response.WriteAsync("""{"type":"MODIFIED","object":{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"a","resource""");
            await ctx.Response.Body.FlushAsync();
            await firstSeen.Task;
            ctx.Abort();
        };
        using var client = Client();

        var seen = new List<WatchEvent>();
        await foreach (var e in client.WatchAsync(ResourceType.ConfigMaps, "default", new WatchOptions { ResourceVersion = "4" }))
        {
            seen.Add(e);
            firstSeen.TrySetResult();
        }

        var only = Assert.Single(seen);
        Assert.Equal("5", only.Object["metadata"]!["resourceVersion"]!.GetValue<string>());
    }

    [Fact]
    public async Task Get_429BurstWithRetryAfter_RetriesAfterHintedDelay()
    {
        _server.Handler = (ctx, i) => i < 3
            ? FakeApiServer.Json(ctx, 429, Statuses.TooManyRequests, r => r.Headers.RetryAfter = "1")
            : FakeApiServer.Json(ctx, 200, Statuses.ConfigMap("web", "default", "9"));
        using var client = Client();

        var obj = await client.GetAsync(ResourceType.ConfigMaps, "default", "web");

        Assert.Equal("9", obj["metadata"]!["resourceVersion"]!.GetValue<string>());
        Assert.Equal(4, _server.Snapshot().Length);
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)], _time.Delays);
    }

    [Fact]
    public async Task Create_429WithRetryAfter_IsRetriedBecauseServerDidNotProcessIt()
    {
        _server.Handler = (ctx, i) => i == 0
            ? FakeApiServer.Json(ctx, 429, Statuses.TooManyRequests, r => r.Headers.RetryAfter = "2")
            : FakeApiServer.Json(ctx, 201, Statuses.ConfigMap("web", "default", "9"));
        using var client = Client();

        await client.CreateAsync(ResourceType.ConfigMaps, "default", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "web" } });

        Assert.Equal(2, _server.Snapshot().Length);
        Assert.Equal(TimeSpan.FromSeconds(2), Assert.Single(_time.Delays));
    }

    [Fact]
    public async Task Get_429Persisting_ThrowsTooManyRequestsWithRetryAfterAfterMaxAttempts()
    {
        _server.Handler = (ctx, _) => FakeApiServer.Json(ctx, 429, Statuses.TooManyRequests, r => r.Headers.RetryAfter = "1");
        using var client = Client(new KubernetesOptions { MaxAttempts = 3 });

        var ex = await Assert.ThrowsAsync<KubernetesTooManyRequestsException>(() => client.GetAsync(ResourceType.ConfigMaps, "default", "web"));

        Assert.Equal(TimeSpan.FromSeconds(1), ex.RetryAfter);
        Assert.Equal(3, _server.Snapshot().Length);
    }

    [Fact]
    public async Task Get_RetryAfterLongerThanMax_FailsWithoutWaiting()
    {
        _server.Handler = (ctx, _) => FakeApiServer.Json(ctx, 429, Statuses.TooManyRequests, r => r.Headers.RetryAfter = "3600");
        using var client = Client();

        var ex = await Assert.ThrowsAsync<KubernetesTooManyRequestsException>(() => client.GetAsync(ResourceType.ConfigMaps, "default", "web"));

        Assert.Equal(TimeSpan.FromHours(1), ex.RetryAfter);
        Assert.Single(_server.Snapshot());
        Assert.Empty(_time.Delays);
    }

    [Fact]
    public async Task Get_500ThenSuccess_RetriesWithGrowingBackoff()
    {
        _server.Handler = (ctx, i) => i < 2
            ? FakeApiServer.Json(ctx, 500, Statuses.InternalError)
            : FakeApiServer.Json(ctx, 200, Statuses.ConfigMap("web", "default", "9"));
        using var client = Client(new KubernetesOptions { RetryBaseDelay = TimeSpan.FromMilliseconds(100), RetryMaxDelay = TimeSpan.FromSeconds(10) });

        await client.GetAsync(ResourceType.ConfigMaps, "default", "web");

        var delays = _time.Delays.ToArray();
        Assert.Equal(2, delays.Length);
        Assert.InRange(delays[0], TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100));
        Assert.InRange(delays[1], TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task Create_500WithoutRetryAfter_IsNotRetried()
    {
        _server.Handler = (ctx, _) => FakeApiServer.Json(ctx, 500, Statuses.InternalError);
        using var client = Client();

        var ex = await Assert.ThrowsAsync<KubernetesServerErrorException>(() =>
            client.CreateAsync(ResourceType.ConfigMaps, "default", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "web" } }));

        Assert.Equal("InternalError", ex.Reason);
        Assert.Single(_server.Snapshot());
    }

    [Fact]
    public async Task Get_ConnectionResetOnce_IsRetried()
    {
        _server.Handler = (ctx, i) =>
        {
            if (i == 0)
            {
                ctx.Abort();
                return Task.CompletedTask;
            }

            return FakeApiServer.Json(ctx, 200, Statuses.ConfigMap("web", "default", "9"));
        };
        using var client = Client();

        await client.GetAsync(ResourceType.ConfigMaps, "default", "web");

        Assert.Equal(2, _server.Snapshot().Length);
    }

    [Fact]
    public async Task Replace_ConnectionReset_IsNotRetriedAndNamesServer()
    {
        _server.Handler = (ctx, _) =>
        {
            ctx.Abort();
            return Task.CompletedTask;
        };
        using var client = Client();

        var ex = await Assert.ThrowsAsync<KubernetesUnavailableException>(() =>
            client.ReplaceAsync(ResourceType.ConfigMaps, "default", "web", new JsonObject()));

        Assert.Equal(_server.Address, ex.Server);
        Assert.Single(_server.Snapshot());
    }

    [Fact]
    public async Task Get_ServerNotListening_ThrowsUnavailableNamingServerAfterRetries()
    {
        var address = _server.Address;
        await _server.DisposeAsync();
        _server = await FakeApiServer.StartAsync();
        using var client = new KubernetesClient(
            new KubernetesClientConfiguration { Server = address, CertificateAuthorities = [TestCertificates.Shared.Ca] },
            new KubernetesOptions { MaxAttempts = 3 },
            null,
            _time);

        var ex = await Assert.ThrowsAsync<KubernetesUnavailableException>(() => client.GetAsync(ResourceType.ConfigMaps, "default", "web"));

        Assert.Equal(address, ex.Server);
        Assert.Contains(address.Authority, ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, _time.Delays.Count);
    }

    [Fact]
    public async Task Get_Cancelled_ThrowsOperationCanceledUnwrapped()
    {
        var release = new TaskCompletionSource();
        _server.Handler = async (ctx, _) => await release.Task;
        using var client = Client();
        using var cts = new CancellationTokenSource();

        var task = client.GetAsync(ResourceType.ConfigMaps, "default", "web", cts.Token);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
        release.SetResult();
    }

    [Fact]
    public async Task Get_ServerHangsOnce_TimesOutAndRetries()
    {
        // The timeout must be long enough for the retried request to complete on a loaded CI machine.
        var hang = new TaskCompletionSource();
        _server.Handler = async (ctx, i) =>
        {
            if (i == 0)
            {
                await hang.Task.WaitAsync(ctx.RequestAborted).ContinueWith(_ => { });
                return;
            }

            await FakeApiServer.Json(ctx, 200, Statuses.ConfigMap("web", "default", "2"));
        };
        using var client = Client(new KubernetesOptions { RequestTimeout = TimeSpan.FromSeconds(3) });

        var obj = await client.GetAsync(ResourceType.ConfigMaps, "default", "web");

        Assert.Equal("2", obj["metadata"]!["resourceVersion"]!.GetValue<string>());
        Assert.Equal(2, _server.Snapshot().Length);
        hang.TrySetResult();
    }

    [Fact]
    public async Task Create_ServerHangs_TimesOutWithoutRetryNamingTheSetting()
    {
        var hang = new TaskCompletionSource();
        _server.Handler = async (ctx, _) => await hang.Task.WaitAsync(ctx.RequestAborted).ContinueWith(_ => { });
        using var client = Client(new KubernetesOptions { RequestTimeout = TimeSpan.FromMilliseconds(300) });

        var ex = await Assert.ThrowsAsync<KubernetesUnavailableException>(() =>
            client.CreateAsync(ResourceType.ConfigMaps, "default", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "web" } }));

        Assert.Contains("RequestTimeout", ex.Message, StringComparison.Ordinal);
        Assert.IsType<TimeoutException>(ex.InnerException);
        Assert.Single(_server.Snapshot());
        hang.TrySetResult();
    }

    [Fact]
    public async Task WatchAsync_TimeoutAndSelectors_AreSent()
    {
        _server.Handler = (ctx, _) => FakeApiServer.Json(ctx, 200, "");
        using var client = Client();

        await foreach (var _ in client.WatchAsync(ResourceType.Secrets, null, new WatchOptions
        {
            Timeout = TimeSpan.FromMinutes(5),
            LabelSelector = "owner=helm",
            FieldSelector = "type=helm.sh/release.v1",
            AllowBookmarks = false,
        }))
        {
        }

        var request = Assert.Single(_server.Snapshot());
        Assert.Equal("/api/v1/secrets", request.Path);
        var query = QueryHelpers(request.Query);
        Assert.Equal("300", query["timeoutSeconds"]);
        Assert.Equal("owner=helm", query["labelSelector"]);
        Assert.Equal("type=helm.sh/release.v1", query["fieldSelector"]);
        Assert.False(query.ContainsKey("allowWatchBookmarks"));
        Assert.False(query.ContainsKey("resourceVersion"));
    }

    [Fact]
    public async Task Https_UnknownCa_FailsTlsWithoutRetry()
    {
        using var otherCa = new TestCertificates("other-ca");
        using var client = new KubernetesClient(
            new KubernetesClientConfiguration { Server = _server.Address, CertificateAuthorities = [otherCa.Ca] }, null, null, _time);

        var ex = await Assert.ThrowsAsync<KubernetesUnavailableException>(() => client.GetAsync(ResourceType.ConfigMaps, "default", "web"));

        Assert.Contains("TLS", ex.Message, StringComparison.Ordinal);
        Assert.Empty(_time.Delays);
    }

    [Fact]
    public async Task Https_InsecureSkipVerify_AcceptsUnknownCertificate()
    {
        _server.Handler = (ctx, _) => FakeApiServer.Json(ctx, 200, Statuses.ConfigMap("web", "default", "1"));
        using var client = new KubernetesClient(new KubernetesClientConfiguration { Server = _server.Address, InsecureSkipTlsVerify = true }, null, null, _time);

        await client.GetAsync(ResourceType.ConfigMaps, "default", "web");
    }

    [Fact]
    public async Task Https_TlsServerName_VerifiesAgainstThatName()
    {
        _server.Handler = (ctx, _) => FakeApiServer.Json(ctx, 200, Statuses.ConfigMap("web", "default", "1"));
        var viaIp = new UriBuilder(_server.Address) { Host = "127.0.0.1" }.Uri;
        using var good = new KubernetesClient(
            new KubernetesClientConfiguration { Server = viaIp, CertificateAuthorities = [TestCertificates.Shared.Ca], TlsServerName = "kubernetes.default.svc" }, null, null, _time);
        using var bad = new KubernetesClient(
            new KubernetesClientConfiguration { Server = viaIp, CertificateAuthorities = [TestCertificates.Shared.Ca], TlsServerName = "not-in-the-certificate.example" }, null, null, _time);

        await good.GetAsync(ResourceType.ConfigMaps, "default", "web");
        await Assert.ThrowsAsync<KubernetesUnavailableException>(() => bad.GetAsync(ResourceType.ConfigMaps, "default", "web"));
    }

    [Fact]
    public async Task OpenLogAsync_Options_AreSentAndBodyStreams()
    {
        _server.Handler = async (ctx, _) =>
        {
            ctx.Response.ContentType = "text/plain";
            await ctx.Response.WriteAsync("2026-12-01T12:00:00.000000001Z line one\n");
            await ctx.Response.Body.FlushAsync();
            await ctx.Response.WriteAsync("2026-12-01T12:00:01.000000001Z line two\n");
        };
        using var client = Client();

        await using var stream = await client.OpenLogAsync("prod", "web-7d9f", new PodLogOptions
        {
            Container = "app",
            Follow = true,
            Previous = true,
            Since = TimeSpan.FromSeconds(90.2),
            TailLines = 100,
            LimitBytes = 4096,
            Timestamps = true,
        });
        using var reader = new StreamReader(stream);
        var text = await reader.ReadToEndAsync();

        Assert.Equal(["line one", "line two"], text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l[(l.IndexOf(' ', StringComparison.Ordinal) + 1)..]));
        var request = Assert.Single(_server.Snapshot());
        Assert.Equal("/api/v1/namespaces/prod/pods/web-7d9f/log", request.Path);
        var query = QueryHelpers(request.Query);
        Assert.Equal("app", query["container"]);
        Assert.Equal("true", query["follow"]);
        Assert.Equal("true", query["previous"]);
        Assert.Equal("91", query["sinceSeconds"]);
        Assert.Equal("100", query["tailLines"]);
        Assert.Equal("4096", query["limitBytes"]);
        Assert.Equal("true", query["timestamps"]);
    }

    [Fact]
    public async Task OpenLogAsync_PodNotFound_ThrowsNotFound()
    {
        _server.Handler = (ctx, _) => FakeApiServer.Json(ctx, 404, Statuses.NotFound("gone", "pods"));
        using var client = Client();

        var ex = await Assert.ThrowsAsync<KubernetesNotFoundException>(() => client.OpenLogAsync("prod", "gone"));

        Assert.Equal("log", ex.Status.Verb);
    }

    [Fact]
    public async Task Get_ResponseLargerThanLimit_ThrowsNamingTheSetting()
    {
        var big = Statuses.ConfigMap("web", "default", "1", new string('x', 4096));
        _server.Handler = (ctx, _) => FakeApiServer.Json(ctx, 200, big);
        using var client = Client(new KubernetesOptions { MaxResponseBytes = 2048 });

        var ex = await Assert.ThrowsAsync<KubernetesException>(() => client.GetAsync(ResourceType.ConfigMaps, "default", "web"));

        Assert.Contains("MaxResponseBytes", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_InvalidOptions_NamesTheSetting()
    {
        var ex = Assert.Throws<ArgumentException>(() => Client(new KubernetesOptions { MaxAttempts = 0 }));
        Assert.Contains("MaxAttempts", ex.Message, StringComparison.Ordinal);
    }

    private static Dictionary<string, string> QueryHelpers(string query) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query).ToDictionary(kv => kv.Key, kv => kv.Value.ToString());
}

public sealed class WatchResumingTests : IAsyncLifetime
{
    private FakeApiServer _server = null!;
    private readonly RecordingTimeProvider _time = new();

    public async Task InitializeAsync() => _server = await FakeApiServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static string Event(string type, string name, string rv) =>
        "{\"type\":\"" + type + "\",\"object\":{\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"" + name + "\",\"resourceVersion\":\"" + rv + "\"}}}\n";

    [Fact]
    public async Task WatchResumingAsync_DroppedStreams_ResumeFromLastVersionUntilGone()
    {
        var delivered = new TaskCompletionSource();
        _server.Handler = async (ctx, i) =>
        {
            ctx.Response.ContentType = "application/json";
            switch (i)
            {
                case 0:
                    await ctx.Response.WriteAsync(Event("ADDED", "a", "11") + Event("MODIFIED", "a", "12"));
                    await ctx.Response.Body.FlushAsync();
                    await delivered.Task;
                    ctx.Abort();
                    break;
                case 1:
                    await ctx.Response.WriteAsync("""{"type":"BOOKMARK","object":{"kind":"ConfigMap","apiVersion":"v1","metadata":{"resourceVersion":"20"}}}""" + "\n");
                    break;
                case 2:
                    break; // closes at once with nothing: the client backs off before the next attempt
                default:
                    await ctx.Response.WriteAsync(Statuses.WatchExpired + "\n");
                    break;
            }
        };
        using var client = new KubernetesClient(
            new KubernetesClientConfiguration { Server = _server.Address, CertificateAuthorities = [TestCertificates.Shared.Ca] }, null, null, _time);
        var seen = new List<string>();

        await Assert.ThrowsAsync<KubernetesGoneException>(async () =>
        {
            await foreach (var e in client.WatchResumingAsync(ResourceType.ConfigMaps, "default", new WatchOptions { ResourceVersion = "10" }, _time))
            {
                seen.Add(e.Type + "@" + e.Object["metadata"]!["resourceVersion"]);
                if (seen.Count == 2)
                {
                    delivered.SetResult();
                }
            }
        });

        Assert.Equal(["Added@11", "Modified@12", "Bookmark@20"], seen);
        var versions = _server.Snapshot().Select(r => Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(r.Query)["resourceVersion"].ToString());
        Assert.Equal(["10", "12", "20", "20"], versions);
        Assert.InRange(Assert.Single(_time.Delays), TimeSpan.FromMilliseconds(400), TimeSpan.FromMilliseconds(800));
    }
}
