using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.Charts.Forms;

namespace Platform.Charts.Tests.Forms;

public sealed class FormBuilderSchemaTests
{
    private static FormModel Build(string schema, string? defaults = null, FormBuildOptions? options = null) =>
        FormBuilder.FromSchema(schema, defaults is null ? null : (JsonObject)JsonNode.Parse(defaults)!, null, options);

    private static FormField Field(FormModel model, string path) => model.Find(path) ?? throw new Xunit.Sdk.XunitException($"no field {path}");

    [Fact]
    public void FromSchema_Labels_TitleElseHumanisedKey()
    {
        var m = Build("""{"properties":{"wordpressUsername":{"type":"string"},"apiURL":{"type":"string"},"tls_secret_name":{"type":"string"},"x":{"type":"string","title":"Custom"}}}""");
        Assert.Equal("Wordpress username", Field(m, "wordpressUsername").Label);
        Assert.Equal("Api URL", Field(m, "apiURL").Label);
        Assert.Equal("Tls secret name", Field(m, "tls_secret_name").Label);
        Assert.Equal("Custom", Field(m, "x").Label);
    }

    [Theory]
    [InlineData("""{"type":"string"}""", FormWidget.Text)]
    [InlineData("""{"type":"string","maxLength":10}""", FormWidget.Text)]
    [InlineData("""{"type":"string","render":"textArea"}""", FormWidget.TextArea)]
    [InlineData("""{"type":"string","format":"password"}""", FormWidget.Password)]
    [InlineData("""{"type":"string","writeOnly":true}""", FormWidget.Password)]
    [InlineData("""{"type":"integer"}""", FormWidget.Integer)]
    [InlineData("""{"type":"number"}""", FormWidget.Number)]
    [InlineData("""{"type":["integer","number"]}""", FormWidget.Number)]
    [InlineData("""{"type":"boolean"}""", FormWidget.Toggle)]
    [InlineData("""{"enum":["a","b"]}""", FormWidget.Select)]
    [InlineData("""{"type":"array","items":{"enum":["a","b"]}}""", FormWidget.MultiSelect)]
    [InlineData("""{"type":"array","items":{"type":"object","properties":{"n":{"type":"string"}}}}""", FormWidget.ObjectList)]
    [InlineData("""{"type":"array","items":{"type":"string"}}""", FormWidget.List)]
    [InlineData("""{"type":"object","additionalProperties":{"type":"string"}}""", FormWidget.KeyValueMap)]
    [InlineData("""{"type":"object","properties":{"a":{"type":"string"}}}""", FormWidget.Group)]
    [InlineData("""{"type":"object"}""", FormWidget.Yaml)]
    [InlineData("""{"type":["object","string"]}""", FormWidget.Yaml)]
    [InlineData("""{"type":["string","boolean"]}""", FormWidget.Text)]
    [InlineData("""{"type":"integer","render":"slider","sliderMin":1,"sliderMax":9}""", FormWidget.Slider)]
    [InlineData("""{}""", FormWidget.Yaml)]
    public void FromSchema_Widget_FollowsTypeAndHints(string property, FormWidget expected)
    {
        var m = Build("{\"properties\":{\"p\":" + property + "}}");
        Assert.Equal(expected, Field(m, "p").Widget);
    }

    [Fact]
    public void FromSchema_Secrets_ByNameOnlyForStrings_NeverExposeValues()
    {
        var options = new FormBuildOptions
        {
            CurrentValues = (JsonObject)JsonNode.Parse("""{"auth":{"password":"cur"}}""")!,
            DeployedValues = (JsonObject)JsonNode.Parse("""{"auth":{"password":"dep"}}""")!,
        };
        var m = Build(
            """{"properties":{"auth":{"type":"object","properties":{"password":{"type":"string"},"existingSecret":{"type":"string"},"rootPasswordName":{"type":"string"},"automountServiceAccountToken":{"type":"boolean"}}}}}""",
            """{"auth":{"password":"def","existingSecret":"s"}}""",
            options);
        var pw = Field(m, "auth.password");
        Assert.True(pw.IsSecret);
        Assert.Equal(FormWidget.Password, pw.Widget);
        Assert.True(pw.HasSecretValue);
        Assert.Null(pw.Default);
        Assert.Null(pw.Current);
        Assert.Null(pw.Deployed);
        Assert.DoesNotContain("\"def\"", FormModelJson.Serialize(m), StringComparison.Ordinal);
        Assert.DoesNotContain("\"cur\"", FormModelJson.Serialize(m), StringComparison.Ordinal);
        Assert.False(Field(m, "auth.existingSecret").IsSecret);
        Assert.False(Field(m, "auth.rootPasswordName").IsSecret);
        Assert.Equal(FormWidget.Toggle, Field(m, "auth.automountServiceAccountToken").Widget);

        var off = Build("""{"properties":{"password":{"type":"string"}}}""", null, new FormBuildOptions { DetectSecretsByName = false });
        Assert.False(Field(off, "password").IsSecret);
    }

