using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Platform.Charts.Dependencies;
using Platform.Charts.Loading;
using Platform.Charts.Profiles;
using Platform.Charts.Tests.Loading;
using Platform.Tests.Shared;

namespace Platform.Charts.Tests.DependencyInjection;

public sealed class ChartsServiceCollectionExtensionsTests
{
    [Fact]
    public async Task AddPlatformCharts_RegistersWorkingServices()
    {
        using var provider = new ServiceCollection().AddPlatformCharts().BuildServiceProvider();
        var loader = provider.GetRequiredService<IChartLoader>();
        var engine = provider.GetRequiredService<IChartValuesEngine>();

        ChartLoadResult loaded = await loader.LoadAsync(Path.Combine(SharedCorpus.Charts, "bitnami-wordpress"));
        ChartValuesResult computed = engine.Compute(loaded.Chart, JsonNode.Parse("""{"replicaCount":3}""")!.AsObject());
        Assert.Equal(3, (int)computed.Values["replicaCount"]!);

        ValuesComposition composed = engine.Compose(loaded.Chart, [new ValuesLayer("ci", JsonNode.Parse("""{"replicaCount":4}""")!.AsObject())]);
        Assert.Equal("ci", composed.Explain("replicaCount")!.Layer);
    }

    [Fact]
    public void AddPlatformCharts_CalledTwice_RegistersOnceAndAppliesBothConfigurations()
    {
        var services = new ServiceCollection()
            .AddPlatformCharts(o => o.MaxValuesDepth = 50)
            .AddPlatformCharts(o => o.MissingDependencies = MissingDependencyHandling.Error);
        Assert.Single(services, d => d.ServiceType == typeof(IChartValuesEngine));
        Assert.Single(services, d => d.ServiceType == typeof(IValidateOptions<ChartsOptions>));

        using var provider = services.BuildServiceProvider();
        ChartsOptions options = provider.GetRequiredService<IOptions<ChartsOptions>>().Value;
        Assert.Equal(50, options.MaxValuesDepth);
        Assert.Equal(MissingDependencyHandling.Error, options.MissingDependencies);
    }

    [Fact]
    public void AddPlatformCharts_AppRegistrationWins()
    {
        var mine = new StubEngine();
        var services = new ServiceCollection().AddSingleton<IChartValuesEngine>(mine).AddPlatformCharts();
        using var provider = services.BuildServiceProvider();
        Assert.Same(mine, provider.GetRequiredService<IChartValuesEngine>());
    }

    [Fact]
    public void AddPlatformCharts_InvalidOptions_FailWithTheSettingName()
    {
        using var provider = new ServiceCollection().AddPlatformCharts(o => o.MaxValuesDepth = 0).BuildServiceProvider();
        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IChartValuesEngine>());
        Assert.Contains("MaxValuesDepth", ex.Message, StringComparison.Ordinal);
    }

    private sealed class StubEngine : IChartValuesEngine
    {
        public ChartValuesResult Compute(Chart chart, JsonObject? userValues) => throw new InvalidOperationException();

        public ValuesComposition Compose(Chart chart, IEnumerable<ValuesLayer> layers) => throw new InvalidOperationException();
    }
}
