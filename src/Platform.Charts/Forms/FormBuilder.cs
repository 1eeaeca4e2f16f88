using System.Text.Json.Nodes;
using Platform.Abstractions;
using Platform.Charts.Forms.Internal;
using Platform.Charts.Loading;
using Platform.Charts.Values;

namespace Platform.Charts.Forms;

/// <summary>
/// Builds deploy-form models from a chart: from its <c>values.schema.json</c> (with Kubeapps hints), from a Rancher
/// <c>questions.yaml</c>, or, when it has neither, from the types and comments of its <c>values.yaml</c>.
/// </summary>
/// <remarks>
/// <para>Schemas: <c>$ref</c> (JSON pointers, <c>$defs</c>/<c>definitions</c>, <c>$id</c>/<c>$anchor</c> inside the
/// document) is followed; remote references are not fetched (the field becomes a YAML editor and a warning says so).
/// <c>allOf</c> is merged; <c>oneOf</c>/<c>anyOf</c> become choices; <c>if/then/else</c>, <c>dependentSchemas</c>,
/// <c>dependentRequired</c> and draft-7 <c>dependencies</c> become conditions. A schema that refers back to an enclosing
/// schema is cut off there into a YAML editor.</para>
/// <para>Limits (see <see cref="FormBuildOptions"/>): JSON nesting 512, field depth 32, 64 chained <c>$ref</c>s,
/// 50,000 fields, 16 Mi characters. Exceeding one, invalid JSON/YAML, a root that is not a schema and a <c>$ref</c>
/// cycle that never reaches a schema raise <see cref="FormException"/>; nothing recurses without bound.</para>
/// <para>All members are thread-safe.</para>
/// </remarks>
public static class FormBuilder
{
    /// <summary>
    /// Builds the form of a chart: <c>questions.yaml</c>/<c>questions.yml</c> when present, else the schema, else the
    /// values; with <see cref="FormBuildOptions.IncludeSubcharts"/>, each subchart becomes a section under its key.
    /// </summary>
    /// <param name="chart">The loaded chart.</param>
    /// <param name="options">Values to show, localisation and limits; <see langword="null"/> for <see cref="FormBuildOptions.Default"/>.</param>
    /// <returns>The form model.</returns>
    /// <exception cref="FormException">The schema or questions cannot be read, or a limit is exceeded.</exception>
    /// <exception cref="ValuesException">The chart's <c>values.yaml</c> does not parse.</exception>
    public static FormModel FromChart(Chart chart, FormBuildOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(chart);
        options ??= FormBuildOptions.Default;
        options.Validate();
        var model = FromChartCore(chart, options, null, 0);
        int count = model.Descendants().Count();
        if (count > options.MaxFields)
        {
            throw new FormException($"chart '{chart.Name}': the form has {count} fields with its subcharts; the limit is {options.MaxFields}.", chart.Name);
        }

        return model;
    }

    private static FormModel FromChartCore(Chart chart, FormBuildOptions options, JsonObject? overlay, int depth)
    {
        var defaults = chart.ValuesText is null ? new JsonObject() : ValuesYaml.Parse(chart.ValuesText, chart.ValuesFileName ?? "values.yaml");
        if (overlay is not null)
        {
            defaults = ValuesMerge.MergeMaps(defaults, overlay);
        }
        var questions = chart.FindFile("questions.yaml") ?? chart.FindFile("questions.yml");
        FormModel model;
        if (questions is not null)
        {
            model = FromQuestions(questions.ReadText(), defaults, chart.SchemaText, chart.ValuesText, options, questions.Name);
        }
        else if (chart.SchemaText is not null)
        {
            model = FromSchema(chart.SchemaText, defaults, chart.ValuesText, options, "values.schema.json");
        }
        else
        {
            model = FromValues(defaults, chart.ValuesText, options);
        }

        model = model with
        {
            Title = chart.Name,
            Description = model.Description ?? chart.Metadata.Description,
        };
        return options.IncludeSubcharts && model.Source != FormSource.Questions && depth < 8 ? WithSubcharts(chart, model, defaults, options, depth) : model;
    }

