using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.Abstractions;
using Platform.Charts.Dependencies;
using Platform.Charts.Loading;
using Platform.Charts.Values;

namespace Platform.Charts.Schema;

/// <summary>The schema failures of one chart in a chart tree.</summary>
/// <param name="Chart">The chart name as Helm prints it (the alias for an aliased subchart).</param>
/// <param name="ValuesPath">The dotted path of the chart's values section in the parent's computed values
/// (empty for the top chart, <c>postgresql</c> or <c>app.redis</c> for subcharts).</param>
/// <param name="Errors">The schema errors, instance locations relative to the chart's own values.</param>
/// <param name="TypeMessage">Set instead of <paramref name="Errors"/> when the chart's section is not a map, as Helm
/// reports it (<c>invalid type for values: expected object (map), got string</c>).</param>
public sealed record ChartSchemaViolation(string Chart, string ValuesPath, IReadOnlyList<SchemaError> Errors, string? TypeMessage = null);

/// <summary>The outcome of <see cref="ChartSchemaValidator.Validate(ValuesChart, JsonObject, SchemaOptions?)"/>.</summary>
/// <param name="Violations">The charts whose schema the values do not meet, parent first then subcharts depth-first.</param>
public sealed record ChartSchemaResult(IReadOnlyList<ChartSchemaViolation> Violations)
{
    /// <summary>The first line of Helm's error.</summary>
    public const string HelmHeader = "values don't meet the specifications of the schema(s) in the following chart(s):";

    /// <summary>Gets whether every chart's schema accepts its values.</summary>
    public bool IsValid => Violations.Count == 0;

    /// <summary>Formats the violations as Helm v4 prints them: the header line, then for each chart its name and
    /// colon followed by one <c>- at '/path': message</c> line per error (causes indented by two spaces).</summary>
    /// <returns>The text (ending with a newline), or an empty string when valid.</returns>
    public string ToHelmText()
    {
        if (IsValid)
        {
            return string.Empty;
        }

        var sb = new StringBuilder();
        sb.Append(HelmHeader).Append('\n');
        foreach (ChartSchemaViolation v in Violations)
        {
            sb.Append(v.Chart).Append(":\n");
            if (v.TypeMessage is not null)
            {
                sb.Append(v.TypeMessage).Append('\n');
                continue;
            }

            AppendErrors(sb, v.Errors, 0);
        }

        return sb.ToString();
    }

    /// <summary>Formats errors as Helm's <c>- at '/path': message</c> lines, causes indented.</summary>
    /// <param name="errors">The errors.</param>
    /// <returns>The lines, each ending with a newline.</returns>
    public static string FormatErrors(IEnumerable<SchemaError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var sb = new StringBuilder();
        AppendErrors(sb, errors, 0);
        return sb.ToString();
    }

    private static void AppendErrors(StringBuilder sb, IEnumerable<SchemaError> errors, int indent)
    {
        foreach (SchemaError e in errors)
        {
            sb.Append(' ', indent * 2).Append("- at '").Append(e.InstanceLocation).Append("': ").Append(e.Message).Append('\n');
            if (indent < 16)
            {
                AppendErrors(sb, e.Causes, indent + 1);
            }
        }
    }
}

