using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Platform.Kubernetes.Client;
using Platform.Kubernetes.Releases;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Helm release store and the release catalog.</summary>
public static class ReleaseCatalogServiceCollectionExtensions
{
    /// <summary>
    /// Registers the release store the options select (<see cref="ReleaseBackend"/>, <see cref="IReleaseStore"/>,
    /// <see cref="IReleaseChangeFeed"/>) and the catalog (<see cref="ReleaseCatalog"/>, <see cref="IReleaseCatalog"/>), all
    /// singletons, with validated <see cref="ReleaseCatalogOptions"/>. Uses <c>TryAdd</c>, so an application's own
    /// registrations win, and is safe to call more than once (each <paramref name="configure"/> is applied in order).
    /// </summary>
    /// <remarks>
    /// The Secrets and ConfigMaps stores resolve an <see cref="IKubernetesResourceClient"/> (register it with
    /// <c>AddPlatformKubernetes</c>). An optional <see cref="TimeProvider"/> and <see cref="ILoggerFactory"/> are used when registered.
    /// The catalog starts syncing on the first <see cref="IReleaseCatalog.WaitForSyncAsync"/>.
    /// </remarks>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Configures the options; bind configuration with <c>services.Configure&lt;ReleaseCatalogOptions&gt;(section)</c>.</param>
    /// <returns>The same service collection.</returns>
    public static IServiceCollection AddPlatformReleaseCatalog(this IServiceCollection services, Action<ReleaseCatalogOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<ReleaseCatalogOptions>().ValidateOnStart();
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ReleaseCatalogOptions>, ReleaseCatalogOptionsValidator>());
        services.TryAddSingleton(sp => ReleaseStores.Create(
            sp.GetRequiredService<IOptions<ReleaseCatalogOptions>>().Value,
            sp.GetService<IKubernetesResourceClient>(),
            sp.GetService<TimeProvider>(),
            sp.GetService<ILoggerFactory>()));
        services.TryAddSingleton(sp => sp.GetRequiredService<ReleaseBackend>().Store);
        services.TryAddSingleton(sp => sp.GetRequiredService<ReleaseBackend>().Feed);
        services.TryAddSingleton(sp => new ReleaseCatalog(
            sp.GetRequiredService<IReleaseStore>(),
            sp.GetRequiredService<IReleaseChangeFeed>(),
            sp.GetRequiredService<IOptions<ReleaseCatalogOptions>>().Value,
            sp.GetService<TimeProvider>(),
            sp.GetService<ILogger<ReleaseCatalog>>()));
        services.TryAddSingleton<IReleaseCatalog>(sp => sp.GetRequiredService<ReleaseCatalog>());
        return services;
    }

    private sealed class ReleaseCatalogOptionsValidator : IValidateOptions<ReleaseCatalogOptions>
    {
        public ValidateOptionsResult Validate(string? name, ReleaseCatalogOptions options)
        {
            try
            {
                options.Validate();
                return ValidateOptionsResult.Success;
            }
            catch (ArgumentException ex)
            {
                return ValidateOptionsResult.Fail(ex.Message);
            }
        }
    }
}
