using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Platform.Kubernetes.Client;

namespace Platform.Kubernetes.Tests.Releases;

/// <summary>Raises the client's own exception types, as the real client does for a Kubernetes Status.</summary>
internal static class FakeStatus
{
    public static KubernetesException Create(int code, string message, TimeSpan? retryAfter = null)
    {
        var status = new KubernetesStatus(code, code switch { 404 => "NotFound", 409 => "AlreadyExists", 410 => "Expired", 429 => "TooManyRequests", _ => "" }, message, "fake", null, null, null, retryAfter, []);
        return code switch
        {
            404 => new KubernetesNotFoundException(message, status),
            409 => new KubernetesAlreadyExistsException(message, status),
            410 => new KubernetesGoneException(message, status),
            429 => new KubernetesTooManyRequestsException(message, status),
            _ => new KubernetesException(message, status),
        };
    }
}

/// <summary>
/// An in-memory <see cref="IKubernetesResourceClient"/>: resource versions, equality label selectors, paging, watch
/// with a bounded history (too old → 410) and fault injection (dropped watches, 410 on resume, 429 bursts).
/// </summary>
internal sealed class FakeKubernetesClient : IKubernetesResourceClient
{
    private readonly object _gate = new();
    private readonly SortedDictionary<string, JsonObject> _objects = new(StringComparer.Ordinal);
    private readonly List<HistoryEntry> _history = [];
    private readonly List<Watcher> _watchers = [];
    private long _version = 100;
    private long _compactedThrough;
    private int _tooManyRequests;
    private int _goneOnWatch;
    private TaskCompletionSource _watchGate = CompletedGate();

    public int HistoryLimit { get; set; } = 10_000;

    /// <summary>Gets or sets how many events each new watch delivers before the server closes it (0: unlimited).</summary>
    public int DropWatchAfterEvents { get; set; }

    /// <summary>Gets or sets whether a too-old watch fails as an exception (true) or as an ERROR event (false, the API server's way).</summary>
    public bool GoneAsException { get; set; }

    public int ListCalls { get; private set; }

    public int WatchCalls { get; private set; }

    public int TooManyRequestsServed { get; private set; }

    /// <summary>Makes the next <paramref name="count"/> list or watch calls fail with 429.</summary>
    public void FailNextWithTooManyRequests(int count)
    {
        lock (_gate)
        {
            _tooManyRequests = count;
        }
    }

    /// <summary>Makes the next <paramref name="count"/> watches fail with 410 Gone whatever their version.</summary>
    public void FailNextWatchesWithGone(int count)
    {
        lock (_gate)
        {
            _goneOnWatch = count;
        }
    }

    /// <summary>Makes new watches wait (before their version is checked) until <see cref="ReleaseWatches"/>.</summary>
    public void HoldWatches()
    {
        lock (_gate)
        {
            _watchGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    /// <summary>Lets held watches proceed.</summary>
    public void ReleaseWatches()
    {
        lock (_gate)
        {
            _watchGate.TrySetResult();
        }
    }

    private static TaskCompletionSource CompletedGate()
    {
        var gate = new TaskCompletionSource();
        gate.SetResult();
        return gate;
    }

    /// <summary>Closes every open watch mid-stream.</summary>
    public void DropWatches()
    {
        lock (_gate)
        {
            foreach (var w in _watchers)
            {
                w.Channel.Writer.TryComplete();
            }

            _watchers.Clear();
        }
    }

    /// <summary>Forgets the event history: every earlier version becomes too old (410).</summary>
    public void CompactHistory()
    {
        lock (_gate)
        {
            _history.Clear();
            _compactedThrough = _version;
        }
    }

    /// <summary>Sends a bookmark to every open watch.</summary>
    public void SendBookmarks()
    {
        lock (_gate)
        {
            foreach (var w in _watchers)
            {
                w.Channel.Writer.TryWrite(new WatchEvent(WatchEventType.Bookmark, new JsonObject { ["metadata"] = new JsonObject { ["resourceVersion"] = _version.ToString(CultureInfo.InvariantCulture) } }));
            }
        }
    }

    public Task<JsonObject> GetAsync(ResourceType type, string? @namespace, string name, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            
            return _objects.TryGetValue(Key(type, @namespace, name), out JsonObject? obj)
                ? Task.FromResult(obj.DeepClone().AsObject())
                : throw FakeStatus.Create(404, $"{type.Plural} \"{name}\" not found");
        }
    }

    public Task<ResourceList> ListAsync(ResourceType type, string? @namespace, ListOptions? options = null, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            ListCalls++;
            Throttle();
            var selector = Selector.Parse(options?.LabelSelector);
            string prefix = type.Plural + "/" + (@namespace is null ? string.Empty : @namespace + "/");
            string? after = options?.Continue;
            var items = new List<JsonObject>();
            string? next = null;
            foreach (var (key, obj) in _objects)
            {
                if (!key.StartsWith(prefix, StringComparison.Ordinal) || (after is not null && string.CompareOrdinal(key, after) <= 0) || !selector.Matches(obj))
                {
                    continue;
                }

                if (options?.Limit is int limit && items.Count == limit)
                {
                    next = Key(type, items[^1]);
                    break;
                }

                items.Add(obj.DeepClone().AsObject());
            }

            return Task.FromResult(new ResourceList(items, _version.ToString(CultureInfo.InvariantCulture), next));
        }
    }

