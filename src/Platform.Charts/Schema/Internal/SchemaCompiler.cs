using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Platform.Abstractions;

namespace Platform.Charts.Schema.Internal;

[Flags]
internal enum Vocab
{
    None = 0,
    Core = 1,
    Applicator = 2,
    Unevaluated = 4,
    Validation = 8,
    Format = 16,
    Content = 32,
    MetaData = 64,
    All = Core | Applicator | Unevaluated | Validation | Format | Content | MetaData,
}

/// <summary>The draft and vocabularies a schema resource is read with.</summary>
internal sealed record Dialect(SchemaDraft Draft, Vocab Vocab, bool AssertFormat)
{
    public bool Has(Vocab v) => (Vocab & v) != 0;
}

/// <summary>Compiles a schema document (and the documents it references) into <see cref="SchemaNode"/>s.</summary>
/// <remarks>One instance per compilation; not thread-safe. The result is immutable.</remarks>
internal sealed class SchemaCompiler
{

    private static readonly Dictionary<string, string> Embedded = LoadEmbeddedIndex();

    private readonly SchemaOptions options;
    private readonly Dictionary<string, Resource> resources = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonNode> anchors = new(StringComparer.Ordinal);
    private readonly Dictionary<JsonNode, NodeInfo> infos = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<JsonNode, SchemaNode> compiled = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string, Dialect> dialects = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Regex> regexes = new(StringComparer.Ordinal);
    private readonly HashSet<string> dialectsLoading = new(StringComparer.Ordinal);
    private int depth;

    public SchemaCompiler(SchemaOptions options)
    {
        this.options = options;
    }

    public bool UsesDynamicScope { get; private set; }

    private sealed record NodeInfo(string BaseUri, Dialect Dialect, string Location, Resource Resource);

    /// <summary>Rejects trees deeper than the limit without recursion (so a 10,000-deep tree cannot overflow the stack).</summary>
    public static void CheckDepth(JsonNode? root, int maxSchemaDepth)
    {
        // every subschema level is at least one JSON level; keyword maps and arrays add one more
        int limit = (maxSchemaDepth * 2) + 2;
        var stack = new Stack<(JsonNode Node, int Depth)>();
        if (root is not null)
        {
            stack.Push((root, 0));
        }

        while (stack.Count > 0)
        {
            var (node, level) = stack.Pop();
            if (level > limit)
            {
                throw new SchemaException($"The schema nests deeper than SchemaOptions.MaxSchemaDepth ({maxSchemaDepth}) allows (more than {limit} JSON levels).");
            }

            switch (node)
            {
                case JsonObject o:
                    for (int i = 0; i < o.Count; i++)
                    {
                        if (o.GetAt(i).Value is { } child)
                        {
                            stack.Push((child, level + 1));
                        }
                    }

                    break;
                case JsonArray a:
                    for (int i = 0; i < a.Count; i++)
                    {
                        if (a[i] is { } item)
                        {
                            stack.Push((item, level + 1));
                        }
                    }

                    break;
            }
        }
    }

    public SchemaNode CompileRoot(JsonNode? root, out SchemaDraft draft)
    {
        if (root is null)
        {
            throw new SchemaException("The schema must be a JSON object or boolean, not null.", "#");
        }

        Dialect defaultDialect = DialectFor(options.DefaultDraft, Vocab.All);
        string baseUri = SchemaUri.Normalize(options.BaseUri.AbsoluteUri);
        Resource resource = ScanDocument(root, baseUri, defaultDialect, "#");
        draft = infos[root].Dialect.Draft;
        SchemaNode node = Compile(root);
        DetectRefCycles();
        if (UsesDynamicScope)
        {
            CompileDynamicAnchors();
        }

        _ = resource;
        return node;
    }

    /// <summary>Rejects chains of schemas that are nothing but a <c>$ref</c> and lead back to themselves: they could
    /// never consume input, so evaluating them would not terminate.</summary>
    private void DetectRefCycles()
    {
        foreach (SchemaNode start in compiled.Values)
        {
            var seen = new HashSet<SchemaNode>(ReferenceEqualityComparer.Instance);
            SchemaNode? current = start;
            while (current is not null && current.Keywords is [RefKeyword only])
            {
                if (!seen.Add(current))
                {
                    throw new SchemaException($"$ref cycle: {string.Join(" -> ", seen.Select(n => n.Location))} -> {current.Location} refers back to itself without validating anything.", current.Location);
                }

                current = only.Target;
            }
        }
    }

    private void CompileDynamicAnchors()
    {
        bool changed = true;
        while (changed)
        {
            changed = false;
            foreach (Resource r in resources.Values.Distinct().ToArray())
            {
                if (r.DynamicAnchorNodes is not null && r.DynamicAnchors is null)
                {
                    var map = new Dictionary<string, SchemaNode>(StringComparer.Ordinal);
                    foreach (var (name, node) in r.DynamicAnchorNodes)
                    {
                        map[name] = Compile(node);
                    }

                    r.DynamicAnchors = map;
                    changed = true;
                }

                if (r.RecursiveAnchor && r.Root is null)
                {
                    r.Root = Compile(r.Node);
                    changed = true;
                }
            }
        }
    }

