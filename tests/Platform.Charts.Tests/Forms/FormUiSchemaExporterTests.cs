using System.Text.Json.Nodes;
using Platform.Charts.Forms;

namespace Platform.Charts.Tests.Forms;

public sealed class FormUiSchemaExporterTests
{
    private static readonly FormModel Model = FormBuilder.FromSchema("""
        {"properties":{
          "name":{"type":"string","title":"Name","description":"The name","examples":["web"]},
          "password":{"type":"string","format":"password"},
          "notes":{"type":"string","render":"textArea"},
          "size":{"type":"integer","render":"slider","sliderMin":1,"sliderMax":10,"sliderUnit":"Gi"},
          "ingress":{"type":"object","title":"Ingress","properties":{
             "enabled":{"type":"boolean"},
             "host":{"type":"string","hidden":{"path":"ingress/enabled","value":false}}}},
          "ports":{"type":"array","items":{"type":"object","properties":{"port":{"type":"integer"}}}},
          "zones":{"type":"array","items":{"enum":["a","b"]}}}}
        """);

    [Fact]
    public void ToReactJsonSchemaForm_WidgetsOrderHelpPlaceholderItems()
    {
        var ui = FormUiSchemaExporter.ToReactJsonSchemaForm(Model);
        Assert.Equal("Name", (string?)ui["name"]!["ui:title"]);
        Assert.Equal("The name", (string?)ui["name"]!["ui:help"]);
        Assert.Equal("web", (string?)ui["name"]!["ui:placeholder"]);
        Assert.Equal("password", (string?)ui["password"]!["ui:widget"]);
        Assert.Equal("textarea", (string?)ui["notes"]!["ui:widget"]);
        Assert.Equal("range", (string?)ui["size"]!["ui:widget"]);
        Assert.Equal("Gi", (string?)ui["size"]!["ui:options"]!["unit"]);
        Assert.Equal("checkbox", (string?)ui["ingress"]!["enabled"]!["ui:widget"]);
        Assert.Equal("!(ingress.enabled == false)", (string?)ui["ingress"]!["host"]!["ui:options"]!["visibleWhen"]);
        Assert.Equal("updown", (string?)ui["ports"]!["items"]!["port"]!["ui:widget"]);
        Assert.Equal("checkboxes", (string?)ui["zones"]!["ui:widget"]);
        Assert.Equal("""["name","password","notes","size","ingress","ports","zones","*"]""", ui["ui:order"]!.ToJsonString());
        Assert.Equal("""["enabled","host","*"]""", ui["ingress"]!["ui:order"]!.ToJsonString());
    }