    [Fact]
    public void FromSchema_Values_DefaultCurrentDeployed()
    {
        var options = new FormBuildOptions
        {
            CurrentValues = (JsonObject)JsonNode.Parse("""{"replicas":3}""")!,
            DeployedValues = (JsonObject)JsonNode.Parse("""{"replicas":2}""")!,
        };
        var m = Build("""{"properties":{"replicas":{"type":"integer","default":9},"other":{"type":"string","default":"x"}}}""", """{"replicas":1}""", options);
        var r = Field(m, "replicas");
        Assert.Equal(1, r.Default!.Value.GetInt32());
        Assert.Equal(3, r.Current!.Value.GetInt32());
        Assert.Equal(2, r.Deployed!.Value.GetInt32());
        Assert.Equal("x", Field(m, "other").Default!.Value.GetString()); // schema default when values.yaml has none
        Assert.Null(Field(m, "other").Current);
    }

    [Fact]
    public void FromSchema_Constraints_AllRead()
    {
        var m = Build("""
            {"properties":{
              "n":{"type":"number","minimum":1,"maximum":10,"exclusiveMinimum":0,"exclusiveMaximum":11,"multipleOf":0.5},
              "old":{"type":"number","minimum":1,"exclusiveMinimum":true},
              "s":{"type":"string","minLength":2,"maxLength":5,"pattern":"^[a-z]+$","format":"email"},
              "l":{"type":"array","items":{"type":"string"},"minItems":1,"maxItems":3,"uniqueItems":true},
              "r":{"type":"string","readOnly":true,"deprecated":true,"examples":["e1","e2"]}}}
            """);
        var n = Field(m, "n").Constraints;
        Assert.Equal((1m, 10m, 0m, 11m, 0.5m), (n.Minimum!.Value, n.Maximum!.Value, n.ExclusiveMinimum!.Value, n.ExclusiveMaximum!.Value, n.MultipleOf!.Value));
        Assert.Equal(1m, Field(m, "old").Constraints.ExclusiveMinimum);
        Assert.Null(Field(m, "old").Constraints.Minimum);
        var s = Field(m, "s").Constraints;
        Assert.Equal((2, 5, "^[a-z]+$", "email"), (s.MinLength!.Value, s.MaxLength!.Value, s.Pattern, s.Format));
        var l = Field(m, "l").Constraints;
        Assert.Equal((1, 3, true), (l.MinItems!.Value, l.MaxItems!.Value, l.UniqueItems));
        var r = Field(m, "r");
        Assert.True(r.ReadOnly);
        Assert.True(r.Deprecated);
        Assert.Equal(["e1", "e2"], r.Examples.Select(e => e.GetString()));
        Assert.True(Field(m, "n").Constraints is { IsEmpty: false });
        Assert.True(Field(m, "r").Constraints.IsEmpty);
    }

    [Fact]
    public void FromSchema_Required_FromParent()
    {
        var m = Build("""{"required":["a"],"properties":{"a":{"type":"string"},"b":{"type":"string"}}}""");
        Assert.True(Field(m, "a").Required);
        Assert.False(Field(m, "b").Required);
    }

