using Xunit.Abstractions;

namespace Platform.Charts.Tests.Schema;

/// <summary>
/// The optional tests of the official suite. What we do not support is listed, with a reason, in
/// <c>optional-skips.txt</c>; every listed test must still fail (so the list stays exact) and every other test must pass.
/// </summary>
public sealed class OptionalSuiteTests(ITestOutputHelper output)
{
    private static readonly Lazy<Dictionary<string, string>> Skips = new(LoadSkips);

    public static TheoryData<string, string> OptionalFiles()
    {
        var data = new TheoryData<string, string>();
        foreach (string draft in SchemaSuite.Drafts)
        {
            foreach (string file in SchemaSuite.TestFiles(draft, optional: true))
            {
                data.Add(draft, file);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(OptionalFiles))]
    public void Validate_OptionalSuiteFile_PassesExceptListedSkips(string draft, string file)
    {
        var outcomes = SchemaSuite.Run(draft, file);
        var problems = new List<string>();
        int skipped = 0;
        foreach (var o in outcomes)
        {
            bool listed = Skips.Value.ContainsKey(Key(o.Draft + "/" + o.File, o.Case, o.Test));
            skipped += listed ? 1 : 0;
            if (listed && o.Passed)
            {
                problems.Add($"  listed in optional-skips.txt but passes now, remove it: [{o.Case}] {o.Test}");
            }
            else if (!listed && !o.Passed)
            {
                problems.Add($"  [{o.Case}] {o.Test}: {o.Detail}");
            }
        }

        output.WriteLine($"{draft}/{file}: {outcomes.Count - skipped}/{outcomes.Count} pass, {skipped} listed as unsupported");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void SkipList_EveryEntry_HasAReasonAndNamesAnExistingFile()
    {
        Assert.NotEmpty(Skips.Value);
        foreach (var (key, reason) in Skips.Value)
        {
            Assert.False(string.IsNullOrWhiteSpace(reason), key);
            string file = key.Split('\u0001')[0];
            Assert.True(File.Exists(Path.Combine(SchemaSuite.Root, "tests", file)), file);
        }
    }

    private static string Key(string file, string testCase, string test) => file + "\u0001" + testCase + "\u0001" + test;

    private static Dictionary<string, string> LoadSkips()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        string path = Path.Combine(AppContext.BaseDirectory, "Schema", "optional-skips.txt");
        foreach (string line in File.ReadAllLines(path))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            string[] parts = line.Split(" | ");
            Assert.True(parts.Length == 4, "malformed line in optional-skips.txt: " + line);
            result[Key(parts[0], parts[1], parts[2])] = parts[3];
        }

        return result;
    }
}
