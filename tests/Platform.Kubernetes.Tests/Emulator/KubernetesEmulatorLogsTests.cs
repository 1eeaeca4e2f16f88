using System.Text.Json.Nodes;
using Platform.Kubernetes.Emulator;
using static Platform.Kubernetes.Tests.Emulator.EmulatorHttp;

namespace Platform.Kubernetes.Tests.Emulator;

public sealed class KubernetesEmulatorLogsTests
{
    private const string LogPath = "/api/v1/namespaces/default/pods/app/log";

    private static async Task<KubernetesEmulator> WithPodAsync(params string[] containers)
    {
        KubernetesEmulator emulator = await StartAsync();
        var list = new JsonArray(containers.Select(c => (JsonNode?)new JsonObject { ["name"] = c, ["image"] = "x" }).ToArray());
        await emulator.SeedAsync(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Pod", ["metadata"] = new JsonObject { ["name"] = "app" }, ["spec"] = new JsonObject { ["containers"] = list } });
        return emulator;
    }

    [Fact]
    public async Task Log_SingleContainer_ServesRegisteredText()
    {
        await using var emulator = await WithPodAsync("main");
        emulator.SetPodLog("default", "app", "main", "one\ntwo\nthree\n");
        using var http = emulator.CreateHttpClient();

        Assert.Equal("one\ntwo\nthree\n", await RawAsync(http, HttpMethod.Get, LogPath));
        Assert.Equal("two\nthree\n", await RawAsync(http, HttpMethod.Get, LogPath + "?tailLines=2"));
        Assert.Equal("one\ntw", await RawAsync(http, HttpMethod.Get, LogPath + "?limitBytes=6"));
    }

    [Fact]
    public async Task Log_Timestamps_PrefixesRfc3339Nano()
    {
        await using var emulator = await WithPodAsync("main");
        emulator.SetPodLog("default", "app", "main", "hello");
        using var http = emulator.CreateHttpClient();

        string text = await RawAsync(http, HttpMethod.Get, LogPath + "?timestamps=true");

        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z hello\n$", text);
    }

    [Fact]
    public async Task Log_SinceSeconds_DropsOlderLines()
    {
        var clock = new ManualClock(DateTimeOffset.Parse("2025-01-01T00:00:00Z"));
        await using var emulator = await StartAsync(new() { TimeProvider = clock });
        await emulator.SeedAsync((JsonObject)JsonNode.Parse("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"app"},"spec":{"containers":[{"name":"main"}]}}""")!);
        emulator.SetPodLog("default", "app", "main", "old\n");
        clock.Advance(TimeSpan.FromMinutes(10));
        emulator.AppendPodLog("default", "app", "main", "new\n");
        using var http = emulator.CreateHttpClient();

        Assert.Equal("new\n", await RawAsync(http, HttpMethod.Get, LogPath + "?sinceSeconds=60"));
    }

    [Fact]
    public async Task Log_ManyContainersWithoutName_Returns400ListingThem()
    {
        await using var emulator = await WithPodAsync("a", "b");
        using var http = emulator.CreateHttpClient();

        var (status, body, _) = await GetAsync(http, LogPath);
        var (bad, badBody, _) = await GetAsync(http, LogPath + "?container=zzz");
        emulator.SetPodLog("default", "app", "b", "from b");
        string fromB = await RawAsync(http, HttpMethod.Get, LogPath + "?container=b");

        Assert.Equal(400, status);
        Assert.Equal("a container name must be specified for pod app, choose one of: [a b]", body!["message"]!.ToString());
        Assert.Equal(400, bad);
        Assert.Equal("container zzz is not valid for pod app", badBody!["message"]!.ToString());
        Assert.Equal("from b\n", fromB);
    }

    [Fact]
    public async Task Log_Previous_ServesThePreviousInstanceOr400()
    {
        await using var emulator = await WithPodAsync("main");
        using var http = emulator.CreateHttpClient();

        var (missing, _, _) = await GetAsync(http, LogPath + "?previous=true");
        emulator.SetPodLog("default", "app", "main", "crashed\n", previous: true);
        string previous = await RawAsync(http, HttpMethod.Get, LogPath + "?previous=true");

        Assert.Equal(400, missing);
        Assert.Equal("crashed\n", previous);
    }

    [Fact]
    public async Task Log_MissingPod_Returns404()
    {
        await using var emulator = await StartAsync();
        using var http = emulator.CreateHttpClient();

        var (status, body, _) = await GetAsync(http, LogPath);

        Assert.Equal(404, status);
        Assert.Equal("pods \"app\" not found", body!["message"]!.ToString());
    }

    [Fact]
    public async Task Log_Follow_StreamsAppendedLinesUntilCompleted()
    {
        await using var emulator = await WithPodAsync("main");
        emulator.SetPodLog("default", "app", "main", "first\n");
        using var http = emulator.CreateHttpClient();
        using var cts = new CancellationTokenSource(EmulatorHttp.Timeout);
        using HttpResponseMessage response = await http.GetAsync(LogPath + "?follow=true", HttpCompletionOption.ResponseHeadersRead, cts.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cts.Token));

        Assert.Equal("first", await reader.ReadLineAsync(cts.Token));
        emulator.AppendPodLog("default", "app", "main", "second\n");
        Assert.Equal("second", await reader.ReadLineAsync(cts.Token));
        emulator.AppendPodLog("default", "app", "main", "third\n");
        emulator.CompletePodLog("default", "app");
        Assert.Equal("third", await reader.ReadLineAsync(cts.Token));
        Assert.Null(await reader.ReadLineAsync(cts.Token));
    }
}

/// <summary>A clock tests move by hand.</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
