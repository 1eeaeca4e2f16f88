using Microsoft.Extensions.DependencyInjection.Extensions;
using Platform.Kubernetes.Client;
using Platform.Kubernetes.Logs;
using Platform.Logging.Sources;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Kubernetes pod-log source of the Platform SDK log reader.</summary>
public static class PodLogServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="PodLogSource"/> as an <see cref="ILogSource"/> of kind <c>pod</c>, so
    /// <c>ILogReader.ReadAsync("pod", "NAMESPACE/POD[/CONTAINER]", query)</c> reads container logs through the API server.
    /// Also calls <c>AddPlatformLogging()</c> and <c>AddPlatformKubernetes()</c> without configuration (both use
    /// <c>TryAdd</c>, so their own calls, before or after this one, still configure them). Uses <c>TryAddEnumerable</c>,
    /// so calling it more than once registers the source once.
    /// </summary>
    /// <remarks>The source uses the registered <see cref="IPodLogClient"/>; register your own to read through another client.</remarks>
    /// <param name="services">The service collection.</param>
    /// <returns>The same service collection.</returns>
    public static IServiceCollection AddPlatformPodLogs(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddPlatformLogging();
        services.AddPlatformKubernetes();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ILogSource, PodLogSource>());
        return services;
    }
}
