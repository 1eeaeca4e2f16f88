using System.Diagnostics;
using System.Text.Json.Nodes;
using Platform.Kubernetes.Emulator;
using static Platform.Kubernetes.Tests.Emulator.EmulatorHttp;

namespace Platform.Kubernetes.Tests.Emulator;

/// <summary>Drives the real kubectl against the emulator through a written kubeconfig, with default flags.</summary>
public sealed class KubectlTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("emu-kubectl-").FullName;
    private KubernetesEmulator _emulator = null!;

    private string Kubeconfig => Path.Combine(_dir, "kubeconfig");

    public async Task InitializeAsync()
    {
        _emulator = await KubernetesEmulator.StartAsync();
        await _emulator.WriteKubeconfigAsync(Kubeconfig);
    }

    public async Task DisposeAsync()
    {
        await _emulator.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Kubectl_CreateGetApplyLogsDelete_WorkWithDefaultFlags()
    {
        string manifests = Path.Combine(_dir, "app.yaml");
        await File.WriteAllTextAsync(manifests, """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: demo
              labels: {app: web}
            data:
              greeting: hello
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              labels: {app: web}
            spec:
              replicas: 2
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers:
                  - name: nginx
                    image: nginx:1.27
            """);
        string pod = Path.Combine(_dir, "pod.yaml");
        await File.WriteAllTextAsync(pod, """
            apiVersion: v1
            kind: Pod
            metadata:
              name: worker
              labels: {app: worker}
            spec:
              containers:
              - name: main
                image: busybox
            """);

        var created = await RunAsync("create", "-f", manifests);
        Assert.Equal(0, created.ExitCode);
        Assert.Contains("configmap/demo created", created.StdOut);
        Assert.Contains("deployment.apps/web created", created.StdOut);

        var table = await RunAsync("get", "deployments");
        Assert.Equal(0, table.ExitCode);
        Assert.Matches(@"NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE", table.StdOut);
        Assert.Matches(@"web\s+0/2\s+0\s+0\s+\d+s", table.StdOut);

        var json = await RunAsync("get", "configmaps", "-l", "app=web", "-o", "json");
        Assert.Equal(0, json.ExitCode);
        var items = JsonNode.Parse(json.StdOut)!["items"]!.AsArray();
        Assert.Equal("demo", Assert.Single(items)!["metadata"]!["name"]!.ToString());
        Assert.Equal("hello", items[0]!["data"]!["greeting"]!.ToString());

        var applied = await RunAsync("apply", "--server-side", "-f", pod);
        Assert.Equal(0, applied.ExitCode);
        Assert.Contains("pod/worker serverside-applied", applied.StdOut);
        var reapplied = await RunAsync("apply", "--server-side", "-f", pod);
        Assert.Equal(0, reapplied.ExitCode);

        _emulator.SetPodLog("default", "worker", "main", "line 1\nline 2\nline 3\n");
        var logs = await RunAsync("logs", "worker");
        Assert.Equal(0, logs.ExitCode);
        Assert.Equal("line 1\nline 2\nline 3\n", logs.StdOut);
        var tail = await RunAsync("logs", "worker", "--tail=1");
        Assert.Equal("line 3\n", tail.StdOut);

        var deleted = await RunAsync("delete", "configmap", "demo");
        Assert.Equal(0, deleted.ExitCode);
        Assert.Contains("configmap \"demo\" deleted", deleted.StdOut);
        using var http = _emulator.CreateHttpClient();
        Assert.Equal(404, (await GetAsync(http, "/api/v1/namespaces/default/configmaps/demo")).Status);

        var missing = await RunAsync("get", "configmap", "demo");
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("configmaps \"demo\" not found", missing.StdErr);
    }

    [Fact]
    public async Task Kubectl_GetNamespacesAndAllNamespacesSecrets_PrintsTables()
    {
        await _emulator.SeedAsync(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Secret", ["metadata"] = new JsonObject { ["name"] = "sh.helm.release.v1.app.v1", ["namespace"] = "kube-system" }, ["type"] = "helm.sh/release.v1" });

        var namespaces = await RunAsync("get", "namespaces");
        var secrets = await RunAsync("get", "secrets", "-A", "--field-selector", "type=helm.sh/release.v1");

        Assert.Equal(0, namespaces.ExitCode);
        Assert.Matches(@"default\s+Active", namespaces.StdOut);
        Assert.Equal(0, secrets.ExitCode);
        Assert.Matches(@"kube-system\s+sh\.helm\.release\.v1\.app\.v1\s+helm\.sh/release\.v1\s+0", secrets.StdOut);
    }

    [Fact]
    public async Task Kubectl_GetWatch_PrintsNewObjectsAsTheyArrive()
    {
        using var http = _emulator.CreateHttpClient();
        await CreateConfigMapAsync(http, "first");
        using Process watch = Start("get", "configmaps", "-w");
        try
        {
            using var timeout = new CancellationTokenSource(EmulatorHttp.Timeout);
            string header = (await watch.StandardOutput.ReadLineAsync(timeout.Token))!;
            string first = (await watch.StandardOutput.ReadLineAsync(timeout.Token))!;
            Assert.Matches(@"^NAME\s+DATA\s+AGE", header);
            Assert.StartsWith("first ", first);

            // The watch is established once kubectl has printed the list; new objects then stream in.
            await CreateConfigMapAsync(http, "second");
            string second = (await watch.StandardOutput.ReadLineAsync(timeout.Token))!;
            Assert.StartsWith("second ", second);
        }
        finally
        {
            watch.Kill(entireProcessTree: true);
            await watch.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task Kubectl_ImperativeCreate_SendsProtobufTheEmulatorDecodes()
    {
        Assert.Equal(0, (await RunAsync("create", "namespace", "team")).ExitCode);
        var configMap = await RunAsync("create", "configmap", "cfg", "-n", "team", "--from-literal=a=b", "--from-literal=c=d");
        var secret = await RunAsync("create", "secret", "generic", "sec", "-n", "team", "--from-literal=password=s3cr3t");
        var account = await RunAsync("create", "serviceaccount", "robot", "-n", "team");

        Assert.True(configMap.ExitCode == 0, configMap.StdErr);
        Assert.True(secret.ExitCode == 0, secret.StdErr);
        Assert.True(account.ExitCode == 0, account.StdErr);
        using var http = _emulator.CreateHttpClient();
        var (_, cm, _) = await GetAsync(http, "/api/v1/namespaces/team/configmaps/cfg");
        Assert.Equal("""{"a":"b","c":"d"}""", cm!["data"]!.ToJsonString());
        Assert.Null(cm["metadata"]!["generateName"]);
        var (_, sec, _) = await GetAsync(http, "/api/v1/namespaces/team/secrets/sec");
        Assert.Equal("Opaque", sec!["type"]!.ToString());
        Assert.Equal(Convert.ToBase64String("s3cr3t"u8.ToArray()), sec["data"]!["password"]!.ToString());
        var (_, ns, _) = await GetAsync(http, "/api/v1/namespaces/team");
        Assert.Equal("Active", ns!["status"]!["phase"]!.ToString());
    }

    [Fact]
    public async Task Kubectl_LogsFollow_StreamsUntilTheLogIsCompleted()
    {
        await _emulator.SeedAsync((JsonObject)JsonNode.Parse("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"tail"},"spec":{"containers":[{"name":"app","image":"x"}]},"status":{"phase":"Running"}}""")!);
        _emulator.SetPodLog("default", "tail", "app", "boot\n");
        using Process follow = Start("logs", "-f", "tail");
        using var timeout = new CancellationTokenSource(EmulatorHttp.Timeout);

        Assert.Equal("boot", await follow.StandardOutput.ReadLineAsync(timeout.Token));
        _emulator.AppendPodLog("default", "tail", "app", "request served\n");
        Assert.Equal("request served", await follow.StandardOutput.ReadLineAsync(timeout.Token));
        _emulator.CompletePodLog("default", "tail");
        Assert.Null(await follow.StandardOutput.ReadLineAsync(timeout.Token));
        await follow.WaitForExitAsync(timeout.Token);
        Assert.Equal(0, follow.ExitCode);
    }

    [Fact]
    public async Task Kubectl_ClientCertificateKubeconfig_Authenticates()
    {
        string path = Path.Combine(_dir, "cert.kubeconfig");
        await _emulator.WriteKubeconfigAsync(path, KubeconfigCredentials.ClientCertificate);

        var result = await RunWithConfigAsync(path, "get", "namespace", "default", "-o", "jsonpath={.metadata.name}");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("default", result.StdOut);
    }

    private sealed record Result(int ExitCode, string StdOut, string StdErr);

    private static string KubectlPath()
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Prepend("/usr/bin"))
        {
            string candidate = Path.Combine(dir, "kubectl");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("kubectl is not installed (looked in /usr/bin and PATH); these tests drive the real kubectl.");
    }

    private Process Start(params string[] args) => StartWithConfig(Kubeconfig, args);

    private Process StartWithConfig(string kubeconfig, string[] args)
    {
        var psi = new ProcessStartInfo(KubectlPath())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("--kubeconfig");
        psi.ArgumentList.Add(kubeconfig);
        psi.ArgumentList.Add("--cache-dir");
        psi.ArgumentList.Add(Path.Combine(_dir, "cache"));
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment.Remove("KUBECONFIG");
        return Process.Start(psi)!;
    }

    private Task<Result> RunAsync(params string[] args) => RunWithConfigAsync(Kubeconfig, args);

    private async Task<Result> RunWithConfigAsync(string kubeconfig, params string[] args)
    {
        using Process process = StartWithConfig(kubeconfig, args);
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("kubectl " + string.Join(' ', args) + " did not finish in 60 s");
        }

        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