    private Dialect DialectFor(SchemaDraft draft, Vocab vocab)
    {
        bool assert = options.Format switch
        {
            FormatAssertion.Always => true,
            FormatAssertion.Never => false,
            _ => draft == SchemaDraft.Draft7,
        };
        return new Dialect(draft, vocab, assert);
    }

    // ---------------------------------------------------------------- documents and scanning

    private Resource ScanDocument(JsonNode node, string uri, Dialect dialect, string location)
    {
        var resource = new Resource(uri, node, dialect);
        resources[uri] = resource;
        Scan(node, uri, dialect, location, resource, 0, isRoot: true);
        return resource;
    }

    private Resource LoadDocument(string uri, Dialect referrer, string fromLocation)
    {
        if (resources.TryGetValue(uri, out Resource? known))
        {
            return known;
        }

        JsonNode? document = null;
        if (Embedded.TryGetValue(uri, out string? resourceName))
        {
            using Stream stream = typeof(SchemaCompiler).Assembly.GetManifestResourceStream(resourceName)!;
            document = JsonNode.Parse(stream);
        }
        else if (options.Resolver is not null && Uri.TryCreate(uri, UriKind.Absolute, out Uri? parsed))
        {
            try
            {
                document = options.Resolver.Resolve(parsed);
            }
            catch (Exception ex) when (ex is not OperationCanceledException and not SchemaException)
            {
                throw new SchemaException($"The schema resolver failed to supply '{uri}' (referenced at {fromLocation}): {ex.Message}", fromLocation, ex);
            }

            if (document is not null)
            {
                document = JsonEquality.Freeze(document);
            }
        }

        if (document is null)
        {
            throw new SchemaException(
                $"Unknown $ref '{uri}' at {fromLocation}: no schema in the document has this $id and "
                + (options.Resolver is null ? "no resolver is configured (remote references are not fetched)." : "the resolver does not know it."),
                fromLocation);
        }

        return ScanDocument(document, uri, referrer, uri + "#");
    }

