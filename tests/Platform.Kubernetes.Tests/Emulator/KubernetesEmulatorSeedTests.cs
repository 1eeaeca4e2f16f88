using System.Text.Json.Nodes;
using Platform.Kubernetes.Emulator;
using static Platform.Kubernetes.Tests.Emulator.EmulatorHttp;

namespace Platform.Kubernetes.Tests.Emulator;

public sealed class KubernetesEmulatorSeedTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("emu-seed-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task SeedDirectory_MultiDocumentListsAndCrds_AreAllServed()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "sub"));
        await File.WriteAllTextAsync(Path.Combine(_dir, "a-apps.yaml"), """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: settings
              namespace: team
            data:
              enabled: "true"
              plain: yes
            ---
            # an empty document is skipped
            ---
            apiVersion: example.com/v1
            kind: Widget
            metadata:
              name: w
              namespace: team
            spec:
              size: 3
            """);
        await File.WriteAllTextAsync(Path.Combine(_dir, "sub", "b-list.json"), """
            {"apiVersion":"v1","kind":"List","items":[
              {"apiVersion":"v1","kind":"Secret","metadata":{"name":"s1"},"type":"helm.sh/release.v1"},
              {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p1","namespace":"team"},"status":{"phase":"Running"}}]}
            """);
        await File.WriteAllTextAsync(Path.Combine(_dir, "z-crd.yml"), """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata:
              name: widgets.example.com
            spec:
              group: example.com
              scope: Namespaced
              names: {plural: widgets, singular: widget, kind: Widget}
              versions:
              - name: v1
                served: true
                storage: true
            """);
        await File.WriteAllTextAsync(Path.Combine(_dir, "notes.txt"), "not a manifest");
        await using var emulator = await StartAsync();
        using var http = emulator.CreateHttpClient();

        int count = await emulator.SeedDirectoryAsync(_dir);

        Assert.Equal(5, count);
        var (_, cm, _) = await GetAsync(http, "/api/v1/namespaces/team/configmaps/settings");
        Assert.Equal("true", cm!["data"]!["enabled"]!.ToString());
        Assert.True(cm["data"]!["plain"]!.GetValue<bool>());
        var (widget, _, _) = await GetAsync(http, "/apis/example.com/v1/namespaces/team/widgets/w");
        Assert.Equal(200, widget);
        var (_, secret, _) = await GetAsync(http, "/api/v1/namespaces/default/secrets/s1");
        Assert.Equal("helm.sh/release.v1", secret!["type"]!.ToString());
        var (_, pod, _) = await GetAsync(http, "/api/v1/namespaces/team/pods/p1");
        Assert.Equal("Running", pod!["status"]!["phase"]!.ToString());
    }

    [Fact]
    public async Task SeedDirectory_Twice_ReplacesInsteadOfFailing()
    {
        await File.WriteAllTextAsync(Path.Combine(_dir, "cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {a: '1'}\n");
        await using var emulator = await StartAsync();

        await emulator.SeedDirectoryAsync(_dir);
        await File.WriteAllTextAsync(Path.Combine(_dir, "cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {a: '2'}\n");
        await emulator.SeedDirectoryAsync(_dir);

        using var http = emulator.CreateHttpClient();
        var (_, cm, _) = await GetAsync(http, "/api/v1/namespaces/default/configmaps/x");
        Assert.Equal("2", cm!["data"]!["a"]!.ToString());
    }

    [Fact]
    public async Task SeedDirectory_BadYaml_NamesFileAndLine()
    {
        string file = Path.Combine(_dir, "bad.yaml");
        await File.WriteAllTextAsync(file, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [unclosed\n");
        await using var emulator = await StartAsync();

        var ex = await Assert.ThrowsAsync<KubernetesEmulatorException>(() => emulator.SeedDirectoryAsync(_dir));

        Assert.Equal(file, ex.Source);
        Assert.StartsWith(file + ":", ex.Message);
    }

    [Fact]
    public async Task SeedDirectory_UnknownKind_ReportsFileLineAndReason()
    {
        string file = Path.Combine(_dir, "unknown.yaml");
        await File.WriteAllTextAsync(file, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n---\napiVersion: nope.example.com/v1\nkind: Thing\nmetadata: {name: t}\n");
        await using var emulator = await StartAsync();

        var ex = await Assert.ThrowsAsync<KubernetesEmulatorException>(() => emulator.SeedDirectoryAsync(_dir));

        Assert.Equal(5, ex.Line);
        Assert.Equal(400, ex.StatusCode);
        Assert.Contains("nope.example.com/v1", ex.Message);
    }

    [Fact]
    public async Task SeedDirectory_MissingPath_Throws()
    {
        await using var emulator = await StartAsync();

        var ex = await Assert.ThrowsAsync<KubernetesEmulatorException>(() => emulator.SeedDirectoryAsync(Path.Combine(_dir, "missing")));

        Assert.Contains("no such file or directory", ex.Message);
    }

    [Fact]
    public async Task Seed_Object_IsVisibleToWatchers()
    {
        await using var emulator = await StartAsync();
        using var http = emulator.CreateHttpClient();
        using WatchReader watch = await WatchAsync(http, $"/api/v1/namespaces/default/secrets?watch=1&resourceVersion={emulator.ResourceVersion}");

        JsonObject stored = await emulator.SeedAsync(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Secret", ["metadata"] = new JsonObject { ["name"] = "seeded" } });

        JsonObject frame = (await watch.NextAsync())!;
        Assert.Equal("ADDED", frame["type"]!.ToString());
        Assert.Equal(stored["metadata"]!["uid"]!.ToString(), frame["object"]!["metadata"]!["uid"]!.ToString());
    }

    [Fact]
    public async Task SeedMany_ThousandSecrets_AreListedInNameOrder()
    {
        await using var emulator = await StartAsync();
        var secrets = Enumerable.Range(0, 1000).Select(i => new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["type"] = "helm.sh/release.v1",
            ["metadata"] = new JsonObject { ["name"] = $"sh.helm.release.v1.r{i:D4}.v1", ["namespace"] = "apps", ["labels"] = new JsonObject { ["owner"] = "helm" } },
        });

        int count = await emulator.SeedManyAsync(secrets);

        Assert.Equal(1000, count);
        using var http = emulator.CreateHttpClient();
        var (_, list, _) = await GetAsync(http, "/api/v1/namespaces/apps/secrets?labelSelector=owner%3Dhelm");
        var names = list!["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.ToString()).ToList();
        Assert.Equal(1000, names.Count);
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
    }
}
