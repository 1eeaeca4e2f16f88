using System.Text.Json;
using System.Text.Json.Nodes;

namespace Platform.Charts.Forms;

/// <summary>Names how a value changes between the deployed release and the new values.</summary>
public enum FormChangeKind
{
    /// <summary>Deployed and new agree (the value differs from the chart default, so it is listed).</summary>
    Unchanged,

    /// <summary>The new values set a value the deployed release did not have.</summary>
    Added,

    /// <summary>The new value differs from the deployed one and from the chart default.</summary>
    Changed,

    /// <summary>The new value returns to the chart default.</summary>
    Reset,

    /// <summary>The value is gone from the new values (and has no chart default).</summary>
    Removed,
}

/// <summary>Represents one values path of a three-way diff: chart default, deployed and new.</summary>
/// <param name="Path">The dotted values path.</param>
/// <param name="Label">The field label, or the humanised key when the form has no field there.</param>
/// <param name="Kind">How the value changes.</param>
/// <param name="Default">The chart default, or <see langword="null"/> when absent or secret.</param>
/// <param name="Deployed">The deployed value, or <see langword="null"/> when absent or secret.</param>
/// <param name="New">The new value, or <see langword="null"/> when absent or secret.</param>
/// <param name="IsSecret">Whether the values are withheld because the field is a secret.</param>
public sealed record FormDiffEntry(string Path, string Label, FormChangeKind Kind, JsonElement? Default, JsonElement? Deployed, JsonElement? New, bool IsSecret);

/// <summary>
/// Computes the three-way diff (chart default vs deployed vs new) shown before an upgrade. Objects are compared key
/// by key except where the form edits a value whole (lists, maps, YAML fields); lists are compared whole. Secret
/// values are compared but never copied into the diff. All members are thread-safe.
/// </summary>
public static class FormDiff
{
    /// <summary>Lists every path where the chart default, the deployed values and the new values do not all agree.</summary>
    /// <param name="model">The form (labels, secret and whole-value fields), or <see langword="null"/>.</param>
    /// <param name="chartDefaults">The chart defaults.</param>
    /// <param name="deployed">The deployed values (computed or user-supplied; compare like with like), or <see langword="null"/> for a new install.</param>
    /// <param name="newValues">The values about to be deployed.</param>
    /// <returns>The entries, in the order the paths first appear (defaults, deployed, new).</returns>
    public static IReadOnlyList<FormDiffEntry> Compute(FormModel? model, JsonObject chartDefaults, JsonObject? deployed, JsonObject newValues)
    {
        ArgumentNullException.ThrowIfNull(chartDefaults);
        ArgumentNullException.ThrowIfNull(newValues);
        var fields = new Dictionary<string, FormField>(StringComparer.Ordinal);
        if (model is not null)
        {
            foreach (var f in model.Descendants())
            {
                fields.TryAdd(f.Path, f);
            }
        }

        var result = new List<FormDiffEntry>();
        Walk([], chartDefaults, deployed ?? new JsonObject(), newValues, true, deployed is not null, true);
        return result;

        void Walk(IReadOnlyList<string> segs, JsonNode? d, JsonNode? p, JsonNode? n, bool hasD, bool hasP, bool hasN)
        {
            string path = FormPath.Join(segs);
            fields.TryGetValue(path, out var field);
            bool whole = field is not null && field.Widget is not (FormWidget.Group or FormWidget.Choice);
            if (!whole && (d is JsonObject || p is JsonObject || n is JsonObject) && (!hasD || d is JsonObject or null) && (!hasP || p is JsonObject or null) && (!hasN || n is JsonObject or null)
                && (d is JsonObject || p is JsonObject || n is JsonObject))
            {
                var keys = new List<string>();
                foreach (var o in new[] { d, p, n }.OfType<JsonObject>())
                {
                    foreach (var (k, _) in o)
                    {
                        if (!keys.Contains(k))
                        {
                            keys.Add(k);
                        }
                    }
                }

                foreach (var k in keys)
                {
                    JsonNode? dv = null, pv = null, nv = null;
                    bool hd = d is JsonObject od && od.TryGetPropertyValue(k, out dv);
                    bool hp = p is JsonObject op && op.TryGetPropertyValue(k, out pv);
                    bool hn = n is JsonObject on && on.TryGetPropertyValue(k, out nv);
                    Walk([.. segs, k], dv, pv, nv, hd, hp, hn);
                }

                return;
            }

            bool pn = Same(hasP, p, hasN, n);
            bool dn = Same(hasD, d, hasN, n);
            if (pn && dn)
            {
                return;
            }

            var kind = pn ? FormChangeKind.Unchanged
                : !hasN ? FormChangeKind.Removed
                : dn ? FormChangeKind.Reset
                : !hasP ? FormChangeKind.Added
                : FormChangeKind.Changed;
            bool secret = field?.IsSecret == true;
            result.Add(new FormDiffEntry(
                path,
                field?.Label ?? Internal.FormValues.Humanize(segs.Count > 0 ? segs[^1] : string.Empty),
                kind,
                hasD && !secret ? Internal.FormValues.ToElement(d) : null,
                hasP && !secret ? Internal.FormValues.ToElement(p) : null,
                hasN && !secret ? Internal.FormValues.ToElement(n) : null,
                secret));
        }

        static bool Same(bool ha, JsonNode? a, bool hb, JsonNode? b) => ha == hb && (!ha || JsonNode.DeepEquals(a, b));
    }
}