    [Fact]
    public void FromSchema_Refs_DefsDefinitionsPointerEscapesAnchorsAndIds()
    {
        var m = Build("""
            {"$id":"https://example.com/root.json",
             "$defs":{"port":{"type":"integer","title":"Port","maximum":65535},"a/b":{"type":"boolean"}},
             "definitions":{"name":{"type":"string","minLength":1}},
             "properties":{
               "p":{"$ref":"#/$defs/port"},
               "n":{"$ref":"#/definitions/name"},
               "e":{"$ref":"#/$defs/a~1b"},
               "an":{"$ref":"other.json#anchored"},"an2":{"$ref":"#top"},
               "rel":{"$ref":"other.json#/x"},
               "abs":{"$ref":"https://example.com/other.json"}},
             "$comment":"an embedded resource","$defs2":{"$anchor":"top","type":"integer"},
             "items":{"$id":"other.json","$anchor":"anchored","type":"string","title":"Anchored","x":{"type":"number"}}}
            """);
        Assert.Equal(("Port", FormWidget.Integer, 65535m), (Field(m, "p").Label, Field(m, "p").Widget, Field(m, "p").Constraints.Maximum!.Value));
        Assert.Equal(1, Field(m, "n").Constraints.MinLength);
        Assert.Equal(FormWidget.Toggle, Field(m, "e").Widget);
        Assert.Equal("Anchored", Field(m, "an").Label);
        Assert.Equal(FormWidget.Integer, Field(m, "an2").Widget);
        Assert.Equal(FormWidget.Number, Field(m, "rel").Widget);
        Assert.Equal("Anchored", Field(m, "abs").Label);
        Assert.Empty(m.Warnings);
    }

    [Fact]
    public void FromSchema_AllOf_Merged()
    {
        var m = Build("""
            {"properties":{"db":{"allOf":[
               {"properties":{"host":{"type":"string"}},"required":["host"]},
               {"$ref":"#/$defs/port"},
               {"properties":{"host":{"maxLength":63,"title":"Host"}}}]}},
             "$defs":{"port":{"type":"object","properties":{"port":{"type":"integer"}}}}}
            """);
        var db = Field(m, "db");
        Assert.Equal(FormWidget.Group, db.Widget);
        Assert.Equal(["db.host", "db.port"], db.Fields.Select(f => f.Path));
        var host = Field(m, "db.host");
        Assert.True(host.Required);
        Assert.Equal(63, host.Constraints.MaxLength);
        Assert.Equal(FormWidget.Text, host.Widget);
        Assert.Equal("Host", host.Label);
    }

    [Fact]
    public void FromSchema_OneOf_ChoicesWithSelectionFromValue()
    {
        var m = Build(
            """
            {"properties":{"storage":{"oneOf":[
               {"title":"Persistent volume","type":"object","properties":{"size":{"type":"string"}},"required":["size"]},
               {"title":"Host path","type":"object","properties":{"path":{"type":"string"}},"required":["path"]}]}}}
            """,
            """{"storage":{"path":"/data"}}""");
        var s = Field(m, "storage");
        Assert.Equal(FormWidget.Choice, s.Widget);
        Assert.Equal(["Persistent volume", "Host path"], s.Choices.Select(c => c.Label));
        Assert.Equal(1, s.SelectedChoice);
        Assert.Equal("storage.path", s.Choices[1].Field.Fields.Single().Path);
    }

    [Fact]
    public void FromSchema_AnyOf_NullAlternativeIsNullable_ConstsAreSelect_TypesAreUnion()
    {
        var m = Build("""
            {"properties":{
              "a":{"anyOf":[{"type":"null"},{"type":"string","maxLength":3}]},
              "b":{"oneOf":[{"const":"x","title":"Ex"},{"const":"y"}]},
              "c":{"anyOf":[{"type":"string"},{"type":"integer"}]},
              "d":{"anyOf":[{"type":"object","properties":{"x":{"type":"string"}}},{"type":"string"}]},
              "e":{"type":"object","oneOf":[{"required":["a"]},{"required":["b"]}],"properties":{"a":{"type":"string"}}}}}
            """);
        var a = Field(m, "a");
        Assert.True(a.Nullable);
        Assert.Equal(FormWidget.Text, a.Widget);
        Assert.Equal(3, a.Constraints.MaxLength);
        var b = Field(m, "b");
        Assert.Equal(FormWidget.Select, b.Widget);
        Assert.Equal(["Ex", "y"], b.Options.Select(o => o.Label));
        Assert.Equal(FormWidget.Text, Field(m, "c").Widget);
        Assert.Equal(["string", "integer"], Field(m, "c").Types);
        Assert.Equal(FormWidget.Choice, Field(m, "d").Widget);
        Assert.Equal(FormWidget.Group, Field(m, "e").Widget); // alternatives made only of "required" do not shape the form
    }