    private void Scan(JsonNode? node, string baseUri, Dialect dialect, string location, Resource resource, int level, bool isRoot)
    {
        if (level > options.MaxSchemaDepth || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw new SchemaException($"The schema nests deeper than SchemaOptions.MaxSchemaDepth ({options.MaxSchemaDepth}) at {Truncate(location)}.", Truncate(location));
        }

        if (node is JsonValue value && value.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
        {
            infos.TryAdd(node, new NodeInfo(baseUri, dialect, location, resource));
            return;
        }

        if (node is not JsonObject obj)
        {
            throw new SchemaException($"The schema at {location} must be a JSON object or boolean, not {Describe(node)}.", location);
        }

        if (infos.ContainsKey(obj))
        {
            return;
        }

        string? id = obj.TryGetPropertyValue("$id", out JsonNode? idNode) && idNode is JsonValue idv && idv.GetValueKind() == JsonValueKind.String ? idv.GetValue<string>() : null;
        if (obj.TryGetPropertyValue("$schema", out JsonNode? schemaNode) && (isRoot || id is not null))
        {
            if (schemaNode is not JsonValue sv || sv.GetValueKind() != JsonValueKind.String)
            {
                throw new SchemaException($"$schema at {location} must be a string URI.", location + "/$schema");
            }

            dialect = GetDialect(sv.GetValue<string>(), dialect, location + "/$schema");
            if (isRoot)
            {
                resource.Dialect = dialect;
            }
        }

        bool draft7 = dialect.Draft == SchemaDraft.Draft7;
        if (id is not null && !(draft7 && obj.ContainsKey("$ref")))
        {
            if (draft7 && id.StartsWith('#'))
            {
                anchors[SchemaUri.Split(baseUri).Uri + id] = obj;
            }
            else
            {
                string resolved = SchemaUri.Resolve(baseUri, id)
                    ?? throw new SchemaException($"$id '{id}' at {location} cannot be resolved against base URI '{baseUri}'.", location + "/$id");
                var (uri, fragment) = SchemaUri.Split(resolved);
                if (!isRoot || uri != resource.Uri)
                {
                    if (isRoot)
                    {
                        resources.TryAdd(uri, resource);
                    }
                    else
                    {
                        resource = new Resource(uri, obj, dialect);
                        resources.TryAdd(uri, resource);
                    }
                }

                baseUri = uri;
                if (!string.IsNullOrEmpty(fragment) && draft7)
                {
                    anchors[uri + "#" + fragment] = obj;
                }
            }
        }

        if (!draft7)
        {
            if (obj.TryGetPropertyValue("$anchor", out JsonNode? anchor) && anchor is JsonValue av && av.GetValueKind() == JsonValueKind.String)
            {
                anchors[baseUri + "#" + av.GetValue<string>()] = obj;
            }

            if (dialect.Draft == SchemaDraft.Draft202012 && obj.TryGetPropertyValue("$dynamicAnchor", out JsonNode? dyn) && dyn is JsonValue dv && dv.GetValueKind() == JsonValueKind.String)
            {
                string name = dv.GetValue<string>();
                anchors.TryAdd(baseUri + "#" + name, obj);
                (resource.DynamicAnchorNodes ??= new Dictionary<string, JsonNode>(StringComparer.Ordinal))[name] = obj;
            }

            if (dialect.Draft == SchemaDraft.Draft201909 && obj.TryGetPropertyValue("$recursiveAnchor", out JsonNode? rec)
                && rec is JsonValue rv && rv.GetValueKind() == JsonValueKind.True && ReferenceEquals(resource.Node, obj))
            {
                resource.RecursiveAnchor = true;
            }
        }

        infos[obj] = new NodeInfo(baseUri, dialect, location, resource);

        for (int i = 0; i < obj.Count; i++)
        {
            var (key, child) = obj.GetAt(i);
            string childLocation = location + "/" + SchemaUri.EscapeToken(key);
            switch (key)
            {
                case "additionalProperties":
                case "not":
                case "if":
                case "then":
                case "else":
                case "contains":
                case "propertyNames":
                case "additionalItems":
                case "unevaluatedItems":
                case "unevaluatedProperties":
                    Scan(child, baseUri, dialect, childLocation, resource, level + 1, false);
                    break;
                case "items":
                    if (child is JsonArray itemsArray)
                    {
                        ScanArray(itemsArray, baseUri, dialect, childLocation, resource, level);
                    }
                    else
                    {
                        Scan(child, baseUri, dialect, childLocation, resource, level + 1, false);
                    }

                    break;
                case "allOf":
                case "anyOf":
                case "oneOf":
                case "prefixItems":
                    if (child is not JsonArray array)
                    {
                        throw new SchemaException($"{key} at {location} must be an array of schemas.", childLocation);
                    }

                    ScanArray(array, baseUri, dialect, childLocation, resource, level);
                    break;
                case "properties":
                case "patternProperties":
                case "$defs":
                case "definitions":
                case "dependentSchemas":
                case "dependencies":
                    if (child is not JsonObject map)
                    {
                        throw new SchemaException($"{key} at {location} must be an object.", childLocation);
                    }

                    for (int j = 0; j < map.Count; j++)
                    {
                        var (name, sub) = map.GetAt(j);
                        if (key == "dependencies" && sub is JsonArray)
                        {
                            continue;
                        }

                        Scan(sub, baseUri, dialect, childLocation + "/" + SchemaUri.EscapeToken(name), resource, level + 1, false);
                    }

                    break;
            }
        }
    }

    private void ScanArray(JsonArray array, string baseUri, Dialect dialect, string location, Resource resource, int level)
    {
        for (int i = 0; i < array.Count; i++)
        {
            Scan(array[i], baseUri, dialect, location + "/" + i.ToString(CultureInfo.InvariantCulture), resource, level + 1, false);
        }
    }

    /// <summary>The official draft a <c>$schema</c> URI names, or null for any other (custom) meta-schema.</summary>
    public static SchemaDraft? OfficialDraft(string schemaUri)
    {
        string uri = SchemaUri.Normalize(schemaUri);
        string schemeless = uri.StartsWith("https://", StringComparison.Ordinal) ? uri[8..] : uri.StartsWith("http://", StringComparison.Ordinal) ? uri[7..] : uri;
        return schemeless switch
        {
            "json-schema.org/draft-07/schema" => SchemaDraft.Draft7,
            "json-schema.org/draft/2019-09/schema" => SchemaDraft.Draft201909,
            "json-schema.org/schema" or "json-schema.org/draft/2020-12/schema" => SchemaDraft.Draft202012,
            _ => null,
        };
    }

    private Dialect GetDialect(string schemaUri, Dialect current, string location)
    {
        string uri = SchemaUri.Normalize(schemaUri);

        // the official drafts, under either scheme (charts write https://json-schema.org/draft-07/schema# too)
        string schemeless = uri.StartsWith("https://", StringComparison.Ordinal) ? uri[8..] : uri.StartsWith("http://", StringComparison.Ordinal) ? uri[7..] : uri;
        switch (schemeless)
        {
            case "json-schema.org/draft-07/schema":
            case "json-schema.org/draft-06/schema":
            case "json-schema.org/draft-04/schema":
                return DialectFor(SchemaDraft.Draft7, Vocab.All);
            case "json-schema.org/schema":
                // "the latest draft", as Helm v4's validator reads it
                return DialectFor(SchemaDraft.Draft202012, Vocab.All);
            case "json-schema.org/draft/2019-09/schema":
                return DialectFor(SchemaDraft.Draft201909, Vocab.All);
            case "json-schema.org/draft/2020-12/schema":
                return DialectFor(SchemaDraft.Draft202012, Vocab.All);
        }

        if (dialects.TryGetValue(uri, out Dialect? known))
        {
            return known;
        }

        if (!dialectsLoading.Add(uri))
        {
            throw new SchemaException($"The meta-schema '{uri}' refers to itself through $schema.", location);
        }

        Resource meta = LoadDocument(uri, current, location);
        var metaObj = meta.Node as JsonObject;
        Dialect baseDialect = current;
        if (metaObj is not null && metaObj.TryGetPropertyValue("$schema", out JsonNode? metaSchema) && metaSchema is JsonValue ms && ms.GetValueKind() == JsonValueKind.String
            && SchemaUri.Normalize(ms.GetValue<string>()) != uri)
        {
            baseDialect = GetDialect(ms.GetValue<string>(), current, uri + "#/$schema");
        }

        Dialect result = baseDialect;
        if (metaObj is not null && metaObj.TryGetPropertyValue("$vocabulary", out JsonNode? vocabNode) && vocabNode is JsonObject vocabObj)
        {
            Vocab vocab = Vocab.None;
            bool formatAssertion = false;
            for (int i = 0; i < vocabObj.Count; i++)
            {
                var (vocabUri, required) = vocabObj.GetAt(i);
                Vocab? v = VocabFromUri(vocabUri, out bool isFormatAssertion);
                if (v is null)
                {
                    if (required is JsonValue rv && rv.GetValueKind() == JsonValueKind.True)
                    {
                        throw new SchemaException($"The meta-schema '{uri}' requires the vocabulary '{vocabUri}', which this validator does not implement.", location);
                    }

                    continue;
                }

                vocab |= v.Value;
                formatAssertion |= isFormatAssertion;
            }

            bool assert = options.Format switch
            {
                FormatAssertion.Always => true,
                FormatAssertion.Never => false,
                _ => formatAssertion || baseDialect.Draft == SchemaDraft.Draft7,
            };
            result = new Dialect(baseDialect.Draft, vocab | Vocab.Core, assert);
        }

        dialects[uri] = result;
        dialectsLoading.Remove(uri);
        return result;
    }

    private static Vocab? VocabFromUri(string uri, out bool formatAssertion)
    {
        formatAssertion = false;
        string? name = uri.StartsWith("https://json-schema.org/draft/2020-12/vocab/", StringComparison.Ordinal) ? uri[44..]
            : uri.StartsWith("https://json-schema.org/draft/2019-09/vocab/", StringComparison.Ordinal) ? uri[44..]
            : null;
        bool is2019 = uri.Contains("2019-09", StringComparison.Ordinal);
        switch (name)
        {
            case "core":
                return Vocab.Core;
            case "applicator":
                return is2019 ? Vocab.Applicator | Vocab.Unevaluated : Vocab.Applicator;
            case "unevaluated":
                return Vocab.Unevaluated;
            case "validation":
                return Vocab.Validation;
            case "meta-data":
                return Vocab.MetaData;
            case "format-annotation":
                return Vocab.Format;
            case "format":
                formatAssertion = false;
                return Vocab.Format;
            case "format-assertion":
                formatAssertion = true;
                return Vocab.Format;
            case "content":
                return Vocab.Content;
            default:
                return null;
        }
    }

    // ---------------------------------------------------------------- references

    private JsonNode ResolveRef(string reference, NodeInfo from, string keywordLocation)
    {
        string absolute = SchemaUri.Resolve(from.BaseUri, reference)
            ?? throw new SchemaException($"$ref '{reference}' at {keywordLocation} cannot be resolved against base URI '{from.BaseUri}'.", keywordLocation);
        var (uri, fragment) = SchemaUri.Split(absolute);
        Resource resource = resources.TryGetValue(uri, out Resource? r) ? r : LoadDocument(uri, from.Dialect, keywordLocation);
        JsonNode target;
        if (string.IsNullOrEmpty(fragment))
        {
            target = resource.Node;
        }
        else if (fragment[0] == '/')
        {
            target = Navigate(resource.Node, fragment, reference, keywordLocation);
        }
        else if (!anchors.TryGetValue(uri + "#" + fragment, out target!))
        {
            throw new SchemaException($"Unknown $ref '{reference}' at {keywordLocation}: no anchor '{fragment}' in '{uri}'.", keywordLocation);
        }

        if (!infos.ContainsKey(target))
        {
            NodeInfo resourceInfo = infos.TryGetValue(resource.Node, out NodeInfo? ri) ? ri : from;
            Scan(target, resourceInfo.BaseUri, resourceInfo.Dialect, (resource.Uri == SchemaUri.Normalize(options.BaseUri.AbsoluteUri) ? string.Empty : resource.Uri) + "#" + fragment, resource, 0, false);
        }

        return target;
    }

    private static JsonNode Navigate(JsonNode root, string fragment, string reference, string keywordLocation)
    {
        string pointer;
        try
        {
            pointer = Uri.UnescapeDataString(fragment);
        }
        catch (UriFormatException)
        {
            pointer = fragment;
        }

        JsonNode? current = root;
        foreach (string raw in pointer[1..].Split('/'))
        {
            string token = raw.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            current = current switch
            {
                JsonObject o when o.TryGetPropertyValue(token, out JsonNode? child) && child is not null => child,
                JsonArray a when int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out int index) && index < a.Count && a[index] is { } item => item,
                _ => throw new SchemaException($"Unknown $ref '{reference}' at {keywordLocation}: the JSON pointer '{pointer}' does not point into the schema.", keywordLocation),
            };
        }

        return current!;
    }

