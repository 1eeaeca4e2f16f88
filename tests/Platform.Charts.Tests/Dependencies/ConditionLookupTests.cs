using System.Text.Json.Nodes;
using Platform.Abstractions;
using Platform.Charts.Dependencies;
using Platform.Charts.Loading;

namespace Platform.Charts.Tests.Dependencies;

/// <summary>
/// Conditions and tags read values coalesced over the whole chart tree (Helm's processDependencyEnabled); these
/// cases pin the lookups that the pruned condition coalesce must answer exactly like the full one.
/// </summary>
public sealed class ConditionLookupTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("platform-conditions-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Theory]
    [InlineData("{}", false)]
    [InlineData("""{"sub":{"enabled":true}}""", true)]
    [InlineData("""{"sub":{"enabled":null}}""", true)] // a user null deletes the key: no condition value, stays enabled
    public async Task Compute_ConditionOnSubchartDefault_ReadsCoalescedValue(string userJson, bool expected)
    {
        Chart chart = await Umbrella("condition: sub.enabled", "other: 1\n", "enabled: false\nbig:\n  a: 1\n");
        ChartValuesResult result = ChartValues.Compute(chart, JsonNode.Parse(userJson)!.AsObject());
        Assert.Equal(expected, result.Chart.Dependencies.Any(d => d.Name == "sub"));
    }

    [Theory]
    [InlineData("{}", false)]
    [InlineData("""{"global":{"flag":true}}""", true)]
    public async Task Compute_ConditionOnGlobalCopiedDown_ReadsParentGlobal(string userJson, bool expected)
    {
        Chart chart = await Umbrella("condition: sub.global.flag", "global:\n  flag: false\n", "global:\n  flag: true\nx: 1\n");
        ChartValuesResult result = ChartValues.Compute(chart, JsonNode.Parse(userJson)!.AsObject());
        Assert.Equal(expected, result.Chart.Dependencies.Any(d => d.Name == "sub"));
    }

    [Fact]
    public async Task Compute_ConditionOnParentDefaultTable_ParentDefaultDecides()
    {
        Chart chart = await Umbrella("condition: sub.deep.flag", "sub:\n  deep:\n    flag: false\n    more: 2\n", "deep:\n  flag: true\n");
        ChartValuesResult result = ChartValues.Compute(chart, null);
        Assert.DoesNotContain(result.Chart.Dependencies, d => d.Name == "sub");
    }

    [Fact]
    public async Task Compute_ConditionThroughScalar_IsIgnoredAndTagDecides()
    {
        Chart chart = await Umbrella("condition: flag.enabled\n    tags: [t]", "flag: 5\ntags:\n  t: false\n", "x: 1\n");
        ChartValuesResult result = ChartValues.Compute(chart, null);
        Assert.DoesNotContain(result.Chart.Dependencies, d => d.Name == "sub");
    }

    [Fact]
    public async Task Compute_SubchartSectionNotAMap_FailsEvenWhenTheConditionDisablesIt()
    {
        Chart chart = await Umbrella("condition: gate", "gate: false\n", "x: 1\n");
        var ex = Assert.Throws<ValuesException>(() => ChartValues.Compute(chart, JsonNode.Parse("""{"sub":5}""")!.AsObject()));
        Assert.Contains("sub", ex.Message, StringComparison.Ordinal);
    }

    private async Task<Chart> Umbrella(string dependencyExtra, string parentValues, string subValues)
    {
        string root = Path.Combine(_dir.FullName, Guid.NewGuid().ToString("N"));
        string sub = Path.Combine(root, "charts", "sub");
        Directory.CreateDirectory(sub);
        await File.WriteAllTextAsync(Path.Combine(root, "Chart.yaml"), $"apiVersion: v2\nname: parent\nversion: 1.0.0\ndependencies:\n  - name: sub\n    version: \"~1.2.0\"\n    {dependencyExtra}\n");
        await File.WriteAllTextAsync(Path.Combine(root, "values.yaml"), parentValues);
        await File.WriteAllTextAsync(Path.Combine(sub, "Chart.yaml"), "apiVersion: v2\nname: sub\nversion: 1.2.3\n");
        await File.WriteAllTextAsync(Path.Combine(sub, "values.yaml"), subValues);
        return (await ChartLoader.LoadAsync(root)).Chart;
    }
}
