using System.Text.Json.Nodes;

namespace PlatformCtl.Tests;

public sealed class SchemaValidateTests
{
    private static string TestChart(string name) => Path.Combine(PlatformCtlRunner.Charts, "helm-testdata", "pkg", "cmd", "testdata", "testcharts", name);

    [Fact]
    public async Task Validate_ChartWhoseDefaultsFail_PrintsHelmTextAndExits3()
    {
        var r = await PlatformCtlRunner.RunAsync("schema", "validate", TestChart("chart-with-schema-and-subchart"));
        Assert.Equal(3, r.ExitCode);
        Assert.Equal(
            "values don't meet the specifications of the schema(s) in the following chart(s):\n"
            + "chart-without-schema:\n- at '': missing property 'lastname'\n"
            + "subchart-with-schema:\n- at '': missing property 'age'\n",
            r.StdOut);
    }

    [Fact]
    public async Task Validate_ChartWithFixingValuesFiles_Exits0()
    {
        string a = Path.GetTempFileName();
        await File.WriteAllTextAsync(a, "lastname: Doe\nsubchart-with-schema:\n  age: -1\n");
        try
        {
            var r = await PlatformCtlRunner.RunWithInputAsync("subchart-with-schema:\n  age: 30\n", "schema", "validate", TestChart("chart-with-schema-and-subchart"), a, "-");
            Assert.True(r.ExitCode == 0, r.StdOut + r.StdErr);
            Assert.Contains("values meet the schema", r.StdOut, StringComparison.Ordinal);

            var bad = await PlatformCtlRunner.RunAsync("schema", "validate", TestChart("chart-with-schema-and-subchart"), a, "-o", "json");
            Assert.Equal(3, bad.ExitCode);
            JsonNode report = JsonNode.Parse(bad.StdOut)!;
            Assert.False(report["valid"]!.GetValue<bool>());
            JsonNode violation = report["violations"]![0]!;
            Assert.Equal("subchart-with-schema", violation["chart"]!.GetValue<string>());
            Assert.Equal("/age", violation["errors"]![0]!["instanceLocation"]!.GetValue<string>());
            Assert.Equal("minimum", violation["errors"]![0]!["keyword"]!.GetValue<string>());
        }
        finally
        {
            File.Delete(a);
        }
    }

    [Fact]
    public async Task Validate_RealChartDefaults_Exits0()
    {
        var r = await PlatformCtlRunner.RunAsync("schema", "validate", Path.Combine(PlatformCtlRunner.Charts, "bitnami-wordpress"));
        Assert.True(r.ExitCode == 0, r.StdOut + r.StdErr);
    }

    [Fact]
    public async Task Validate_PlainSchemaAgainstListAndScalarDocuments_ReportsEachFile()
    {
        string dir = Directory.CreateTempSubdirectory("schema-validate").FullName;
        try
        {
            string schema = Path.Combine(dir, "s.json");
            await File.WriteAllTextAsync(schema, """{"type": "array", "items": {"type": "integer"}}""");
            string good = Path.Combine(dir, "good.yaml");
            await File.WriteAllTextAsync(good, "- 1\n- 2\n");
            string bad = Path.Combine(dir, "bad.json");
            await File.WriteAllTextAsync(bad, """[1, "two"]""");
            string scalar = Path.Combine(dir, "scalar.yaml");
            await File.WriteAllTextAsync(scalar, "42\n");

            var ok = await PlatformCtlRunner.RunAsync("schema", "validate", schema, good);
            Assert.Equal(0, ok.ExitCode);
            Assert.Equal($"{good}: valid\n", ok.StdOut);

            var r = await PlatformCtlRunner.RunAsync("schema", "validate", schema, good, bad, scalar);
            Assert.Equal(3, r.ExitCode);
            Assert.Contains($"{bad}: does not meet the schema {schema}:\n- at '/1': got string, want integer\n", r.StdOut, StringComparison.Ordinal);
            Assert.Contains($"{scalar}: does not meet the schema {schema}:\n- at '': got number, want array\n", r.StdOut, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Validate_DocumentFromStdin_Validates()
    {
        string schema = Path.GetTempFileName();
        await File.WriteAllTextAsync(schema, """{"type": "object", "required": ["name"]}""");
        try
        {
            var r = await PlatformCtlRunner.RunWithInputAsync("other: 1\n", "schema", "validate", schema, "-");
            Assert.Equal(3, r.ExitCode);
            Assert.Contains("- at '': missing property 'name'", r.StdOut, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(schema);
        }
    }

    [Fact]
    public async Task Validate_BadInputs_Exit1WithOneErrorLine()
    {
        string dir = Directory.CreateTempSubdirectory("schema-validate").FullName;
        try
        {
            string badSchema = Path.Combine(dir, "bad.json");
            await File.WriteAllTextAsync(badSchema, """{"pattern": "(oops"}""");
            string data = Path.Combine(dir, "d.json");
            await File.WriteAllTextAsync(data, "{}");
            string brokenData = Path.Combine(dir, "broken.json");
            await File.WriteAllTextAsync(brokenData, "{\"a\": ");

            var r1 = await PlatformCtlRunner.RunAsync("schema", "validate", badSchema, data);
            Assert.Equal(1, r1.ExitCode);
            Assert.StartsWith("Error: Invalid regular expression '(oops' at #/pattern", r1.StdErr, StringComparison.Ordinal);

            var r2 = await PlatformCtlRunner.RunAsync("schema", "validate", Path.Combine(dir, "missing.json"), data);
            Assert.Equal(1, r2.ExitCode);
            Assert.Contains("does not exist", r2.StdErr, StringComparison.Ordinal);

            var r3 = await PlatformCtlRunner.RunAsync("schema", "validate", data, brokenData);
            Assert.Equal(1, r3.ExitCode);
            Assert.Contains("broken.json is not valid JSON at line 1", r3.StdErr, StringComparison.Ordinal);

            var r4 = await PlatformCtlRunner.RunAsync("schema", "validate", data);
            Assert.Equal(2, r4.ExitCode);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
