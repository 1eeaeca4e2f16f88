using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Platform.Charts.Forms.Internal;

/// <summary>Small helpers over values: node to element, humanised labels, secret-like names.</summary>
internal static class FormValues
{
    private static readonly string[] SecretSuffixes =
        ["password", "passwd", "token", "apikey", "secretkey", "privatekey", "clientsecret", "cookiesecret", "secretaccesskey"];

    private static readonly string[] MapNames =
        ["annotations", "labels", "nodeselector", "selector", "matchlabels", "env", "extraenv", "data", "stringdata", "podannotations", "podlabels", "commonlabels", "commonannotations"];

    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static JsonElement ToElement(JsonNode? node)
    {
        using var doc = JsonDocument.Parse(node is null ? "null" : node.ToJsonString(Relaxed));
        return doc.RootElement.Clone();
    }

    public static JsonNode? ToNode(JsonElement element) => element.ValueKind == JsonValueKind.Null ? null : JsonNode.Parse(element.GetRawText());

    public static bool LooksSecret(string key)
    {
        string k = key.ToLowerInvariant().Replace("_", string.Empty, StringComparison.Ordinal).Replace("-", string.Empty, StringComparison.Ordinal);
        if (k.StartsWith("existing", StringComparison.Ordinal) || k.EndsWith("name", StringComparison.Ordinal) || k.EndsWith("file", StringComparison.Ordinal))
        {
            return false;
        }

        return SecretSuffixes.Any(s => k.EndsWith(s, StringComparison.Ordinal));
    }

    public static bool LooksLikeMap(string key)
    {
        string k = key.ToLowerInvariant();
        return MapNames.Contains(k) || k.EndsWith("annotations", StringComparison.Ordinal) || k.EndsWith("labels", StringComparison.Ordinal) || k.EndsWith("nodeselector", StringComparison.Ordinal);
    }

    /// <summary>Turns <c>wordpressUsername</c> into <c>Wordpress username</c>, <c>apiURL</c> into <c>Api URL</c>, <c>tls_secret</c> into <c>Tls secret</c>.</summary>
    public static string Humanize(string key)
    {
        if (key.Length == 0)
        {
            return "Item";
        }

        var words = new List<string>();
        var sb = new StringBuilder();
        for (int i = 0; i < key.Length; i++)
        {
            char c = key[i];
            if (c is '_' or '-' or '.' or ' ' or '/')
            {
                Flush();
                continue;
            }

            bool boundary = sb.Length > 0 && (
                (char.IsUpper(c) && char.IsLower(sb[^1])) ||
                (char.IsUpper(c) && i + 1 < key.Length && char.IsLower(key[i + 1]) && char.IsUpper(sb[^1])) ||
                (char.IsDigit(c) != char.IsDigit(sb[^1]) && char.IsLetter(sb[^1]) && !char.IsUpper(sb[^1])));
            if (boundary)
            {
                Flush();
            }

            sb.Append(c);
        }

        Flush();
        if (words.Count == 0)
        {
            return key;
        }

        for (int i = 0; i < words.Count; i++)
        {
            string w = words[i];
            bool acronym = w.Length > 1 && w.All(ch => char.IsUpper(ch) || char.IsDigit(ch));
            if (!acronym)
            {
                w = w.ToLowerInvariant();
            }

            if (i == 0 && !acronym)
            {
                w = char.ToUpper(w[0], CultureInfo.InvariantCulture) + w[1..];
            }

            words[i] = w;
        }

        return string.Join(' ', words);

        void Flush()
        {
            if (sb.Length > 0)
            {
                words.Add(sb.ToString());
                sb.Clear();
            }
        }
    }

    public static string KindOf(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "object",
        JsonArray => "array",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.True or JsonValueKind.False => "boolean",
            JsonValueKind.String => "string",
            JsonValueKind.Number => IsInteger(v) ? "integer" : "number",
            _ => "null",
        },
        _ => "null",
    };

    public static string KindOf(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.String => "string",
        JsonValueKind.Number => e.TryGetInt64(out _) || (e.TryGetDecimal(out var d) && d == decimal.Truncate(d)) ? "integer" : "number",
        _ => "null",
    };

    private static bool IsInteger(JsonValue v)
    {
        string text = v.ToJsonString();
        return !text.Contains('.', StringComparison.Ordinal) && !text.Contains('e', StringComparison.OrdinalIgnoreCase);
    }
}
