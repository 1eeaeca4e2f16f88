using System.Text.Json;
using System.Text.Json.Nodes;

namespace Platform.Charts.Forms;

/// <summary>
/// Exports a <see cref="FormModel"/> as the UI schema of two common form libraries, so a portal built on them
/// renders the chart's own schema with our widgets, labels, order, groups and conditions.
/// All members are thread-safe; every call returns a new tree the caller owns.
/// </summary>
/// <remarks>
/// <para>react-jsonschema-form (<see cref="ToReactJsonSchemaForm"/>): a <c>uiSchema</c> mirroring the values tree, with
/// <c>ui:widget</c> (<c>textarea</c>, <c>password</c>, <c>updown</c>, <c>range</c>, <c>checkbox</c>, <c>select</c>,
/// <c>checkboxes</c>), <c>ui:title</c>, <c>ui:help</c>, <c>ui:placeholder</c> (first example), <c>ui:order</c> (ending
/// with <c>*</c>), <c>ui:readonly</c>, <c>ui:options</c> (<c>rows</c>, slider unit, the field's
/// <c>platformWidget</c>) and <c>items</c> for list items. react-jsonschema-form evaluates <c>if/then/else</c> and
/// <c>dependencies</c> from the JSON Schema itself; Kubeapps and Rancher conditions, which are not schema, are carried
/// as <c>ui:options.visibleWhen</c> (the readable expression) for a custom template to apply.</para>
/// <para>JSON Forms (<see cref="ToJsonForms"/>): a <c>VerticalLayout</c> of <c>Control</c>s with
/// <c>scope: "#/properties/…"</c>, <c>Group</c> layouts for sections and named groups, <c>options</c>
/// (<c>multi</c>, <c>slider</c>, <c>format: password</c>, <c>readonly</c>), <c>i18n</c> keys, and conditions as
/// <c>rule: {effect: "SHOW", condition: {scope: "#", schema: …}}</c> — a schema-based condition over the whole
/// data, which JSON Forms supports since 2.0.6 (<c>failWhenUndefined</c> is not needed because the generated schema
/// requires the tested paths).</para>
/// </remarks>
public static class FormUiSchemaExporter
{
    /// <summary>Builds a react-jsonschema-form <c>uiSchema</c>.</summary>
    /// <param name="model">The form.</param>
    /// <returns>The uiSchema object.</returns>
    public static JsonObject ToReactJsonSchemaForm(FormModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var root = new JsonObject();
        FillRjsf(root, model.Fields, nested: false);
        return root;
    }

    /// <summary>Builds a JSON Forms UI schema.</summary>
    /// <param name="model">The form.</param>
    /// <returns>The UI schema object (a <c>VerticalLayout</c>).</returns>
    public static JsonObject ToJsonForms(FormModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var elements = new JsonArray();
        var byGroup = new Dictionary<string, JsonArray>(StringComparer.Ordinal);
        foreach (var g in model.Groups)
        {
            var groupElements = new JsonArray();
            byGroup[g.Name] = groupElements;
            elements.Add(new JsonObject { ["type"] = "Group", ["label"] = g.Label, ["i18n"] = "group." + g.Name, ["elements"] = groupElements });
        }

        foreach (var f in model.Fields)
        {
            var target = f.Group is not null && byGroup.TryGetValue(f.Group, out var ge) ? ge : elements;
            AddJsonForms(target, f);
        }

        // Groups that ended up empty would render as empty boxes.
        for (int i = elements.Count - 1; i >= 0; i--)
        {
            if (elements[i] is JsonObject o && (string?)o["type"] == "Group" && o["elements"] is JsonArray { Count: 0 })
            {
                elements.RemoveAt(i);
            }
        }

        return new JsonObject { ["type"] = "VerticalLayout", ["elements"] = elements };
    }

