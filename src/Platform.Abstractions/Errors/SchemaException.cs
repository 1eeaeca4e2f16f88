namespace Platform.Abstractions;

/// <summary>
/// Reports a JSON Schema that cannot be compiled or evaluated: malformed JSON, a keyword with a value of the wrong
/// shape, an invalid regular expression, an unknown or cyclic <c>$ref</c>, or nesting beyond the configured limits.
/// </summary>
/// <remarks>Values that merely fail validation are not exceptions: they are reported as validation errors.</remarks>
public sealed class SchemaException : PlatformException
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">The full message, naming the schema location and what was expected.</param>
    /// <param name="schemaLocation">The location in the schema (a URI with a JSON pointer fragment), or <see langword="null"/>.</param>
    /// <param name="innerException">The original exception, if any.</param>
    public SchemaException(string message, string? schemaLocation = null, Exception? innerException = null)
        : base(message, innerException)
    {
        SchemaLocation = schemaLocation;
    }

    /// <summary>Gets the location in the schema the error concerns (for example <c>#/properties/port/pattern</c>), or <see langword="null"/>.</summary>
    public string? SchemaLocation { get; }
}
