using System.Text;
using BenchmarkDotNet.Attributes;
using Platform.Logging;
using Platform.Logging.Decoding;
using Platform.Logging.Multiline;

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
    private string[] _lines = [];
    private readonly List<LogRecord> _output = new(4096);

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        var lines = new List<string>();
        var sb = new StringBuilder();
        for (var i = 0; i < Events; i++)
        {
            var time = $"2026-12-04 16:{i / 600 % 60:00}:{i / 10 % 60:00}.{i % 1000:000}";
            if (random.Next(10) < 6)
            {
                lines.Add($"{time} INFO  [http-nio-8080-exec-{random.Next(1, 20)}] c.e.shop.OrderService - Processed order {random.Next()} in {random.Next(1, 500)} ms");
                continue;
            }

            lines.Add($"{time} ERROR [http-nio-8080-exec-{random.Next(1, 20)}] c.e.shop.OrderController - Request failed");
            lines.Add($"java.lang.IllegalStateException: Order {random.Next()} cannot be shipped: warehouse unavailable");
            Frames(lines, random, random.Next(15, 40), sb);
            lines.Add("Caused by: java.net.SocketTimeoutException: Read timed out");
            Frames(lines, random, random.Next(5, 15), sb);
            lines.Add($"\t... {random.Next(10, 60)} more");
        }

        _lines = [.. lines];
        var bytes = _lines.Sum(l => (long)Encoding.UTF8.GetByteCount(l) + 1);
        Console.WriteLine($"// {_lines.Length} lines, {bytes / (1024.0 * 1024.0):F1} MiB, {Events} events");
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

    private static void Frames(List<string> lines, Random random, int count, StringBuilder sb)
    {
        for (var f = 0; f < count; f++)
        {
            sb.Clear().Append("\tat com.example.shop.module").Append(random.Next(10)).Append(".Service").Append(random.Next(100))
                .Append(".handle").Append(random.Next(50)).Append("(Service").Append(random.Next(100)).Append(".java:").Append(random.Next(1, 900)).Append(')');
            lines.Add(sb.ToString());
        }
    }
}
