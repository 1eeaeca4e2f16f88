using System.Text.Json.Nodes;
using Platform.Charts.Forms;

namespace Platform.Charts.Tests.Forms;

public sealed class FormBuilderQuestionsTests
{
    // Written after Rancher's documented questions.yaml format (variable, label, description, type, required, default,
    // group, min/max, min_length/max_length, options, valid_chars/invalid_chars, show_if, subquestions,
    // show_subquestion_if), shaped like the longhorn and epinio questions in the corpus.
    private const string Questions = """
        categories: [storage]
        questions:
        - variable: persistence.enabled
          label: Enable persistence
          type: boolean
          default: "true"
          group: Storage
          show_subquestion_if: true
          subquestions:
          - variable: persistence.size
            label: Volume size
            type: string
            default: 8Gi
            valid_chars: "0-9a-zA-Z"
          - variable: persistence.storageClass
            type: storageclass
            label: Storage class
        - variable: replicas
          label: Replicas
          type: int
          min: 1
          max: 10
          default: "2"
          required: true
          group: Workload
        - variable: service.type
          type: enum
          options: [ClusterIP, NodePort, LoadBalancer]
          default: ClusterIP
          label: Service type
          group: Service
        - variable: service.nodePort
          type: int
          label: Node port
          show_if: service.type=NodePort||service.type=LoadBalancer
          group: Service
        - variable: auth.password
          type: password
          label: Admin password
          min_length: 8
          max_length: 64
          invalid_chars: " "
          show_if: "auth.enabled=true&&service.type!=ClusterIP"
        - variable: config
          type: multiline
          label: Config
        """;

    private static FormModel Build(string? defaults = null, string? schema = null) =>
        FormBuilder.FromQuestions(Questions, defaults is null ? null : (JsonObject)JsonNode.Parse(defaults)!, schema);

    [Fact]
    public void FromQuestions_TypesGroupsAndOrder()
    {
        var m = Build();
        Assert.Equal(FormSource.Questions, m.Source);
        Assert.True(m.HasBasicHints);
        Assert.Equal(["Storage", "Workload", "Service"], m.Groups.Select(g => g.Name));
        Assert.Equal(["persistence.enabled", "replicas", "service.type", "service.nodePort", "auth.password", "config"], m.Fields.Select(f => f.Path));
        Assert.Equal(
            [FormWidget.Toggle, FormWidget.Integer, FormWidget.Select, FormWidget.Integer, FormWidget.Password, FormWidget.TextArea],
            m.Fields.Select(f => f.Widget));
        Assert.Equal("Workload", m.Find("replicas")!.Group);
        Assert.True(m.Find("replicas")!.Required);
        Assert.Equal(["ClusterIP", "NodePort", "LoadBalancer"], m.Find("service.type")!.Options.Select(o => o.Label));
    }

    [Fact]
    public void FromQuestions_DefaultsTyped_ValuesYamlWins()
    {
        var m = Build("""{"replicas":3}""");
        Assert.Equal(3, m.Find("replicas")!.Default!.Value.GetInt32());
        Assert.True(m.Find("persistence.enabled")!.Default!.Value.GetBoolean());
        Assert.Equal("8Gi", m.Find("persistence.size")!.Default!.Value.GetString());
        var fresh = Build();
        Assert.Equal(2, fresh.Find("replicas")!.Default!.Value.GetInt32());
    }

    [Fact]
    public void FromQuestions_Constraints()
    {
        var m = Build();
        var r = m.Find("replicas")!.Constraints;
        Assert.Equal((1m, 10m), (r.Minimum!.Value, r.Maximum!.Value));
        var pw = m.Find("auth.password")!;
        Assert.True(pw.IsSecret);
        Assert.Equal((8, 64, "^[^ ]*$"), (pw.Constraints.MinLength!.Value, pw.Constraints.MaxLength!.Value, pw.Constraints.Pattern));
        Assert.Equal("^[0-9a-zA-Z]*$", m.Find("persistence.size")!.Constraints.Pattern);
        Assert.Equal("storageclass", m.Find("persistence.storageClass")!.Constraints.Format);
    }

    [Fact]
    public void FromQuestions_ShowIf_AndOr()
    {
        var m = Build();
        var nodePort = m.Find("service.nodePort")!.VisibleWhen!;
        Assert.Equal("service.type == \"NodePort\" || service.type == \"LoadBalancer\"", nodePort.ToString());
        Assert.True(nodePort.Evaluate(JsonNode.Parse("""{"service":{"type":"LoadBalancer"}}""")));
        Assert.False(nodePort.Evaluate(JsonNode.Parse("""{"service":{"type":"ClusterIP"}}""")));
        var pw = m.Find("auth.password")!.VisibleWhen!;
        Assert.True(pw.Evaluate(JsonNode.Parse("""{"auth":{"enabled":true},"service":{"type":"NodePort"}}""")));
        Assert.False(pw.Evaluate(JsonNode.Parse("""{"auth":{"enabled":true},"service":{"type":"ClusterIP"}}""")));
        Assert.False(pw.Evaluate(JsonNode.Parse("""{"auth":{"enabled":false},"service":{"type":"NodePort"}}""")));
    }

    [Fact]
    public void FromQuestions_Subquestions_ShownByParentAnswer()
    {
        var m = Build();
        var parent = m.Find("persistence.enabled")!;
        Assert.Equal(["persistence.size", "persistence.storageClass"], parent.Fields.Select(f => f.Path));
        var size = parent.Fields[0];
        Assert.Equal("persistence.enabled == true", size.VisibleWhen!.ToString());
        Assert.Null(size.Group);
        Assert.True(size.VisibleWhen.Evaluate(JsonNode.Parse("""{"persistence":{"enabled":true}}""")));
        Assert.False(size.VisibleWhen.Evaluate(JsonNode.Parse("""{"persistence":{"enabled":false}}""")));
    }

    [Fact]
    public void FromQuestions_SchemaEnrichesConstraintsAndDescriptions()
    {
        var m = Build(schema: """{"properties":{"config":{"type":"string","description":"From schema","maxLength":100}}}""");
        var config = m.Find("config")!;
        Assert.Equal("From schema", config.Description);
        Assert.Equal(100, config.Constraints.MaxLength);
        Assert.Equal("Config", config.Label); // the question label wins over the schema
    }

    [Theory]
    [InlineData("questions: 5\n", "'questions' list")]
    [InlineData("- a\n", "expected a mapping")]
    [InlineData("questions:\n- label: x\n", "questions[0] has no 'variable'")]
    [InlineData("questions:\n- variable: a\n  subquestions:\n  - 3\n", "questions[0].subquestions[0] must be a mapping")]
    [InlineData("questions: [\n", "questions.yaml")]
    public void FromQuestions_BadInput_ClearError(string yaml, string expected)
    {
        var ex = Assert.Throws<FormException>(() => FormBuilder.FromQuestions(yaml));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromQuestions_DeepSubquestions_ClearError()
    {
        var sb = new System.Text.StringBuilder("questions:\n");
        string indent = string.Empty;
        for (int i = 0; i < 100; i++)
        {
            sb.Append(indent).Append("- variable: v").Append(i).Append('\n').Append(indent).Append("  subquestions:\n");
            indent += "  ";
        }

        sb.Append(indent).Append("- variable: last\n");
        var ex = Assert.Throws<FormException>(() => FormBuilder.FromQuestions(sb.ToString()));
        Assert.Contains("deeper than 32 levels", ex.Message, StringComparison.Ordinal);
    }
}