/// <summary>
/// Validates a chart's values against the <c>values.schema.json</c> files of the chart and its subcharts, as Helm v4
/// does before rendering: the parent's schema on the computed values, then each enabled subchart's schema on its own
/// section of those values (which holds the coalesced <c>global</c>), recursively.
/// </summary>
/// <remarks>Thread-safe. Schemas are compiled on every call; compile them once with <see cref="CompiledSchema"/>
/// when validating many value sets against a chart that does not change.</remarks>
public static class ChartSchemaValidator
{
    /// <summary>Computes the chart's values (see <see cref="ChartValues.Compute"/>) and validates them.</summary>
    /// <param name="chart">The loaded chart.</param>
    /// <param name="userValues">The user-supplied values, or <see langword="null"/> to validate the chart's own defaults.</param>
    /// <param name="options">Schema options; <see langword="null"/> uses <see cref="SchemaOptions.Default"/>.</param>
    /// <param name="valuesOptions">Values options; <see langword="null"/> uses <see cref="ChartValuesOptions.Default"/>.</param>
    /// <returns>The violations (empty when valid).</returns>
    /// <exception cref="SchemaException">A chart's <c>values.schema.json</c> is not valid JSON or not a valid schema
    /// (the message names the chart).</exception>
    /// <exception cref="ValuesException">A <c>values.yaml</c> does not parse.</exception>
    public static ChartSchemaResult Validate(Chart chart, JsonObject? userValues, SchemaOptions? options = null, ChartValuesOptions? valuesOptions = null)
    {
        ArgumentNullException.ThrowIfNull(chart);
        ChartValuesResult computed = ChartValues.Compute(chart, userValues, valuesOptions);
        return Validate(computed.Chart, computed.Values, options);
    }

    /// <summary>Validates computed values against a processed chart tree.</summary>
    /// <param name="chart">The processed chart tree (see <see cref="ChartValuesResult.Chart"/>); schemas are read from
    /// each node's <see cref="ValuesChart.Source"/>.</param>
    /// <param name="values">The computed values.</param>
    /// <param name="options">Schema options; <see langword="null"/> uses <see cref="SchemaOptions.Default"/>.</param>
    /// <returns>The violations (empty when valid).</returns>
    /// <exception cref="SchemaException">A chart's schema is not valid JSON or not a valid schema.</exception>
    public static ChartSchemaResult Validate(ValuesChart chart, JsonObject values, SchemaOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(chart);
        ArgumentNullException.ThrowIfNull(values);
        var violations = new List<ChartSchemaViolation>();
        Walk(chart, values, string.Empty, options ?? SchemaOptions.Default, violations, 0);
        return new ChartSchemaResult(violations);
    }

    private static void Walk(ValuesChart chart, JsonObject values, string path, SchemaOptions options, List<ChartSchemaViolation> violations, int depth)
    {
        if (depth > 64)
        {
            throw new SchemaException($"The chart tree nests deeper than 64 subchart levels at '{path}'.");
        }

        string? schemaText = chart.Source?.SchemaText;
        if (schemaText is not null)
        {
            CompiledSchema schema;
            try
            {
                schema = CompiledSchema.Parse(schemaText, options, $"{chart.Name}/values.schema.json");
            }
            catch (SchemaException ex)
            {
                throw new SchemaException($"Chart '{chart.Name}': {ex.Message}", ex.SchemaLocation, ex);
            }

            SchemaValidationResult result = schema.Validate(values);
            if (!result.IsValid)
            {
                violations.Add(new ChartSchemaViolation(chart.Name, path, result.Errors));
            }
        }

        foreach (ValuesChart sub in chart.Dependencies)
        {
            string subPath = path.Length == 0 ? sub.Name : path + "." + sub.Name;
            if (!values.TryGetPropertyValue(sub.Name, out JsonNode? raw) || raw is null)
            {
                continue;
            }

            if (raw is not JsonObject section)
            {
                violations.Add(new ChartSchemaViolation(sub.Name, subPath, [], "invalid type for values: expected object (map), got " + GoType(raw)));
                continue;
            }

            Walk(sub, section, subPath, options, violations, depth + 1);
        }
    }

    private static string GoType(JsonNode node) => node.GetValueKind() switch
    {
        JsonValueKind.String => "string",
        JsonValueKind.Array => "[]interface {}",
        JsonValueKind.True or JsonValueKind.False => "bool",
        JsonValueKind.Number => node.ToJsonString().IndexOfAny(['.', 'e', 'E']) >= 0 ? "float64" : "int64",
        _ => "map[string]interface {}",
    };
}
