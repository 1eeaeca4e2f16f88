using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Platform.Kubernetes.Client;
using Platform.Kubernetes.Config;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Platform SDK Kubernetes client.</summary>
public static class KubernetesServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="KubernetesClient"/> as <see cref="IKubernetesResourceClient"/> and <see cref="IPodLogClient"/>
    /// (one shared singleton), the <see cref="KubernetesClientConfiguration"/> it loads from <see cref="KubernetesOptions"/>
    /// (explicit kubeconfig, <c>KUBECONFIG</c>, <c>~/.kube/config</c>, or in-cluster), and <see cref="TimeProvider.System"/>.
    /// Uses <c>TryAdd</c>, so an application's own registrations win (register a <see cref="KubernetesClientConfiguration"/>
    /// to bypass kubeconfig loading), and is safe to call more than once (each <paramref name="configure"/> is applied in order).
    /// </summary>
    /// <remarks>
    /// Options are validated when first resolved (and at host start); a failure names the setting. The configuration
    /// is loaded when the client is first resolved; an unusable kubeconfig throws <see cref="KubernetesConfigurationException"/> then.
    /// </remarks>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Configures the options; bind configuration with <c>services.Configure&lt;KubernetesOptions&gt;(section)</c>.</param>
    /// <returns>The same service collection.</returns>
    public static IServiceCollection AddPlatformKubernetes(this IServiceCollection services, Action<KubernetesOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<KubernetesOptions>().ValidateOnStart();
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KubernetesOptions>, KubernetesOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => KubernetesClientConfiguration.Load(sp.GetRequiredService<IOptions<KubernetesOptions>>().Value));
        services.TryAddSingleton(sp => new KubernetesClient(
            sp.GetRequiredService<KubernetesClientConfiguration>(),
            sp.GetRequiredService<IOptions<KubernetesOptions>>().Value,
            sp.GetService<ILogger<KubernetesClient>>(),
            sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<IKubernetesResourceClient>(sp => sp.GetRequiredService<KubernetesClient>());
        services.TryAddSingleton<IPodLogClient>(sp => sp.GetRequiredService<KubernetesClient>());
        return services;
    }
}

/// <summary>Validates <see cref="KubernetesOptions"/> once, with messages naming the setting.</summary>
internal sealed class KubernetesOptionsValidator : IValidateOptions<KubernetesOptions>
{
    public ValidateOptionsResult Validate(string? name, KubernetesOptions options)
    {
        var failures = options.Validate();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
