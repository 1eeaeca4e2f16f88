using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Platform.Kubernetes.Client;
using Platform.Kubernetes.Config;
using Platform.Kubernetes.Logs;
using Platform.Logging;
using Platform.Logging.Multiline;
using Platform.Logging.Sources;

namespace PlatformCtl;

/// <summary><c>platformctl logs …</c>: container log decoding and multiline joining.</summary>
internal static class LogsCommands
{
    private static readonly string[] Formats = ["auto", "docker", "cri", "raw"];
    private static readonly string[] Profiles = ["auto", "none", "java", "python", "go", "ruby", "php", "node", "dotnet", "dart"];

    public static Command Create()
    {
        var logs = new Command("logs", "Decode container logs (docker json-file, CRI, plain) into complete records.");
        logs.Subcommands.Add(CreateParse());
        return logs;
    }

    private static Command CreateParse()
    {
        var file = new Argument<string?>("FILE")
        {
            Description = "The log file; '-' or nothing reads standard input; pod:NAMESPACE/POD[/CONTAINER][?previous] reads a pod's log through the API server.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        file.Validators.Add(r =>
        {
            string? value = r.Tokens.Count > 0 ? r.Tokens[0].Value : null;
            if (value is not null && value.StartsWith('-') && value != "-")
            {
                r.AddError($"Unrecognized command or argument '{value}'.");
            }
        });
        var format = new Option<string>("--format") { Description = "The envelope of each line.", DefaultValueFactory = _ => "auto" };
        format.AcceptOnlyFromAmong(Formats);
        var multiline = new Option<string>("--multiline") { Description = "The multiline profile that joins stack traces.", DefaultValueFactory = _ => "auto" };
        multiline.AcceptOnlyFromAmong(Profiles);
        var pattern = new Option<string?>("--pattern") { Description = "A Filebeat multiline pattern (regular expression); replaces the profile." };
        var negate = new Option<bool>("--negate") { Description = "Invert the pattern (Filebeat multiline.negate); needs --pattern." };
        var match = new Option<string?>("--match") { Description = "Where matching lines go (Filebeat multiline.match): after or before; needs --pattern." };
        match.AcceptOnlyFromAmong("after", "before");
        var output = new Option<string>("--output", "-o") { Description = "Output: text, or json (one object per record per line).", DefaultValueFactory = _ => "text" };
        output.AcceptOnlyFromAmong("text", "json");
        var stats = new Option<bool>("--stats") { Description = "Print one JSON object {records, lines, bytes, seconds} instead of the records." };
        var kubeconfig = new Option<string?>("--kubeconfig") { Description = "The kubeconfig for a pod: log (default: KUBECONFIG, ~/.kube/config, or in-cluster)." };

        var parse = new Command("parse", "Print the records of a log: decoded, partial lines reassembled, multiline traces joined.")
        {
            file, format, multiline, pattern, negate, match, output, stats, kubeconfig,
        };

        parse.SetAction(async (result, cancellationToken) =>
        {
            string? patternText = result.GetValue(pattern);
            if (patternText is null && (result.GetValue(negate) || result.GetValue(match) is not null))
            {
                throw new UsageException("--negate and --match need --pattern.");
            }

            if (patternText is not null)
            {
                try
                {
                    _ = new Regex(patternText, RegexOptions.None, TimeSpan.FromSeconds(1));
                }
                catch (ArgumentException ex)
                {
                    throw new UsageException($"--pattern '{patternText}' is not a valid regular expression: {ex.Message}");
                }
            }

            var options = new LogReaderOptions
            {
                Format = Enum.Parse<LogFormat>(result.GetValue(format) ?? "auto", ignoreCase: true),
                Multiline = new MultilineOptions
                {
                    Profile = Enum.Parse<MultilineProfile>(result.GetValue(multiline) ?? "auto", ignoreCase: true),
                    Rule = patternText is null ? null : new MultilineRule
                    {
                        Pattern = patternText,
                        Negate = result.GetValue(negate),
                        Match = result.GetValue(match) == "before" ? MultilineMatch.Before : MultilineMatch.After,
                    },
                },
            };

            string? path = result.GetValue(file);
            string? kubeconfigPath = result.GetValue(kubeconfig);
            bool pod = path is not null && path.StartsWith(PodPrefix, StringComparison.Ordinal);
            if (kubeconfigPath is not null && !pod)
            {
                throw new UsageException($"--kubeconfig needs a {PodPrefix}NAMESPACE/POD[/CONTAINER] log.");
            }

            // The name is checked before the kubeconfig is loaded: a typo is a usage error whatever the cluster setup.
            string? podName = pod ? CheckPodName(path![PodPrefix.Length..]) : null;
            using KubernetesClient? client = pod ? CreateClient(kubeconfigPath) : null;
            OpenedLog? opened = client is null ? null : await new PodLogSource(client).OpenAsync(podName!, LogQuery.All, cancellationToken).ConfigureAwait(false);
            if (opened is not null && options.Format == LogFormat.Auto)
            {
                options = options with { Format = opened.Format };
            }

            await using Stream input = opened?.Stream ?? (path is null or "-" ? Console.OpenStandardInput() : OpenFile(path));
            var counting = new CountingStream(input);
            await using Stream stdout = Console.OpenStandardOutput();
            await using var buffered = new BufferedStream(stdout, 64 * 1024);
            bool json = result.GetValue(output) == "json";
            bool statsOnly = result.GetValue(stats);

            var clock = Stopwatch.StartNew();
            long records = 0;
            long lines = 0;
            await using (var writer = new Utf8JsonWriter(buffered, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                await foreach (LogRecord record in LogReader.ReadAsync(counting, options, cancellationToken: cancellationToken).ConfigureAwait(false))
                {
                    records++;
                    lines += record.Lines;
                    if (statsOnly)
                    {
                        continue;
                    }

                    if (json)
                    {
                        WriteJson(writer, record);
                        writer.Flush();
                        writer.Reset();
                        buffered.WriteByte((byte)'\n');
                    }
                    else
                    {
                        WriteText(buffered, record);
                    }
                }

                if (statsOnly)
                {
                    writer.WriteStartObject();
                    writer.WriteNumber("records", records);
                    writer.WriteNumber("lines", lines);
                    writer.WriteNumber("bytes", counting.Count);
                    writer.WriteNumber("seconds", Math.Round(clock.Elapsed.TotalSeconds, 6));
                    writer.WriteEndObject();
                    writer.Flush();
                    buffered.WriteByte((byte)'\n');
                }
            }

            await buffered.FlushAsync(cancellationToken).ConfigureAwait(false);
            return Cli.Success;
        });
        return parse;
    }

    private const string PodPrefix = "pod:";

    private static KubernetesClient CreateClient(string? kubeconfigPath)
    {
        // Loaded as kubectl does: --kubeconfig, else KUBECONFIG, ~/.kube/config, or the pod's service account.
        var options = new KubernetesOptions { KubeconfigPath = kubeconfigPath, Environment = KubernetesEnvironment.FromProcess() };
        return new KubernetesClient(KubernetesClientConfiguration.Load(options), options);
    }

    private static string CheckPodName(string name) =>
        PodLogName.TryParse(name, out _, out string? error) ? name : throw new UsageException($"{PodPrefix}{name}: {error}");

    private static FileStream OpenFile(string path)
    {
        if (Directory.Exists(path))
        {
            throw new IOException($"{path} is a directory; expected a log file.");
        }

        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
    }

    private static void WriteJson(Utf8JsonWriter writer, LogRecord record)
    {
        writer.WriteStartObject();
        if (record.Time is { } time)
        {
            Span<char> exact = stackalloc char[ExactTimeLength];
            if (TryFormatExact(record, exact))
            {
                writer.WriteString("time", exact);
            }
            else
            {
                writer.WriteString("time", time.ToString("O", CultureInfo.InvariantCulture));
            }
        }
        else
        {
            writer.WriteNull("time");
        }

        writer.WriteString("stream", StreamName(record.Stream));
        writer.WriteString("level", record.Level);
        writer.WriteString("message", record.Message);
        writer.WriteNumber("lines", record.Lines);
        if (record.Logger is not null)
        {
            writer.WriteString("logger", record.Logger);
        }

        if (record.Exception is not null)
        {
            writer.WriteString("exception", record.Exception);
        }

        if (record.Flags != LogRecordFlags.None)
        {
            writer.WriteStartArray("flags");
            foreach (LogRecordFlags flag in Enum.GetValues<LogRecordFlags>())
            {
                if (flag != LogRecordFlags.None && record.Flags.HasFlag(flag))
                {
                    writer.WriteStringValue(JsonNamingPolicy.CamelCase.ConvertName(flag.ToString()));
                }
            }

            writer.WriteEndArray();
        }

        if (record.Fields is not null)
        {
            writer.WritePropertyName("fields");
            record.Fields.WriteTo(writer);
        }

        writer.WriteEndObject();
    }

    private static void WriteText(Stream output, LogRecord record)
    {
        var line = new StringBuilder();
        if (record.Time is { } time)
        {
            Span<char> exact = stackalloc char[ExactTimeLength];
            if (TryFormatExact(record, exact))
            {
                line.Append(exact).Append(' ');
            }
            else
            {
                line.Append(time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture)).Append(' ');
            }
        }

        if (record.Stream != LogStream.Unknown)
        {
            line.Append(StreamName(record.Stream)).Append(' ');
        }

        if (record.Level is not null)
        {
            line.Append('[').Append(record.Level).Append("] ");
        }

        if ((record.Flags & (LogRecordFlags.MalformedEnvelope | LogRecordFlags.IncompletePartial | LogRecordFlags.InvalidUtf8)) != 0)
        {
            line.Append('(').Append(record.Flags.ToString()).Append(") ");
        }

        line.Append(record.Message).Append('\n');
        output.Write(Encoding.UTF8.GetBytes(line.ToString()));
    }

