using System.Text;
using System.Text.Json.Nodes;
using static Platform.Kubernetes.Tests.Emulator.EmulatorHttp;

namespace Platform.Kubernetes.Tests.Emulator;

public sealed class KubernetesEmulatorListWatchTests
{
    private static async Task SeedLabelledAsync(HttpClient http)
    {
        await CreateConfigMapAsync(http, "a", labels: """{"app":"web","tier":"front"}""");
        await CreateConfigMapAsync(http, "b", labels: """{"app":"web","tier":"back"}""");
        await CreateConfigMapAsync(http, "c", labels: """{"app":"db"}""");
        await CreateConfigMapAsync(http, "d");
    }

    [Theory]
    [InlineData("app=web", "a,b")]
    [InlineData("app==web", "a,b")]
    [InlineData("app!=web", "c,d")]
    [InlineData("app in (web,db)", "a,b,c")]
    [InlineData("tier notin (front)", "b,c,d")]
    [InlineData("tier", "a,b")]
    [InlineData("!tier", "c,d")]
    [InlineData("app=web,tier=back", "b")]
    [InlineData("app in (web),!tier", "")]
    public async Task List_LabelSelector_FiltersAsTheApiServer(string selector, string expected)
    {
        await using var emulator = await StartAsync();
        using var http = emulator.CreateHttpClient();
        await SeedLabelledAsync(http);

        var (status, list, _) = await GetAsync(http, "/api/v1/namespaces/default/configmaps?labelSelector=" + Uri.EscapeDataString(selector));

        Assert.Equal(200, status);
        Assert.Equal(expected, string.Join(',', list!["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.ToString())));
    }

    [Theory]
    [InlineData("app in (web")]
    [InlineData("app=we b")]
    [InlineData("-bad=x")]
    public async Task List_MalformedLabelSelector_Returns400(string selector)
    {
        await using var emulator = await StartAsync();
        using var http = emulator.CreateHttpClient();

        var (status, body, _) = await GetAsync(http, "/api/v1/namespaces/default/configmaps?labelSelector=" + Uri.EscapeDataString(selector));

        Assert.Equal(400, status);
        Assert.Equal("BadRequest", body!["reason"]!.ToString());
    }

    [Fact]
    public async Task List_FieldSelectors_NameNamespaceAndSecretType()
    {
        await using var emulator = await StartAsync();
        using var http = emulator.CreateHttpClient();
        await PostAsync(http, "/api/v1/namespaces/default/secrets", """{"metadata":{"name":"r1"},"type":"helm.sh/release.v1"}""");
        await PostAsync(http, "/api/v1/namespaces/kube-system/secrets", """{"metadata":{"name":"r2"},"type":"helm.sh/release.v1"}""");
        await PostAsync(http, "/api/v1/namespaces/default/secrets", """{"metadata":{"name":"o"}}""");

        async Task<string> Names(string query)
        {
            var (status, list, _) = await GetAsync(http, "/api/v1/secrets?fieldSelector=" + Uri.EscapeDataString(query));
            Assert.Equal(200, status);
            return string.Join(',', list!["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.ToString()));
        }

        Assert.Equal("r1,r2", await Names("type=helm.sh/release.v1"));
        Assert.Equal("o", await Names("type!=helm.sh/release.v1"));
        Assert.Equal("r2", await Names("metadata.namespace=kube-system"));
        Assert.Equal("r1", await Names("metadata.name==r1,type=helm.sh/release.v1"));
        var (bad, body, _) = await GetAsync(http, "/api/v1/secrets?fieldSelector=spec.foo%3Dx");
        Assert.Equal(400, bad);
        Assert.Equal("field label not supported: spec.foo", body!["message"]!.ToString());
    }

    [Fact]
    public async Task List_PodPhaseFieldSelector_Filters()
    {
        await using var emulator = await StartAsync();
        using var http = emulator.CreateHttpClient();
        await emulator.SeedAsync((JsonObject)JsonNode.Parse("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"run"},"status":{"phase":"Running"}}""")!);
        await emulator.SeedAsync((JsonObject)JsonNode.Parse("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"wait"}}""")!);

        var (_, list, _) = await GetAsync(http, "/api/v1/namespaces/default/pods?fieldSelector=status.phase%3DRunning");

        Assert.Equal(["run"], list!["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.ToString()));
    }

    [Fact]
    public async Task List_LimitAndContinue_ServesAConsistentSnapshot()
    {
        await using var emulator = await StartAsync();
        using var http = emulator.CreateHttpClient();
        foreach (string name in new[] { "a", "b", "c", "d", "e" })
        {
            await CreateConfigMapAsync(http, name);
        }

        var (_, page1, _) = await GetAsync(http, "/api/v1/namespaces/default/configmaps?limit=2");
        string rv = page1!["metadata"]!["resourceVersion"]!.ToString();
        Assert.Equal(3, page1["metadata"]!["remainingItemCount"]!.GetValue<long>());
        string token = page1["metadata"]!["continue"]!.ToString();

        // Changes after the first page do not show in the following pages.
        await SendAsync(http, HttpMethod.Delete, "/api/v1/namespaces/default/configmaps/c");
        await CreateConfigMapAsync(http, "bb");

        var names = page1["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.ToString()).ToList();
        while (token.Length > 0)
        {
            var (status, page, _) = await GetAsync(http, "/api/v1/namespaces/default/configmaps?limit=2&continue=" + Uri.EscapeDataString(token));
            Assert.Equal(200, status);
            Assert.Equal(rv, page!["metadata"]!["resourceVersion"]!.ToString());
            names.AddRange(page["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.ToString()));
            token = page["metadata"]!["continue"]?.ToString() ?? "";
        }

        Assert.Equal(["a", "b", "c", "d", "e"], names);
    }

    [Fact]
    public async Task List_ContinueAfterCompaction_Returns410Expired()
    {
        await using var emulator = await StartAsync();
        using var http = emulator.CreateHttpClient();
        await CreateConfigMapAsync(http, "a");
        await CreateConfigMapAsync(http, "b");
        var (_, page1, _) = await GetAsync(http, "/api/v1/namespaces/default/configmaps?limit=1");
        string token = page1!["metadata"]!["continue"]!.ToString();

        emulator.CompactHistory();
        var (status, body, _) = await GetAsync(http, "/api/v1/namespaces/default/configmaps?limit=1&continue=" + Uri.EscapeDataString(token));

        Assert.Equal(410, status);
        Assert.Equal("Expired", body!["reason"]!.ToString());
    }

    [Fact]
    public async Task List_GarbageContinueToken_Returns400()
    {
        await using var emulator = await StartAsync();
        using var http = emulator.CreateHttpClient();

        var (status, body, _) = await GetAsync(http, "/api/v1/namespaces/default/configmaps?limit=1&continue=notatoken");

        Assert.Equal(400, status);
        Assert.StartsWith("continue key is not valid", body!["message"]!.ToString());
    }

    [Fact]
    public async Task Watch_FromListResourceVersion_StreamsAddedModifiedDeleted()
    {
        await using var emulator = await StartAsync();
        using var http = emulator.CreateHttpClient();
        await CreateConfigMapAsync(http, "before");
        var (_, list, _) = await GetAsync(http, "/api/v1/namespaces/default/configmaps");
        string rv = list!["metadata"]!["resourceVersion"]!.ToString();

        using WatchReader watch = await WatchAsync(http, $"/api/v1/namespaces/default/configmaps?watch=1&resourceVersion={rv}");
        JsonNode created = await CreateConfigMapAsync(http, "x");
        created["data"]!["k"] = "changed";
        await SendAsync(http, HttpMethod.Put, "/api/v1/namespaces/default/configmaps/x", created.ToJsonString());
        await SendAsync(http, HttpMethod.Delete, "/api/v1/namespaces/default/configmaps/x");

        JsonObject added = (await watch.NextAsync())!;
        JsonObject modified = (await watch.NextAsync())!;
        JsonObject deleted = (await watch.NextAsync())!;
        Assert.Equal("ADDED", added["type"]!.ToString());
        Assert.Equal("x", added["object"]!["metadata"]!["name"]!.ToString());
        Assert.Equal("ConfigMap", added["object"]!["kind"]!.ToString());
        Assert.Equal("MODIFIED", modified["type"]!.ToString());
        Assert.Equal("changed", modified["object"]!["data"]!["k"]!.ToString());
        Assert.Equal("DELETED", deleted["type"]!.ToString());
        long addedRv = long.Parse(added["object"]!["metadata"]!["resourceVersion"]!.ToString());
        long deletedRv = long.Parse(deleted["object"]!["metadata"]!["resourceVersion"]!.ToString());
        Assert.True(deletedRv > addedRv);
    }

    [Fact]
    public async Task Watch_WithoutResourceVersion_StartsWithCurrentObjectsAsAdded()
    {
        await using var emulator = await StartAsync();
        using var http = emulator.CreateHttpClient();
        await CreateConfigMapAsync(http, "one");
        await CreateConfigMapAsync(http, "two");

        using WatchReader watch = await WatchAsync(http, "/api/v1/namespaces/default/configmaps?watch=true");

        Assert.Equal("one", (await watch.NextOfTypeAsync("ADDED"))["object"]!["metadata"]!["name"]!.ToString());
        Assert.Equal("two", (await watch.NextOfTypeAsync("ADDED"))["object"]!["metadata"]!["name"]!.ToString());
    }

    [Fact]
    public async Task Watch_ResumeFromCompactedVersion_SendsExpiredErrorFrame()
    {
        await using var emulator = await StartAsync();
        using var http = emulator.CreateHttpClient();
        await CreateConfigMapAsync(http, "a");
        long old = emulator.ResourceVersion;
        await CreateConfigMapAsync(http, "b");
        emulator.CompactHistory();

        using WatchReader watch = await WatchAsync(http, $"/api/v1/namespaces/default/configmaps?watch=1&resourceVersion={old}");
        JsonObject frame = (await watch.NextAsync())!;

        Assert.Equal("ERROR", frame["type"]!.ToString());
        Assert.Equal(410, frame["object"]!["code"]!.GetValue<int>());
        Assert.Equal("Expired", frame["object"]!["reason"]!.ToString());
        Assert.Equal($"too old resource version: {old} ({emulator.ResourceVersion + 1})", frame["object"]!["message"]!.ToString());
        Assert.Null(await watch.NextAsync());
    }

    [Fact]
    public async Task Watch_HistoryLimit_ExpiresVersionsThatFellOut()
    {
        await using var emulator = await StartAsync(new() { WatchHistoryLimit = 3 });
        using var http = emulator.CreateHttpClient();
        long start = emulator.ResourceVersion;
        for (int i = 0; i < 5; i++)
        {
            await CreateConfigMapAsync(http, "cm" + i);
        }

        using WatchReader tooOld = await WatchAsync(http, $"/api/v1/namespaces/default/configmaps?watch=1&resourceVersion={start}");
        Assert.Equal("ERROR", (await tooOld.NextAsync())!["type"]!.ToString());

        using WatchReader recent = await WatchAsync(http, $"/api/v1/namespaces/default/configmaps?watch=1&resourceVersion={emulator.ResourceVersion - 2}");
        Assert.Equal("cm3", (await recent.NextOfTypeAsync("ADDED"))["object"]!["metadata"]!["name"]!.ToString());
        Assert.Equal("cm4", (await recent.NextOfTypeAsync("ADDED"))["object"]!["metadata"]!["name"]!.ToString());
    }

    [Fact]
    public async Task Watch_AllowBookmarks_SendsBookmarkWithCurrentResourceVersion()
    {
        await using var emulator = await StartAsync(new() { BookmarkInterval = TimeSpan.FromMilliseconds(100) });
        using var http = emulator.CreateHttpClient();
        long rv = emulator.ResourceVersion;
        using WatchReader watch = await WatchAsync(http, $"/api/v1/namespaces/default/secrets?watch=1&allowWatchBookmarks=true&resourceVersion={rv}");

        // A change of another type advances the bookmark too: the watcher has seen everything up to it.
        await CreateConfigMapAsync(http, "other");
        JsonObject bookmark = await watch.NextOfTypeAsync("BOOKMARK");
        while (bookmark["object"]!["metadata"]!["resourceVersion"]!.ToString() != emulator.ResourceVersion.ToString())
        {
            bookmark = await watch.NextOfTypeAsync("BOOKMARK");
        }

        Assert.Equal("Secret", bookmark["object"]!["kind"]!.ToString());
        Assert.Equal("v1", bookmark["object"]!["apiVersion"]!.ToString());
    }

    [Fact]
    public async Task Watch_SendInitialEvents_EndsInitialStateWithAnnotatedBookmark()
    {
        await using var emulator = await StartAsync();
        using var http = emulator.CreateHttpClient();
        await CreateConfigMapAsync(http, "a");

        using WatchReader watch = await WatchAsync(http, "/api/v1/namespaces/default/configmaps?watch=1&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersion=&resourceVersionMatch=NotOlderThan");

        Assert.Equal("ADDED", (await watch.NextAsync())!["type"]!.ToString());
        JsonObject bookmark = (await watch.NextAsync())!;
        Assert.Equal("BOOKMARK", bookmark["type"]!.ToString());
        Assert.Equal("true", bookmark["object"]!["metadata"]!["annotations"]!["k8s.io/initial-events-end"]!.ToString());
    }

    [Fact]
    public async Task Watch_TimeoutSeconds_EndsTheStream()
    {
        await using var emulator = await StartAsync();
        using var http = emulator.CreateHttpClient();

        using WatchReader watch = await WatchAsync(http, $"/api/v1/namespaces/default/configmaps?watch=1&resourceVersion={emulator.ResourceVersion}&timeoutSeconds=1");

        Assert.Null(await watch.NextAsync());
    }

    [Fact]
    public async Task Watch_LabelSelector_ReportsObjectsLeavingTheSelectorAsDeleted()
    {
        await using var emulator = await StartAsync();
        using var http = emulator.CreateHttpClient();
        using WatchReader watch = await WatchAsync(http, $"/api/v1/namespaces/default/configmaps?watch=1&resourceVersion={emulator.ResourceVersion}&labelSelector=app%3Dweb");

        JsonNode created = await CreateConfigMapAsync(http, "x", labels: """{"app":"web"}""");
        await CreateConfigMapAsync(http, "ignored", labels: """{"app":"db"}""");
        created["metadata"]!["labels"]!["app"] = "db";
        await SendAsync(http, HttpMethod.Put, "/api/v1/namespaces/default/configmaps/x", created.ToJsonString());

        Assert.Equal("ADDED", (await watch.NextAsync())!["type"]!.ToString());
        JsonObject left = (await watch.NextAsync())!;
        Assert.Equal("DELETED", left["type"]!.ToString());
        Assert.Equal("x", left["object"]!["metadata"]!["name"]!.ToString());
    }

    [Fact]
    public async Task Watch_FieldSelectorOnName_SeesOnlyThatObject()
    {
        await using var emulator = await StartAsync();
        using var http = emulator.CreateHttpClient();
        using WatchReader watch = await WatchAsync(http, $"/api/v1/namespaces/default/configmaps?watch=1&resourceVersion={emulator.ResourceVersion}&fieldSelector=metadata.name%3Dme");

        await CreateConfigMapAsync(http, "other");
        await CreateConfigMapAsync(http, "me");

        Assert.Equal("me", (await watch.NextAsync())!["object"]!["metadata"]!["name"]!.ToString());
    }

    [Fact]
    public async Task Watch_Table_FramesCarryTableRows()
    {
        await using var emulator = await StartAsync();
        using var http = emulator.CreateHttpClient();
        using WatchReader watch = await WatchAsync(http, $"/api/v1/namespaces/default/configmaps?watch=1&resourceVersion={emulator.ResourceVersion}", "application/json;as=Table;v=v1;g=meta.k8s.io");

        await CreateConfigMapAsync(http, "row");

        JsonObject frame = (await watch.NextAsync())!;
        Assert.Equal("Table", frame["object"]!["kind"]!.ToString());
        Assert.Equal("row", frame["object"]!["rows"]![0]!["cells"]![0]!.ToString());
    }

    [Fact]
    public async Task Watch_PlainHttpEndpoint_WorksWithToken()
    {
        await using var emulator = await StartAsync();
        using var http = emulator.CreateHttpClient(useHttps: false);
        Assert.Equal("http", http.BaseAddress!.Scheme);

        using WatchReader watch = await WatchAsync(http, $"/api/v1/namespaces/default/configmaps?watch=1&resourceVersion={emulator.ResourceVersion}");
        await CreateConfigMapAsync(http, "plain");

        Assert.Equal("ADDED", (await watch.NextAsync())!["type"]!.ToString());
    }

    [Fact]
    public async Task Watch_ManyConcurrentWatchers_EachSeesEveryEventInOrder()
    {
        await using var emulator = await StartAsync();
        using var http = emulator.CreateHttpClient();
        long rv = emulator.ResourceVersion;
        var watchers = new List<WatchReader>();
        for (int i = 0; i < 5; i++)
        {
            watchers.Add(await WatchAsync(http, $"/api/v1/namespaces/default/configmaps?watch=1&resourceVersion={rv}"));
        }

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => CreateConfigMapAsync(http, "cm" + i)));

        foreach (WatchReader watch in watchers)
        {
            long last = 0;
            for (int i = 0; i < 20; i++)
            {
                long next = long.Parse((await watch.NextAsync())!["object"]!["metadata"]!["resourceVersion"]!.ToString());
                Assert.True(next > last);
                last = next;
            }

            watch.Dispose();
        }
    }
}
