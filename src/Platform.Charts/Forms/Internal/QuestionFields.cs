using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Platform.Charts.Forms.Internal;

/// <summary>Reads a Rancher <c>questions.yaml</c> into form fields.</summary>
internal static class QuestionFields
{
    public static List<FormField> Read(BuildContext ctx, JsonNode? document, SchemaFields? schema, string source)
    {
        if (document is not JsonObject root)
        {
            throw new FormException($"{source}: expected a mapping with a 'questions' list, but the document is {(document is null ? "empty" : "a " + FormValues.KindOf(document))}.", source);
        }

        if (!root.TryGetPropertyValue("questions", out var qs) || qs is not JsonArray list)
        {
            throw new FormException($"{source}: expected a 'questions' list at the top level.", source, "questions");
        }

        ctx.HasBasicHints = true;
        var fields = new List<FormField>();
        int i = 0;
        foreach (var q in list)
        {
            fields.Add(Question(ctx, q, schema, source, $"questions[{i}]", i, null, 0));
            i++;
        }

        return fields;
    }

    private static FormField Question(BuildContext ctx, JsonNode? node, SchemaFields? schema, string source, string where, int order, FormCondition? parentVisible, int depth)
    {
        if (depth > ctx.Options.MaxFieldDepth)
        {
            throw new FormException($"{source}: {where} nests subquestions deeper than {ctx.Options.MaxFieldDepth} levels.", source, where);
        }

        if (node is not JsonObject q)
        {
            throw new FormException($"{source}: {where} must be a mapping with at least 'variable'.", source, where);
        }

        string? variable = Str(q, "variable");
        if (string.IsNullOrWhiteSpace(variable))
        {
            throw new FormException($"{source}: {where} has no 'variable'; expected the values path the answer is written to.", source, where);
        }

        var segs = variable.Split('.');
        string path = FormPath.Join(segs);
        ctx.CountField(path);
        string type = (Str(q, "type") ?? "string").Trim().ToLowerInvariant();
        SchemaNode? sn = schema?.Lookup(segs);
        FormField? fromSchema = sn is null ? null : schema!.Field(sn, segs, segs.Length, System.Collections.Immutable.ImmutableHashSet<string>.Empty, false, order, isItem: true);

        var widget = type switch
        {
            "boolean" or "bool" => FormWidget.Toggle,
            "int" or "integer" => FormWidget.Integer,
            "float" or "number" => FormWidget.Number,
            "enum" => FormWidget.Select,
            "password" => FormWidget.Password,
            "multiline" => FormWidget.TextArea,
            _ => FormWidget.Text,
        };
        string valueType = widget switch
        {
            FormWidget.Toggle => "boolean",
            FormWidget.Integer => "integer",
            FormWidget.Number => "number",
            _ => "string",
        };

        var options = new List<FormOption>();
        if (q["options"] is JsonArray opts)
        {
            foreach (var o in opts)
            {
                var el = FormValues.ToElement(o);
                options.Add(new FormOption(el, el.ValueKind == JsonValueKind.String ? el.GetString()! : el.GetRawText()));
            }
        }

        var baseConstraints = fromSchema?.Constraints ?? FormConstraints.None;
        var constraints = baseConstraints with
        {
            Minimum = Num(q, "min") ?? baseConstraints.Minimum,
            Maximum = Num(q, "max") ?? baseConstraints.Maximum,
            MinLength = (int?)Num(q, "min_length") ?? baseConstraints.MinLength,
            MaxLength = (int?)Num(q, "max_length") ?? baseConstraints.MaxLength,
            Pattern = CharsPattern(Str(q, "valid_chars"), Str(q, "invalid_chars")) ?? baseConstraints.Pattern,
            Format = type is "hostname" or "storageclass" or "pvc" or "secret" or "cloudcredential" or "namespace" ? type : baseConstraints.Format,
        };
        if (constraints == FormConstraints.None)
        {
            constraints = FormConstraints.None;
        }

        FormCondition? visible = parentVisible;
        if (Str(q, "show_if") is { Length: > 0 } showIf)
        {
            var own = ShowIf(showIf);
            visible = visible is null ? own : FormCondition.All(visible, own);
        }

        string? group = Str(q, "group");
        if (parentVisible is null)
        {
            ctx.AddGroup(group);
        }

        var field = new FormField
        {
            Path = path,
            Segments = segs,
            Label = ctx.Text("field." + path + ".label") ?? Str(q, "label") ?? fromSchema?.Label ?? FormValues.Humanize(segs[^1]),
            Description = ctx.Text("field." + path + ".description") ?? Str(q, "description") ?? fromSchema?.Description ?? InferredFields.Describe(ctx, path),
            Widget = widget,
            Types = [valueType],
            Required = q["required"] is JsonValue r && (r.GetValueKind() == JsonValueKind.True || (r.GetValueKind() == JsonValueKind.String && r.GetValue<string>() == "true")),
            Constraints = constraints,
            Options = options.Count > 0 ? options : fromSchema?.Options ?? [],
            IsSecret = widget == FormWidget.Password,
            Group = parentVisible is null ? group : null,
            Order = order,
            Basic = true,
            VisibleWhen = visible,
            Nullable = fromSchema?.Nullable ?? false,
            ReadOnly = fromSchema?.ReadOnly ?? false,
            Deprecated = fromSchema?.Deprecated ?? false,
            Examples = fromSchema?.Examples ?? [],
        };

        if (q["subquestions"] is JsonArray subs)
        {
            var condition = FormCondition.In(path, Typed(q["show_subquestion_if"], valueType));
            var subVisible = visible is null ? condition : FormCondition.All(visible, condition);
            var children = new List<FormField>();
            int j = 0;
            foreach (var sub in subs)
            {
                children.Add(Question(ctx, sub, schema, source, $"{where}.subquestions[{j}]", j, subVisible, depth + 1));
                j++;
            }

            field = field with { Fields = children };
        }

        JsonNode? qDefault = q.TryGetPropertyValue("default", out var d) && d is not null ? TypedOne(d, valueType) : null;
        return ctx.WithValues(field, qDefault, qDefault is not null);
    }

