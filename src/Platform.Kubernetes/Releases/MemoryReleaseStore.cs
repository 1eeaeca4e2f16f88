using System.Globalization;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Platform.Kubernetes.Releases;

/// <summary>
/// An in-process release store (Helm's <c>memory</c> driver) with Kubernetes-like resource versions and a bounded
/// change history: a watch from a version older than the history fails with <see cref="ReleaseFeedExpiredException"/>.
/// </summary>
internal sealed class MemoryReleaseStore : ReleaseStoreBase
{
    private readonly object _gate = new();
    private readonly Dictionary<(string Namespace, string RecordName), ReleaseRecord> _records = [];
    private readonly Queue<(long Version, ReleaseRecordChange Change)> _history = new();
    private readonly List<Channel<ReleaseRecordChange>> _watchers = [];
    private readonly int _historyLimit;
    private long _version;
    private long _compactedThrough;

    public MemoryReleaseStore(int historyLimit = 1000, int maxReleaseBytes = HelmReleaseCodec.DefaultMaxReleaseBytes, ILogger? logger = null)
        : base(maxReleaseBytes, logger ?? NullLogger.Instance)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(historyLimit, 1);
        _historyLimit = historyLimit;
    }

    public override Task<ReleaseRecordList> ListRecordsAsync(string? @namespace, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var records = _records.Values.Where(r => @namespace is null || r.Namespace == @namespace).ToArray();
            return Task.FromResult(new ReleaseRecordList(records, _version.ToString(CultureInfo.InvariantCulture)));
        }
    }

    public override async IAsyncEnumerable<ReleaseRecordChange> WatchRecordsAsync(string? @namespace, string fromVersion, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (!long.TryParse(fromVersion, NumberStyles.None, CultureInfo.InvariantCulture, out long from))
        {
            throw new ArgumentException($"'{fromVersion}' is not a version of this store", nameof(fromVersion));
        }

        var channel = Channel.CreateUnbounded<ReleaseRecordChange>(new UnboundedChannelOptions { SingleReader = true });
        lock (_gate)
        {
            if (from < _compactedThrough)
            {
                throw new ReleaseFeedExpiredException($"version {from} is older than the retained history (from {_compactedThrough}): list again");
            }

            foreach (var (version, change) in _history)
            {
                if (version > from)
                {
                    channel.Writer.TryWrite(change);
                }
            }

            _watchers.Add(channel);
        }

        try
        {
            await foreach (ReleaseRecordChange change in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                if (@namespace is null || change.Namespace == @namespace)
                {
                    yield return change;
                }
            }
        }
        finally
        {
            lock (_gate)
            {
                _watchers.Remove(channel);
            }
        }
    }

    /// <summary>Stores a raw record (tests use it to plant corrupt payloads).</summary>
    internal void PutRecord(ReleaseRecord record)
    {
        lock (_gate)
        {
            _records[(record.Namespace, record.RecordName)] = record;
            Publish(ReleaseRecordChangeType.Upserted, record.Namespace, record.RecordName, record);
        }
    }

    /// <summary>Ends every open watch, as a server that drops connections does.</summary>
    internal void DropWatches()
    {
        lock (_gate)
        {
            foreach (var watcher in _watchers)
            {
                watcher.Writer.TryComplete();
            }

            _watchers.Clear();
        }
    }

    /// <summary>Forgets the change history, so every older version is too old to resume from.</summary>
    internal void CompactHistory()
    {
        lock (_gate)
        {
            _history.Clear();
            _compactedThrough = _version;
        }
    }

    protected override Task<IReadOnlyList<ReleaseRecord>> ReadRecordsAsync(string? @namespace, string? name, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            IReadOnlyList<ReleaseRecord> records = _records.Values
                .Where(r => (@namespace is null || r.Namespace == @namespace)
                    && (name is null || (ReleaseStorageLabels.TryParseObjectName(r.RecordName, out string n, out _) && n == name)))
                .ToArray();
            return Task.FromResult(records);
        }
    }

    protected override Task<ReleaseRecord?> ReadRecordAsync(string @namespace, string recordName, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult(_records.TryGetValue((@namespace, recordName), out ReleaseRecord? record) ? record : null);
        }
    }

    protected override Task InsertAsync(HelmRelease release, string payload, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var record = new ReleaseRecord(release.Namespace, release.StorageKey, Utf8(payload), ReleaseStorageLabels.CustomLabels(release.Labels));
        lock (_gate)
        {
            if (_records.ContainsKey((record.Namespace, record.RecordName)))
            {
                throw new ReleaseExistsException($"release {record.Namespace}/{release.Name} revision {release.Version} already exists", record.Namespace, record.RecordName);
            }

            _records[(record.Namespace, record.RecordName)] = record;
            Publish(ReleaseRecordChangeType.Upserted, record.Namespace, record.RecordName, record);
        }

        return Task.CompletedTask;
    }

    protected override Task ReplaceAsync(HelmRelease release, string payload, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var record = new ReleaseRecord(release.Namespace, release.StorageKey, Utf8(payload), ReleaseStorageLabels.CustomLabels(release.Labels));
        lock (_gate)
        {
            if (!_records.ContainsKey((record.Namespace, record.RecordName)))
            {
                throw new ReleaseNotFoundException($"release {record.Namespace}/{release.Name} revision {release.Version} not found", record.Namespace, record.RecordName);
            }

            _records[(record.Namespace, record.RecordName)] = record;
            Publish(ReleaseRecordChangeType.Upserted, record.Namespace, record.RecordName, record);
        }

        return Task.CompletedTask;
    }

    protected override Task RemoveAsync(string @namespace, string recordName, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_records.Remove((@namespace, recordName)))
            {
                throw new ReleaseNotFoundException($"release record {@namespace}/{recordName} not found", @namespace, recordName);
            }

            Publish(ReleaseRecordChangeType.Deleted, @namespace, recordName, null);
        }

        return Task.CompletedTask;
    }

    private void Publish(ReleaseRecordChangeType type, string @namespace, string recordName, ReleaseRecord? record)
    {
        long version = ++_version;
        var change = new ReleaseRecordChange(type, version.ToString(CultureInfo.InvariantCulture), @namespace, recordName, record);
        _history.Enqueue((version, change));
        while (_history.Count > _historyLimit)
        {
            _compactedThrough = _history.Dequeue().Version;
        }

        foreach (var watcher in _watchers)
        {
            watcher.Writer.TryWrite(change);
        }
    }
}
