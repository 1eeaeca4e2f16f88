using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Platform.Kubernetes.Emulator.Api;

namespace Platform.Kubernetes.Emulator.Storage;

/// <summary>The kind of a stored change.</summary>
internal enum ChangeType
{
    Added,
    Modified,
    Deleted,
}

/// <summary>One change in the global history; <paramref name="Previous"/> lets a filtered watch see objects leave its selector.</summary>
internal sealed record Change(ChangeType Type, StoredObject Object, StoredObject? Previous);

/// <summary>
/// The cluster state: every object of every type, one global resource-version counter, a bounded change history
/// and the live watch subscriptions. One lock guards everything, which makes each write atomic and ordered exactly
/// like etcd's revision sequence.
/// </summary>
internal sealed class ObjectStore
{
    /// <summary>Bounds one watcher's backlog; a watcher that falls this far behind is closed, as the real server drops slow watchers.</summary>
    private const int MaxWatcherBacklog = 100_000;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, SortedDictionary<string, SortedDictionary<string, StoredObject>>> _objects = new(StringComparer.Ordinal);
    private readonly Queue<Change> _history = new();
    private readonly List<WatchSubscription> _watchers = [];
    private readonly int _historyLimit;
    private long _resourceVersion = 1;
    private long _compactedThrough = 1;

    public ObjectStore(int historyLimit)
    {
        _historyLimit = historyLimit;
    }

    /// <summary>Gets the newest resource version.</summary>
    public long ResourceVersion
    {
        get
        {
            lock (_gate)
            {
                return _resourceVersion;
            }
        }
    }

    /// <summary>Gets the oldest resource version a watch may resume from.</summary>
    public long OldestResumable
    {
        get
        {
            lock (_gate)
            {
                return _compactedThrough;
            }
        }
    }

    public StoredObject? Get(ResourceInfo type, string ns, string name)
    {
        lock (_gate)
        {
            return Find(type, ns, name);
        }
    }

    public bool NamespaceExists(string name)
    {
        lock (_gate)
        {
            return _objects.TryGetValue("/namespaces", out var byNs) && byNs.TryGetValue("", out var names) && names.ContainsKey(name);
        }
    }

    /// <summary>Lists objects of one type in key order (namespace, then name) with the resource version of the read.</summary>
    public (List<StoredObject> Items, long ResourceVersion) List(ResourceInfo type, string? ns, Func<StoredObject, bool>? filter)
    {
        lock (_gate)
        {
            var items = new List<StoredObject>();
            if (_objects.TryGetValue(type.Key, out var byNs))
            {
                IEnumerable<SortedDictionary<string, StoredObject>> groups = ns is null
                    ? byNs.Values
                    : byNs.TryGetValue(ns, out var one) ? [one] : [];
                foreach (var group in groups)
                {
                    foreach (StoredObject item in group.Values)
                    {
                        if (filter is null || filter(item))
                        {
                            items.Add(item);
                        }
                    }
                }
            }

            return (items, _resourceVersion);
        }
    }

