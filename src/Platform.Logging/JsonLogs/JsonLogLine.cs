using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.Logging.Decoding;
using Platform.Logging.Multiline;

namespace Platform.Logging.JsonLogs;

/// <summary>The structured-logging layout a JSON log line was written with.</summary>
public enum JsonLogFormat
{
    /// <summary>A JSON object with none of the known layouts' marker keys; well-known keys are still mapped.</summary>
    Unknown,

    /// <summary>Elastic Common Schema (<c>@timestamp</c>, <c>log.level</c>, <c>message</c>, <c>error.stack_trace</c>), also log4j2 JsonTemplateLayout's default EcsLayout.</summary>
    Ecs,

    /// <summary>logstash-logback-encoder (<c>@timestamp</c>, <c>@version</c>, <c>logger_name</c>, <c>stack_trace</c>).</summary>
    LogstashLogback,

    /// <summary>log4j2 JsonLayout (<c>instant</c> or <c>timeMillis</c>, <c>loggerName</c>, <c>thrown</c>).</summary>
    Log4j2JsonLayout,

    /// <summary>Serilog compact JSON (<c>@t</c>, <c>@m</c>/<c>@mt</c>, <c>@l</c>, <c>@x</c>).</summary>
    SerilogCompact,

    /// <summary>Uber zap (<c>ts</c>, <c>level</c>, <c>msg</c>, <c>logger</c>, <c>stacktrace</c>).</summary>
    Zap,

    /// <summary>logrus JSONFormatter (<c>time</c>, <c>level</c>, <c>msg</c>).</summary>
    Logrus,
}

/// <summary>Recognises and parses one JSON log line into a <see cref="LogRecord"/>.</summary>
/// <remarks>
/// A JSON line is always one record by itself: a stack trace inside one of its fields stays in that record and the
/// line is never joined to a neighbouring trace. Mapped: message (<c>message</c>, <c>msg</c>, <c>@m</c>, else the
/// rendered <c>@mt</c> template), level (normalised to ERROR/WARN/INFO/DEBUG/TRACE/FATAL, numeric pino/bunyan levels
/// included; Serilog's absent <c>@l</c> means INFO), logger, exception (ECS <c>error.stack_trace</c>, <c>stack_trace</c>,
/// <c>@x</c>, <c>stacktrace</c>, <c>exception</c>, log4j2 <c>thrown</c>) and time. <see cref="LogRecord.Fields"/> holds the
/// whole object. A line without a message key keeps the raw line as its message. A line that is not strict JSON (broken,
/// deeper than <see cref="MaxDepth"/>, or with a duplicate key at any level) is not parsed and stays a plain-text line.
/// Stateless and thread-safe.
/// </remarks>
public static class JsonLogLine
{
    /// <summary>The deepest nesting accepted in a JSON line.</summary>
    public const int MaxDepth = 64;

