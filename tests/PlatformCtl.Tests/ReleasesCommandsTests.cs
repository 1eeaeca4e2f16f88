using System.Text;
using System.Text.Json.Nodes;
using Platform.Kubernetes.Client;
using Platform.Kubernetes.Config;
using Platform.Kubernetes.Emulator;
using Platform.Kubernetes.Releases;

namespace PlatformCtl.Tests;

/// <summary>
/// <c>platformctl releases</c> as a separate process against the embedded emulator, configured only through the
/// kubeconfig file the emulator writes (the releases are stored as Helm Secrets by the SDK's store).
/// </summary>
public sealed class ReleasesCommandsTests : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "platformctl-releases-" + Guid.NewGuid().ToString("N")[..8]);
    private KubernetesEmulator _emulator = null!;

    private string Kubeconfig => Path.Combine(_dir, "kubeconfig");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        _emulator = await KubernetesEmulator.StartAsync();
        await _emulator.WriteKubeconfigAsync(Kubeconfig);
        using var client = new KubernetesClient(KubernetesClientConfiguration.Load(new KubernetesOptions { KubeconfigPath = Kubeconfig, Environment = new KubernetesEnvironment() }));
        foreach (string ns in new[] { "apps", "data" })
        {
            await client.CreateAsync(ResourceType.Namespaces, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = ns } });
        }

        await using var backend = ReleaseStores.Create(new ReleaseCatalogOptions(), client);
        await backend.Store.CreateAsync(Release("web", 1, "apps", "superseded", "nginx", "1.0.0", "2025-03-01T10:00:00Z"));
        await backend.Store.CreateAsync(Release("web", 2, "apps", "deployed", "nginx", "1.1.0", "2025-03-02T10:00:00Z"));
        await backend.Store.CreateAsync(Release("api", 1, "apps", "failed", "go-api", "0.3.0", "2025-03-03T10:00:00Z"));
        await backend.Store.CreateAsync(Release("db", 1, "data", "deployed", "postgresql", "15.2.0", "2025-02-01T10:00:00Z"));
        await backend.Store.CreateAsync(Release("old", 1, "data", "uninstalled", "redis", "7.0.0", "2025-01-01T10:00:00Z"));
    }

    public async Task DisposeAsync()
    {
        await _emulator.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task List_AllNamespacesJson_HasHelmListShape()
    {
        var result = await Run("releases", "list", "-A", "-o", "json");

        Assert.Equal(0, result.ExitCode);
        var items = JsonNode.Parse(result.StdOut)!.AsArray();
        Assert.Equal(["api", "db", "web"], items.Select(i => i!["name"]!.GetValue<string>()));
        var web = items[2]!.AsObject();
        Assert.Equal(["name", "namespace", "revision", "updated", "status", "chart", "app_version"], web.Select(p => p.Key));
        Assert.Equal(("apps", "2", "deployed", "nginx-1.1.0", "2.0"), (web["namespace"]!.GetValue<string>(), web["revision"]!.GetValue<string>(), web["status"]!.GetValue<string>(), web["chart"]!.GetValue<string>(), web["app_version"]!.GetValue<string>()));
        Assert.Equal("2025-03-02 10:00:00 +0000 UTC", web["updated"]!.GetValue<string>());
    }

    [Fact]
    public async Task List_NamespaceTable_PrintsHeaderAndRows()
    {
        var result = await Run("releases", "list", "-n", "data", "--status", "all");

        Assert.Equal(0, result.ExitCode);
        string[] lines = result.StdOut.TrimEnd('\n').Split('\n');
        Assert.StartsWith("NAME", lines[0], StringComparison.Ordinal);
        Assert.Contains("APP VERSION", lines[0], StringComparison.Ordinal);
        Assert.Equal(3, lines.Length);
        Assert.Contains("uninstalled", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_FilterSortReverseMax_FollowHelm()
    {
        var byDate = await Run("releases", "list", "-A", "--status", "all", "--sort", "date", "-r", "--max", "2", "-o", "json");
        var filtered = await Run("releases", "list", "-A", "--filter", "^(web|db)$", "--chart", "nginx", "-o", "json");

        Assert.Equal(["api", "web"], JsonNode.Parse(byDate.StdOut)!.AsArray().Select(i => i!["name"]!.GetValue<string>()));
        Assert.Equal(["web"], JsonNode.Parse(filtered.StdOut)!.AsArray().Select(i => i!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Get_ValuesManifestNotesHistory_LoadFromTheStore()
    {
        var values = await Run("releases", "get", "web", "-n", "apps", "values", "-o", "json");
        var oldValues = await Run("releases", "get", "web", "-n", "apps", "--revision", "1", "values");
        var manifest = await Run("releases", "get", "web", "-n", "apps", "manifest");
        var notes = await Run("releases", "get", "web", "-n", "apps", "notes");
        var history = await Run("releases", "get", "web", "-n", "apps", "history", "-o", "json");

        Assert.Equal(2, JsonNode.Parse(values.StdOut)!["replicas"]!.GetValue<int>());
        Assert.Equal("USER-SUPPLIED VALUES:\nreplicas: 1\n", oldValues.StdOut);
        Assert.Contains("name: web-2", manifest.StdOut, StringComparison.Ordinal);
        Assert.Equal("NOTES:\nweb is ready\n", notes.StdOut);
        Assert.Equal([1, 2], JsonNode.Parse(history.StdOut)!.AsArray().Select(h => h!["revision"]!.GetValue<int>()));
    }

    [Fact]
    public async Task Errors_FollowTheCliContract()
    {
        var missing = await Run("releases", "get", "nope", "-n", "apps", "values");
        var badRegex = await Run("releases", "list", "-A", "--filter", "(");
        var both = await Run("releases", "list", "-A", "-n", "apps");
        var badStatus = await Run("releases", "list", "--status", "sleeping");
        var badKubeconfig = await PlatformCtlRunner.RunAsync("releases", "list", "--kubeconfig", Path.Combine(_dir, "missing"));

        Assert.Equal((1, true), (missing.ExitCode, missing.StdErr.StartsWith("Error: ", StringComparison.Ordinal) && missing.StdErr.Contains("nope", StringComparison.Ordinal)));
        Assert.Equal(2, badRegex.ExitCode);
        Assert.Equal(2, both.ExitCode);
        Assert.Equal(2, badStatus.ExitCode);
        Assert.Equal(1, badKubeconfig.ExitCode);
        Assert.StartsWith("Error: ", badKubeconfig.StdErr, StringComparison.Ordinal);
        Assert.All(new[] { badRegex, both, badStatus }, r => Assert.StartsWith("Error: ", r.StdErr, StringComparison.Ordinal));
    }

    private Task<PlatformCtlRunner.Result> Run(params string[] args) =>
        PlatformCtlRunner.RunAsync([.. args, "--kubeconfig", Kubeconfig]);

    private static HelmRelease Release(string name, int version, string ns, string status, string chart, string chartVersion, string deployed)
    {
        string json = $$$"""
            {"name":"{{{name}}}","info":{"first_deployed":"2025-01-01T00:00:00Z","last_deployed":"{{{deployed}}}","description":"Install complete","status":"{{{status}}}","notes":"{{{name}}} is ready"},
             "chart":{"metadata":{"name":"{{{chart}}}","version":"{{{chartVersion}}}","appVersion":"{{{version}}}.0"}},
             "config":{"replicas":{{{version}}}},"manifest":"---\nkind: Deployment\nmetadata:\n  name: {{{name}}}-{{{version}}}\n","version":{{{version}}},"namespace":"{{{ns}}}"}
            """;
        return HelmReleaseCodec.FromJson(Encoding.UTF8.GetBytes(json));
    }
}