    /// <summary>Counts all objects (every type).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _objects.Values.Sum(byNs => byNs.Values.Sum(g => g.Count));
            }
        }
    }

    /// <summary>
    /// Creates or replaces one object atomically. <paramref name="build"/> sees the current version (or null) and the
    /// resource version the write will get, and returns the new object (it may throw <see cref="ApiException"/>).
    /// When the result equals the current object, nothing is written and the current version is returned, as the
    /// real server skips no-op updates.
    /// </summary>
    public (StoredObject Object, bool Created) Put(ResourceInfo type, string ns, string name, Func<StoredObject?, long, JsonObject> build, bool dryRun = false)
    {
        lock (_gate)
        {
            StoredObject? current = Find(type, ns, name);
            long next = _resourceVersion + 1;
            JsonObject obj = build(current, next);
            JsonObject metadata = (JsonObject)obj["metadata"]!;
            if (current is not null)
            {
                metadata["resourceVersion"] = current.ResourceVersion.ToString(CultureInfo.InvariantCulture);
                var probe = (JsonObject)obj.DeepClone();
                probe["kind"] = type.Kind;
                probe["apiVersion"] = type.ApiVersion;
                if (JsonNode.DeepEquals(probe, current.ToJson()))
                {
                    return (current, false);
                }
            }

            metadata["resourceVersion"] = next.ToString(CultureInfo.InvariantCulture);
            StoredObject stored = StoredObject.From(type, obj);
            if (dryRun)
            {
                return (stored, current is null);
            }

            _resourceVersion = next;
            Store(type, stored);
            Record(new Change(current is null ? ChangeType.Added : ChangeType.Modified, stored, current));
            return (stored, current is null);
        }
    }

    /// <summary>
    /// Deletes one object atomically; <paramref name="check"/> may throw (preconditions). Returns the deleted object
    /// stamped with the resource version of the deletion, or null when it does not exist.
    /// </summary>
    public StoredObject? Remove(ResourceInfo type, string ns, string name, Action<StoredObject>? check = null, Action<JsonObject>? finalState = null)
    {
        lock (_gate)
        {
            StoredObject? current = Find(type, ns, name);
            if (current is null)
            {
                return null;
            }

            check?.Invoke(current);
            long next = _resourceVersion + 1;
            JsonObject last = current.ToJson();
            finalState?.Invoke(last);
            ((JsonObject)last["metadata"]!)["resourceVersion"] = next.ToString(CultureInfo.InvariantCulture);
            StoredObject deleted = StoredObject.From(type, last);
            _resourceVersion = next;
            var byNs = _objects[type.Key];
            var group = byNs[ns];
            group.Remove(name);
            if (group.Count == 0)
            {
                byNs.Remove(ns);
            }

            Record(new Change(ChangeType.Deleted, deleted, current));
            return deleted;
        }
    }

    /// <summary>Deletes every namespaced object of every type in a namespace (the namespace controller's job).</summary>
    public void RemoveNamespaceContents(string ns, IEnumerable<ResourceInfo> types)
    {
        lock (_gate)
        {
            foreach (ResourceInfo type in types.Where(t => t.Namespaced))
            {
                if (_objects.TryGetValue(type.Key, out var byNs) && byNs.TryGetValue(ns, out var group))
                {
                    foreach (string name in group.Keys.ToList())
                    {
                        Remove(type, ns, name);
                    }
                }
            }
        }
    }

    /// <summary>Drops the whole change history: any watch resuming from before now gets 410 Gone.</summary>
    public void Compact()
    {
        lock (_gate)
        {
            _history.Clear();
            _compactedThrough = _resourceVersion;
        }
    }

    /// <summary>
    /// Subscribes to changes of one type. With <paramref name="fromResourceVersion"/>, first replays the history after
    /// it (410 Gone when compacted); with <paramref name="initialState"/>, first sends the current objects as ADDED.
    /// </summary>
    public WatchSubscription Subscribe(ResourceInfo type, string? ns, long? fromResourceVersion, bool initialState)
    {
        lock (_gate)
        {
            var subscription = new WatchSubscription(this, type, ns);
            if (fromResourceVersion is long from)
            {
                if (from < _compactedThrough)
                {
                    throw ApiException.Expired($"too old resource version: {from} ({_compactedThrough + 1})");
                }

                foreach (Change change in _history)
                {
                    if (change.Object.ResourceVersion > from && subscription.Matches(change))
                    {
                        subscription.Offer(change);
                    }
                }
            }
            else if (initialState)
            {
                foreach (StoredObject item in List(type, ns, null).Items)
                {
                    subscription.Offer(new Change(ChangeType.Added, item, null));
                }
            }

            subscription.StartResourceVersion = _resourceVersion;
            subscription.Progress = _resourceVersion;
            _watchers.Add(subscription);
            return subscription;
        }
    }

    internal void Unsubscribe(WatchSubscription subscription)
    {
        lock (_gate)
        {
            _watchers.Remove(subscription);
        }
    }

    private StoredObject? Find(ResourceInfo type, string ns, string name) =>
        _objects.TryGetValue(type.Key, out var byNs) && byNs.TryGetValue(ns, out var group) && group.TryGetValue(name, out var item)
            ? item
            : null;

    private void Store(ResourceInfo type, StoredObject stored)
    {
        if (!_objects.TryGetValue(type.Key, out var byNs))
        {
            byNs = new SortedDictionary<string, SortedDictionary<string, StoredObject>>(StringComparer.Ordinal);
            _objects[type.Key] = byNs;
        }

        if (!byNs.TryGetValue(stored.Namespace, out var group))
        {
            group = new SortedDictionary<string, StoredObject>(StringComparer.Ordinal);
            byNs[stored.Namespace] = group;
        }

        group[stored.Name] = stored;
    }

    private void Record(Change change)
    {
        _history.Enqueue(change);
        while (_history.Count > _historyLimit)
        {
            _compactedThrough = _history.Dequeue().Object.ResourceVersion;
        }

        foreach (WatchSubscription watcher in _watchers)
        {
            if (watcher.Matches(change))
            {
                watcher.Offer(change);
            }

            watcher.Progress = change.Object.ResourceVersion;
        }
    }

    /// <summary>One live watch: a bounded queue of changes of one type (and namespace).</summary>
    internal sealed class WatchSubscription : IDisposable
    {
        private readonly ObjectStore _owner;
        private long _progress;
        private readonly Channel<Change> _channel = Channel.CreateBounded<Change>(new BoundedChannelOptions(MaxWatcherBacklog)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });

        public WatchSubscription(ObjectStore owner, ResourceInfo type, string? ns)
        {
            _owner = owner;
            Type = type;
            Namespace = ns;
        }

        public ResourceInfo Type { get; }

        public string? Namespace { get; }

        /// <summary>Gets the store's resource version when the subscription went live.</summary>
        public long StartResourceVersion { get; set; }

        public ChannelReader<Change> Reader => _channel.Reader;

        /// <summary>
        /// Gets the store's resource version after the last change offered (set under the store lock after the offer),
        /// so once the queue is drained every change up to it has been seen: a safe bookmark.
        /// </summary>
        public long Progress
        {
            get => Volatile.Read(ref _progress);
            set => Volatile.Write(ref _progress, value);
        }

        public bool Matches(Change change) =>
            ReferenceEquals(change.Object.Type, Type) || change.Object.Type.Key == Type.Key
                ? Namespace is null || change.Object.Namespace == Namespace
                : false;

        public void Offer(Change change)
        {
            if (!_channel.Writer.TryWrite(change))
            {
                _channel.Writer.TryComplete();
            }
        }

        public void Dispose()
        {
            _owner.Unsubscribe(this);
            _channel.Writer.TryComplete();
        }
    }
}
