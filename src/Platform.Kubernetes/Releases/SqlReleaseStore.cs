using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Platform.Kubernetes.Releases;

/// <summary>
/// Helm's <c>sql</c> storage driver on PostgreSQL: the <c>releases_v1</c> table (key, type, body, name, namespace,
/// version, status, owner, createdAt, modifiedAt) and <c>custom_labels_v1</c>, created with the same migrations
/// (recorded in <c>gorp_migrations</c>) so the real <c>helm</c> and this store share one database.
/// </summary>
/// <remarks>
/// SQL has no watch: the change feed polls a fingerprint (<c>md5</c> of body and labels) of every row and fetches
/// only rows that changed. A feed version is a token of one polled state; tokens older than the last
/// <see cref="RetainedTokens"/> are expired (<see cref="ReleaseFeedExpiredException"/>), like a Kubernetes 410.
/// </remarks>
internal sealed class SqlReleaseStore : ReleaseStoreBase
{
    public const int RetainedTokens = 16;
    private const int MaxLabelKeyLength = 253 + 1 + 63;
    private const int MaxLabelValueLength = 63;
    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeSpan _pollInterval;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, Baseline> _baselines = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _tokenOrder = new();
    private readonly SemaphoreSlim _schemaGate = new(1, 1);
    private long _nextToken;
    private volatile bool _schemaReady;