    private static void FillRjsf(JsonObject target, IReadOnlyList<FormField> fields, bool nested)
    {
        var order = new JsonArray();
        foreach (var f in fields.OrderBy(f => f.Order))
        {
            // Rancher subquestions sit under their question but live at their own values path.
            var node = Locate(target, f, nested);
            Describe(node, f);
            if (f.Segments.Count > 0 && IsDirectChild(f, fields))
            {
                order.Add(f.Key);
            }

            if (f.Widget == FormWidget.Group)
            {
                FillRjsf(node, f.Fields, nested: true);
            }
            else if (f.Fields.Count > 0)
            {
                FillRjsf(target, f.Fields, nested);
            }

            if (f.Item is not null)
            {
                var items = new JsonObject();
                Describe(items, f.Item);
                if (f.Item.Widget == FormWidget.Group)
                {
                    FillRjsf(items, f.Item.Fields, nested: true);
                }

                node["items"] = items;
            }
        }

        if (order.Count > 1 && target["ui:order"] is null && fields.All(f => f.Segments.Count == fields[0].Segments.Count))
        {
            order.Add("*");
            target["ui:order"] = order;
        }
    }

    private static bool IsDirectChild(FormField f, IReadOnlyList<FormField> siblings) =>
        siblings.Count > 0 && f.Segments.Count == siblings[0].Segments.Count;

    private static JsonObject Locate(JsonObject target, FormField f, bool nested)
    {
        // Nested fields are addressed relative to their parent node; top-level ones from the root by full path.
        IEnumerable<string> keys = nested ? [f.Key] : f.Segments;
        var node = target;
        foreach (var k in keys)
        {
            if (node[k] is not JsonObject child)
            {
                child = new JsonObject();
                node[k] = child;
            }

            node = child;
        }

        return node;
    }

    private static void Describe(JsonObject ui, FormField f)
    {
        string? widget = f.Widget switch
        {
            FormWidget.TextArea => "textarea",
            FormWidget.Password => "password",
            FormWidget.Integer or FormWidget.Number => "updown",
            FormWidget.Slider when f.Types.Contains("integer") || f.Types.Contains("number") => "range",
            FormWidget.Toggle => "checkbox",
            FormWidget.Select => "select",
            FormWidget.MultiSelect => "checkboxes",
            _ => null,
        };
        if (widget is not null)
        {
            ui["ui:widget"] = widget;
        }

        if (f.Widget != FormWidget.Group || f.Label != Internal.FormValues.Humanize(f.Key))
        {
            ui["ui:title"] = f.Label;
        }

        if (f.Description is not null)
        {
            ui["ui:help"] = f.Description;
        }

        if (f.Examples.Count > 0 && f.Examples[0].ValueKind is JsonValueKind.String or JsonValueKind.Number)
        {
            ui["ui:placeholder"] = f.Examples[0].ValueKind == JsonValueKind.String ? f.Examples[0].GetString() : f.Examples[0].GetRawText();
        }

        if (f.ReadOnly)
        {
            ui["ui:readonly"] = true;
        }

        var options = new JsonObject { ["platformWidget"] = Camel(f.Widget.ToString()) };
        if (f.Widget == FormWidget.TextArea)
        {
            options["rows"] = 5;
        }

        if (f.Slider is { } s)
        {
            if (s.Unit is not null)
            {
                options["unit"] = s.Unit;
            }

            if (s.Min is decimal min)
            {
                options["min"] = min;
            }

            if (s.Max is decimal max)
            {
                options["max"] = max;
            }
        }

        if (f.VisibleWhen is not null)
        {
            options["visibleWhen"] = f.VisibleWhen.ToString();
        }

        if (f.Group is not null)
        {
            options["group"] = f.Group;
        }

        if (f.IsSecret)
        {
            options["secret"] = true;
        }

        ui["ui:options"] = options;
    }

