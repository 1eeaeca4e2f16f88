using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Platform.Charts.Forms.Internal;

/// <summary>Turns merged schema nodes into form fields.</summary>
internal sealed class SchemaFields
{
    private static readonly HashSet<string> ShapeKeywords = new(StringComparer.Ordinal)
    {
        "type", "properties", "items", "prefixItems", "enum", "const", "additionalProperties", "patternProperties", "$ref", "allOf", "oneOf", "anyOf",
    };

    private readonly BuildContext _ctx;
    private readonly SchemaDocument _doc;
    private readonly HashSet<string> _unresolved = new(StringComparer.Ordinal);

    public SchemaFields(BuildContext ctx, SchemaDocument doc)
    {
        _ctx = ctx;
        _doc = doc;
    }

    public SchemaNode Node(IEnumerable<SchemaPiece> pieces)
    {
        var node = SchemaNode.Build(_doc, pieces, _ctx.Options);
        foreach (var (reference, pointer) in node.UnresolvedRefs)
        {
            int hash = reference.IndexOf('#', StringComparison.Ordinal);
            string document = hash < 0 ? reference : reference[..hash];
            if (_unresolved.Add(document))
            {
                _ctx.Warn(document.Length == 0 || document == reference && hash >= 0
                    ? $"$ref '{reference}' at {pointer} does not resolve inside the schema; the form uses the rest of that schema."
                    : $"$refs into '{document}' (first at {pointer}) are not fetched; the form uses only the local part of those schemas.");
            }
        }

        return node;
    }

    public List<FormField> Root()
    {
        var root = Node([_doc.Root]);
        if (root.IsFalse)
        {
            throw new FormException($"{_doc.Source ?? "schema"}: the root schema is 'false'; it accepts no values, so no form can be built.", _doc.Source, "#");
        }

        return ObjectChildren(root, [], 0, ImmutableHashSet<string>.Empty.Union(root.RefKeys), ctxFields: true);
    }

    /// <summary>Finds the merged schema node at a values path (properties only), or null.</summary>
    public SchemaNode? Lookup(IReadOnlyList<string> segs)
    {
        var node = Node([_doc.Root]);
        foreach (var s in segs)
        {
            var next = node.Properties().FirstOrDefault(p => p.Name == s);
            if (next.Pieces is null)
            {
                return null;
            }

            node = Node(next.Pieces);
        }

        return node;
    }

