using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Platform.Logging;
using Platform.Logging.Sources;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Platform SDK log reader.</summary>
public static class LoggingServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ILogReader"/> (singleton) with <see cref="LoggingOptions"/>, the <c>file</c> <see cref="ILogSource"/>,
    /// and <see cref="TimeProvider.System"/> unless a <see cref="TimeProvider"/> is already registered. Uses <c>TryAdd</c>,
    /// so an application's own registrations win, and is safe to call more than once (each <paramref name="configure"/> is applied in order).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Configures the options; bind configuration with <c>services.Configure&lt;LoggingOptions&gt;(section)</c>.</param>
    /// <returns>The same service collection.</returns>
    public static IServiceCollection AddPlatformLogging(this IServiceCollection services, Action<LoggingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<LoggingOptions>().ValidateOnStart();
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LoggingOptions>, LoggingOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ILogSource, OptionsFileLogSource>());
        services.TryAddSingleton<ILogReader, OptionsLogReader>();
        return services;
    }
}
