namespace Platform.Kubernetes.Releases;

/// <summary>Where Helm release records are stored.</summary>
public enum ReleaseStoreKind
{
    /// <summary>Kubernetes Secrets (Helm's default driver).</summary>
    Secrets,

    /// <summary>Kubernetes ConfigMaps (<c>HELM_DRIVER=configmap</c>).</summary>
    ConfigMaps,

    /// <summary>PostgreSQL (<c>HELM_DRIVER=sql</c>): needs <see cref="ReleaseCatalogOptions.SqlConnectionString"/>.</summary>
    Sql,

    /// <summary>In-process memory (<c>HELM_DRIVER=memory</c>): for tests and demos.</summary>
    Memory,
}

/// <summary>Options of the release store and the release catalog.</summary>
public sealed class ReleaseCatalogOptions
{
    /// <summary>Gets or sets the store. Defaults to <see cref="ReleaseStoreKind.Secrets"/>.</summary>
    public ReleaseStoreKind Store { get; set; } = ReleaseStoreKind.Secrets;

    /// <summary>Gets or sets the namespace to index, or <see langword="null"/> (the default) for all namespaces.</summary>
    public string? Namespace { get; set; }

    /// <summary>Gets or sets the PostgreSQL connection string (Npgsql form) for <see cref="ReleaseStoreKind.Sql"/>.</summary>
    public string? SqlConnectionString { get; set; }

    /// <summary>Gets or sets how often the SQL change feed polls. Defaults to 2 seconds.</summary>
    public TimeSpan SqlPollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Gets or sets the page size of Kubernetes list calls. Defaults to 500.</summary>
    public int ListPageSize { get; set; } = 500;

    /// <summary>Gets or sets the largest decoded release JSON accepted, in bytes. Defaults to 64 MiB.</summary>
    public int MaxReleaseBytes { get; set; } = HelmReleaseCodec.DefaultMaxReleaseBytes;

    /// <summary>Gets or sets the first retry delay after a failed list or watch. Defaults to 200 ms.</summary>
    public TimeSpan InitialRetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Gets or sets the longest retry delay (delays double up to it). Defaults to 30 seconds.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets how many changes a <see cref="IReleaseCatalog.WatchChangesAsync"/> reader may fall behind before it gets a reset. Defaults to 4,096.</summary>
    public int ChangeBufferSize { get; set; } = 4096;

    /// <summary>Checks the options; the message names the setting that is wrong.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate()
    {
        if (!Enum.IsDefined(Store))
        {
            throw new ArgumentException($"ReleaseCatalogOptions.Store: '{Store}' is not a store kind", nameof(Store));
        }

        if (Store == ReleaseStoreKind.Sql && string.IsNullOrWhiteSpace(SqlConnectionString))
        {
            throw new ArgumentException("ReleaseCatalogOptions.SqlConnectionString is required when Store is Sql", nameof(SqlConnectionString));
        }

        ValidateCatalogSettings();
    }

    /// <summary>Checks the settings the catalog itself uses (not the store's): namespace, sizes, delays.</summary>
    internal void ValidateCatalogSettings()
    {
        if (Namespace is { Length: 0 })
        {
            throw new ArgumentException("ReleaseCatalogOptions.Namespace must be null (all namespaces) or a namespace name, not empty", nameof(Namespace));
        }

        if (SqlPollInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException($"ReleaseCatalogOptions.SqlPollInterval must be positive, was {SqlPollInterval}", nameof(SqlPollInterval));
        }

        if (ListPageSize < 1)
        {
            throw new ArgumentException($"ReleaseCatalogOptions.ListPageSize must be at least 1, was {ListPageSize}", nameof(ListPageSize));
        }

        if (MaxReleaseBytes < 1024)
        {
            throw new ArgumentException($"ReleaseCatalogOptions.MaxReleaseBytes must be at least 1024, was {MaxReleaseBytes}", nameof(MaxReleaseBytes));
        }

        if (InitialRetryDelay <= TimeSpan.Zero || MaxRetryDelay < InitialRetryDelay)
        {
            throw new ArgumentException($"ReleaseCatalogOptions retry delays must satisfy 0 < InitialRetryDelay ({InitialRetryDelay}) <= MaxRetryDelay ({MaxRetryDelay})", nameof(InitialRetryDelay));
        }

        if (ChangeBufferSize < 1)
        {
            throw new ArgumentException($"ReleaseCatalogOptions.ChangeBufferSize must be at least 1, was {ChangeBufferSize}", nameof(ChangeBufferSize));
        }
    }
}
