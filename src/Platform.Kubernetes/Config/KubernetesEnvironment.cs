namespace Platform.Kubernetes.Config;

/// <summary>
/// The process facts configuration loading reads: the <c>KUBECONFIG</c> variable, the home directory and the
/// in-cluster service-account settings. Bound from the process in one place (<see cref="FromProcess"/>) and
/// replaceable in tests.
/// </summary>
public sealed record KubernetesEnvironment
{
    /// <summary>The directory Kubernetes mounts the service-account token, CA and namespace into.</summary>
    public const string DefaultServiceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount";

    /// <summary>Gets the value of <c>KUBECONFIG</c>: kubeconfig paths separated by <see cref="Path.PathSeparator"/>, or <see langword="null"/>.</summary>
    public string? KubeconfigVariable { get; init; }

    /// <summary>Gets the home directory holding <c>.kube/config</c>, or <see langword="null"/>.</summary>
    public string? HomeDirectory { get; init; }

    /// <summary>Gets <c>KUBERNETES_SERVICE_HOST</c>, set by the kubelet in every pod, or <see langword="null"/>.</summary>
    public string? ServiceHost { get; init; }

    /// <summary>Gets <c>KUBERNETES_SERVICE_PORT</c>, or <see langword="null"/>.</summary>
    public string? ServicePort { get; init; }

    /// <summary>Gets <c>POD_NAMESPACE</c>, which wins over the service-account namespace file when set, or <see langword="null"/>.</summary>
    public string? PodNamespace { get; init; }

    /// <summary>Gets the service-account directory (<c>token</c>, <c>ca.crt</c>, <c>namespace</c>). Defaults to <see cref="DefaultServiceAccountDirectory"/>.</summary>
    public string ServiceAccountDirectory { get; init; } = DefaultServiceAccountDirectory;

    /// <summary>Gets the default kubeconfig path, <c>~/.kube/config</c>, or <see langword="null"/> without a home directory.</summary>
    public string? DefaultKubeconfigPath => string.IsNullOrEmpty(HomeDirectory) ? null : Path.Combine(HomeDirectory, ".kube", "config");

    /// <summary>Gets whether the in-cluster variables are set.</summary>
    public bool IsInCluster => !string.IsNullOrEmpty(ServiceHost) && !string.IsNullOrEmpty(ServicePort);

    /// <summary>Reads the environment of the current process: the only place the SDK reads these variables.</summary>
    /// <returns>The environment facts.</returns>
    public static KubernetesEnvironment FromProcess()
    {
        var home = Environment.GetEnvironmentVariable("HOME");
        if (string.IsNullOrEmpty(home))
        {
            home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        }

        return new KubernetesEnvironment
        {
            KubeconfigVariable = Environment.GetEnvironmentVariable("KUBECONFIG"),
            HomeDirectory = string.IsNullOrEmpty(home) ? null : home,
            ServiceHost = Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST"),
            ServicePort = Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_PORT"),
            PodNamespace = Environment.GetEnvironmentVariable("POD_NAMESPACE"),
        };
    }
}
