using System.Text;

namespace Platform.Tests.Shared;

/// <summary>
/// A deterministic Java-heavy log: plain log lines mixed with traces holding frames, a cause and "... N more".
/// One file, linked into Platform.Logging.Tests and Platform.Benchmarks (<c>Link="Shared/JavaHeavyLog.cs"</c>).
/// </summary>
internal static class JavaHeavyLog
{
    public static List<string> Lines(int events, int seed = 42)
    {
        var random = new Random(seed);
        var lines = new List<string>();
        var sb = new StringBuilder();
        for (var i = 0; i < events; i++)
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

        return lines;
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
