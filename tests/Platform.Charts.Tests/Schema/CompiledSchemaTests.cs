using System.Text.Json.Nodes;
using Platform.Charts.Schema;
using Platform.Charts.Values;

namespace Platform.Charts.Tests.Schema;

public sealed class CompiledSchemaTests
{
    [Theory]
    [InlineData("""{"multipleOf": 0.01}""", "19.99", true)]
    [InlineData("""{"multipleOf": 0.1}""", "0.3", true)]
    [InlineData("""{"multipleOf": 0.01}""", "19.991", false)]
    [InlineData("""{"maximum": 18446744073709551615}""", "18446744073709551616", false)]
    [InlineData("""{"maximum": 18446744073709551615}""", "18446744073709551615", true)]
    [InlineData("""{"const": 12345678901234567890123}""", "12345678901234567890123.0", true)]
    [InlineData("""{"type": "integer"}""", "1.0", true)]
    [InlineData("""{"type": "integer"}""", "12345678910111213141516171819202122232425262728293031", true)]
    [InlineData("""{"exclusiveMinimum": 0}""", "1e-50", true)]
    [InlineData("""{"enum": [1, "a", {"b": [1.0]}]}""", """{"b": [1]}""", true)]
    public void Validate_NumbersAndEquality_AreExact(string schema, string instance, bool valid)
    {
        var compiled = CompiledSchema.Parse(schema);
        Assert.Equal(valid, compiled.Validate(JsonNode.Parse(instance)).IsValid);
        Assert.Equal(valid, compiled.IsValid(JsonNode.Parse(instance)));
    }