    private static FormModel WithSubcharts(Chart chart, FormModel model, JsonObject defaults, FormBuildOptions options, int depth)
    {
        var fields = model.Fields.ToList();
        var warnings = model.Warnings.ToList();
        var groups = model.Groups.ToList();
        var done = new HashSet<string>(StringComparer.Ordinal);
        var dependencies = chart.Metadata.Dependencies.Count > 0
            ? chart.Metadata.Dependencies.Select(d => (Name: d.Name, Key: d.Alias ?? d.Name, Condition: d.Condition))
            : chart.Subcharts.Select(s => (Name: s.Name, Key: s.Name, Condition: (string?)null));
        foreach (var (name, key, condition) in dependencies)
        {
            var sub = chart.Subcharts.FirstOrDefault(s => s.Name == name);
            if (sub is null || sub.Metadata.IsLibrary || !done.Add(key) || (sub.SchemaText is null && sub.ValuesText is null))
            {
                continue;
            }

            IReadOnlyList<string> prefix = [key];
            var subOptions = options with
            {
                CurrentValues = options.CurrentValues?[key] as JsonObject,
                DeployedValues = options.DeployedValues?[key] as JsonObject,
                Localizer = options.Localizer is null ? null : new PrefixLocalizer(options.Localizer, key),
            };
            var subModel = FromChartCore(sub, subOptions, defaults[key] as JsonObject, depth + 1);
            int index = fields.FindIndex(f => f.Path == FormPath.Join(prefix));
            var existing = index >= 0 ? fields[index] : null;
            var section = new FormField
            {
                Path = FormPath.Join(prefix),
                Segments = prefix,
                Label = existing?.Label ?? options.Localizer?.GetText("field." + key + ".label") ?? sub.Name,
                Description = existing?.Description ?? sub.Metadata.Description,
                Widget = FormWidget.Group,
                Types = ["object"],
                Order = existing?.Order ?? fields.Count,
                Group = existing?.Group,
                Basic = existing?.Basic ?? false,
                VisibleWhen = existing?.VisibleWhen,
                Fields = Merge(existing?.Fields ?? [], subModel.Fields.Where(f => f.Key != "global").Select(f => Reroot(f, prefix)).ToList()),
            };
            // Helm enables the subchart unless its condition path is false: hide the rest of the section then.
            string? conditionPath = condition?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
            if (conditionPath is not null)
            {
                var enabled = FormCondition.Not(FormCondition.Equal(conditionPath, False));
                section = section with
                {
                    Fields = section.Fields.Select(f => f.Path == conditionPath ? f : f with { VisibleWhen = f.VisibleWhen is null ? enabled : FormCondition.All(enabled, f.VisibleWhen) }).ToArray(),
                };
            }

            if (index >= 0)
            {
                fields[index] = section;
            }
            else
            {
                fields.Add(section);
            }

            warnings.AddRange(subModel.Warnings.Select(w => $"subchart '{key}': {w}"));
        }

        return model with { Fields = fields, Warnings = warnings, Groups = groups };
    }

    /// <summary>
    /// Merges the parent's description of a subchart section into the subchart's own fields: a parent field wins
    /// where the parent says more (a title, a Kubeapps <c>form</c> hint, a condition); parent-only fields are kept.
    /// </summary>
    private static FormField[] Merge(IReadOnlyList<FormField> parent, List<FormField> sub)
    {
        var result = new List<FormField>(sub);
        var lead = new List<FormField>();
        foreach (var p in parent)
        {
            int i = result.FindIndex(f => f.Path == p.Path);
            if (i < 0)
            {
                lead.Add(p); // what the parent chart says about the section (enabled toggles) comes first
                continue;
            }

            var s = result[i];
            if (p.Widget == FormWidget.Group && s.Widget == FormWidget.Group)
            {
                result[i] = s with
                {
                    Fields = Merge(p.Fields, s.Fields.ToList()),
                    Label = Says(p) ? p.Label : s.Label,
                    Basic = s.Basic || p.Basic,
                    VisibleWhen = p.VisibleWhen ?? s.VisibleWhen,
                };
            }
            else if (Says(p))
            {
                result.RemoveAt(i);
                lead.Add(p with { Description = p.Description ?? s.Description });
            }
        }

        return lead.Concat(result).Select((f, i) => f with { Order = i }).ToArray();

        static bool Says(FormField f) => f.Basic || f.VisibleWhen is not null || f.Label != Internal.FormValues.Humanize(f.Key);
    }

