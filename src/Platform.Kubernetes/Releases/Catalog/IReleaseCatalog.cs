namespace Platform.Kubernetes.Releases;

/// <summary>
/// A live, in-memory index of every Helm release revision of one store, kept current by list+watch, answering
/// <c>helm list</c> queries without touching the store.
/// </summary>
/// <remarks>
/// Thread-safe: any number of readers query immutable snapshots that the single sync loop swaps atomically.
/// Before the first sync completes, queries answer from an empty index (<see cref="ReleaseCatalogStatus.IsSynced"/> is false).
/// </remarks>
public interface IReleaseCatalog
{
    /// <summary>Gets how fresh the index is: synced or not, connected or not, when it last heard from the store.</summary>
    ReleaseCatalogStatus Status { get; }

    /// <summary>Starts the sync loop if needed and waits until the first full list is indexed.</summary>
    /// <param name="cancellationToken">Stops waiting (the loop keeps running).</param>
    /// <returns>A task that completes when the index holds a full list.</returns>
    Task WaitForSyncAsync(CancellationToken cancellationToken = default);

    /// <summary>Answers a list query from the current snapshot.</summary>
    /// <param name="query">The query.</param>
    /// <returns>The page and the total number of matches.</returns>
    /// <exception cref="ArgumentException">The name filter or the label selector does not parse.</exception>
    ReleaseQueryResult Query(ReleaseListQuery query);

    /// <summary>Gets the indexed revisions of one release, oldest first (empty when unknown).</summary>
    /// <param name="namespace">The namespace.</param>
    /// <param name="name">The release name.</param>
    /// <returns>The revisions.</returns>
    IReadOnlyList<ReleaseSummary> History(string @namespace, string name);

    /// <summary>Loads one full revision (values, manifest, notes, hooks, chart) from the store.</summary>
    /// <param name="namespace">The namespace.</param>
    /// <param name="name">The release name.</param>
    /// <param name="revision">The revision, or <see langword="null"/> for the latest indexed one.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The revision.</returns>
    /// <exception cref="ReleaseNotFoundException">The release or revision does not exist.</exception>
    Task<HelmRelease> GetReleaseAsync(string @namespace, string name, int? revision = null, CancellationToken cancellationToken = default);

    /// <summary>Loads every full revision of a release from the store, oldest first.</summary>
    /// <param name="namespace">The namespace.</param>
    /// <param name="name">The release name.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The revisions and any records skipped as corrupt.</returns>
    Task<ReleaseListResult> GetHistoryAsync(string @namespace, string name, CancellationToken cancellationToken = default);

    /// <summary>Subscribes to index changes now and returns them as a stream, until cancelled.</summary>
    /// <param name="cancellationToken">Ends the stream (enumeration then throws <see cref="OperationCanceledException"/>) and releases its subscription.</param>
    /// <returns>
    /// The changes. A reader that falls more than <see cref="ReleaseCatalogOptions.ChangeBufferSize"/> changes behind,
    /// and every reader after a relist, receives one <see cref="ReleaseCatalogChangeKind.Reset"/>: query again.
    /// </returns>
    /// <remarks>
    /// <para>The subscription starts when this method is called, not on the first <c>MoveNextAsync</c>: a change written
    /// after the call is delivered even if enumeration starts later (until then up to
    /// <see cref="ReleaseCatalogOptions.ChangeBufferSize"/> changes are buffered; more become one reset). So the pattern
    /// "watch, then query or write, then read the stream" misses nothing.</para>
    /// <para>The subscription is released when its enumerator is disposed (<c>await foreach</c> does this), when
    /// <paramref name="cancellationToken"/> is cancelled, or when the catalog is disposed (the stream then ends normally).
    /// A stream that is never enumerated should be ended with its token; one that is simply dropped holds at most
    /// <see cref="ReleaseCatalogOptions.ChangeBufferSize"/> buffered changes until it is garbage-collected, and is then
    /// unregistered. The first enumeration takes the subscription made here; enumerating the same stream again subscribes
    /// afresh from that moment. On a disposed catalog the stream is empty.</para>
    /// </remarks>
    IAsyncEnumerable<ReleaseCatalogChange> WatchChangesAsync(CancellationToken cancellationToken = default);
}

/// <summary>How fresh the catalog is.</summary>
/// <param name="IsSynced">Whether a full list has been indexed.</param>
/// <param name="IsConnected">Whether the last list or watch call succeeded (false while retrying).</param>
/// <param name="LastSyncTime">When the catalog last heard from the store (list, event or bookmark), or <see langword="null"/>.</param>
/// <param name="LastError">The last failure, or <see langword="null"/> since the last success.</param>
/// <param name="Relists">How many full lists were made (1 after the first sync; more after 410 Gone).</param>
/// <param name="Releases">How many releases the index holds.</param>
/// <param name="Revisions">How many revisions the index holds.</param>
/// <param name="Skipped">The records currently skipped as corrupt.</param>
public sealed record ReleaseCatalogStatus(
    bool IsSynced,
    bool IsConnected,
    DateTimeOffset? LastSyncTime,
    string? LastError,
    int Relists,
    int Releases,
    int Revisions,
    IReadOnlyList<ReleaseDiagnostic> Skipped);

/// <summary>The kind of a catalog change.</summary>
public enum ReleaseCatalogChangeKind
{
    /// <summary>A revision was added.</summary>
    Added,

    /// <summary>A revision changed (for example its status).</summary>
    Updated,

    /// <summary>A revision was removed.</summary>
    Deleted,

    /// <summary>The index was rebuilt or this reader fell behind: query again.</summary>
    Reset,
}

/// <summary>One change of the index.</summary>
/// <param name="Kind">The kind of change.</param>
/// <param name="Namespace">The namespace (empty for <see cref="ReleaseCatalogChangeKind.Reset"/>).</param>
/// <param name="Name">The release name (empty for <see cref="ReleaseCatalogChangeKind.Reset"/>).</param>
/// <param name="Revision">The revision (0 for <see cref="ReleaseCatalogChangeKind.Reset"/>).</param>
/// <param name="Summary">The new summary for added and updated revisions, otherwise <see langword="null"/>.</param>
public sealed record ReleaseCatalogChange(ReleaseCatalogChangeKind Kind, string Namespace, string Name, int Revision, ReleaseSummary? Summary);
