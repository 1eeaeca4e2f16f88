using System.Text.Json.Nodes;

namespace Platform.Charts.Forms.Internal;

/// <summary>The state of one form build: inputs, limits, warnings, groups and the field budget.</summary>
internal sealed class BuildContext
{
    private readonly List<FormGroup> _groups = [];
    private readonly HashSet<string> _groupNames = new(StringComparer.Ordinal);
    private int _fields;

    public BuildContext(FormBuildOptions options, JsonObject? defaults, ValuesComments comments, string? source)
    {
        Options = options;
        Defaults = defaults ?? new JsonObject();
        Comments = comments;
        Source = source;
    }

    public FormBuildOptions Options { get; }

    public JsonObject Defaults { get; }

    public ValuesComments Comments { get; }

    public string? Source { get; }

    public SchemaDocument? Schema { get; init; }

    public List<string> Warnings { get; } = [];

    public bool HasBasicHints { get; set; }

    public IReadOnlyList<FormGroup> Groups => _groups;

    public void CountField(string path)
    {
        if (++_fields > Options.MaxFields)
        {
            throw new FormException(
                $"{Source ?? "form"}: the form has more than {Options.MaxFields} fields (at '{path}'); raise FormBuildOptions.MaxFields or simplify the schema.",
                Source,
                path);
        }
    }

    public void Warn(string message)
    {
        if (Warnings.Count < 200 && !Warnings.Contains(message))
        {
            Warnings.Add(message);
        }
    }

    public string? Text(string key) => Options.Localizer?.GetText(key);

    public void AddGroup(string? name)
    {
        if (name is not null && _groupNames.Add(name))
        {
            _groups.Add(new FormGroup(name, Text("group." + name) ?? name));
        }
    }

    /// <summary>Applies defaults, current and deployed values to a field, withholding them for secrets.</summary>
    public FormField WithValues(FormField field, JsonNode? fallbackDefault, bool hasFallback)
    {
        bool hasDefault = FormPath.TryGet(Defaults, field.Segments, out var def);
        if (!hasDefault && hasFallback)
        {
            def = fallbackDefault;
            hasDefault = true;
        }

        bool hasCurrent = FormPath.TryGet(Options.CurrentValues, field.Segments, out var cur) && Options.CurrentValues is not null;
        bool hasDeployed = FormPath.TryGet(Options.DeployedValues, field.Segments, out var dep) && Options.DeployedValues is not null;
        if (field.IsSecret)
        {
            bool any = (hasDefault && NonEmpty(def)) || (hasCurrent && NonEmpty(cur)) || (hasDeployed && NonEmpty(dep));
            return field with { HasSecretValue = any };
        }

        if (field.Widget == FormWidget.Group)
        {
            return field; // a group's values are its children's
        }

        return field with
        {
            Default = hasDefault ? FormValues.ToElement(def) : null,
            Current = hasCurrent ? FormValues.ToElement(cur) : null,
            Deployed = hasDeployed ? FormValues.ToElement(dep) : null,
        };
    }

    private static bool NonEmpty(JsonNode? n) => n is not null && !(n is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String && v.GetValue<string>().Length == 0);
}
