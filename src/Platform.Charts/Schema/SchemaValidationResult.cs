namespace Platform.Charts.Schema;

/// <summary>One reason an instance does not validate.</summary>
/// <param name="InstanceLocation">The JSON pointer of the failing value in the instance (<c>""</c> for the root).</param>
/// <param name="Keyword">The keyword that failed (for example <c>type</c>, <c>required</c>, <c>anyOf</c>).</param>
/// <param name="SchemaLocation">The keyword's location: the schema resource URI (<c>#</c> alone for the root schema
/// document) followed by a JSON pointer fragment.</param>
/// <param name="Message">The message, worded as Helm v4 words it.</param>
public sealed record SchemaError(string InstanceLocation, string Keyword, string SchemaLocation, string Message)
{
    /// <summary>Gets the failures of the subschemas behind this error (the branches of a failed <c>anyOf</c> or
    /// <c>oneOf</c>, the failures inside a <c>contains</c>), empty when there are none.</summary>
    public IReadOnlyList<SchemaError> Causes { get; init; } = [];

    /// <inheritdoc />
    public override string ToString() => $"at '{InstanceLocation}': {Message}";
}

/// <summary>The outcome of <see cref="CompiledSchema.Validate"/>.</summary>
/// <param name="IsValid">Whether the instance validates.</param>
/// <param name="Errors">The errors, in schema evaluation order; empty when <paramref name="IsValid"/> is true.</param>
public sealed record SchemaValidationResult(bool IsValid, IReadOnlyList<SchemaError> Errors)
{
    /// <summary>Gets the shared result of a valid instance.</summary>
    public static SchemaValidationResult Valid { get; } = new(true, []);
}