    public List<FormField> ObjectChildren(SchemaNode node, IReadOnlyList<string> segs, int depth, ImmutableHashSet<string> ancestors, bool ctxFields)
    {
        string basePath = FormPath.Join(segs);
        var props = node.Properties();
        var required = node.Required();
        var requiredWhen = new Dictionary<string, List<FormCondition>>(StringComparer.Ordinal);
        var extra = new List<(string Name, List<SchemaPiece> Pieces, FormCondition? Visible)>();
        CollectConditionals(node, segs, extra, requiredWhen);

        var fields = new List<FormField>();
        int order = 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, pieces) in props)
        {
            seen.Add(name);
            var f = Field(Node(pieces), [.. segs, name], depth + 1, ancestors, required.Contains(name), order++);
            fields.Add(ApplyRequiredWhen(f, name, requiredWhen));
        }

        foreach (var group in extra.Where(e => !seen.Contains(e.Name)).GroupBy(e => e.Name, StringComparer.Ordinal))
        {
            seen.Add(group.Key);
            var pieces = group.SelectMany(g => g.Pieces).ToList();
            FormCondition? visible = group.Any(g => g.Visible is null) ? null : FormCondition.Any(group.Select(g => g.Visible!).ToArray());
            var f = Field(Node(pieces), [.. segs, group.Key], depth + 1, ancestors, required.Contains(group.Key), order++);
            if (visible is not null)
            {
                f = f with { VisibleWhen = f.VisibleWhen is null ? visible : FormCondition.All(visible, f.VisibleWhen) };
            }
            fields.Add(ApplyRequiredWhen(f, group.Key, requiredWhen));
        }

        bool closed = node.Get("additionalProperties") is { ValueKind: JsonValueKind.False }
            || node.Get("unevaluatedProperties") is { ValueKind: JsonValueKind.False };
        if (_ctx.Options.IncludeValuesNotInSchema && !closed && node.Get("patternProperties") is null
            && FormPath.TryGet(_ctx.Defaults, segs, out var defaults) && defaults is JsonObject obj)
        {
            var addl = node.Sub("additionalProperties");
            foreach (var (key, value) in obj)
            {
                if (seen.Contains(key))
                {
                    continue;
                }

                if (addl is { Element.ValueKind: JsonValueKind.Object } a)
                {
                    fields.Add(Field(Node([a]), [.. segs, key], depth + 1, ancestors, false, order++));
                }
                else
                {
                    fields.Add(InferredFields.Field(_ctx, [.. segs, key], value, depth + 1, order++, isItem: false));
                }
            }
        }

        _ = basePath;
        _ = ctxFields;
        return fields;
    }

    public FormField Field(SchemaNode n, IReadOnlyList<string> segs, int depth, ImmutableHashSet<string> ancestors, bool required, int order, bool isItem = false, bool ignoreAlternatives = false)
    {
        string path = FormPath.Join(segs);
        _ctx.CountField(path);
        string key = segs.Count > 0 ? segs[^1] : string.Empty;
        bool recursive = n.RefKeys.Overlaps(ancestors);
        var inner = ancestors.Union(n.RefKeys);

        JsonNode? defNode = null;
        bool hasDef = !isItem && FormPath.TryGet(_ctx.Defaults, segs, out defNode);
        JsonNode? schemaDefault = n.Get("default") is JsonElement sd ? FormValues.ToNode(sd) : null;
        JsonNode? sample = hasDef ? defNode : schemaDefault;

        string? title = n.GetString("title");
        string label = _ctx.Text("field." + path + ".label") ?? title ?? FormValues.Humanize(key == "[]" ? "item" : key);
        string? description = _ctx.Text("field." + path + ".description") ?? n.GetString("description") ?? InferredFields.Describe(_ctx, path);

        var types = n.Types();
        bool nullable = types.Remove("null");
        var field = new FormField
        {
            Path = path,
            Segments = segs,
            Label = label,
            Description = description,
            Widget = FormWidget.Yaml,
            Required = required,
            Order = order,
            ReadOnly = n.GetBool("readOnly"),
            Deprecated = n.GetBool("deprecated"),
            Examples = n.Get("examples") is { ValueKind: JsonValueKind.Array } ex ? ex.EnumerateArray().Select(e => e.Clone()).ToArray() : [],
            Constraints = Constraints(n),
        };

        if (n.Get("form") is { ValueKind: JsonValueKind.True or JsonValueKind.String })
        {
            _ctx.HasBasicHints = true;
            field = field with { Basic = true };
        }

        if (n.Get("hidden") is JsonElement hidden && KubeappsHidden(hidden) is FormCondition hideWhen)
        {
            field = field with { VisibleWhen = FormCondition.Not(hideWhen) };
        }

        if (!ignoreAlternatives)
        {
            var alternatives = n.SubList("oneOf");
            if (alternatives.Count == 0)
            {
                alternatives = n.SubList("anyOf");
            }

            if (alternatives.Count > 0 && Alternatives(n, alternatives, field, types, ref nullable, segs, depth, ancestors, isItem) is FormField choice)
            {
                return Finish(choice with { Nullable = choice.Nullable || nullable }, schemaDefault, isItem);
            }
        }

        // Enumerations and constants.
        var options = Options(n, ref nullable);
        if (n.Get("const") is JsonElement c)
        {
            field = field with { ReadOnly = true, Options = [new FormOption(c.Clone(), Display(c))] };
        }

        if (types.Count == 0)
        {
            types = InferTypes(n, options, sample);
        }

        field = field with { Types = types, Nullable = nullable };
        string? render = n.GetString("render");
        string single = types.Count == 1 ? types[0] : types.All(t => t is "integer" or "number") && types.Count > 0 ? "number" : types.Count > 1 ? "mixed" : "none";
        if (types.Count > 1 && single == "mixed" && types.All(t => t is "string" or "integer" or "number" or "boolean"))
        {
            single = "string";
        }

        if (options.Count > 0 && single != "array")
        {
            field = field with { Widget = FormWidget.Select, Options = options };
            return Finish(field, schemaDefault, isItem);
        }

        switch (single)
        {
            case "boolean":
                field = field with { Widget = FormWidget.Toggle };
                break;
            case "integer":
            case "number":
                field = field with { Widget = render == "slider" ? FormWidget.Slider : single == "integer" ? FormWidget.Integer : FormWidget.Number };
                break;
            case "string":
                field = StringField(n, field, key, render, sample);
                break;
            case "object":
                field = ObjectField(n, field, key, sample, depth, inner, recursive, isItem);
                break;
            case "array":
                field = ArrayField(n, field, sample, depth, inner, recursive);
                break;
        }

        if (field.Widget == FormWidget.Slider)
        {
            field = field with
            {
                Slider = new FormSlider(n.GetNumber("sliderMin") ?? n.GetNumber("minimum"), n.GetNumber("sliderMax") ?? n.GetNumber("maximum"), n.GetNumber("sliderStep"), n.GetString("sliderUnit")),
            };
        }

        return Finish(field, schemaDefault, isItem);
    }

    private FormField Finish(FormField field, JsonNode? schemaDefault, bool isItem)
    {
        if (isItem)
        {
            return field with { Default = field.IsSecret || schemaDefault is null ? null : FormValues.ToElement(schemaDefault) };
        }

        var withValues = _ctx.WithValues(field, schemaDefault, schemaDefault is not null);
        if (withValues.Choices.Count > 0)
        {
            withValues = withValues with { SelectedChoice = SelectChoice(withValues) };
        }

        return withValues;
    }

    private static int? SelectChoice(FormField f)
    {
        JsonElement? value = f.Current ?? f.Default;
        if (value is not JsonElement v)
        {
            return null;
        }

        string kind = FormValues.KindOf(v);
        foreach (var choice in f.Choices)
        {
            var cf = choice.Field;
            if (cf.Options.Count > 0 && !cf.Options.Any(o => JsonElement.DeepEquals(o.Value, v)))
            {
                continue;
            }

            if (cf.Types.Count > 0 && !cf.Types.Contains(kind) && !(kind == "integer" && cf.Types.Contains("number")))
            {
                continue;
            }

            if (kind == "object" && cf.Fields.Any(x => x.Required && !v.TryGetProperty(x.Key, out _)))
            {
                continue;
            }

            return choice.Index;
        }

        return null;
    }

    private FormField? Alternatives(SchemaNode n, List<SchemaPiece> alternatives, FormField field, List<string> types, ref bool nullable, IReadOnlyList<string> segs, int depth, ImmutableHashSet<string> ancestors, bool isItem)
    {
        var nodes = new List<(SchemaPiece Piece, SchemaNode Node)>();
        foreach (var a in alternatives)
        {
            var an = Node([a]);
            var at = an.Types();
            if (at.Count == 1 && at[0] == "null" && an.Get("properties") is null)
            {
                nullable = true;
                continue;
            }

            if (!an.Pieces.Any(p => p.Element.EnumerateObject().Any(k => ShapeKeywords.Contains(k.Name))))
            {
                continue; // only "required" or annotations: it constrains, it does not shape the form
            }

            nodes.Add((a, an));
        }

        if (nodes.Count == 0)
        {
            return null;
        }

        // Every alternative a constant: a select.
        if (nodes.All(x => x.Node.Get("const") is not null || x.Node.Get("enum") is { ValueKind: JsonValueKind.Array }))
        {
            var opts = new List<FormOption>();
            foreach (var (_, an) in nodes)
            {
                if (an.Get("const") is JsonElement c)
                {
                    opts.Add(new FormOption(c.Clone(), an.GetString("title") ?? Display(c)));
                }
                else
                {
                    bool ignored = false;
                    opts.AddRange(Options(an, ref ignored));
                }
            }

            var kinds = opts.Select(o => FormValues.KindOf(o.Value)).Where(k => k != "null").Distinct().ToList();
            return field with { Widget = FormWidget.Select, Options = opts, Types = types.Count > 0 ? types : kinds, Nullable = nullable };
        }

        // Every alternative just a type: one field accepting the union.
        if (nodes.All(x => x.Node.Get("properties") is null && x.Node.Get("items") is null && x.Node.Get("additionalProperties") is null && x.Node.Types().Count > 0))
        {
            if (nodes.Count == 1)
            {
                var merged = Node(n.Pieces.Append(nodes[0].Piece));
                return Field(merged, segs, depth, ancestors, field.Required, field.Order, isItem, ignoreAlternatives: true) with { VisibleWhen = field.VisibleWhen, Basic = field.Basic };
            }

            var union = nodes.SelectMany(x => x.Node.Types()).Where(t => t != "null").Distinct().ToList();
            if (types.Count == 0 && union.All(t => t is "string" or "integer" or "number" or "boolean"))
            {
                var widget = union.All(t => t is "integer" or "number") ? (union.Contains("number") ? FormWidget.Number : FormWidget.Integer) : FormWidget.Text;
                return field with { Widget = widget, Types = union, Nullable = nullable };
            }

            if (types.Count == 0)
            {
                return field with { Widget = FormWidget.Yaml, Types = union, Nullable = nullable };
            }

            return null;
        }

        var choices = new List<FormChoice>();
        int i = 0;
        foreach (var (piece, an) in nodes)
        {
            var merged = Node(n.Pieces.Append(piece));
            var cf = Field(merged, segs, depth, ancestors, field.Required, field.Order, isItem: true, ignoreAlternatives: true) with { Label = field.Label, Description = an.GetString("description") ?? field.Description };
            string choiceLabel = _ctx.Text("choice." + field.Path + "." + i) ?? an.GetString("title") ?? DescribeShape(cf);
            choices.Add(new FormChoice(i++, choiceLabel, cf));
        }

        return field with { Widget = FormWidget.Choice, Choices = choices, Types = types, Nullable = nullable };
    }

    private static string DescribeShape(FormField f)
    {
        if (f.Widget == FormWidget.Group && f.Fields.Count > 0)
        {
            return "Object with " + string.Join(", ", f.Fields.Take(4).Select(x => x.Key)) + (f.Fields.Count > 4 ? ", …" : string.Empty);
        }

        return f.Types.Count > 0 ? FormValues.Humanize(string.Join(" or ", f.Types)) : f.Widget.ToString();
    }

    private FormField StringField(SchemaNode n, FormField field, string key, string? render, JsonNode? sample)
    {
        string? format = n.GetString("format");
        bool secret = n.GetBool("writeOnly") || format == "password"
            || (_ctx.Options.DetectSecretsByName && FormValues.LooksSecret(key) && render is null);
        if (secret)
        {
            return field with { Widget = FormWidget.Password, IsSecret = true };
        }

        if (render == "slider")
        {
            return field with { Widget = FormWidget.Slider };
        }

        bool multiline = render is "textArea" or "textarea" || format is "textarea" || n.GetString("contentMediaType") is not null
            || (sample is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().Contains('\n', StringComparison.Ordinal));
        return field with { Widget = multiline ? FormWidget.TextArea : FormWidget.Text };
    }

    private FormField ObjectField(SchemaNode n, FormField field, string key, JsonNode? sample, int depth, ImmutableHashSet<string> inner, bool recursive, bool isItem)
    {
        bool hasShape = n.Get("properties") is not null || n.Get("if") is not null || n.Get("dependentSchemas") is not null
            || (n.Get("dependencies") is { ValueKind: JsonValueKind.Object } deps && deps.EnumerateObject().Any(p => p.Value.ValueKind == JsonValueKind.Object));
        var addl = n.Sub("additionalProperties");
        var pattern = n.Get("patternProperties");
        SchemaNode? valueNode = addl is { Element.ValueKind: JsonValueKind.Object } a ? Node([a])
            : pattern is { ValueKind: JsonValueKind.Object } pp && pp.EnumerateObject().FirstOrDefault() is { Value.ValueKind: JsonValueKind.Object } first
                ? Node([new SchemaPiece(first.Value, n.Pieces[0].Base, n.Pointer + "/patternProperties")]) : null;
        bool scalarMap = false;
        if (valueNode is not null)
        {
            var vt = valueNode.Types();
            vt.Remove("null");
            scalarMap = vt.Count > 0 && vt.All(t => t is "string" or "integer" or "number" or "boolean") && valueNode.Get("properties") is null;
        }

        if (!hasShape && scalarMap)
        {
            return field with { Widget = FormWidget.KeyValueMap };
        }

        if (!hasShape && valueNode is null && FormValues.LooksLikeMap(key) && sample is JsonObject { Count: > 0 } map && map.All(p => p.Value is JsonValue))
        {
            return field with { Widget = FormWidget.KeyValueMap };
        }

        bool inferable = !isItem && _ctx.Options.IncludeValuesNotInSchema && !scalarMap && sample is JsonObject { Count: > 0 };
        if (hasShape || inferable)
        {
            if (recursive)
            {
                _ctx.Warn($"'{field.Path}' refers back to an enclosing schema (recursive $ref); it is edited as YAML.");
                return field with { Widget = FormWidget.Yaml, Recursive = true };
            }

            if (depth >= _ctx.Options.MaxFieldDepth)
            {
                _ctx.Warn($"'{field.Path}' nests deeper than {_ctx.Options.MaxFieldDepth} levels; it is edited as YAML.");
                return field with { Widget = FormWidget.Yaml };
            }

            var children = ObjectChildren(n, field.Segments, depth, inner, ctxFields: false);
            if (children.Count > 0 || hasShape)
            {
                return field with { Widget = FormWidget.Group, Fields = children };
            }
        }

        if (valueNode is not null)
        {
            return field with { Widget = FormWidget.Yaml };
        }

        return field with { Widget = FormValues.LooksLikeMap(key) ? FormWidget.KeyValueMap : FormWidget.Yaml };
    }

    private FormField ArrayField(SchemaNode n, FormField field, JsonNode? sample, int depth, ImmutableHashSet<string> inner, bool recursive)
    {
        var items = n.Sub("items");
        if (items is null && n.Get("items") is { ValueKind: JsonValueKind.Array })
        {
            return field with { Widget = FormWidget.Yaml }; // draft-7 tuple form
        }

        var itemSegs = field.Segments.Append("[]").ToArray();
        if (items is null || items.Value.Element.ValueKind != JsonValueKind.Object)
        {
            if (sample is JsonArray { Count: > 0 } arr && depth < _ctx.Options.MaxFieldDepth)
            {
                var inferred = InferredFields.Field(_ctx, field.Segments, arr, depth, field.Order, isItem: true);
                return field with { Widget = inferred.Widget, Item = inferred.Item };
            }

            return field with { Widget = FormWidget.Yaml };
        }

        var itemNode = Node([items.Value]);
        bool ignored = false;
        var itemOptions = Options(itemNode, ref ignored);
        if (itemOptions.Count > 0)
        {
            return field with { Widget = FormWidget.MultiSelect, Options = itemOptions };
        }

        if (recursive || depth >= _ctx.Options.MaxFieldDepth)
        {
            if (recursive)
            {
                _ctx.Warn($"'{field.Path}' refers back to an enclosing schema (recursive $ref); it is edited as YAML.");
            }

            return field with { Widget = FormWidget.Yaml, Recursive = recursive };
        }

        var item = Field(itemNode, itemSegs, depth + 1, inner, false, 0, isItem: true) with { Label = _ctx.Text("field." + field.Path + "[].label") ?? itemNode.GetString("title") ?? "Item" };
        var widget = item.Widget switch
        {
            FormWidget.Group or FormWidget.KeyValueMap => FormWidget.ObjectList,
            FormWidget.Choice when item.Choices.Any(c => c.Field.Widget is FormWidget.Group or FormWidget.KeyValueMap) => FormWidget.ObjectList,
            FormWidget.Yaml or FormWidget.Choice or FormWidget.ObjectList or FormWidget.List or FormWidget.MultiSelect => item.Types.Contains("object") ? FormWidget.ObjectList : FormWidget.Yaml,
            _ => FormWidget.List,
        };
        return field with { Widget = widget, Item = item };
    }

    private static List<string> InferTypes(SchemaNode n, List<FormOption> options, JsonNode? sample)
    {
        if (options.Count > 0)
        {
            return options.Select(o => FormValues.KindOf(o.Value)).Where(k => k != "null").Distinct().ToList();
        }

        if (n.Get("const") is JsonElement c)
        {
            return [FormValues.KindOf(c)];
        }

        if (n.Get("properties") is not null || n.Get("additionalProperties") is { ValueKind: JsonValueKind.Object } || n.Get("patternProperties") is not null)
        {
            return ["object"];
        }

        if (n.Get("items") is not null)
        {
            return ["array"];
        }

        if (n.Get("minLength") is not null || n.Get("maxLength") is not null || n.Get("pattern") is not null)
        {
            return ["string"];
        }

        string kind = FormValues.KindOf(sample);
        return kind == "null" ? [] : [kind];
    }

    private static List<FormOption> Options(SchemaNode n, ref bool nullable)
    {
        var list = new List<FormOption>();
        if (n.Get("enum") is { ValueKind: JsonValueKind.Array } e)
        {
            foreach (var v in e.EnumerateArray())
            {
                if (v.ValueKind == JsonValueKind.Null)
                {
                    nullable = true;
                    continue;
                }

                list.Add(new FormOption(v.Clone(), Display(v)));
            }
        }

        return list;
    }

    private static string Display(JsonElement v) => v.ValueKind == JsonValueKind.String ? v.GetString()! : v.GetRawText();

    private static FormConstraints Constraints(SchemaNode n)
    {
        decimal? exMin = n.Get("exclusiveMinimum") is { ValueKind: JsonValueKind.Number } emn && emn.TryGetDecimal(out var d1) ? d1 : null;
        decimal? exMax = n.Get("exclusiveMaximum") is { ValueKind: JsonValueKind.Number } emx && emx.TryGetDecimal(out var d2) ? d2 : null;
        decimal? min = n.GetNumber("minimum");
        decimal? max = n.GetNumber("maximum");
        if (n.Get("exclusiveMinimum") is { ValueKind: JsonValueKind.True } && min is not null)
        {
            (exMin, min) = (min, null);
        }

        if (n.Get("exclusiveMaximum") is { ValueKind: JsonValueKind.True } && max is not null)
        {
            (exMax, max) = (max, null);
        }

        var c = new FormConstraints
        {
            Minimum = min,
            Maximum = max,
            ExclusiveMinimum = exMin,
            ExclusiveMaximum = exMax,
            MultipleOf = n.GetNumber("multipleOf"),
            MinLength = n.GetInt("minLength"),
            MaxLength = n.GetInt("maxLength"),
            Pattern = n.GetString("pattern"),
            MinItems = n.GetInt("minItems") ?? n.GetInt("minProperties"),
            MaxItems = n.GetInt("maxItems") ?? n.GetInt("maxProperties"),
            UniqueItems = n.GetBool("uniqueItems"),
            Format = n.GetString("format"),
        };
        return c == FormConstraints.None ? FormConstraints.None : c;
    }

    private static FormField ApplyRequiredWhen(FormField f, string name, Dictionary<string, List<FormCondition>> requiredWhen)
    {
        if (!requiredWhen.TryGetValue(name, out var conds) || f.Required)
        {
            return f;
        }

        return f with { RequiredWhen = FormCondition.Any(conds.ToArray()) };
    }

    private void CollectConditionals(SchemaNode node, IReadOnlyList<string> segs, List<(string, List<SchemaPiece>, FormCondition?)> extra, Dictionary<string, List<FormCondition>> requiredWhen)
    {
        foreach (var (ifEl, piece) in node.All("if"))
        {
            var ifPiece = new SchemaPiece(ifEl, piece.Base, piece.Pointer + "/if");
            var cond = IfCondition(Node([ifPiece]), segs);
            if (cond is null)
            {
                _ctx.Warn($"the 'if' at {piece.Pointer} tests more than property values; its then/else fields are shown without a condition.");
            }

            AddBranch(piece, "then", cond, segs, extra, requiredWhen);
            AddBranch(piece, "else", cond is null ? null : FormCondition.Not(cond), segs, extra, requiredWhen);
        }

        foreach (var (deps, piece) in node.All("dependentSchemas").Concat(node.All("dependencies")))
        {
            if (deps.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            foreach (var dep in deps.EnumerateObject())
            {
                var present = FormCondition.Present(FormPath.Join([.. segs, dep.Name]));
                if (dep.Value.ValueKind == JsonValueKind.Array)
                {
                    foreach (var r in dep.Value.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.String))
                    {
                        Add(requiredWhen, r.GetString()!, present);
                    }
                }
                else if (dep.Value.ValueKind == JsonValueKind.Object)
                {
                    var sub = Node([new SchemaPiece(dep.Value, piece.Base, piece.Pointer + "/dependentSchemas/" + SchemaNode.Escape(dep.Name))]);
                    foreach (var (name, pieces) in sub.Properties())
                    {
                        extra.Add((name, pieces, present));
                    }

                    foreach (var r in sub.Required())
                    {
                        Add(requiredWhen, r, present);
                    }
                }
            }
        }

        foreach (var (dr, _) in node.All("dependentRequired"))
        {
            if (dr.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            foreach (var dep in dr.EnumerateObject().Where(d => d.Value.ValueKind == JsonValueKind.Array))
            {
                var present = FormCondition.Present(FormPath.Join([.. segs, dep.Name]));
                foreach (var r in dep.Value.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.String))
                {
                    Add(requiredWhen, r.GetString()!, present);
                }
            }
        }
    }

    private void AddBranch(SchemaPiece owner, string keyword, FormCondition? cond, IReadOnlyList<string> segs, List<(string, List<SchemaPiece>, FormCondition?)> extra, Dictionary<string, List<FormCondition>> requiredWhen)
    {
        if (!owner.Element.TryGetProperty(keyword, out var branch) || branch.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        var node = Node([new SchemaPiece(branch, owner.Base, owner.Pointer + "/" + keyword)]);
        foreach (var (name, pieces) in node.Properties())
        {
            extra.Add((name, pieces, cond));
        }

        if (cond is not null)
        {
            foreach (var r in node.Required())
            {
                Add(requiredWhen, r, cond);
            }
        }
    }

    private static void Add(Dictionary<string, List<FormCondition>> map, string key, FormCondition c)
    {
        if (!map.TryGetValue(key, out var list))
        {
            map[key] = list = [];
        }

        list.Add(c);
    }

    /// <summary>Turns an <c>if</c> made of property <c>const</c>/<c>enum</c> tests and <c>required</c> into a condition; null when it tests anything else.</summary>
    private FormCondition? IfCondition(SchemaNode ifNode, IReadOnlyList<string> segs)
    {
        var parts = new List<FormCondition>();
        var required = ifNode.Required();
        foreach (var piece in ifNode.Pieces)
        {
            foreach (var kw in piece.Element.EnumerateObject())
            {
                if (kw.Name is not ("properties" or "required" or "type" or "$comment" or "description" or "title"))
                {
                    return null;
                }
            }
        }

        foreach (var (name, pieces) in ifNode.Properties())
        {
            string path = FormPath.Join([.. segs, name]);
            var pn = Node(pieces);
            FormCondition? test = null;
            if (pn.Get("const") is JsonElement c)
            {
                test = FormCondition.Equal(path, c);
            }
            else if (pn.Get("enum") is { ValueKind: JsonValueKind.Array } e)
            {
                test = FormCondition.In(path, e.EnumerateArray().ToArray());
            }
            else
            {
                return null;
            }

            parts.Add(required.Contains(name) ? test : FormCondition.Any(FormCondition.Not(FormCondition.Present(path)), test));
        }

        foreach (var r in required.Where(r => !ifNode.Properties().Any(p => p.Name == r)))
        {
            parts.Add(FormCondition.Present(FormPath.Join([.. segs, r])));
        }

        return parts.Count == 0 ? null : FormCondition.All(parts.ToArray());
    }

    /// <summary>Reads a Kubeapps <c>hidden</c> hint into the condition that hides the field.</summary>
    internal static FormCondition? KubeappsHidden(JsonElement hidden)
    {
        switch (hidden.ValueKind)
        {
            case JsonValueKind.String:
                return FormCondition.Truthy(KubeappsPath(hidden.GetString()!));
            case JsonValueKind.Object:
                if (hidden.TryGetProperty("conditions", out var conds) && conds.ValueKind == JsonValueKind.Array)
                {
                    var list = conds.EnumerateArray().Select(KubeappsHidden).Where(c => c is not null).Select(c => c!).ToArray();
                    if (list.Length == 0)
                    {
                        return null;
                    }

                    string op = hidden.TryGetProperty("operator", out var o) && o.ValueKind == JsonValueKind.String ? o.GetString()!.ToLowerInvariant() : "and";
                    return op switch
                    {
                        "or" => FormCondition.Any(list),
                        "nor" => FormCondition.Not(FormCondition.Any(list)),
                        _ => FormCondition.All(list),
                    };
                }

                if (hidden.TryGetProperty("path", out var p) && p.ValueKind == JsonValueKind.String)
                {
                    return hidden.TryGetProperty("value", out var v) ? FormCondition.Equal(KubeappsPath(p.GetString()!), v) : FormCondition.Truthy(KubeappsPath(p.GetString()!));
                }

                // The early documented form: {"value": "ingress.enabled", "condition": false}.
                if (hidden.TryGetProperty("value", out var legacy) && legacy.ValueKind == JsonValueKind.String && hidden.TryGetProperty("condition", out var cv))
                {
                    return FormCondition.Equal(KubeappsPath(legacy.GetString()!), cv);
                }

                return null;
            default:
                return null;
        }
    }

    private static string KubeappsPath(string path) =>
        path.Contains('/', StringComparison.Ordinal) ? FormPath.Join(path.Trim('/').Split('/')) : path;
}
