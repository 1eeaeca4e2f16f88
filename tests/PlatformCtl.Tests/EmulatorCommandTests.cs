using System.Diagnostics;
using System.Runtime.InteropServices;

namespace PlatformCtl.Tests;

/// <summary>Runs <c>platformctl emulator</c> as a process, points the real kubectl at it, and stops it.</summary>
public sealed class EmulatorCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("platformctl-emulator-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Emulator_Started_PrintsReadyServesKubectlAndStopsOnSigterm()
    {
        string seed = Path.Combine(_dir, "seed");
        Directory.CreateDirectory(seed);
        await File.WriteAllTextAsync(Path.Combine(seed, "cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: seeded, namespace: demo}\ndata: {a: b}\n");
        string kubeconfig = Path.Combine(_dir, "kubeconfig");

        using Process emulator = StartPlatformCtl("emulator", "--kubeconfig-out", kubeconfig, "--seed", seed);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var lines = new List<string>();
            string? line;
            while ((line = await emulator.StandardOutput.ReadLineAsync(timeout.Token)) is not null)
            {
                lines.Add(line);
                if (line.StartsWith("ready ", StringComparison.Ordinal))
                {
                    break;
                }
            }

            Assert.NotNull(line);
            Assert.Matches(@"^ready https://127\.0\.0\.1:\d+$", line);
            Assert.Contains("kubeconfig " + kubeconfig, lines);
            Assert.True(File.Exists(kubeconfig));

            var (exit, stdout, stderr) = await KubectlAsync(kubeconfig, "get", "configmap", "seeded", "-n", "demo", "-o", "jsonpath={.data.a}");
            Assert.True(exit == 0, stderr);
            Assert.Equal("b", stdout);
        }
        finally
        {
            if (!emulator.HasExited)
            {
                if (OperatingSystem.IsWindows())
                {
                    emulator.Kill(entireProcessTree: true);
                }
                else
                {
                    Assert.Equal(0, Kill(emulator.Id, 15));
                }
            }

            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await emulator.WaitForExitAsync(stop.Token);
        }

        Assert.Equal(0, emulator.ExitCode);
    }

    [Fact]
    public async Task Emulator_MissingSeedDirectory_ExitsWithOneLineError()
    {
        var result = await PlatformCtlRunner.RunAsync("emulator", "--seed", Path.Combine(_dir, "missing"), "--kubeconfig-out", Path.Combine(_dir, "kc"));

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("Error: ", result.StdErr);
        Assert.Contains("no such file or directory", result.StdErr);
    }

    [Fact]
    public async Task Emulator_BadPort_IsAUsageError()
    {
        var result = await PlatformCtlRunner.RunAsync("emulator", "--port", "70000");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--port", result.StdErr);
    }

    [DllImport("libc", SetLastError = true, EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);

    private static Process StartPlatformCtl(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "platformctl.dll"));
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        return Process.Start(psi)!;
    }

    private async Task<(int Exit, string StdOut, string StdErr)> KubectlAsync(string kubeconfig, params string[] args)
    {
        var psi = new ProcessStartInfo(File.Exists("/usr/bin/kubectl") ? "/usr/bin/kubectl" : "kubectl")
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

        using Process process = Process.Start(psi)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