    // Duplicate keys are refused at parse time: System.Text.Json would otherwise fail later, on first access to the object.
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = MaxDepth, AllowDuplicateProperties = false };

    /// <summary>Parses <paramref name="line"/> when it is a JSON object.</summary>
    /// <param name="line">One physical line.</param>
    /// <param name="record">The parsed record, or <see langword="null"/> when the line is not a JSON object.</param>
    /// <returns>Whether the line was a JSON object.</returns>
    public static bool TryParse(string line, out LogRecord? record)
    {
        ArgumentNullException.ThrowIfNull(line);
        record = null;
        if (!LooksLikeJson(line) || !TryParse(line, null, DecodedLine.NoNanosecond, LogStream.Unknown, LogRecordFlags.None, out var parsed))
        {
            return false;
        }

        record = parsed;
        return true;
    }

    /// <summary>Says which known layout wrote <paramref name="fields"/>, by its marker keys.</summary>
    /// <param name="fields">A parsed JSON log line.</param>
    /// <returns>The layout, or <see cref="JsonLogFormat.Unknown"/>.</returns>
    public static JsonLogFormat DetectFormat(JsonObject fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        if (fields.ContainsKey("@t") && (fields.ContainsKey("@m") || fields.ContainsKey("@mt")))
        {
            return JsonLogFormat.SerilogCompact;
        }

        if (fields.ContainsKey("@timestamp"))
        {
            if (fields.ContainsKey("@version") || fields.ContainsKey("logger_name"))
            {
                return JsonLogFormat.LogstashLogback;
            }

            if (Find(fields, "log.level") is not null || Find(fields, "ecs.version") is not null)
            {
                return JsonLogFormat.Ecs;
            }
        }

        if ((fields.ContainsKey("instant") || fields.ContainsKey("timeMillis")) && (fields.ContainsKey("loggerName") || fields.ContainsKey("endOfBatch")))
        {
            return JsonLogFormat.Log4j2JsonLayout;
        }

        if (fields.ContainsKey("msg") && fields.ContainsKey("level"))
        {
            if (fields.ContainsKey("ts"))
            {
                return JsonLogFormat.Zap;
            }

            if (fields.ContainsKey("time"))
            {
                return JsonLogFormat.Logrus;
            }
        }

        return JsonLogFormat.Unknown;
    }

    /// <summary>Returns whether the line is worth a JSON parse: <c>{</c> … <c>}</c> around optional blanks.</summary>
    internal static bool LooksLikeJson(ReadOnlySpan<char> line)
    {
        var trimmed = line.Trim(" \t\r");
        return trimmed.Length >= 2 && trimmed[0] == '{' && trimmed[^1] == '}';
    }

    internal static bool TryParse(ReadOnlySpan<char> line, DateTimeOffset? time, int nanos, LogStream stream, LogRecordFlags flags, out LogRecord record)
    {
        record = null!;
        JsonObject? fields;
        var text = line.ToString();
        try
        {
            fields = JsonNode.Parse(text, documentOptions: DocumentOptions) as JsonObject;
        }
        catch (JsonException)
        {
            return false;
        }

        if (fields is null)
        {
            return false;
        }

        var format = DetectFormat(fields);
        record = new LogRecord
        {
            Time = time ?? ReadTimeOrNull(fields),
            TimeNanosecond = RecordBuffer.Exact(time, nanos),
            Stream = stream,
            Message = ReadMessage(fields) ?? text,
            Lines = 1,
            Level = ReadLevel(fields, format),
            Logger = ReadString(fields, "logger", "logger_name", "loggerName", "log.logger", "SourceContext"),
            Exception = ReadException(fields),
            Fields = fields,
            Flags = flags,
        };
        return true;
    }

    private static string? ReadMessage(JsonObject fields)
    {
        var message = ReadString(fields, "message", "msg", "@m");
        if (message is not null)
        {
            return message;
        }

        return Find(fields, "@mt") is JsonValue template && template.TryGetValue<string>(out var mt) ? RenderTemplate(mt, fields) : null;
    }

    private static string? ReadLevel(JsonObject fields, JsonLogFormat format)
    {
        foreach (var key in (ReadOnlySpan<string>)["level", "log.level", "@l", "severity", "levelname"])
        {
            if (Find(fields, key) is not JsonValue value)
            {
                continue;
            }

            if (value.TryGetValue<string>(out var s))
            {
                return LevelDetector.Normalize(s.AsSpan().Trim());
            }

            if (value.TryGetValue<int>(out var n))
            {
                // pino / bunyan numeric levels
                return n switch
                {
                    >= 60 => LevelDetector.Fatal,
                    >= 50 => LevelDetector.Error,
                    >= 40 => LevelDetector.Warn,
                    >= 30 => LevelDetector.Info,
                    >= 20 => LevelDetector.Debug,
                    _ => LevelDetector.Trace,
                };
            }
        }

        // Serilog leaves @l out for Information.
        return format == JsonLogFormat.SerilogCompact ? LevelDetector.Info : null;
    }

    private static string? ReadException(JsonObject fields)
    {
        var trace = ReadString(fields, "error.stack_trace", "stack_trace", "@x", "stacktrace", "exception", "exception.stacktrace");
        if (trace is not null)
        {
            return trace;
        }

        if (Find(fields, "thrown") is JsonObject thrown)
        {
            return RenderLog4jThrown(thrown);
        }

        return Find(fields, "exception") is JsonObject exception ? exception.ToJsonString() : null;
    }

    // A time out of DateTimeOffset's range is no time at all, not a failed line.
    private static DateTimeOffset? ReadTimeOrNull(JsonObject fields)
    {
        try
        {
            return ReadTime(fields);
        }
        catch (ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    private static DateTimeOffset? ReadTime(JsonObject fields)
    {
        foreach (var key in (ReadOnlySpan<string>)["@timestamp", "@t", "time", "timestamp", "ts"])
        {
            if (Find(fields, key) is not JsonValue value)
            {
                continue;
            }

            if (value.TryGetValue<string>(out var s)
                && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                return parsed;
            }

            if (value.TryGetValue<double>(out var seconds) && seconds is > 0 and < 1e11)
            {
                // zap's epoch seconds with a fraction
                return DateTimeOffset.UnixEpoch.AddTicks((long)(seconds * TimeSpan.TicksPerSecond));
            }
        }

        if (Find(fields, "instant") is JsonObject instant
            && instant["epochSecond"] is JsonValue epoch && epoch.TryGetValue<long>(out var epochSecond))
        {
            var nanos = instant["nanoOfSecond"] is JsonValue n && n.TryGetValue<long>(out var ns) ? ns : 0;
            return DateTimeOffset.FromUnixTimeSeconds(epochSecond).AddTicks(nanos / 100);
        }

        if (Find(fields, "timeMillis") is JsonValue millis && millis.TryGetValue<long>(out var ms))
        {
            return DateTimeOffset.FromUnixTimeMilliseconds(ms);
        }

        return null;
    }

    private static string? ReadString(JsonObject fields, params ReadOnlySpan<string> keys)
    {
        foreach (var key in keys)
        {
            if (Find(fields, key) is JsonValue value && value.TryGetValue<string>(out var s))
            {
                return s;
            }
        }

        return null;
    }

    // "log.level" is found as a flat dotted key (ECS allows both) or as nested objects.
    private static JsonNode? Find(JsonObject fields, string key)
    {
        if (fields.TryGetPropertyValue(key, out var node))
        {
            return node;
        }

        var dot = key.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && fields.TryGetPropertyValue(key[..dot], out var parent) && parent is JsonObject child
            ? Find(child, key[(dot + 1)..])
            : null;
    }

    private static string RenderLog4jThrown(JsonObject thrown)
    {
        var sb = new StringBuilder();
        sb.Append(ReadString(thrown, "name") ?? "Exception");
        if (ReadString(thrown, "message") is { } message)
        {
            sb.Append(": ").Append(message);
        }

        switch (thrown["extendedStackTrace"] ?? thrown["stackTrace"])
        {
            case JsonValue text when text.TryGetValue<string>(out var s):
                return s;
            case JsonArray frames:
                foreach (var frame in frames.OfType<JsonObject>())
                {
                    sb.Append("\n\tat ").Append(ReadString(frame, "class")).Append('.').Append(ReadString(frame, "method"))
                        .Append('(').Append(ReadString(frame, "file")).Append(':').Append(frame["line"]?.ToJsonString()).Append(')');
                }

                break;
        }

        if (thrown["cause"] is JsonObject cause)
        {
            sb.Append("\nCaused by: ").Append(RenderLog4jThrown(cause));
        }

        return sb.ToString();
    }

    // Serilog message template: {Name}, {@Name}, {$Name}, {Name:format}, {Name,align}; {{ and }} are braces.
    private static string RenderTemplate(string template, JsonObject fields)
    {
        var sb = new StringBuilder(template.Length + 32);
        for (var i = 0; i < template.Length; i++)
        {
            var c = template[i];
            if ((c == '{' || c == '}') && i + 1 < template.Length && template[i + 1] == c)
            {
                sb.Append(c);
                i++;
                continue;
            }

            var close = c == '{' ? template.IndexOf('}', i + 1) : -1;
            if (close < 0)
            {
                sb.Append(c);
                continue;
            }

            var name = template.AsSpan(i + 1, close - i - 1).TrimStart("@$");
            var cut = name.IndexOfAny(':', ',');
            if (cut >= 0)
            {
                name = name[..cut];
            }

            var property = fields[name.ToString()];
            if (property is JsonValue v && v.TryGetValue<string>(out var s))
            {
                sb.Append(s);
            }
            else if (property is not null)
            {
                sb.Append(property.ToJsonString());
            }
            else
            {
                sb.Append(template, i, close - i + 1);
            }

            i = close;
        }

        return sb.ToString();
    }
}