    [Fact]
    public void Validate_ValuesFromYaml_NumbersAndStringsBehaveAsJson()
    {
        var schema = CompiledSchema.Parse("""{"properties": {"port": {"type": "integer", "maximum": 65535}, "ratio": {"multipleOf": 0.05}, "tag": {"type": "string", "pattern": "^v\\d+$"}}}""");
        Assert.True(schema.IsValid(ValuesYaml.Parse("port: 8080\nratio: 0.15\ntag: v12\n")));
        SchemaValidationResult bad = schema.Validate(ValuesYaml.Parse("port: 70000\nratio: 0.12\ntag: v1٣\n"));
        Assert.Equal(["/port", "/ratio", "/tag"], bad.Errors.Select(e => e.InstanceLocation).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Validate_ErrorsAsData_CarryPointerKeywordAndSchemaLocation()
    {
        var schema = CompiledSchema.Parse("""
            {"$defs": {"port": {"type": "integer"}},
             "properties": {"a/b": {"properties": {"ports": {"items": {"$ref": "#/$defs/port"}}}},
                            "mode": {"anyOf": [{"const": "x"}, {"type": "integer"}]}},
             "additionalProperties": false}
            """);
        SchemaValidationResult r = schema.Validate(JsonNode.Parse("""{"a/b": {"ports": [1, "two"]}, "mode": "y", "extra": 1}"""));

        Assert.False(r.IsValid);
        SchemaError type = Assert.Single(r.Errors, e => e.Keyword == "type");
        Assert.Equal("/a~1b/ports/1", type.InstanceLocation);
        Assert.Equal("#/$defs/port/type", type.SchemaLocation);
        Assert.Equal("got string, want integer", type.Message);
        SchemaError anyOf = Assert.Single(r.Errors, e => e.Keyword == "anyOf");
        Assert.Equal("'anyOf' failed", anyOf.Message);
        Assert.Equal(["value must be 'x'", "got string, want integer"], anyOf.Causes.Select(c => c.Message));
        SchemaError additional = Assert.Single(r.Errors, e => e.Keyword == "additionalProperties");
        Assert.Equal("additional properties 'extra' not allowed", additional.Message);
        Assert.Equal(
            "- at '/a~1b/ports/1': got string, want integer\n- at '/mode': 'anyOf' failed\n  - at '/mode': value must be 'x'\n  - at '/mode': got string, want integer\n- at '': additional properties 'extra' not allowed\n",
            ChartSchemaResult.FormatErrors(r.Errors));
    }

    [Fact]
    public void Compile_DraftComesFromSchemaKeyword_DefaultIs202012()
    {
        Assert.Equal(SchemaDraft.Draft202012, CompiledSchema.Parse("{}").Draft);
        Assert.Equal(SchemaDraft.Draft7, CompiledSchema.Parse("""{"$schema": "https://json-schema.org/draft-07/schema#"}""").Draft);
        Assert.Equal(SchemaDraft.Draft201909, CompiledSchema.Parse("""{"$schema": "https://json-schema.org/draft/2019-09/schema"}""").Draft);
        Assert.Equal(SchemaDraft.Draft7, CompiledSchema.Parse("{}", new SchemaOptions { DefaultDraft = SchemaDraft.Draft7 }).Draft);
    }

    [Fact]
    public void Validate_FormatAssertedForDraft7Only_UnlessOptionSaysSo()
    {
        JsonNode bad = JsonValue.Create("not-an-email");
        Assert.False(CompiledSchema.Parse("""{"$schema": "http://json-schema.org/draft-07/schema#", "format": "email"}""").IsValid(bad));
        Assert.True(CompiledSchema.Parse("""{"format": "email"}""").IsValid(bad));
        Assert.False(CompiledSchema.Parse("""{"format": "email"}""", new SchemaOptions { Format = FormatAssertion.Always }).IsValid(bad));
        Assert.True(CompiledSchema.Parse("""{"$schema": "http://json-schema.org/draft-07/schema#", "format": "email"}""", new SchemaOptions { Format = FormatAssertion.Never }).IsValid(bad));
    }

    [Fact]
    public void Compile_RemoteRefThroughResolver_IsUsed()
    {
        var resolver = new InMemorySchemaResolver().Add(new Uri("https://schemas.example.com/port.json"), JsonNode.Parse("""{"type": "integer", "minimum": 1}""")!);
        var schema = CompiledSchema.Parse("""{"properties": {"port": {"$ref": "https://schemas.example.com/port.json"}}}""", new SchemaOptions { Resolver = resolver });
        Assert.True(schema.IsValid(JsonNode.Parse("""{"port": 80}""")));
        Assert.False(schema.IsValid(JsonNode.Parse("""{"port": 0}""")));
    }

    [Fact]
    public void Validate_ConcurrentCallsOnOneSchema_AgreeWithSequentialResults()
    {
        var schema = CompiledSchema.Parse("""
            {"$defs": {"node": {"type": "object", "properties": {"v": {"enum": ["a", "b"]}, "next": {"$ref": "#/$defs/node"}}, "unevaluatedProperties": false}},
             "$ref": "#/$defs/node"}
            """);
        JsonNode[] instances = Enumerable.Range(0, 200)
            .Select(i => JsonNode.Parse(i % 3 == 0 ? """{"v": "a", "next": {"v": "b", "x": 1}}""" : """{"v": "b", "next": {"v": "a"}}""")!)
            .ToArray();
        bool[] expected = instances.Select(i => schema.Validate(i).IsValid).ToArray();
        Assert.Contains(true, expected);
        Assert.Contains(false, expected);

        var actual = new bool[instances.Length];
        Parallel.For(0, instances.Length * 10, new ParallelOptions { MaxDegreeOfParallelism = 4 }, k =>
        {
            int i = k % instances.Length;
            bool a = schema.Validate(instances[i]).IsValid;
            bool b = schema.IsValid(instances[i]);
            actual[i] = a == b ? a : !expected[i];
        });
        Assert.Equal(expected, actual);
    }
}

public sealed class CompiledSchemaClrValueTests
{
    [Fact]
    public void Validate_ClrBackedValues_AreReadLikeParsedJson()
    {
        var schema = CompiledSchema.Parse("""{"properties": {"when": {"type": "string", "minLength": 10}, "id": {"enum": ["3f2504e0-4f89-11d3-9a0c-0305e82c3301"]}, "n": {"type": "integer", "maximum": 5}, "c": {"const": "x"}}}""");
        var ok = new JsonObject { ["when"] = new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc), ["id"] = Guid.Parse("3f2504e0-4f89-11d3-9a0c-0305e82c3301"), ["n"] = 5L, ["c"] = 'x' };
        Assert.True(schema.Validate(ok).IsValid);
        var bad = new JsonObject { ["n"] = 5.5, ["c"] = 'y' };
        Assert.Equal(["/c const", "/n maximum", "/n type"], schema.Validate(bad).Errors.Select(e => e.InstanceLocation + " " + e.Keyword).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Compile_ResolverThatThrows_IsWrappedInSchemaException()
    {
        var options = new SchemaOptions { Resolver = new ThrowingResolver() };
        var ex = Assert.Throws<Platform.Abstractions.SchemaException>(() => CompiledSchema.Parse("""{"$ref": "https://example.com/a.json"}""", options));
        Assert.Contains("resolver failed to supply 'https://example.com/a.json'", ex.Message);
        Assert.IsType<IOException>(ex.InnerException);
    }

    private sealed class ThrowingResolver : ISchemaResolver
    {
        public JsonNode? Resolve(Uri uri) => throw new IOException("disk on fire");
    }
}

public sealed class CompiledSchemaDraftTests
{
    [Theory]
    [InlineData("http://json-schema.org/schema#", SchemaDraft.Draft202012)]
    [InlineData("https://json-schema.org/draft-07/schema#", SchemaDraft.Draft7)]
    [InlineData("http://json-schema.org/draft-04/schema#", SchemaDraft.Draft7)]
    [InlineData("https://json-schema.org/draft/2019-09/schema", SchemaDraft.Draft201909)]
    public void Compile_SchemaUriUnderEitherScheme_PicksTheDraftAsHelmV4(string uri, SchemaDraft draft)
    {
        Assert.Equal(draft, CompiledSchema.Parse($$"""{"$schema": "{{uri}}"}""").Draft);
    }
}
