using System.Globalization;
using System.Text.Json;

namespace Platform.Charts.Forms.Internal;

/// <summary>
/// The merged view of one schema position: its object pieces after following <c>$ref</c>/<c>$recursiveRef</c>/
/// <c>$dynamicRef</c> and flattening <c>allOf</c>. Keyword lookups take the first piece that has the keyword.
/// </summary>
internal sealed class SchemaNode
{
    private SchemaNode()
    {
    }

    public List<SchemaPiece> Pieces { get; } = [];

    /// <summary>Gets the reference targets followed to build this node (for recursion detection).</summary>
    public HashSet<string> RefKeys { get; } = new(StringComparer.Ordinal);

    public List<(string Reference, string Pointer)> UnresolvedRefs { get; } = [];

    public bool IsFalse { get; private set; }

    public string Pointer => Pieces.Count > 0 ? Pieces[0].Pointer : "#";

    public static SchemaNode Empty { get; } = new();

    public static SchemaNode Build(SchemaDocument doc, IEnumerable<SchemaPiece> pieces, FormBuildOptions options)
    {
        var node = new SchemaNode();
        var visited = new HashSet<string>(StringComparer.Ordinal);
        var chain = new List<string>();
        foreach (var p in pieces)
        {
            node.Add(doc, p, options, visited, chain, 0);
        }

        return node;
    }

    public JsonElement? Get(string keyword)
    {
        foreach (var p in Pieces)
        {
            if (p.Element.TryGetProperty(keyword, out var v))
            {
                return v;
            }
        }

        return null;
    }

    public string? GetString(string keyword) => Get(keyword) is { ValueKind: JsonValueKind.String } v ? v.GetString() : null;

    public bool GetBool(string keyword) => Get(keyword) is { ValueKind: JsonValueKind.True };

    public decimal? GetNumber(string keyword) =>
        Get(keyword) is { ValueKind: JsonValueKind.Number } v && v.TryGetDecimal(out var d) ? d
        : Get(keyword) is { ValueKind: JsonValueKind.String } s && decimal.TryParse(s.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var ds) ? ds
        : null;

    public int? GetInt(string keyword) => GetNumber(keyword) is decimal d && d >= 0 && d <= int.MaxValue ? (int)d : null;

    public IEnumerable<(JsonElement Value, SchemaPiece Piece)> All(string keyword)
    {
        foreach (var p in Pieces)
        {
            if (p.Element.TryGetProperty(keyword, out var v))
            {
                yield return (v, p);
            }
        }
    }

    /// <summary>Gets the declared types, intersected across pieces (empty when unconstrained).</summary>
    public List<string> Types()
    {
        List<string>? result = null;
        foreach (var (v, _) in All("type"))
        {
            var set = new List<string>();
            if (v.ValueKind == JsonValueKind.String)
            {
                set.Add(v.GetString()!);
            }
            else if (v.ValueKind == JsonValueKind.Array)
            {
                set.AddRange(v.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.String).Select(t => t.GetString()!));
            }

            if (result is null)
            {
                result = set;
            }
            else
            {
                var inter = result.Where(t => set.Contains(t) || (t == "integer" && set.Contains("number"))).ToList();
                if (inter.Count > 0)
                {
                    result = inter;
                }
            }
        }

