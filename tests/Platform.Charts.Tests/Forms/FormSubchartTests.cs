using System.Text.Json.Nodes;
using Platform.Charts.Forms;
using Platform.Charts.Loading;
using Platform.Charts.Tests.Loading;

namespace Platform.Charts.Tests.Forms;

public sealed class FormSubchartTests
{
    private static async Task<Chart> WordPress() => (await ChartLoader.LoadAsync(Path.Combine(SharedCorpus.Charts, "bitnami-wordpress"))).Chart;

    [Fact]
    public async Task FromChart_Umbrella_SubchartSectionUsesSubchartSchemaAndParentValues()
    {
        var options = new FormBuildOptions { CurrentValues = (JsonObject)JsonNode.Parse("""{"mariadb":{"auth":{"username":"me"}}}""")! };
        var model = FormBuilder.FromChart(await WordPress(), options);
        var mariadb = model.Find("mariadb")!;
        Assert.Equal(FormWidget.Group, mariadb.Widget);
        Assert.Equal("mariadb.enabled", mariadb.Fields[0].Path); // the parent's own toggle leads the section
        Assert.Equal("Use a new MariaDB database hosted in the cluster", mariadb.Fields[0].Label);

        var database = model.Find("mariadb.auth.database")!;
        Assert.Equal("bitnami_wordpress", database.Default!.Value.GetString()); // parent values over subchart defaults
        Assert.Equal("Name for a custom database to create", database.Description); // the subchart's schema
        Assert.Equal("me", model.Find("mariadb.auth.username")!.Current!.Value.GetString());
        Assert.True(model.Find("mariadb.auth.rootPassword")!.IsSecret);
        Assert.Null(model.Find("mariadb.global"));
        Assert.Equal("MariaDB architecture (`standalone` or `replication`)", model.Find("mariadb.architecture")!.Description); // mariadb's own schema
        Assert.Equal(FormWidget.Group, model.Find("mariadb.tde")!.Widget); // a key only the subchart has
        Assert.NotNull(model.Find("memcached"));
    }

    [Fact]
    public async Task FromChart_SubchartsOff_SectionInferredFromParentValuesOnly()
    {
        var model = FormBuilder.FromChart(await WordPress(), new FormBuildOptions { IncludeSubcharts = false });
        Assert.Equal(FormWidget.Text, model.Find("mariadb.architecture")!.Widget);
        Assert.Null(model.Find("mariadb.tde"));
        Assert.Equal("MariaDB custom database", model.Find("mariadb.auth.database")!.Description); // the parent's @param
    }

    [Fact]
    public async Task FromChart_SubchartConditionsAndLocalizer_Rerooted()
    {
        var localizer = new DictionaryFormTextLocalizer(new Dictionary<string, string> { ["field.mariadb.auth.database.label"] = "Base de données" });
        var model = FormBuilder.FromChart(await WordPress(), new FormBuildOptions { Localizer = localizer });
        Assert.Equal("Base de données", model.Find("mariadb.auth.database")!.Label);
        var conditional = model.Descendants().Where(f => f.Path.StartsWith("mariadb.", StringComparison.Ordinal) && f.VisibleWhen is not null).ToList();
        Assert.All(conditional, f => Assert.StartsWith("mariadb.", f.VisibleWhen!.Path ?? f.VisibleWhen.Operands.First().Path ?? "mariadb.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FromChart_SubchartCondition_HidesSectionWhenDisabled()
    {
        var model = FormBuilder.FromChart(await WordPress());
        Assert.Null(model.Find("mariadb.enabled")!.VisibleWhen);
        var auth = model.Find("mariadb.auth")!.VisibleWhen!;
        Assert.Equal("!(mariadb.enabled == false)", auth.ToString());
        Assert.False(auth.Evaluate(JsonNode.Parse("""{"mariadb":{"enabled":false}}""")));
        Assert.True(auth.Evaluate(new JsonObject()));
    }
}