    [Fact]
    public void ToJsonForms_ControlsGroupsScopesAndRules()
    {
        var ui = FormUiSchemaExporter.ToJsonForms(Model);
        Assert.Equal("VerticalLayout", (string?)ui["type"]);
        var elements = ui["elements"]!.AsArray();
        Assert.Equal("#/properties/name", (string?)elements[0]!["scope"]);
        Assert.Equal("password", (string?)elements[1]!["options"]!["format"]);
        Assert.True((bool)elements[2]!["options"]!["multi"]!);
        Assert.True((bool)elements[3]!["options"]!["slider"]!);
        var ingress = elements[4]!;
        Assert.Equal(("Group", "Ingress"), ((string?)ingress["type"], (string?)ingress["label"]));
        var host = ingress["elements"]![1]!;
        Assert.Equal("#/properties/ingress/properties/host", (string?)host["scope"]);
        Assert.Equal("SHOW", (string?)host["rule"]!["effect"]);
        Assert.Equal("#", (string?)host["rule"]!["condition"]!["scope"]);
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"not":{"type":"object","properties":{"ingress":{"type":"object","properties":{"enabled":{"const":false}},"required":["enabled"]}},"required":["ingress"]}}"""),
            host["rule"]!["condition"]!["schema"]));
        Assert.Equal("#/properties/port", (string?)elements[5]!["options"]!["detail"]!["elements"]![0]!["scope"]);
    }

    [Fact]
    public void ToJsonForms_QuestionGroupsBecomeGroupLayouts()
    {
        var m = FormBuilder.FromQuestions("""
            questions:
            - variable: a.b
              type: string
              group: First
            - variable: c
              type: boolean
              group: Second
              show_subquestion_if: true
              subquestions:
              - variable: d
                type: int
            """);
        var ui = FormUiSchemaExporter.ToJsonForms(m);
        var groups = ui["elements"]!.AsArray();
        Assert.Equal(["First", "Second"], groups.Select(g => (string?)g!["label"]));
        Assert.Equal("#/properties/a/properties/b", (string?)groups[0]!["elements"]![0]!["scope"]);
        Assert.Equal("#/properties/d", (string?)groups[1]!["elements"]![1]!["scope"]);
        Assert.NotNull(groups[1]!["elements"]![1]!["rule"]);

        var rjsf = FormUiSchemaExporter.ToReactJsonSchemaForm(m);
        Assert.Equal("checkbox", (string?)rjsf["c"]!["ui:widget"]);
        Assert.Equal("updown", (string?)rjsf["d"]!["ui:widget"]);
        Assert.NotNull(rjsf["a"]!["b"]);
    }
}

public sealed class FormPathAndConditionTests
{
    [Theory]
    [InlineData(new[] { "a", "b" }, "a.b")]
    [InlineData(new[] { "annotations", "prometheus.io/scrape" }, @"annotations.prometheus\.io/scrape")]
    [InlineData(new[] { "back\\slash" }, @"back\\slash")]
    [InlineData(new[] { "list", "[]", "name" }, "list[].name")]
    [InlineData(new[] { "list", "[]" }, "list[]")]
    public void JoinSplit_RoundTrip(string[] segments, string path)
    {
        Assert.Equal(path, FormPath.Join(segments));
        Assert.Equal(segments, FormPath.Split(path));
    }

    [Fact]
    public void SetRemove_CreatesAndPrunesParents()
    {
        var root = new JsonObject();
        FormPath.Set(root, ["a", "b", "c"], 1);
        FormPath.Set(root, ["a", "x"], 2);
        Assert.Equal("""{"a":{"b":{"c":1},"x":2}}""", root.ToJsonString());
        Assert.True(FormPath.Remove(root, ["a", "b", "c"]));
        Assert.Equal("""{"a":{"x":2}}""", root.ToJsonString());
        Assert.False(FormPath.Remove(root, ["a", "nope"]));
    }

    [Fact]
    public void Condition_EvaluateAndDescribe()
    {
        var c = FormCondition.All(
            FormCondition.Equal("a", System.Text.Json.JsonDocument.Parse("true").RootElement),
            FormCondition.Any(FormCondition.Present("b"), FormCondition.Not(FormCondition.Truthy("c"))));
        Assert.Equal("a == true && (b is set || !(c))", c.ToString());
        Assert.True(c.Evaluate(JsonNode.Parse("""{"a":true,"b":0}""")));
        Assert.True(c.Evaluate(JsonNode.Parse("""{"a":true,"c":""}""")));
        Assert.False(c.Evaluate(JsonNode.Parse("""{"a":true,"c":"x"}""")));
        Assert.False(c.Evaluate(JsonNode.Parse("""{"a":false,"b":1}""")));
        Assert.False(FormCondition.Present("b").Evaluate(JsonNode.Parse("""{"b":null}""")));
        Assert.Same(c, FormCondition.Not(FormCondition.Not(c)));
        Assert.Throws<ArgumentException>(() => FormCondition.All());
    }
}

public sealed class FormModelJsonTests
{
    [Fact]
    public void Serialize_ConditionsAsTextAndData_SecretsWithoutValues()
    {
        var m = FormBuilder.FromSchema(
            """{"properties":{"mode":{"enum":["a","b"]},"token":{"type":"string"}},"if":{"properties":{"mode":{"const":"b"}},"required":["mode"]},"then":{"properties":{"x":{"type":"string"}},"required":["x"]}}""",
            (JsonObject)JsonNode.Parse("""{"mode":"a","token":"t0ps3cret"}""")!);
        string json = FormModelJson.Serialize(m);
        Assert.EndsWith("}\n", json, StringComparison.Ordinal);
        Assert.DoesNotContain("t0ps3cret", json, StringComparison.Ordinal);
        var x = JsonNode.Parse(json)!["fields"]!.AsArray().Single(f => (string?)f!["path"] == "x")!;
        Assert.Equal("mode == \"b\"", (string?)x["visibleWhen"]);
        Assert.Equal("""{"path":"mode","in":["b"]}""", x["visibleRule"]!.ToJsonString());
        Assert.Equal("""{"path":"mode","in":["b"]}""", x["requiredRule"]!.ToJsonString());
        var token = JsonNode.Parse(json)!["fields"]!.AsArray().Single(f => (string?)f!["path"] == "token")!;
        Assert.True((bool)token["secret"]!);
        Assert.True((bool)token["hasSecretValue"]!);
        Assert.Null(token["default"]);
    }
}
