using System.Text.Json.Nodes;
using static Platform.Kubernetes.Tests.Emulator.EmulatorHttp;

namespace Platform.Kubernetes.Tests.Emulator;

public sealed class KubernetesEmulatorFaultTests
{
    [Fact]
    public async Task FailNext_429_AnswersTooManyRequestsWithRetryAfterThenRecovers()
    {
        await using var emulator = await StartAsync();
        using var http = emulator.CreateHttpClient();
        emulator.Faults.RetryAfter = TimeSpan.FromSeconds(3);
        emulator.Faults.FailNext(2);

        var (first, body, response) = await GetAsync(http, "/api/v1/namespaces/default/secrets");
        var (second, _, _) = await GetAsync(http, "/api/v1/namespaces/default/secrets");
        var (third, _, _) = await GetAsync(http, "/api/v1/namespaces/default/secrets");

        Assert.Equal(429, first);
        Assert.Equal("TooManyRequests", body!["reason"]!.ToString());
        Assert.Equal(3, body["details"]!["retryAfterSeconds"]!.GetValue<int>());
        Assert.Equal(TimeSpan.FromSeconds(3), response.Headers.RetryAfter!.Delta);
        Assert.Equal(429, second);
        Assert.Equal(200, third);
        Assert.Equal(2, emulator.Faults.InjectedFailures);
    }

    [Fact]
    public async Task InternalErrorRate_One_FailsEveryMatchingRequestOnly()
    {
        await using var emulator = await StartAsync(new() { RandomSeed = 7 });
        using var http = emulator.CreateHttpClient();
        emulator.Faults.InternalErrorRate = 1;
        emulator.Faults.AppliesTo = r => r.Path.Contains("/secrets", StringComparison.Ordinal);

        var (secrets, body, _) = await GetAsync(http, "/api/v1/namespaces/default/secrets");
        var (configMaps, _, _) = await GetAsync(http, "/api/v1/namespaces/default/configmaps");

        Assert.Equal(500, secrets);
        Assert.Equal("InternalError", body!["reason"]!.ToString());
        Assert.Equal(200, configMaps);
    }

    [Fact]
    public async Task TooManyRequestsRate_Half_FailsSomeAndPassesSome()
    {
        await using var emulator = await StartAsync(new() { RandomSeed = 42 });
        using var http = emulator.CreateHttpClient();
        emulator.Faults.TooManyRequestsRate = 0.5;

        var codes = new List<int>();
        for (int i = 0; i < 40; i++)
        {
            codes.Add((await GetAsync(http, "/api/v1/namespaces")).Status);
        }

        Assert.Contains(429, codes);
        Assert.Contains(200, codes);
        Assert.Equal(codes.Count(c => c == 429), emulator.Faults.InjectedFailures);
    }

    [Fact]
    public async Task Latency_DelaysButServes()
    {
        await using var emulator = await StartAsync();
        using var http = emulator.CreateHttpClient();
        emulator.Faults.Latency = TimeSpan.FromMilliseconds(50);

        var (status, _, _) = await GetAsync(http, "/api/v1/namespaces");

        Assert.Equal(200, status);
        emulator.Faults.Reset();
        Assert.Equal(TimeSpan.Zero, emulator.Faults.Latency);
    }

    [Fact]
    public async Task DropWatchesAfterEvents_EndsTheStreamAndResumeContinues()
    {
        await using var emulator = await StartAsync();
        using var http = emulator.CreateHttpClient();
        for (int i = 0; i < 5; i++)
        {
            await CreateConfigMapAsync(http, "cm" + i);
        }

        emulator.Faults.DropWatchesAfterEvents = 2;
        var names = new List<string>();
        string rv = "0";
        using (WatchReader watch = await WatchAsync(http, "/api/v1/namespaces/default/configmaps?watch=1"))
        {
            JsonObject? frame;
            while ((frame = await watch.NextAsync()) is not null)
            {
                names.Add(frame["object"]!["metadata"]!["name"]!.ToString());
                rv = frame["object"]!["metadata"]!["resourceVersion"]!.ToString();
            }
        }

        Assert.Equal(["cm0", "cm1"], names);
        emulator.Faults.DropWatchesAfterEvents = null;
        await SendAsync(http, HttpMethod.Delete, "/api/v1/namespaces/default/configmaps/cm4");
        using WatchReader resumed = await WatchAsync(http, "/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=" + rv);
        var rest = new List<string>();
        for (int i = 0; i < 4; i++)
        {
            JsonObject next = (await resumed.NextAsync())!;
            rest.Add(next["type"] + " " + next["object"]!["metadata"]!["name"]);
        }

        // Resuming from the last event seen loses nothing: the rest of the history, then the new change.
        Assert.Equal(["ADDED cm2", "ADDED cm3", "ADDED cm4", "DELETED cm4"], rest);
    }

    [Fact]
    public async Task Faults_InvalidSettings_Throw()
    {
        await using var emulator = await StartAsync();

        Assert.Throws<ArgumentOutOfRangeException>(() => emulator.Faults.TooManyRequestsRate = 1.5);
        Assert.Throws<ArgumentOutOfRangeException>(() => emulator.Faults.FailNext(1, 404));
        Assert.Throws<ArgumentOutOfRangeException>(() => emulator.Faults.DropWatchesAfterEvents = -1);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => StartAsync(new() { WatchHistoryLimit = 0 }));
    }
}
