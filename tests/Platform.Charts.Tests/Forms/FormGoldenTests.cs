using Platform.Charts.Forms;
using Platform.Charts.Loading;
using Platform.Charts.Tests.Loading;

namespace Platform.Charts.Tests.Forms;

/// <summary>
/// Pins the form models of several corpus charts as JSON golden files under <c>Forms/Golden/</c>.
/// To regenerate after an intended change, run the tests with <c>PLATFORM_UPDATE_GOLDEN=1</c>, then review the diff.
/// </summary>
public sealed class FormGoldenTests
{
    public static TheoryData<string, string> Cases() => new()
    {
        { "kubeapps", "kubeapps" },                          // Kubeapps hints: form, hidden {path,value}
        { "bitnami-wordpress-9.0.2", "bitnami-wordpress-9.0.2" }, // Kubeapps sliders, string hidden, render textArea
        { "bitnami-redis-18.4.0", "bitnami-redis-18.4.0" },   // Kubeapps hints + @param/@section comments
        { "epinio", "epinio" },                              // Rancher questions.yml + draft-07 schema
        { "longhorn", "longhorn" },                          // Rancher questions.yaml: groups, show_if, subquestions
        { "alertmanager", "alertmanager" },                  // definitions + $ref, enums, required
        { "helm-chart-with-schema", "helm-testdata/pkg/cmd/testdata/testcharts/chart-with-schema" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task FromChart_CorpusChart_MatchesGoldenFile(string name, string relative)
    {
        var loaded = await ChartLoader.LoadAsync(Path.Combine(SharedCorpus.Charts, relative));
        var model = FormBuilder.FromChart(loaded.Chart);
        string actual = FormModelJson.Serialize(model);
        string file = Path.Combine(GoldenDirectory(), name + ".form.json");
        if (Environment.GetEnvironmentVariable("PLATFORM_UPDATE_GOLDEN") == "1")
        {
            await File.WriteAllTextAsync(file, actual);
        }

        Assert.True(File.Exists(file), $"golden file {file} is missing; run with PLATFORM_UPDATE_GOLDEN=1 to create it");
        string expected = (await File.ReadAllTextAsync(file)).ReplaceLineEndings("\n");
        Assert.Equal(expected, actual);
    }

    private static string GoldenDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "Forms", "Golden");
            if (File.Exists(Path.Combine(dir.FullName, "Platform.Charts.Tests.csproj")) && Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("tests/Platform.Charts.Tests/Forms/Golden not found above " + AppContext.BaseDirectory);
    }
}
