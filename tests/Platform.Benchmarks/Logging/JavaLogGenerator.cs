using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Platform.Benchmarks.Logging;

/// <summary>Generates a deterministic Java-heavy container log (Spring-style lines, ~60% of lines in stack traces) as raw text, docker json-file or CRI.</summary>
internal static class JavaLogGenerator
{
    public enum Envelope
    {
        Raw,
        Docker,
        Cri,
    }

    /// <summary>Gets the size of the raw log in bytes: 200 MiB, 8 MiB in quick mode, or BENCH_LOG_MB.</summary>
    public static long TargetBytes
    {
        get
        {
            string? mb = Environment.GetEnvironmentVariable("BENCH_LOG_MB");
            if (int.TryParse(mb, out int value) && value > 0)
            {
                return value * 1024L * 1024;
            }

            return Environment.GetCommandLineArgs().Contains("--quick") ? 8L * 1024 * 1024 : 200L * 1024 * 1024;
        }
    }

    private static readonly Dictionary<Envelope, byte[]> Cache = [];

    public static byte[] Get(Envelope envelope)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(envelope, out byte[]? bytes))
            {
                bytes = Generate(envelope, TargetBytes);
                Cache[envelope] = bytes;
            }

            return bytes;
        }
    }

    public static byte[] Generate(Envelope envelope, long rawTarget)
    {
        var random = new Random(20240301);
        var output = new ArrayBufferWriter<byte>((int)Math.Min(int.MaxValue, rawTarget * (envelope == Envelope.Raw ? 1 : 2)));
        var time = new DateTime(2024, 3, 1, 12, 0, 0, DateTimeKind.Utc);
        long raw = 0;
        long nanos = 0;
        var lines = new List<string>(64);
        string[] services = ["OrderController", "PaymentService", "InventoryClient", "UserRepository", "CheckoutFlow"];
        string[] exceptions = ["java.lang.IllegalStateException: order 4711 is already closed", "java.lang.NullPointerException: Cannot invoke \"String.length()\" because \"name\" is null", "org.springframework.dao.DataIntegrityViolationException: could not execute statement; SQL [n/a]; constraint [orders_pkey]"];
        while (raw < rawTarget)
        {
            lines.Clear();
            time = time.AddMilliseconds(random.Next(1, 50));
            string stamp = time.ToString("yyyy-MM-dd HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture);
            string service = services[random.Next(services.Length)];
            bool trace = random.Next(100) < 12;
            if (!trace)
            {
                lines.Add($"{stamp}  INFO 1 --- [nio-8080-exec-{random.Next(1, 20)}] c.e.shop.web.{service,-16} : Request {random.Next(100000)} handled in {random.Next(1, 900)} ms (user={random.Next(10000)}, items={random.Next(1, 9)})");
            }
            else
            {
                lines.Add($"{stamp} ERROR 1 --- [nio-8080-exec-{random.Next(1, 20)}] c.e.shop.web.{service,-16} : Request {random.Next(100000)} failed");
                lines.Add(exceptions[random.Next(exceptions.Length)]);
                int frames = random.Next(10, 40);
                for (int f = 0; f < frames; f++)
                {
                    lines.Add($"\tat com.example.shop.{service.ToLowerInvariant()}.Layer{f % 7}.method{f}(Layer{f % 7}.java:{random.Next(20, 400)})");
                }

                if (random.Next(2) == 0)
                {
                    lines.Add("Caused by: java.sql.SQLException: Connection is not available, request timed out after 30000ms.");
                    for (int f = 0; f < 6; f++)
                    {
                        lines.Add($"\tat com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:{180 + f})");
                    }

                    lines.Add($"\t... {random.Next(5, 30)} more");
                }
            }

            foreach (string line in lines)
            {
                raw += Encoding.UTF8.GetByteCount(line) + 1;
                nanos += random.Next(1000, 9_000_000);
                string ts = time.ToString("yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) + "." + (nanos % 1_000_000_000).ToString("D9", System.Globalization.CultureInfo.InvariantCulture) + "Z";
                string stream = trace ? "stderr" : "stdout";
                string text = envelope switch
                {
                    Envelope.Docker => "{\"log\":" + JsonSerializer.Serialize(line + "\n") + ",\"stream\":\"" + stream + "\",\"time\":\"" + ts + "\"}\n",
                    Envelope.Cri => ts + " " + stream + " F " + line + "\n",
                    _ => line + "\n",
                };
                Encoding.UTF8.GetBytes(text, output);
            }
        }

        return output.WrittenSpan.ToArray();
    }
}
