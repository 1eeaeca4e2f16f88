using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.Charts.Dependencies;
using Platform.Charts.Loading;
using Platform.Charts.Values;

namespace PlatformCtl;

/// <summary><c>platformctl values …</c>: Helm's values computation.</summary>
internal static class ValuesCommands
{
    public static Command Create()
    {
        var values = new Command("values", "Compute Helm values exactly as Helm v4 does.");
        values.Subcommands.Add(CreateCompute());
        return values;
    }

    private static Command CreateCompute()
    {
        var chart = new Argument<string?>("CHART")
        {
            Description = "A chart directory or .tgz. Without it, prints the merged user-supplied values.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        chart.Validators.Add(result =>
        {
            string? value = result.Tokens.Count > 0 ? result.Tokens[0].Value : null;
            if (value is not null && value.StartsWith('-') && value != "-")
            {
                result.AddError($"Unrecognized command or argument '{value}'.");
            }
        });
        var files = new Option<string[]>("--values", "-f") { Description = "A values file (YAML); repeatable, applied in order. '-' reads standard input." };
        var set = new Option<string[]>("--set") { Description = "Set values (typed): a.b=1,c={x,y},list[0]=v." };
        var setString = new Option<string[]>("--set-string") { Description = "Set values as strings." };
        var setJson = new Option<string[]>("--set-json") { Description = "Set JSON values: a.b={\"x\":1}, or a whole JSON object." };
        var setLiteral = new Option<string[]>("--set-literal") { Description = "Set one value verbatim: everything after the first '='." };
        var setFile = new Option<string[]>("--set-file") { Description = "Set values from files: key=path." };
        var output = new Option<string>("--output", "-o") { Description = "Output format.", DefaultValueFactory = _ => "yaml" };
        output.AcceptOnlyFromAmong("yaml", "json");
        var strict = new Option<bool>("--require-dependencies") { Description = "Fail, as helm install does, when Chart.yaml declares a dependency missing from charts/." };

        var compute = new Command("compute", "Print the computed values (Helm's COMPUTED VALUES) of a chart, or the merged user values.")
        {
            chart, files, set, setString, setJson, setLiteral, setFile, output, strict,
        };

        compute.SetAction(async (parse, cancellationToken) =>
        {
            var options = new UserValuesOptions
            {
                ValueFiles = parse.GetValue(files) ?? [],
                Values = parse.GetValue(set) ?? [],
                StringValues = parse.GetValue(setString) ?? [],
                JsonValues = parse.GetValue(setJson) ?? [],
                LiteralValues = parse.GetValue(setLiteral) ?? [],
                FileValues = parse.GetValue(setFile) ?? [],
            };
            JsonObject user = await UserValues.MergeAsync(options, () => Console.In, cancellationToken).ConfigureAwait(false);

            JsonObject result = user;
            string? chartPath = parse.GetValue(chart);
            if (chartPath is not null)
            {
                ChartLoadResult loaded = await ChartLoader.LoadAsync(chartPath, cancellationToken: cancellationToken).ConfigureAwait(false);
                foreach (ChartLoadWarning warning in loaded.Warnings)
                {
                    Cli.Warn(warning.Message);
                }

                var computeOptions = new ChartValuesOptions
                {
                    MissingDependencies = parse.GetValue(strict) ? MissingDependencyHandling.Error : MissingDependencyHandling.Warn,
                };
                ChartValuesResult computed = ChartValues.Compute(loaded.Chart, user, computeOptions);
                foreach (ValuesWarning warning in computed.Warnings)
                {
                    Cli.Warn(warning.Message);
                }

                result = computed.Values;
            }

            Write(result, parse.GetValue(output) ?? "yaml");
            return Cli.Success;
        });
        return compute;
    }

    internal static void Write(JsonNode values, string format)
    {
        if (format == "json")
        {
            Console.Out.WriteLine(values.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        }
        else
        {
            Console.Out.Write(ValuesYaml.Write(values));
        }
    }
}
