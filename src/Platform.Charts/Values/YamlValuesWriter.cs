using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Platform.Charts.Values;

/// <summary>Block-style YAML emitter for values trees; output reads back to the same tree under Helm's rules.</summary>
internal static class YamlValuesWriter
{
    private const int IndentStep = 2;

    public static void Write(TextWriter w, JsonNode? node)
    {
        switch (node)
        {
            case JsonObject { Count: > 0 } obj:
                WriteObject(w, obj, 0);
                break;
            case JsonArray { Count: > 0 } arr:
                WriteArray(w, arr, 0);
                break;
            default:
                w.Write(Inline(node, 0));
                w.Write('\n');
                break;
        }
    }

    private static void WriteObject(TextWriter w, JsonObject obj, int indent)
    {
        bool first = true;
        foreach (var (key, value) in obj)
        {
            if (!first)
            {
                w.Write(new string(' ', indent));
            }

            first = false;
            w.Write(Scalar(key));
            w.Write(':');
            WriteValueAfterKey(w, value, indent);
        }
    }

    private static void WriteValueAfterKey(TextWriter w, JsonNode? value, int indent)
    {
        switch (value)
        {
            case JsonObject { Count: > 0 } child:
                w.Write('\n');
                w.Write(new string(' ', indent + IndentStep));
                WriteObject(w, child, indent + IndentStep);
                break;
            case JsonArray { Count: > 0 } list:
                // Lists under a key are indented like Helm's output (go-yaml v2 does not indent them; we do, for readability).
                w.Write('\n');
                w.Write(new string(' ', indent + IndentStep));
                WriteArray(w, list, indent + IndentStep);
                break;
            default:
                w.Write(' ');
                w.Write(Inline(value, indent + IndentStep));
                w.Write('\n');
                break;
        }
    }

    private static void WriteArray(TextWriter w, JsonArray arr, int indent)
    {
        bool first = true;
        foreach (JsonNode? item in arr)
        {
            if (!first)
            {
                w.Write(new string(' ', indent));
            }

            first = false;
            w.Write("- ");
            switch (item)
            {
                case JsonObject { Count: > 0 } child:
                    WriteObject(w, child, indent + IndentStep);
                    break;
                case JsonArray { Count: > 0 } list:
                    WriteArray(w, list, indent + IndentStep);
                    break;
                default:
                    w.Write(Inline(item, indent + IndentStep));
                    w.Write('\n');
                    break;
            }
        }
    }

    private static string Inline(JsonNode? node, int indent)
    {
        switch (node)
        {
            case null:
                return "null";
            case JsonObject:
                return "{}";
            case JsonArray:
                return "[]";
            case JsonValue value:
                switch (value.GetValueKind())
                {
                    case JsonValueKind.String:
                        return StringValue(value.GetValue<string>(), indent);
                    case JsonValueKind.True:
                        return "true";
                    case JsonValueKind.False:
                        return "false";
                    case JsonValueKind.Null:
                        return "null";
                    case JsonValueKind.Number:
                        return Number(value);
                    default:
                        return value.ToJsonString();
                }

            default:
                return node.ToJsonString();
        }
    }

    private static string Number(JsonValue value)
    {
        if (value.TryGetValue(out double d) && !double.IsFinite(d))
        {
            return double.IsNaN(d) ? ".nan" : d > 0 ? ".inf" : "-.inf";
        }

        return value.ToJsonString();
    }

    private static string StringValue(string s, int indent)
    {
        if (s.Contains('\n', StringComparison.Ordinal) && CanBeLiteralBlock(s))
        {
            return LiteralBlock(s, indent);
        }

        return Scalar(s);
    }

    /// <summary>Writes a key or single-line string: plain when that reads back as the same string, else double-quoted.</summary>
    internal static string Scalar(string s) => IsPlainSafe(s) ? s : DoubleQuoted(s);

    internal static bool IsPlainSafe(string s)
    {
        if (s.Length == 0 || char.IsWhiteSpace(s[0]) || char.IsWhiteSpace(s[^1]))
        {
            return false;
        }

        if ("-?:,[]{}#&*!|>'\"%@`=".Contains(s[0], StringComparison.Ordinal) || s == "<<")
        {
            // "<<" would read back as a merge key.
            return false;
        }

        foreach (char c in s)
        {
            if (char.IsControl(c) || c == '\uFEFF' || char.IsSurrogate(c) || c == '\u2028' || c == '\u2029' || c == '\u0085')
            {
                return false;
            }
        }

        if (s.Contains(": ", StringComparison.Ordinal) || s.Contains(" #", StringComparison.Ordinal) || s[^1] == ':')
        {
            return false;
        }

        // Anything the YAML 1.1 resolver (or a timestamp-aware reader) would not read as this very string.
        if (YamlScalarResolver.Classify(s) != YamlScalarResolver.Kind.String || YamlScalarResolver.LooksLikeTimestamp(s))
        {
            return false;
        }

        // YAML 1.2 readers (other tools reading our output) see these as non-strings too.
        return !LooksNumericToAnyReader(s);
    }

    private static bool LooksNumericToAnyReader(string s) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out _) || s.Contains(':', StringComparison.Ordinal) && s.All(c => char.IsAsciiDigit(c) || c is ':' or '.' or '-' or '+' or '_');

    internal static string DoubleQuoted(string s)
    {
        var sb = new System.Text.StringBuilder(s.Length + 2);
        sb.Append('"');
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\0': sb.Append("\\0"); break;
                case '\u0085': sb.Append("\\N"); break;
                case '\u2028': sb.Append("\\L"); break;
                case '\u2029': sb.Append("\\P"); break;
                default:
                    bool pairedHigh = char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]);
                    if (pairedHigh)
                    {
                        sb.Append(c).Append(s[i + 1]);
                        i++;
                    }
                    else if (char.IsControl(c) || char.IsSurrogate(c) || c == '\uFEFF')
                    {
                        // A lone surrogate cannot be written as UTF-8; it is escaped so the text round-trips.
                        sb.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        sb.Append('"');
        return sb.ToString();
    }

    private static bool CanBeLiteralBlock(string s)
    {
        if (s[0] == ' ' || s[0] == '\n' || s[0] == '\t')
        {
            return false;
        }

        foreach (string line in s.Split('\n'))
        {
            if (line.Length > 0 && string.IsNullOrWhiteSpace(line))
            {
                return false;
            }

            if (line.EndsWith(' ') || line.EndsWith('\t'))
            {
                return false;
            }

            foreach (char c in line)
            {
                if ((char.IsControl(c) && c != '\t') || c == '\uFEFF' || char.IsSurrogate(c) || c is '\u0085' or '\u2028' or '\u2029')
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static string LiteralBlock(string s, int indent)
    {
        string chomp;
        string body = s;
        if (!s.EndsWith('\n'))
        {
            chomp = "-";
        }
        else if (s.EndsWith("\n\n", StringComparison.Ordinal))
        {
            chomp = "+";
            body = s[..^1];
        }
        else
        {
            chomp = string.Empty;
            body = s[..^1];
        }

        string pad = new(' ', Math.Max(indent, IndentStep));
        var sb = new System.Text.StringBuilder();
        sb.Append('|').Append(chomp);
        foreach (string line in body.Split('\n'))
        {
            sb.Append('\n');
            if (line.Length > 0)
            {
                sb.Append(pad).Append(line);
            }
        }

        return sb.ToString();
    }
}
