using System.Text.Json.Nodes;
using Platform.Kubernetes.Emulator;

namespace PlatformCtl.Tests;

/// <summary><c>platformctl logs parse pod:NS/POD[/CONTAINER] --kubeconfig FILE</c> against an emulator over HTTPS.</summary>
public sealed class LogsPodTests : IAsyncLifetime
{
    private readonly string _kubeconfig = Path.Combine(Path.GetTempPath(), $"platformctl-podlogs-{Guid.NewGuid():N}.kubeconfig");
    private KubernetesEmulator _emulator = null!;

    public async Task InitializeAsync()
    {
        _emulator = await KubernetesEmulator.StartAsync(new EmulatorOptions { EnableHttp = false });
        await _emulator.WriteKubeconfigAsync(_kubeconfig);
        await _emulator.SeedAsync(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = "java-0", ["namespace"] = "default" },
            ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = "registry.example/app:1" }) },
        });
    }

    public async Task DisposeAsync()
    {
        await _emulator.DisposeAsync();
        File.Delete(_kubeconfig);
    }

    [Fact]
    public async Task Parse_PodLog_JoinsTheJavaTraceAsTheFileWould()
    {
        string file = Path.Combine(PlatformCtlRunner.SharedDir, "corpus", "logs", "detect-exceptions", "java", "COMPLEX_JAVA_EXC.log");
        _emulator.SetPodLog("default", "java-0", "app", await File.ReadAllTextAsync(file));

        var fromPod = await PlatformCtlRunner.RunAsync("logs", "parse", "pod:default/java-0/app", "--kubeconfig", _kubeconfig, "--multiline", "java", "-o", "json");
        var fromFile = await PlatformCtlRunner.RunAsync("logs", "parse", file, "--multiline", "java", "-o", "json");

        Assert.True(fromPod.ExitCode == 0, fromPod.StdErr);
        var records = fromPod.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(5, records.Count);
        Assert.StartsWith("javax.servlet.ServletException: Something bad happened\n    at ", records[1]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(fromFile.StdOut, fromPod.StdOut);
    }

    [Fact]
    public async Task Parse_MissingPod_FailsWithOneErrorLine()
    {
        var r = await PlatformCtlRunner.RunAsync("logs", "parse", "pod:default/missing-0", "--kubeconfig", _kubeconfig);

        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith("Error: ", r.StdErr, StringComparison.Ordinal);
        Assert.Contains("missing-0", r.StdErr, StringComparison.Ordinal);
        Assert.Contains("NotFound", r.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain(_emulator.Token, r.StdErr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pod:default", "expected NAMESPACE/POD[/CONTAINER]")]
    [InlineData("pod:default/Web", "invalid pod name 'Web'")]
    public async Task Parse_MalformedPodName_IsAUsageError(string name, string expected)
    {
        // A missing kubeconfig must not hide the usage error: the name is checked first.
        var r = await PlatformCtlRunner.RunAsync("logs", "parse", name, "--kubeconfig", _kubeconfig + ".missing");

        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("Error: ", r.StdErr, StringComparison.Ordinal);
        Assert.Contains(expected, r.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Parse_KubeconfigWithoutPod_IsAUsageError()
    {
        var r = await PlatformCtlRunner.RunWithInputAsync("x\n", "logs", "parse", "-", "--kubeconfig", _kubeconfig);

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--kubeconfig needs a pod:", r.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Parse_MissingKubeconfig_FailsNamingTheFile()
    {
        string missing = Path.Combine(Path.GetTempPath(), $"no-such-{Guid.NewGuid():N}.kubeconfig");

        var r = await PlatformCtlRunner.RunAsync("logs", "parse", "pod:default/java-0", "--kubeconfig", missing);

        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith("Error: ", r.StdErr, StringComparison.Ordinal);
        Assert.Contains(missing, r.StdErr, StringComparison.Ordinal);
    }
}
