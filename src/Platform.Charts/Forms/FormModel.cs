using System.Text.Json;

namespace Platform.Charts.Forms;

/// <summary>Names where a form model came from.</summary>
public enum FormSource
{
    /// <summary>The chart's <c>values.schema.json</c> (or a plain JSON Schema), enriched with the chart defaults.</summary>
    Schema,

    /// <summary>A Rancher <c>questions.yaml</c>/<c>questions.yml</c>, enriched with the schema constraints when the chart has one.</summary>
    Questions,

    /// <summary>Inferred from the types of <c>values.yaml</c> and its Bitnami <c>## @param</c> / helm-docs <c># --</c> comments.</summary>
    Values,
}

/// <summary>Names the input control a portal renders for a field.</summary>
public enum FormWidget
{
    /// <summary>A section holding the child <see cref="FormField.Fields"/>; it has no value of its own.</summary>
    Group,

    /// <summary>A single-line text box.</summary>
    Text,

    /// <summary>A multi-line text box.</summary>
    TextArea,

    /// <summary>A number box accepting decimals.</summary>
    Number,

    /// <summary>A number box accepting whole numbers.</summary>
    Integer,

    /// <summary>An on/off switch.</summary>
    Toggle,

    /// <summary>A drop-down of <see cref="FormField.Options"/>.</summary>
    Select,

    /// <summary>A list of check boxes or a multi-select of <see cref="FormField.Options"/> (an array of enum items).</summary>
    MultiSelect,

    /// <summary>A masked text box; the value is a secret (see <see cref="FormField.IsSecret"/>).</summary>
    Password,

    /// <summary>A slider between <see cref="FormSlider.Min"/> and <see cref="FormSlider.Max"/> (Kubeapps <c>render: slider</c>).</summary>
    Slider,

    /// <summary>An editable table of string keys to scalar values (labels, annotations, node selectors).</summary>
    KeyValueMap,

    /// <summary>An editable list of objects, each shaped by <see cref="FormField.Item"/>.</summary>
    ObjectList,

    /// <summary>An editable list of scalar values, each shaped by <see cref="FormField.Item"/>.</summary>
    List,

    /// <summary>A free-form YAML/JSON editor for values the form cannot describe field by field.</summary>
    Yaml,

    /// <summary>A choice between the alternatives in <see cref="FormField.Choices"/> (<c>oneOf</c>/<c>anyOf</c>).</summary>
    Choice,
}

/// <summary>
/// Represents a deploy form: a tree of fields addressed by values paths, with groups, conditions and the values
/// they start from. Immutable; build one with <see cref="FormBuilder"/>, serialise it with <see cref="FormModelJson"/>.
/// </summary>
public sealed record FormModel
{
    /// <summary>Gets the form title (the chart name, or the schema <c>title</c>), or <see langword="null"/>.</summary>
    public string? Title { get; init; }

    /// <summary>Gets the form description (the chart or schema description), or <see langword="null"/>.</summary>
    public string? Description { get; init; }

    /// <summary>Gets where the form came from.</summary>
    public required FormSource Source { get; init; }

    /// <summary>
    /// Gets a value indicating whether the source marks a basic subset of fields (Kubeapps <c>form</c> hints or a
    /// <c>questions.yaml</c>); when <see langword="true"/>, <see cref="FormField.Basic"/> tells the basic fields apart.
    /// </summary>
    public bool HasBasicHints { get; init; }

    /// <summary>Gets the top-level fields in display order.</summary>
    public IReadOnlyList<FormField> Fields { get; init; } = [];

    /// <summary>Gets the named groups (Rancher <c>group</c>, Bitnami <c>@section</c>) in order of first appearance.</summary>
    public IReadOnlyList<FormGroup> Groups { get; init; } = [];

    /// <summary>Gets what the builder could not represent exactly (an unresolvable <c>$ref</c>, a recursive schema cut off), one sentence each.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Enumerates every field of the tree depth-first, parents before children (choice alternatives and list item templates excluded).</summary>
    /// <returns>The fields.</returns>
    public IEnumerable<FormField> Descendants()
    {
        var stack = new Stack<FormField>();
        for (int i = Fields.Count - 1; i >= 0; i--)
        {
            stack.Push(Fields[i]);
        }

        while (stack.Count > 0)
        {
            var f = stack.Pop();
            yield return f;
            for (int i = f.Fields.Count - 1; i >= 0; i--)
            {
                stack.Push(f.Fields[i]);
            }
        }
    }

    /// <summary>Finds the field with the given dotted values path (as in <see cref="FormField.Path"/>).</summary>
    /// <param name="path">The dotted path, for example <c>ingress.hostname</c>.</param>
    /// <returns>The field, or <see langword="null"/>.</returns>
    public FormField? Find(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        foreach (var f in Descendants())
        {
            if (string.Equals(f.Path, path, StringComparison.Ordinal))
            {
                return f;
            }
        }

        return null;
    }
}

