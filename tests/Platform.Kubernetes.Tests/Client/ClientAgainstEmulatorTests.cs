using System.Text;
using System.Text.Json.Nodes;
using Platform.Kubernetes.Client;
using Platform.Kubernetes.Config;
using Platform.Kubernetes.Emulator;
using Platform.Kubernetes.Tests.Config;

namespace Platform.Kubernetes.Tests.Client;

/// <summary>The client against the real emulator over HTTPS, configured only through the kubeconfig the emulator writes.</summary>
public sealed class ClientAgainstEmulatorTests : IAsyncLifetime
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _dir = new();
    private readonly RecordingTimeProvider _time = new();
    private KubernetesEmulator _emulator = null!;
    private KubernetesClient _client = null!;

    public async Task InitializeAsync()
    {
        _emulator = await KubernetesEmulator.StartAsync(new EmulatorOptions { RandomSeed = 7 });
        _client = await ClientAsync(KubeconfigCredentials.Token);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _emulator.DisposeAsync();
        _dir.Dispose();
    }

    private async Task<KubernetesClient> ClientAsync(KubeconfigCredentials credentials)
    {
        var path = Path.Combine(_dir.Path, credentials + ".kubeconfig");
        await _emulator.WriteKubeconfigAsync(path, credentials);
        var config = KubernetesClientConfiguration.Load(new KubernetesOptions
        {
            KubeconfigPath = path,
            Environment = new KubernetesEnvironment(),
        });
        return new KubernetesClient(config, null, null, _time);
    }

    private static JsonObject ConfigMapBody(string name, string value, string? app = null)
    {
        var metadata = new JsonObject { ["name"] = name };
        if (app is not null)
        {
            metadata["labels"] = new JsonObject { ["app"] = app };
        }

        return new JsonObject { ["metadata"] = metadata, ["data"] = new JsonObject { ["k"] = value } };
    }

    private static string Rv(JsonObject o) => o["metadata"]!["resourceVersion"]!.GetValue<string>();

    [Fact]
    public async Task Crud_FullLifecycle_WithOptimisticConcurrencyAndAllPatchKinds()
    {
        var ns = _client.DefaultNamespace;
        var created = await _client.CreateAsync(ResourceType.ConfigMaps, ns, ConfigMapBody("web", "1"));
        await Assert.ThrowsAsync<KubernetesAlreadyExistsException>(() => _client.CreateAsync(ResourceType.ConfigMaps, ns, ConfigMapBody("web", "1")));

        var stale = (JsonObject)created.DeepClone();
        var replaced = (JsonObject)created.DeepClone();
        replaced["data"]!["k"] = "2";
        replaced = await _client.ReplaceAsync(ResourceType.ConfigMaps, ns, "web", replaced);
        stale["data"]!["k"] = "lost update";
        var conflict = await Assert.ThrowsAsync<KubernetesConflictException>(() => _client.ReplaceAsync(ResourceType.ConfigMaps, ns, "web", stale));
        Assert.Equal("web", conflict.ResourceName);

        var merged = await _client.PatchAsync(ResourceType.ConfigMaps, ns, "web", new Patch(PatchKind.Merge, new JsonObject { ["data"] = new JsonObject { ["m"] = "merge" } }));
        var jsonPatched = await _client.PatchAsync(ResourceType.ConfigMaps, ns, "web", new Patch(
            PatchKind.Json, new JsonArray(new JsonObject { ["op"] = "replace", ["path"] = "/data/k", ["value"] = "3" })));
        var applied = await _client.PatchAsync(ResourceType.ConfigMaps, ns, "web", new Patch(
            PatchKind.Apply, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "web" }, ["data"] = new JsonObject { ["a"] = "apply" } }, "platform-tests", Force: true));

        Assert.NotEqual(Rv(created), Rv(replaced));
        Assert.Equal("merge", merged["data"]!["m"]!.GetValue<string>());
        Assert.Equal("3", jsonPatched["data"]!["k"]!.GetValue<string>());
        Assert.Equal("apply", applied["data"]!["a"]!.GetValue<string>());

        await _client.DeleteAsync(ResourceType.ConfigMaps, ns, "web");
        Assert.Null(await _client.GetOrDefaultAsync(ResourceType.ConfigMaps, ns, "web"));
        await Assert.ThrowsAsync<KubernetesNotFoundException>(() => _client.DeleteAsync(ResourceType.ConfigMaps, ns, "web"));
    }

    [Fact]
    public async Task ClientCertificateKubeconfig_Authenticates()
    {
        using var client = await ClientAsync(KubeconfigCredentials.ClientCertificate);

        await client.CreateAsync(ResourceType.ConfigMaps, "default", ConfigMapBody("cert", "1"));

        Assert.Equal("1", (await client.GetAsync(ResourceType.ConfigMaps, "default", "cert"))["data"]!["k"]!.GetValue<string>());
    }

    [Fact]
    public async Task WrongToken_IsUnauthorized()
    {
        var config = KubernetesClientConfiguration.FromKubeconfig(Path.Combine(_dir.Path, "Token.kubeconfig"), environment: new KubernetesEnvironment());
        using var client = new KubernetesClient(
            new KubernetesClientConfiguration { Server = config.Server, CertificateAuthorities = config.CertificateAuthorities, BearerToken = "wrong-token" }, null, null, _time);

        var ex = await Assert.ThrowsAsync<KubernetesUnauthorizedException>(() => client.ListAsync(ResourceType.Secrets, "default"));

        Assert.DoesNotContain("wrong-token", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListCompleteAsync_PagesWithSelectorsAcrossManyObjects()
    {
        for (var i = 0; i < 23; i++)
        {
            await _client.CreateAsync(ResourceType.ConfigMaps, "default", ConfigMapBody($"cm-{i:D2}", "v", i % 2 == 0 ? "even" : "odd"));
        }

        var even = await _client.ListCompleteAsync(ResourceType.ConfigMaps, "default", new ListOptions { LabelSelector = "app=even", Limit = 4 });
        var all = new List<string>();
        await foreach (var item in _client.ListAllAsync(ResourceType.ConfigMaps, null, new ListOptions { Limit = 5, FieldSelector = "metadata.namespace=default" }))
        {
            all.Add(item["metadata"]!["name"]!.GetValue<string>());
        }

        Assert.Equal(12, even.Items.Count);
        Assert.All(even.Items, i => Assert.Equal("even", i["metadata"]!["labels"]!["app"]!.GetValue<string>()));
        Assert.Equal(23, all.Count(n => n.StartsWith("cm-", StringComparison.Ordinal)));
        Assert.Equal(all.Distinct().Count(), all.Count);
    }

    [Fact]
    public async Task WatchResumingAsync_DroppedWatches_DeliverEveryChangeOnce()
    {
        var start = await _client.ListCompleteAsync(ResourceType.ConfigMaps, "default");
        _emulator.Faults.DropWatchesAfterEvents = 2;
        for (var i = 0; i < 7; i++)
        {
            await _client.CreateAsync(ResourceType.ConfigMaps, "default", ConfigMapBody($"w-{i}", "v"));
        }

        using var cts = new CancellationTokenSource(Guard);
        var names = new List<string>();
        await foreach (var e in _client.WatchResumingAsync(ResourceType.ConfigMaps, "default", new WatchOptions { ResourceVersion = start.ResourceVersion }, _time, cts.Token))
        {
            if (e.Type == WatchEventType.Added)
            {
                names.Add(e.Object["metadata"]!["name"]!.GetValue<string>());
            }

            if (names.Count == 7)
            {
                break;
            }
        }

        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"w-{i}"), names);
    }

    [Fact]
    public async Task Watch_FromCompactedVersion_ThrowsGoneThenRelistRecovers()
    {
        var before = await _client.ListCompleteAsync(ResourceType.ConfigMaps, "default");
        await _client.CreateAsync(ResourceType.ConfigMaps, "default", ConfigMapBody("after-compaction", "v"));
        _emulator.CompactHistory();
        using var cts = new CancellationTokenSource(Guard);

        await Assert.ThrowsAsync<KubernetesGoneException>(async () =>
        {
            await foreach (var _ in _client.WatchAsync(ResourceType.ConfigMaps, "default", new WatchOptions { ResourceVersion = before.ResourceVersion }, cts.Token))
            {
            }
        });

        var relisted = await _client.ListCompleteAsync(ResourceType.ConfigMaps, "default");
        Assert.Contains(relisted.Items, i => i["metadata"]!["name"]!.GetValue<string>() == "after-compaction");
    }

    [Fact]
    public async Task TooManyRequestsBurst_IsRetriedHonouringRetryAfter()
    {
        await _client.CreateAsync(ResourceType.ConfigMaps, "default", ConfigMapBody("busy", "v"));
        _emulator.Faults.RetryAfter = TimeSpan.FromSeconds(2);
        _emulator.Faults.FailNext(3, 429);

        var obj = await _client.GetAsync(ResourceType.ConfigMaps, "default", "busy");

        Assert.Equal("busy", obj["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal(3, _emulator.Faults.InjectedFailures);
        Assert.Equal([TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2)], _time.Delays);
    }

    [Fact]
    public async Task InternalErrors_OnCreate_AreNotRetried()
    {
        _emulator.Faults.FailNext(1, 500);

        await Assert.ThrowsAsync<KubernetesServerErrorException>(() => _client.CreateAsync(ResourceType.ConfigMaps, "default", ConfigMapBody("once", "v")));

        Assert.Null(await _client.GetOrDefaultAsync(ResourceType.ConfigMaps, "default", "once"));
    }

    [Fact]
    public async Task PodLogs_TailAndFollow()
    {
        await _emulator.SeedAsync(JsonNode.Parse("""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-0","namespace":"default"},"spec":{"containers":[{"name":"app","image":"nginx"}]},"status":{"phase":"Running"}}
            """)!.AsObject());
        _emulator.SetPodLog("default", "web-0", "app", "one\ntwo\nthree\n");

        string tail;
        await using (var stream = await _client.OpenLogAsync("default", "web-0", new PodLogOptions { Container = "app", TailLines = 2 }))
        {
            tail = await new StreamReader(stream).ReadToEndAsync();
        }

        using var cts = new CancellationTokenSource(Guard);
        await using var follow = await _client.OpenLogAsync("default", "web-0", new PodLogOptions { Container = "app", Follow = true }, cts.Token);
        _emulator.AppendPodLog("default", "web-0", "app", "four\n");
        _emulator.CompletePodLog("default", "web-0", "app");
        var followed = await new StreamReader(follow).ReadToEndAsync(cts.Token);

        Assert.Equal("two\nthree\n", tail);
        Assert.Equal("one\ntwo\nthree\nfour\n", followed);
        var pod = await _client.GetAsync<Pod>("default", "web-0");
        Assert.Equal("app", Assert.Single(pod.Containers).Name);
    }

    [Fact]
    public async Task TypedSecret_RoundTripsBinaryData()
    {
        var payload = new byte[] { 0x1f, 0x8b, 0x08, 0x00, 0xff };
        await _client.CreateAsync(new Secret
        {
            Metadata = new ObjectMeta { Name = "sh.helm.release.v1.web.v1", Namespace = "default", Labels = new Dictionary<string, string> { ["owner"] = "helm" } },
            SecretType = "helm.sh/release.v1",
            Data = new Dictionary<string, byte[]> { ["release"] = payload },
        });

        var secret = await _client.GetAsync<Secret>("default", "sh.helm.release.v1.web.v1");
        var listed = await _client.ListCompleteAsync(ResourceType.Secrets, "default", new ListOptions { FieldSelector = "type=helm.sh/release.v1", LabelSelector = "owner=helm" });

        Assert.Equal(payload, secret.Data["release"]);
        Assert.Equal("helm.sh/release.v1", secret.SecretType);
        Assert.Single(listed.Items);
        Assert.Equal(Encoding.ASCII.GetBytes(Convert.ToBase64String(payload)), Encoding.ASCII.GetBytes(listed.Items[0]["data"]!["release"]!.GetValue<string>()));
    }
}
