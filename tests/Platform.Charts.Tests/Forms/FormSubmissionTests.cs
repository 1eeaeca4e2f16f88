using System.Text.Json.Nodes;
using Platform.Charts.Forms;

namespace Platform.Charts.Tests.Forms;

public sealed class FormSubmissionTests
{
    private const string Schema = """
        {"properties":{
          "replicas":{"type":"integer"},
          "image":{"type":"object","properties":{"repository":{"type":"string"},"tag":{"type":"string"}}},
          "labels":{"type":"object","additionalProperties":{"type":"string"}},
          "auth":{"type":"object","properties":{"enabled":{"type":"boolean"},"password":{"type":"string"}}},
          "ingress":{"type":"object","properties":{"enabled":{"type":"boolean"},"hostname":{"type":"string","hidden":{"path":"ingress/enabled","value":false}}}}}}
        """;

    private static readonly JsonObject Defaults = Obj("""
        {"replicas":1,"image":{"repository":"nginx","tag":"1.0"},"labels":{"team":"a","tier":"web"},
         "auth":{"enabled":true,"password":""},"ingress":{"enabled":false,"hostname":"example.local"}}
        """);

    private static JsonObject Obj(string json) => (JsonObject)JsonNode.Parse(json)!;

    private static FormModel Model() => FormBuilder.FromSchema(Schema, Defaults);

    private static void AssertJson(string expected, JsonNode actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), actual.ToJsonString());

    [Fact]
    public void CreateOverrides_KeepsOnlyDifferencesFromDefaults()
    {
        var submitted = Obj("""{"replicas":1,"image":{"repository":"nginx","tag":"1.1"},"auth":{"enabled":true}}""");
        var result = FormSubmission.CreateOverrides(Model(), submitted, Defaults);
        AssertJson("""{"image":{"tag":"1.1"}}""", result.Values);
        Assert.Empty(result.Secrets);
    }

    [Fact]
    public void CreateOverrides_KeepsUntouchedPreviousKeys_RemovesOverridesBackToDefault()
    {
        var previous = Obj("""{"replicas":3,"image":{"tag":"0.9"},"extra":{"x":1}}""");
        var submitted = Obj("""{"image":{"tag":"1.0"}}""");
        var result = FormSubmission.CreateOverrides(Model(), submitted, Defaults, previous);
        AssertJson("""{"replicas":3,"extra":{"x":1}}""", result.Values);
        AssertJson("""{"replicas":3,"image":{"tag":"0.9"},"extra":{"x":1}}""", previous); // input untouched
    }

    [Fact]
    public void CreateOverrides_WholeValueFields_StoredWhole_DeletedKeysBecomeNull()
    {
        var submitted = Obj("""{"labels":{"team":"b"}}""");
        var result = FormSubmission.CreateOverrides(Model(), submitted, Defaults);
        AssertJson("""{"labels":{"team":"b","tier":null}}""", result.Values);
    }

    [Fact]
    public void CreateOverrides_Secrets_SeparatedKeptAndStrippedFromPlainValues()
    {
        var set = FormSubmission.CreateOverrides(Model(), Obj("""{"auth":{"password":"s3cret"}}"""), Defaults, Obj("""{"auth":{"password":"old-plain"}}"""));
        AssertJson("{}", set.Values);
        Assert.Equal("s3cret", set.Secrets["auth.password"].GetString());
        Assert.DoesNotContain("s3cret", set.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("old-plain", set.Values.ToJsonString(), StringComparison.Ordinal);
        AssertJson("""{"auth":{"password":"s3cret"}}""", set.MergeSecrets());

        var keep = FormSubmission.CreateOverrides(Model(), Obj("""{"auth":{"password":""}}"""), Defaults);
        Assert.Empty(keep.Secrets);
        Assert.Equal(["auth.password"], keep.KeptSecrets);

        var absent = FormSubmission.CreateOverrides(Model(), Obj("""{"replicas":2}"""), Defaults, Obj("""{"auth":{"password":"plain"}}"""));
        AssertJson("""{"replicas":2}""", absent.Values);
        Assert.Equal(["auth.password"], absent.KeptSecrets);
    }

    [Fact]
    public void CreateOverrides_HiddenFieldAnswerIgnored()
    {
        var hidden = FormSubmission.CreateOverrides(Model(), Obj("""{"ingress":{"hostname":"x.example"}}"""), Defaults);
        AssertJson("{}", hidden.Values);
        var shown = FormSubmission.CreateOverrides(Model(), Obj("""{"ingress":{"enabled":true,"hostname":"x.example"}}"""), Defaults);
        AssertJson("""{"ingress":{"enabled":true,"hostname":"x.example"}}""", shown.Values);
    }

    [Fact]
    public void CreateOverrides_UnknownKeys_DiffedGenerically()
    {
        var result = FormSubmission.CreateOverrides(Model(), Obj("""{"new":{"a":1,"b":{}},"replicas":5}"""), Defaults);
        AssertJson("""{"new":{"a":1},"replicas":5}""", result.Values);
    }

    [Fact]
    public void CreateOverrides_ValuesProperty_ReturnsCopies()
    {
        var result = FormSubmission.CreateOverrides(Model(), Obj("""{"replicas":5}"""), Defaults);
        result.Values["replicas"] = 9;
        Assert.Equal(5, (int)result.Values["replicas"]!);
    }
}

