using System.Text.Json.Nodes;
using Platform.Charts.Forms;
using Platform.Charts.Values;

namespace Platform.Charts.Tests.Forms;

public sealed class FormBuilderValuesTests
{
    private const string Values = """
        ## @section Global parameters
        ## @param global.imageRegistry Global Docker image registry
        global:
          imageRegistry: ""

        ## @section Common parameters
        ## @param replicaCount Number of replicas
        replicaCount: 1
        ## @param ratio [nullable] [default: 0.5] A ratio
        ratio: 0.5
        ## @param auth.enabled Enable auth
        ## @param auth.rootPassword Root password
        auth:
          enabled: true
          rootPassword: ""
        # -- Pod annotations, see
        # the Kubernetes docs
        podAnnotations: {}
        # -- Extra environment
        extraEnv:
          - name: A
            value: b
          - name: C
            # -- not a field description (inside a list)
            valueFrom: x
        tags: [a, b]
        nothing:
        config: |
          line1
          # -- inside a block scalar
          line2
        # -- After block
        after: yes
        """;

    private static FormModel Build(FormBuildOptions? options = null) => FormBuilder.FromValues(ValuesYaml.Parse(Values), Values, options);

    [Fact]
    public void FromValues_InfersWidgetsFromTypes()
    {
        var m = Build();
        Assert.Equal(FormSource.Values, m.Source);
        Assert.Equal(FormWidget.Group, m.Find("global")!.Widget);
        Assert.Equal(FormWidget.Integer, m.Find("replicaCount")!.Widget);
        Assert.Equal(FormWidget.Number, m.Find("ratio")!.Widget);
        Assert.Equal(FormWidget.Toggle, m.Find("auth.enabled")!.Widget);
        Assert.Equal(FormWidget.Password, m.Find("auth.rootPassword")!.Widget);
        Assert.Equal(FormWidget.KeyValueMap, m.Find("podAnnotations")!.Widget);
        Assert.Equal(FormWidget.ObjectList, m.Find("extraEnv")!.Widget);
        Assert.Equal(["extraEnv[].name", "extraEnv[].value", "extraEnv[].valueFrom"], m.Find("extraEnv")!.Item!.Fields.Select(f => f.Path));
        Assert.Equal(FormWidget.List, m.Find("tags")!.Widget);
        Assert.Equal(FormWidget.Yaml, m.Find("nothing")!.Widget);
        Assert.Equal(FormWidget.TextArea, m.Find("config")!.Widget);
        Assert.Equal(FormWidget.Toggle, m.Find("after")!.Widget);
    }

    [Fact]
    public void FromValues_BitnamiParamsAndSections_HelmDocsComments()
    {
        var m = Build();
        Assert.Equal("Global Docker image registry", m.Find("global.imageRegistry")!.Description);
        Assert.Equal("Number of replicas", m.Find("replicaCount")!.Description);
        Assert.Equal("A ratio", m.Find("ratio")!.Description);
        Assert.Equal("Pod annotations, see the Kubernetes docs", m.Find("podAnnotations")!.Description);
        Assert.Equal("Extra environment", m.Find("extraEnv")!.Description);
        Assert.Null(m.Find("extraEnv")!.Item!.Fields.Single(f => f.Key == "valueFrom").Description);
        Assert.Equal("After block", m.Find("after")!.Description);
        Assert.Equal(["Global parameters", "Common parameters"], m.Groups.Select(g => g.Name));
        Assert.Equal("Global parameters", m.Find("global")!.Group);
        Assert.Equal("Common parameters", m.Find("auth")!.Group);
        Assert.Null(m.Find("podAnnotations")!.Group);
    }

    [Fact]
    public void FromValues_Defaults_AndCurrent()
    {
        var m = Build(new FormBuildOptions { CurrentValues = (JsonObject)JsonNode.Parse("""{"replicaCount":4}""")! });
        var r = m.Find("replicaCount")!;
        Assert.Equal(1, r.Default!.Value.GetInt32());
        Assert.Equal(4, r.Current!.Value.GetInt32());
        Assert.Null(m.Find("global")!.Default); // groups carry no value of their own
    }

    [Fact]
    public void FromValues_HostileCommentLines_FinishWithoutBacktracking()
    {
        string spaces = new(' ', 200_000);
        string text = "a" + spaces + "\n# -- " + spaces + "x\nkey" + spaces + ": 1\n## @param" + spaces + "\n";
        var m = FormBuilder.FromValues(new JsonObject { ["key"] = 1 }, text);
        Assert.Equal(FormWidget.Integer, m.Find("key")!.Widget);
    }
}