    // ---------------------------------------------------------------- compilation

    private SchemaNode Compile(JsonNode node)
    {
        if (compiled.TryGetValue(node, out SchemaNode? done))
        {
            return done;
        }

        NodeInfo info = infos[node];
        if (++depth > options.MaxSchemaDepth * 4 || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw new SchemaException($"The schema nests (with its $ref chains) deeper than the compiler allows at {Truncate(info.Location)}; raise SchemaOptions.MaxSchemaDepth if this is intended.", Truncate(info.Location));
        }

        var result = new SchemaNode(info.Location, info.Resource);
        compiled[node] = result;
        if (node is JsonObject obj)
        {
            BuildKeywords(obj, info, result);
        }
        else
        {
            result.SetBool(node.GetValueKind() == JsonValueKind.True);
        }

        depth--;
        return result;
    }

    private void BuildKeywords(JsonObject obj, NodeInfo info, SchemaNode result)
    {
        Dialect d = info.Dialect;
        string loc = info.Location;
        bool draft7 = d.Draft == SchemaDraft.Draft7;
        bool d2019 = d.Draft == SchemaDraft.Draft201909;
        bool d2020 = d.Draft == SchemaDraft.Draft202012;
        var list = new List<Keyword>();
        var late = new List<Keyword>();
        bool unevaluated = false;

        RefKeyword? refKeyword = null;
        if (obj.TryGetPropertyValue("$ref", out JsonNode? refNode))
        {
            string reference = RequireString(refNode, loc + "/$ref");
            refKeyword = new RefKeyword(loc);
            JsonNode target = ResolveRef(reference, info, loc + "/$ref");
            refKeyword.Target = Compile(target);
            if (draft7)
            {
                result.SetKeywords([refKeyword], false);
                return;
            }
        }

        bool validation = d.Has(Vocab.Validation);
        bool applicator = d.Has(Vocab.Applicator);

        if (validation && obj.TryGetPropertyValue("type", out JsonNode? typeNode))
        {
            list.Add(BuildType(typeNode, loc));
        }

        if (validation && obj.TryGetPropertyValue("const", out JsonNode? constNode))
        {
            list.Add(new ConstKeyword(loc, JsonEquality.Freeze(constNode)));
        }

        if (validation && obj.TryGetPropertyValue("enum", out JsonNode? enumNode))
        {
            if (enumNode is not JsonArray enumArray)
            {
                throw new SchemaException($"enum at {loc} must be an array.", loc + "/enum");
            }

            list.Add(new EnumKeyword(loc, enumArray.Select(JsonEquality.Freeze).ToArray()));
        }

        if (validation)
        {
            var numbers = new NumberKeyword(loc)
            {
                Minimum = ReadNum(obj, "minimum", loc),
                Maximum = ReadNum(obj, "maximum", loc),
                MultipleOf = ReadNum(obj, "multipleOf", loc),
            };
            if (numbers.MultipleOf is { } m && m.Dbl <= 0)
            {
                throw new SchemaException($"multipleOf at {loc} must be greater than 0.", loc + "/multipleOf");
            }

            ReadExclusive(obj, "exclusiveMinimum", loc, numbers, isMin: true);
            ReadExclusive(obj, "exclusiveMaximum", loc, numbers, isMin: false);
            if (!numbers.IsEmpty)
            {
                list.Add(numbers);
            }
        }

        var strings = new StringKeyword(loc);
        if (validation)
        {
            strings.MinLength = ReadCount(obj, "minLength", loc);
            strings.MaxLength = ReadCount(obj, "maxLength", loc);
            if (obj.TryGetPropertyValue("pattern", out JsonNode? patternNode))
            {
                string pattern = RequireString(patternNode, loc + "/pattern");
                strings.Pattern = GetRegex(pattern, loc + "/pattern");
                strings.PatternSource = pattern;
            }
        }

        if (d.AssertFormat && d.Has(Vocab.Format) && obj.TryGetPropertyValue("format", out JsonNode? formatNode) && formatNode is JsonValue fv && fv.GetValueKind() == JsonValueKind.String)
        {
            string format = fv.GetValue<string>();
            Func<string, bool>? check = Formats.Get(format);
            if (check is not null)
            {
                strings.FormatCheck = check;
                strings.FormatName = format;
            }
        }

        if (!strings.IsEmpty)
        {
            list.Add(strings);
        }

        var objects = new ObjectKeyword(loc);
        if (validation)
        {
            if (obj.TryGetPropertyValue("required", out JsonNode? requiredNode))
            {
                string[] required = ReadStringArray(requiredNode, loc + "/required");
                if (required.Length > 0)
                {
                    objects.Required = required;
                }
            }

            objects.MinProperties = ReadCount(obj, "minProperties", loc);
            objects.MaxProperties = ReadCount(obj, "maxProperties", loc);
        }

        var dependentRequired = new List<(string, string[], string)>();
        var dependentSchemas = new List<(string, SchemaNode)>();
        if (validation && !draft7 && obj.TryGetPropertyValue("dependentRequired", out JsonNode? drNode))
        {
            foreach (var (name, value) in RequireObject(drNode, loc + "/dependentRequired"))
            {
                dependentRequired.Add((name, ReadStringArray(value, loc + "/dependentRequired/" + name), "dependentRequired"));
            }
        }

        if (applicator)
        {
            if (obj.TryGetPropertyValue("properties", out JsonNode? propsNode))
            {
                var props = new Dictionary<string, SchemaNode>(StringComparer.Ordinal);
                foreach (var (name, value) in RequireObject(propsNode, loc + "/properties"))
                {
                    props[name] = Compile(value!);
                }

                objects.Properties = props;
                objects.PropertyList = props.ToArray();
            }

            if (obj.TryGetPropertyValue("patternProperties", out JsonNode? ppNode))
            {
                var patterns = new List<(Regex, string, SchemaNode)>();
                foreach (var (pattern, value) in RequireObject(ppNode, loc + "/patternProperties"))
                {
                    patterns.Add((GetRegex(pattern, loc + "/patternProperties"), pattern, Compile(value!)));
                }

                objects.Patterns = patterns.ToArray();
            }

            if (obj.TryGetPropertyValue("additionalProperties", out JsonNode? apNode))
            {
                objects.Additional = Compile(apNode!);
            }

            if (obj.TryGetPropertyValue("propertyNames", out JsonNode? pnNode))
            {
                objects.PropertyNames = Compile(pnNode!);
            }

            if (!draft7 && obj.TryGetPropertyValue("dependentSchemas", out JsonNode? dsNode))
            {
                foreach (var (name, value) in RequireObject(dsNode, loc + "/dependentSchemas"))
                {
                    dependentSchemas.Add((name, Compile(value!)));
                }
            }
        }

        if (obj.TryGetPropertyValue("dependencies", out JsonNode? depNode) && (validation || applicator))
        {
            foreach (var (name, value) in RequireObject(depNode, loc + "/dependencies"))
            {
                if (value is JsonArray)
                {
                    if (validation)
                    {
                        dependentRequired.Add((name, ReadStringArray(value, loc + "/dependencies/" + name), "dependencies"));
                    }
                }
                else if (applicator)
                {
                    dependentSchemas.Add((name, Compile(value!)));
                }
            }
        }

        if (dependentRequired.Count > 0)
        {
            objects.DependentRequired = dependentRequired.ToArray();
        }

        if (!objects.IsEmpty)
        {
            list.Add(objects);
        }

        var arrays = new ArrayKeyword(loc);
        if (validation)
        {
            arrays.MinItems = ReadCount(obj, "minItems", loc);
            arrays.MaxItems = ReadCount(obj, "maxItems", loc);
            arrays.UniqueItems = obj.TryGetPropertyValue("uniqueItems", out JsonNode? uniqueNode) && uniqueNode is JsonValue uv && uv.GetValueKind() == JsonValueKind.True;
        }

        if (applicator)
        {
            obj.TryGetPropertyValue("items", out JsonNode? itemsNode);
            if (d2020)
            {
                if (obj.TryGetPropertyValue("prefixItems", out JsonNode? prefixNode))
                {
                    arrays.Prefix = CompileArray(prefixNode, loc + "/prefixItems");
                }

                if (itemsNode is JsonArray)
                {
                    arrays.Prefix = CompileArray(itemsNode, loc + "/items");
                }
                else if (itemsNode is not null)
                {
                    arrays.Items = Compile(itemsNode);
                }
            }
            else if (itemsNode is JsonArray)
            {
                arrays.Prefix = CompileArray(itemsNode, loc + "/items");
                if (obj.TryGetPropertyValue("additionalItems", out JsonNode? aiNode))
                {
                    arrays.Items = Compile(aiNode!);
                    arrays.ItemsKeyword = "additionalItems";
                }
            }
            else if (itemsNode is not null)
            {
                arrays.Items = Compile(itemsNode);
            }
        }

        if (!arrays.IsEmpty)
        {
            list.Add(arrays);
        }

        if (applicator && obj.TryGetPropertyValue("contains", out JsonNode? containsNode))
        {
            int min = 1;
            int? max = null;
            if (!draft7 && validation)
            {
                min = ReadCount(obj, "minContains", loc) ?? 1;
                max = ReadCount(obj, "maxContains", loc);
            }

            list.Add(new ContainsKeyword(loc, Compile(containsNode!), min, max, annotates: d2020));
        }

        if (refKeyword is not null)
        {
            list.Add(refKeyword);
        }

        if (d2020 && obj.TryGetPropertyValue("$dynamicRef", out JsonNode? dynNode))
        {
            string reference = RequireString(dynNode, loc + "/$dynamicRef");
            JsonNode target = ResolveRef(reference, info, loc + "/$dynamicRef");
            string? fragment = SchemaUri.Split(reference).Fragment;
            string? anchor = null;
            if (!string.IsNullOrEmpty(fragment) && fragment[0] != '/'
                && infos[target].Resource.DynamicAnchorNodes is { } dynAnchors && dynAnchors.TryGetValue(fragment, out JsonNode? anchored) && ReferenceEquals(anchored, target))
            {
                anchor = fragment;
                UsesDynamicScope = true;
            }

            list.Add(new DynamicRefKeyword(loc, Compile(target), anchor, recursive: false));
        }

        if (d2019 && obj.TryGetPropertyValue("$recursiveRef", out JsonNode? recNode))
        {
            string reference = RequireString(recNode, loc + "/$recursiveRef");
            JsonNode target = ResolveRef(reference, info, loc + "/$recursiveRef");
            bool dynamic = infos[target].Resource.RecursiveAnchor && ReferenceEquals(infos[target].Resource.Node, target);
            if (dynamic)
            {
                UsesDynamicScope = true;
            }

            list.Add(new DynamicRefKeyword(loc, Compile(target), null, recursive: dynamic));
        }

        if (applicator)
        {
            if (obj.TryGetPropertyValue("allOf", out JsonNode? allOf))
            {
                list.Add(new AllOfKeyword(loc, CompileArray(allOf, loc + "/allOf")));
            }

            if (obj.TryGetPropertyValue("anyOf", out JsonNode? anyOf))
            {
                list.Add(new AnyOfKeyword(loc, CompileArray(anyOf, loc + "/anyOf")));
            }

            if (obj.TryGetPropertyValue("oneOf", out JsonNode? oneOf))
            {
                list.Add(new OneOfKeyword(loc, CompileArray(oneOf, loc + "/oneOf")));
            }

            if (obj.TryGetPropertyValue("not", out JsonNode? notNode))
            {
                list.Add(new NotKeyword(loc, Compile(notNode!)));
            }

            if (obj.TryGetPropertyValue("if", out JsonNode? ifNode))
            {
                obj.TryGetPropertyValue("then", out JsonNode? thenNode);
                obj.TryGetPropertyValue("else", out JsonNode? elseNode);
                list.Add(new IfKeyword(loc, Compile(ifNode!), thenNode is null ? null : Compile(thenNode), elseNode is null ? null : Compile(elseNode)));
            }

            if (dependentSchemas.Count > 0)
            {
                list.Add(new DependentSchemasKeyword(loc, dependentSchemas.ToArray()));
            }
        }

        if (!draft7 && d.Has(Vocab.Unevaluated))
        {
            if (obj.TryGetPropertyValue("unevaluatedItems", out JsonNode? uiNode))
            {
                late.Add(new UnevaluatedItemsKeyword(loc, Compile(uiNode!)));
                unevaluated = true;
            }

            if (obj.TryGetPropertyValue("unevaluatedProperties", out JsonNode? upNode))
            {
                late.Add(new UnevaluatedPropertiesKeyword(loc, Compile(upNode!)));
                unevaluated = true;
            }
        }

        list.AddRange(late);
        result.SetKeywords(list.ToArray(), unevaluated);
    }

