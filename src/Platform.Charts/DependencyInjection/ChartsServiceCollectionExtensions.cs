using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Platform.Charts;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Platform SDK charts services.</summary>
public static class ChartsServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IChartLoader"/> and <see cref="IChartValuesEngine"/> (singletons) with
    /// <see cref="ChartsOptions"/>. Uses <c>TryAdd</c>, so an application's own registrations win, and is safe to call
    /// more than once (each <paramref name="configure"/> is applied in order).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Configures the options; bind configuration with <c>services.Configure&lt;ChartsOptions&gt;(section)</c>.</param>
    /// <returns>The same service collection.</returns>
    public static IServiceCollection AddPlatformCharts(this IServiceCollection services, Action<ChartsOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<ChartsOptions>().ValidateOnStart();
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ChartsOptions>, ChartsOptionsValidator>());
        services.TryAddSingleton<IChartLoader, OptionsChartLoader>();
        services.TryAddSingleton<IChartValuesEngine, OptionsChartValuesEngine>();
        return services;
    }
}
