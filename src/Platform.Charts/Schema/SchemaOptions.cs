namespace Platform.Charts.Schema;

/// <summary>The JSON Schema drafts the validator implements.</summary>
public enum SchemaDraft
{
    /// <summary>Draft 7 (<c>http://json-schema.org/draft-07/schema#</c>); drafts 4 and 6 are read with draft 7 rules.</summary>
    Draft7,

    /// <summary>Draft 2019-09 (<c>https://json-schema.org/draft/2019-09/schema</c>).</summary>
    Draft201909,

    /// <summary>Draft 2020-12 (<c>https://json-schema.org/draft/2020-12/schema</c>), the default when a schema has no
    /// <c>$schema</c>; <c>http://json-schema.org/schema#</c> ("the latest draft") is read as 2020-12 too, as Helm v4 does.</summary>
    Draft202012,
}

/// <summary>Whether the <c>format</c> keyword fails validation or is only an annotation.</summary>
public enum FormatAssertion
{
    /// <summary>As Helm v4: asserted for draft 7 (and earlier) schemas, an annotation for 2019-09 and 2020-12 unless the
    /// schema's meta-schema declares the format-assertion vocabulary.</summary>
    Default,

    /// <summary>Always asserted, for every draft.</summary>
    Always,

    /// <summary>Never asserted: <c>format</c> is an annotation only.</summary>
    Never,
}

/// <summary>Options of <see cref="CompiledSchema.Compile"/>.</summary>
public sealed record SchemaOptions
{
    /// <summary>Gets the shared default options.</summary>
    public static SchemaOptions Default { get; } = new();

    /// <summary>Gets the draft used when the root schema has no <c>$schema</c>. Defaults to <see cref="SchemaDraft.Draft202012"/>, as current Helm.</summary>
    public SchemaDraft DefaultDraft { get; init; } = SchemaDraft.Draft202012;

    /// <summary>Gets when <c>format</c> is asserted. Defaults to <see cref="FormatAssertion.Default"/>.</summary>
    public FormatAssertion Format { get; init; } = FormatAssertion.Default;

    /// <summary>Gets the resolver of remote references (<c>$ref</c> to a URI not defined in the schema itself), or
    /// <see langword="null"/> (the default) for none: only the schema and the bundled draft meta-schemas are known,
    /// and no network or file access happens.</summary>
    public ISchemaResolver? Resolver { get; init; }

    /// <summary>Gets the base URI of a root schema without an absolute <c>$id</c>. Defaults to
    /// <c>file:///values.schema.json</c>, as Helm.</summary>
    public Uri BaseUri { get; init; } = new("file:///values.schema.json");

    /// <summary>Gets the time one <c>pattern</c>, <c>patternProperties</c> or <c>format: regex</c> match may take
    /// before the match fails with a validation error. Defaults to one second. Patterns that need no backtracking
    /// features run on .NET's linear-time engine and never time out.</summary>
    public TimeSpan RegexMatchTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets the maximum nesting of subschemas (and of <c>$ref</c> chains) at compile time. Defaults to 256.</summary>
    public int MaxSchemaDepth { get; init; } = 256;

    /// <summary>Gets the maximum nesting of schema evaluations at validation time (instance depth plus in-place
    /// applicators and references). Defaults to 512. Deeper evaluation, typically a <c>$ref</c> cycle that consumes
    /// no input, fails with a <see cref="Platform.Abstractions.SchemaException"/>.</summary>
    public int MaxEvaluationDepth { get; init; } = 512;

    /// <summary>Gets whether a root schema declaring (or defaulting to) one of the official drafts is first validated
    /// against that draft's meta-schema, as Helm v4 does; a violation throws a <see cref="Platform.Abstractions.SchemaException"/>
    /// listing where the schema breaks the meta-schema. Formats inside the schema are not checked by this step.
    /// Defaults to <see langword="true"/>.</summary>
    public bool ValidateAgainstMetaschema { get; init; } = true;

    /// <summary>Gets the maximum number of errors collected by one validation. Defaults to 1000.</summary>
    public int MaxErrors { get; init; } = 1000;

    internal void Validate()
    {
        if (RegexMatchTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(RegexMatchTimeout), RegexMatchTimeout, "SchemaOptions.RegexMatchTimeout must be positive.");
        }

        if (MaxSchemaDepth < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxSchemaDepth), MaxSchemaDepth, "SchemaOptions.MaxSchemaDepth must be at least 1.");
        }

        if (MaxEvaluationDepth < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxEvaluationDepth), MaxEvaluationDepth, "SchemaOptions.MaxEvaluationDepth must be at least 1.");
        }

        if (MaxErrors < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxErrors), MaxErrors, "SchemaOptions.MaxErrors must be at least 1.");
        }

        if (!BaseUri.IsAbsoluteUri)
        {
            throw new ArgumentException("SchemaOptions.BaseUri must be an absolute URI.", nameof(BaseUri));
        }
    }
}