    private SchemaNode[] CompileArray(JsonNode? node, string location)
    {
        if (node is not JsonArray array || array.Count == 0)
        {
            throw new SchemaException($"The keyword at {location} must be a non-empty array of schemas.", location);
        }

        var result = new SchemaNode[array.Count];
        for (int i = 0; i < array.Count; i++)
        {
            result[i] = Compile(array[i]!);
        }

        return result;
    }

    private Regex GetRegex(string pattern, string location)
    {
        if (regexes.TryGetValue(pattern, out Regex? known))
        {
            return known;
        }

        Regex regex;
        try
        {
            regex = EcmaRegex.Create(pattern, options.RegexMatchTimeout);
        }
        catch (ArgumentException ex)
        {
            throw new SchemaException($"Invalid regular expression '{pattern}' at {location}: {ex.Message}", location, ex);
        }

        regexes[pattern] = regex;
        return regex;
    }

    private static TypeKeyword BuildType(JsonNode? node, string loc)
    {
        TypeSet set = TypeSet.None;
        var names = new List<string>();
        void Add(JsonNode? n)
        {
            string name = n is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : throw new SchemaException($"type at {loc} must be a type name or an array of type names.", loc + "/type");
            set |= name switch
            {
                "null" => TypeSet.Null,
                "boolean" => TypeSet.Boolean,
                "object" => TypeSet.Object,
                "array" => TypeSet.Array,
                "number" => TypeSet.Number,
                "string" => TypeSet.String,
                "integer" => TypeSet.Integer,
                _ => throw new SchemaException($"type at {loc} names an unknown type '{name}' (expected null, boolean, object, array, number, string or integer).", loc + "/type"),
            };
            names.Add(name);
        }

        if (node is JsonArray array)
        {
            foreach (JsonNode? item in array)
            {
                Add(item);
            }
        }
        else
        {
            Add(node);
        }

        return new TypeKeyword(loc, set, string.Join(" or ", names));
    }