    [Fact]
    public void FromSchema_IfThenElse_ConditionalFieldsAndRequired()
    {
        var m = Build("""
            {"properties":{"mode":{"enum":["internal","external"]}},
             "required":["mode"],
             "if":{"properties":{"mode":{"const":"external"}},"required":["mode"]},
             "then":{"properties":{"host":{"type":"string"}},"required":["host"]},
             "else":{"properties":{"size":{"type":"string"}}}}
            """);
        var host = Field(m, "host");
        var size = Field(m, "size");
        Assert.Equal("mode == \"external\"", host.VisibleWhen!.ToString());
        Assert.Equal("!(mode == \"external\")", size.VisibleWhen!.ToString());
        Assert.Equal("mode == \"external\"", host.RequiredWhen!.ToString());
        Assert.True(host.VisibleWhen.Evaluate(JsonNode.Parse("""{"mode":"external"}""")));
        Assert.False(host.VisibleWhen.Evaluate(JsonNode.Parse("""{"mode":"internal"}""")));
        Assert.True(size.VisibleWhen.Evaluate(JsonNode.Parse("""{"mode":"internal"}""")));
    }

    [Fact]
    public void FromSchema_IfWithoutRequired_HoldsWhenPropertyAbsent()
    {
        var m = Build("""{"properties":{"on":{"type":"boolean"}},"if":{"properties":{"on":{"const":true}}},"then":{"properties":{"x":{"type":"string"}}}}""");
        var x = Field(m, "x").VisibleWhen!;
        Assert.True(x.Evaluate(new JsonObject()));
        Assert.True(x.Evaluate(JsonNode.Parse("""{"on":true}""")));
        Assert.False(x.Evaluate(JsonNode.Parse("""{"on":false}""")));
    }

    [Fact]
    public void FromSchema_ComplexIf_FieldsShownWithWarning()
    {
        var m = Build("""{"if":{"properties":{"a":{"minimum":3}}},"then":{"properties":{"b":{"type":"string"}}}}""");
        Assert.Null(Field(m, "b").VisibleWhen);
        Assert.Contains(m.Warnings, w => w.Contains("'if'", StringComparison.Ordinal));
    }

    [Fact]
    public void FromSchema_DependentSchemasAndRequired_AndDraft7Dependencies()
    {
        var m = Build("""
            {"properties":{"tls":{"type":"object","properties":{"cert":{"type":"string"},"key":{"type":"string"},"ca":{"type":"string"},"x":{"type":"string"}},
               "dependentRequired":{"cert":["key"]},
               "dependentSchemas":{"ca":{"properties":{"verify":{"type":"boolean"}},"required":["x"]}},
               "dependencies":{"x":["cert"],"key":{"properties":{"pass":{"type":"string"}}}}}}}
            """);
        Assert.Equal("tls.cert is set", Field(m, "tls.key").RequiredWhen!.ToString());
        Assert.Equal("tls.ca is set", Field(m, "tls.verify").VisibleWhen!.ToString());
        Assert.Equal("tls.ca is set", Field(m, "tls.x").RequiredWhen!.ToString());
        Assert.Equal("tls.x is set", Field(m, "tls.cert").RequiredWhen!.ToString());
        Assert.Equal("tls.key is set", Field(m, "tls.pass").VisibleWhen!.ToString());
    }

