using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.Abstractions;
using Platform.Charts.Dependencies;
using Platform.Charts.Loading;
using Platform.Charts.Schema;
using Platform.Charts.Values;

namespace PlatformCtl;

/// <summary>
/// <c>platformctl schema validate SCHEMA_OR_CHART DATA_FILE...</c>: against a chart (directory or .tgz) the data files
/// are values files merged in order (as <c>helm install -f</c>) and validated as Helm does, each subchart against its own
/// section; against a schema file every data file is one JSON or YAML document of any shape, validated on its own.
/// Exit codes: 0 valid, 3 invalid (messages on standard output), 1 bad input.
/// </summary>
internal static class SchemaValidateCommand
{
    public static Command Create()
    {
        var target = new Argument<string>("SCHEMA_OR_CHART") { Description = "A JSON Schema file (JSON or YAML), or a chart directory or .tgz." };
        var data = new Argument<string[]>("DATA_FILE")
        {
            Description = "Documents to validate (JSON or YAML; '-' reads standard input). For a chart: values files merged in order; none validates the chart's defaults.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var output = new Option<string>("--output", "-o") { Description = "Output format.", DefaultValueFactory = _ => "text" };
        output.AcceptOnlyFromAmong("text", "json");
        var draft = new Option<string>("--default-draft") { Description = "The draft of schemas without $schema.", DefaultValueFactory = _ => "2020-12" };
        draft.AcceptOnlyFromAmong("7", "2019-09", "2020-12");
        var assertFormat = new Option<bool>("--assert-format") { Description = "Assert 'format' for every draft (by default only draft 7 asserts it, as Helm)." };

        var command = new Command("validate", "Validate JSON/YAML documents or a chart's values against a JSON Schema, as Helm does.")
        {
            target, data, output, draft, assertFormat,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new SchemaOptions
            {
                DefaultDraft = parse.GetValue(draft) switch
                {
                    "7" => SchemaDraft.Draft7,
                    "2019-09" => SchemaDraft.Draft201909,
                    _ => SchemaDraft.Draft202012,
                },
                Format = parse.GetValue(assertFormat) ? FormatAssertion.Always : FormatAssertion.Default,
            };
            string path = parse.GetValue(target)!;
            string[] files = parse.GetValue(data) ?? [];
            bool json = parse.GetValue(output) == "json";
            bool isChart = Directory.Exists(path) || path.EndsWith(".tgz", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".tar.gz", StringComparison.OrdinalIgnoreCase);
            return isChart
                ? await ValidateChartAsync(path, files, options, json, cancellationToken).ConfigureAwait(false)
                : await ValidateDocumentsAsync(path, files, options, json, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static async Task<int> ValidateChartAsync(string path, string[] files, SchemaOptions options, bool json, CancellationToken cancellationToken)
    {
        ChartLoadResult loaded = await ChartLoader.LoadAsync(path, cancellationToken: cancellationToken).ConfigureAwait(false);
        foreach (ChartLoadWarning warning in loaded.Warnings)
        {
            Cli.Warn(warning.Message);
        }

        JsonObject user = await UserValues.MergeAsync(new UserValuesOptions { ValueFiles = files }, () => Console.In, cancellationToken).ConfigureAwait(false);
        ChartValuesResult computed = ChartValues.Compute(loaded.Chart, user);
        foreach (ValuesWarning warning in computed.Warnings)
        {
            Cli.Warn(warning.Message);
        }

        ChartSchemaResult result = ChartSchemaValidator.Validate(computed.Chart, computed.Values, options);
        if (json)
        {
            var violations = new JsonArray();
            foreach (ChartSchemaViolation v in result.Violations)
            {
                violations.Add(new JsonObject
                {
                    ["chart"] = v.Chart,
                    ["valuesPath"] = v.ValuesPath,
                    ["message"] = v.TypeMessage,
                    ["errors"] = ToJson(v.Errors),
                });
            }

            Print(new JsonObject { ["valid"] = result.IsValid, ["violations"] = violations });
        }
        else if (result.IsValid)
        {
            Console.Out.WriteLine($"{loaded.Chart.Name}: values meet the schema(s) of the chart and its subcharts");
        }
        else
        {
            Console.Out.Write(result.ToHelmText());
        }

        return result.IsValid ? Cli.Success : Cli.Invalid;
    }

    private static async Task<int> ValidateDocumentsAsync(string path, string[] files, SchemaOptions options, bool json, CancellationToken cancellationToken)
    {
        if (files.Length == 0)
        {
            throw new UsageException("Give at least one DATA_FILE to validate against a schema file.");
        }

        if (!File.Exists(path))
        {
            throw new PlatformException($"The schema file or chart '{path}' does not exist.");
        }

        string schemaText = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        CompiledSchema schema;
        if (path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
        {
            schema = CompiledSchema.Compile(ValuesYaml.ParseDocument(schemaText, path), options);
        }
        else
        {
            schema = CompiledSchema.Parse(schemaText, options, path);
        }

        bool allValid = true;
        var reports = new JsonArray();
        foreach (string file in files)
        {
            JsonNode? document = await ReadDocumentAsync(file, cancellationToken).ConfigureAwait(false);
            SchemaValidationResult result = schema.Validate(document);
            allValid &= result.IsValid;
            if (json)
            {
                reports.Add(new JsonObject { ["file"] = file, ["valid"] = result.IsValid, ["errors"] = ToJson(result.Errors) });
            }
            else if (result.IsValid)
            {
                Console.Out.WriteLine($"{file}: valid");
            }
            else
            {
                Console.Out.WriteLine($"{file}: does not meet the schema {path}:");
                Console.Out.Write(ChartSchemaResult.FormatErrors(result.Errors));
            }
        }

        if (json)
        {
            Print(new JsonObject { ["valid"] = allValid, ["documents"] = reports });
        }

        return allValid ? Cli.Success : Cli.Invalid;
    }

    private static async Task<JsonNode?> ReadDocumentAsync(string file, CancellationToken cancellationToken)
    {
        string text;
        if (file == "-")
        {
            text = await Console.In.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        }
        else if (!File.Exists(file))
        {
            throw new PlatformException($"The data file '{file}' does not exist.");
        }
        else
        {
            text = await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false);
        }

        if (file.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                return JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { MaxDepth = 256 });
            }
            catch (JsonException ex)
            {
                throw new ValuesException($"{file} is not valid JSON at line {(ex.LineNumber ?? 0) + 1}, column {(ex.BytePositionInLine ?? 0) + 1}: {ex.Message}", file, (int?)(ex.LineNumber + 1), (int?)(ex.BytePositionInLine + 1), innerException: ex);
            }
        }

        // YAML is a superset of JSON: any document shape (map, list, scalar) is accepted
        return ValuesYaml.ParseDocument(text, file == "-" ? "<stdin>" : file);
    }

    private static JsonArray ToJson(IEnumerable<SchemaError> errors)
    {
        var array = new JsonArray();
        foreach (SchemaError e in errors)
        {
            var item = new JsonObject
            {
                ["instanceLocation"] = e.InstanceLocation,
                ["keyword"] = e.Keyword,
                ["schemaLocation"] = e.SchemaLocation,
                ["message"] = e.Message,
            };
            if (e.Causes.Count > 0)
            {
                item["causes"] = ToJson(e.Causes);
            }

            array.Add(item);
        }

        return array;
    }

    private static void Print(JsonObject value) =>
        Console.Out.WriteLine(value.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
}
