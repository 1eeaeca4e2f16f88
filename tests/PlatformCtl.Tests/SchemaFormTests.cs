using System.Text;
using System.Text.Json.Nodes;

namespace PlatformCtl.Tests;

public sealed class SchemaFormTests
{
    [Fact]
    public async Task Form_Chart_PrintsTextTree()
    {
        var r = await PlatformCtlRunner.RunAsync("schema", "form", Path.Combine(PlatformCtlRunner.Charts, "bitnami-wordpress-9.0.2"));
        Assert.Equal(0, r.ExitCode);
        Assert.StartsWith("wordpress (schema, ", r.StdOut, StringComparison.Ordinal);
        Assert.Contains("\n  persistence.size: slider \"Persistent Volume Size\" default=\"10Gi\" slider=1..100Gi\n", r.StdOut, StringComparison.Ordinal);
        Assert.Contains("externalDatabase.password: password \"Database Password\" secret=(empty) if !(mariadb.enabled)", r.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Form_ChartWithValues_JsonModelCarriesCurrentValues_SecretsWithheld()
    {
        string values = Path.GetTempFileName();
        await File.WriteAllTextAsync(values, "wordpressUsername: admin\nwordpressPassword: hunter2\n");
        try
        {
            var r = await PlatformCtlRunner.RunAsync("schema", "form", Path.Combine(PlatformCtlRunner.Charts, "bitnami-wordpress-9.0.2"), "-f", values, "-o", "json");
            Assert.Equal(0, r.ExitCode);
            var model = JsonNode.Parse(r.StdOut)!;
            Assert.Equal("schema", (string?)model["source"]);
            var fields = model["fields"]!.AsArray();
            var user = fields.Single(f => (string?)f!["path"] == "wordpressUsername")!;
            Assert.Equal("admin", (string?)user["current"]);
            var password = fields.Single(f => (string?)f!["path"] == "wordpressPassword")!;
            Assert.True((bool)password["hasSecretValue"]!);
            Assert.DoesNotContain("hunter2", r.StdOut, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(values);
        }
    }

    [Fact]
    public async Task Form_ChartWithQuestions_UsesQuestions()
    {
        var r = await PlatformCtlRunner.RunAsync("schema", "form", Path.Combine(PlatformCtlRunner.Charts, "longhorn"));
        Assert.Equal(0, r.ExitCode);
        Assert.StartsWith("longhorn (questions, ", r.StdOut, StringComparison.Ordinal);
        Assert.Contains("groups: Longhorn Images, ", r.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Form_PlainSchemaFiles_JsonYamlAndQuestions()
    {
        string dir = Directory.CreateTempSubdirectory().FullName;
        try
        {
            string json = Path.Combine(dir, "s.json");
            await File.WriteAllTextAsync(json, """{"title":"Demo","properties":{"replicas":{"type":"integer","minimum":1}}}""");
            string yaml = Path.Combine(dir, "s.yaml");
            await File.WriteAllTextAsync(yaml, "properties:\n  enabled:\n    type: boolean\n");
            string questions = Path.Combine(dir, "questions.yaml");
            await File.WriteAllTextAsync(questions, "questions:\n- variable: a.b\n  type: int\n  label: A B\n");

            var rj = await PlatformCtlRunner.RunAsync("schema", "form", json);
            Assert.Equal(0, rj.ExitCode);
            Assert.Equal("Demo (schema, 1 field)\nreplicas: integer \"Replicas\"\n", rj.StdOut);
            var ry = await PlatformCtlRunner.RunAsync("schema", "form", yaml, "-o", "json");
            Assert.Equal("toggle", (string?)JsonNode.Parse(ry.StdOut)!["fields"]![0]!["widget"]);
            var rq = await PlatformCtlRunner.RunAsync("schema", "form", questions);
            Assert.Contains("a.b: integer \"A B\"", rq.StdOut, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Form_UiSchemaOutputs()
    {
        string chart = Path.Combine(PlatformCtlRunner.Charts, "kubeapps");
        var rjsf = await PlatformCtlRunner.RunAsync("schema", "form", chart, "-o", "rjsf");
        Assert.Equal(0, rjsf.ExitCode);
        Assert.Equal("checkbox", (string?)JsonNode.Parse(rjsf.StdOut)!["ingress"]!["enabled"]!["ui:widget"]);
        var jf = await PlatformCtlRunner.RunAsync("schema", "form", chart, "-o", "jsonforms");
        Assert.Equal(0, jf.ExitCode);
        Assert.Equal("VerticalLayout", (string?)JsonNode.Parse(jf.StdOut)!["type"]);
    }

    [Fact]
    public async Task Form_RemoteRefs_WarnOnStderr()
    {
        var r = await PlatformCtlRunner.RunAsync("schema", "form", Path.Combine(PlatformCtlRunner.Charts, "nginx-ingress"), "-o", "json");
        Assert.Equal(0, r.ExitCode);
        Assert.StartsWith("Warning: $refs into 'https://", r.StdErr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"a\": ,}", "Error: ", "s.json:1:")]
    [InlineData("{\"$ref\":\"#\"}", "Error: ", "$ref cycle")]
    [InlineData("[1]", "Error: ", "root is a JSON array")]
    [InlineData("deep", "Error: ", "deeper than 512")]
    public async Task Form_BadSchema_ExitOneWithOneErrorLine(string content, string prefix, string expected)
    {
        string dir = Directory.CreateTempSubdirectory().FullName;
        string file = Path.Combine(dir, "s.json");
        if (content == "deep")
        {
            var sb = new StringBuilder();
            sb.Insert(0, "{\"properties\":{\"a\":", 10_000).Append("{}").Append('}', 20_000);
            content = sb.ToString();
        }

        await File.WriteAllTextAsync(file, content);
        try
        {
            var r = await PlatformCtlRunner.RunAsync("schema", "form", file);
            Assert.Equal(1, r.ExitCode);
            Assert.StartsWith(prefix, r.StdErr, StringComparison.Ordinal);
            Assert.Contains(expected, r.StdErr, StringComparison.Ordinal);
            Assert.Single(r.StdErr.TrimEnd('\n').Split('\n'));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Form_MissingInput_ExitOne_BadOutput_ExitTwo()
    {
        var missing = await PlatformCtlRunner.RunAsync("schema", "form", "/nonexistent/schema.json");
        Assert.Equal(1, missing.ExitCode);
        Assert.StartsWith("Error: '/nonexistent/schema.json': no such", missing.StdErr, StringComparison.Ordinal);
        var usage = await PlatformCtlRunner.RunAsync("schema", "form", "x", "-o", "xml");
        Assert.Equal(2, usage.ExitCode);
        var noArg = await PlatformCtlRunner.RunAsync("schema", "form");
        Assert.Equal(2, noArg.ExitCode);
    }
}
