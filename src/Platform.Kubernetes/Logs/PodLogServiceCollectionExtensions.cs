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
    /// <remarks>
    /// The source resolves the registered <see cref="IPodLogClient"/> (register your own to read through another client)
    /// on its first read, not when the log reader is built: an application that never reads a pod log needs no cluster,
    /// and an unusable kubeconfig surfaces as a <see cref="KubernetesConfigurationException"/> from that first read.
    /// </remarks>
    /// <param name="services">The service collection.</param>
    /// <returns>The same service collection.</returns>
    public static IServiceCollection AddPlatformPodLogs(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddPlatformLogging();
        services.AddPlatformKubernetes();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ILogSource, DeferredPodLogSource>());
        return services;
    }
}

/// <summary>The registered <c>pod</c> source: resolves the client on first use so building the log reader needs no cluster.</summary>
internal sealed class DeferredPodLogSource(IServiceProvider services) : ILogSource
{
    // PublicationOnly: a failed resolution (no kubeconfig yet) is retried on the next read instead of being cached.
    private readonly Lazy<PodLogSource> _source = new(() => new PodLogSource(services.GetRequiredService<IPodLogClient>()), LazyThreadSafetyMode.PublicationOnly);

    public string Kind => PodLogSource.SourceKind;

    public ValueTask<OpenedLog> OpenAsync(string name, Platform.Logging.LogQuery query, CancellationToken cancellationToken = default)
    {
        // Malformed names fail before the client (and its kubeconfig) is needed.
        ArgumentNullException.ThrowIfNull(name);
        _ = PodLogName.Parse(name);
        return _source.Value.OpenAsync(name, query, cancellationToken);
    }
}
