using System.Text.Json;
using System.Text.Json.Nodes;

namespace Platform.Charts.Forms.Internal;

/// <summary>Infers fields from the shape of default values (no schema), with descriptions from the values comments.</summary>
internal static class InferredFields
{
    public static List<FormField> Children(BuildContext ctx, JsonObject obj, IReadOnlyList<string> parent, int depth, ICollection<string>? skip, int firstOrder)
    {
        var list = new List<FormField>();
        int order = firstOrder;
        foreach (var (key, value) in obj)
        {
            if (skip is not null && skip.Contains(key))
            {
                continue;
            }

            list.Add(Field(ctx, [.. parent, key], value, depth, order++, isItem: false));
        }

        return list;
    }

    public static FormField Field(BuildContext ctx, IReadOnlyList<string> segs, JsonNode? value, int depth, int order, bool isItem)
    {
        string path = FormPath.Join(segs);
        ctx.CountField(path);
        string key = segs.Count > 0 ? segs[^1] : string.Empty;
        string kind = FormValues.KindOf(value);
        var field = new FormField
        {
            Path = path,
            Segments = segs,
            Label = ctx.Text("field." + path + ".label") ?? FormValues.Humanize(key == "[]" ? "item" : key),
            Description = ctx.Text("field." + path + ".description") ?? Describe(ctx, path),
            Widget = FormWidget.Yaml,
            Types = kind == "null" ? [] : [kind],
            Nullable = kind == "null",
            Order = order,
        };

        switch (value)
        {
            case JsonObject o when o.Count > 0 && FormValues.LooksLikeMap(key) && o.All(p => p.Value is JsonValue):
                field = field with { Widget = FormWidget.KeyValueMap };
                break;
            case JsonObject o when o.Count > 0 && depth < ctx.Options.MaxFieldDepth:
                field = field with { Widget = FormWidget.Group, Fields = Children(ctx, o, segs, depth + 1, null, 0) };
                break;
            case JsonObject o when o.Count > 0:
                ctx.Warn($"'{path}' nests deeper than {ctx.Options.MaxFieldDepth} levels; it is edited as YAML.");
                break;
            case JsonObject:
                field = field with { Widget = FormValues.LooksLikeMap(key) ? FormWidget.KeyValueMap : FormWidget.Yaml };
                break;
            case JsonArray a when a.Count > 0 && depth < ctx.Options.MaxFieldDepth:
                field = ListField(ctx, field, a, depth);
                break;
            case JsonValue v:
                field = field with { Widget = ScalarWidget(ctx, kind, key, v) };
                field = field with { IsSecret = field.Widget == FormWidget.Password };
                break;
        }

        return isItem ? field : ctx.WithValues(field, null, false);
    }

    private static FormField ListField(BuildContext ctx, FormField field, JsonArray a, int depth)
    {
        var itemSegs = field.Segments.Append("[]").ToArray();
        if (a.All(i => i is JsonObject))
        {
            var merged = new JsonObject();
            foreach (var item in a.OfType<JsonObject>())
            {
                foreach (var (k, v) in item)
                {
                    if (!merged.ContainsKey(k))
                    {
                        merged[k] = v?.DeepClone();
                    }
                }
            }

            var item0 = Field(ctx, itemSegs, merged, depth + 1, 0, isItem: true) with { Label = "Item" };
            return field with { Widget = FormWidget.ObjectList, Item = item0 };
        }

        if (a.All(i => i is JsonValue))
        {
            var item0 = Field(ctx, itemSegs, a[0], depth + 1, 0, isItem: true) with { Label = "Item" };
            return field with { Widget = FormWidget.List, Item = item0 };
        }

        return field;
    }

    private static FormWidget ScalarWidget(BuildContext ctx, string kind, string key, JsonValue v) => kind switch
    {
        "boolean" => FormWidget.Toggle,
        "integer" => FormWidget.Integer,
        "number" => FormWidget.Number,
        "string" when ctx.Options.DetectSecretsByName && FormValues.LooksSecret(key) => FormWidget.Password,
        "string" when v.GetValue<string>().Contains('\n', StringComparison.Ordinal) => FormWidget.TextArea,
        "string" => FormWidget.Text,
        _ => FormWidget.Yaml,
    };

    public static string? Describe(BuildContext ctx, string path) =>
        ctx.Comments.Descriptions.TryGetValue(path, out var d) ? d : null;

    public static JsonValueKind Kind(JsonElement e) => e.ValueKind;
}
