using Xunit.Abstractions;

namespace Platform.Charts.Tests.Schema;

/// <summary>The official JSON Schema Test Suite: every required test of draft 7, 2019-09 and 2020-12 must pass.</summary>
public sealed class JsonSchemaSuiteTests(ITestOutputHelper output)
{
    public static TheoryData<string, string> RequiredFiles()
    {
        var data = new TheoryData<string, string>();
        foreach (string draft in SchemaSuite.Drafts)
        {
            foreach (string file in SchemaSuite.TestFiles(draft, optional: false))
            {
                data.Add(draft, file);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RequiredFiles))]
    public void Validate_RequiredSuiteFile_AllTestsPass(string draft, string file)
    {
        var outcomes = SchemaSuite.Run(draft, file);
        var failed = outcomes.Where(o => !o.Passed).ToList();
        Assert.NotEmpty(outcomes);
        Assert.True(failed.Count == 0, $"{failed.Count} of {outcomes.Count} failed:\n" + string.Join("\n", failed.Select(f => $"  [{f.Case}] {f.Test}: {f.Detail}")));
    }

    [Fact]
    public void Validate_RequiredSuite_PrintsPassCountsPerDraftAndNothingFails()
    {
        int totalFailed = 0;
        foreach (string draft in SchemaSuite.Drafts)
        {
            var outcomes = SchemaSuite.TestFiles(draft, optional: false).SelectMany(f => SchemaSuite.Run(draft, f)).ToList();
            int passed = outcomes.Count(o => o.Passed);
            totalFailed += outcomes.Count - passed;
            output.WriteLine($"{draft}: {passed}/{outcomes.Count} required tests pass");
            Assert.True(outcomes.Count > 500, $"{draft}: only {outcomes.Count} required tests found");
        }

        Assert.Equal(0, totalFailed);
    }
}