    private static Num? ReadNum(JsonObject obj, string name, string loc)
    {
        if (!obj.TryGetPropertyValue(name, out JsonNode? node))
        {
            return null;
        }

        if (node is null || node.GetValueKind() != JsonValueKind.Number)
        {
            throw new SchemaException($"{name} at {loc} must be a number.", loc + "/" + name);
        }

        return Num.From(node);
    }

    private static void ReadExclusive(JsonObject obj, string name, string loc, NumberKeyword numbers, bool isMin)
    {
        if (!obj.TryGetPropertyValue(name, out JsonNode? node))
        {
            return;
        }

        JsonValueKind kind = JsonEquality.Kind(node);
        if (kind is JsonValueKind.True or JsonValueKind.False)
        {
            // draft 4: a boolean modifier of minimum/maximum
            if (kind == JsonValueKind.True)
            {
                if (isMin)
                {
                    numbers.ExclusiveMinimum = numbers.Minimum;
                    numbers.Minimum = null;
                }
                else
                {
                    numbers.ExclusiveMaximum = numbers.Maximum;
                    numbers.Maximum = null;
                }
            }

            return;
        }

        Num value = ReadNum(obj, name, loc)!.Value;
        if (isMin)
        {
            numbers.ExclusiveMinimum = value;
        }
        else
        {
            numbers.ExclusiveMaximum = value;
        }
    }