    [Fact]
    public void FromSchema_RecursiveRef_CutIntoYamlWithWarning()
    {
        var m = Build("""
            {"properties":{"route":{"$ref":"#/definitions/route"}},
             "definitions":{"route":{"type":"object","properties":{"receiver":{"type":"string"},"routes":{"type":"array","items":{"$ref":"#/definitions/route"}}}}}}
            """);
        Assert.Equal(FormWidget.Text, Field(m, "route.receiver").Widget);
        var routes = Field(m, "route.routes");
        Assert.True(routes.Recursive || routes.Item?.Recursive == true);
        Assert.Contains(m.Warnings, w => w.Contains("recursive", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"$ref":"#"}""")]
    [InlineData("""{"properties":{"a":{"$ref":"#/$defs/x"}},"$defs":{"x":{"$ref":"#/$defs/y"},"y":{"$ref":"#/$defs/x"}}}""")]
    [InlineData("""{"properties":{"a":{"$ref":"#/$defs/x"}},"$defs":{"x":{"allOf":[{"$ref":"#/$defs/x"}]}}}""")]
    public void FromSchema_RefCycle_ClearError(string schema)
    {
        var ex = Assert.Throws<FormException>(() => Build(schema));
        Assert.Contains("$ref cycle", ex.Message, StringComparison.Ordinal);
        Assert.NotNull(ex.Location);
    }

    [Fact]
    public void FromSchema_UnresolvableRef_WarnsOncePerDocument()
    {
        var m = Build("""{"properties":{"a":{"$ref":"https://x.invalid/d.json#/a"},"b":{"$ref":"https://x.invalid/d.json#/b","type":"string"},"c":{"$ref":"#/nope"}}}""");
        Assert.Equal(FormWidget.Text, Field(m, "b").Widget);
        Assert.Equal(2, m.Warnings.Count);
        Assert.Contains(m.Warnings, w => w.Contains("https://x.invalid/d.json", StringComparison.Ordinal));
        Assert.Contains(m.Warnings, w => w.Contains("#/nope", StringComparison.Ordinal));
    }

    [Fact]
    public void FromSchema_TenThousandDeep_ClearErrorNoCrash()
    {
        var sb = new StringBuilder();
        for (int i = 0; i < 10_000; i++)
        {
            sb.Append("{\"properties\":{\"a\":");
        }

        sb.Append("{}");
        for (int i = 0; i < 10_000; i++)
        {
            sb.Append("}}");
        }

        var ex = Assert.Throws<FormException>(() => Build(sb.ToString()));
        Assert.Contains("deeper than 512", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromSchema_DeepButAccepted_CutAtFieldDepth()
    {
        var sb = new StringBuilder();
        for (int i = 0; i < 100; i++)
        {
            sb.Append("{\"type\":\"object\",\"properties\":{\"a\":");
        }

        sb.Append("{\"type\":\"string\"}");
        for (int i = 0; i < 100; i++)
        {
            sb.Append("}}");
        }

        var m = Build(sb.ToString());
        Assert.True(m.Descendants().Count() <= 33);
        Assert.Contains(m.Warnings, w => w.Contains("deeper than 32", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("[1,2]", "array")]
    [InlineData("42", "number")]
    [InlineData("\"s\"", "string")]
    public void FromSchema_NonObjectRoot_ClearError(string schema, string kind)
    {
        var ex = Assert.Throws<FormException>(() => Build(schema));
        Assert.Contains("root is a JSON " + kind, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromSchema_BooleanRoots()
    {
        Assert.Empty(Build("true").Fields);
        Assert.Single(Build("true", """{"a":1}""").Fields);
        Assert.Throws<FormException>(() => Build("false"));
    }

    [Fact]
    public void FromSchema_InvalidJson_NamesLine()
    {
        var ex = Assert.Throws<FormException>(() => FormBuilder.FromSchema("{\n \"a\": ,\n}", sourceName: "values.schema.json"));
        Assert.StartsWith("values.schema.json:2:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromSchema_FieldBudget_ClearError()
    {
        var props = string.Join(",", Enumerable.Range(0, 50).Select(i => $"\"p{i}\":{{\"$ref\":\"#/$defs/wide\"}}"));
        var wide = string.Join(",", Enumerable.Range(0, 50).Select(i => $"\"w{i}\":{{\"type\":\"string\"}}"));
        var schema = "{\"properties\":{" + props + "},\"$defs\":{\"wide\":{\"type\":\"object\",\"properties\":{" + wide + "}}}}";
        Assert.Equal(2550, Build(schema).Descendants().Count());
        var ex = Assert.Throws<FormException>(() => Build(schema, null, new FormBuildOptions { MaxFields = 1000 }));
        Assert.Contains("more than 1000 fields", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromSchema_ValuesNotInSchema_InferredUnlessClosed()
    {
        var m = Build(
            """{"properties":{"open":{"type":"object","properties":{"a":{"type":"string"}}},"closed":{"type":"object","additionalProperties":false,"properties":{"a":{"type":"string"}}}}}""",
            """{"open":{"a":"x","extra":5},"closed":{"a":"x","extra":5},"top":true}""");
        Assert.Equal(FormWidget.Integer, Field(m, "open.extra").Widget);
        Assert.Null(m.Find("closed.extra"));
        Assert.Equal(FormWidget.Toggle, Field(m, "top").Widget);
        var without = Build("""{"properties":{"a":{"type":"string"}}}""", """{"b":1}""", new FormBuildOptions { IncludeValuesNotInSchema = false });
        Assert.Null(without.Find("b"));
    }

    [Fact]
    public void FromSchema_KubeappsHints()
    {
        var m = Build("""
            {"properties":{
              "size":{"type":"string","form":true,"render":"slider","sliderMin":1,"sliderMax":100,"sliderStep":5,"sliderUnit":"Gi"},
              "conf":{"type":"string","render":"textArea"},
              "enabled":{"type":"boolean","form":true},
              "arch":{"type":"string"},
              "a":{"type":"string","hidden":"enabled"},
              "b":{"type":"string","hidden":{"path":"db/enabled","value":false}},
              "c":{"type":"string","hidden":{"conditions":[{"path":"arch","value":"standalone"},{"path":"enabled","value":false}],"operator":"or"}},
              "d":{"type":"string","hidden":{"conditions":[{"path":"arch","value":"standalone"}],"operator":"nor"}},
              "e":{"type":"string","hidden":{"value":"ingress.enabled","condition":false}}}}
            """);
        Assert.True(m.HasBasicHints);
        var size = Field(m, "size");
        Assert.True(size.Basic);
        Assert.Equal(FormWidget.Slider, size.Widget);
        Assert.Equal(new FormSlider(1, 100, 5, "Gi"), size.Slider);
        Assert.Equal(FormWidget.TextArea, Field(m, "conf").Widget);
        Assert.False(Field(m, "conf").Basic);
        Assert.Equal("!(enabled)", Field(m, "a").VisibleWhen!.ToString());
        Assert.Equal("!(db.enabled == false)", Field(m, "b").VisibleWhen!.ToString());
        var c = Field(m, "c").VisibleWhen!;
        Assert.False(c.Evaluate(JsonNode.Parse("""{"arch":"standalone","enabled":true}""")));
        Assert.False(c.Evaluate(JsonNode.Parse("""{"arch":"replication","enabled":false}""")));
        Assert.True(c.Evaluate(JsonNode.Parse("""{"arch":"replication","enabled":true}""")));
        var d = Field(m, "d").VisibleWhen!;
        Assert.True(d.Evaluate(JsonNode.Parse("""{"arch":"standalone"}""")));
        Assert.False(d.Evaluate(JsonNode.Parse("""{"arch":"replication"}""")));
        Assert.Equal("!(ingress.enabled == false)", Field(m, "e").VisibleWhen!.ToString());
    }

    [Fact]
    public void FromSchema_Localizer_KeyLookupWithFallback()
    {
        var neutral = new DictionaryFormTextLocalizer(new Dictionary<string, string> { ["field.b.label"] = "B neutral" });
        var localizer = new DictionaryFormTextLocalizer(
            new Dictionary<string, string> { ["field.a.label"] = "A localisé", ["field.a.description"] = "Décrit" },
            neutral);
        var m = Build("""{"properties":{"a":{"type":"string","title":"A"},"b":{"type":"string","title":"B"},"c":{"type":"string","title":"C"}}}""", null, new FormBuildOptions { Localizer = localizer });
        Assert.Equal(("A localisé", "Décrit"), (Field(m, "a").Label, Field(m, "a").Description));
        Assert.Equal("B neutral", Field(m, "b").Label);
        Assert.Equal("C", Field(m, "c").Label);
        Assert.Equal("field.a", Field(m, "a").TextKey);
    }

    [Fact]
    public void FromSchema_KeysWithDots_EscapedPaths()
    {
        var m = Build("""{"properties":{"podAnnotations":{"type":"object","properties":{"prometheus.io/scrape":{"type":"string"}}}}}""");
        var f = Field(m, @"podAnnotations.prometheus\.io/scrape");
        Assert.Equal(["podAnnotations", "prometheus.io/scrape"], f.Segments);
    }

    [Fact]
    public void FromSchema_DescriptionsFromValuesComments_WhenSchemaHasNone()
    {
        var m = FormBuilder.FromSchema(
            """{"properties":{"image":{"type":"object","properties":{"tag":{"type":"string"}}}}}""",
            (JsonObject)JsonNode.Parse("""{"image":{"tag":"1"}}""")!,
            "## @section Image\n## @param image.tag The image tag\nimage:\n  tag: \"1\"\n");
        Assert.Equal("The image tag", Field(m, "image.tag").Description);
        Assert.Equal("Image", Field(m, "image").Group);
        Assert.Equal([new FormGroup("Image", "Image")], m.Groups);
    }

    [Fact]
    public void FromSchema_Options_Validated()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Build("{}", null, new FormBuildOptions { MaxFieldDepth = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Build("{}", null, new FormBuildOptions { MaxFields = 0 }));
    }

    [Fact]
    public void FromSchema_Values_AreIsolatedCopies()
    {
        var defaults = (JsonObject)JsonNode.Parse("""{"a":{"b":1}}""")!;
        var m = FormBuilder.FromSchema("""{"properties":{"a":{"type":"object"}}}""", defaults);
        defaults["a"]!["b"] = 2;
        Assert.Equal(1, Field(m, "a.b").Default!.Value.GetInt32());
    }
}
