using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

// Full run:  dotnet run -c Release --project tests/Platform.Benchmarks -- --filter '*'
// Quick run: dotnet run -c Release --project tests/Platform.Benchmarks -- --quick --filter '*'
//   (in-process, 2 warm-ups + 5 iterations of ~150 ms each: seconds per benchmark, for CI and a first look; the ratios are
//   what to read, every benchmark class compares against a baseline measured in the same run)
bool quick = args.Contains("--quick");
string[] rest = args.Where(a => a != "--quick").ToArray();

IConfig config = DefaultConfig.Instance.AddDiagnoser(MemoryDiagnoser.Default);
if (quick)
{
    config = DefaultConfig.Instance
        .AddDiagnoser(MemoryDiagnoser.Default)
        .AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(2)
            .WithIterationCount(5)
            .WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(150))
            .WithId("Quick"))
        .WithOptions(ConfigOptions.DisableOptimizationsValidator);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(rest.Length == 0 ? ["--filter", "*"] : rest, config);