/// <summary>Represents a named group of fields.</summary>
/// <param name="Name">The group name as written in the source (the localisation key is <c>group.</c> + name).</param>
/// <param name="Label">The display label (localised when a localizer has one).</param>
public sealed record FormGroup(string Name, string Label);

/// <summary>Represents a Kubeapps slider hint.</summary>
/// <param name="Min">The slider minimum (<c>sliderMin</c>, else <c>minimum</c>).</param>
/// <param name="Max">The slider maximum (<c>sliderMax</c>, else <c>maximum</c>).</param>
/// <param name="Step">The step (<c>sliderStep</c>), or <see langword="null"/> for 1.</param>
/// <param name="Unit">The unit appended to the number in the value, for example <c>Gi</c> (<c>sliderUnit</c>), or <see langword="null"/>.</param>
public sealed record FormSlider(decimal? Min, decimal? Max, decimal? Step, string? Unit);

/// <summary>Represents one allowed value of a select or multi-select.</summary>
/// <param name="Value">The value written into the values.</param>
/// <param name="Label">The label shown (the option's <c>title</c>, else the value as text).</param>
public sealed record FormOption(JsonElement Value, string Label);

/// <summary>Represents one alternative of a <c>oneOf</c>/<c>anyOf</c> field.</summary>
/// <param name="Index">The 0-based position in the schema.</param>
/// <param name="Label">The label (the alternative's <c>title</c>, else a description of its shape).</param>
/// <param name="Field">The field the alternative renders, at the same values path as the choice.</param>
public sealed record FormChoice(int Index, string Label, FormField Field);

/// <summary>Represents the validation constraints a field carries; <see langword="null"/> members do not apply.</summary>
public sealed record FormConstraints
{
    /// <summary>Gets an empty set of constraints.</summary>
    public static FormConstraints None { get; } = new();

    /// <summary>Gets the inclusive minimum (<c>minimum</c>, Rancher <c>min</c>).</summary>
    public decimal? Minimum { get; init; }

    /// <summary>Gets the inclusive maximum (<c>maximum</c>, Rancher <c>max</c>).</summary>
    public decimal? Maximum { get; init; }

    /// <summary>Gets the exclusive minimum (<c>exclusiveMinimum</c>; the draft-4 boolean form is folded in).</summary>
    public decimal? ExclusiveMinimum { get; init; }

    /// <summary>Gets the exclusive maximum (<c>exclusiveMaximum</c>).</summary>
    public decimal? ExclusiveMaximum { get; init; }

    /// <summary>Gets the divisor a number must be a multiple of (<c>multipleOf</c>).</summary>
    public decimal? MultipleOf { get; init; }

    /// <summary>Gets the minimum string length (<c>minLength</c>, Rancher <c>min_length</c>).</summary>
    public int? MinLength { get; init; }

    /// <summary>Gets the maximum string length (<c>maxLength</c>, Rancher <c>max_length</c>).</summary>
    public int? MaxLength { get; init; }

    /// <summary>Gets the ECMA-262 pattern a string must match (<c>pattern</c>; Rancher <c>valid_chars</c>/<c>invalid_chars</c> become one).</summary>
    public string? Pattern { get; init; }

    /// <summary>Gets the minimum item count (<c>minItems</c>) or property count (<c>minProperties</c>).</summary>
    public int? MinItems { get; init; }

    /// <summary>Gets the maximum item count (<c>maxItems</c>) or property count (<c>maxProperties</c>).</summary>
    public int? MaxItems { get; init; }

    /// <summary>Gets a value indicating whether list items must be unique (<c>uniqueItems</c>).</summary>
    public bool UniqueItems { get; init; }

    /// <summary>Gets the <c>format</c> (for example <c>email</c>, <c>uri</c>, Rancher <c>hostname</c>), or <see langword="null"/>.</summary>
    public string? Format { get; init; }

    /// <summary>Gets a value indicating whether no constraint is set.</summary>
    public bool IsEmpty => this == None;
}

/// <summary>
/// Represents one field of a deploy form: where its value lives, how to render it, what it starts from and what it
/// must satisfy. Immutable.
/// </summary>
/// <remarks>
/// Values (<see cref="Default"/>, <see cref="Current"/>, <see cref="Deployed"/>) are JSON elements; for a secret
/// field (<see cref="IsSecret"/>) they are always <see langword="null"/> and only <see cref="HasSecretValue"/> says
/// whether a value exists, so a form model can be sent to a browser without leaking deployed secrets.
/// </remarks>
public sealed record FormField
{
    /// <summary>Gets the dotted values path (<c>ingress.hostname</c>); a dot or backslash inside a key is escaped with <c>\</c> as in <c>--set</c>.</summary>
    public required string Path { get; init; }

    /// <summary>Gets the path segments (the keys from the root).</summary>
    public required IReadOnlyList<string> Segments { get; init; }

    /// <summary>Gets the last key of <see cref="Segments"/> (empty for an item template).</summary>
    public string Key => Segments.Count == 0 ? string.Empty : Segments[^1];

