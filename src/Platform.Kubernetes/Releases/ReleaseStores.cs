using Microsoft.Extensions.Logging;
using Platform.Kubernetes.Client;

namespace Platform.Kubernetes.Releases;

/// <summary>A release store and its change feed (one backend), disposed together.</summary>
public sealed class ReleaseBackend : IAsyncDisposable
{
    private readonly IAsyncDisposable _owner;

    internal ReleaseBackend(ReleaseStoreKind kind, ReleaseStoreBase store)
    {
        Kind = kind;
        Store = store;
        Feed = store;
        _owner = store;
    }

    /// <summary>Gets the kind of backend.</summary>
    public ReleaseStoreKind Kind { get; }

    /// <summary>Gets the store (reads and writes full revisions).</summary>
    public IReleaseStore Store { get; }

    /// <summary>Gets the change feed (list and watch of raw records) of the same store.</summary>
    public IReleaseChangeFeed Feed { get; }

    /// <summary>Releases the backend's connections (the SQL connection pool).</summary>
    /// <returns>A task that completes when the backend is disposed.</returns>
    public ValueTask DisposeAsync() => _owner.DisposeAsync();
}

/// <summary>Creates release-store backends.</summary>
public static class ReleaseStores
{
    /// <summary>Creates the backend the options select.</summary>
    /// <param name="options">The options (validated here).</param>
    /// <param name="client">The Kubernetes client; required for <see cref="ReleaseStoreKind.Secrets"/> and <see cref="ReleaseStoreKind.ConfigMaps"/>.</param>
    /// <param name="timeProvider">The clock; <see langword="null"/> uses <see cref="TimeProvider.System"/>.</param>
    /// <param name="loggerFactory">The logger factory, or <see langword="null"/>.</param>
    /// <returns>The backend.</returns>
    /// <exception cref="ArgumentException">The options are invalid, or a Kubernetes store has no client.</exception>
    public static ReleaseBackend Create(ReleaseCatalogOptions options, IKubernetesResourceClient? client = null, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        ILogger? logger = loggerFactory?.CreateLogger("Platform.Kubernetes.Releases.ReleaseStore");
        ReleaseStoreBase store = options.Store switch
        {
            ReleaseStoreKind.Secrets or ReleaseStoreKind.ConfigMaps => new KubernetesReleaseStore(
                client ?? throw new ArgumentException($"a Kubernetes client is required for the {options.Store} release store", nameof(client)),
                options.Store == ReleaseStoreKind.Secrets,
                options.ListPageSize,
                timeProvider,
                options.MaxReleaseBytes,
                logger),
            ReleaseStoreKind.Sql => new SqlReleaseStore(options.SqlConnectionString!, options.SqlPollInterval, timeProvider, options.MaxReleaseBytes, logger),
            _ => new MemoryReleaseStore(maxReleaseBytes: options.MaxReleaseBytes, logger: logger),
        };
        return new ReleaseBackend(options.Store, store);
    }
}