    private static readonly System.Text.Json.JsonElement False = System.Text.Json.JsonDocument.Parse("false").RootElement.Clone();

    private static FormField Reroot(FormField f, IReadOnlyList<string> prefix)
    {
        var segments = prefix.Concat(f.Segments).ToArray();
        return f with
        {
            Path = FormPath.Join(segments),
            Segments = segments,
            VisibleWhen = f.VisibleWhen?.WithPrefix(prefix),
            RequiredWhen = f.RequiredWhen?.WithPrefix(prefix),
            Fields = f.Fields.Select(c => Reroot(c, prefix)).ToArray(),
            Item = f.Item is null ? null : Reroot(f.Item, prefix),
            Choices = f.Choices.Select(c => c with { Field = Reroot(c.Field, prefix) }).ToArray(),
            Group = null,
        };
    }

    /// <summary>Asks the parent's localizer with the subchart key in front of field paths.</summary>
    private sealed class PrefixLocalizer(IFormTextLocalizer inner, string key) : IFormTextLocalizer
    {
        public string? GetText(string textKey) =>
            textKey.StartsWith("field.", StringComparison.Ordinal) ? inner.GetText("field." + FormPath.Join([key]) + "." + textKey["field.".Length..])
            : textKey.StartsWith("choice.", StringComparison.Ordinal) ? inner.GetText("choice." + FormPath.Join([key]) + "." + textKey["choice.".Length..])
            : inner.GetText(textKey);
    }

    /// <summary>Builds a form from a JSON Schema and the chart defaults.</summary>
    /// <param name="schemaJson">The schema text (JSON).</param>
    /// <param name="defaults">The chart defaults (parsed <c>values.yaml</c>), or <see langword="null"/>. Not modified.</param>
    /// <param name="valuesText">The <c>values.yaml</c> text for <c>@param</c>/<c># --</c> descriptions, or <see langword="null"/>.</param>
    /// <param name="options">Values to show, localisation and limits; <see langword="null"/> for <see cref="FormBuildOptions.Default"/>.</param>
    /// <param name="sourceName">The schema file name used in messages, or <see langword="null"/>.</param>
    /// <returns>The form model.</returns>
    /// <exception cref="FormException">The schema is not valid JSON, not a schema, has a <c>$ref</c> cycle, or a limit is exceeded.</exception>
    public static FormModel FromSchema(string schemaJson, JsonObject? defaults = null, string? valuesText = null, FormBuildOptions? options = null, string? sourceName = null)
    {
        ArgumentNullException.ThrowIfNull(schemaJson);
        options ??= FormBuildOptions.Default;
        options.Validate();
        var schema = SchemaDocument.Parse(schemaJson, sourceName, options);
        try
        {
            var ctx = new BuildContext(options, defaults, ValuesComments.Parse(valuesText), sourceName) { Schema = schema };
            var fields = new SchemaFields(ctx, schema).Root();
            var root = schema.Root.Element;
            string? title = root.ValueKind == System.Text.Json.JsonValueKind.Object && root.TryGetProperty("title", out var t) && t.ValueKind == System.Text.Json.JsonValueKind.String ? t.GetString() : null;
            string? description = root.ValueKind == System.Text.Json.JsonValueKind.Object && root.TryGetProperty("description", out var d) && d.ValueKind == System.Text.Json.JsonValueKind.String ? d.GetString() : null;
            return Finish(ctx, FormSource.Schema, fields, title, description);
        }
        catch (InvalidOperationException ex)
        {
            throw new FormException($"{sourceName ?? "schema"}: the schema cannot be turned into a form: {ex.Message}", sourceName, innerException: ex);
        }
        finally
        {
            schema.Document.Dispose();
        }
    }