    // "yyyy-MM-ddTHH:mm:ss.fffffffffZ": the runtime's exact time, in UTC, with all nine fractional digits.
    private const int ExactTimeLength = 30;

    /// <summary>Formats the record's time in UTC with nine fractional digits when the runtime's exact nanoseconds are known.</summary>
    private static bool TryFormatExact(LogRecord record, Span<char> destination)
    {
        // An offset is whole minutes, so the UTC time has the same nanoseconds within its second.
        if (record.Time is not { } time || record.TimeNanosecond is not { } nanos
            || !time.UtcDateTime.TryFormat(destination, out int written, "yyyy-MM-dd'T'HH:mm:ss'.'", CultureInfo.InvariantCulture)
            || !nanos.TryFormat(destination[written..], out int digits, "D9", CultureInfo.InvariantCulture)
            || digits != 9 || written + digits != ExactTimeLength - 1)
        {
            return false;
        }

        destination[^1] = 'Z';
        return true;
    }

    private static string StreamName(LogStream stream) => stream switch
    {
        LogStream.Stdout => "stdout",
        LogStream.Stderr => "stderr",
        _ => "unknown",
    };

    /// <summary>Counts the bytes read, for <c>--stats</c>.</summary>
    private sealed class CountingStream(Stream inner) : Stream
    {
        public long Count { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => Count; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = inner.Read(buffer, offset, count);
            Count += n;
            return n;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            int n = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            Count += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
