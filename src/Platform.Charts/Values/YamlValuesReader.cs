using System.Text.Json.Nodes;
using Platform.Abstractions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Platform.Charts.Values;

/// <summary>
/// Builds <see cref="JsonNode"/> trees from YAML parser events, applying Helm's scalar resolution, alias and
/// merge-key rules, with explicit bounds on depth and alias expansion.
/// </summary>
internal sealed class YamlValuesReader
{
    private const string StrTag = "tag:yaml.org,2002:str";
    private const string IntTag = "tag:yaml.org,2002:int";
    private const string FloatTag = "tag:yaml.org,2002:float";
    private const string BoolTag = "tag:yaml.org,2002:bool";
    private const string NullTag = "tag:yaml.org,2002:null";
    private const string BinaryTag = "tag:yaml.org,2002:binary";

    private readonly IParser _parser;
    private readonly string? _fileName;
    private readonly YamlReadOptions _options;
    private readonly Dictionary<string, (JsonNode? Node, int Count)> _anchors = new(StringComparer.Ordinal);
    private long _nodes;
    private Mark _last = Mark.Empty;

    private YamlValuesReader(IParser parser, string? fileName, YamlReadOptions options)
    {
        _parser = parser;
        _fileName = fileName;
        _options = options;
    }

    /// <summary>Reads every document of a stream.</summary>
    public static List<(JsonNode? Node, Mark Start)> ReadDocuments(string text, string? fileName, YamlReadOptions options)
    {
        if (text.Length > options.MaxCharacters)
        {
            throw new ValuesException(
                $"{Describe(fileName)}: the YAML input has {text.Length} characters; the limit is {options.MaxCharacters}.",
                fileName);
        }

        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }

