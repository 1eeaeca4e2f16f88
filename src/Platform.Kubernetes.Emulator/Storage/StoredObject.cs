using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Platform.Kubernetes.Emulator.Storage;

/// <summary>
/// One immutable object version: its compact JSON (always starting with <c>kind</c> and <c>apiVersion</c>) and the
/// facts selectors need, so lists never re-parse the JSON.
/// </summary>
internal sealed class StoredObject
{
    internal static readonly JsonSerializerOptions Json = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
    };

    private StoredObject(ResourceInfo type, string ns, string name, string uid, long resourceVersion, byte[] body, int typeMetaLength, Dictionary<string, string> labels, Dictionary<string, string> fields)
    {
        Type = type;
        Namespace = ns;
        Name = name;
        Uid = uid;
        ResourceVersion = resourceVersion;
        Body = body;
        TypeMetaLength = typeMetaLength;
        Labels = labels;
        Fields = fields;
    }

    public ResourceInfo Type { get; }

    /// <summary>Gets the namespace; empty for cluster-scoped objects.</summary>
    public string Namespace { get; }

    public string Name { get; }

    public string Uid { get; }

    public long ResourceVersion { get; }

    /// <summary>Gets the compact UTF-8 JSON of the whole object.</summary>
    public byte[] Body { get; }

    /// <summary>Gets the length of <c>{"kind":…,"apiVersion":…,</c> at the start of <see cref="Body"/>.</summary>
    public int TypeMetaLength { get; }

    public IReadOnlyDictionary<string, string> Labels { get; }

    public IReadOnlyDictionary<string, string> Fields { get; }

    /// <summary>Gets the object as a new mutable tree.</summary>
    public JsonObject ToJson() => (JsonObject)JsonNode.Parse(Body)!;

    /// <summary>Writes the object without <c>kind</c>/<c>apiVersion</c>, as typed lists carry their items.</summary>
    public void WriteWithoutTypeMeta(Utf8JsonWriter writer)
    {
        int length = Body.Length - TypeMetaLength + 1;
        byte[] buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(length);
        try
        {
            buffer[0] = (byte)'{';
            Body.AsSpan(TypeMetaLength).CopyTo(buffer.AsSpan(1));
            writer.WriteRawValue(buffer.AsSpan(0, length), skipInputValidation: true);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Builds a stored version from an object whose metadata the caller has completed (name, namespace, uid,
    /// resourceVersion). Reorders <c>kind</c>, <c>apiVersion</c>, <c>metadata</c> first, as the real server prints them.
    /// </summary>
    public static StoredObject From(ResourceInfo type, JsonObject obj)
    {
        var ordered = new JsonObject
        {
            ["kind"] = type.Kind,
            ["apiVersion"] = type.ApiVersion,
        };
        string typeMeta = ordered.ToJsonString(Json);
        JsonObject metadata = obj["metadata"] as JsonObject ?? new JsonObject();
        obj.Remove("metadata");
        ordered["metadata"] = metadata;
        foreach (var (key, value) in obj.ToArray())
        {
            if (key is "kind" or "apiVersion")
            {
                continue;
            }

            obj.Remove(key);
            ordered[key] = value;
        }

        byte[] body = JsonSerializer.SerializeToUtf8Bytes(ordered, Json);
        string ns = metadata["namespace"]?.GetValue<string>() ?? "";
        string name = metadata["name"]?.GetValue<string>() ?? "";
        string uid = metadata["uid"]?.GetValue<string>() ?? "";
        long rv = long.Parse(metadata["resourceVersion"]?.GetValue<string>() ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (metadata["labels"] is JsonObject labelObject)
        {
            foreach (var (key, value) in labelObject)
            {
                labels[key] = value is JsonValue v ? v.ToString() : "";
            }
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["metadata.name"] = name,
            ["metadata.namespace"] = ns,
        };
        foreach (string path in type.FieldPaths)
        {
            fields[path] = FieldValue(ordered, path);
        }

        // typeMeta is {"kind":"X","apiVersion":"Y"}; in the body the closing brace is a comma.
        return new StoredObject(type, ns, name, uid, rv, body, System.Text.Encoding.UTF8.GetByteCount(typeMeta), labels, fields);
    }

    private static string FieldValue(JsonObject obj, string path)
    {
        JsonNode? node = obj;
        foreach (string part in path.Split('.'))
        {
            node = node is JsonObject o ? o[part] : null;
        }

        return node switch
        {
            JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
            JsonValue v => v.ToJsonString(),
            _ => "",
        };
    }
}