        return result ?? [];
    }

    /// <summary>Gets the properties in order of first appearance, each with every piece that describes it.</summary>
    public List<(string Name, List<SchemaPiece> Pieces)> Properties()
    {
        var order = new List<(string, List<SchemaPiece>)>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (v, p) in All("properties"))
        {
            if (v.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            foreach (var prop in v.EnumerateObject())
            {
                var piece = new SchemaPiece(prop.Value, p.Base, p.Pointer + "/properties/" + Escape(prop.Name));
                if (index.TryGetValue(prop.Name, out int i))
                {
                    order[i].Item2.Add(piece);
                }
                else
                {
                    index[prop.Name] = order.Count;
                    order.Add((prop.Name, [piece]));
                }
            }
        }

        return order;
    }

    public HashSet<string> Required()
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (v, _) in All("required"))
        {
            if (v.ValueKind == JsonValueKind.Array)
            {
                foreach (var r in v.EnumerateArray())
                {
                    if (r.ValueKind == JsonValueKind.String)
                    {
                        set.Add(r.GetString()!);
                    }
                }
            }
        }

        return set;
    }

    /// <summary>Gets a sub-schema keyword (<c>items</c>, <c>additionalProperties</c>, <c>if</c>…) of the first piece having it as a schema.</summary>
    public SchemaPiece? Sub(string keyword)
    {
        foreach (var (v, p) in All(keyword))
        {
            if (v.ValueKind is JsonValueKind.Object or JsonValueKind.True or JsonValueKind.False)
            {
                return new SchemaPiece(v, p.Base, p.Pointer + "/" + keyword);
            }
        }

        return null;
    }

    /// <summary>Gets the schemas of an array keyword (<c>oneOf</c>, <c>anyOf</c>) of the first piece having it.</summary>
    public List<SchemaPiece> SubList(string keyword)
    {
        foreach (var (v, p) in All(keyword))
        {
            if (v.ValueKind == JsonValueKind.Array)
            {
                var list = new List<SchemaPiece>();
                int i = 0;
                foreach (var item in v.EnumerateArray())
                {
                    list.Add(new SchemaPiece(item, p.Base, p.Pointer + "/" + keyword + "/" + i++));
                }

                return list;
            }
        }

        return [];
    }

    public static string Escape(string name) => name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    private void Add(SchemaDocument doc, SchemaPiece piece, FormBuildOptions options, HashSet<string> visited, List<string> chain, int depth)
    {
        var el = piece.Element;
        if (el.ValueKind == JsonValueKind.False)
        {
            IsFalse = true;
            return;
        }

        if (el.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        if (depth > options.MaxSchemaNesting)
        {
            throw new FormException($"{doc.Source ?? "schema"}: allOf/$ref nesting at {piece.Pointer} is deeper than {options.MaxSchemaNesting}.", doc.Source, piece.Pointer);
        }

        if (el.TryGetProperty("$id", out var id) && id.ValueKind == JsonValueKind.String && Uri.TryCreate(piece.Base, id.GetString(), out var idUri)
            && !(id.GetString() ?? string.Empty).StartsWith('#'))
        {
            piece = piece with { Base = idUri };
        }

        Pieces.Add(piece);
        foreach (var keyword in (string[])["$ref", "$recursiveRef", "$dynamicRef"])
        {
            if (!el.TryGetProperty(keyword, out var r) || r.ValueKind != JsonValueKind.String)
            {
                continue;
            }

            string reference = r.GetString()!;
            if (!doc.TryResolve(reference, piece.Base, out var target, out string key))
            {
                UnresolvedRefs.Add((reference, piece.Pointer));
                continue;
            }

            if (chain.Contains(key))
            {
                throw new FormException(
                    $"{doc.Source ?? "schema"}: $ref cycle at {piece.Pointer}: {string.Join(" -> ", chain)} -> {key} never reaches a schema; break the cycle with a property or item level.",
                    doc.Source,
                    piece.Pointer);
            }

            if (!visited.Add(key))
            {
                continue;
            }

            if (chain.Count >= options.MaxRefChain)
            {
                throw new FormException($"{doc.Source ?? "schema"}: more than {options.MaxRefChain} chained $refs at {piece.Pointer}.", doc.Source, piece.Pointer);
            }

            RefKeys.Add(key);
            chain.Add(key);
            Add(doc, target, options, visited, chain, depth + 1);
            chain.RemoveAt(chain.Count - 1);
        }

        if (el.TryGetProperty("allOf", out var allOf) && allOf.ValueKind == JsonValueKind.Array)
        {
            int i = 0;
            foreach (var item in allOf.EnumerateArray())
            {
                Add(doc, new SchemaPiece(item, piece.Base, piece.Pointer + "/allOf/" + i++), options, visited, chain, depth + 1);
            }
        }
    }
}
