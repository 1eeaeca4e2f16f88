using Platform.Charts.Forms;
using Platform.Charts.Loading;
using Platform.Charts.Tests.Loading;

namespace Platform.Charts.Tests.Forms;

/// <summary>Every chart of the shared corpus (and every subchart) produces a form without error.</summary>
public sealed class FormCorpusTests
{
    public static TheoryData<string> Charts()
    {
        var data = new TheoryData<string>();
        foreach (var dir in Directory.GetDirectories(SharedCorpus.Charts).Order(StringComparer.Ordinal))
        {
            if (File.Exists(Path.Combine(dir, "Chart.yaml")))
            {
                data.Add(Path.GetFileName(dir));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Charts))]
    public async Task FromChart_CorpusChart_ProducesFormForChartAndSubcharts(string name)
    {
        var loaded = await ChartLoader.LoadAsync(Path.Combine(SharedCorpus.Charts, name));
        int forms = 0;
        var stack = new Stack<Chart>();
        stack.Push(loaded.Chart);
        while (stack.Count > 0)
        {
            var chart = stack.Pop();
            foreach (var sub in chart.Subcharts)
            {
                stack.Push(sub);
            }

            if (chart.Metadata.IsLibrary)
            {
                continue;
            }

            var model = FormBuilder.FromChart(chart);
            forms++;
            Assert.Equal(chart.Name, model.Title is not null && model.Source != FormSource.Schema ? model.Title : chart.Name);
            var expected = chart.FindFile("questions.yaml") is not null || chart.FindFile("questions.yml") is not null ? FormSource.Questions
                : chart.SchemaText is not null ? FormSource.Schema : FormSource.Values;
            Assert.Equal(expected, model.Source);

            // Every top-level key of values.yaml is reachable as a field unless the form comes from questions.
            if (model.Source != FormSource.Questions && chart.ValuesText is not null)
            {
                var defaults = Platform.Charts.Values.ValuesYaml.Parse(chart.ValuesText);
                foreach (var (key, _) in defaults)
                {
                    Assert.NotNull(model.Find(FormPath.Join([key])));
                }
            }

            foreach (var f in model.Descendants())
            {
                Assert.False(string.IsNullOrWhiteSpace(f.Label), f.Path);
                if (f.IsSecret)
                {
                    Assert.Null(f.Default);
                    Assert.Null(f.Current);
                }

                if (f.Widget == FormWidget.Group)
                {
                    Assert.All(f.Fields, c => Assert.StartsWith(f.Path + ".", c.Path, StringComparison.Ordinal));
                }
            }

            // The JSON form and both exporters work on every form.
            Assert.StartsWith("{", FormModelJson.Serialize(model), StringComparison.Ordinal);
            Assert.NotNull(FormUiSchemaExporter.ToReactJsonSchemaForm(model));
            Assert.Equal("VerticalLayout", (string?)FormUiSchemaExporter.ToJsonForms(model)["type"]);
        }

        Assert.True(forms >= 1);
    }
}

/// <summary>Every schema and questions file anywhere in the corpus (Helm's fixtures included) builds a form and exports.</summary>
public sealed class FormCorpusFileTests
{
    public static TheoryData<string> SchemaFiles()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(SharedCorpus.Charts, "values.schema.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(SharedCorpus.Charts, f));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SchemaFiles))]
    public void FromSchema_EveryCorpusSchema_BuildsAndExports(string relative)
    {
        string path = Path.Combine(SharedCorpus.Charts, relative);
        string? valuesPath = Path.Combine(Path.GetDirectoryName(path)!, "values.yaml");
        string? valuesText = File.Exists(valuesPath) ? File.ReadAllText(valuesPath) : null;
        var defaults = valuesText is null ? null : Platform.Charts.Values.ValuesYaml.Parse(valuesText);
        var model = FormBuilder.FromSchema(File.ReadAllText(path), defaults, valuesText, sourceName: relative);
        Assert.NotEmpty(model.Fields);
        Assert.NotNull(FormUiSchemaExporter.ToReactJsonSchemaForm(model));
        Assert.Equal("VerticalLayout", (string?)FormUiSchemaExporter.ToJsonForms(model)["type"]);
    }
}
