using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Platform.Kubernetes.Client;

namespace Platform.Kubernetes.Releases;

/// <summary>
/// Helm's <c>secret</c> (default) and <c>configmap</c> storage drivers over the Kubernetes API: one object per revision,
/// named <c>sh.helm.release.v1.NAME.vN</c>, labelled <c>owner=helm,name,status,version</c>.
/// </summary>
internal sealed class KubernetesReleaseStore : ReleaseStoreBase
{
    private const int MaxListRestarts = 3;
    private readonly IKubernetesResourceClient _client;
    private readonly ResourceType _type;
    private readonly bool _secrets;
    private readonly int _pageSize;
    private readonly TimeProvider _time;

    public KubernetesReleaseStore(IKubernetesResourceClient client, bool secrets, int pageSize = 500, TimeProvider? timeProvider = null, int maxReleaseBytes = HelmReleaseCodec.DefaultMaxReleaseBytes, ILogger? logger = null)
        : base(maxReleaseBytes, logger ?? NullLogger.Instance)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        _client = client;
        _secrets = secrets;
        _type = secrets ? ResourceType.Secrets : ResourceType.ConfigMaps;
        _pageSize = pageSize;
        _time = timeProvider ?? TimeProvider.System;
    }

    public override async Task<ReleaseRecordList> ListRecordsAsync(string? @namespace, CancellationToken cancellationToken = default)
    {
        var (records, version) = await ListAllAsync(@namespace, ReleaseStorageLabels.OwnerSelector, cancellationToken).ConfigureAwait(false);
        return new ReleaseRecordList(records, version);
    }

    public override async IAsyncEnumerable<ReleaseRecordChange> WatchRecordsAsync(string? @namespace, string fromVersion, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var options = new WatchOptions { ResourceVersion = fromVersion, LabelSelector = ReleaseStorageLabels.OwnerSelector, AllowBookmarks = true };
        IAsyncEnumerator<WatchEvent> events;
        try
        {
            events = _client.WatchAsync(_type, @namespace, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        }
        catch (Exception ex) when (KubernetesFailures.CodeOf(ex) == KubernetesFailures.Gone)
        {
            throw new ReleaseFeedExpiredException($"cannot watch {_type.Plural} from resource version {fromVersion}: {ex.Message}", ex);
        }

        await using (events.ConfigureAwait(false))
        {
            while (true)
            {
                bool more;
                try
                {
                    more = await events.MoveNextAsync().ConfigureAwait(false);
                }
                catch (Exception ex) when (KubernetesFailures.CodeOf(ex) == KubernetesFailures.Gone)
                {
                    throw new ReleaseFeedExpiredException($"cannot watch {_type.Plural} from resource version {fromVersion}: {ex.Message}", ex);
                }

                if (!more)
                {
                    yield break;
                }

                WatchEvent e = events.Current;
                string version = e.Object["metadata"]?["resourceVersion"]?.GetValue<string>() ?? fromVersion;
                switch (e.Type)
                {
                    case WatchEventType.Bookmark:
                        yield return new ReleaseRecordChange(ReleaseRecordChangeType.Bookmark, version, string.Empty, string.Empty, null);
                        break;
                    case WatchEventType.Error:
                        int? code = KubernetesFailures.CodeOfStatus(e.Object);
                        string message = e.Object["message"]?.GetValue<string>() ?? "watch error";
                        if (code == KubernetesFailures.Gone)
                        {
                            throw new ReleaseFeedExpiredException($"cannot watch {_type.Plural} from resource version {fromVersion}: {message}");
                        }

                        throw new ReleaseStorageException($"watch of {_type.Plural} failed ({code?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no code"}): {message}");
                    case WatchEventType.Deleted:
                        yield return new ReleaseRecordChange(ReleaseRecordChangeType.Deleted, version, NamespaceOf(e.Object), NameOf(e.Object), null);
                        break;
                    default:
                        ReleaseRecord record = ToRecord(e.Object);
                        yield return new ReleaseRecordChange(ReleaseRecordChangeType.Upserted, version, record.Namespace, record.RecordName, record);
                        break;
                }
            }
        }
    }

    protected override async Task<IReadOnlyList<ReleaseRecord>> ReadRecordsAsync(string? @namespace, string? name, CancellationToken cancellationToken)
    {
        string selector = name is null ? ReleaseStorageLabels.OwnerSelector : ReleaseStorageLabels.OwnerSelector + ",name=" + name;
        var (records, _) = await ListAllAsync(@namespace, selector, cancellationToken).ConfigureAwait(false);
        return records;
    }

    protected override async Task<ReleaseRecord?> ReadRecordAsync(string @namespace, string recordName, CancellationToken cancellationToken)
    {
        try
        {
            JsonObject obj = await _client.GetAsync(_type, @namespace, recordName, cancellationToken).ConfigureAwait(false);
            return ToRecord(obj);
        }
        catch (Exception ex) when (KubernetesFailures.CodeOf(ex) == KubernetesFailures.NotFound)
        {
            return null;
        }
    }

    protected override async Task InsertAsync(HelmRelease release, string payload, CancellationToken cancellationToken)
    {
        long now = _time.GetUtcNow().ToUnixTimeSeconds();
        JsonObject body = ToObject(release, payload, ReleaseStorageLabels.ForObject(release, createdAt: now, modifiedAt: null));
        try
        {
            await _client.CreateAsync(_type, release.Namespace, body, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (KubernetesFailures.CodeOf(ex) == KubernetesFailures.Conflict)
        {
            throw new ReleaseExistsException($"release {release.Namespace}/{release.Name} revision {release.Version} already exists", release.Namespace, release.StorageKey, ex);
        }
    }

    protected override async Task ReplaceAsync(HelmRelease release, string payload, CancellationToken cancellationToken)
    {
        // As Helm does: an unconditional update that keeps createdAt and stamps modifiedAt.
        JsonObject current;
        try
        {
            current = await _client.GetAsync(_type, release.Namespace, release.StorageKey, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (KubernetesFailures.CodeOf(ex) == KubernetesFailures.NotFound)
        {
            throw new ReleaseNotFoundException($"release {release.Namespace}/{release.Name} revision {release.Version} not found", release.Namespace, release.StorageKey, ex);
        }

        long? createdAt = current["metadata"]?["labels"]?["createdAt"] is JsonValue c && long.TryParse(c.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture, out long created) ? created : null;
        var labels = ReleaseStorageLabels.ForObject(release, createdAt, _time.GetUtcNow().ToUnixTimeSeconds());
        JsonObject body = ToObject(release, payload, labels);
        try
        {
            await _client.ReplaceAsync(_type, release.Namespace, release.StorageKey, body, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (KubernetesFailures.CodeOf(ex) == KubernetesFailures.NotFound)
        {
            throw new ReleaseNotFoundException($"release {release.Namespace}/{release.Name} revision {release.Version} not found", release.Namespace, release.StorageKey, ex);
        }
    }

    protected override async Task RemoveAsync(string @namespace, string recordName, CancellationToken cancellationToken)
    {
        try
        {
            await _client.DeleteAsync(_type, @namespace, recordName, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (KubernetesFailures.CodeOf(ex) == KubernetesFailures.NotFound)
        {
            throw new ReleaseNotFoundException($"release record {@namespace}/{recordName} not found", @namespace, recordName, ex);
        }
    }

    private async Task<(List<ReleaseRecord> Records, string Version)> ListAllAsync(string? @namespace, string selector, CancellationToken cancellationToken)
    {
        for (int attempt = 0; ; attempt++)
        {
            var records = new List<ReleaseRecord>();
            string? continueToken = null;
            string version = string.Empty;
            try
            {
                do
                {
                    var options = new ListOptions { LabelSelector = selector, Limit = _pageSize, Continue = continueToken };
                    ResourceList page = await _client.ListAsync(_type, @namespace, options, cancellationToken).ConfigureAwait(false);
                    foreach (JsonObject item in page.Items)
                    {
                        records.Add(ToRecord(item));
                    }

                    version = page.ResourceVersion;
                    continueToken = string.IsNullOrEmpty(page.Continue) ? null : page.Continue;
                }
                while (continueToken is not null);
                return (records, version);
            }
            catch (Exception ex) when (continueToken is not null && attempt < MaxListRestarts && KubernetesFailures.CodeOf(ex) == KubernetesFailures.Gone)
            {
                // The continue token expired (410): list again from the start, as client-go's pager does.
            }
        }
    }

    private ReleaseRecord ToRecord(JsonObject obj)
    {
        string ns = NamespaceOf(obj);
        string name = NameOf(obj);
        IReadOnlyDictionary<string, string> labels = obj["metadata"]?["labels"] is JsonObject l
            ? ReleaseStorageLabels.CustomLabels(l.Select(p => new KeyValuePair<string, string>(p.Key, p.Value is JsonValue v && v.TryGetValue(out string? s) ? s : string.Empty)))
            : System.Collections.Frozen.FrozenDictionary<string, string>.Empty;
        if (obj["data"]?[ReleaseStorageLabels.DataKey] is not JsonValue data || !data.TryGetValue(out string? value))
        {
            return new ReleaseRecord(ns, name, ReadOnlyMemory<byte>.Empty, labels) { Problem = "the object has no string data.release" };
        }

        if (!_secrets)
        {
            return new ReleaseRecord(ns, name, Encoding.UTF8.GetBytes(value), labels);
        }

        try
        {
            return new ReleaseRecord(ns, name, HelmReleaseCodec.UnwrapSecretData(value, ns, name), labels);
        }
        catch (ReleaseDecodeException ex)
        {
            return new ReleaseRecord(ns, name, ReadOnlyMemory<byte>.Empty, labels) { Problem = ex.Message[(ex.Message.IndexOf(": ", StringComparison.Ordinal) + 2)..] };
        }
    }

    private JsonObject ToObject(HelmRelease release, string payload, Dictionary<string, string> labels)
    {
        var labelObject = new JsonObject();
        foreach (var (key, value) in labels)
        {
            labelObject[key] = value;
        }

        var obj = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = _type.Kind,
            ["metadata"] = new JsonObject
            {
                ["name"] = release.StorageKey,
                ["namespace"] = release.Namespace,
                ["labels"] = labelObject,
            },
        };
        if (_secrets)
        {
            obj["type"] = ReleaseStorageLabels.ReleaseType;
            obj["data"] = new JsonObject { [ReleaseStorageLabels.DataKey] = Convert.ToBase64String(Encoding.ASCII.GetBytes(payload)) };
        }
        else
        {
            obj["data"] = new JsonObject { [ReleaseStorageLabels.DataKey] = payload };
        }

        return obj;
    }

    private static string NamespaceOf(JsonObject obj) => obj["metadata"]?["namespace"] is JsonValue v && v.TryGetValue(out string? s) ? s : string.Empty;

    private static string NameOf(JsonObject obj) => obj["metadata"]?["name"] is JsonValue v && v.TryGetValue(out string? s) ? s : string.Empty;
}