    public async IAsyncEnumerable<WatchEvent> WatchAsync(ResourceType type, string? @namespace, WatchOptions options, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Task gate;
        lock (_gate)
        {
            gate = _watchGate.Task;
        }

        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        Watcher watcher;
        lock (_gate)
        {
            WatchCalls++;
            Throttle();
            long from = long.TryParse(options.ResourceVersion, CultureInfo.InvariantCulture, out long v) ? v : _version;
            bool gone = from < _compactedThrough || _goneOnWatch > 0;
            if (gone)
            {
                _goneOnWatch = Math.Max(0, _goneOnWatch - 1);
                if (GoneAsException)
                {
                    throw FakeStatus.Create(410, $"too old resource version: {from} ({_compactedThrough})");
                }
            }

            watcher = new Watcher(type.Plural, @namespace, Selector.Parse(options.LabelSelector), Channel.CreateUnbounded<WatchEvent>());
            if (gone)
            {
                watcher.Channel.Writer.TryWrite(new WatchEvent(WatchEventType.Error, new JsonObject
                {
                    ["kind"] = "Status",
                    ["apiVersion"] = "v1",
                    ["status"] = "Failure",
                    ["message"] = $"too old resource version: {from} ({_compactedThrough})",
                    ["reason"] = "Expired",
                    ["code"] = 410,
                }));
                watcher.Channel.Writer.TryComplete();
            }
            else
            {
                foreach (var entry in _history)
                {
                    if (entry.Version > from)
                    {
                        watcher.Offer(entry);
                    }
                }

                _watchers.Add(watcher);
            }
        }

        int delivered = 0;
        try
        {
            await foreach (WatchEvent e in watcher.Channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return e;
                if (DropWatchAfterEvents > 0 && ++delivered >= DropWatchAfterEvents)
                {
                    yield break;
                }
            }
        }
        finally
        {
            lock (_gate)
            {
                _watchers.Remove(watcher);
            }
        }
    }

