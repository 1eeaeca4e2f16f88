using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.Abstractions;
using Platform.Charts.Schema.Internal;

namespace Platform.Charts.Schema;

/// <summary>
/// A JSON Schema (draft 7, 2019-09 or 2020-12) compiled once for fast, repeated validation of
/// <see cref="System.Text.Json.Nodes"/> values.
/// </summary>
/// <remarks>
/// <para>The draft comes from the root's <c>$schema</c>; without one, <see cref="SchemaOptions.DefaultDraft"/>
/// (2020-12, as current Helm). References are resolved at compile time: to the schema itself, to the bundled draft
/// meta-schemas, or through <see cref="SchemaOptions.Resolver"/>; nothing is fetched from the network.</para>
/// <para>Instances are immutable and thread-safe: <see cref="Validate"/> may run concurrently. The schema node passed
/// to <see cref="Compile"/> is not retained or mutated. Numbers compare exactly (as decimals when they fit).</para>
/// </remarks>
public sealed class CompiledSchema
{
    /// <summary>The maximum nesting of a schema document read by <see cref="Parse"/>.</summary>
    public const int MaxJsonDepth = 256;

    private readonly SchemaNode root;
    private readonly SchemaOptions options;
    private readonly bool dynamicScope;

    private CompiledSchema(SchemaNode root, SchemaOptions options, bool dynamicScope, SchemaDraft draft)
    {
        this.root = root;
        this.options = options;
        this.dynamicScope = dynamicScope;
        Draft = draft;
    }

    /// <summary>Gets the draft the root schema is read with.</summary>
    public SchemaDraft Draft { get; }

    /// <summary>Compiles a schema.</summary>
    /// <param name="schema">The schema: a JSON object or boolean.</param>
    /// <param name="options">Options; <see langword="null"/> uses <see cref="SchemaOptions.Default"/>.</param>
    /// <returns>The compiled schema.</returns>
    /// <exception cref="SchemaException">The schema is malformed: a keyword of the wrong shape, an invalid regular
    /// expression, an unknown <c>$ref</c>, an unsupported required vocabulary, or nesting beyond the limits.</exception>
    public static CompiledSchema Compile(JsonNode? schema, SchemaOptions? options = null)
    {
        options ??= SchemaOptions.Default;
        options.Validate();
        SchemaCompiler.CheckDepth(schema, options.MaxSchemaDepth);
        JsonNode? frozen = JsonEquality.Freeze(schema);
        if (options.ValidateAgainstMetaschema)
        {
            CheckAgainstMetaschema(frozen, options);
        }

        var compiler = new SchemaCompiler(options);
        SchemaNode node = compiler.CompileRoot(frozen, out SchemaDraft draft);
        return new CompiledSchema(node, options, compiler.UsesDynamicScope, draft);
    }

    /// <summary>Parses and compiles a schema from JSON text.</summary>
    /// <param name="json">The schema text.</param>
    /// <param name="options">Options; <see langword="null"/> uses <see cref="SchemaOptions.Default"/>.</param>
    /// <param name="fileName">The file the text came from, used in error messages, or <see langword="null"/>.</param>
    /// <returns>The compiled schema.</returns>
    /// <exception cref="SchemaException">The text is not JSON (the message names the line and column), nests deeper
    /// than <see cref="MaxJsonDepth"/>, or the schema is malformed.</exception>
    public static CompiledSchema Parse(string json, SchemaOptions? options = null, string? fileName = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { MaxDepth = MaxJsonDepth, AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException ex)
        {
            string where = fileName is null ? "The schema" : $"The schema {fileName}";
            string position = ex.LineNumber is long line ? $" at line {line + 1}, column {(ex.BytePositionInLine ?? 0) + 1}" : string.Empty;
            throw new SchemaException($"{where} is not valid JSON{position}: {ex.Message}", null, ex);
        }

        return Compile(node, options);
    }

    private static void CheckAgainstMetaschema(JsonNode? schema, SchemaOptions options)
    {
        SchemaDraft? draft = options.DefaultDraft;
        if (schema is JsonObject obj && obj.TryGetPropertyValue("$schema", out JsonNode? declared))
        {
            draft = declared is JsonValue v && v.GetValueKind() == JsonValueKind.String ? SchemaCompiler.OfficialDraft(v.GetValue<string>()) : null;
        }

        if (draft is null)
        {
            // a custom meta-schema: its own keywords are checked when it compiles
            return;
        }

        CompiledSchema meta = Metaschemas[(int)draft.Value].Value;
        SchemaValidationResult result = meta.Validate(schema);
        if (!result.IsValid)
        {
            string uri = draft.Value switch
            {
                SchemaDraft.Draft7 => "http://json-schema.org/draft-07/schema#",
                SchemaDraft.Draft201909 => "https://json-schema.org/draft/2019-09/schema",
                _ => "https://json-schema.org/draft/2020-12/schema",
            };
            throw new SchemaException(
                $"The schema is not valid against its meta-schema {uri}:\n" + ChartSchemaResult.FormatErrors(result.Errors.DistinctBy(e => (e.InstanceLocation, e.Message)).Take(20)).TrimEnd('\n'),
                result.Errors[0].InstanceLocation.Length == 0 ? "#" : "#" + result.Errors[0].InstanceLocation);
        }
    }

    // Compiled once per process: immutable and thread-safe, like every CompiledSchema.
    private static readonly Lazy<CompiledSchema>[] Metaschemas =
    [
        new(() => CompileMeta("http://json-schema.org/draft-07/schema#")),
        new(() => CompileMeta("https://json-schema.org/draft/2019-09/schema")),
        new(() => CompileMeta("https://json-schema.org/draft/2020-12/schema")),
    ];

    private static CompiledSchema CompileMeta(string uri) =>
        Compile(new JsonObject { ["$schema"] = uri, ["$ref"] = uri }, new SchemaOptions { Format = FormatAssertion.Never, ValidateAgainstMetaschema = false, BaseUri = new Uri("urn:platform:metaschema-check") });

    /// <summary>Validates an instance and reports every error.</summary>
    /// <param name="instance">The instance (<see langword="null"/> is JSON null).</param>
    /// <returns>The result; errors are capped at <see cref="SchemaOptions.MaxErrors"/>.</returns>
    /// <exception cref="SchemaException">Evaluation exceeded <see cref="SchemaOptions.MaxEvaluationDepth"/>
    /// (typically a <c>$ref</c> cycle that consumes no input).</exception>
    public SchemaValidationResult Validate(JsonNode? instance)
    {
        var errors = new List<SchemaError>();
        var evaluator = new Evaluator(errors, dynamicScope, options.MaxEvaluationDepth, options.MaxErrors);
        bool valid = root.Evaluate(instance, evaluator, null);
        if (valid)
        {
            return SchemaValidationResult.Valid;
        }

        if (errors.Count == 0)
        {
            errors.Add(new SchemaError(string.Empty, "false", root.Location, "the instance does not validate"));
        }

        return new SchemaValidationResult(false, errors);
    }

    /// <summary>Tells whether an instance validates, stopping at the first failure (faster than <see cref="Validate"/>).</summary>
    /// <param name="instance">The instance (<see langword="null"/> is JSON null).</param>
    /// <returns><see langword="true"/> when the instance validates.</returns>
    /// <exception cref="SchemaException">Evaluation exceeded <see cref="SchemaOptions.MaxEvaluationDepth"/>.</exception>
    public bool IsValid(JsonNode? instance)
    {
        var evaluator = new Evaluator(null, dynamicScope, options.MaxEvaluationDepth, options.MaxErrors);
        return root.Evaluate(instance, evaluator, null);
    }
}