    public SqlReleaseStore(string connectionString, TimeSpan pollInterval, TimeProvider? timeProvider = null, int maxReleaseBytes = HelmReleaseCodec.DefaultMaxReleaseBytes, ILogger? logger = null)
        : base(maxReleaseBytes, logger ?? NullLogger.Instance)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        _dataSource = NpgsqlDataSource.Create(connectionString);
        _pollInterval = pollInterval;
        _time = timeProvider ?? TimeProvider.System;
    }

    public override async ValueTask DisposeAsync()
    {
        await _dataSource.DisposeAsync().ConfigureAwait(false);
        _schemaGate.Dispose();
    }

    /// <summary>Creates Helm's tables when they are missing, with Helm's migration ids.</summary>
    public async Task EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        if (_schemaReady)
        {
            return;
        }

        await _schemaGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_schemaReady)
            {
                return;
            }

            await RunAsync(async connection =>
            {
                await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                await ExecAsync(connection, tx, "SELECT pg_advisory_xact_lock(7310585010)", cancellationToken).ConfigureAwait(false);
                await ExecAsync(connection, tx, "CREATE TABLE IF NOT EXISTS gorp_migrations (id text NOT NULL PRIMARY KEY, applied_at timestamp with time zone)", cancellationToken).ConfigureAwait(false);
                var applied = new HashSet<string>(StringComparer.Ordinal);
                await using (var cmd = new NpgsqlCommand("SELECT id FROM gorp_migrations", connection, tx))
                await using (var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        applied.Add(reader.GetString(0));
                    }
                }

                if (!applied.Contains("init"))
                {
                    await ExecAsync(connection, tx, """
                        CREATE TABLE releases_v1 (
                            key VARCHAR(90),
                            type VARCHAR(64) NOT NULL,
                            body TEXT NOT NULL,
                            name VARCHAR(64) NOT NULL,
                            namespace VARCHAR(64) NOT NULL,
                            version INTEGER NOT NULL,
                            status TEXT NOT NULL,
                            owner TEXT NOT NULL,
                            createdAt INTEGER NOT NULL,
                            modifiedAt INTEGER NOT NULL DEFAULT 0,
                            PRIMARY KEY(key, namespace)
                        );
                        CREATE INDEX ON releases_v1 (key, namespace);
                        CREATE INDEX ON releases_v1 (version);
                        CREATE INDEX ON releases_v1 (status);
                        CREATE INDEX ON releases_v1 (owner);
                        CREATE INDEX ON releases_v1 (createdAt);
                        CREATE INDEX ON releases_v1 (modifiedAt);
                        GRANT ALL ON releases_v1 TO PUBLIC;
                        ALTER TABLE releases_v1 ENABLE ROW LEVEL SECURITY;
                        INSERT INTO gorp_migrations (id, applied_at) VALUES ('init', now());
                        """, cancellationToken).ConfigureAwait(false);
                }

                if (!applied.Contains("custom_labels"))
                {
                    await ExecAsync(connection, tx, """
                        CREATE TABLE custom_labels_v1 (
                            releaseKey VARCHAR(64),
                            releaseNamespace VARCHAR(67),
                            key VARCHAR(317),
                            value VARCHAR(63)
                        );
                        CREATE INDEX ON custom_labels_v1 (releaseKey, releaseNamespace);
                        GRANT ALL ON custom_labels_v1 TO PUBLIC;
                        ALTER TABLE custom_labels_v1 ENABLE ROW LEVEL SECURITY;
                        INSERT INTO gorp_migrations (id, applied_at) VALUES ('custom_labels', now());
                        """, cancellationToken).ConfigureAwait(false);
                }

                await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
                return 0;
            }, cancellationToken).ConfigureAwait(false);
            _schemaReady = true;
        }
        finally
        {
            _schemaGate.Release();
        }
    }

    public override async Task<ReleaseRecordList> ListRecordsAsync(string? @namespace, CancellationToken cancellationToken = default)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        var (records, fingerprints) = await ReadAsync(@namespace, null, null, withFingerprints: true, cancellationToken).ConfigureAwait(false);
        string token = Register(new Baseline(@namespace, fingerprints));
        return new ReleaseRecordList(records, token);
    }

    public override async IAsyncEnumerable<ReleaseRecordChange> WatchRecordsAsync(string? @namespace, string fromVersion, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (!_baselines.TryGetValue(fromVersion, out Baseline? baseline) || baseline.Namespace != @namespace)
        {
            throw new ReleaseFeedExpiredException($"SQL feed version '{fromVersion}' is unknown or expired: list again");
        }

        string version = fromVersion;
        while (true)
        {
            await Task.Delay(_pollInterval, _time, cancellationToken).ConfigureAwait(false);
            Dictionary<(string, string), string> current = await FingerprintsAsync(@namespace, cancellationToken).ConfigureAwait(false);
            var changed = current.Where(p => !baseline.Fingerprints.TryGetValue(p.Key, out string? old) || old != p.Value).Select(p => p.Key).ToList();
            var deleted = baseline.Fingerprints.Keys.Where(k => !current.ContainsKey(k)).ToList();
            if (changed.Count == 0 && deleted.Count == 0)
            {
                yield return new ReleaseRecordChange(ReleaseRecordChangeType.Bookmark, version, string.Empty, string.Empty, null);
                continue;
            }

            var (records, fresh) = await ReadAsync(@namespace, null, changed, withFingerprints: true, cancellationToken).ConfigureAwait(false);
            foreach (var (key, fp) in fresh)
            {
                current[key] = fp; // the fetched state wins over the polled one
            }

            foreach (var key in changed.Where(k => !fresh.ContainsKey(k)))
            {
                current.Remove(key);
                deleted.Add(key); // deleted between the poll and the fetch
            }

            baseline = new Baseline(@namespace, current);
            string next = Register(baseline);
            int total = records.Count + deleted.Count;
            int index = 0;

            // Every change but the last carries the previous version: a reader that stops mid-batch resumes before it.
            foreach (ReleaseRecord record in records)
            {
                yield return new ReleaseRecordChange(ReleaseRecordChangeType.Upserted, ++index == total ? next : version, record.Namespace, record.RecordName, record);
            }

            foreach (var (ns, key) in deleted)
            {
                yield return new ReleaseRecordChange(ReleaseRecordChangeType.Deleted, ++index == total ? next : version, ns, key, null);
            }

            version = next;
        }
    }

    protected override async Task<IReadOnlyList<ReleaseRecord>> ReadRecordsAsync(string? @namespace, string? name, CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        var (records, _) = await ReadAsync(@namespace, name, null, withFingerprints: false, cancellationToken).ConfigureAwait(false);
        return records;
    }

    protected override async Task<ReleaseRecord?> ReadRecordAsync(string @namespace, string recordName, CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        var (records, _) = await ReadAsync(@namespace, null, [(@namespace, recordName)], withFingerprints: false, cancellationToken).ConfigureAwait(false);
        return records.Count == 0 ? null : records[0];
    }

    protected override async Task InsertAsync(HelmRelease release, string payload, CancellationToken cancellationToken)
    {
        ValidateLabels(release);
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await RunAsync(async connection =>
        {
            await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (var insert = new NpgsqlCommand(
                "INSERT INTO releases_v1 (key, type, body, name, namespace, version, status, owner, createdAt) VALUES (@key, @type, @body, @name, @ns, @version, @status, @owner, @created)",
                connection,
                tx))
            {
                AddRow(insert, release, payload);
                insert.Parameters.AddWithValue("created", (int)_time.GetUtcNow().ToUnixTimeSeconds());
                try
                {
                    await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
                {
                    throw new ReleaseExistsException($"release {release.Namespace}/{release.Name} revision {release.Version} already exists", release.Namespace, release.StorageKey, ex);
                }
            }

            await WriteLabelsAsync(connection, tx, release, cancellationToken).ConfigureAwait(false);
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        }, cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ReplaceAsync(HelmRelease release, string payload, CancellationToken cancellationToken)
    {
        ValidateLabels(release);
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await RunAsync(async connection =>
        {
            await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (var update = new NpgsqlCommand(
                "UPDATE releases_v1 SET body = @body, name = @name, version = @version, status = @status, owner = @owner, modifiedAt = @modified WHERE key = @key AND namespace = @ns",
                connection,
                tx))
            {
                AddRow(update, release, payload);
                update.Parameters.AddWithValue("modified", (int)_time.GetUtcNow().ToUnixTimeSeconds());
                if (await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
                {
                    throw new ReleaseNotFoundException($"release {release.Namespace}/{release.Name} revision {release.Version} not found", release.Namespace, release.StorageKey);
                }
            }

            await DeleteLabelsAsync(connection, tx, release.Namespace, release.StorageKey, cancellationToken).ConfigureAwait(false);
            await WriteLabelsAsync(connection, tx, release, cancellationToken).ConfigureAwait(false);
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        }, cancellationToken).ConfigureAwait(false);
    }

    protected override async Task RemoveAsync(string @namespace, string recordName, CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await RunAsync(async connection =>
        {
            await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (var delete = new NpgsqlCommand("DELETE FROM releases_v1 WHERE key = @key AND namespace = @ns", connection, tx))
            {
                delete.Parameters.AddWithValue("key", recordName);
                delete.Parameters.AddWithValue("ns", @namespace);
                if (await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
                {
                    throw new ReleaseNotFoundException($"release record {@namespace}/{recordName} not found", @namespace, recordName);
                }
            }

            await DeleteLabelsAsync(connection, tx, @namespace, recordName, cancellationToken).ConfigureAwait(false);
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        }, cancellationToken).ConfigureAwait(false);
    }

    private const string FingerprintSql =
        "md5(r.body || coalesce((SELECT string_agg(l.key || '=' || l.value, ',' ORDER BY l.key) FROM custom_labels_v1 l WHERE l.releaseKey = r.key AND l.releaseNamespace = r.namespace), ''))";

    private async Task<Dictionary<(string, string), string>> FingerprintsAsync(string? @namespace, CancellationToken cancellationToken) =>
        await RunAsync(async connection =>
        {
            await using var cmd = new NpgsqlCommand($"SELECT r.namespace, r.key, {FingerprintSql} FROM releases_v1 r WHERE r.owner = 'helm' AND (@ns::text IS NULL OR r.namespace = @ns)", connection);
            cmd.Parameters.Add(new NpgsqlParameter("ns", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)@namespace ?? DBNull.Value });
            var result = new Dictionary<(string, string), string>();
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                result[(reader.GetString(0), reader.GetString(1))] = reader.GetString(2);
            }

            return result;
        }, cancellationToken).ConfigureAwait(false);

    private async Task<(List<ReleaseRecord> Records, Dictionary<(string, string), string> Fingerprints)> ReadAsync(
        string? @namespace,
        string? name,
        IReadOnlyList<(string Namespace, string Key)>? keys,
        bool withFingerprints,
        CancellationToken cancellationToken) =>
        await RunAsync(async connection =>
        {
            string filter = "r.owner = 'helm' AND (@ns::text IS NULL OR r.namespace = @ns) AND (@name::text IS NULL OR r.name = @name)"
                + (keys is null ? string.Empty : " AND (r.namespace, r.key) IN (SELECT * FROM unnest(@nss::text[], @keys::text[]))");
            var labels = new Dictionary<(string, string), Dictionary<string, string>>();
            await using (var cmd = new NpgsqlCommand($"SELECT l.releaseNamespace, l.releaseKey, l.key, l.value FROM custom_labels_v1 l JOIN releases_v1 r ON l.releaseKey = r.key AND l.releaseNamespace = r.namespace WHERE {filter}", connection))
            {
                AddFilter(cmd, @namespace, name, keys);
                await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var id = (reader.GetString(0), reader.GetString(1));
                    if (!labels.TryGetValue(id, out var set))
                    {
                        labels[id] = set = new Dictionary<string, string>(StringComparer.Ordinal);
                    }

                    set[reader.GetString(2)] = reader.IsDBNull(3) ? string.Empty : reader.GetString(3);
                }
            }

            var records = new List<ReleaseRecord>();
            var fingerprints = new Dictionary<(string, string), string>();
            await using (var cmd = new NpgsqlCommand($"SELECT r.namespace, r.key, r.body{(withFingerprints ? ", " + FingerprintSql : string.Empty)} FROM releases_v1 r WHERE {filter} ORDER BY r.namespace, r.key", connection))
            {
                AddFilter(cmd, @namespace, name, keys);
                await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var id = (reader.GetString(0), reader.GetString(1));
                    IReadOnlyDictionary<string, string> custom = labels.TryGetValue(id, out var set)
                        ? ReleaseStorageLabels.CustomLabels(set)
                        : System.Collections.Frozen.FrozenDictionary<string, string>.Empty;
                    records.Add(new ReleaseRecord(id.Item1, id.Item2, Encoding.UTF8.GetBytes(reader.GetString(2)), custom));
                    if (withFingerprints)
                    {
                        fingerprints[id] = reader.GetString(3);
                    }
                }
            }

            return (records, fingerprints);
        }, cancellationToken).ConfigureAwait(false);

    private static void AddFilter(NpgsqlCommand cmd, string? @namespace, string? name, IReadOnlyList<(string Namespace, string Key)>? keys)
    {
        cmd.Parameters.Add(new NpgsqlParameter("ns", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)@namespace ?? DBNull.Value });
        cmd.Parameters.Add(new NpgsqlParameter("name", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)name ?? DBNull.Value });
        if (keys is not null)
        {
            cmd.Parameters.AddWithValue("nss", keys.Select(k => k.Namespace).ToArray());
            cmd.Parameters.AddWithValue("keys", keys.Select(k => k.Key).ToArray());
        }
    }

    private static void AddRow(NpgsqlCommand cmd, HelmRelease release, string payload)
    {
        cmd.Parameters.AddWithValue("key", release.StorageKey);
        cmd.Parameters.AddWithValue("type", ReleaseStorageLabels.ReleaseType);
        cmd.Parameters.AddWithValue("body", payload);
        cmd.Parameters.AddWithValue("name", release.Name);
        cmd.Parameters.AddWithValue("ns", release.Namespace);
        cmd.Parameters.AddWithValue("version", release.Version);
        cmd.Parameters.AddWithValue("status", release.Status.ToHelmString());
        cmd.Parameters.AddWithValue("owner", ReleaseStorageLabels.Owner);
    }

    private static async Task WriteLabelsAsync(NpgsqlConnection connection, NpgsqlTransaction tx, HelmRelease release, CancellationToken cancellationToken)
    {
        foreach (var (key, value) in ReleaseStorageLabels.CustomLabels(release.Labels))
        {
            await using var cmd = new NpgsqlCommand("INSERT INTO custom_labels_v1 (releaseKey, releaseNamespace, key, value) VALUES (@rk, @rn, @k, @v)", connection, tx);
            cmd.Parameters.AddWithValue("rk", release.StorageKey);
            cmd.Parameters.AddWithValue("rn", release.Namespace);
            cmd.Parameters.AddWithValue("k", key);
            cmd.Parameters.AddWithValue("v", value);
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task DeleteLabelsAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string @namespace, string key, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand("DELETE FROM custom_labels_v1 WHERE releaseKey = @rk AND releaseNamespace = @rn", connection, tx);
        cmd.Parameters.AddWithValue("rk", key);
        cmd.Parameters.AddWithValue("rn", @namespace);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task ExecAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string sql, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand(sql, connection, tx);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void ValidateLabels(HelmRelease release)
    {
        foreach (var (key, value) in release.Labels)
        {
            if (key.Length > MaxLabelKeyLength || value.Length > MaxLabelValueLength)
            {
                throw new ArgumentException($"release '{release.Name}' label '{key}' is too long for Helm's SQL storage (key ≤ {MaxLabelKeyLength}, value ≤ {MaxLabelValueLength} characters)", nameof(release));
            }
        }
    }

    private string Register(Baseline baseline)
    {
        string token = "sql-" + Interlocked.Increment(ref _nextToken).ToString(CultureInfo.InvariantCulture);
        _baselines[token] = baseline;
        _tokenOrder.Enqueue(token);
        while (_tokenOrder.Count > RetainedTokens && _tokenOrder.TryDequeue(out string? old))
        {
            _baselines.TryRemove(old, out _);
        }

        return token;
    }

    /// <summary>Runs a database call; connection and server failures become <see cref="ReleaseStorageException"/>.</summary>
    private async Task<T> RunAsync<T>(Func<NpgsqlConnection, Task<T>> action, CancellationToken cancellationToken)
    {
        try
        {
            await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            return await action(connection).ConfigureAwait(false);
        }
        catch (NpgsqlException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ReleaseStorageException($"PostgreSQL release storage failed: {ex.Message}", innerException: ex);
        }
    }

    private sealed record Baseline(string? Namespace, Dictionary<(string, string), string> Fingerprints);
}
