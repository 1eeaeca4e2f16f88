using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Platform.Charts.Values;

namespace Platform.Charts.Forms;

/// <summary>
/// Holds the answers of a form being filled in, immutably: every change returns a new instance. Switching a
/// <see cref="FormWidget.Choice"/> field to another alternative keeps the answer given under the previous one, and
/// switching back restores it.
/// </summary>
/// <remarks>Thread-safe (immutable). The values trees handed in and out are copies.</remarks>
public sealed class FormAnswers
{
    private readonly JsonObject _values;
    private readonly ImmutableDictionary<string, int> _choices;
    private readonly ImmutableDictionary<(string Path, int Choice), JsonNode?> _stash;

    private FormAnswers(JsonObject values, ImmutableDictionary<string, int> choices, ImmutableDictionary<(string, int), JsonNode?> stash)
    {
        _values = values;
        _choices = choices;
        _stash = stash;
    }

    /// <summary>Gets a copy of the answers as a values tree.</summary>
    public JsonObject Values => (JsonObject)_values.DeepClone();

    /// <summary>Starts answering a form, from the given values (typically the current values of the release) or from nothing.</summary>
    /// <param name="model">The form.</param>
    /// <param name="values">The starting answers, or <see langword="null"/>; copied.</param>
    /// <returns>The answers.</returns>
    public static FormAnswers Start(FormModel model, JsonObject? values = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var choices = ImmutableDictionary.CreateBuilder<string, int>(StringComparer.Ordinal);
        foreach (var f in model.Descendants())
        {
            if (f.SelectedChoice is int i)
            {
                choices[f.Path] = i;
            }
        }

        return new FormAnswers((JsonObject?)values?.DeepClone() ?? new JsonObject(), choices.ToImmutable(), ImmutableDictionary<(string, int), JsonNode?>.Empty);
    }

    /// <summary>Gets the answer at a path, or <see langword="null"/> when there is none.</summary>
    /// <param name="path">The dotted values path.</param>
    /// <returns>A copy of the answer.</returns>
    public JsonNode? Get(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return FormPath.TryGet(_values, FormPath.Split(path), out var v) ? v?.DeepClone() : null;
    }

    /// <summary>Gets the alternative chosen for a choice field, or <see langword="null"/> when none is chosen.</summary>
    /// <param name="path">The dotted path of the choice field.</param>
    /// <returns>The index into <see cref="FormField.Choices"/>.</returns>
    public int? ChoiceOf(string path) => _choices.TryGetValue(path, out int i) ? i : null;

    /// <summary>Returns answers with <paramref name="value"/> at <paramref name="path"/>.</summary>
    /// <param name="path">The dotted values path.</param>
    /// <param name="value">The answer; copied.</param>
    /// <returns>The new answers.</returns>
    public FormAnswers Set(string path, JsonNode? value)
    {
        ArgumentNullException.ThrowIfNull(path);
        var values = (JsonObject)_values.DeepClone();
        FormPath.Set(values, FormPath.Split(path), value?.DeepClone());
        return new FormAnswers(values, _choices, _stash);
    }

    /// <summary>Returns answers without an answer at <paramref name="path"/>.</summary>
    /// <param name="path">The dotted values path.</param>
    /// <returns>The new answers.</returns>
    public FormAnswers Remove(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var values = (JsonObject)_values.DeepClone();
        FormPath.Remove(values, FormPath.Split(path));
        return new FormAnswers(values, _choices, _stash);
    }

    /// <summary>
    /// Switches a choice field to another alternative: the current answer is kept aside for the alternative being
    /// left, and the answer kept for <paramref name="index"/> (else that alternative's default, else nothing) is restored.
    /// </summary>
    /// <param name="field">A field whose <see cref="FormField.Widget"/> is <see cref="FormWidget.Choice"/>.</param>
    /// <param name="index">The alternative to switch to.</param>
    /// <returns>The new answers.</returns>
    /// <exception cref="ArgumentException"><paramref name="field"/> is not a choice field.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not an alternative of the field.</exception>
    public FormAnswers SelectChoice(FormField field, int index)
    {
        ArgumentNullException.ThrowIfNull(field);
        if (field.Widget != FormWidget.Choice)
        {
            throw new ArgumentException($"'{field.Path}' is a {field.Widget} field, not a choice.", nameof(field));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, field.Choices.Count);
        int? old = ChoiceOf(field.Path);
        if (old == index)
        {
            return this;
        }

        var stash = _stash;
        var values = (JsonObject)_values.DeepClone();
        bool had = FormPath.TryGet(values, field.Segments, out var current);
        if (old is int o)
        {
            stash = had ? stash.SetItem((field.Path, o), current?.DeepClone()) : stash.Remove((field.Path, o));
        }

        if (stash.TryGetValue((field.Path, index), out var restored))
        {
            FormPath.Set(values, field.Segments, restored?.DeepClone());
        }
        else if (field.Choices[index].Field.Default is { } def)
        {
            FormPath.Set(values, field.Segments, Internal.FormValues.ToNode(def));
        }
        else
        {
            FormPath.Remove(values, field.Segments);
        }

        return new FormAnswers(values, _choices.SetItem(field.Path, index), stash);
    }

    /// <summary>Tells whether a field is shown: its condition evaluated on the chart defaults overlaid with these answers.</summary>
    /// <param name="field">The field.</param>
    /// <param name="chartDefaults">The chart defaults.</param>
    /// <returns><see langword="true"/> when the field has no condition or its condition holds.</returns>
    public bool IsVisible(FormField field, JsonObject chartDefaults)
    {
        ArgumentNullException.ThrowIfNull(field);
        ArgumentNullException.ThrowIfNull(chartDefaults);
        return field.VisibleWhen is null || field.VisibleWhen.Evaluate(ValuesMerge.MergeMaps(chartDefaults, _values));
    }
}
