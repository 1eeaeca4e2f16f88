using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Platform.Logging;
using Platform.Logging.Decoding;
using Platform.Logging.Multiline;

namespace Platform.Benchmarks.Logging;

/// <summary>
/// Container log throughput on a generated Java-heavy log (200 MiB raw; 8 MiB in quick mode, BENCH_LOG_MB overrides): the floor (raw line
/// splitting, the Baseline), decoding only (raw, docker json-file, CRI), and the whole pipeline (decode + the joiner of
/// each multiline profile via <c>LineJoiner.Create</c>). The MB/s column is input bytes over the mean time; each
/// benchmark prints its records and allocated bytes per record once (GlobalCleanup).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ThroughputConfig))]
public class LogPipelineBenchmarks
{
    private static bool s_warmed;
    private byte[] _raw = [];
    private byte[] _docker = [];
    private byte[] _cri = [];
    private Func<long>? _last;
    private string _lastName = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        _raw = JavaLogGenerator.Get(JavaLogGenerator.Envelope.Raw);
        _docker = JavaLogGenerator.Get(JavaLogGenerator.Envelope.Docker);
        _cri = JavaLogGenerator.Get(JavaLogGenerator.Envelope.Cri);
        Console.WriteLine($"// Java-heavy log: raw {_raw.Length / 1048576.0:F1} MiB, docker {_docker.Length / 1048576.0:F1} MiB, CRI {_cri.Length / 1048576.0:F1} MiB");

        // Quick mode runs in-process with few warm-ups: bring the decoder and joiners to tier-1 code before measuring.
        if (s_warmed)
        {
            return;
        }

        s_warmed = true;
        var warm = Stopwatch.StartNew();
        byte[] sample = _raw.AsSpan(0, Math.Min(_raw.Length, 256 * 1024)).ToArray();
        byte[] dockerSample = _docker.AsSpan(0, Math.Min(_docker.Length, 256 * 1024)).ToArray();
        byte[] criSample = _cri.AsSpan(0, Math.Min(_cri.Length, 256 * 1024)).ToArray();
        while (warm.ElapsedMilliseconds < 1000)
        {
            DecodeOnly(sample, LogFormat.Raw);
            DecodeOnly(dockerSample, LogFormat.Docker);
            DecodeOnly(criSample, LogFormat.Cri);
            RunPipeline(sample, MultilineProfile.Java);
            RunPipeline(criSample, MultilineProfile.Auto);
        }

    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (_last is null)
        {
            return;
        }

