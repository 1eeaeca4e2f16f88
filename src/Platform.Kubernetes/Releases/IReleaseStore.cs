namespace Platform.Kubernetes.Releases;

/// <summary>
/// Reads and writes Helm release revisions in one storage backend (Secrets, ConfigMaps, SQL or memory) in the
/// format Helm itself reads and writes.
/// </summary>
/// <remarks>
/// Implementations are thread-safe. A record that cannot be decoded is reported in
/// <see cref="ReleaseListResult.Diagnostics"/> and skipped; it never fails a list or a history.
/// </remarks>
public interface IReleaseStore
{
    /// <summary>Lists release revisions (every revision, not only the latest).</summary>
    /// <param name="namespace">The namespace, or <see langword="null"/> for all namespaces.</param>
    /// <param name="name">The release name, or <see langword="null"/> for every release.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The decoded revisions and the records that were skipped.</returns>
    Task<ReleaseListResult> ListAsync(string? @namespace = null, string? name = null, CancellationToken cancellationToken = default);

    /// <summary>Gets one revision.</summary>
    /// <param name="namespace">The namespace.</param>
    /// <param name="name">The release name.</param>
    /// <param name="revision">The revision.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The revision.</returns>
    /// <exception cref="ReleaseNotFoundException">The revision is not stored.</exception>
    /// <exception cref="ReleaseDecodeException">The stored record is corrupt.</exception>
    Task<HelmRelease> GetAsync(string @namespace, string name, int revision, CancellationToken cancellationToken = default);

    /// <summary>Gets every stored revision of a release, oldest first (empty when the release is unknown).</summary>
    /// <param name="namespace">The namespace.</param>
    /// <param name="name">The release name.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The revisions by ascending revision number, and the records that were skipped.</returns>
    Task<ReleaseListResult> HistoryAsync(string @namespace, string name, CancellationToken cancellationToken = default);

    /// <summary>Stores a new revision.</summary>
    /// <param name="release">The revision.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when the revision is stored.</returns>
    /// <exception cref="ReleaseExistsException">The revision is already stored.</exception>
    Task CreateAsync(HelmRelease release, CancellationToken cancellationToken = default);

    /// <summary>Replaces a stored revision (for example to mark it <c>superseded</c>).</summary>
    /// <param name="release">The revision.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when the revision is stored.</returns>
    /// <exception cref="ReleaseNotFoundException">The revision is not stored.</exception>
    Task UpdateAsync(HelmRelease release, CancellationToken cancellationToken = default);

    /// <summary>Deletes a stored revision.</summary>
    /// <param name="namespace">The namespace.</param>
    /// <param name="name">The release name.</param>
    /// <param name="revision">The revision.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when the revision is deleted.</returns>
    /// <exception cref="ReleaseNotFoundException">The revision is not stored.</exception>
    Task DeleteAsync(string @namespace, string name, int revision, CancellationToken cancellationToken = default);
}

/// <summary>
/// The list-and-watch view of a release store the catalog keeps itself current with: raw records plus resource
/// versions, so the reader decides how much of each record to decode.
/// </summary>
/// <remarks>Implementations are thread-safe.</remarks>
public interface IReleaseChangeFeed
{
    /// <summary>Lists every release record and the version a watch continues from.</summary>
    /// <param name="namespace">The namespace, or <see langword="null"/> for all namespaces.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The records and the list's version.</returns>
    Task<ReleaseRecordList> ListRecordsAsync(string? @namespace, CancellationToken cancellationToken = default);

    /// <summary>Watches changes after a version returned by <see cref="ListRecordsAsync"/> or by an earlier change.</summary>
    /// <param name="namespace">The namespace, or <see langword="null"/> for all namespaces.</param>
    /// <param name="fromVersion">The version to continue from (exclusive).</param>
    /// <param name="cancellationToken">Ends the watch.</param>
    /// <returns>The changes in order; the sequence may end at any time (the reader then watches again from the last version).</returns>
    /// <exception cref="ReleaseFeedExpiredException">The version is too old to resume from: list again.</exception>
    IAsyncEnumerable<ReleaseRecordChange> WatchRecordsAsync(string? @namespace, string fromVersion, CancellationToken cancellationToken = default);
}

/// <summary>Decoded release revisions and the records that could not be decoded.</summary>
/// <param name="Releases">The revisions.</param>
/// <param name="Diagnostics">The skipped records, one message each.</param>
public sealed record ReleaseListResult(IReadOnlyList<HelmRelease> Releases, IReadOnlyList<ReleaseDiagnostic> Diagnostics);

/// <summary>A storage record that was skipped, as data (never an exception).</summary>
/// <param name="Namespace">The namespace of the record.</param>
/// <param name="RecordName">The storage object name (for example <c>sh.helm.release.v1.web.v3</c>).</param>
/// <param name="Message">What is wrong with it.</param>
public sealed record ReleaseDiagnostic(string Namespace, string RecordName, string Message)
{
    /// <inheritdoc />
    public override string ToString() => Message;
}

/// <summary>One raw release record as stored: the Helm payload and the custom labels.</summary>
/// <param name="Namespace">The namespace.</param>
/// <param name="RecordName">The storage object name (SQL: the <c>key</c> column).</param>
/// <param name="Payload">The Helm payload, UTF-8: <c>base64(gzip(JSON))</c> (Secrets: already unwrapped from the object's own base64).</param>
/// <param name="Labels">The custom labels (system labels removed).</param>
public sealed record ReleaseRecord(string Namespace, string RecordName, ReadOnlyMemory<byte> Payload, IReadOnlyDictionary<string, string> Labels)
{
    /// <summary>Gets a problem found before decoding (for example a Secret whose data is not base64), or <see langword="null"/>.</summary>
    public string? Problem { get; init; }
}

/// <summary>The records of a store and the version a watch continues from.</summary>
/// <param name="Records">The records.</param>
/// <param name="Version">The version (a Kubernetes list <c>resourceVersion</c>, or a backend token).</param>
public sealed record ReleaseRecordList(IReadOnlyList<ReleaseRecord> Records, string Version);

/// <summary>The kind of a record change.</summary>
public enum ReleaseRecordChangeType
{
    /// <summary>A record was created or replaced.</summary>
    Upserted,

    /// <summary>A record was deleted.</summary>
    Deleted,

    /// <summary>Nothing changed; the feed is alive and at <see cref="ReleaseRecordChange.Version"/>.</summary>
    Bookmark,
}

/// <summary>One change of the feed.</summary>
/// <param name="Type">The kind of change.</param>
/// <param name="Version">The version after this change (resume from here).</param>
/// <param name="Namespace">The namespace of the record (empty for a bookmark).</param>
/// <param name="RecordName">The storage object name (empty for a bookmark).</param>
/// <param name="Record">The record for <see cref="ReleaseRecordChangeType.Upserted"/>, otherwise <see langword="null"/>.</param>
public sealed record ReleaseRecordChange(ReleaseRecordChangeType Type, string Version, string Namespace, string RecordName, ReleaseRecord? Record);
