using System.Globalization;
using System.Text.Json.Nodes;

namespace Platform.Kubernetes.Client;

/// <summary>A typed Kubernetes object that converts to and from the unstructured JSON the client speaks.</summary>
/// <typeparam name="TSelf">The implementing record.</typeparam>
public interface IKubernetesObject<TSelf>
    where TSelf : IKubernetesObject<TSelf>
{
    /// <summary>Gets the resource type of the record.</summary>
    static abstract ResourceType Type { get; }

    /// <summary>Gets the object metadata.</summary>
    ObjectMeta Metadata { get; }

    /// <summary>Reads the record from an object as the API server returns it; unknown fields are ignored.</summary>
    /// <param name="json">The object.</param>
    /// <returns>The record.</returns>
    /// <exception cref="FormatException">A modelled field has the wrong JSON type; the message names the field.</exception>
    static abstract TSelf FromJson(JsonObject json);

    /// <summary>Writes the record as an object with <c>apiVersion</c> and <c>kind</c>.</summary>
    /// <returns>A new JSON object.</returns>
    JsonObject ToJson();
}

/// <summary>The <c>metadata</c> of an object (the fields the SDK uses).</summary>
public sealed record ObjectMeta
{
    /// <summary>Gets the name.</summary>
    public string? Name { get; init; }

    /// <summary>Gets the name prefix the server completes on create (<c>generateName</c>).</summary>
    public string? GenerateName { get; init; }

    /// <summary>Gets the namespace, or <see langword="null"/> for cluster-scoped objects.</summary>
    public string? Namespace { get; init; }

    /// <summary>Gets the server-assigned unique id.</summary>
    public string? Uid { get; init; }

    /// <summary>Gets the resource version (opaque; compare for equality only).</summary>
    public string? ResourceVersion { get; init; }

    /// <summary>Gets the creation time.</summary>
    public DateTimeOffset? CreationTimestamp { get; init; }

    /// <summary>Gets the time deletion was requested, or <see langword="null"/>.</summary>
    public DateTimeOffset? DeletionTimestamp { get; init; }

    /// <summary>Gets the labels. Empty by default.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>Gets the annotations. Empty by default.</summary>
    public IReadOnlyDictionary<string, string> Annotations { get; init; } = new Dictionary<string, string>();

    /// <summary>Reads metadata from an object's <c>metadata</c> field.</summary>
    /// <param name="metadata">The metadata object, or <see langword="null"/>.</param>
    /// <returns>The metadata.</returns>
    public static ObjectMeta FromJson(JsonObject? metadata) => metadata is null ? new ObjectMeta() : new ObjectMeta
    {
        Name = Json.Str(metadata, "name", "metadata"),
        GenerateName = Json.Str(metadata, "generateName", "metadata"),
        Namespace = Json.Str(metadata, "namespace", "metadata"),
        Uid = Json.Str(metadata, "uid", "metadata"),
        ResourceVersion = Json.Str(metadata, "resourceVersion", "metadata"),
        CreationTimestamp = Json.Time(metadata, "creationTimestamp", "metadata"),
        DeletionTimestamp = Json.Time(metadata, "deletionTimestamp", "metadata"),
        Labels = Json.StringMap(metadata, "labels", "metadata"),
        Annotations = Json.StringMap(metadata, "annotations", "metadata"),
    };

    /// <summary>Writes the metadata; empty fields are left out.</summary>
    /// <returns>A new JSON object.</returns>
    public JsonObject ToJson()
    {
        var o = new JsonObject();
        Json.Put(o, "name", Name);
        Json.Put(o, "generateName", GenerateName);
        Json.Put(o, "namespace", Namespace);
        Json.Put(o, "uid", Uid);
        Json.Put(o, "resourceVersion", ResourceVersion);
        Json.Put(o, "creationTimestamp", CreationTimestamp?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        Json.Put(o, "deletionTimestamp", DeletionTimestamp?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        Json.PutMap(o, "labels", Labels);
        Json.PutMap(o, "annotations", Annotations);
        return o;
    }
}

/// <summary>Small readers and writers over <see cref="JsonObject"/> with errors that name the field.</summary>
internal static class Json
{
    public static string? Str(JsonObject o, string key, string path) => o[key] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => throw new FormatException($"{path}.{key} must be a string."),
    };

    public static long? Long(JsonObject o, string key, string path) => o[key] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<long>(out var n) => n,
        _ => throw new FormatException($"{path}.{key} must be an integer."),
    };

    public static bool? Bool(JsonObject o, string key, string path) => o[key] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        _ => throw new FormatException($"{path}.{key} must be a boolean."),
    };

    public static DateTimeOffset? Time(JsonObject o, string key, string path)
    {
        var text = Str(o, key, path);
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            ? t
            : throw new FormatException($"{path}.{key} must be an RFC 3339 time, was '{text}'.");
    }

    public static JsonObject? Obj(JsonObject o, string key, string path) => o[key] switch
    {
        null => null,
        JsonObject child => child,
        _ => throw new FormatException($"{path}.{key} must be an object."),
    };

    public static IEnumerable<JsonObject> Objects(JsonObject o, string key, string path)
    {
        switch (o[key])
        {
            case null:
                yield break;
            case JsonArray array:
                var i = 0;
                foreach (var item in array)
                {
                    yield return item as JsonObject ?? throw new FormatException($"{path}.{key}[{i}] must be an object.");
                    i++;
                }

                break;
            default:
                throw new FormatException($"{path}.{key} must be a list.");
        }
    }

    public static Dictionary<string, string> StringMap(JsonObject o, string key, string path)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Obj(o, key, path) is { } child)
        {
            foreach (var (k, v) in child)
            {
                map[k] = v is JsonValue value && value.TryGetValue<string>(out var s) ? s : v is null ? "" : throw new FormatException($"{path}.{key}.{k} must be a string.");
            }
        }

        return map;
    }

    public static Dictionary<string, byte[]> BytesMap(JsonObject o, string key, string path)
    {
        var map = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (k, v) in StringMap(o, key, path))
        {
            try
            {
                map[k] = Convert.FromBase64String(v);
            }
            catch (FormatException ex)
            {
                // The value is secret material: name the key only.
                throw new FormatException($"{path}.{key}.{k} must be base64.", ex);
            }
        }

        return map;
    }

    public static void Put(JsonObject o, string key, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            o[key] = value;
        }
    }

    public static void Put(JsonObject o, string key, long? value)
    {
        if (value is { } v)
        {
            o[key] = v;
        }
    }

    public static void PutMap(JsonObject o, string key, IReadOnlyDictionary<string, string> map)
    {
        if (map.Count > 0)
        {
            var child = new JsonObject();
            foreach (var (k, v) in map)
            {
                child[k] = v;
            }

            o[key] = child;
        }
    }

    public static void PutBytes(JsonObject o, string key, IReadOnlyDictionary<string, byte[]> map)
    {
        if (map.Count > 0)
        {
            var child = new JsonObject();
            foreach (var (k, v) in map)
            {
                child[k] = Convert.ToBase64String(v);
            }

            o[key] = child;
        }
    }

    public static JsonObject Envelope(ResourceType type, ObjectMeta metadata) =>
        new() { ["apiVersion"] = type.ApiVersion, ["kind"] = type.Kind, ["metadata"] = metadata.ToJson() };
}
