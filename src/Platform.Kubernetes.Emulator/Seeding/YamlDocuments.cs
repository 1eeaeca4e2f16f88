using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Platform.Kubernetes.Emulator.Seeding;

/// <summary>
/// Reads YAML (or JSON, a YAML subset) documents into JSON trees with the scalar rules of <c>sigs.k8s.io/yaml</c>
/// (YAML 1.1 plain scalars: <c>true</c>/<c>yes</c>/<c>on</c>, integers, floats, <c>null</c>/<c>~</c>; quoted is text).
/// </summary>
internal static class YamlDocuments
{
    /// <summary>Limits nesting so a hostile document cannot exhaust the stack.</summary>
    public const int MaxDepth = 128;

    /// <summary>Parses every non-empty document; throws <see cref="FormatException"/> naming the source and line on bad input.</summary>
    public static List<(JsonNode? Node, int Line)> Parse(string text, string source)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            throw new FormatException($"{source}:{ex.Start.Line}:{ex.Start.Column}: invalid YAML: {ex.Message}", ex);
        }

        var documents = new List<(JsonNode?, int)>();
        foreach (YamlDocument document in stream.Documents)
        {
            if (document.RootNode is YamlScalarNode { Tag.IsEmpty: true, Style: ScalarStyle.Plain } s && string.IsNullOrEmpty(s.Value))
            {
                continue;
            }

            documents.Add((Convert(document.RootNode, source, 0), (int)document.RootNode.Start.Line));
        }

        return documents;
    }

    private static JsonNode? Convert(YamlNode node, string source, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new FormatException($"{source}:{node.Start.Line}:{node.Start.Column}: nesting deeper than {MaxDepth} levels");
        }

        switch (node)
        {
            case YamlMappingNode mapping:
                var obj = new JsonObject();
                foreach (var (key, value) in mapping.Children)
                {
                    string name = key is YamlScalarNode k ? k.Value ?? "" : throw new FormatException($"{source}:{key.Start.Line}:{key.Start.Column}: a mapping key must be a scalar");
                    if (name == "<<" && value is YamlMappingNode merge)
                    {
                        foreach (var (mk, mv) in (JsonObject)Convert(merge, source, depth + 1)!)
                        {
                            if (!obj.ContainsKey(mk))
                            {
                                obj[mk] = mv?.DeepClone();
                            }
                        }

                        continue;
                    }

                    obj[name] = Convert(value, source, depth + 1);
                }

                return obj;
            case YamlSequenceNode sequence:
                var array = new JsonArray();
                foreach (YamlNode child in sequence.Children)
                {
                    array.Add(Convert(child, source, depth + 1));
                }

                return array;
            case YamlScalarNode scalar:
                return Scalar(scalar);
            default:
                throw new FormatException($"{source}:{node.Start.Line}:{node.Start.Column}: unsupported YAML node");
        }
    }

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        string value = scalar.Value ?? "";
        string tag = scalar.Tag.IsEmpty ? "" : scalar.Tag.Value;
        if (tag is "tag:yaml.org,2002:str" or "!!str" || (scalar.Style != ScalarStyle.Plain && tag.Length == 0))
        {
            return JsonValue.Create(value);
        }

        switch (value)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE" or "yes" or "Yes" or "YES" or "on" or "On" or "ON" or "y" or "Y":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE" or "no" or "No" or "NO" or "off" or "Off" or "OFF" or "n" or "N":
                return JsonValue.Create(false);
            case ".inf" or ".Inf" or ".INF" or "+.inf" or "-.inf" or ".nan" or ".NaN" or ".NAN":
                // JSON has no infinities; sigs.k8s.io/yaml fails on them too when converting to JSON.
                return JsonValue.Create(value);
        }

        string digits = value.Replace("_", "", StringComparison.Ordinal);
        if (long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long integer))
        {
            return JsonValue.Create(integer);
        }

        if ((digits.StartsWith("0x", StringComparison.Ordinal) || digits.StartsWith("0X", StringComparison.Ordinal))
            && long.TryParse(digits[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out long hex))
        {
            return JsonValue.Create(hex);
        }

        if (decimal.TryParse(digits, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out decimal number)
            && (char.IsAsciiDigit(digits[^1]) || digits[^1] == '.') && digits.Any(char.IsAsciiDigit))
        {
            return JsonValue.Create(number);
        }

        return JsonValue.Create(value);
    }
}
