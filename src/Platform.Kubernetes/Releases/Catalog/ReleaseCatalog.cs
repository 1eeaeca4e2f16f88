using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Platform.Kubernetes.Releases;

/// <summary>
/// The release catalog: lists a store's records once, then follows its change feed, keeping an index of compact
/// <see cref="ReleaseSummary"/> values (no manifests) in immutable snapshots that readers query lock-free.
/// </summary>
/// <remarks>
/// <para>Faults: a watch that ends is resumed from the last version; <c>410 Gone</c> (an expired version) relists;
/// other failures (429, 5xx, connection loss) are retried after a delay that doubles from
/// <see cref="ReleaseCatalogOptions.InitialRetryDelay"/> up to <see cref="ReleaseCatalogOptions.MaxRetryDelay"/>, or after the
/// server's <c>Retry-After</c>. A corrupt record is skipped and listed in <see cref="ReleaseCatalogStatus.Skipped"/>.</para>
/// <para>Thread-safety: every member may be called concurrently. The sync loop starts on the first
/// <see cref="WaitForSyncAsync"/> and stops on <see cref="DisposeAsync"/>.</para>
/// </remarks>
public sealed partial class ReleaseCatalog : IReleaseCatalog, IAsyncDisposable
{
    private const int RegexCacheLimit = 64;
    private readonly IReleaseStore _store;
    private readonly IReleaseChangeFeed _feed;
    private readonly ReleaseCatalogOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private readonly object _subscribersGate = new();
    private readonly List<WeakReference<Subscriber>> _subscribers = []; // weak: an abandoned, never-disposed stream is collected
    private readonly ConcurrentDictionary<string, Regex> _regexes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, LabelSelector> _selectors = new(StringComparer.Ordinal);

    // Owned by the sync loop only.
    private readonly Dictionary<RecordKey, ReleaseSummary> _records = [];
    private readonly Dictionary<GroupKey, SortedDictionary<int, (RecordKey Record, ReleaseSummary Summary)>> _groups = [];
    private readonly Dictionary<RecordKey, ReleaseDiagnostic> _diagnostics = [];
    private ReleaseSummaryReader _reader;

    private volatile Snapshot _snapshot = Snapshot.Empty;
    private volatile bool _connected;
    private volatile string? _lastError;
    private long _lastSyncTicks = long.MinValue;
    private int _relists;
    private int _started;
    private bool _disposed; // guarded by _subscribersGate
    private Task _loop = Task.CompletedTask;

    /// <summary>Initializes a new catalog over a store (for details) and its change feed (for the index).</summary>
    /// <param name="store">The store full revisions are loaded from.</param>
    /// <param name="feed">The change feed of the same store.</param>
    /// <param name="options">The options; <see langword="null"/> uses the defaults.</param>
    /// <param name="timeProvider">The clock and timers; <see langword="null"/> uses <see cref="TimeProvider.System"/>.</param>
    /// <param name="logger">The logger, or <see langword="null"/>.</param>
    public ReleaseCatalog(IReleaseStore store, IReleaseChangeFeed feed, ReleaseCatalogOptions? options = null, TimeProvider? timeProvider = null, ILogger<ReleaseCatalog>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(feed);
        _options = options ?? new ReleaseCatalogOptions();
        _options.ValidateCatalogSettings(); // the store is already built: its own settings (for example the SQL connection) do not matter here
        _store = store;
        _feed = feed;
        _time = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _reader = new ReleaseSummaryReader(_options.MaxReleaseBytes);
    }

    /// <inheritdoc />
    public ReleaseCatalogStatus Status
    {
        get
        {
            Snapshot snapshot = _snapshot;
            long ticks = Interlocked.Read(ref _lastSyncTicks);
            return new ReleaseCatalogStatus(
                _synced.Task.IsCompletedSuccessfully,
                _connected,
                ticks == long.MinValue ? null : new DateTimeOffset(ticks, TimeSpan.Zero),
                _lastError,
                Volatile.Read(ref _relists),
                snapshot.Groups.Length,
                snapshot.Revisions,
                snapshot.Diagnostics);
        }
    }

