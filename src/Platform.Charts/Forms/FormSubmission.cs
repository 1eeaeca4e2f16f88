using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.Charts.Values;

namespace Platform.Charts.Forms;

/// <summary>
/// The result of a form submission: the values overrides to store (only what differs from the chart defaults) and,
/// separately, the secret answers, which are never part of <see cref="Values"/>.
/// </summary>
/// <remarks>
/// Secret handling: a secret field (<see cref="FormField.IsSecret"/>) answered with a non-empty value goes to
/// <see cref="Secrets"/>; one left empty (or absent) means "keep what is deployed" and is listed in
/// <see cref="KeptSecrets"/>. Either way its path is removed from <see cref="Values"/>, even when the previous
/// overrides held it in plain text. <see cref="ToString"/> never prints secret values. A caller that needs one
/// tree for Helm uses <see cref="MergeSecrets"/> and hands the result to a secret store, never to a log.
/// </remarks>
public sealed record FormOverrides
{
    private readonly JsonObject _values = new();
    private readonly IReadOnlyDictionary<string, JsonElement> _secrets = new Dictionary<string, JsonElement>();

    /// <summary>Gets a copy of the plain overrides (without secrets), in the order of the previous overrides then of the submission.</summary>
    public JsonObject Values
    {
        get => (JsonObject)_values.DeepClone();
        init => _values = (JsonObject)(value ?? throw new ArgumentNullException(nameof(value))).DeepClone();
    }

    /// <summary>Gets the secret answers by dotted values path.</summary>
    public IReadOnlyDictionary<string, JsonElement> Secrets
    {
        get => _secrets;
        init => _secrets = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>Gets the paths of secret fields submitted empty: the deployed secret is to be kept.</summary>
    public IReadOnlyList<string> KeptSecrets { get; init; } = [];

    /// <summary>Returns a new tree with the secret answers written into a copy of <see cref="Values"/>. Treat it as sensitive.</summary>
    /// <returns>The merged overrides.</returns>
    public JsonObject MergeSecrets()
    {
        var result = Values;
        foreach (var (path, value) in _secrets)
        {
            FormPath.Set(result, FormPath.Split(path), Internal.FormValues.ToNode(value));
        }

        return result;
    }

    /// <summary>Describes the overrides with the secret values redacted.</summary>
    /// <returns>The text.</returns>
    public override string ToString() =>
        $"FormOverrides {{ Values = {_values.ToJsonString()}, Secrets = [{string.Join(", ", _secrets.Keys.Select(k => k + " = ***"))}], KeptSecrets = [{string.Join(", ", KeptSecrets)}] }}";
}

/// <summary>
/// Turns a form submission into values overrides holding only what differs from the chart defaults, as Rancher
/// stores answers. All members are thread-safe and never modify their inputs.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Keys of <c>previousOverrides</c> the submission does not mention are kept untouched.</item>
/// <item>A submitted value equal to the chart default removes the override (the release follows the chart again).</item>
/// <item>Objects described field by field are compared key by key; a value the form edits as a whole (key-value map,
/// list, YAML) is stored whole, and keys of the default map missing from it are written as <c>null</c> so Helm deletes them.</item>
/// <item>Answers to fields hidden by their condition (evaluated on defaults + previous overrides + submission) are ignored.</item>
/// <item>Secret fields follow <see cref="FormOverrides"/>: never in the plain values.</item>
/// </list>
/// </remarks>
public static class FormSubmission
{
    /// <summary>Computes the overrides for a submission.</summary>
    /// <param name="model">The form the submission answers.</param>
    /// <param name="submitted">The submitted values (a values tree; fields not shown may be absent).</param>
    /// <param name="chartDefaults">The chart defaults (parsed <c>values.yaml</c>).</param>
    /// <param name="previousOverrides">The overrides stored for the release so far, or <see langword="null"/> for a new install.</param>
    /// <returns>The overrides.</returns>
    public static FormOverrides CreateOverrides(FormModel model, JsonObject submitted, JsonObject chartDefaults, JsonObject? previousOverrides = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(submitted);
        ArgumentNullException.ThrowIfNull(chartDefaults);
        var result = (JsonObject?)previousOverrides?.DeepClone() ?? new JsonObject();
        var fields = new Dictionary<string, FormField>(StringComparer.Ordinal);
        foreach (var f in model.Descendants())
        {
            fields.TryAdd(f.Path, f);
        }

        var effective = ValuesMerge.MergeMaps(ValuesMerge.MergeMaps(chartDefaults, result), submitted);
        var secrets = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var kept = new List<string>();

        // A secret the form does not mention must not stay in plain text either.
        foreach (var f in fields.Values.Where(f => f.IsSecret))
        {
            if (!FormPath.TryGet(submitted, f.Segments, out _) && FormPath.TryGet(result, f.Segments, out _))
            {
                FormPath.Remove(result, f.Segments);
                kept.Add(f.Path);
            }
        }

        Walk([], submitted);
        return new FormOverrides { Values = result, Secrets = secrets, KeptSecrets = kept };

        void Walk(IReadOnlyList<string> segs, JsonObject obj)
        {
            foreach (var (key, value) in obj)
            {
                string[] s = [.. segs, key];
                string path = FormPath.Join(s);
                fields.TryGetValue(path, out var field);
                if (field?.VisibleWhen is not null && !field.VisibleWhen.Evaluate(effective))
                {
                    continue;
                }

                if (field is { IsSecret: true })
                {
                    FormPath.Remove(result, s);
                    if (value is null || (value is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().Length == 0))
                    {
                        kept.Add(path);
                    }
                    else
                    {
                        secrets[path] = Internal.FormValues.ToElement(value);
                    }

                    continue;
                }

                bool hasDefault = FormPath.TryGet(chartDefaults, s, out var def);
                bool fieldByField = field is null || field.Widget is FormWidget.Group or FormWidget.Choice;
                if (value is JsonObject vo && fieldByField && (!hasDefault || def is JsonObject))
                {
                    if (vo.Count == 0 && !hasDefault && !FormPath.TryGet(result, s, out _))
                    {
                        continue;
                    }

                    Walk(s, vo);
                    continue;
                }

                if (hasDefault && JsonNode.DeepEquals(value, def))
                {
                    FormPath.Remove(result, s);
                    continue;
                }

                var stored = value?.DeepClone();
                if (stored is JsonObject so && def is JsonObject dm)
                {
                    foreach (var (dk, _) in dm)
                    {
                        if (!so.ContainsKey(dk))
                        {
                            so[dk] = null;
                        }
                    }
                }

                FormPath.Set(result, s, stored);
            }
        }
    }
}
