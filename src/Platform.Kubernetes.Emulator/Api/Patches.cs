using System.Text.Json;
using System.Text.Json.Nodes;

namespace Platform.Kubernetes.Emulator.Api;

/// <summary>
/// JSON merge patch (RFC 7386), JSON patch (RFC 6902), an approximation of strategic merge patch, and the merge
/// step of server-side apply.
/// </summary>
internal static class Patches
{
    /// <summary>The merge keys of the lists strategic merge patch merges by key in the core, apps and batch types.</summary>
    private static readonly Dictionary<string, string> MergeKeys = new(StringComparer.Ordinal)
    {
        ["containers"] = "name",
        ["initContainers"] = "name",
        ["ephemeralContainers"] = "name",
        ["env"] = "name",
        ["volumes"] = "name",
        ["volumeMounts"] = "mountPath",
        ["volumeDevices"] = "devicePath",
        ["imagePullSecrets"] = "name",
        ["ownerReferences"] = "uid",
        ["conditions"] = "type",
        ["tolerations"] = "key",
        ["hostAliases"] = "ip",
        ["ports"] = "containerPort",
    };

    /// <summary>Applies an RFC 7386 merge patch: objects merge recursively, <c>null</c> deletes, anything else replaces.</summary>
    public static JsonNode? MergePatch(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        JsonObject result = target is JsonObject t ? t : new JsonObject();
        foreach (var (key, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(key);
            }
            else
            {
                JsonNode? existing = result[key];
                result.Remove(key);
                result[key] = MergePatch(existing, value);
            }
        }

        return result;
    }

    /// <summary>
    /// Applies a strategic merge patch the way the built-in types need most: lists named in the merge-key table
    /// merge element by key, <c>$patch: delete</c>/<c>replace</c> are honoured, other directives are dropped.
    /// </summary>
    public static JsonNode? StrategicMerge(JsonNode? target, JsonNode? patch, bool applyNulls = true)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        if (patchObject["$patch"]?.GetValue<string>() == "replace")
        {
            var replaced = (JsonObject)patchObject.DeepClone();
            replaced.Remove("$patch");
            return replaced;
        }

        JsonObject result = target as JsonObject ?? new JsonObject();
        foreach (var (key, value) in patchObject)
        {
            if (key.StartsWith('$'))
            {
                continue;
            }

            if (key.StartsWith("$setElementOrder/", StringComparison.Ordinal) || key.StartsWith("$deleteFromPrimitiveList/", StringComparison.Ordinal))
            {
                continue;
            }

            if (value is null)
            {
                if (applyNulls)
                {
                    result.Remove(key);
                }

                continue;
            }

            JsonNode? existing = result[key];
            JsonNode? merged;
            if (value is JsonArray patchArray && existing is JsonArray liveArray && MergeKeys.TryGetValue(key, out string? mergeKey)
                && patchArray.All(e => e is JsonObject o && (o[mergeKey] is not null || o["$patch"] is not null))
                && liveArray.All(e => e is JsonObject o && o[mergeKey] is not null))
            {
                merged = MergeList(liveArray, patchArray, mergeKey, applyNulls);
            }
            else if (value is JsonObject && existing is JsonObject)
            {
                merged = StrategicMerge(existing, value, applyNulls);
            }
            else
            {
                merged = StripDirectives(value.DeepClone());
            }

            result.Remove(key);
            result[key] = merged;
        }

