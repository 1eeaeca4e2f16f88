using System.Text.Json.Nodes;
using Platform.Abstractions;
using Platform.Charts.Schema;

namespace Platform.Charts.Tests.Schema;

/// <summary>Hostile or broken schemas give a clear <see cref="SchemaException"/> or a bounded failure, never a crash or hang.</summary>
public sealed class BadSchemaTests
{
    [Theory]
    [InlineData("""{"pattern": "(unclosed"}""", "Invalid regular expression '(unclosed' at #/pattern")]
    [InlineData("""{"patternProperties": {"[z-a]": true}}""", "Invalid regular expression '[z-a]' at #/patternProperties")]
    [InlineData("""{"pattern": "\\a"}""", "is not an ECMA-262 escape")]
    [InlineData("""{"$ref": "#/$defs/missing"}""", "Unknown $ref '#/$defs/missing' at #/$ref")]
    [InlineData("""{"$ref": "other.json"}""", "Unknown $ref 'file:///other.json'")]
    [InlineData("""{"$ref": "https://example.com/s.json"}""", "no resolver is configured")]
    [InlineData("""{"$ref": "#nowhere"}""", "no anchor 'nowhere'")]
    [InlineData("""{"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}}, "$ref": "#/$defs/a"}""", "$ref cycle")]
    [InlineData("""{"$ref": "#"}""", "$ref cycle")]
    [InlineData("""{"type": 5}""", "type at # must be a type name")]
    [InlineData("""{"type": "text"}""", "unknown type 'text'")]
    [InlineData("""{"minLength": -1}""", "minLength at # must be a non-negative integer")]
    [InlineData("""{"multipleOf": 0}""", "multipleOf at # must be greater than 0")]
    [InlineData("""{"properties": {"a": 3}}""", "The schema at #/properties/a must be a JSON object or boolean, not a number")]
    [InlineData("""{"allOf": []}""", "#/allOf must be a non-empty array")]
    [InlineData("""{"required": "name"}""", "#/required must be an array of strings")]
    [InlineData("""{"$schema": "https://example.com/custom-meta"}""", "Unknown $ref 'https://example.com/custom-meta'")]
    [InlineData("""{"a": 1""", "not valid JSON at line 1")]
    [InlineData("""42""", "must be a JSON object or boolean")]
    public void Parse_BadSchemaWithoutMetaschemaCheck_CompilerStillThrowsClearSchemaException(string schema, string expected)
    {
        // the compiler's own checks, which also guard schemas under custom meta-schemas
        var ex = Assert.Throws<SchemaException>(() => CompiledSchema.Parse(schema, new SchemaOptions { ValidateAgainstMetaschema = false }));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"type": 5}""", "- at '/type': 'anyOf' failed")]
    [InlineData("""{"minLength": -1}""", "- at '/minLength': minimum: got -1, want 0")]
    [InlineData("""{"properties": {"a": 3}}""", "- at '/properties/a': got number, want object or boolean")]
    [InlineData("""{"$schema": "http://json-schema.org/draft-07/schema#", "required": "name"}""", "- at '/required': got string, want array")]
    [InlineData("""{"$schema": "https://json-schema.org/draft/2019-09/schema", "multipleOf": 0}""", "- at '/multipleOf': exclusiveMinimum: got 0, want 0")]
    public void Parse_SchemaBreakingItsMetaschema_ThrowsWithTheMetaschemaErrors(string schema, string expected)
    {
        var ex = Assert.Throws<SchemaException>(() => CompiledSchema.Parse(schema));
        Assert.StartsWith("The schema is not valid against its meta-schema", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TenThousandDeepText_ThrowsSchemaException()
    {
        string deep = string.Concat(Enumerable.Repeat("{\"not\":", 10_000)) + "{}" + new string('}', 10_000);
        var ex = Assert.Throws<SchemaException>(() => CompiledSchema.Parse(deep));
        Assert.Contains("not valid JSON", ex.Message);
    }

    [Fact]
    public void Compile_TenThousandDeepTree_ThrowsSchemaExceptionWithoutOverflow()
    {
        JsonObject root = new();
        JsonObject current = root;
        for (int i = 0; i < 10_000; i++)
        {
            var next = new JsonObject();
            current["properties"] = new JsonObject { ["a"] = next };
            current = next;
        }

        var ex = Assert.Throws<SchemaException>(() => CompiledSchema.Compile(root));
        Assert.Contains("MaxSchemaDepth", ex.Message);
    }

    [Fact]
    public void Validate_TenThousandDeepInstanceOnRecursiveSchema_ThrowsBoundedSchemaException()
    {
        CompiledSchema schema = CompiledSchema.Parse("""{"type": "object", "properties": {"a": {"$ref": "#"}}}""");
        JsonObject root = new();
        JsonObject current = root;
        for (int i = 0; i < 10_000; i++)
        {
            var next = new JsonObject();
            current["a"] = next;
            current = next;
        }

        var ex = Assert.Throws<SchemaException>(() => schema.Validate(root));
        Assert.Contains("maximum depth (512)", ex.Message);
        Assert.Throws<SchemaException>(() => schema.IsValid(root));
    }

    [Fact]
    public void Validate_InPlaceCycleThroughAllOf_ThrowsBoundedSchemaException()
    {
        CompiledSchema schema = CompiledSchema.Parse("""{"$defs": {"a": {"allOf": [{"$ref": "#/$defs/a"}]}}, "$ref": "#/$defs/a"}""");
        var ex = Assert.Throws<SchemaException>(() => schema.Validate(new JsonObject()));
        Assert.Contains("$ref cycle that consumes no input", ex.Message);
    }

    [Fact]
    public void Validate_CatastrophicPatternOnLinearEngine_FailsWithoutHanging()
    {
        CompiledSchema schema = CompiledSchema.Parse("""{"pattern": "^(a+)+$"}""");
        SchemaValidationResult result = schema.Validate(JsonValue.Create(new string('a', 5000) + "!"));
        Assert.False(result.IsValid);
        Assert.Contains("does not match pattern", Assert.Single(result.Errors).Message);
        Assert.True(schema.IsValid(JsonValue.Create(new string('a', 5000))));
    }

    [Fact]
    public void Validate_CatastrophicPatternNeedingBacktracking_TimesOutAsValidationError()
    {
        var options = new SchemaOptions { RegexMatchTimeout = TimeSpan.FromMilliseconds(50) };
        CompiledSchema schema = CompiledSchema.Parse("""{"pattern": "^(a|aa)+(?=b)\\1$"}""", options);
        SchemaValidationResult result = schema.Validate(JsonValue.Create(new string('a', 64) + "c"));
        Assert.False(result.IsValid);
        Assert.Contains("timed out", Assert.Single(result.Errors).Message);
    }

    [Fact]
    public void Options_NonPositiveTimeout_ThrowsArgumentOutOfRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CompiledSchema.Parse("{}", new SchemaOptions { RegexMatchTimeout = TimeSpan.Zero }));
    }
}
