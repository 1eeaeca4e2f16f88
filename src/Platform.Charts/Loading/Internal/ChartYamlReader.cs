using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using YamlDotNet.Core;

namespace Platform.Charts.Loading.Internal;

/// <summary>Thrown by <see cref="ChartYamlReader"/> for content that does not fit the expected shape.</summary>
internal sealed class ChartYamlShapeException : Exception
{
    public ChartYamlShapeException(string message, Mark? at = null, Exception? inner = null)
        : base(at is { } m ? $"line {m.Line}, column {m.Column}: {message}" : message, inner)
    {
    }
}

/// <summary>Mutable field bag for <c>Chart.yaml</c> before validation.</summary>
internal sealed class MetadataFields
{
    public string? ApiVersion;
    public string? Name;
    public string? Version;
    public string? AppVersion;
    public string? Description;
    public string? Type;
    public string? KubeVersion;
    public List<string> Keywords = [];
    public string? Home;
    public List<string> Sources = [];
    public List<ChartMaintainer?> Maintainers = [];
    public string? Icon;
    public bool Deprecated;
    public List<KeyValuePair<string, string>> Annotations = [];
    public string? Condition;
    public string? Tags;
    public List<ChartDependency?> Dependencies = [];
}

/// <summary>
/// Reads <c>Chart.yaml</c>, <c>requirements.yaml</c> and lock files the way Helm does through YAML → JSON → Go
/// structs: keys match case-insensitively, unknown keys are ignored, a later duplicate key wins, null leaves the
/// zero value, and scalars given for text fields keep their text.
/// </summary>
internal static class ChartYamlReader
{
    /// <summary>Most YAML nodes converted for <c>import-values</c> (alias expansion is counted too).</summary>
    private const int MaxConvertedNodes = 100_000;

    public static YMapping? ReadRoot(string text, string what)
    {
        YNode? root;
        try
        {
            root = YamlTreeReader.Read(text);
        }
        catch (YamlException ex)
        {
            throw new ChartYamlShapeException($"{what} is not valid YAML: {ex.Message}", ex.Start, ex);
        }

        return root switch
        {
            null => null,
            YScalar s when s.IsNull => null,
            YMapping m => m,
            _ => throw new ChartYamlShapeException($"{what} must be a YAML mapping (key: value), but the document is a {Describe(root)}.", root.Start),
        };
    }

    public static void ApplyChartYaml(YMapping? root, MetadataFields md)
    {
        if (root is null)
        {
            return;
        }

        foreach (var (keyNode, value) in root.Entries)
        {
            switch (KeyOf(keyNode).ToLowerInvariant())
            {
                case "apiversion": md.ApiVersion = ReadString(value, "apiVersion"); break;
                case "name": md.Name = ReadString(value, "name"); break;
                case "version": md.Version = ReadString(value, "version"); break;
                case "appversion": md.AppVersion = ReadString(value, "appVersion"); break;
                case "description": md.Description = ReadString(value, "description"); break;
                case "type": md.Type = ReadString(value, "type"); break;
                case "kubeversion": md.KubeVersion = ReadString(value, "kubeVersion"); break;
                case "keywords": md.Keywords = ReadStringList(value, "keywords"); break;
                case "home": md.Home = ReadString(value, "home"); break;
                case "sources": md.Sources = ReadStringList(value, "sources"); break;
                case "maintainers": md.Maintainers = ReadList(value, "maintainers", ReadMaintainer); break;
                case "icon": md.Icon = ReadString(value, "icon"); break;
                case "deprecated": md.Deprecated = ReadBool(value, "deprecated"); break;
                case "annotations": md.Annotations = ReadStringMap(value, "annotations"); break;
                case "condition": md.Condition = ReadString(value, "condition"); break;
                case "tags": md.Tags = ReadString(value, "tags"); break;
                case "dependencies": md.Dependencies = ReadList(value, "dependencies", ReadDependency); break;
                default: break;
            }
        }
    }

    /// <summary>Applies <c>requirements.yaml</c>: only its <c>dependencies</c> key is taken.</summary>
    public static void ApplyRequirements(YMapping? root, MetadataFields md)
    {
        if (root is null)
        {
            return;
        }

        foreach (var (keyNode, value) in root.Entries)
        {
            if (string.Equals(KeyOf(keyNode), "dependencies", StringComparison.OrdinalIgnoreCase))
            {
                md.Dependencies = ReadList(value, "dependencies", ReadDependency);
            }
        }
    }