    /// <summary>Parses <c>a=b&amp;&amp;c=d||e!=f</c> (&amp;&amp; binds tighter than ||).</summary>
    internal static FormCondition ShowIf(string expression)
    {
        var any = new List<FormCondition>();
        foreach (var alt in expression.Split("||"))
        {
            var all = new List<FormCondition>();
            foreach (var term in alt.Split("&&"))
            {
                string t = term.Trim();
                bool negate = false;
                int eq = t.IndexOf("!=", StringComparison.Ordinal);
                if (eq >= 0)
                {
                    negate = true;
                }
                else
                {
                    eq = t.IndexOf('=', StringComparison.Ordinal);
                }

                if (eq < 0)
                {
                    all.Add(FormCondition.Truthy(FormPath.Join(t.Split('.'))));
                    continue;
                }

                string path = FormPath.Join(t[..eq].Trim().Split('.'));
                string raw = t[(eq + (negate ? 2 : 1))..].Trim().Trim('"', '\'');
                var c = FormCondition.In(path, Typed(JsonValue.Create(raw), "auto"));
                all.Add(negate ? FormCondition.Not(c) : c);
            }

            any.Add(FormCondition.All(all.ToArray()));
        }

        return FormCondition.Any(any.ToArray());
    }

    /// <summary>Gets the accepted value for a Rancher comparison, typed as Helm would read the answer.</summary>
    private static JsonElement[] Typed(JsonNode? raw, string valueType)
    {
        if (raw is null)
        {
            return [FormValues.ToElement(JsonValue.Create(true))];
        }

        // Helm reads answers typed ("true" becomes a boolean), so the typed value is what the values hold.
        return [FormValues.ToElement(TypedOne(raw, valueType))];
    }

    private static JsonNode? TypedOne(JsonNode raw, string valueType)
    {
        if (raw is not JsonValue v || v.GetValueKind() != JsonValueKind.String)
        {
            return raw.DeepClone();
        }

        string s = v.GetValue<string>();
        if ((valueType is "boolean" or "auto") && bool.TryParse(s, out bool b))
        {
            return JsonValue.Create(b);
        }

        if ((valueType is "integer" or "auto") && long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out long l))
        {
            return JsonValue.Create(l);
        }

        if (valueType == "number" && decimal.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out decimal m))
        {
            return JsonValue.Create(m);
        }

        return JsonValue.Create(s);
    }

    private static string? CharsPattern(string? valid, string? invalid)
    {
        if (!string.IsNullOrEmpty(valid))
        {
            return "^[" + Escape(valid) + "]*$";
        }

        return string.IsNullOrEmpty(invalid) ? null : "^[^" + Escape(invalid) + "]*$";
    }

    private static string Escape(string chars)
    {
        // Rancher writes valid_chars either as a character class body ("a-z0-9") or as a regex; keep it as a class body.
        if (chars.StartsWith('[') && chars.EndsWith(']'))
        {
            chars = chars[1..^1];
        }

        return chars.Replace("]", "\\]", StringComparison.Ordinal);
    }

    private static string? Str(JsonObject q, string key) => q[key] switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v => v.ToJsonString(),
        _ => null,
    };

    private static decimal? Num(JsonObject q, string key) => q[key] switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.Number && decimal.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var n) => n,
        JsonValue v when v.GetValueKind() == JsonValueKind.String && decimal.TryParse(v.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        _ => null,
    };

    internal static bool IsValidPattern(string pattern)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromMilliseconds(100));
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
