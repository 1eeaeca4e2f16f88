using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
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

/// <summary>
/// <c>platformctl releases</c> with Helm's SQL driver (<c>HELM_DRIVER=sql</c> and a lib/pq URL) against a throwaway
/// PostgreSQL this test starts (it fails, not skips, when PostgreSQL cannot start).
/// </summary>
public sealed class ReleasesCommandsSqlTests : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "platformctl-pg-" + Guid.NewGuid().ToString("N")[..8]);
    private string _bin = string.Empty;
    private bool _asPostgres;
    private int _port;

    public async Task InitializeAsync()
    {
        _bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderDescending().FirstOrDefault() ?? "/usr/local/bin"
            : "/usr/local/bin";
        Assert.True(File.Exists(Path.Combine(_bin, "initdb")), "PostgreSQL (initdb, pg_ctl) is not installed; install the Debian 'postgresql' package");
        _asPostgres = Environment.UserName == "root";
        Directory.CreateDirectory(_root);
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        _port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        if (_asPostgres)
        {
            await ExecAsync("chown", ["-R", "postgres:postgres", _root], false);
        }

        string data = Path.Combine(_root, "data");
        await ExecAsync(Path.Combine(_bin, "initdb"), ["-D", data, "-U", "postgres", "-A", "trust", "--no-sync"], _asPostgres);
        await ExecAsync(Path.Combine(_bin, "pg_ctl"), ["-D", data, "-l", Path.Combine(_root, "log"), "-w", "-t", "60", "-o", $"-p {_port} -k {_root} -c listen_addresses=127.0.0.1 -c fsync=off", "start"], _asPostgres);

        await using var backend = ReleaseStores.Create(new ReleaseCatalogOptions { Store = ReleaseStoreKind.Sql, SqlConnectionString = $"Host=127.0.0.1;Port={_port};Username=postgres;Database=postgres" });
        await backend.Store.CreateAsync(HelmReleaseCodec.FromJson(Encoding.UTF8.GetBytes("""{"name":"pg-web","version":1,"namespace":"default","info":{"status":"deployed","last_deployed":"2025-03-01T10:00:00Z"},"chart":{"metadata":{"name":"nginx","version":"1.0.0","appVersion":"1.25"}},"config":{"replicas":3}}""")));
        await backend.Store.CreateAsync(HelmReleaseCodec.FromJson(Encoding.UTF8.GetBytes("""{"name":"pg-db","version":1,"namespace":"data","info":{"status":"failed","last_deployed":"2025-03-02T10:00:00Z"},"chart":{"metadata":{"name":"postgresql","version":"15.0.0"}}}""")));
    }

    public async Task DisposeAsync()
    {
        try
        {
            await ExecAsync(Path.Combine(_bin, "pg_ctl"), ["-D", Path.Combine(_root, "data"), "-m", "immediate", "-w", "stop"], _asPostgres);
        }
        finally
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task ListAndGet_WithHelmSqlDriver_ReadHelmsTables()
    {
        var list = await RunAsync("releases", "list", "-A", "-o", "json");
        var values = await RunAsync("releases", "get", "pg-web", "values", "-o", "json");

        Assert.True(list.ExitCode == 0, list.StdErr);
        Assert.Equal(["pg-db", "pg-web"], JsonNode.Parse(list.StdOut)!.AsArray().Select(i => i!["name"]!.GetValue<string>()));
        Assert.Equal(3, JsonNode.Parse(values.StdOut)!["replicas"]!.GetValue<int>());
    }

    private async Task<PlatformCtlRunner.Result> RunAsync(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "platformctl.dll"));
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["HELM_DRIVER"] = "sql";
        psi.Environment["HELM_DRIVER_SQL_CONNECTION_STRING"] = $"postgresql://postgres@127.0.0.1:{_port}/postgres?sslmode=disable";
        using var process = Process.Start(psi)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return new PlatformCtlRunner.Result(process.ExitCode, await stdout, await stderr);
    }

    private async Task ExecAsync(string file, string[] args, bool asPostgres)
    {
        var psi = new ProcessStartInfo(asPostgres ? "runuser" : file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in asPostgres ? ["-u", "postgres", "--", file, .. args] : args)
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"PostgreSQL test server: {Path.GetFileName(file)} exited with {process.ExitCode}: {await stderr}{await stdout}");
    }
}
