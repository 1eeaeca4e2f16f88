using System.Text.Json.Nodes;

namespace PlatformCtl.Tests;

/// <summary><c>platformctl demo</c>: the whole loop on the embedded emulator, run as a process.</summary>
public sealed class DemoCommandTests
{
    private static readonly string Webapp = FindSampleChart();

    [Fact]
    public async Task Demo_Json_EveryStepReportsItsFacts()
    {
        var r = await PlatformCtlRunner.RunAsync("demo", "--chart", Webapp, "-o", "json");

        Assert.True(r.ExitCode == 0, r.StdErr);
        var summary = JsonNode.Parse(r.StdOut)!.AsObject();

        // values-ci.yaml sets image.tag; the computed values must carry it.
        Assert.Equal("webapp", summary["values"]!["chart"]!.GetValue<string>());
        Assert.Equal("2.7.2-rc.1", summary["values"]!["imageTag"]!.GetValue<string>());
        Assert.True(summary["schema"]!["hasSchema"]!.GetValue<bool>());
        Assert.True(summary["schema"]!["valid"]!.GetValue<bool>());
        Assert.True(summary["form"]!["fields"]!.GetValue<int>() >= summary["form"]!["topLevelFields"]!.GetValue<int>());
        Assert.True(summary["form"]!["topLevelFields"]!.GetValue<int>() > 0);

        // 2 namespaces × 3 revisions, written as Secrets through the real client.
        Assert.Equal(6, summary["releaseRecords"]!["written"]!.GetValue<int>());
        Assert.Equal(6, summary["releaseRecords"]!["secrets"]!.GetValue<int>());
        Assert.Equal(2, summary["catalog"]!["releases"]!.GetValue<int>());
        Assert.Equal(6, summary["catalog"]!["revisions"]!.GetValue<int>());
        Assert.Equal(1, summary["catalog"]!["failed"]!.GetValue<int>());
        var list = summary["catalog"]!["list"]!.AsArray();
        Assert.Equal(2, list.Count);
        Assert.Contains(list, row => row!["namespace"]!.GetValue<string>() == "shop-prod" && row["status"]!.GetValue<string>() == "failed" && row["revision"]!.GetValue<int>() == 3);
        Assert.Contains(list, row => row!["namespace"]!.GetValue<string>() == "shop-staging" && row["status"]!.GetValue<string>() == "deployed");

        // The Java trace (error line + 6 trace lines) comes back from the pod as one record.
        Assert.Equal(9, summary["logs"]!["physicalLines"]!.GetValue<int>());
        Assert.Equal(3, summary["logs"]!["records"]!.GetValue<int>());
        Assert.Equal(7, summary["logs"]!["joinedRecordLines"]!.GetValue<int>());
        Assert.Contains("checkout failed", summary["logs"]!["joinedRecordFirstLine"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_Text_PrintsOneSectionPerModule()
    {
        var r = await PlatformCtlRunner.RunAsync("demo", "--chart", Webapp);

        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Contains("== Charts: values (Platform.Charts)", r.StdOut, StringComparison.Ordinal);
        Assert.Contains("== Kubernetes: emulator (Platform.Kubernetes.Emulator)", r.StdOut, StringComparison.Ordinal);
        Assert.Contains("== Kubernetes: release catalog (Platform.Kubernetes)", r.StdOut, StringComparison.Ordinal);
        Assert.Contains("== Logging: pod log through the pipeline", r.StdOut, StringComparison.Ordinal);
        Assert.Contains("verdict      valid", r.StdOut, StringComparison.Ordinal);
        Assert.Matches(@"webapp\s+shop-prod\s+3\s+failed\s+webapp-", r.StdOut);
    }

    [Fact]
    public async Task Demo_MissingChart_FailsWithOneErrorLine()
    {
        string missing = Path.Combine(Path.GetTempPath(), "platformctl-demo-missing-" + Guid.NewGuid().ToString("N"));

        var r = await PlatformCtlRunner.RunAsync("demo", "--chart", missing, "-o", "json");

        Assert.Equal(1, r.ExitCode);
        Assert.Equal(string.Empty, r.StdOut);
        string[] lines = r.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("Error: demo step 'chart' failed: chart directory", lines[0], StringComparison.Ordinal);
        Assert.Contains(missing, lines[0], StringComparison.Ordinal);
    }

    private static string FindSampleChart()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "samples", "charts", "webapp");
            if (File.Exists(Path.Combine(candidate, "Chart.yaml")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("samples/charts/webapp not found above " + AppContext.BaseDirectory);
    }
}
