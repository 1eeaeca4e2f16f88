using System.Text.Json.Nodes;

namespace PlatformCtl.Tests;

public sealed class ValuesComputeTests
{
    [Fact]
    public async Task Compute_WithoutChart_PrintsMergedUserValuesAsJson()
    {
        var r = await PlatformCtlRunner.RunAsync("values", "compute", "--set", "b=1", "--set-string", "c=true", "--set-json", "d={\"x\":[1,2]}", "--set-literal", "e=a,b=c", "-o", "json");
        Assert.Equal(0, r.ExitCode);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"d":{"x":[1,2]},"b":1,"c":"true","e":"a,b=c"}"""), JsonNode.Parse(r.StdOut)), r.StdOut);
    }

    [Fact]
    public async Task Compute_ValuesFromStdin_AndFilesInOrder()
    {
        string file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, "a: {x: 1, z: 1}\n");
        try
        {
            var r = await PlatformCtlRunner.RunWithInputAsync("a: {z: 2}\n", "values", "compute", "-f", file, "-f", "-", "-o", "json");
            Assert.Equal(0, r.ExitCode);
            Assert.Equal("""{"a":{"x":1,"z":2}}""", JsonNode.Parse(r.StdOut)!.ToJsonString());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Compute_Chart_PrintsComputedValuesAsYaml()
    {
        var r = await PlatformCtlRunner.RunAsync("values", "compute", Path.Combine(PlatformCtlRunner.Charts, "bitnami-wordpress"), "--set", "global.imageRegistry=mirror.local");
        Assert.Equal(0, r.ExitCode);
        Assert.StartsWith("global:\n  imageRegistry: mirror.local\n", r.StdOut, StringComparison.Ordinal);
        Assert.Contains("\nmariadb:\n", r.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compute_ChartWithMissingDependency_WarnsOnStderr_FailsWhenRequired()
    {
        string chart = Path.Combine(PlatformCtlRunner.Charts, "prometheus");
        var warn = await PlatformCtlRunner.RunAsync("values", "compute", chart);
        Assert.Equal(0, warn.ExitCode);
        Assert.Contains("Warning: ", warn.StdErr, StringComparison.Ordinal);

        var strict = await PlatformCtlRunner.RunAsync("values", "compute", chart, "--require-dependencies");
        Assert.Equal(1, strict.ExitCode);
        Assert.StartsWith("Error: ", strict.StdErr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, "--set", "a[65537]=1")]
    [InlineData(1, "--set", "a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z.aa.bb.cc.dd.ee.ff=1")]
    [InlineData(1, "--set-json", "a={bad")]
    [InlineData(1, "-f", "/nonexistent/values.yaml")]
    [InlineData(2, "--no-such-flag")]
    [InlineData(2, "-o", "xml")]
    public async Task Compute_BadInput_ExitCodeAndOneErrorLine(int expectedExit, string flag, string? value = null)
    {
        string[] args = value is null ? ["values", "compute", flag] : ["values", "compute", flag, value];
        var r = await PlatformCtlRunner.RunAsync(args);
        Assert.Equal(expectedExit, r.ExitCode);
        Assert.StartsWith("Error: ", r.StdErr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, r.StdOut);
    }

    [Fact]
    public async Task Compute_InvalidYamlFile_NamesFileAndLine()
    {
        string file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, "a: 1\nb: [1\n");
        try
        {
            var r = await PlatformCtlRunner.RunAsync("values", "compute", "-f", file);
            Assert.Equal(1, r.ExitCode);
            Assert.Contains(file + ":", r.StdErr, StringComparison.Ordinal);
            Assert.Single(r.StdErr.TrimEnd().Split('\n'));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