    public Task<JsonObject> CreateAsync(ResourceType type, string? @namespace, JsonObject body, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            
            string name = body["metadata"]!["name"]!.GetValue<string>();
            string key = Key(type, @namespace, name);
            if (_objects.ContainsKey(key))
            {
                throw FakeStatus.Create(409, $"{type.Plural} \"{name}\" already exists");
            }

            return Task.FromResult(Write(type, key, @namespace, body, WatchEventType.Added, null));
        }
    }

    public Task<JsonObject> ReplaceAsync(ResourceType type, string? @namespace, string name, JsonObject body, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            
            string key = Key(type, @namespace, name);
            if (!_objects.TryGetValue(key, out JsonObject? old))
            {
                throw FakeStatus.Create(404, $"{type.Plural} \"{name}\" not found");
            }

            string? expected = body["metadata"]?["resourceVersion"]?.GetValue<string>();
            if (expected is not null && expected != old["metadata"]!["resourceVersion"]!.GetValue<string>())
            {
                throw FakeStatus.Create(409, $"Operation cannot be fulfilled on {type.Plural} \"{name}\": the object has been modified");
            }

            return Task.FromResult(Write(type, key, @namespace, body, WatchEventType.Modified, old));
        }
    }

    public Task<JsonObject> PatchAsync(ResourceType type, string? @namespace, string name, Patch patch, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("the fake does not patch");

    public Task DeleteAsync(ResourceType type, string? @namespace, string name, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            
            string key = Key(type, @namespace, name);
            if (!_objects.Remove(key, out JsonObject? old))
            {
                throw FakeStatus.Create(404, $"{type.Plural} \"{name}\" not found");
            }

            string version = (++_version).ToString(CultureInfo.InvariantCulture);
            var last = old.DeepClone().AsObject();
            last["metadata"]!["resourceVersion"] = version;
            Record(new HistoryEntry(_version, type.Plural, @namespace, WatchEventType.Deleted, old, last));
            return Task.CompletedTask;
        }
    }

    /// <summary>Stores an object as given, bypassing every check (for corrupt payloads).</summary>
    public void PutRaw(ResourceType type, string @namespace, JsonObject body)
    {
        lock (_gate)
        {
            string name = body["metadata"]!["name"]!.GetValue<string>();
            string key = Key(type, @namespace, name);
            _objects.TryGetValue(key, out JsonObject? old);
            Write(type, key, @namespace, body, old is null ? WatchEventType.Added : WatchEventType.Modified, old);
        }
    }

    /// <summary>Returns a copy of every stored object of a type.</summary>
    public IReadOnlyList<JsonObject> Snapshot(ResourceType type)
    {
        lock (_gate)
        {
            return _objects.Where(p => p.Key.StartsWith(type.Plural + "/", StringComparison.Ordinal)).Select(p => p.Value.DeepClone().AsObject()).ToArray();
        }
    }

    private JsonObject Write(ResourceType type, string key, string? @namespace, JsonObject body, WatchEventType eventType, JsonObject? old)
    {
        var stored = body.DeepClone().AsObject();
        var metadata = stored["metadata"]!.AsObject();
        metadata["namespace"] = @namespace;
        metadata["resourceVersion"] = (++_version).ToString(CultureInfo.InvariantCulture);
        metadata["uid"] ??= Guid.NewGuid().ToString();
        _objects[key] = stored;
        Record(new HistoryEntry(_version, type.Plural, @namespace, eventType, old, stored.DeepClone().AsObject()));
        return stored.DeepClone().AsObject();
    }

    private void Record(HistoryEntry entry)
    {
        _history.Add(entry);
        if (_history.Count > HistoryLimit)
        {
            _compactedThrough = _history[0].Version;
            _history.RemoveAt(0);
        }

        foreach (var w in _watchers)
        {
            w.Offer(entry);
        }
    }

    private void Throttle()
    {
        if (_tooManyRequests > 0)
        {
            _tooManyRequests--;
            TooManyRequestsServed++;
            throw FakeStatus.Create(429, "Too many requests, please try again later.", TimeSpan.FromMilliseconds(20));
        }
    }

    private static string Key(ResourceType type, string? @namespace, string name) => type.Plural + "/" + @namespace + "/" + name;

    private static string Key(ResourceType type, JsonObject obj) =>
        Key(type, obj["metadata"]!["namespace"]?.GetValue<string>(), obj["metadata"]!["name"]!.GetValue<string>());

    private sealed record HistoryEntry(long Version, string Plural, string? Namespace, WatchEventType Type, JsonObject? Old, JsonObject New);

    private sealed record Watcher(string Plural, string? Namespace, Selector Selector, Channel<WatchEvent> Channel)
    {
        public void Offer(HistoryEntry entry)
        {
            if (entry.Plural != Plural || (Namespace is not null && entry.Namespace != Namespace))
            {
                return;
            }

            bool oldMatch = entry.Old is not null && Selector.Matches(entry.Old);
            bool newMatch = Selector.Matches(entry.New);
            WatchEventType? type = entry.Type switch
            {
                WatchEventType.Deleted => oldMatch ? WatchEventType.Deleted : null,
                _ when oldMatch && newMatch => WatchEventType.Modified,
                _ when newMatch => WatchEventType.Added,
                _ when oldMatch => WatchEventType.Deleted, // left the selection: the watch cache reports a deletion
                _ => null,
            };
            if (type is WatchEventType t)
            {
                Channel.Writer.TryWrite(new WatchEvent(t, entry.New.DeepClone().AsObject()));
            }
        }
    }

    /// <summary>Equality-based label selectors: <c>k=v</c>, <c>k==v</c>, <c>k!=v</c>, <c>k</c>, <c>!k</c>.</summary>
    private sealed record Selector(IReadOnlyList<(string Key, string? Value, bool Negate)> Terms)
    {
        public static Selector Parse(string? text)
        {
            var terms = new List<(string, string?, bool)>();
            foreach (string raw in (text ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                int ne = raw.IndexOf("!=", StringComparison.Ordinal);
                if (ne > 0)
                {
                    terms.Add((raw[..ne], raw[(ne + 2)..], true));
                }
                else if (raw.Contains('=', StringComparison.Ordinal))
                {
                    int eq = raw.IndexOf('=', StringComparison.Ordinal);
                    terms.Add((raw[..eq], raw[(eq + 1)..].TrimStart('='), false));
                }
                else if (raw.StartsWith('!'))
                {
                    terms.Add((raw[1..], null, true));
                }
                else
                {
                    terms.Add((raw, null, false));
                }
            }

            return new Selector(terms);
        }

        public bool Matches(JsonObject obj)
        {
            var labels = obj["metadata"]?["labels"] as JsonObject;
            foreach (var (key, value, negate) in Terms)
            {
                string? actual = labels?[key]?.GetValue<string>();
                bool ok = value is null ? actual is not null : actual == value;
                if (ok == negate)
                {
                    return false;
                }
            }

            return true;
        }
    }
}
