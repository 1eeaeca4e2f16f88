using System.CommandLine;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.Charts.Forms;
using Platform.Charts.Loading;
using Platform.Charts.Values;

namespace PlatformCtl;

/// <summary><c>platformctl schema form SCHEMA_OR_CHART [-f VALUES]... [-o text|json|rjsf|jsonforms]</c>.</summary>
internal static class SchemaFormCommand
{
    public static Command Create()
    {
        var input = new Argument<string>("SCHEMA_OR_CHART")
        {
            Description = "A chart directory or .tgz, a JSON Schema file (.json; .yaml/.yml read as YAML), or a Rancher questions.yaml.",
        };
        var files = new Option<string[]>("--values", "-f") { Description = "Current values (YAML) shown in the form; repeatable, merged in order." };
        var output = new Option<string>("--output", "-o")
        {
            Description = "text (a readable tree), json (the form model), rjsf (react-jsonschema-form uiSchema), jsonforms (JSON Forms UI schema).",
            DefaultValueFactory = _ => "text",
        };
        output.AcceptOnlyFromAmong("text", "json", "rjsf", "jsonforms");

        var form = new Command("form", "Print the deploy form built from a chart's schema, questions.yaml or values.yaml.") { input, files, output };
        form.SetAction(async (parse, cancellationToken) =>
        {
            string path = parse.GetValue(input)!;
            JsonObject? current = null;
            foreach (string file in parse.GetValue(files) ?? [])
            {
                var values = await ValuesYaml.ReadFileAsync(file, cancellationToken: cancellationToken).ConfigureAwait(false);
                current = current is null ? values : ValuesMerge.MergeMaps(current, values);
            }

            var options = new FormBuildOptions { CurrentValues = current };
            FormModel model = await BuildAsync(path, options, cancellationToken).ConfigureAwait(false);
            foreach (string warning in model.Warnings)
            {
                Cli.Warn(warning);
            }

            string format = parse.GetValue(output)!;
            string text = format switch
            {
                "json" => FormModelJson.Serialize(model),
                "rjsf" => FormUiSchemaExporter.ToReactJsonSchemaForm(model).ToJsonString(Indented) + "\n",
                "jsonforms" => FormUiSchemaExporter.ToJsonForms(model).ToJsonString(Indented) + "\n",
                _ => RenderText(model),
            };
            await Console.Out.WriteAsync(text).ConfigureAwait(false);
            return Cli.Success;
        });
        return form;
    }

    private static readonly JsonSerializerOptions Compact = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static async Task<FormModel> BuildAsync(string path, FormBuildOptions options, CancellationToken cancellationToken)
    {
        if (Directory.Exists(path) || path.EndsWith(".tgz", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".tar.gz", StringComparison.OrdinalIgnoreCase))
        {
            ChartLoadResult loaded = await ChartLoader.LoadAsync(path, cancellationToken: cancellationToken).ConfigureAwait(false);
            foreach (ChartLoadWarning warning in loaded.Warnings)
            {
                Cli.Warn(warning.Message);
            }

            return FormBuilder.FromChart(loaded.Chart, options);
        }

        if (!File.Exists(path))
        {
            throw new FormException($"'{path}': no such chart directory, archive or schema file.", path);
        }

        string text = await File.ReadAllTextAsync(path, Encoding.UTF8, cancellationToken).ConfigureAwait(false);
        string name = Path.GetFileName(path);
        bool yaml = name.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);
        if (yaml && name.StartsWith("questions.", StringComparison.OrdinalIgnoreCase))
        {
            return FormBuilder.FromQuestions(text, options: options, sourceName: path);
        }

        if (yaml)
        {
            JsonNode? doc = ValuesYaml.ParseDocument(text, path);
            text = doc?.ToJsonString() ?? "null";
        }

        return FormBuilder.FromSchema(text, options: options, sourceName: path);
    }

    private static string RenderText(FormModel model)
    {
        var sb = new StringBuilder();
        int count = model.Descendants().Count();
        sb.Append(model.Title ?? "form").Append(" (").Append(model.Source.ToString().ToLowerInvariant()).Append(", ").Append(count).Append(count == 1 ? " field" : " fields").Append(")\n");
        if (model.Groups.Count > 0)
        {
            sb.Append("groups: ").Append(string.Join(", ", model.Groups.Select(g => g.Label))).Append('\n');
        }

        foreach (var f in model.Fields.OrderBy(f => f.Group is null ? -1 : IndexOf(model, f.Group)))
        {
            Render(sb, f, 0);
        }

        return sb.ToString();
    }

    private static int IndexOf(FormModel model, string group)
    {
        for (int i = 0; i < model.Groups.Count; i++)
        {
            if (model.Groups[i].Name == group)
            {
                return i;
            }
        }

        return model.Groups.Count;
    }

    private static void Render(StringBuilder sb, FormField f, int depth)
    {
        sb.Append(' ', depth * 2).Append(f.Path).Append(": ").Append(f.Widget.ToString().ToLowerInvariant());
        sb.Append(" \"").Append(f.Label).Append('"');
        if (f.Required)
        {
            sb.Append(" required");
        }

        if (f.Group is not null)
        {
            sb.Append(" [").Append(f.Group).Append(']');
        }

        if (f.IsSecret)
        {
            sb.Append(f.HasSecretValue ? " secret=(set)" : " secret=(empty)");
        }

        if (f.Default is JsonElement d)
        {
            sb.Append(" default=").Append(Short(d));
        }

        if (f.Current is JsonElement c)
        {
            sb.Append(" current=").Append(Short(c));
        }

        if (f.Options.Count > 0)
        {
            sb.Append(" options=").Append(string.Join('|', f.Options.Select(o => o.Label)));
        }

        if (f.Slider is { } s)
        {
            sb.Append(" slider=").Append(s.Min).Append("..").Append(s.Max).Append(s.Unit);
        }

        if (f.VisibleWhen is not null)
        {
            sb.Append(" if ").Append(f.VisibleWhen);
        }

        sb.Append('\n');
        foreach (var child in f.Fields)
        {
            Render(sb, child, depth + 1);
        }

        if (f.Item is not null)
        {
            Render(sb, f.Item, depth + 1);
        }

        foreach (var choice in f.Choices)
        {
            sb.Append(' ', (depth + 1) * 2).Append("option ").Append(choice.Index).Append(": ").Append(choice.Label).Append('\n');
            foreach (var child in choice.Field.Fields)
            {
                Render(sb, child, depth + 2);
            }
        }
    }

    private static string Short(JsonElement e)
    {
        string text = e.GetRawText().ReplaceLineEndings(" ");
        if (e.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
        {
            text = JsonSerializer.Serialize(e, Compact);
        }

        return text.Length > 60 ? text[..57] + "..." : text;
    }
}
