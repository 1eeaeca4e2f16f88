using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Platform.Charts.Forms;

/// <summary>
/// Writes a <see cref="FormModel"/> as stable, indented JSON (camelCase names; members equal to their default are
/// left out). The format is what <c>platformctl schema form -o json</c> prints and what the golden files pin.
/// All members are thread-safe.
/// </summary>
public static class FormModelJson
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        MaxDepth = 1024,
    };

    /// <summary>Serialises a model to JSON text (ending with a newline, <c>\n</c> line ends).</summary>
    /// <param name="model">The model.</param>
    /// <returns>The JSON text.</returns>
    public static string Serialize(FormModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, WriterOptions))
        {
            Write(writer, model);
        }

        return Encoding.UTF8.GetString(stream.ToArray()).ReplaceLineEndings("\n") + "\n";
    }

    /// <summary>Writes a model to a JSON writer.</summary>
    /// <param name="writer">The destination.</param>
    /// <param name="model">The model.</param>
    public static void Write(Utf8JsonWriter writer, FormModel model)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(model);
        writer.WriteStartObject();
        WriteString(writer, "title", model.Title);
        WriteString(writer, "description", model.Description);
        writer.WriteString("source", Camel(model.Source.ToString()));
        if (model.HasBasicHints)
        {
            writer.WriteBoolean("hasBasicHints", true);
        }

        if (model.Groups.Count > 0)
        {
            writer.WriteStartArray("groups");
            foreach (var g in model.Groups)
            {
                writer.WriteStartObject();
                writer.WriteString("name", g.Name);
                if (g.Label != g.Name)
                {
                    writer.WriteString("label", g.Label);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        if (model.Warnings.Count > 0)
        {
            writer.WriteStartArray("warnings");
            foreach (var w in model.Warnings)
            {
                writer.WriteStringValue(w);
            }

            writer.WriteEndArray();
        }

        writer.WriteStartArray("fields");
        foreach (var f in model.Fields)
        {
            WriteField(writer, f);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteField(Utf8JsonWriter w, FormField f)
    {
        w.WriteStartObject();
        w.WriteString("path", f.Path);
        w.WriteString("label", f.Label);
        WriteString(w, "description", f.Description);
        w.WriteString("widget", Camel(f.Widget.ToString()));
        if (f.Types.Count > 0)
        {
            w.WriteStartArray("types");
            foreach (var t in f.Types)
            {
                w.WriteStringValue(t);
            }

            w.WriteEndArray();
        }

        Flag(w, "nullable", f.Nullable);
        Flag(w, "required", f.Required);
        if (f.RequiredWhen is not null)
        {
            w.WriteString("requiredWhen", f.RequiredWhen.ToString());
            w.WritePropertyName("requiredRule");
            WriteCondition(w, f.RequiredWhen);
        }

        if (f.VisibleWhen is not null)
        {
            w.WriteString("visibleWhen", f.VisibleWhen.ToString());
            w.WritePropertyName("visibleRule");
            WriteCondition(w, f.VisibleWhen);
        }

        WriteString(w, "group", f.Group);
        Flag(w, "basic", f.Basic);
        Flag(w, "secret", f.IsSecret);
        Flag(w, "hasSecretValue", f.HasSecretValue);
        Flag(w, "readOnly", f.ReadOnly);
        Flag(w, "deprecated", f.Deprecated);
        Flag(w, "recursive", f.Recursive);
        WriteValue(w, "default", f.Default);
        WriteValue(w, "current", f.Current);
        WriteValue(w, "deployed", f.Deployed);
        if (!f.Constraints.IsEmpty)
        {
            WriteConstraints(w, f.Constraints);
        }

        if (f.Options.Count > 0)
        {
            w.WriteStartArray("options");
            foreach (var o in f.Options)
            {
                w.WriteStartObject();
                w.WritePropertyName("value");
                o.Value.WriteTo(w);
                if (o.Label != (o.Value.ValueKind == JsonValueKind.String ? o.Value.GetString() : o.Value.GetRawText()))
                {
                    w.WriteString("label", o.Label);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        if (f.Slider is { } s)
        {
            w.WriteStartObject("slider");
            Number(w, "min", s.Min);
            Number(w, "max", s.Max);
            Number(w, "step", s.Step);
            WriteString(w, "unit", s.Unit);
            w.WriteEndObject();
        }

        if (f.Examples.Count > 0)
        {
            w.WriteStartArray("examples");
            foreach (var e in f.Examples)
            {
                e.WriteTo(w);
            }

            w.WriteEndArray();
        }

        if (f.Item is not null)
        {
            w.WritePropertyName("item");
            WriteField(w, f.Item);
        }

        if (f.Choices.Count > 0)
        {
            if (f.SelectedChoice is int sel)
            {
                w.WriteNumber("selectedChoice", sel);
            }

            w.WriteStartArray("choices");
            foreach (var c in f.Choices)
            {
                w.WriteStartObject();
                w.WriteNumber("index", c.Index);
                w.WriteString("label", c.Label);
                w.WritePropertyName("field");
                WriteField(w, c.Field);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        if (f.Fields.Count > 0)
        {
            w.WriteStartArray("fields");
            foreach (var c in f.Fields)
            {
                WriteField(w, c);
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
    }

    /// <summary>
    /// Writes a condition as data a browser can evaluate: <c>{"all":[…]}</c>, <c>{"any":[…]}</c>, <c>{"not":…}</c>,
    /// <c>{"path":"a.b","in":[…]}</c>, <c>{"path":"a.b","present":true}</c>, <c>{"path":"a.b","truthy":true}</c>.
    /// </summary>
    private static void WriteCondition(Utf8JsonWriter w, FormCondition c)
    {
        w.WriteStartObject();
        switch (c.Kind)
        {
            case FormConditionKind.All or FormConditionKind.Any:
                w.WriteStartArray(c.Kind == FormConditionKind.All ? "all" : "any");
                foreach (var o in c.Operands)
                {
                    WriteCondition(w, o);
                }

                w.WriteEndArray();
                break;
            case FormConditionKind.Not:
                w.WritePropertyName("not");
                WriteCondition(w, c.Operands[0]);
                break;
            default:
                w.WriteString("path", c.Path);
                if (c.Kind == FormConditionKind.In)
                {
                    w.WriteStartArray("in");
                    foreach (var v in c.Values)
                    {
                        v.WriteTo(w);
                    }

                    w.WriteEndArray();
                }
                else
                {
                    w.WriteBoolean(c.Kind == FormConditionKind.Present ? "present" : "truthy", true);
                }

                break;
        }

        w.WriteEndObject();
    }

    private static void WriteConstraints(Utf8JsonWriter w, FormConstraints c)
    {
        w.WriteStartObject("constraints");
        Number(w, "minimum", c.Minimum);
        Number(w, "maximum", c.Maximum);
        Number(w, "exclusiveMinimum", c.ExclusiveMinimum);
        Number(w, "exclusiveMaximum", c.ExclusiveMaximum);
        Number(w, "multipleOf", c.MultipleOf);
        Number(w, "minLength", c.MinLength);
        Number(w, "maxLength", c.MaxLength);
        WriteString(w, "pattern", c.Pattern);
        Number(w, "minItems", c.MinItems);
        Number(w, "maxItems", c.MaxItems);
        Flag(w, "uniqueItems", c.UniqueItems);
        WriteString(w, "format", c.Format);
        w.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter w, string name, JsonElement? value)
    {
        if (value is JsonElement v)
        {
            w.WritePropertyName(name);
            v.WriteTo(w);
        }
    }

    private static void WriteString(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }

    private static void Flag(Utf8JsonWriter w, string name, bool value)
    {
        if (value)
        {
            w.WriteBoolean(name, true);
        }
    }

    private static void Number(Utf8JsonWriter w, string name, decimal? value)
    {
        if (value is decimal d)
        {
            w.WriteNumber(name, d);
        }
    }

    private static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];
}
