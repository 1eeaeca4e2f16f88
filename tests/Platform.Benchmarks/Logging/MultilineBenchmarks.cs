using System.Text;
using BenchmarkDotNet.Attributes;
using Platform.Logging;
using Platform.Logging.Decoding;
using Platform.Logging.Multiline;
using Platform.Tests.Shared;

namespace Platform.Benchmarks.Logging;

/// <summary>
/// Multiline joining alone (decoded lines in memory, no I/O) over a generated Java-heavy log (44 MiB, 669,274 lines,
/// 40,000 events of which 40% are an ERROR line plus a 20–55 line trace with a cause): every line its own record (the
/// Baseline) against the java and auto profiles (40,000 records each) and Filebeat's documented Java regex rule.
/// MB/s = the size printed at setup divided by the mean time; allocation per record = Allocated / records.
/// </summary>
[MemoryDiagnoser]
public class MultilineBenchmarks
{
    private const int Events = 40_000;
    private const int Methods = 5;
    private static string[]? s_lines;
    private static int s_cleanups;
    private string[] _lines = [];
    private readonly List<LogRecord> _output = new(4096);

    [GlobalSetup]
    public void Setup()
    {
        // BenchmarkDotNet runs the setup once per benchmark: generate the lines once per process and share them.
        _lines = s_lines ??= [.. JavaHeavyLog.Lines(Events)];
        var bytes = _lines.Sum(l => (long)Encoding.UTF8.GetByteCount(l) + 1);
        Console.WriteLine($"// {_lines.Length} lines, {bytes / (1024.0 * 1024.0):F1} MiB, {Events} events");
    }

    /// <summary>
    /// Drops the shared lines after the class's last benchmark (all of them run in '*' filters), so that they do not
    /// slow down the forced collections between iterations of the classes that run after this one in quick mode.
    /// </summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _lines = [];
        if (++s_cleanups % Methods == 0)
        {
            s_lines = null;
        }
    }

    [Benchmark(Baseline = true)]
    public int SingleLine() => Run(new MultilineOptions { Profile = MultilineProfile.None, ParseJson = false });

    [Benchmark]
    public int JavaProfile() => Run(new MultilineOptions { Profile = MultilineProfile.Java, ParseJson = false });

    [Benchmark]
    public int JavaProfileWithJsonCheck() => Run(new MultilineOptions { Profile = MultilineProfile.Java, ParseJson = true });

    [Benchmark]
    public int AutoProfile() => Run(new MultilineOptions { Profile = MultilineProfile.Auto, ParseJson = false });

    [Benchmark]
    public int FilebeatJavaRule() => Run(new MultilineOptions
    {
        ParseJson = false,
        Rule = new MultilineRule { Pattern = @"^[[:space:]]+(at|\.{3})[[:space:]]+\b|^Caused by:", Match = MultilineMatch.After },
    });

    private int Run(MultilineOptions options)
    {
        var joiner = LineJoiner.Create(options, new LogLimits());
        var records = 0;
        foreach (var line in _lines)
        {
            joiner.Add(new DecodedLine(null, LogStream.Stdout, line, LogRecordFlags.None), _output);
            if (_output.Count >= 256)
            {
                records += _output.Count;
                _output.Clear();
            }
        }

        joiner.Flush(_output);
        records += _output.Count;
        _output.Clear();
        return records;
    }
}