    private static void AddJsonForms(JsonArray target, FormField f)
    {
        JsonObject element;
        if (f.Widget == FormWidget.Group && f.Fields.Count > 0)
        {
            var children = new JsonArray();
            foreach (var c in f.Fields.OrderBy(c => c.Order))
            {
                AddJsonForms(children, c);
            }

            element = new JsonObject { ["type"] = "Group", ["label"] = f.Label, ["i18n"] = f.TextKey, ["elements"] = children };
        }
        else
        {
            element = new JsonObject { ["type"] = "Control", ["scope"] = Scope(f.Segments), ["label"] = f.Label, ["i18n"] = f.TextKey };
            var options = new JsonObject();
            switch (f.Widget)
            {
                case FormWidget.TextArea or FormWidget.Yaml:
                    options["multi"] = true;
                    break;
                case FormWidget.Slider:
                    options["slider"] = true;
                    break;
                case FormWidget.Password:
                    options["format"] = "password";
                    break;
                case FormWidget.Toggle:
                    options["toggle"] = true;
                    break;
            }

            if (f.ReadOnly)
            {
                options["readonly"] = true;
            }

            if (f.Item?.Widget == FormWidget.Group && f.Item.Fields.Count > 0)
            {
                var detail = new JsonArray();
                foreach (var c in f.Item.Fields)
                {
                    detail.Add(new JsonObject { ["type"] = "Control", ["scope"] = Scope([c.Key]), ["label"] = c.Label });
                }

                options["detail"] = new JsonObject { ["type"] = "VerticalLayout", ["elements"] = detail };
            }

            if (options.Count > 0)
            {
                element["options"] = options;
            }
        }

        if (f.VisibleWhen is not null)
        {
            element["rule"] = new JsonObject
            {
                ["effect"] = "SHOW",
                ["condition"] = new JsonObject { ["scope"] = "#", ["schema"] = ConditionSchema(f.VisibleWhen) },
            };
        }

        target.Add(element);
        if (f.Widget != FormWidget.Group)
        {
            foreach (var sub in f.Fields.OrderBy(c => c.Order))
            {
                AddJsonForms(target, sub); // Rancher subquestions follow their question
            }
        }
    }

    private static string Scope(IReadOnlyList<string> segments) =>
        "#" + string.Concat(segments.Select(s => "/properties/" + s.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal)));

    /// <summary>Translates a condition into a JSON Schema over the whole values document.</summary>
    internal static JsonObject ConditionSchema(FormCondition c)
    {
        switch (c.Kind)
        {
            case FormConditionKind.All:
                return new JsonObject { ["allOf"] = new JsonArray(c.Operands.Select(o => (JsonNode)ConditionSchema(o)).ToArray()) };
            case FormConditionKind.Any:
                return new JsonObject { ["anyOf"] = new JsonArray(c.Operands.Select(o => (JsonNode)ConditionSchema(o)).ToArray()) };
            case FormConditionKind.Not:
                return new JsonObject { ["not"] = ConditionSchema(c.Operands[0]) };
        }

        JsonObject leaf = c.Kind switch
        {
            FormConditionKind.In => c.Values.Count == 1
                ? new JsonObject { ["const"] = Internal.FormValues.ToNode(c.Values[0]) }
                : new JsonObject { ["enum"] = new JsonArray(c.Values.Select(Internal.FormValues.ToNode).ToArray()) },
            FormConditionKind.Present => new JsonObject { ["not"] = new JsonObject { ["type"] = "null" } },
            _ => new JsonObject
            {
                ["not"] = new JsonObject { ["enum"] = new JsonArray(false, null, 0, string.Empty, new JsonObject(), new JsonArray()) },
            },
        };

        var segs = FormPath.Split(c.Path!);
        JsonObject schema = leaf;
        for (int i = segs.Count - 1; i >= 0; i--)
        {
            schema = new JsonObject
            {
                ["type"] = "object",
                ["properties"] = new JsonObject { [segs[i]] = schema },
                ["required"] = new JsonArray(segs[i]),
            };
        }

        return schema;
    }

    private static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];
}
