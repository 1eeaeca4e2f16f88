using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

// Full run:  dotnet run -c Release --project tests/Platform.Benchmarks -- --filter '*'
// Quick run: dotnet run -c Release --project tests/Platform.Benchmarks -- --quick --filter '*'
//   (in-process, 1 warm-up + 3 iterations: under a minute, for CI and for a first look; the ratios are
//   what to read, every benchmark class compares against a baseline measured in the same run)
bool quick = args.Contains("--quick");
string[] rest = args.Where(a => a != "--quick").ToArray();

IConfig config = DefaultConfig.Instance.AddDiagnoser(MemoryDiagnoser.Default);
if (quick)
{
    config = DefaultConfig.Instance
        .AddDiagnoser(MemoryDiagnoser.Default)
        .AddJob(Job.Dry
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithWarmupCount(1)
            .WithIterationCount(3)
            .WithInvocationCount(1)
            .WithUnrollFactor(1)
            .WithId("Quick"))
        .WithOptions(ConfigOptions.DisableOptimizationsValidator);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(rest.Length == 0 ? ["--filter", "*"] : rest, config);