public sealed class FormAnswersTests
{
    private static readonly FormModel Model = FormBuilder.FromSchema(
        """
        {"properties":{"storage":{"oneOf":[
          {"title":"Volume","type":"object","properties":{"size":{"type":"string","default":"8Gi"}},"required":["size"]},
          {"title":"Host path","type":"object","properties":{"path":{"type":"string"}},"required":["path"]},
          {"title":"Size only","type":"string","default":"10Gi"}]}}}
        """,
        (JsonObject)JsonNode.Parse("""{"storage":{"size":"8Gi"}}""")!);

    [Fact]
    public void SelectChoice_AnswersSurviveSwitching()
    {
        var field = Model.Find("storage")!;
        Assert.Equal(0, field.SelectedChoice);
        var a = FormAnswers.Start(Model).Set("storage", JsonNode.Parse("""{"size":"20Gi"}"""));
        Assert.Equal(0, a.ChoiceOf("storage"));

        var b = a.SelectChoice(field, 1);
        Assert.Null(b.Get("storage"));
        b = b.Set("storage.path", "/mnt/data");

        var c = b.SelectChoice(field, 2);
        Assert.Equal("10Gi", c.Get("storage")!.GetValue<string>()); // the alternative's default

        var back0 = c.SelectChoice(field, 0);
        Assert.Equal("""{"size":"20Gi"}""", back0.Get("storage")!.ToJsonString());
        var back1 = back0.SelectChoice(field, 1);
        Assert.Equal("""{"path":"/mnt/data"}""", back1.Get("storage")!.ToJsonString());

        Assert.Equal("""{"size":"20Gi"}""", a.Get("storage")!.ToJsonString()); // immutable
        Assert.Same(back1, back1.SelectChoice(field, 1));
    }

    [Fact]
    public void SelectChoice_Misuse_Throws()
    {
        var answers = FormAnswers.Start(Model);
        Assert.Throws<ArgumentOutOfRangeException>(() => answers.SelectChoice(Model.Find("storage")!, 3));
        var plain = FormBuilder.FromSchema("""{"properties":{"a":{"type":"string"}}}""");
        Assert.Throws<ArgumentException>(() => answers.SelectChoice(plain.Find("a")!, 0));
    }

    [Fact]
    public void IsVisible_EvaluatesOnDefaultsPlusAnswers()
    {
        var m = FormBuilder.FromSchema("""{"properties":{"on":{"type":"boolean"},"x":{"type":"string","hidden":{"path":"on","value":false}}}}""");
        var defaults = (JsonObject)JsonNode.Parse("""{"on":false}""")!;
        var answers = FormAnswers.Start(m);
        Assert.False(answers.IsVisible(m.Find("x")!, defaults));
        Assert.True(answers.Set("on", true).IsVisible(m.Find("x")!, defaults));
        Assert.Equal("""{"on":true}""", answers.Set("on", true).Values.ToJsonString());
        Assert.Equal("{}", answers.Set("on", true).Remove("on").Values.ToJsonString());
    }
}

public sealed class FormDiffTests
{
    [Fact]
    public void Compute_ThreeWay_KindsAndSecretsRedacted()
    {
        var model = FormBuilder.FromSchema("""{"properties":{"password":{"type":"string"},"labels":{"type":"object","additionalProperties":{"type":"string"}}}}""");
        var defaults = (JsonObject)JsonNode.Parse("""{"a":1,"b":1,"c":1,"d":1,"password":"","labels":{"x":"1"},"list":[1]}""")!;
        var deployed = (JsonObject)JsonNode.Parse("""{"a":1,"b":2,"c":2,"d":1,"password":"old","labels":{"x":"1"},"list":[1],"gone":true}""")!;
        var next = (JsonObject)JsonNode.Parse("""{"a":1,"b":2,"c":1,"d":5,"password":"new","labels":{"x":"2"},"list":[1,2],"e":{"f":1}}""")!;
        var diff = FormDiff.Compute(model, defaults, deployed, next);
        var kinds = diff.ToDictionary(e => e.Path, e => e.Kind);
        Assert.Equal(FormChangeKind.Unchanged, kinds["b"]);
        Assert.Equal(FormChangeKind.Reset, kinds["c"]);
        Assert.Equal(FormChangeKind.Changed, kinds["d"]);
        Assert.Equal(FormChangeKind.Changed, kinds["password"]);
        Assert.Equal(FormChangeKind.Changed, kinds["labels"]);
        Assert.Equal(FormChangeKind.Changed, kinds["list"]);
        Assert.Equal(FormChangeKind.Removed, kinds["gone"]);
        Assert.Equal(FormChangeKind.Added, kinds["e.f"]);
        Assert.False(kinds.ContainsKey("a"));
        var pw = diff.Single(e => e.Path == "password");
        Assert.True(pw.IsSecret);
        Assert.Null(pw.New);
        Assert.Null(pw.Deployed);
        Assert.Equal("Labels", diff.Single(e => e.Path == "labels").Label);
        Assert.Equal(2, diff.Single(e => e.Path == "labels").New!.Value.EnumerateObject().Single().Value.GetString()!.Length > 0 ? 2 : 0);
    }

    [Fact]
    public void Compute_NewInstall_EverythingNonDefaultIsAdded()
    {
        var diff = FormDiff.Compute(null, (JsonObject)JsonNode.Parse("""{"a":1}""")!, null, (JsonObject)JsonNode.Parse("""{"a":2,"b":3}""")!);
        Assert.Equal([("a", FormChangeKind.Added), ("b", FormChangeKind.Added)], diff.Select(e => (e.Path, e.Kind)));
    }
}