    /// <inheritdoc />
    public Task WaitForSyncAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_stop.IsCancellationRequested, this);
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            _loop = Task.Run(() => RunAsync(_stop.Token), CancellationToken.None);
        }

        return _synced.Task.WaitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public ReleaseQueryResult Query(ReleaseListQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(query.Offset);
        Regex? filter = string.IsNullOrEmpty(query.Filter) ? null : RegexFor(query.Filter);
        LabelSelector selector = string.IsNullOrWhiteSpace(query.LabelSelector) ? LabelSelector.Everything : SelectorFor(query.LabelSelector);
        ReleaseStateFilter states = query.States == ReleaseStateFilter.None ? ReleaseStateFilter.Deployed | ReleaseStateFilter.Failed : query.States;
        bool everyRevision = states == ReleaseStateFilter.Superseded; // Helm: superseded alone skips the latest-revision rule

        Snapshot snapshot = _snapshot;
        var results = new List<ReleaseSummary>();
        foreach (ReleaseGroup group in query.Namespace is null ? snapshot.Groups : snapshot.InNamespace(query.Namespace))
        {
            if (filter is not null && !filter.IsMatch(group.Name))
            {
                continue;
            }

            if (everyRevision)
            {
                foreach (ReleaseSummary revision in group.Revisions)
                {
                    if (Keep(revision, states, query.ChartName, selector))
                    {
                        results.Add(revision);
                    }
                }
            }
            else if (Keep(group.Latest, states, query.ChartName, selector))
            {
                results.Add(group.Latest);
            }
        }

        if (query.Sort == ReleaseSort.Date)
        {
            results.Sort(static (a, b) =>
            {
                int c = UnixSeconds(a).CompareTo(UnixSeconds(b));
                c = c != 0 ? c : string.CompareOrdinal(a.Name, b.Name);
                c = c != 0 ? c : string.CompareOrdinal(a.Namespace, b.Namespace);
                return c != 0 ? c : a.Revision.CompareTo(b.Revision);
            });
        }

        // By name the snapshot order (name, namespace, revision) already holds.
        if (query.Reverse)
        {
            results.Reverse();
        }

        int total = results.Count;
        if (query.Offset >= total)
        {
            return new ReleaseQueryResult([], total);
        }

        int take = query.Max is int max && max > 0 ? Math.Min(max, total - query.Offset) : total - query.Offset;
        return new ReleaseQueryResult(query.Offset == 0 && take == total ? results : results.GetRange(query.Offset, take), total);
    }

    /// <inheritdoc />
    public IReadOnlyList<ReleaseSummary> History(string @namespace, string name)
    {
        ArgumentNullException.ThrowIfNull(@namespace);
        ArgumentNullException.ThrowIfNull(name);
        Snapshot snapshot = _snapshot;
        int index = snapshot.IndexOf(new GroupKey(@namespace, name));
        return index >= 0 ? snapshot.Groups[index].Revisions : [];
    }

    /// <inheritdoc />
    public Task<HelmRelease> GetReleaseAsync(string @namespace, string name, int? revision = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(@namespace);
        ArgumentException.ThrowIfNullOrEmpty(name);
        int wanted = revision ?? (History(@namespace, name) is { Count: > 0 } history
            ? history[^1].Revision
            : throw new ReleaseNotFoundException($"release {@namespace}/{name} not found", @namespace));
        return _store.GetAsync(@namespace, name, wanted, cancellationToken);
    }

    /// <inheritdoc />
    public Task<ReleaseListResult> GetHistoryAsync(string @namespace, string name, CancellationToken cancellationToken = default) =>
        _store.HistoryAsync(@namespace, name, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<ReleaseCatalogChange> WatchChangesAsync(CancellationToken cancellationToken = default) =>
        new ChangeStream(this, cancellationToken); // subscribes now, not on the first MoveNextAsync

    /// <summary>Gets how many change subscriptions are registered (live or not yet collected); for tests.</summary>
    internal int SubscriberCount
    {
        get
        {
            lock (_subscribersGate)
            {
                _subscribers.RemoveAll(static w => !w.TryGetTarget(out _));
                return _subscribers.Count;
            }
        }
    }

    /// <summary>Stops the sync loop and ends every change stream.</summary>
    /// <returns>A task that completes when the loop has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // stopping
        }

        lock (_subscribersGate)
        {
            _disposed = true;
            foreach (WeakReference<Subscriber> weak in _subscribers)
            {
                if (weak.TryGetTarget(out Subscriber? s))
                {
                    s.Channel.Writer.TryComplete();
                }
            }
        }

        _synced.TrySetCanceled();
        _stop.Dispose();
    }

    private static long UnixSeconds(ReleaseSummary s) => s.Updated?.ToUnixTimeSeconds() ?? long.MinValue;

    private static bool Keep(ReleaseSummary summary, ReleaseStateFilter states, string? chart, LabelSelector selector) =>
        (states & StateOf(summary.Status)) != 0
        && (chart is null || summary.ChartName == chart)
        && (selector.IsEmpty || selector.Matches(summary, static (s, key) => key switch
        {
            "name" => s.Name,
            "owner" => ReleaseStorageLabels.Owner,
            "status" => s.Status.ToHelmString(),
            "version" => s.Revision.ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => s.Labels.TryGetValue(key, out string? value) ? value : null,
        }));

    private static ReleaseStateFilter StateOf(ReleaseStatus status) => status switch
    {
        ReleaseStatus.Deployed => ReleaseStateFilter.Deployed,
        ReleaseStatus.Uninstalled => ReleaseStateFilter.Uninstalled,
        ReleaseStatus.Superseded => ReleaseStateFilter.Superseded,
        ReleaseStatus.Failed => ReleaseStateFilter.Failed,
        ReleaseStatus.Uninstalling => ReleaseStateFilter.Uninstalling,
        ReleaseStatus.PendingInstall => ReleaseStateFilter.PendingInstall,
        ReleaseStatus.PendingUpgrade => ReleaseStateFilter.PendingUpgrade,
        ReleaseStatus.PendingRollback => ReleaseStateFilter.PendingRollback,
        _ => ReleaseStateFilter.Unknown,
    };

    private Regex RegexFor(string pattern)
    {
        if (_regexes.TryGetValue(pattern, out Regex? cached))
        {
            return cached;
        }

        Regex regex;
        try
        {
            // Helm uses Go's RE2 (linear time); the non-backtracking engine keeps hostile filters linear too.
            regex = new Regex(pattern, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"filter '{pattern}' is not a valid regular expression: {ex.Message}", nameof(pattern), ex);
        }

        if (_regexes.Count >= RegexCacheLimit)
        {
            _regexes.Clear();
        }

        return _regexes.GetOrAdd(pattern, regex);
    }

    private LabelSelector SelectorFor(string text)
    {
        if (_selectors.TryGetValue(text, out LabelSelector? cached))
        {
            return cached;
        }

        LabelSelector selector = LabelSelector.Parse(text);
        if (_selectors.Count >= RegexCacheLimit)
        {
            _selectors.Clear();
        }

        return _selectors.GetOrAdd(text, selector);
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        TimeSpan delay = _options.InitialRetryDelay;
        string? version = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (version is null)
                {
                    version = await ListAndIndexAsync(cancellationToken).ConfigureAwait(false);
                    delay = _options.InitialRetryDelay;
                }

                bool any = false;
                await foreach (ReleaseRecordChange change in _feed.WatchRecordsAsync(_options.Namespace, version, cancellationToken).ConfigureAwait(false))
                {
                    Apply(change);
                    version = change.Version;
                    any = true;
                    Healthy();
                    delay = _options.InitialRetryDelay;
                }

                if (!any)
                {
                    // A watch that closes at once must not become a busy loop.
                    await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (ReleaseFeedExpiredException ex)
            {
                LogExpired(_logger, ex.Message);
                version = null;
            }
            catch (Exception ex)
            {
                _connected = false;
                _lastError = ex.Message;
                TimeSpan wait = KubernetesFailures.RetryAfterOf(ex) is TimeSpan retryAfter && retryAfter > TimeSpan.Zero
                    ? (retryAfter < _options.MaxRetryDelay ? retryAfter : _options.MaxRetryDelay)
                    : delay;
                delay = delay * 2 < _options.MaxRetryDelay ? delay * 2 : _options.MaxRetryDelay;
                LogRetry(_logger, version is null ? "list" : "watch", wait, ex.Message);
                try
                {
                    await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Lists and rebuilds the index. A method of its own so the listed payloads are garbage once it returns.</summary>
    private async Task<string> ListAndIndexAsync(CancellationToken cancellationToken)
    {
        ReleaseRecordList list = await _feed.ListRecordsAsync(_options.Namespace, cancellationToken).ConfigureAwait(false);
        Rebuild(list.Records);
        Interlocked.Increment(ref _relists);
        Healthy();
        _synced.TrySetResult();
        Broadcast(new ReleaseCatalogChange(ReleaseCatalogChangeKind.Reset, string.Empty, string.Empty, 0, null));
        LogListed(_logger, list.Records.Count, _diagnostics.Count, list.Version);
        return list.Version;
    }

    private void Healthy()
    {
        _connected = true;
        _lastError = null;
        Interlocked.Exchange(ref _lastSyncTicks, _time.GetUtcNow().UtcTicks);
    }

    private void Rebuild(IReadOnlyList<ReleaseRecord> records)
    {
        _reader = new ReleaseSummaryReader(_options.MaxReleaseBytes); // a fresh pool: strings of deleted releases can go
        _records.Clear();
        _groups.Clear();
        _diagnostics.Clear();
        foreach (ReleaseRecord record in records)
        {
            var key = new RecordKey(record.Namespace, record.RecordName);
            try
            {
                ReleaseSummary summary = _reader.Read(record);
                AddToGroup(key, summary);
            }
            catch (ReleaseDecodeException ex)
            {
                _diagnostics[key] = new ReleaseDiagnostic(record.Namespace, record.RecordName, ex.Message);
            }
        }

        var groups = new ReleaseGroup[_groups.Count];
        int i = 0, revisions = 0;
        foreach (var (key, revs) in _groups)
        {
            groups[i++] = ToGroup(key, revs);
            revisions += revs.Count;
        }

        Array.Sort(groups, static (a, b) => Compare(a.Key, b.Key));
        _snapshot = new Snapshot(groups, revisions, [.. _diagnostics.Values]);
    }

    private void Apply(ReleaseRecordChange change)
    {
        if (change.Type == ReleaseRecordChangeType.Bookmark)
        {
            return;
        }

        var key = new RecordKey(change.Namespace, change.RecordName);
        bool diagnosticsChanged = _diagnostics.Remove(key);
        if (change.Type == ReleaseRecordChangeType.Deleted || change.Record is null)
        {
            Remove(key, notify: true, diagnosticsChanged);
            return;
        }

        ReleaseSummary summary;
        try
        {
            summary = _reader.Read(change.Record);
        }
        catch (ReleaseDecodeException ex)
        {
            _diagnostics[key] = new ReleaseDiagnostic(change.Namespace, change.RecordName, ex.Message);
            LogSkipped(_logger, change.Namespace, change.RecordName, ex.Message);
            Remove(key, notify: true, diagnosticsChanged: true);
            return;
        }

        var group = new GroupKey(summary.Namespace, summary.Name);
        bool existed = _records.TryGetValue(key, out ReleaseSummary? old);
        if (existed && (old!.Namespace != summary.Namespace || old.Name != summary.Name || old.Revision != summary.Revision))
        {
            Remove(key, notify: true, diagnosticsChanged: false);
            existed = false;
        }

        int before = _groups.TryGetValue(group, out var revs) ? revs.Count : 0;
        AddToGroup(key, summary);
        int after = _groups[group].Count;
        Publish(group, _snapshot.Revisions + (after - before), diagnosticsChanged);
        Broadcast(new ReleaseCatalogChange(existed ? ReleaseCatalogChangeKind.Updated : ReleaseCatalogChangeKind.Added, summary.Namespace, summary.Name, summary.Revision, summary));
    }

    private void AddToGroup(RecordKey key, ReleaseSummary summary)
    {
        _records[key] = summary;
        var group = new GroupKey(summary.Namespace, summary.Name);
        if (!_groups.TryGetValue(group, out var revisions))
        {
            _groups[group] = revisions = [];
        }

        revisions[summary.Revision] = (key, summary);
    }

    private void Remove(RecordKey key, bool notify, bool diagnosticsChanged)
    {
        if (!_records.Remove(key, out ReleaseSummary? old))
        {
            if (diagnosticsChanged)
            {
                _snapshot = _snapshot with { Diagnostics = [.. _diagnostics.Values] };
            }

            return;
        }

        var group = new GroupKey(old.Namespace, old.Name);
        int delta = 0;
        if (_groups.TryGetValue(group, out var revisions) && revisions.TryGetValue(old.Revision, out var entry) && entry.Record == key)
        {
            revisions.Remove(old.Revision);
            delta = -1;
            if (revisions.Count == 0)
            {
                _groups.Remove(group);
            }
        }

        Publish(group, _snapshot.Revisions + delta, diagnosticsChanged);
        if (notify)
        {
            Broadcast(new ReleaseCatalogChange(ReleaseCatalogChangeKind.Deleted, old.Namespace, old.Name, old.Revision, null));
        }
    }

    /// <summary>Swaps in a snapshot with one group replaced, inserted or removed (an array copy, no re-sort).</summary>
    private void Publish(GroupKey key, int revisions, bool diagnosticsChanged)
    {
        Snapshot current = _snapshot;
        ReleaseGroup[] groups = current.Groups;
        int index = current.IndexOf(key);
        ReleaseGroup[] next;
        if (_groups.TryGetValue(key, out var revs))
        {
            ReleaseGroup group = ToGroup(key, revs);
            if (index >= 0)
            {
                next = (ReleaseGroup[])groups.Clone();
                next[index] = group;
            }
            else
            {
                int at = ~index;
                next = new ReleaseGroup[groups.Length + 1];
                Array.Copy(groups, next, at);
                next[at] = group;
                Array.Copy(groups, at, next, at + 1, groups.Length - at);
            }
        }
        else if (index >= 0)
        {
            next = new ReleaseGroup[groups.Length - 1];
            Array.Copy(groups, next, index);
            Array.Copy(groups, index + 1, next, index, groups.Length - index - 1);
        }
        else
        {
            next = groups;
        }

        _snapshot = new Snapshot(next, revisions, diagnosticsChanged ? [.. _diagnostics.Values] : current.Diagnostics);
    }

    private void Broadcast(ReleaseCatalogChange change)
    {
        lock (_subscribersGate)
        {
            for (int i = _subscribers.Count - 1; i >= 0; i--)
            {
                if (!_subscribers[i].TryGetTarget(out Subscriber? s))
                {
                    _subscribers.RemoveAt(i); // dropped without being disposed or cancelled
                }
                else if (!s.Channel.Writer.TryWrite(change))
                {
                    Volatile.Write(ref s.Overflowed, 1);
                }
            }
        }
    }

    private static ReleaseGroup ToGroup(GroupKey key, SortedDictionary<int, (RecordKey Record, ReleaseSummary Summary)> revisions)
    {
        var array = new ReleaseSummary[revisions.Count];
        int i = 0;
        foreach (var (_, value) in revisions)
        {
            array[i++] = value.Summary;
        }

        return new ReleaseGroup(key, array);
    }

    private static int Compare(GroupKey a, GroupKey b)
    {
        int c = string.CompareOrdinal(a.Name, b.Name);
        return c != 0 ? c : string.CompareOrdinal(a.Namespace, b.Namespace);
    }

    [LoggerMessage(EventId = 4110, Level = LogLevel.Information, Message = "Release catalog listed {Records} records ({Skipped} skipped) at version {Version}")]
    private static partial void LogListed(ILogger logger, int records, int skipped, string version);

    [LoggerMessage(EventId = 4111, Level = LogLevel.Information, Message = "Release catalog watch expired, listing again: {Reason}")]
    private static partial void LogExpired(ILogger logger, string reason);

    [LoggerMessage(EventId = 4112, Level = LogLevel.Warning, Message = "Release catalog {Operation} failed, retrying in {Delay}: {Reason}")]
    private static partial void LogRetry(ILogger logger, string operation, TimeSpan delay, string reason);

    [LoggerMessage(EventId = 4113, Level = LogLevel.Warning, Message = "Release catalog skipped record {Namespace}/{RecordName}: {Problem}")]
    private static partial void LogSkipped(ILogger logger, string @namespace, string recordName, string problem);

    private readonly record struct RecordKey(string Namespace, string RecordName);

    private readonly record struct GroupKey(string Namespace, string Name);

    private sealed record ReleaseGroup(GroupKey Key, ReleaseSummary[] Revisions)
    {
        public string Namespace => Key.Namespace;

        public string Name => Key.Name;

        public ReleaseSummary Latest => Revisions[^1];
    }

    private sealed record Snapshot(ReleaseGroup[] Groups, int Revisions, IReadOnlyList<ReleaseDiagnostic> Diagnostics)
    {
        private Dictionary<string, ReleaseGroup[]>? _byNamespace;

        public static Snapshot Empty { get; } = new([], 0, []);

        /// <summary>The groups of one namespace in name order, indexed on first use (snapshots are immutable, so a race only builds it twice).</summary>
        public ReleaseGroup[] InNamespace(string @namespace)
        {
            Dictionary<string, ReleaseGroup[]> index = _byNamespace ??= Groups
                .GroupBy(g => g.Namespace, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
            return index.TryGetValue(@namespace, out ReleaseGroup[]? groups) ? groups : [];
        }

        public int IndexOf(GroupKey key)
        {
            int lo = 0, hi = Groups.Length - 1;
            while (lo <= hi)
            {
                int mid = (lo + hi) >>> 1;
                int c = Compare(Groups[mid].Key, key);
                if (c == 0)
                {
                    return mid;
                }

                if (c < 0)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid - 1;
                }
            }

            return ~lo;
        }
    }

    /// <summary>Registers a subscriber now; it ends when released, when <paramref name="cancellationToken"/> is cancelled, or on disposal.</summary>
    private Subscriber Subscribe(CancellationToken cancellationToken)
    {
        var subscriber = new Subscriber(this, Channel.CreateBounded<ReleaseCatalogChange>(new BoundedChannelOptions(_options.ChangeBufferSize)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        }));
        lock (_subscribersGate)
        {
            if (_disposed)
            {
                subscriber.Channel.Writer.TryComplete(); // the stream ends at once, as every stream did on disposal
            }
            else
            {
                _subscribers.Add(subscriber.Self);
            }
        }

        if (cancellationToken.CanBeCanceled)
        {
            // The callback holds the subscriber weakly, so a long-lived token does not keep an abandoned stream alive.
            subscriber.Registration = cancellationToken.UnsafeRegister(
                static state =>
                {
                    if (((WeakReference<Subscriber>)state!).TryGetTarget(out Subscriber? s))
                    {
                        s.Release();
                    }
                },
                subscriber.Self);
        }

        return subscriber;
    }

    private void Unsubscribe(Subscriber subscriber)
    {
        lock (_subscribersGate)
        {
            _subscribers.Remove(subscriber.Self);
        }
    }

    /// <summary>Reads one subscriber's channel; the subscriber is released by <see cref="ChangeEnumerator"/>, not here.</summary>
    private static async IAsyncEnumerable<ReleaseCatalogChange> ReadAsync(Subscriber subscriber, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ChannelReader<ReleaseCatalogChange> reader = subscriber.Channel.Reader;
        while (true)
        {
            if (Interlocked.Exchange(ref subscriber.Overflowed, 0) == 1)
            {
                while (reader.TryRead(out _))
                {
                }

                yield return new ReleaseCatalogChange(ReleaseCatalogChangeKind.Reset, string.Empty, string.Empty, 0, null);
                continue;
            }

            if (!await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                yield break;
            }

            while (Volatile.Read(ref subscriber.Overflowed) == 0 && reader.TryRead(out ReleaseCatalogChange? change))
            {
                yield return change;
            }
        }
    }

    private sealed class Subscriber
    {
        public int Overflowed;

        private readonly ReleaseCatalog _catalog;
        private int _released;

        public Subscriber(ReleaseCatalog catalog, Channel<ReleaseCatalogChange> channel)
        {
            _catalog = catalog;
            Channel = channel;
            Self = new WeakReference<Subscriber>(this);
        }

        public Channel<ReleaseCatalogChange> Channel { get; }

        /// <summary>Gets the one weak reference the catalog's list and the token callback hold.</summary>
        public WeakReference<Subscriber> Self { get; }

        public CancellationTokenRegistration Registration { get; set; }

        /// <summary>Unregisters (idempotent, safe from the token callback itself); buffered changes stay readable.</summary>
        public void Release()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                _catalog.Unsubscribe(this);
                Registration.Unregister();
            }
        }
    }

    /// <summary>
    /// The stream <see cref="WatchChangesAsync"/> returns: its subscriber is registered at construction, so a change
    /// written before the first <c>MoveNextAsync</c> is still seen. The first enumerator takes that subscriber; any later
    /// enumeration of the same stream subscribes afresh, from the moment it starts.
    /// </summary>
    private sealed class ChangeStream : IAsyncEnumerable<ReleaseCatalogChange>
    {
        private readonly ReleaseCatalog _catalog;
        private readonly CancellationToken _cancellationToken;
        private Subscriber? _pending;

        public ChangeStream(ReleaseCatalog catalog, CancellationToken cancellationToken)
        {
            _catalog = catalog;
            _cancellationToken = cancellationToken;
            _pending = catalog.Subscribe(cancellationToken);
        }

        public IAsyncEnumerator<ReleaseCatalogChange> GetAsyncEnumerator(CancellationToken cancellationToken = default)
        {
            Subscriber subscriber = Interlocked.Exchange(ref _pending, null) ?? _catalog.Subscribe(_cancellationToken);
            CancellationTokenSource? linked = null;
            CancellationToken token = _cancellationToken;
            if (cancellationToken.CanBeCanceled && cancellationToken != _cancellationToken)
            {
                if (_cancellationToken.CanBeCanceled)
                {
                    linked = CancellationTokenSource.CreateLinkedTokenSource(_cancellationToken, cancellationToken);
                    token = linked.Token;
                }
                else
                {
                    token = cancellationToken;
                }
            }

            return new ChangeEnumerator(subscriber, ReadAsync(subscriber, token).GetAsyncEnumerator(token), linked);
        }
    }

    /// <summary>Wraps the reading iterator so that disposal releases the subscriber even if MoveNextAsync never ran.</summary>
    private sealed class ChangeEnumerator(Subscriber subscriber, IAsyncEnumerator<ReleaseCatalogChange> inner, CancellationTokenSource? linked) : IAsyncEnumerator<ReleaseCatalogChange>
    {
        public ReleaseCatalogChange Current => inner.Current;

        public ValueTask<bool> MoveNextAsync() => inner.MoveNextAsync();

        public async ValueTask DisposeAsync()
        {
            try
            {
                await inner.DisposeAsync().ConfigureAwait(false);
            }
            finally
            {
                subscriber.Release();
                linked?.Dispose();
            }
        }
    }
}