    /// <summary>Builds a form from a Rancher <c>questions.yaml</c>, taking constraints from the schema when one is given.</summary>
    /// <param name="questionsYaml">The questions text (YAML).</param>
    /// <param name="defaults">The chart defaults, or <see langword="null"/>. Not modified.</param>
    /// <param name="schemaJson">The chart schema, or <see langword="null"/>.</param>
    /// <param name="valuesText">The <c>values.yaml</c> text for comment descriptions, or <see langword="null"/>.</param>
    /// <param name="options">Values to show, localisation and limits; <see langword="null"/> for <see cref="FormBuildOptions.Default"/>.</param>
    /// <param name="sourceName">The questions file name used in messages, or <see langword="null"/>.</param>
    /// <returns>The form model: one field per question, subquestions as children.</returns>
    /// <exception cref="FormException">The questions or schema cannot be read, or a limit is exceeded.</exception>
    public static FormModel FromQuestions(string questionsYaml, JsonObject? defaults = null, string? schemaJson = null, string? valuesText = null, FormBuildOptions? options = null, string? sourceName = null)
    {
        ArgumentNullException.ThrowIfNull(questionsYaml);
        options ??= FormBuildOptions.Default;
        options.Validate();
        string source = sourceName ?? "questions.yaml";
        if (questionsYaml.Length > options.MaxInputCharacters)
        {
            throw new FormException($"{source}: {questionsYaml.Length} characters; the limit is {options.MaxInputCharacters}.", source);
        }

        JsonNode? document;
        try
        {
            document = ValuesYaml.ParseDocument(questionsYaml, source);
        }
        catch (ValuesException ex)
        {
            throw new FormException(ex.Message, source, innerException: ex);
        }

        SchemaDocument? schema = schemaJson is null ? null : SchemaDocument.Parse(schemaJson, "values.schema.json", options);
        try
        {
            var ctx = new BuildContext(options, defaults, ValuesComments.Parse(valuesText), source) { Schema = schema };
            var fields = QuestionFields.Read(ctx, document, schema is null ? null : new SchemaFields(ctx, schema), source);
            return Finish(ctx, FormSource.Questions, fields, null, null);
        }
        finally
        {
            schema?.Document.Dispose();
        }
    }

    /// <summary>Builds a form inferred from default values: their types, and Bitnami <c>## @param</c>/<c>## @section</c> and helm-docs <c># --</c> comments.</summary>
    /// <param name="defaults">The chart defaults. Not modified.</param>
    /// <param name="valuesText">The <c>values.yaml</c> text the defaults came from, or <see langword="null"/>.</param>
    /// <param name="options">Values to show, localisation and limits; <see langword="null"/> for <see cref="FormBuildOptions.Default"/>.</param>
    /// <returns>The form model.</returns>
    /// <exception cref="FormException">A limit is exceeded.</exception>
    public static FormModel FromValues(JsonObject defaults, string? valuesText = null, FormBuildOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        options ??= FormBuildOptions.Default;
        options.Validate();
        var ctx = new BuildContext(options, defaults, ValuesComments.Parse(valuesText), "values.yaml");
        var fields = InferredFields.Children(ctx, defaults, [], 0, null, 0);
        return Finish(ctx, FormSource.Values, fields, null, null);
    }

    private static FormModel Finish(BuildContext ctx, FormSource source, List<FormField> fields, string? title, string? description)
    {
        if (source != FormSource.Questions && ctx.Comments.Sections.Count > 0)
        {
            for (int i = 0; i < fields.Count; i++)
            {
                string? section = SectionOf(ctx, fields[i].Key);
                if (section is not null && fields[i].Group is null)
                {
                    ctx.AddGroup(section);
                    fields[i] = fields[i] with { Group = section };
                }
            }
        }

        return new FormModel
        {
            Source = source,
            Title = title,
            Description = description,
            HasBasicHints = ctx.HasBasicHints,
            Fields = fields,
            Groups = ctx.Groups.ToArray(),
            Warnings = ctx.Warnings.ToArray(),
        };
    }

    private static string? SectionOf(BuildContext ctx, string key)
    {
        string? best = null;
        int bestOrder = int.MaxValue;
        foreach (var (path, section) in ctx.Comments.Sections)
        {
            if ((path == key || path.StartsWith(key + ".", StringComparison.Ordinal) || path.StartsWith(key + "[", StringComparison.Ordinal))
                && ctx.Comments.ParamOrder.TryGetValue(path, out int order) && order < bestOrder)
            {
                best = section;
                bestOrder = order;
            }
        }

        return best;
    }
}
