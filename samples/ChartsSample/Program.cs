// An app-store deployment: base chart + per-application-type defaults + team/environment overrides + the user's
// form input + CI parameters, computed exactly as Helm would, with the answer to "why is this value X".
//
//   dotnet run --project samples/ChartsSample [-- CHART_DIR]
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Platform.Charts;
using Platform.Charts.Forms;
using Platform.Charts.Profiles;
using Platform.Charts.Schema;
using Platform.Charts.Values;

string chartDir = args.Length > 0 ? args[0] : Path.Combine(AppContext.BaseDirectory, "charts", "webapp");

using ServiceProvider services = new ServiceCollection()
    .AddPlatformCharts(options => options.MaxValuesDepth = 100)
    .BuildServiceProvider();

var loader = services.GetRequiredService<IChartLoader>();
var engine = services.GetRequiredService<IChartValuesEngine>();
var loaded = await loader.LoadAsync(chartDir);

// In a portal these layers come from its own store; here they are inline.
ValuesLayer[] layers =
[
    new("app-type: spring-boot", ValuesYaml.Parse("resources:\n  limits:\n    memory: 1Gi\nenv:\n  JAVA_OPTS: -Xmx768m\n")),
    new("team: payments", ValuesYaml.Parse("global:\n  imageRegistry: registry.payments.internal\n")),
    new("env: staging", ValuesYaml.Parse("replicaCount: 2\ningress:\n  enabled: true\n  host: pay.staging.example.com\ncache:\n  persistence: null\n")),
    new("user form", ValuesYaml.Parse("replicaCount: 3\n")),
    new("ci", ValuesYaml.Parse(await File.ReadAllTextAsync(Path.Combine(chartDir, "values-ci.yaml")), "values-ci.yaml")),
];

ValuesComposition result = engine.Compose(loaded.Chart, layers);

Console.WriteLine("# user values handed to Helm (all layers merged):");
Console.Write(ValuesYaml.Write(result.UserValues));
Console.WriteLine();
Console.WriteLine("# computed values:");
Console.Write(ValuesYaml.Write(result.Values));
Console.WriteLine();
Console.WriteLine("# why is each value what it is:");
foreach (var (path, source) in result.Sources.OrderBy(s => s.Key, StringComparer.Ordinal))
{
    Console.WriteLine($"{path,-32} {source.Kind,-12} {source.Layer}");
}

foreach (var (path, layer) in result.Removals)
{
    Console.WriteLine($"{path,-32} {"removed",-12} {layer}");
}

foreach (ValuesWarning warning in result.Warnings)
{
    Console.Error.WriteLine("warning: " + warning.Message);
}

// Before handing the layers to Helm, check them as `helm install` would: the chart's values.schema.json on the
// computed values (each subchart's schema on its own section), so a bad layer fails in the portal, not in the cluster.
Console.WriteLine();
ChartSchemaResult validation = ChartSchemaValidator.Validate(loaded.Chart, result.UserValues);
Console.Write(validation.IsValid ? "# schema: the layered values are valid\n" : validation.ToHelmText());

// The deploy form a user would edit, pre-filled with the layered values (Current) over the chart defaults.
FormModel form = FormBuilder.FromChart(loaded.Chart, new FormBuildOptions { CurrentValues = result.UserValues });
Console.WriteLine($"# deploy form: {form.Descendants().Count()} fields from {form.Source}; top level:");
foreach (FormField field in form.Fields)
{
    Console.WriteLine($"{field.Path,-32} {field.Widget,-12} {(field.Required ? "required" : ""),-9} {field.Current?.GetRawText() ?? field.Default?.GetRawText()}");
}
