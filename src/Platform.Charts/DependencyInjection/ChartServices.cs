using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Platform.Charts.Dependencies;
using Platform.Charts.Loading;
using Platform.Charts.Profiles;

namespace Platform.Charts;

internal sealed class OptionsChartLoader(IOptions<ChartsOptions> options) : IChartLoader
{
    private readonly ChartLoadOptions _load = options.Value.ToLoadOptions();

    public Task<ChartLoadResult> LoadAsync(string path, CancellationToken cancellationToken = default) =>
        ChartLoader.LoadAsync(path, _load, cancellationToken);

    public Task<ChartLoadResult> LoadAsync(Stream archive, CancellationToken cancellationToken = default) =>
        ChartLoader.LoadAsync(archive, _load, cancellationToken);
}

internal sealed class OptionsChartValuesEngine(IOptions<ChartsOptions> options) : IChartValuesEngine
{
    private readonly ChartValuesOptions _values = options.Value.ToValuesOptions();

    public ChartValuesResult Compute(Chart chart, JsonObject? userValues) => ChartValues.Compute(chart, userValues, _values);

    public ValuesComposition Compose(Chart chart, IEnumerable<ValuesLayer> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        var list = layers.ToList();
        JsonObject merged = new();
        foreach (ValuesLayer layer in list)
        {
            Values.ValuesMerge.MergeMapsInPlace(merged, layer.Values);
        }

        // Dependency processing sees the merged layers, as Helm sees the merged -f files.
        ChartValuesResult processed = ChartValues.Compute(chart, merged, _values);
        return ValuesLayering.Compose(processed.Chart, list);
    }
}

internal sealed class ChartsOptionsValidator : IValidateOptions<ChartsOptions>
{
    public ValidateOptionsResult Validate(string? name, ChartsOptions options)
    {
        var failures = new List<string>();
        if (options.MaxChartFileBytes <= 0)
        {
            failures.Add($"{nameof(ChartsOptions.MaxChartFileBytes)} must be positive (was {options.MaxChartFileBytes}).");
        }

        if (options.MaxChartBytes < options.MaxChartFileBytes)
        {
            failures.Add($"{nameof(ChartsOptions.MaxChartBytes)} ({options.MaxChartBytes}) must be at least {nameof(ChartsOptions.MaxChartFileBytes)} ({options.MaxChartFileBytes}).");
        }

        if (options.MaxValuesDepth is < 1 or > 10_000)
        {
            failures.Add($"{nameof(ChartsOptions.MaxValuesDepth)} must be between 1 and 10,000 (was {options.MaxValuesDepth}).");
        }

        if (options.MaxValuesNodes < 1)
        {
            failures.Add($"{nameof(ChartsOptions.MaxValuesNodes)} must be positive (was {options.MaxValuesNodes}).");
        }

        if (!Enum.IsDefined(options.MissingDependencies))
        {
            failures.Add($"{nameof(ChartsOptions.MissingDependencies)} must be Warn or Error (was {options.MissingDependencies}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