        var reader = new YamlValuesReader(new Parser(new StringReader(text)), fileName, options);
        try
        {
            return reader.ReadStream();
        }
        catch (ValuesException)
        {
            throw;
        }
        catch (YamlException ex)
        {
            int line = (int)ex.Start.Line;
            int column = (int)ex.Start.Column;
            throw new ValuesException(
                $"{Describe(fileName)}:{line}:{column}: invalid YAML: {ex.Message}",
                fileName,
                line,
                column,
                innerException: ex);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or IndexOutOfRangeException)
        {
            // YamlDotNet's scanner throws these on some malformed input instead of a YamlException.
            int line = (int)reader._last.Line;
            throw new ValuesException(
                $"{Describe(fileName)}:{line}: invalid YAML after line {line}: {ex.Message}",
                fileName,
                line,
                innerException: ex);
        }
    }

    internal static string Describe(string? fileName) => fileName ?? "<input>";

    private List<(JsonNode? Node, Mark Start)> ReadStream()
    {
        var documents = new List<(JsonNode?, Mark)>();
        _parser.Consume<StreamStart>();
        while (_parser.TryConsume<DocumentStart>(out var start))
        {
            _anchors.Clear();
            JsonNode? root = ReadNode(0);
            _parser.Consume<DocumentEnd>();
            documents.Add((root, start.Start));
            if (!_options.MergeDocuments)
            {
                break;
            }
        }

        return documents;
    }

    private JsonNode? ReadNode(int depth)
    {
        if (depth > _options.MaxDepth)
        {
            var mark = _parser.Current!.Start;
            throw Error(mark, $"nesting is deeper than {_options.MaxDepth} levels");
        }

        ParsingEvent ev = _parser.Current ?? throw new YamlException("unexpected end of input");
        _last = ev.End;
        switch (ev)
        {
            case AnchorAlias alias:
            {
                _parser.MoveNext();
                if (!_anchors.TryGetValue(alias.Value.Value, out var anchored))
                {
                    throw Error(alias.Start, $"unknown anchor '{alias.Value.Value}' referenced");
                }

                CountNodes(anchored.Count, alias.Start);
                return anchored.Node?.DeepClone();
            }

            case Scalar scalar:
            {
                _parser.MoveNext();
                CountNodes(1, scalar.Start);
                JsonNode? value = ResolveScalar(scalar);
                Remember(scalar.Anchor, value, 1);
                return value;
            }

            case SequenceStart seq:
            {
                _parser.MoveNext();
                long before = _nodes;
                CountNodes(1, seq.Start);
                var array = new JsonArray();
                while (!_parser.TryConsume<SequenceEnd>(out _))
                {
                    array.Add(ReadNode(depth + 1));
                }

                Remember(seq.Anchor, array, _nodes - before);
                return array;
            }

            case MappingStart map:
            {
                _parser.MoveNext();
                long before = _nodes;
                CountNodes(1, map.Start);
                var obj = new JsonObject();
                while (!_parser.TryConsume<MappingEnd>(out _))
                {
                    ParsingEvent keyEvent = _parser.Current!;
                    if (keyEvent is Scalar { Value: "<<", Style: ScalarStyle.Plain } mergeKey && mergeKey.Tag.IsEmpty)
                    {
                        _parser.MoveNext();
                        JsonNode? merged = ReadNode(depth + 1);
                        ApplyMerge(obj, merged, keyEvent.Start);
                        continue;
                    }

                    string key = ReadKey(depth + 1);
                    JsonNode? value = ReadNode(depth + 1);

                    // Later duplicates win, as in go-yaml v2; the key keeps its first position.
                    obj[key] = value;
                }

                Remember(map.Anchor, obj, _nodes - before);
                return obj;
            }

            default:
                throw Error(ev.Start, $"unexpected {ev.GetType().Name}");
        }
    }

    private void ApplyMerge(JsonObject target, JsonNode? merged, Mark at)
    {
        switch (merged)
        {
            case JsonObject source:
                MergeInto(target, source);
                break;
            case JsonArray list:
                // Earlier maps take precedence, so apply them last.
                for (int i = list.Count - 1; i >= 0; i--)
                {
                    if (list[i] is not JsonObject item)
                    {
                        throw Error(at, "a merge key '<<' list must hold only mappings");
                    }

                    MergeInto(target, item);
                }

                break;
            default:
                throw Error(at, "a merge key '<<' must refer to a mapping or a list of mappings");
        }
    }

    private static void MergeInto(JsonObject target, JsonObject source)
    {
        foreach (var (key, value) in source.ToArray())
        {
            source.Remove(key);
            target[key] = value;
        }
    }

    private string ReadKey(int depth)
    {
        ParsingEvent ev = _parser.Current!;
        if (ev is not Scalar && ev is not AnchorAlias)
        {
            throw Error(ev.Start, "a mapping key must be a scalar (complex keys are not supported by Helm)");
        }

        JsonNode? key = ReadNode(depth);
        return key switch
        {
            null => throw Error(ev.Start, "a mapping key is null; Helm cannot convert a null key to JSON"),
            JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String => v.GetValue<string>(),
            JsonValue v => v.ToJsonString(),
            _ => throw Error(ev.Start, "a mapping key must be a scalar (complex keys are not supported by Helm)"),
        };
    }

    private JsonNode? ResolveScalar(Scalar scalar)
    {
        string tag = scalar.Tag.IsEmpty ? string.Empty : scalar.Tag.Value;
        bool plain = scalar.Style == ScalarStyle.Plain;
        try
        {
            switch (tag)
            {
                case "":
                    return plain ? YamlScalarResolver.ToNode(scalar.Value) : JsonValue.Create(scalar.Value);
                case "!":
                case StrTag:
                case BinaryTag:
                    return JsonValue.Create(scalar.Value);
                case NullTag:
                    return null;
                case BoolTag:
                case IntTag:
                case FloatTag:
                {
                    JsonNode? node = YamlScalarResolver.ToNode(scalar.Value);
                    var kind = node?.GetValueKind();
                    bool ok = tag switch
                    {
                        BoolTag => kind is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False,
                        _ => kind == System.Text.Json.JsonValueKind.Number,
                    };
                    if (!ok)
                    {
                        throw new FormatException($"cannot decode '{scalar.Value}' as {tag.Replace("tag:yaml.org,2002:", "!!", StringComparison.Ordinal)}");
                    }

                    return node;
                }

                default:
                    // Local tags (!foo) are not resolvable: go-yaml keeps the text.
                    return JsonValue.Create(scalar.Value);
            }
        }
        catch (FormatException ex)
        {
            throw Error(scalar.Start, ex.Message);
        }
    }

    private void Remember(AnchorName anchor, JsonNode? node, long count)
    {
        if (!anchor.IsEmpty)
        {
            _anchors[anchor.Value] = (node, (int)Math.Min(count, int.MaxValue));
        }
    }

    private void CountNodes(long count, Mark at)
    {
        _nodes += count;
        if (_nodes > _options.MaxNodes)
        {
            throw Error(at, $"the document expands to more than {_options.MaxNodes} nodes (too many aliases or too large); refusing to expand it");
        }
    }

    private ValuesException Error(Mark mark, string what)
    {
        int line = (int)mark.Line;
        int column = (int)mark.Column;
        return new ValuesException($"{Describe(_fileName)}:{line}:{column}: {what}", _fileName, line, column);
    }
}
