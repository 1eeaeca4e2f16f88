using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Platform.Kubernetes.Config;
using Platform.Kubernetes.Emulator;
using Platform.Kubernetes.Tests.Config;
using Platform.Logging;

namespace Platform.Kubernetes.Tests.Logs;

/// <summary>
/// A running emulator over HTTPS and a service provider wired as an application wires it: a kubeconfig file written by
/// the emulator, <c>AddPlatformLogging</c>, <c>AddPlatformKubernetes</c> and <c>AddPlatformPodLogs</c>.
/// </summary>
internal sealed class PodLogHarness : IAsyncDisposable
{
    /// <summary>The guard against a hang; tests never assert timings.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly TempDirectory _dir = new();

    private PodLogHarness(KubernetesEmulator emulator) => Emulator = emulator;

    public KubernetesEmulator Emulator { get; }

    public ServiceProvider Provider { get; private set; } = null!;

    public ILogReader Reader => Provider.GetRequiredService<ILogReader>();

    public static async Task<PodLogHarness> StartAsync(Action<LoggingOptions>? logging = null, TimeProvider? clock = null)
    {
        var emulator = await KubernetesEmulator.StartAsync(new EmulatorOptions { EnableHttp = false, TimeProvider = clock ?? TimeProvider.System });
        var harness = new PodLogHarness(emulator);
        string kubeconfig = Path.Combine(harness._dir.Path, "config");
        await emulator.WriteKubeconfigAsync(kubeconfig);
        var services = new ServiceCollection();
        services.AddPlatformLogging(logging);
        services.AddPlatformKubernetes(o =>
        {
            o.KubeconfigPath = kubeconfig;
            o.Environment = new KubernetesEnvironment();
        });
        services.AddPlatformPodLogs();
        harness.Provider = services.BuildServiceProvider();
        return harness;
    }

    /// <summary>Creates a pod in <c>default</c> with the given containers.</summary>
    public Task SeedPodAsync(string name, params string[] containers)
    {
        var list = new JsonArray();
        foreach (string container in containers)
        {
            list.Add(new JsonObject { ["name"] = container, ["image"] = "registry.example/" + container + ":1" });
        }

        return Emulator.SeedAsync(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" },
            ["spec"] = new JsonObject { ["containers"] = list },
        });
    }

    public async Task<List<LogRecord>> ReadAllAsync(string name, LogQuery? query = null)
    {
        using var cts = new CancellationTokenSource(Timeout);
        var records = new List<LogRecord>();
        await foreach (LogRecord record in Reader.ReadAsync("pod", name, query, cts.Token))
        {
            records.Add(record);
        }

        return records;
    }

    public async ValueTask DisposeAsync()
    {
        await Provider.DisposeAsync();
        await Emulator.DisposeAsync();
        _dir.Dispose();
    }
}

/// <summary>A clock whose "now" is set by the test and whose timers run on the system clock.</summary>
internal sealed class SettableClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        System.CreateTimer(callback, state, dueTime, period);
}

/// <summary>Locates the shared corpus: PLATFORM_SHARED_DIR, or the first ancestor of the test binaries holding shared/corpus.</summary>
internal static class PodLogCorpus
{
    private static readonly Lazy<string> SharedDir = new(Find);

    public static string Logs(string relative) => Path.Combine(SharedDir.Value, "corpus", "logs", relative);

    private static string Find()
    {
        var env = Environment.GetEnvironmentVariable("PLATFORM_SHARED_DIR");
        if (!string.IsNullOrEmpty(env) && Directory.Exists(Path.Combine(env, "corpus")))
        {
            return env;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared");
            if (Directory.Exists(Path.Combine(candidate, "corpus")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("The shared corpus was not found: set PLATFORM_SHARED_DIR or place the repository next to shared/.");
    }
}