        // One more pass, counted on this thread: bytes per record beyond the LogRecord and its message string, and the
        // throughput per second of this thread's CPU time (meaningful when the machine is shared and wall time is not).
        long before = GC.GetAllocatedBytesForCurrentThread();
        double cpu0 = ThreadCpuSeconds();
        long records = _last();
        double cpu = ThreadCpuSeconds() - cpu0;
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        string cpuRate = cpu > 0 ? $", {InputBytes(_lastName.StartsWith("Profile", StringComparison.Ordinal) && _lastName.EndsWith("(CRI)", StringComparison.Ordinal) ? nameof(ProfileJavaCri) : _lastName) / 1048576.0 / cpu:F0} MB per thread-CPU-second" : string.Empty;
        Console.WriteLine($"// {_lastName}: {records:N0} records, {(records == 0 ? 0 : allocated / (double)records):F1} allocated B/record (LogRecord = {RecordSize()} B + message string){cpuRate}");
    }

    [Benchmark(Baseline = true, Description = "raw line split (floor)")]
    public long SplitLines() => Track(nameof(SplitLines), () =>
    {
        long lines = 0;
        ReadOnlySpan<byte> data = _raw;
        for (int i = data.IndexOf((byte)'\n'); i >= 0; i = data.IndexOf((byte)'\n'))
        {
            lines++;
            data = data[(i + 1)..];
        }

        return lines;
    });

    [Benchmark(Description = "decode raw")]
    public long DecodeRaw() => Track(nameof(DecodeRaw), () => DecodeOnly(_raw, LogFormat.Raw));

    [Benchmark(Description = "decode docker")]
    public long DecodeDocker() => Track(nameof(DecodeDocker), () => DecodeOnly(_docker, LogFormat.Docker));

    [Benchmark(Description = "decode cri")]
    public long DecodeCri() => Track(nameof(DecodeCri), () => DecodeOnly(_cri, LogFormat.Cri));

    [Benchmark(Description = "profile none")]
    public long ProfileNone() => Pipeline(_raw, MultilineProfile.None);

    [Benchmark(Description = "profile auto")]
    public long ProfileAuto() => Pipeline(_raw, MultilineProfile.Auto);

    [Benchmark(Description = "profile java")]
    public long ProfileJava() => Pipeline(_raw, MultilineProfile.Java);

    [Benchmark(Description = "profile java (CRI input)")]
    public long ProfileJavaCri() => Pipeline(_cri, MultilineProfile.Java);

    [Benchmark(Description = "profile python")]
    public long ProfilePython() => Pipeline(_raw, MultilineProfile.Python);

    [Benchmark(Description = "profile go")]
    public long ProfileGo() => Pipeline(_raw, MultilineProfile.Go);

    [Benchmark(Description = "profile ruby")]
    public long ProfileRuby() => Pipeline(_raw, MultilineProfile.Ruby);

    [Benchmark(Description = "profile php")]
    public long ProfilePhp() => Pipeline(_raw, MultilineProfile.Php);

    [Benchmark(Description = "profile node")]
    public long ProfileNode() => Pipeline(_raw, MultilineProfile.Node);

    [Benchmark(Description = "profile dotnet")]
    public long ProfileDotNet() => Pipeline(_raw, MultilineProfile.DotNet);

    [Benchmark(Description = "profile dart")]
    public long ProfileDart() => Pipeline(_raw, MultilineProfile.Dart);

    internal static long InputBytes(string method)
    {
        var envelope = method switch
        {
            nameof(DecodeDocker) => JavaLogGenerator.Envelope.Docker,
            nameof(DecodeCri) or nameof(ProfileJavaCri) => JavaLogGenerator.Envelope.Cri,
            _ => JavaLogGenerator.Envelope.Raw,
        };
        return JavaLogGenerator.Get(envelope).LongLength;
    }

    private static long DecodeOnly(byte[] input, LogFormat format)
    {
        var sink = new CountingSink();
        using var decoder = new LogDecoder(format, new LogLimits(), sink);
        const int Chunk = 64 * 1024;
        for (int offset = 0; offset < input.Length; offset += Chunk)
        {
            decoder.Write(input.AsSpan(offset, Math.Min(Chunk, input.Length - offset)));
        }

        decoder.Complete();
        return sink.Lines;
    }

    private static double ThreadCpuSeconds()
    {
        if (!OperatingSystem.IsLinux())
        {
            return 0;
        }

        // CLOCK_THREAD_CPUTIME_ID = 3.
        return NativeMethods.clock_gettime(3, out NativeMethods.TimeSpec t) == 0 ? t.Seconds + (t.Nanoseconds / 1e9) : 0;
    }

    private static int RecordSize()
    {
        var keep = new LogRecord[100];
        long afterArray = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < keep.Length; i++)
        {
            keep[i] = new LogRecord();
        }

        GC.KeepAlive(keep);
        return (int)((GC.GetAllocatedBytesForCurrentThread() - afterArray) / keep.Length);
    }

    private long Pipeline(byte[] input, MultilineProfile profile) =>
        Track("Profile" + profile + (input == _cri ? " (CRI)" : string.Empty), () => RunPipeline(input, profile));

    private static long RunPipeline(byte[] input, MultilineProfile profile)
    {
        var options = new LogReaderOptions { Multiline = new MultilineOptions { Profile = profile }, IdleCheckInterval = TimeSpan.Zero };
        long records = 0;
        // The public streaming API; a MemoryStream completes every read synchronously, so this measures the pipeline, not I/O.
        var e = LogReader.ReadAsync(new MemoryStream(input, writable: false), options).GetAsyncEnumerator();
        try
        {
            while (e.MoveNextAsync().AsTask().GetAwaiter().GetResult())
            {
                records++;
            }
        }
        finally
        {
            e.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        return records;
    }

    private long Track(string name, Func<long> run)
    {
        _last = run;
        _lastName = name;
        return run();
    }

    private static class NativeMethods
    {
        [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "clock_gettime")]
#pragma warning disable SYSLIB1054 // a benchmark helper; no marshalling to generate
        public static extern int clock_gettime(int clock, out TimeSpec time);
#pragma warning restore SYSLIB1054

        [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)]
        public struct TimeSpec
        {
            public long Seconds;
            public long Nanoseconds;
        }
    }

    private sealed class CountingSink : IDecodedLineSink
    {
        public long Lines { get; private set; }

        public void OnLine(scoped in DecodedLine line) => Lines++;
    }

    private sealed class ThroughputConfig : ManualConfig
    {
        public ThroughputConfig() => AddColumn(new MegabytesPerSecondColumn());
    }

    /// <summary>Input megabytes (MiB) per second from the mean time.</summary>
    private sealed class MegabytesPerSecondColumn : IColumn
    {
        public string Id => "MBps";

        public string ColumnName => "MB/s";

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Custom;

        public int PriorityInCategory => 0;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Dimensionless;

        public string Legend => "Input MiB per second (mean)";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            var report = summary[benchmarkCase];
            if (report?.ResultStatistics is not { } stats)
            {
                return "-";
            }

            double seconds = stats.Mean / 1e9;
            double mib = InputBytes(benchmarkCase.Descriptor.WorkloadMethod.Name) / 1048576.0;
            return (mib / seconds).ToString("F0", CultureInfo.InvariantCulture);
        }

        public bool IsAvailable(Summary summary) => true;

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    }
}
