using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Platform.Abstractions;
using Platform.Kubernetes.Client;
using Platform.Kubernetes.Logs;
using Platform.Logging;
using Platform.Logging.Multiline;
using Platform.Logging.Sources;

namespace Platform.Kubernetes.Tests.Logs;

/// <summary>The pod log source against the emulator over HTTPS, through the real client and the logging pipeline.</summary>
public sealed class PodLogSourceTests
{
    private static readonly string Numbered = string.Concat(Enumerable.Range(1, 10).Select(i => $"line-{i:00}\n"));

    public static TheoryData<string> JavaSamples() => new() { "COMPLEX_JAVA_EXC", "JAVA_EXC" };

    [Theory]
    [MemberData(nameof(JavaSamples))]
    public async Task ReadAsync_JavaStackTraceLog_JoinsRecordsAsExpected(string sample)
    {
        string text = await File.ReadAllTextAsync(PodLogCorpus.Logs($"detect-exceptions/java/{sample}.log"));
        var expected = JsonNode.Parse(await File.ReadAllTextAsync(PodLogCorpus.Logs($"detect-exceptions/java/{sample}.expected.json")))!["expected_records"]!
            .AsArray().Select(r => r!.GetValue<string>()).ToList();
        await using var harness = await PodLogHarness.StartAsync();
        await harness.SeedPodAsync("java-0", "app", "sidecar");
        harness.Emulator.SetPodLog("default", "java-0", "app", text);
        harness.Emulator.SetPodLog("default", "java-0", "sidecar", "not this one\n");

        List<LogRecord> records = await harness.ReadAllAsync("default/java-0/app");

        Assert.Equal(expected, records.Select(r => r.Message));
        Assert.Equal(text.TrimEnd('\n').Split('\n').Length, records.Sum(r => r.Lines));
        Assert.All(records, r => Assert.Equal(LogStream.Unknown, r.Stream));
    }

    [Fact]
    public async Task OpenAsync_SingleContainerPodWithoutContainer_ReadsItAndReportsMetadata()
    {
        await using var harness = await PodLogHarness.StartAsync();
        await harness.SeedPodAsync("solo-0", "main");
        harness.Emulator.SetPodLog("default", "solo-0", "main", "hello\nworld\n");
        var source = new PodLogSource(harness.Provider.GetRequiredService<IPodLogClient>());

        await using OpenedLog opened = await source.OpenAsync("default/solo-0", LogQuery.All);
        string body = await new StreamReader(opened.Stream).ReadToEndAsync();

        Assert.Equal("hello\nworld\n", body);
        Assert.Equal(LogFormat.Raw, opened.Format);
        Assert.Equal(LogQueryParts.None, opened.Applied);
        Assert.Equal(new Dictionary<string, string> { ["namespace"] = "default", ["pod"] = "solo-0" }, opened.Metadata);
    }

