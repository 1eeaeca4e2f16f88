using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Platform.Kubernetes.Emulator.Storage;

namespace Platform.Kubernetes.Emulator.Api;

/// <summary>
/// Paged lists: the first page of a list with <c>limit</c> keeps the full filtered result, so every later page is
/// served from the same consistent snapshot. Tokens expire after a lifetime or when evicted (oldest first); an
/// expired token gets <c>410 Gone</c>, reason <c>Expired</c>, as from the real server after etcd compaction.
/// </summary>
internal sealed class ListSnapshots
{
    public const string ExpiredMessage = "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.";

    private readonly Lock _gate = new();
    private readonly LinkedList<Snapshot> _order = new();
    private readonly Dictionary<string, LinkedListNode<Snapshot>> _byId = new(StringComparer.Ordinal);
    private readonly int _capacity;
    private readonly TimeSpan _lifetime;
    private readonly TimeProvider _time;

    public ListSnapshots(int capacity, TimeSpan lifetime, TimeProvider time)
    {
        _capacity = capacity;
        _lifetime = lifetime;
        _time = time;
    }

    public sealed record Snapshot(string Id, string TypeKey, string? Namespace, IReadOnlyList<StoredObject> Items, long ResourceVersion, DateTimeOffset Created);

    public Snapshot Add(string typeKey, string? ns, IReadOnlyList<StoredObject> items, long resourceVersion)
    {
        var snapshot = new Snapshot(Guid.NewGuid().ToString("N"), typeKey, ns, items, resourceVersion, _time.GetUtcNow());
        lock (_gate)
        {
            _byId[snapshot.Id] = _order.AddLast(snapshot);
            while (_order.Count > _capacity)
            {
                _byId.Remove(_order.First!.Value.Id);
                _order.RemoveFirst();
            }
        }

        return snapshot;
    }

    /// <summary>Clears every snapshot: every outstanding continue token expires (history compaction).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _order.Clear();
            _byId.Clear();
        }
    }

    /// <summary>Finds a token's snapshot and offset; throws 400 for a malformed token and 410 for an expired one.</summary>
    public (Snapshot Snapshot, int Offset) Resolve(string token, string typeKey, string? ns)
    {
        JsonObject decoded;
        try
        {
            decoded = (JsonObject)JsonNode.Parse(Convert.FromBase64String(token))!;
        }
        catch (Exception ex) when (ex is FormatException or System.Text.Json.JsonException or InvalidCastException)
        {
            throw ApiException.BadRequest($"continue key is not valid: {ex.Message}");
        }

        string? id = decoded["snapshot"]?.ToString();
        if (decoded["v"]?.ToString() != "meta.k8s.io/v1" || id is null || decoded["offset"] is not JsonValue offsetValue || !offsetValue.TryGetValue(out int offset))
        {
            throw ApiException.BadRequest("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
        }

        lock (_gate)
        {
            if (!_byId.TryGetValue(id, out var node) || _time.GetUtcNow() - node.Value.Created > _lifetime)
            {
                throw ApiException.Expired(ExpiredMessage);
            }

            Snapshot snapshot = node.Value;
            if (snapshot.TypeKey != typeKey || snapshot.Namespace != ns || offset < 0 || offset > snapshot.Items.Count)
            {
                throw ApiException.BadRequest("continue key is not valid: the token does not belong to this list request");
            }

            return (snapshot, offset);
        }
    }

    /// <summary>Encodes a token as the real server does (base64 of a small JSON document), plus the snapshot id and offset.</summary>
    public static string Token(Snapshot snapshot, int offset)
    {
        StoredObject next = snapshot.Items[offset];
        var token = new JsonObject
        {
            ["v"] = "meta.k8s.io/v1",
            ["rv"] = snapshot.ResourceVersion,
            ["start"] = (next.Namespace.Length > 0 ? next.Namespace + "/" : "") + next.Name + "\u0000",
            ["snapshot"] = snapshot.Id,
            ["offset"] = offset,
        };
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(token.ToJsonString()));
    }

    public static string Format(long resourceVersion) => resourceVersion.ToString(CultureInfo.InvariantCulture);
}