        return result;
    }

    private static JsonArray MergeList(JsonArray live, JsonArray patch, string mergeKey, bool applyNulls)
    {
        var items = live.Select(e => e!.DeepClone()).ToList();
        foreach (JsonNode? element in patch)
        {
            var patchElement = (JsonObject)element!;
            string? key = patchElement[mergeKey]?.ToJsonString();
            int index = items.FindIndex(e => ((JsonObject)e)[mergeKey]?.ToJsonString() == key);
            if (patchElement["$patch"]?.GetValue<string>() == "delete")
            {
                if (index >= 0)
                {
                    items.RemoveAt(index);
                }

                continue;
            }

            if (index >= 0)
            {
                items[index] = StrategicMerge(items[index], patchElement, applyNulls)!;
            }
            else
            {
                items.Add(StripDirectives(patchElement.DeepClone())!);
            }
        }

        return new JsonArray(items.ToArray());
    }

    private static JsonNode? StripDirectives(JsonNode? node)
    {
        if (node is JsonObject obj)
        {
            foreach (string key in obj.Select(p => p.Key).Where(k => k.StartsWith('$')).ToList())
            {
                obj.Remove(key);
            }

            foreach (var (_, value) in obj.ToList())
            {
                StripDirectives(value);
            }
        }
        else if (node is JsonArray array)
        {
            foreach (JsonNode? item in array)
            {
                StripDirectives(item);
            }
        }

        return node;
    }

    /// <summary>Applies an RFC 6902 JSON patch; a failed <c>test</c> or a bad path throws <see cref="ApiException"/> (422).</summary>
    public static JsonNode? JsonPatch(JsonNode? document, JsonNode? patch)
    {
        if (patch is not JsonArray operations)
        {
            throw ApiException.BadRequest("the JSON patch must be an array of operations");
        }

        JsonNode? doc = document;
        for (int i = 0; i < operations.Count; i++)
        {
            if (operations[i] is not JsonObject op || op["op"] is not JsonValue opValue || op["path"] is not JsonValue pathValue)
            {
                throw ApiException.BadRequest($"JSON patch operation {i} must be an object with \"op\" and \"path\"");
            }

            string name = opValue.ToString();
            string path = pathValue.ToString();
            switch (name)
            {
                case "add":
                    doc = Add(doc, path, Required(op, "value", i), i);
                    break;
                case "remove":
                    doc = Remove(doc, path, i, out _);
                    break;
                case "replace":
                    doc = Remove(doc, path, i, out _);
                    doc = Add(doc, path, Required(op, "value", i), i);
                    break;
                case "move":
                {
                    string from = op["from"]?.ToString() ?? throw Invalid(i, "\"from\" is required");
                    doc = Remove(doc, from, i, out JsonNode? moved);
                    doc = Add(doc, path, moved, i);
                    break;
                }

                case "copy":
                {
                    string from = op["from"]?.ToString() ?? throw Invalid(i, "\"from\" is required");
                    JsonNode? copied = Resolve(doc, from, i)?.DeepClone();
                    doc = Add(doc, path, copied, i);
                    break;
                }

                case "test":
                {
                    JsonNode? actual = Resolve(doc, path, i);
                    if (!JsonNode.DeepEquals(actual, op["value"]))
                    {
                        throw Invalid(i, $"test failed: the value at {path} is not {op["value"]?.ToJsonString() ?? "null"}");
                    }

                    break;
                }

                default:
                    throw ApiException.BadRequest($"JSON patch operation {i}: unknown op \"{name}\"");
            }
        }

        return doc;
    }

    private static JsonNode? Required(JsonObject op, string name, int index) =>
        op.TryGetPropertyValue(name, out JsonNode? value) ? value?.DeepClone() : throw Invalid(index, $"\"{name}\" is required");

    private static ApiException Invalid(int index, string message) =>
        new(422, "Invalid", $"the server rejected our request due to an error in our request: JSON patch operation {index}: {message}");

    private static List<string> Pointer(string path, int index)
    {
        if (path.Length == 0)
        {
            return [];
        }

        if (path[0] != '/')
        {
            throw Invalid(index, $"path \"{path}\" must start with '/'");
        }

        return path[1..].Split('/').Select(p => p.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToList();
    }

    private static JsonNode? Resolve(JsonNode? doc, string path, int index)
    {
        JsonNode? node = doc;
        foreach (string part in Pointer(path, index))
        {
            node = node switch
            {
                JsonObject o when o.TryGetPropertyValue(part, out JsonNode? child) => child,
                JsonArray a when int.TryParse(part, out int i) && i >= 0 && i < a.Count => a[i],
                _ => throw Invalid(index, $"path \"{path}\" does not exist"),
            };
        }

        return node;
    }

    private static JsonNode? Add(JsonNode? doc, string path, JsonNode? value, int index)
    {
        List<string> parts = Pointer(path, index);
        if (parts.Count == 0)
        {
            return value;
        }

        JsonNode? parent = Resolve(doc, ParentPointer(parts), index);
        string last = parts[^1];
        switch (parent)
        {
            case JsonObject o:
                o.Remove(last);
                o[last] = value;
                break;
            case JsonArray a when last == "-":
                a.Add(value);
                break;
            case JsonArray a when int.TryParse(last, out int i) && i >= 0 && i <= a.Count:
                a.Insert(i, value);
                break;
            default:
                throw Invalid(index, $"path \"{path}\" cannot be added to");
        }

        return doc;
    }

    private static JsonNode? Remove(JsonNode? doc, string path, int index, out JsonNode? removed)
    {
        List<string> parts = Pointer(path, index);
        if (parts.Count == 0)
        {
            removed = doc;
            return null;
        }

        JsonNode? parent = Resolve(doc, ParentPointer(parts), index);
        string last = parts[^1];
        switch (parent)
        {
            case JsonObject o when o.TryGetPropertyValue(last, out JsonNode? value):
                o.Remove(last);
                removed = value;
                break;
            case JsonArray a when int.TryParse(last, out int i) && i >= 0 && i < a.Count:
                removed = a[i];
                a.RemoveAt(i);
                break;
            default:
                throw Invalid(index, $"path \"{path}\" does not exist");
        }

        return doc;
    }

    private static string ParentPointer(List<string> parts) =>
        parts.Count == 1 ? "" : "/" + string.Join('/', parts.Take(parts.Count - 1).Select(Escape));

    private static string Escape(string part) => part.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    /// <summary>Builds a <c>FieldsV1</c> set (<c>{"f:spec":{"f:replicas":{}}}</c>) of the fields an applied configuration sets.</summary>
    public static JsonObject FieldSet(JsonObject applied, bool top = true)
    {
        var set = new JsonObject();
        foreach (var (key, value) in applied)
        {
            if (top && key is "kind" or "apiVersion")
            {
                continue;
            }

            if (top && key == "metadata" && value is JsonObject meta)
            {
                var metaSet = new JsonObject();
                foreach (var (mk, mv) in meta)
                {
                    if (mk is "labels" or "annotations" && mv is JsonObject map)
                    {
                        var keys = new JsonObject();
                        foreach (var (lk, _) in map)
                        {
                            keys["f:" + lk] = new JsonObject();
                        }

                        metaSet["f:" + mk] = keys;
                    }
                    else if (mk is not ("name" or "namespace" or "resourceVersion" or "uid" or "managedFields" or "creationTimestamp" or "generation"))
                    {
                        metaSet["f:" + mk] = new JsonObject();
                    }
                }

                if (metaSet.Count > 0)
                {
                    set["f:metadata"] = metaSet;
                }

                continue;
            }

            set["f:" + key] = value is JsonObject child ? FieldSet(child, top: false) : new JsonObject();
        }

        return set;
    }

    /// <summary>Reads a JSON document, reporting the position of a syntax error as the real server's 400 does.</summary>
    public static JsonNode? ParseJson(ReadOnlySpan<byte> body)
    {
        try
        {
            return JsonNode.Parse(body, documentOptions: new JsonDocumentOptions { MaxDepth = 128 });
        }
        catch (JsonException ex)
        {
            throw ApiException.BadRequest($"the request body is not valid JSON: {ex.Message}");
        }
    }
}
