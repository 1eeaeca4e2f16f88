using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

// Full run:  dotnet run -c Release --project tests/Platform.Benchmarks -- --filter '*'
// Quick run: dotnet run -c Release --project tests/Platform.Benchmarks -- --quick --filter '*'
//   (in-process, 1 warm-up + 4 iterations of ~100 ms each, no overhead evaluation (every benchmark takes milliseconds):
//   about a second per benchmark and under a minute for the whole suite, for CI and a first look; the ratios are what
//   to read, every benchmark class compares against a baseline measured in the same run; expensive setup data is built
//   once per process and shared by the benchmarks of a class)
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
            .WithWarmupCount(1)
            .WithIterationCount(4)
            .WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(100))
            .WithEvaluateOverhead(false)
            .WithId("Quick"))
        .WithOptions(ConfigOptions.DisableOptimizationsValidator);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(rest.Length == 0 ? ["--filter", "*"] : rest, config);