    public static ChartLock ReadLock(YMapping? root, string fileName)
    {
        DateTimeOffset? generated = null;
        string? digest = null;
        List<ChartDependency?> deps = [];
        if (root is not null)
        {
            foreach (var (keyNode, value) in root.Entries)
            {
                switch (KeyOf(keyNode).ToLowerInvariant())
                {
                    case "generated":
                        var text = ReadString(value, "generated");
                        if (text is null)
                        {
                            generated = null;
                        }
                        else if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var when))
                        {
                            generated = when;
                        }
                        else
                        {
                            throw new ChartYamlShapeException($"'generated' is '{text}'; expected an RFC 3339 timestamp such as 2024-01-31T12:00:00Z.", value.Start);
                        }

                        break;
                    case "digest": digest = ReadString(value, "digest"); break;
                    case "dependencies": deps = ReadList(value, "dependencies", ReadDependency); break;
                    default: break;
                }
            }
        }

        if (deps.Any(d => d is null))
        {
            throw new ChartYamlShapeException("'dependencies' must not contain empty or null entries.");
        }

        return new ChartLock
        {
            FileName = fileName,
            Generated = generated,
            Digest = digest,
            Dependencies = deps.Select(d => d!).ToArray(),
        };
    }

    /// <summary>Replaces whitespace with a space and removes unprintable characters, as Helm's sanitizeString does.</summary>
    public static string? Sanitize(string? s)
    {
        if (s is null)
        {
            return null;
        }

        var needs = false;
        foreach (var ch in s)
        {
            if (ch < 0x20 || ch > 0x7E)
            {
                needs = true;
                break;
            }
        }

        if (!needs)
        {
            return s;
        }

        var sb = new StringBuilder(s.Length);
        foreach (var rune in s.EnumerateRunes())
        {
            if (Rune.IsWhiteSpace(rune))
            {
                sb.Append(' ');
                continue;
            }

            switch (Rune.GetUnicodeCategory(rune))
            {
                case UnicodeCategory.Control:
                case UnicodeCategory.Format:
                case UnicodeCategory.Surrogate:
                case UnicodeCategory.PrivateUse:
                case UnicodeCategory.OtherNotAssigned:
                case UnicodeCategory.LineSeparator:
                case UnicodeCategory.ParagraphSeparator:
                case UnicodeCategory.SpaceSeparator:
                    break;
                default:
                    sb.Append(rune.ToString());
                    break;
            }
        }

        return sb.ToString();
    }

    private static ChartMaintainer? ReadMaintainer(YNode node)
    {
        if (node is YScalar { IsNull: true })
        {
            return null;
        }

        var map = node as YMapping ?? throw new ChartYamlShapeException($"each entry of 'maintainers' must be a mapping with name, email and url, but found a {Describe(node)}.", node.Start);
        string? name = null, email = null, url = null;
        foreach (var (k, v) in map.Entries)
        {
            switch (KeyOf(k).ToLowerInvariant())
            {
                case "name": name = ReadString(v, "maintainers[].name"); break;
                case "email": email = ReadString(v, "maintainers[].email"); break;
                case "url": url = ReadString(v, "maintainers[].url"); break;
                default: break;
            }
        }

        return new ChartMaintainer(Sanitize(name), Sanitize(email), Sanitize(url));
    }

    private static ChartDependency? ReadDependency(YNode node)
    {
        if (node is YScalar { IsNull: true })
        {
            return null;
        }

        var map = node as YMapping ?? throw new ChartYamlShapeException($"each entry of 'dependencies' must be a mapping with name, version and repository, but found a {Describe(node)}.", node.Start);
        string? name = null, version = null, repository = null, condition = null, alias = null;
        var tags = new List<string>();
        var enabled = false;
        var imports = new List<JsonNode?>();
        foreach (var (k, v) in map.Entries)
        {
            switch (KeyOf(k).ToLowerInvariant())
            {
                case "name": name = ReadString(v, "dependencies[].name"); break;
                case "version": version = ReadString(v, "dependencies[].version"); break;
                case "repository": repository = ReadString(v, "dependencies[].repository"); break;
                case "condition": condition = ReadString(v, "dependencies[].condition"); break;
                case "tags": tags = ReadStringList(v, "dependencies[].tags"); break;
                case "enabled": enabled = ReadBool(v, "dependencies[].enabled"); break;
                case "alias": alias = ReadString(v, "dependencies[].alias"); break;
                case "import-values":
                    var budget = MaxConvertedNodes;
                    imports = ReadList(v, "dependencies[].import-values", n => ToJson(n, ref budget, 0));
                    break;
                default: break;
            }
        }

        return new ChartDependency
        {
            Name = Sanitize(name) ?? string.Empty,
            Version = Sanitize(version),
            Repository = Sanitize(repository),
            Condition = Sanitize(condition),
            Tags = tags.Select(t => Sanitize(t)!).ToArray(),
            Enabled = enabled,
            ImportValues = imports,
            Alias = alias,
        };
    }

    private static string KeyOf(YNode key) => key switch
    {
        YScalar s => s.Value,
        _ => throw new ChartYamlShapeException($"mapping keys must be scalars, but found a {Describe(key)}.", key.Start),
    };

    private static string? ReadString(YNode node, string field) => node switch
    {
        YScalar { IsNull: true } => null,
        YScalar s => s.Value,
        _ => throw new ChartYamlShapeException($"'{field}' must be a string, but found a {Describe(node)}.", node.Start),
    };

    private static bool ReadBool(YNode node, string field)
    {
        if (node is YScalar { IsNull: true })
        {
            return false;
        }

        if (node is YScalar { IsPlain: true } s)
        {
            switch (s.Value)
            {
                case "true" or "True" or "TRUE" or "yes" or "Yes" or "YES" or "on" or "On" or "ON" or "y" or "Y":
                    return true;
                case "false" or "False" or "FALSE" or "no" or "No" or "NO" or "off" or "Off" or "OFF" or "n" or "N":
                    return false;
                default:
                    break;
            }
        }

        throw new ChartYamlShapeException($"'{field}' must be a boolean (true or false), but found {(node is YScalar sc ? $"'{sc.Value}'" : $"a {Describe(node)}")}.", node.Start);
    }

    private static List<string> ReadStringList(YNode node, string field)
    {
        if (node is YScalar { IsNull: true })
        {
            return [];
        }

        var seq = node as YSequence ?? throw new ChartYamlShapeException($"'{field}' must be a list of strings, but found a {Describe(node)}.", node.Start);
        return seq.Items.Select(i => ReadString(i, field + "[]") ?? string.Empty).ToList();
    }

    private static List<KeyValuePair<string, string>> ReadStringMap(YNode node, string field)
    {
        if (node is YScalar { IsNull: true })
        {
            return [];
        }

        var map = node as YMapping ?? throw new ChartYamlShapeException($"'{field}' must be a mapping of strings, but found a {Describe(node)}.", node.Start);
        var result = new List<KeyValuePair<string, string>>();
        foreach (var (k, v) in map.Entries)
        {
            var key = KeyOf(k);
            var value = ReadString(v, $"{field}.{key}") ?? string.Empty;
            var idx = result.FindIndex(p => string.Equals(p.Key, key, StringComparison.Ordinal));
            if (idx >= 0)
            {
                result[idx] = new KeyValuePair<string, string>(key, value);
            }
            else
            {
                result.Add(new KeyValuePair<string, string>(key, value));
            }
        }

        return result;
    }

    private static List<T> ReadList<T>(YNode node, string field, Func<YNode, T> read)
    {
        if (node is YScalar { IsNull: true })
        {
            return [];
        }

        var seq = node as YSequence ?? throw new ChartYamlShapeException($"'{field}' must be a list, but found a {Describe(node)}.", node.Start);
        return seq.Items.Select(read).ToList();
    }

    private static JsonNode? ToJson(YNode node, ref int budget, int depth)
    {
        if (--budget < 0)
        {
            throw new ChartYamlShapeException($"'import-values' expands to more than {MaxConvertedNodes} nodes (YAML aliases); expected a short list of names or child/parent pairs.", node.Start);
        }

        if (depth > YamlTreeReader.MaxDepth)
        {
            throw new ChartYamlShapeException($"'import-values' nests deeper than {YamlTreeReader.MaxDepth} levels.", node.Start);
        }

        switch (node)
        {
            case YScalar s:
                return ScalarToJson(s);
            case YSequence seq:
                var arr = new JsonArray();
                foreach (var item in seq.Items)
                {
                    arr.Add(ToJson(item, ref budget, depth + 1));
                }

                return arr;
            default:
                var map = (YMapping)node;
                var obj = new JsonObject();
                foreach (var (k, v) in map.Entries)
                {
                    obj[KeyOf(k)] = ToJson(v, ref budget, depth + 1);
                }

                return obj;
        }
    }

    private static JsonNode? ScalarToJson(YScalar s)
    {
        if (s.IsNull)
        {
            return null;
        }

        if (!s.IsPlain)
        {
            return JsonValue.Create(s.Value);
        }

        switch (s.Value)
        {
            case "true" or "True" or "TRUE" or "yes" or "Yes" or "YES" or "on" or "On" or "ON":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE" or "no" or "No" or "NO" or "off" or "Off" or "OFF":
                return JsonValue.Create(false);
            default:
                break;
        }

        if (long.TryParse(s.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
        {
            return JsonValue.Create(l);
        }

        return JsonValue.Create(s.Value);
    }

    private static string Describe(YNode node) => node switch
    {
        YMapping => "mapping",
        YSequence => "list",
        YScalar s => $"scalar '{s.Value}'",
        _ => "node",
    };
}
