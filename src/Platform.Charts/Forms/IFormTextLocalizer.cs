namespace Platform.Charts.Forms;

/// <summary>
/// Looks up localised form texts by key. Keys are <c>field.&lt;path&gt;.label</c>,
/// <c>field.&lt;path&gt;.description</c>, <c>group.&lt;name&gt;</c> and <c>choice.&lt;path&gt;.&lt;index&gt;</c>; a key
/// the localizer does not know falls back to the chart's own text (schema <c>title</c>, question <c>label</c>) and
/// then to the humanised key.
/// </summary>
/// <remarks>Implementations must be thread-safe; one form build calls it once per text.</remarks>
public interface IFormTextLocalizer
{
    /// <summary>Gets the localised text for <paramref name="key"/>.</summary>
    /// <param name="key">The text key.</param>
    /// <returns>The text, or <see langword="null"/> to fall back.</returns>
    string? GetText(string key);
}

/// <summary>A localizer over a dictionary of texts, with an optional fallback localizer (for example a neutral-culture table).</summary>
public sealed class DictionaryFormTextLocalizer : IFormTextLocalizer
{
    private readonly IReadOnlyDictionary<string, string> _texts;
    private readonly IFormTextLocalizer? _fallback;

    /// <summary>Initializes a new instance.</summary>
    /// <param name="texts">The texts by key; copied.</param>
    /// <param name="fallback">The localizer asked when <paramref name="texts"/> has no entry, or <see langword="null"/>.</param>
    public DictionaryFormTextLocalizer(IReadOnlyDictionary<string, string> texts, IFormTextLocalizer? fallback = null)
    {
        ArgumentNullException.ThrowIfNull(texts);
        _texts = new Dictionary<string, string>(texts, StringComparer.Ordinal);
        _fallback = fallback;
    }

    /// <inheritdoc />
    public string? GetText(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return _texts.TryGetValue(key, out var text) ? text : _fallback?.GetText(key);
    }
}