    [Fact]
    public async Task OpenAsync_MultiContainerPodWithoutContainer_ThrowsNamingTheChoices()
    {
        await using var harness = await PodLogHarness.StartAsync();
        await harness.SeedPodAsync("duo-0", "app", "proxy");
        harness.Emulator.SetPodLog("default", "duo-0", "app", "x\n");

        var ex = await Assert.ThrowsAsync<KubernetesInvalidException>(() => harness.ReadAllAsync("default/duo-0"));

        Assert.Contains("app proxy", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_UnknownContainerOrNoPreviousInstance_ThrowsInvalid()
    {
        await using var harness = await PodLogHarness.StartAsync();
        await harness.SeedPodAsync("one-0", "app");
        harness.Emulator.SetPodLog("default", "one-0", "app", "x\n");

        var unknown = await Assert.ThrowsAsync<KubernetesInvalidException>(() => harness.ReadAllAsync("default/one-0/db"));
        var previous = await Assert.ThrowsAsync<KubernetesInvalidException>(() => harness.ReadAllAsync("default/one-0/app?previous"));

        Assert.Contains("container db is not valid", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("previous terminated container", previous.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_WholeQuery_IsSentAndReportedAsApplied()
    {
        await using var harness = await PodLogHarness.StartAsync();
        await harness.SeedPodAsync("q-0", "app");
        harness.Emulator.SetPodLog("default", "q-0", "app", Numbered);
        harness.Emulator.CompletePodLog("default", "q-0");
        var source = new PodLogSource(harness.Provider.GetRequiredService<IPodLogClient>());
        var query = new LogQuery { TailLines = 4, Since = DateTimeOffset.UtcNow.AddHours(-1), LimitBytes = 1000, Follow = true };
        using var cts = new CancellationTokenSource(PodLogHarness.Timeout);

        await using OpenedLog opened = await source.OpenAsync("default/q-0/app", query, cts.Token);
        string body = await new StreamReader(opened.Stream).ReadToEndAsync(cts.Token);

        Assert.Equal(LogQueryParts.TailLines | LogQueryParts.Since | LogQueryParts.LimitBytes | LogQueryParts.Follow, opened.Applied);
        Assert.Equal("line-07\nline-08\nline-09\nline-10\n", body);
        Assert.Equal("app", opened.Metadata["container"]);
    }

    [Fact]
    public async Task ReadAsync_TailLines_ServerReturnsOnlyTheLastLines()
    {
        await using var harness = await PodLogHarness.StartAsync(o => o.Profile = MultilineProfile.None);
        await harness.SeedPodAsync("tail-0", "app");
        harness.Emulator.SetPodLog("default", "tail-0", "app", Numbered);

        List<LogRecord> records = await harness.ReadAllAsync("default/tail-0/app", new LogQuery { TailLines = 3 });
        List<LogRecord> none = await harness.ReadAllAsync("default/tail-0/app", new LogQuery { TailLines = 0 });

        Assert.Equal(["line-08", "line-09", "line-10"], records.Select(r => r.Message));
        Assert.Empty(none);
    }

    [Fact]
    public async Task ReadAsync_Since_ServerReturnsLinesFromThatSecond()
    {
        var t0 = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        var clock = new SettableClock(t0);
        await using var harness = await PodLogHarness.StartAsync(o => o.Profile = MultilineProfile.None, clock);
        await harness.SeedPodAsync("since-0", "app");
        harness.Emulator.SetPodLog("default", "since-0", "app", "old-1\nold-2\n");
        clock.Now = t0.AddSeconds(10);
        harness.Emulator.AppendPodLog("default", "since-0", "app", "new-1\nnew-2\n");

        List<LogRecord> exact = await harness.ReadAllAsync("default/since-0/app", new LogQuery { Since = t0.AddSeconds(5) });
        // Sub-second precision is cut to the second, as API servers forward sinceTime to the kubelet.
        List<LogRecord> fraction = await harness.ReadAllAsync("default/since-0/app", new LogQuery { Since = t0.AddSeconds(10.6) });
        List<LogRecord> all = await harness.ReadAllAsync("default/since-0/app", new LogQuery { Since = t0 });
        List<LogRecord> later = await harness.ReadAllAsync("default/since-0/app", new LogQuery { Since = t0.AddSeconds(11) });

        Assert.Equal(["new-1", "new-2"], exact.Select(r => r.Message));
        Assert.Equal(["new-1", "new-2"], fraction.Select(r => r.Message));
        Assert.Equal(["old-1", "old-2", "new-1", "new-2"], all.Select(r => r.Message));
        Assert.Empty(later);
    }

    [Fact]
    public async Task ReadAsync_LimitBytes_ServerSendsAtMostThatManyBytes()
    {
        await using var harness = await PodLogHarness.StartAsync(o => o.Profile = MultilineProfile.None);
        await harness.SeedPodAsync("limit-0", "app");
        harness.Emulator.SetPodLog("default", "limit-0", "app", Numbered);
        var source = new PodLogSource(harness.Provider.GetRequiredService<IPodLogClient>());

        await using (OpenedLog opened = await source.OpenAsync("default/limit-0/app", new LogQuery { LimitBytes = 20 }))
        {
            var body = new MemoryStream();
            await opened.Stream.CopyToAsync(body);
            Assert.Equal(Encoding.UTF8.GetBytes(Numbered)[..20], body.ToArray());
        }

        List<LogRecord> records = await harness.ReadAllAsync("default/limit-0/app", new LogQuery { LimitBytes = 20 });
        Assert.Equal(["line-01", "line-02", "line"], records.Select(r => r.Message));
    }

    [Fact]
    public async Task ReadAsync_Follow_ReceivesAppendedLinesUntilCancelled()
    {
        await using var harness = await PodLogHarness.StartAsync(o => o.Profile = MultilineProfile.None);
        await harness.SeedPodAsync("follow-0", "app");
        harness.Emulator.SetPodLog("default", "follow-0", "app", "first\nsecond\n");
        using var cts = new CancellationTokenSource(PodLogHarness.Timeout);
        IAsyncEnumerator<LogRecord> records = harness.Reader.ReadAsync("pod", "default/follow-0/app", new LogQuery { Follow = true }, cts.Token).GetAsyncEnumerator(cts.Token);
        try
        {
            var seen = new List<string>();
            for (int i = 0; i < 2; i++)
            {
                Assert.True(await records.MoveNextAsync());
                seen.Add(records.Current.Message);
            }

            harness.Emulator.AppendPodLog("default", "follow-0", "app", "third\n");
            Assert.True(await records.MoveNextAsync());
            seen.Add(records.Current.Message);
            harness.Emulator.AppendPodLog("default", "follow-0", "app", "fourth\nfifth\n");
            for (int i = 0; i < 2; i++)
            {
                Assert.True(await records.MoveNextAsync());
                seen.Add(records.Current.Message);
            }

            Assert.Equal(["first", "second", "third", "fourth", "fifth"], seen);
            Assert.False(cts.IsCancellationRequested, "the follow stream should have delivered before the hang guard");

            // The stream stays open: nothing more until cancelled.
            ValueTask<bool> next = records.MoveNextAsync();
            await cts.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await next);
        }
        finally
        {
            await records.DisposeAsync();
        }
    }

    [Fact]
    public async Task ReadAsync_Previous_ReadsTheTerminatedInstanceWithoutFollowing()
    {
        await using var harness = await PodLogHarness.StartAsync(o => o.Profile = MultilineProfile.None);
        await harness.SeedPodAsync("crash-0", "app");
        harness.Emulator.SetPodLog("default", "crash-0", "app", "before the crash\n", previous: true);
        harness.Emulator.SetPodLog("default", "crash-0", "app", "after the restart\n");
        var source = new PodLogSource(harness.Provider.GetRequiredService<IPodLogClient>());

        List<LogRecord> previous = await harness.ReadAllAsync("default/crash-0/app?previous", new LogQuery { Follow = true });
        List<LogRecord> current = await harness.ReadAllAsync("default/crash-0/app?previous=false");
        await using OpenedLog opened = await source.OpenAsync("default/crash-0/app?previous", new LogQuery { Follow = true });

        Assert.Equal(["before the crash"], previous.Select(r => r.Message));
        Assert.Equal(["after the restart"], current.Select(r => r.Message));
        Assert.Equal(LogQueryParts.None, opened.Applied);
        Assert.Equal("true", opened.Metadata["previous"]);
    }

    [Fact]
    public async Task ReadAsync_Timestamps_EachLineStartsWithTheServerTime()
    {
        var t0 = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()).AddTicks(1234567);
        await using var harness = await PodLogHarness.StartAsync(o => o.Profile = MultilineProfile.None, new SettableClock(t0));
        await harness.SeedPodAsync("ts-0", "app");
        harness.Emulator.SetPodLog("default", "ts-0", "app", "hello\n");

        List<LogRecord> records = await harness.ReadAllAsync("default/ts-0/app?timestamps");

        string stamp = t0.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.1234567'Z'", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal([stamp + " hello"], records.Select(r => r.Message));
    }

    [Fact]
    public async Task ReadAsync_PodNotFound_ThrowsNotFoundPlatformException()
    {
        await using var harness = await PodLogHarness.StartAsync();

        var ex = await Assert.ThrowsAsync<KubernetesNotFoundException>(() => harness.ReadAllAsync("default/missing-0/app"));

        Assert.IsAssignableFrom<PlatformException>(ex);
        Assert.Equal(("log", "missing-0", "default"), (ex.Status.Verb, ex.ResourceName, ex.ResourceNamespace));
        Assert.DoesNotContain(harness.Emulator.Token, ex.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("default", "1 part(s)")]
    [InlineData("default/web-0/app/extra", "4 part(s)")]
    [InlineData("/web-0", "invalid namespace ''")]
    [InlineData("Default/web-0", "invalid namespace 'Default'")]
    [InlineData("default/web_0", "invalid pod name 'web_0'")]
    [InlineData("default/../app", "invalid pod name '..'")]
    [InlineData("default/web-0/", "invalid container name ''")]
    [InlineData("default/web-0/App", "invalid container name 'App'")]
    [InlineData("default/web-0/app?follow", "unknown option 'follow'")]
    [InlineData("default/web-0/app?previous=yes", "'previous=yes'")]
    public async Task OpenAsync_MalformedName_ThrowsArgumentExceptionNamingThePart(string name, string expected)
    {
        await using var harness = await PodLogHarness.StartAsync();

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => harness.ReadAllAsync(name));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        if (name.Length > 0)
        {
            Assert.Contains(PodLogName.Syntax.Split('[')[0], ex.Message + PodLogName.Syntax, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AddPlatformPodLogs_CalledTwice_RegistersThePodSourceOnceNextToTheFileSource()
    {
        var services = new ServiceCollection();
        services.AddPlatformPodLogs();
        services.AddPlatformLogging();
        services.AddPlatformPodLogs();
        services.AddPlatformKubernetes(o =>
        {
            o.KubeconfigPath = "/does/not/exist/kubeconfig";
            o.Environment = new Platform.Kubernetes.Config.KubernetesEnvironment();
        });
        await using var provider = services.BuildServiceProvider();

        // Resolving the reader (and every source) must not need a cluster: the client is resolved on the first pod read.
        ILogReader reader = provider.GetRequiredService<ILogReader>();
        ILogSource[] sources = provider.GetServices<ILogSource>().ToArray();
        var ex = await Assert.ThrowsAsync<KubernetesConfigurationException>(async () =>
        {
            await foreach (LogRecord record in reader.ReadAsync("pod", "default/web-0/app"))
            {
                Assert.Fail("no record expected: " + record.Message);
            }
        });

        Assert.Equal(["file", "pod"], sources.Select(s => s.Kind).Order(StringComparer.Ordinal));
        Assert.Contains("/does/not/exist/kubeconfig", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddPlatformPodLogs_AppRegisteredPodLogClient_IsUsed()
    {
        await using var harness = await PodLogHarness.StartAsync();
        await harness.SeedPodAsync("own-0", "app");
        harness.Emulator.SetPodLog("default", "own-0", "app", "through my client\n");
        var services = new ServiceCollection();
        var recording = new RecordingPodLogClient(harness.Provider.GetRequiredService<IPodLogClient>());
        services.AddSingleton<IPodLogClient>(recording);
        services.AddPlatformPodLogs();
        await using var provider = services.BuildServiceProvider();

        var messages = new List<string>();
        await foreach (LogRecord record in provider.GetRequiredService<ILogReader>().ReadAsync("pod", "default/own-0/app", new LogQuery { TailLines = 5 }))
        {
            messages.Add(record.Message);
        }

        Assert.Equal(["through my client"], messages);
        Assert.Equal(("default", "own-0", "app", 5L), Assert.Single(recording.Calls));
    }

    private sealed class RecordingPodLogClient(IPodLogClient inner) : IPodLogClient
    {
        public List<(string Namespace, string Pod, string? Container, long? TailLines)> Calls { get; } = [];

        public Task<Stream> OpenLogAsync(string @namespace, string pod, PodLogOptions? options = null, CancellationToken cancellationToken = default)
        {
            Calls.Add((@namespace, pod, options?.Container, options?.TailLines));
            return inner.OpenLogAsync(@namespace, pod, options, cancellationToken);
        }
    }
}