    /// <summary>Gets the display label: the localised text, else the schema <c>title</c> or question <c>label</c>, else the humanised key.</summary>
    public required string Label { get; init; }

    /// <summary>Gets the description (<c>description</c>, question <c>description</c>, <c>## @param</c> or <c># --</c> comment), or <see langword="null"/>.</summary>
    public string? Description { get; init; }

    /// <summary>Gets the widget to render.</summary>
    public required FormWidget Widget { get; init; }

    /// <summary>Gets the JSON types the value may have (<c>string</c>, <c>integer</c>, <c>number</c>, <c>boolean</c>, <c>object</c>, <c>array</c>), empty when unconstrained.</summary>
    public IReadOnlyList<string> Types { get; init; } = [];

    /// <summary>Gets a value indicating whether <c>null</c> is an accepted value.</summary>
    public bool Nullable { get; init; }

    /// <summary>Gets the chart default (from <c>values.yaml</c>, else the schema or question <c>default</c>), or <see langword="null"/>.</summary>
    public JsonElement? Default { get; init; }

    /// <summary>Gets the current value (the values being edited), or <see langword="null"/> when not set.</summary>
    public JsonElement? Current { get; init; }

    /// <summary>Gets the value of the deployed release, or <see langword="null"/> when not known or not set.</summary>
    public JsonElement? Deployed { get; init; }

    /// <summary>Gets a value indicating whether the field holds a secret (password widget, <c>writeOnly</c>, <c>format: password</c>, Rancher <c>password</c>, or a secret-like key name).</summary>
    public bool IsSecret { get; init; }

    /// <summary>Gets a value indicating whether a secret field already has a value (default, current or deployed) that is withheld from the model.</summary>
    public bool HasSecretValue { get; init; }

    /// <summary>Gets a value indicating whether the field must have a value (the parent's <c>required</c>, question <c>required</c>).</summary>
    public bool Required { get; init; }

    /// <summary>Gets the condition under which the field becomes required (<c>then.required</c>, <c>dependentRequired</c>), or <see langword="null"/>.</summary>
    public FormCondition? RequiredWhen { get; init; }

    /// <summary>Gets the condition under which the field is shown (<c>if/then/else</c>, <c>dependentSchemas</c>, Kubeapps <c>hidden</c>, Rancher <c>show_if</c>), or <see langword="null"/> when always shown.</summary>
    public FormCondition? VisibleWhen { get; init; }

    /// <summary>Gets the validation constraints.</summary>
    public FormConstraints Constraints { get; init; } = FormConstraints.None;

    /// <summary>Gets the allowed values of a select or multi-select (<c>enum</c>, <c>const</c> alternatives, question <c>options</c>).</summary>
    public IReadOnlyList<FormOption> Options { get; init; } = [];

    /// <summary>Gets the slider settings when <see cref="Widget"/> is <see cref="FormWidget.Slider"/>, else <see langword="null"/>.</summary>
    public FormSlider? Slider { get; init; }

    /// <summary>Gets a value indicating whether the field is read-only (<c>readOnly</c>, <c>const</c>).</summary>
    public bool ReadOnly { get; init; }

    /// <summary>Gets a value indicating whether the field is deprecated (<c>deprecated</c>).</summary>
    public bool Deprecated { get; init; }

    /// <summary>Gets example values (<c>examples</c>); the first one also serves as placeholder.</summary>
    public IReadOnlyList<JsonElement> Examples { get; init; } = [];

    /// <summary>Gets the group name (see <see cref="FormModel.Groups"/>), or <see langword="null"/>.</summary>
    public string? Group { get; init; }

    /// <summary>Gets the 0-based display position among its siblings.</summary>
    public int Order { get; init; }

    /// <summary>Gets a value indicating whether the source marks the field as basic (Kubeapps <c>form</c>, a question); see <see cref="FormModel.HasBasicHints"/>.</summary>
    public bool Basic { get; init; }

    /// <summary>Gets the child fields of a <see cref="FormWidget.Group"/>, in display order.</summary>
    public IReadOnlyList<FormField> Fields { get; init; } = [];

    /// <summary>Gets the item template of an <see cref="FormWidget.ObjectList"/> or <see cref="FormWidget.List"/> (its path is the list path plus <c>[]</c>), or <see langword="null"/>.</summary>
    public FormField? Item { get; init; }

    /// <summary>Gets the alternatives of a <see cref="FormWidget.Choice"/> field.</summary>
    public IReadOnlyList<FormChoice> Choices { get; init; } = [];

    /// <summary>Gets the index into <see cref="Choices"/> that matches the current (else default) value, or <see langword="null"/>.</summary>
    public int? SelectedChoice { get; init; }

    /// <summary>Gets a value indicating whether the schema recursed here and the field was cut off into a <see cref="FormWidget.Yaml"/> editor.</summary>
    public bool Recursive { get; init; }

    /// <summary>Gets the localisation key prefix of the field (<c>field.</c> + <see cref="Path"/>).</summary>
    public string TextKey => "field." + Path;
}