    private static int? ReadCount(JsonObject obj, string name, string loc)
    {
        if (!obj.TryGetPropertyValue(name, out JsonNode? node))
        {
            return null;
        }

        if (node is null || node.GetValueKind() != JsonValueKind.Number || !Num.From(node).IsInteger || Num.From(node).Dbl < 0)
        {
            throw new SchemaException($"{name} at {loc} must be a non-negative integer.", loc + "/" + name);
        }

        double value = Num.From(node).Dbl;
        return value >= int.MaxValue ? int.MaxValue : (int)value;
    }

    private static string RequireString(JsonNode? node, string location) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String
            ? v.GetValue<string>()
            : throw new SchemaException($"The keyword at {location} must be a string.", location);

    private static JsonObject RequireObject(JsonNode? node, string location) =>
        node as JsonObject ?? throw new SchemaException($"The keyword at {location} must be an object.", location);

    private static string[] ReadStringArray(JsonNode? node, string location)
    {
        if (node is not JsonArray array)
        {
            throw new SchemaException($"The keyword at {location} must be an array of strings.", location);
        }

        var result = new string[array.Count];
        for (int i = 0; i < array.Count; i++)
        {
            result[i] = RequireString(array[i], location + "/" + i.ToString(CultureInfo.InvariantCulture));
        }

        return result;
    }

    private static string Describe(JsonNode? node) => node is null ? "null" : node.GetValueKind() switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        _ => node.GetValueKind().ToString().ToLowerInvariant(),
    };

    private static string Truncate(string location) => location.Length > 200 ? location[..200] + "…" : location;

    private static Dictionary<string, string> LoadEmbeddedIndex()
    {
        var index = new Dictionary<string, string>(StringComparer.Ordinal);
        Assembly assembly = typeof(SchemaCompiler).Assembly;
        foreach (string name in assembly.GetManifestResourceNames())
        {
            if (!name.StartsWith("Platform.Charts.Schema.Metaschemas.", StringComparison.Ordinal))
            {
                continue;
            }

            using Stream stream = assembly.GetManifestResourceStream(name)!;
            using JsonDocument doc = JsonDocument.Parse(stream);
            if (doc.RootElement.TryGetProperty("$id", out JsonElement id) && id.ValueKind == JsonValueKind.String)
            {
                index[SchemaUri.Normalize(id.GetString()!)] = name;
            }
        }

        return index;
    }
}
