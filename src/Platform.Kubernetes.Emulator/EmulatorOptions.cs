namespace Platform.Kubernetes.Emulator;

/// <summary>
/// Configures a <see cref="KubernetesEmulator"/>. Every setting has a default that suits tests running in parallel.
/// </summary>
public sealed record EmulatorOptions
{
    /// <summary>Gets the HTTPS port on 127.0.0.1; 0 (the default) picks a free ephemeral port.</summary>
    public int HttpsPort { get; init; }

    /// <summary>Gets the plain HTTP port on 127.0.0.1; 0 (the default) picks a free ephemeral port.</summary>
    public int HttpPort { get; init; }

    /// <summary>Gets whether the plain HTTP endpoint is served. Defaults to <see langword="true"/>.</summary>
    public bool EnableHttp { get; init; } = true;

    /// <summary>Gets the bearer token clients must send; <see langword="null"/> (the default) generates a random one.</summary>
    public string? Token { get; init; }

    /// <summary>Gets the resource types served in addition to <see cref="EmulatorResourceType.BuiltIn"/>; empty by default.</summary>
    public IReadOnlyList<EmulatorResourceType> ResourceTypes { get; init; } = [];

    /// <summary>
    /// Gets how many change events the watch history keeps (all types together). A watch that resumes from a
    /// resource version older than the history gets <c>410 Gone</c> (reason <c>Expired</c>). Defaults to 10,000.
    /// </summary>
    public int WatchHistoryLimit { get; init; } = 10_000;

    /// <summary>Gets how often a watch with <c>allowWatchBookmarks=true</c> receives a <c>BOOKMARK</c>. Defaults to 5 seconds.</summary>
    public TimeSpan BookmarkInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets how long a watch without <c>timeoutSeconds</c> lasts before the server ends it. Defaults to 30 minutes.</summary>
    public TimeSpan DefaultWatchTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Gets how many paged-list snapshots (one per list that returned a <c>continue</c> token) are kept; the oldest
    /// is dropped first and its token then gets <c>410 Gone</c>. Defaults to 256.
    /// </summary>
    public int MaxListSnapshots { get; init; } = 256;

    /// <summary>Gets how long a <c>continue</c> token stays valid. Defaults to 5 minutes, as etcd's default compaction interval.</summary>
    public TimeSpan ContinueTokenLifetime { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets the largest request body accepted; larger gets <c>413</c>. Defaults to 3 MiB, as the real API server.</summary>
    public long MaxRequestBodyBytes { get; init; } = 3 * 1024 * 1024;

    /// <summary>Gets the largest log kept per container; older text is dropped first. Defaults to 16 MiB.</summary>
    public int MaxPodLogBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>Gets the version <c>/version</c> reports. Defaults to <c>v1.32.0</c>.</summary>
    public string KubernetesVersion { get; init; } = "v1.32.0";

    /// <summary>Gets the clock used for timestamps, ages and expiry. Defaults to <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Gets the seed of the random source used by fault-injection rates and generated names; <see langword="null"/> for a random seed.</summary>
    public int? RandomSeed { get; init; }

    internal void Validate()
    {
        if (HttpsPort is < 0 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(HttpsPort), HttpsPort, "EmulatorOptions.HttpsPort must be 0..65535.");
        }

        if (HttpPort is < 0 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(HttpPort), HttpPort, "EmulatorOptions.HttpPort must be 0..65535.");
        }

        if (WatchHistoryLimit < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(WatchHistoryLimit), WatchHistoryLimit, "EmulatorOptions.WatchHistoryLimit must be at least 1.");
        }

        if (BookmarkInterval <= TimeSpan.Zero || DefaultWatchTimeout <= TimeSpan.Zero || ContinueTokenLifetime <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(BookmarkInterval), "EmulatorOptions.BookmarkInterval, DefaultWatchTimeout and ContinueTokenLifetime must be positive.");
        }

        if (MaxListSnapshots < 1 || MaxRequestBodyBytes < 1024 || MaxPodLogBytes < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxListSnapshots), "EmulatorOptions.MaxListSnapshots, MaxPodLogBytes must be positive and MaxRequestBodyBytes at least 1024.");
        }

        if (Token is { Length: 0 })
        {
            throw new ArgumentException("EmulatorOptions.Token must not be empty; leave it null to generate one.", nameof(Token));
        }

        ArgumentNullException.ThrowIfNull(TimeProvider);
        ArgumentNullException.ThrowIfNull(ResourceTypes);
    }
}
