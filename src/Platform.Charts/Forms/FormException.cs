using Platform.Abstractions;

namespace Platform.Charts.Forms;

/// <summary>
/// Reports a schema, <c>questions.yaml</c> or submission a form cannot be built from or applied to: invalid JSON, a
/// root that is not a schema, a <c>$ref</c> cycle that never reaches a schema, input over a documented limit.
/// </summary>
public sealed class FormException : PlatformException
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">The full message, naming the input, the location and what was expected.</param>
    /// <param name="source">The file or input name, or <see langword="null"/>.</param>
    /// <param name="location">The JSON pointer into the schema or the values path, or <see langword="null"/>.</param>
    /// <param name="innerException">The original exception, if any.</param>
    public FormException(string message, string? source = null, string? location = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Source = source;
        Location = location;
    }

    /// <summary>Gets the file or input name the error concerns, or <see langword="null"/>.</summary>
    public new string? Source { get; }

    /// <summary>Gets the JSON pointer into the schema (for example <c>#/properties/a/$ref</c>) or the values path, or <see langword="null"/>.</summary>
    public string? Location { get; }
}
