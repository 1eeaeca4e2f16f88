using System.Text.Json;

namespace Platform.Charts.Forms.Internal;

/// <summary>One schema object (or boolean) with the base URI its relative <c>$ref</c>s resolve against.</summary>
internal readonly record struct SchemaPiece(JsonElement Element, Uri Base, string Pointer);

/// <summary>A parsed schema document with its <c>$id</c>, <c>$anchor</c> and <c>$dynamicAnchor</c> index; resolves local references.</summary>
internal sealed class SchemaDocument
{
    public static readonly Uri DefaultBase = new("https://schema.platform.invalid/values.schema.json");

    private static readonly HashSet<string> NonSchemaKeywords = new(StringComparer.Ordinal) { "enum", "const", "default", "examples", "hidden" };

    private readonly Dictionary<string, SchemaPiece> _resources = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SchemaPiece> _anchors = new(StringComparer.Ordinal);

    private SchemaDocument(JsonDocument document, string? source)
    {
        Document = document;
        Source = source;
        var root = document.RootElement;
        Uri baseUri = DefaultBase;
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("$id", out var id) && id.ValueKind == JsonValueKind.String
            && Uri.TryCreate(DefaultBase, id.GetString(), out var resolved))
        {
            baseUri = resolved;
        }

        Root = new SchemaPiece(root, baseUri, "#");
        _resources[Strip(DefaultBase)] = new SchemaPiece(root, DefaultBase, "#");
        Index(Root);
    }

    public JsonDocument Document { get; }

    public string? Source { get; }

    public SchemaPiece Root { get; }

    public static SchemaDocument Parse(string text, string? source, FormBuildOptions options)
    {
        string name = source ?? "schema";
        if (text.Length > options.MaxInputCharacters)
        {
            throw new FormException($"{name}: the schema has {text.Length} characters; the limit is {options.MaxInputCharacters}.", source);
        }

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(text, new JsonDocumentOptions
            {
                MaxDepth = options.MaxSchemaNesting,
                CommentHandling = JsonCommentHandling.Skip,
                AllowTrailingCommas = true,
            });
        }
        catch (JsonException ex)
        {
            string where = ex.LineNumber is long l ? $":{l + 1}:{(ex.BytePositionInLine ?? 0) + 1}" : string.Empty;
            string why = ex.Message.Contains("depth", StringComparison.OrdinalIgnoreCase)
                ? $"the JSON nests deeper than {options.MaxSchemaNesting} levels"
                : "the text is not valid JSON";
            throw new FormException($"{name}{where}: {why}; expected a JSON Schema document. ({Cli(ex.Message)})", source, innerException: ex);
        }

        if (doc.RootElement.ValueKind is not (JsonValueKind.Object or JsonValueKind.True or JsonValueKind.False))
        {
            var kind = doc.RootElement.ValueKind;
            doc.Dispose();
            throw new FormException($"{name}: the schema root is a JSON {kind.ToString().ToLowerInvariant()}; expected an object or a boolean schema.", source, "#");
        }

        return new SchemaDocument(doc, source);
    }

    /// <summary>Resolves a reference against a base URI; returns false when it points outside the document.</summary>
    public bool TryResolve(string reference, Uri baseUri, out SchemaPiece target, out string key)
    {
        target = default;
        key = reference;
        if (!Uri.TryCreate(baseUri, reference, out var uri))
        {
            return false;
        }

        key = uri.ToString();
        string doc = Strip(uri);
        string fragment = Uri.UnescapeDataString(uri.Fragment.TrimStart('#'));
        if (!_resources.TryGetValue(doc, out var resource))
        {
            return false;
        }

        if (fragment.Length == 0)
        {
            target = resource;
            return true;
        }

        if (fragment[0] != '/')
        {
            return _anchors.TryGetValue(doc + "#" + fragment, out target);
        }

        var el = resource.Element;
        string pointer = resource.Pointer;
        foreach (var raw in fragment[1..].Split('/'))
        {
            string token = raw.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            if (el.ValueKind == JsonValueKind.Object && el.TryGetProperty(token, out var child))
            {
                el = child;
            }
            else if (el.ValueKind == JsonValueKind.Array && int.TryParse(token, out int i) && i >= 0 && i < el.GetArrayLength())
            {
                el = el[i];
            }
            else
            {
                return false;
            }

            pointer += "/" + raw;
        }

        target = new SchemaPiece(el, resource.Base, pointer);
        return true;
    }

    private static string Strip(Uri uri)
    {
        string s = uri.ToString();
        int hash = s.IndexOf('#', StringComparison.Ordinal);
        return hash < 0 ? s : s[..hash];
    }

    private static string Cli(string message) => message.ReplaceLineEndings(" ");

    private void Index(SchemaPiece root)
    {
        var stack = new Stack<SchemaPiece>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var p = stack.Pop();
            var el = p.Element;
            if (el.ValueKind == JsonValueKind.Array)
            {
                int i = 0;
                foreach (var item in el.EnumerateArray())
                {
                    stack.Push(new SchemaPiece(item, p.Base, p.Pointer + "/" + i++));
                }

                continue;
            }

            if (el.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            Uri baseUri = p.Base;
            if (el.TryGetProperty("$id", out var id) && id.ValueKind == JsonValueKind.String && Uri.TryCreate(p.Base, id.GetString(), out var nb))
            {
                baseUri = nb;
                _resources.TryAdd(Strip(nb), new SchemaPiece(el, nb, p.Pointer));
            }

            foreach (var anchorKeyword in (string[])["$anchor", "$dynamicAnchor"])
            {
                if (el.TryGetProperty(anchorKeyword, out var a) && a.ValueKind == JsonValueKind.String)
                {
                    _anchors.TryAdd(Strip(baseUri) + "#" + a.GetString(), new SchemaPiece(el, baseUri, p.Pointer));
                }
            }

            // Draft 7 and earlier: "$id": "#name" is a plain-name fragment (an anchor).
            if (el.TryGetProperty("$id", out var id7) && id7.ValueKind == JsonValueKind.String && id7.GetString() is { Length: > 1 } s7 && s7[0] == '#')
            {
                _anchors.TryAdd(Strip(p.Base) + s7, new SchemaPiece(el, p.Base, p.Pointer));
            }

            foreach (var prop in el.EnumerateObject())
            {
                if (NonSchemaKeywords.Contains(prop.Name) || prop.Value.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array))
                {
                    continue;
                }

                stack.Push(new SchemaPiece(prop.Value, baseUri, p.Pointer + "/" + prop.Name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal)));
            }
        }
    }
}
