namespace Platform.Kubernetes.Config;

/// <summary>Where the connection settings come from.</summary>
public enum KubernetesConfigSource
{
    /// <summary>As kubectl and client-go: an explicit kubeconfig, else <c>KUBECONFIG</c>, else <c>~/.kube/config</c>, else the pod's service account.</summary>
    Auto,

    /// <summary>Kubeconfig files only.</summary>
    Kubeconfig,

    /// <summary>The pod's service account only.</summary>
    InCluster,
}

/// <summary>
/// Settings of the Kubernetes client: which configuration to load, and the client's retry policy, time-outs and
/// limits. Bound from configuration in one place (<c>AddPlatformKubernetes</c>) and validated once.
/// </summary>
public sealed class KubernetesOptions
{
    /// <summary>Gets or sets where the connection settings come from. Defaults to <see cref="KubernetesConfigSource.Auto"/>.</summary>
    public KubernetesConfigSource Source { get; set; } = KubernetesConfigSource.Auto;

    /// <summary>Gets or sets an explicit kubeconfig file (as <c>kubectl --kubeconfig</c>), or <see langword="null"/>.</summary>
    public string? KubeconfigPath { get; set; }

    /// <summary>Gets or sets the kubeconfig context to use instead of <c>current-context</c>, or <see langword="null"/>.</summary>
    public string? Context { get; set; }

    /// <summary>Gets or sets the namespace to use instead of the context's, or <see langword="null"/>.</summary>
    public string? Namespace { get; set; }

    /// <summary>Gets or sets the environment facts (KUBECONFIG, home, in-cluster variables); <see langword="null"/> reads the process.</summary>
    public KubernetesEnvironment? Environment { get; set; }

    /// <summary>Gets or sets the most attempts of one request, the first included (1 disables retries). Defaults to 5.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Gets or sets the first retry delay; later delays double, with jitter. Defaults to 200 ms.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Gets or sets the longest computed retry delay. Defaults to 10 s.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets the longest <c>Retry-After</c> the client waits for; a longer hint fails the request at once. Defaults to 60 s.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Gets or sets the time-out of one attempt of a non-streaming request (and of the headers of a watch or log stream). Defaults to 60 s.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Gets or sets the largest JSON response read, in bytes. Defaults to 512 MiB.</summary>
    public long MaxResponseBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>Gets or sets the largest watch event (one line of the watch stream), in bytes. Defaults to 16 MiB.</summary>
    public int MaxWatchEventBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Gets or sets how long an exec credential plugin may run. Defaults to 60 s.</summary>
    public TimeSpan ExecTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Gets or sets the <c>User-Agent</c> sent. Defaults to <c>platform-sdk/0.1</c>.</summary>
    public string UserAgent { get; set; } = "platform-sdk/0.1";

    internal List<string> Validate()
    {
        var failures = new List<string>();
        if (!Enum.IsDefined(Source))
        {
            failures.Add($"{nameof(Source)} must be Auto, Kubeconfig or InCluster (was {Source}).");
        }

        if (Source == KubernetesConfigSource.InCluster && !string.IsNullOrEmpty(KubeconfigPath))
        {
            failures.Add($"{nameof(KubeconfigPath)} ('{KubeconfigPath}') cannot be used with {nameof(Source)} = InCluster.");
        }

        if (MaxAttempts is < 1 or > 100)
        {
            failures.Add($"{nameof(MaxAttempts)} must be between 1 and 100 (was {MaxAttempts}).");
        }

        if (RetryBaseDelay < TimeSpan.Zero || RetryMaxDelay < RetryBaseDelay)
        {
            failures.Add($"{nameof(RetryBaseDelay)} ({RetryBaseDelay}) must be non-negative and at most {nameof(RetryMaxDelay)} ({RetryMaxDelay}).");
        }

        if (MaxRetryAfter < TimeSpan.Zero)
        {
            failures.Add($"{nameof(MaxRetryAfter)} must be non-negative (was {MaxRetryAfter}).");
        }

        if (RequestTimeout <= TimeSpan.Zero && RequestTimeout != Timeout.InfiniteTimeSpan)
        {
            failures.Add($"{nameof(RequestTimeout)} must be positive or infinite (was {RequestTimeout}).");
        }

        if (MaxResponseBytes < 1024)
        {
            failures.Add($"{nameof(MaxResponseBytes)} must be at least 1024 (was {MaxResponseBytes}).");
        }

        if (MaxWatchEventBytes < 1024)
        {
            failures.Add($"{nameof(MaxWatchEventBytes)} must be at least 1024 (was {MaxWatchEventBytes}).");
        }

        if (ExecTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{nameof(ExecTimeout)} must be positive (was {ExecTimeout}).");
        }

        if (string.IsNullOrWhiteSpace(UserAgent))
        {
            failures.Add($"{nameof(UserAgent)} must not be empty.");
        }

        return failures;
    }
}
