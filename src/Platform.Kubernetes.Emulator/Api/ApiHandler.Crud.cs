using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Platform.Kubernetes.Emulator.Storage;

namespace Platform.Kubernetes.Emulator.Api;

internal sealed partial class ApiHandler
{
    private const string NameChars = "bcdfghjklmnpqrstvwxz2456789";

    /// <summary>What representation the client asked for in <c>Accept</c>.</summary>
    private enum Output
    {
        Object,
        Table,
        Metadata,
    }

    private static (Output Mode, string ApiVersion) OutputOf(HttpRequest request)
    {
        string accept = request.Headers.Accept.ToString();
        foreach (string entry in accept.Split(','))
        {
            string[] parts = entry.Split(';').Select(p => p.Trim()).ToArray();
            string? @as = parts.FirstOrDefault(p => p.StartsWith("as=", StringComparison.Ordinal))?[3..];
            string? g = parts.FirstOrDefault(p => p.StartsWith("g=", StringComparison.Ordinal))?[2..];
            string? v = parts.FirstOrDefault(p => p.StartsWith("v=", StringComparison.Ordinal))?[2..];
            if (g == "meta.k8s.io" && v is "v1" or "v1beta1" && parts[0] is "application/json" or "*/*")
            {
                if (@as == "Table")
                {
                    return (Output.Table, "meta.k8s.io/" + v);
                }

                if (@as is "PartialObjectMetadata" or "PartialObjectMetadataList")
                {
                    return (Output.Metadata, "meta.k8s.io/" + v);
                }
            }

            if (@as is null && parts[0] is "application/json" or "*/*" or "application/*" or "")
            {
                return (Output.Object, "");
            }
        }

        return (Output.Object, "");
    }

    private static string OutputContentType(Output mode, string apiVersion) => mode switch
    {
        Output.Table => $"application/json;as=Table;v={apiVersion[(apiVersion.IndexOf('/') + 1)..]};g=meta.k8s.io",
        Output.Metadata => $"application/json;as=PartialObjectMetadata;v={apiVersion[(apiVersion.IndexOf('/') + 1)..]};g=meta.k8s.io",
        _ => JsonContentType,
    };

    private async Task WriteObjectAsync(HttpContext context, int status, StoredObject stored)
    {
        var (mode, apiVersion) = OutputOf(context.Request);
        if (mode == Output.Object)
        {
            await WriteBytesAsync(context, status, stored.Body).ConfigureAwait(false);
            return;
        }

        JsonObject obj = stored.ToJson();
        JsonObject output = mode == Output.Table
            ? Tables.Build(stored.Type, [obj], ListSnapshots.Format(stored.ResourceVersion), null, context.Request.Query["includeObject"].ToString(), Now, apiVersion)
            : Tables.PartialMetadata(obj);
        await WriteJsonAsync(context, status, output, OutputContentType(mode, apiVersion)).ConfigureAwait(false);
    }

    private async Task GetAsync(HttpContext context, ResourceInfo type, string ns, string name)
    {
        StoredObject stored = _store.Get(type, ns, name) ?? throw ApiException.NotFound(type, name);
        await WriteObjectAsync(context, 200, stored).ConfigureAwait(false);
    }

    private async Task ListAsync(HttpContext context, ResourceInfo type, string? ns)
    {
        IQueryCollection query = context.Request.Query;
        Func<StoredObject, bool>? labels = Selectors.ParseLabels(query["labelSelector"]);
        Func<StoredObject, bool>? fields = Selectors.ParseFields(query["fieldSelector"], type);
        Func<StoredObject, bool>? filter = labels is null && fields is null ? null : item => (labels?.Invoke(item) ?? true) && (fields?.Invoke(item) ?? true);
        int? limit = null;
        if (!string.IsNullOrEmpty(query["limit"]))
        {
            if (!int.TryParse(query["limit"], NumberStyles.Integer, CultureInfo.InvariantCulture, out int l) || l < 0)
            {
                throw ApiException.BadRequest($"invalid limit: {query["limit"]}");
            }

            limit = l == 0 ? null : l;
        }

        IReadOnlyList<StoredObject> items;
        long listRv;
        int offset = 0;
        ListSnapshots.Snapshot? snapshot = null;
        string? continueToken = query["continue"];
        if (!string.IsNullOrEmpty(continueToken))
        {
            (snapshot, offset) = _snapshots.Resolve(continueToken, type.Key, ns);
            items = snapshot.Items;
            listRv = snapshot.ResourceVersion;
        }
        else
        {
            CheckListResourceVersion(query["resourceVersion"], query["resourceVersionMatch"]);
            (var all, listRv) = _store.List(type, ns, filter);
            items = all;
        }

        int end = items.Count;
        string? next = null;
        long? remaining = null;
        if (limit is int pageSize && offset + pageSize < items.Count)
        {
            end = offset + pageSize;
            snapshot ??= _snapshots.Add(type.Key, ns, items, listRv);
            next = ListSnapshots.Token(snapshot, end);
            if (filter is null)
            {
                remaining = items.Count - end;
            }
        }

        var (mode, apiVersion) = OutputOf(context.Request);
        if (mode == Output.Table)
        {
            var objects = new List<JsonObject>(end - offset);
            for (int i = offset; i < end; i++)
            {
                objects.Add(items[i].ToJson());
            }

            JsonObject table = Tables.Build(type, objects, ListSnapshots.Format(listRv), next, query["includeObject"].ToString(), Now, apiVersion);
            await WriteJsonAsync(context, 200, table, OutputContentType(mode, apiVersion)).ConfigureAwait(false);
            return;
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = mode == Output.Metadata ? OutputContentType(mode, apiVersion).Replace("PartialObjectMetadata", "PartialObjectMetadataList", StringComparison.Ordinal) : JsonContentType;
        // Streamed (chunked) so a list of many large objects never sits in one buffer.
        System.IO.Pipelines.PipeWriter body = context.Response.BodyWriter;
        await using (var writer = new Utf8JsonWriter(body, new JsonWriterOptions { Encoder = StoredObject.Json.Encoder, SkipValidation = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("kind", mode == Output.Metadata ? "PartialObjectMetadataList" : type.ListKind);
            writer.WriteString("apiVersion", mode == Output.Metadata ? apiVersion : type.ApiVersion);
            writer.WriteStartObject("metadata");
            writer.WriteString("resourceVersion", ListSnapshots.Format(listRv));
            if (next is not null)
            {
                writer.WriteString("continue", next);
            }

            if (remaining is long count)
            {
                writer.WriteNumber("remainingItemCount", count);
            }

            writer.WriteEndObject();
            writer.WriteStartArray("items");
            for (int i = offset; i < end; i++)
            {
                if (mode == Output.Metadata)
                {
                    Tables.PartialMetadata(items[i].ToJson()).WriteTo(writer);
                }
                else if (type.BuiltIn)
                {
                    // Typed lists of the real server carry their items without kind and apiVersion.
                    items[i].WriteWithoutTypeMeta(writer);
                }
                else
                {
                    writer.WriteRawValue(items[i].Body, skipInputValidation: true);
                }

                if (writer.BytesPending > 64 * 1024)
                {
                    await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
                    await body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
                }
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        }

        await body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    private void CheckListResourceVersion(string? resourceVersion, string? match)
    {
        if (string.IsNullOrEmpty(resourceVersion) || resourceVersion == "0")
        {
            if (match == "Exact")
            {
                throw ApiException.BadRequest("resourceVersionMatch \"Exact\" is forbidden for resourceVersion \"\" or \"0\"");
            }

            return;
        }

        if (!long.TryParse(resourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out long requested))
        {
            throw ApiException.BadRequest($"invalid resource version: {resourceVersion}");
        }

        long current = _store.ResourceVersion;
        if (requested > current)
        {
            throw new ApiException(504, "Timeout", $"Too large resource version: {requested}, current: {current}", new JsonObject
            {
                ["causes"] = new JsonArray(new JsonObject { ["reason"] = "ResourceVersionTooLarge", ["message"] = "Too large resource version" }),
                ["retryAfterSeconds"] = 1,
            }) { RetryAfterSeconds = 1 };
        }

        if (match == "Exact" && requested != current)
        {
            // The emulator keeps only the current state, so an exact read of an older version is always too old.
            throw ApiException.Expired("The resourceVersion for the provided list is too old.");
        }
    }

    private async Task CreateAsync(HttpContext context, ResourceInfo type, string ns)
    {
        JsonObject obj = await ReadObjectAsync(context).ConfigureAwait(false);
        bool dryRun = context.Request.Query["dryRun"].Count > 0;
        if (((JsonObject?)obj["metadata"])?["resourceVersion"] is JsonValue rv && rv.ToString().Length > 0)
        {
            throw ApiException.BadRequest("resourceVersion should not be set on objects to be created");
        }

        StoredObject created = CreateObject(type, ns, obj, dryRun);
        await WriteObjectAsync(context, 201, created).ConfigureAwait(false);
    }

    /// <summary>Creates an object (HTTP POST, server-side apply of a missing object, seeding).</summary>
    internal StoredObject CreateObject(ResourceInfo type, string ns, JsonObject obj, bool dryRun, string? applyManager = null, JsonObject? applied = null)
    {
        CheckTypeMeta(obj, type);
        JsonObject metadata = Metadata(obj);
        CheckNamespace(type, metadata, ns);
        string name = metadata["name"]?.ToString() ?? "";
        if (name.Length == 0)
        {
            string prefix = metadata["generateName"]?.ToString() ?? "";
            if (prefix.Length == 0)
            {
                throw ApiException.Invalid(type, "", "metadata.name", "FieldValueRequired", "Required value: name or generateName is required");
            }

            lock (_random)
            {
                name = prefix + string.Concat(Enumerable.Range(0, 5).Select(_ => NameChars[_random.Next(NameChars.Length)]));
            }

            metadata["name"] = name;
        }

        ValidateName(type, name);
        if (type.Namespaced && !_store.NamespaceExists(ns))
        {
            throw ApiException.NamespaceNotFound(ns);
        }

        var (stored, _) = _store.Put(type, ns, name, (current, rv) =>
        {
            if (current is not null)
            {
                throw ApiException.AlreadyExists(type, name);
            }

            JsonObject meta = Metadata(obj);
            meta["uid"] = Guid.NewGuid().ToString();
            meta["creationTimestamp"] = Timestamp(Now);
            meta.Remove("deletionTimestamp");
            meta.Remove("deletionGracePeriodSeconds");
            if (type.HasGeneration)
            {
                meta["generation"] = 1;
            }
            else
            {
                meta.Remove("generation");
            }

            if (applyManager is not null && applied is not null)
            {
                SetManagedFields(meta, applyManager, type, applied);
            }

            ApplyDefaults(type, obj, name);
            ApplyCreateDefaults(type, obj);
            return obj;
        }, dryRun);

        if (!dryRun)
        {
            OnWritten(type, stored);
        }

        return stored;
    }

    private async Task UpdateAsync(HttpContext context, ResourceInfo type, string ns, string name, bool statusOnly)
    {
        JsonObject obj = await ReadObjectAsync(context).ConfigureAwait(false);
        bool dryRun = context.Request.Query["dryRun"].Count > 0;
        CheckTypeMeta(obj, type);
        JsonObject metadata = Metadata(obj);
        CheckNamespace(type, metadata, ns);
        string bodyName = metadata["name"]?.ToString() ?? "";
        if (bodyName != name)
        {
            throw ApiException.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
        }

        string? expected = metadata["resourceVersion"]?.ToString();
        var (stored, _) = _store.Put(type, ns, name, (current, rv) =>
        {
            if (current is null)
            {
                throw ApiException.NotFound(type, name);
            }

            if (!string.IsNullOrEmpty(expected) && expected != ListSnapshots.Format(current.ResourceVersion))
            {
                throw ApiException.Conflict(type, name);
            }

            JsonObject live = current.ToJson();
            JsonObject result = statusOnly ? WithStatusOf(live, obj) : obj;
            FinishUpdate(type, live, result);
            return result;
        }, dryRun);

        if (!dryRun)
        {
            OnWritten(type, stored);
        }

        await WriteObjectAsync(context, 200, stored).ConfigureAwait(false);
    }

    private static JsonObject WithStatusOf(JsonObject live, JsonObject body)
    {
        live.Remove("status");
        if (body["status"] is JsonNode status)
        {
            body.Remove("status");
            live["status"] = status;
        }

        return live;
    }

    /// <summary>Carries the server-owned metadata over from the live object and bumps the generation on spec changes.</summary>
    private static void FinishUpdate(ResourceInfo type, JsonObject live, JsonObject result)
    {
        JsonObject liveMeta = Metadata(live);
        JsonObject meta = Metadata(result);
        foreach (string key in new[] { "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds" })
        {
            if (liveMeta[key] is JsonNode value)
            {
                meta[key] = value.DeepClone();
            }
            else
            {
                meta.Remove(key);
            }
        }

        if (meta["managedFields"] is null && liveMeta["managedFields"] is JsonNode managed)
        {
            meta["managedFields"] = managed.DeepClone();
        }

        meta["name"] = liveMeta["name"]?.DeepClone();
        if (type.Namespaced)
        {
            meta["namespace"] = liveMeta["namespace"]?.DeepClone();
        }

        long generation = liveMeta["generation"] is JsonValue g && g.TryGetValue(out long n) ? n : 1;
        if (type.HasGeneration)
        {
            meta["generation"] = SpecChanged(live, result) ? generation + 1 : generation;
        }

        ApplyDefaults(type, result, meta["name"]!.ToString());
    }

    private static bool SpecChanged(JsonObject before, JsonObject after)
    {
        static JsonObject Strip(JsonObject o)
        {
            var copy = new JsonObject();
            foreach (var (key, value) in o)
            {
                if (key is not ("metadata" or "status" or "kind" or "apiVersion"))
                {
                    copy[key] = value?.DeepClone();
                }
            }

            return copy;
        }

        return !JsonNode.DeepEquals(Strip(before), Strip(after));
    }

    private async Task PatchAsync(HttpContext context, ResourceInfo type, string ns, string name, bool statusOnly)
    {
        string contentType = (context.Request.ContentType ?? "").Split(';')[0].Trim();
        byte[] body = await ReadBodyAsync(context).ConfigureAwait(false);
        bool dryRun = context.Request.Query["dryRun"].Count > 0;
        JsonNode? patch = contentType switch
        {
            "application/apply-patch+yaml" => ParseYaml(body),
            "application/merge-patch+json" or "application/json-patch+json" or "application/strategic-merge-patch+json" => Patches.ParseJson(body),
            _ => throw ApiException.UnsupportedMediaType(contentType),
        };

        if (contentType == "application/apply-patch+yaml")
        {
            var (applied, wasCreated) = Apply(context, type, ns, name, patch as JsonObject ?? throw ApiException.BadRequest("the apply configuration must be an object"), dryRun, statusOnly);
            await WriteObjectAsync(context, wasCreated ? 201 : 200, applied).ConfigureAwait(false);
            return;
        }

        if (contentType == "application/strategic-merge-patch+json" && !type.BuiltIn)
        {
            throw new ApiException(415, "UnsupportedMediaType", "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml");
        }

        var (stored, _) = _store.Put(type, ns, name, (current, rv) =>
        {
            if (current is null)
            {
                throw ApiException.NotFound(type, name);
            }

            JsonObject live = current.ToJson();
            JsonNode? patched = contentType switch
            {
                "application/json-patch+json" => Patches.JsonPatch(current.ToJson(), patch),
                "application/merge-patch+json" => Patches.MergePatch(current.ToJson(), patch),
                _ => Patches.StrategicMerge(current.ToJson(), patch),
            };
            JsonObject result = patched as JsonObject ?? throw ApiException.BadRequest("the patched document is not an object");
            CheckPatchedIdentity(type, current, result, name);
            if (statusOnly)
            {
                result = WithStatusOf(live, result);
            }

            FinishUpdate(type, live, result);
            return result;
        }, dryRun);

        if (!dryRun)
        {
            OnWritten(type, stored);
        }

        await WriteObjectAsync(context, 200, stored).ConfigureAwait(false);
    }

    private static void CheckPatchedIdentity(ResourceInfo type, StoredObject current, JsonObject result, string name)
    {
        CheckTypeMeta(result, type);
        JsonObject meta = Metadata(result);
        string? rv = meta["resourceVersion"]?.ToString();
        if (!string.IsNullOrEmpty(rv) && rv != ListSnapshots.Format(current.ResourceVersion))
        {
            throw ApiException.Conflict(type, name);
        }

        if ((meta["name"]?.ToString() ?? name) != name)
        {
            throw ApiException.BadRequest($"the name of the object ({meta["name"]}) does not match the name on the URL ({name})");
        }

        if (type.Namespaced && (meta["namespace"]?.ToString() ?? current.Namespace) != current.Namespace)
        {
            throw ApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }
    }

    /// <summary>
    /// Server-side apply, simplified: a missing object is created from the configuration; an existing one gets the
    /// configuration merged in (objects recursively, keyed lists by their merge key, other lists replaced) and the
    /// manager's <c>managedFields</c> entry (operation <c>Apply</c>) replaced. Field ownership conflicts are not
    /// detected and fields dropped from a later configuration are not removed.
    /// </summary>
    private (StoredObject Object, bool Created) Apply(HttpContext context, ResourceInfo type, string ns, string name, JsonObject config, bool dryRun, bool statusOnly)
    {
        string? manager = context.Request.Query["fieldManager"];
        if (string.IsNullOrEmpty(manager))
        {
            throw ApiException.Invalid(type, name, "metadata.managedFields.manager", "FieldValueRequired", "Required value: is required for apply patch");
        }

        CheckTypeMeta(config, type);
        if (config["kind"] is null || config["apiVersion"] is null)
        {
            throw ApiException.BadRequest("apply configuration must include kind and apiVersion");
        }

        JsonObject meta = Metadata(config);
        if ((meta["name"]?.ToString() ?? "") != name)
        {
            throw ApiException.BadRequest($"the name of the object ({meta["name"]}) does not match the name on the URL ({name})");
        }

        CheckNamespace(type, meta, ns);
        if (type.Namespaced && !_store.NamespaceExists(ns))
        {
            throw ApiException.NamespaceNotFound(ns);
        }

        bool created = false;
        var (stored, _) = _store.Put(type, ns, name, (current, rv) =>
        {
            JsonObject applied = (JsonObject)config.DeepClone();
            if (current is null)
            {
                created = true;
                JsonObject obj = (JsonObject)config.DeepClone();
                JsonObject m = Metadata(obj);
                m["uid"] = Guid.NewGuid().ToString();
                m["creationTimestamp"] = Timestamp(Now);
                if (type.HasGeneration)
                {
                    m["generation"] = 1;
                }

                SetManagedFields(m, manager, type, applied);
                ApplyDefaults(type, obj, name);
                ApplyCreateDefaults(type, obj);
                return obj;
            }

            JsonObject live = current.ToJson();
            JsonObject merged = (JsonObject)Patches.StrategicMerge(current.ToJson(), config, applyNulls: false)!;
            CheckPatchedIdentity(type, current, merged, name);
            if (statusOnly)
            {
                merged = WithStatusOf(live, merged);
            }

            Metadata(merged)["managedFields"] = Metadata(live)["managedFields"]?.DeepClone();
            FinishUpdate(type, live, merged);

            // Only touch managedFields (and its timestamp) when the configuration changed something else.
            var probe = (JsonObject)merged.DeepClone();
            Metadata(probe)["resourceVersion"] = Metadata(live)["resourceVersion"]?.DeepClone();
            if (!JsonNode.DeepEquals(probe, live))
            {
                SetManagedFields(Metadata(merged), manager, type, applied);
            }

            return merged;
        }, dryRun);

        if (!dryRun)
        {
            OnWritten(type, stored);
        }

        return (stored, created);
    }

    private void SetManagedFields(JsonObject meta, string manager, ResourceInfo type, JsonObject applied)
    {
        var entries = (meta["managedFields"] as JsonArray)?.Where(e => !(e?["manager"]?.ToString() == manager && e?["operation"]?.ToString() == "Apply"))
            .Select(e => e!.DeepClone()).ToList() ?? [];
        entries.Add(new JsonObject
        {
            ["manager"] = manager,
            ["operation"] = "Apply",
            ["apiVersion"] = type.ApiVersion,
            ["time"] = Timestamp(Now),
            ["fieldsType"] = "FieldsV1",
            ["fieldsV1"] = Patches.FieldSet(applied),
        });
        meta["managedFields"] = new JsonArray(entries.ToArray());
    }

    private async Task DeleteAsync(HttpContext context, ResourceInfo type, string ns, string name)
    {
        JsonObject? options = null;
        if (context.Request.ContentLength is > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            byte[] body = await ReadBodyAsync(context).ConfigureAwait(false);
            if (body.Length > 0)
            {
                options = Patches.ParseJson(body) as JsonObject;
            }
        }

        bool dryRun = context.Request.Query["dryRun"].Count > 0 || options?["dryRun"] is JsonArray { Count: > 0 };
        string? uid = options?["preconditions"]?["uid"]?.ToString();
        string? rv = options?["preconditions"]?["resourceVersion"]?.ToString();
        StoredObject deleted = DeleteObject(type, ns, name, uid, rv, dryRun);
        if (type.ReturnsDeletedObject)
        {
            await WriteObjectAsync(context, 200, deleted).ConfigureAwait(false);
            return;
        }

        var details = new JsonObject { ["name"] = name };
        if (type.Type.Group.Length > 0)
        {
            details["group"] = type.Type.Group;
        }

        details["kind"] = type.Type.Plural;
        details["uid"] = deleted.Uid;
        await WriteJsonAsync(context, 200, new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Success",
            ["details"] = details,
        }).ConfigureAwait(false);
    }

    internal StoredObject DeleteObject(ResourceInfo type, string ns, string name, string? uid, string? rv, bool dryRun)
    {
        void Check(StoredObject current)
        {
            if (!string.IsNullOrEmpty(uid) && uid != current.Uid)
            {
                throw ApiException.ConflictPrecondition(type, name, $"Precondition failed: UID in precondition: {uid}, UID in object meta: {current.Uid}");
            }

            if (!string.IsNullOrEmpty(rv) && rv != ListSnapshots.Format(current.ResourceVersion))
            {
                throw ApiException.ConflictPrecondition(type, name, $"Precondition failed: ResourceVersion in precondition: {rv}, ResourceVersion in object meta: {current.ResourceVersion}");
            }
        }

        if (dryRun)
        {
            StoredObject current = _store.Get(type, ns, name) ?? throw ApiException.NotFound(type, name);
            Check(current);
            return current;
        }

        bool isNamespace = type.Key == "/namespaces";
        StoredObject deleted = _store.Remove(type, ns, name, Check, last =>
        {
            JsonObject meta = Metadata(last);
            meta["deletionTimestamp"] = Timestamp(Now);
            meta["deletionGracePeriodSeconds"] = 0;
            if (isNamespace)
            {
                last["status"] = new JsonObject { ["phase"] = "Terminating" };
            }
        }) ?? throw ApiException.NotFound(type, name);

        if (isNamespace)
        {
            _store.RemoveNamespaceContents(name, _registry.All);
            _logs.RemoveNamespace(name);
        }
        else if (type.Key == "/pods")
        {
            _logs.Remove(ns, name);
        }
        else if (type.Key == "apiextensions.k8s.io/customresourcedefinitions")
        {
            UnregisterCustomResources(deleted.ToJson());
        }

        return deleted;
    }

    private async Task DeleteCollectionAsync(HttpContext context, ResourceInfo type, string? ns)
    {
        IQueryCollection query = context.Request.Query;
        Func<StoredObject, bool>? labels = Selectors.ParseLabels(query["labelSelector"]);
        Func<StoredObject, bool>? fields = Selectors.ParseFields(query["fieldSelector"], type);
        bool dryRun = query["dryRun"].Count > 0;
        var (items, _) = _store.List(type, ns, item => (labels?.Invoke(item) ?? true) && (fields?.Invoke(item) ?? true));
        var deleted = new JsonArray();
        foreach (StoredObject item in items)
        {
            try
            {
                deleted.Add(DeleteObject(type, item.Namespace, item.Name, null, null, dryRun).ToJson());
            }
            catch (ApiException ex) when (ex.Code == 404)
            {
                // Deleted concurrently: deletecollection tolerates it.
            }
        }

        await WriteJsonAsync(context, 200, new JsonObject
        {
            ["kind"] = type.ListKind,
            ["apiVersion"] = type.ApiVersion,
            ["metadata"] = new JsonObject { ["resourceVersion"] = ListSnapshots.Format(_store.ResourceVersion) },
            ["items"] = deleted,
        }).ConfigureAwait(false);
    }

    private static JsonObject Metadata(JsonObject obj)
    {
        if (obj["metadata"] is JsonObject meta)
        {
            return meta;
        }

        if (obj["metadata"] is not null)
        {
            throw ApiException.BadRequest("metadata must be an object");
        }

        meta = new JsonObject();
        obj["metadata"] = meta;
        return meta;
    }

    private static void CheckTypeMeta(JsonObject obj, ResourceInfo type)
    {
        if (obj["apiVersion"] is JsonNode apiVersion && apiVersion.ToString() != type.ApiVersion)
        {
            throw ApiException.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({type.ApiVersion})");
        }

        if (obj["kind"] is JsonNode kind && kind.ToString() != type.Kind)
        {
            throw ApiException.BadRequest($"the kind in the data ({kind}) does not match the expected kind ({type.Kind})");
        }
    }

    private static void CheckNamespace(ResourceInfo type, JsonObject metadata, string ns)
    {
        if (!type.Namespaced)
        {
            metadata.Remove("namespace");
            return;
        }

        string? bodyNs = metadata["namespace"]?.ToString();
        if (!string.IsNullOrEmpty(bodyNs) && bodyNs != ns)
        {
            throw ApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }

        metadata["namespace"] = ns;
    }

    private static void ValidateName(ResourceInfo type, string name)
    {
        bool label = type.Key is "/namespaces" or "/services";
        bool ok = name.Length <= (label ? 63 : 253)
            && name.Split('.').All(part => part.Length > 0 && char.IsAsciiLetterLower(part[0]) | char.IsAsciiDigit(part[0])
                && (char.IsAsciiLetterLower(part[^1]) || char.IsAsciiDigit(part[^1]))
                && part.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
            && (!label || !name.Contains('.', StringComparison.Ordinal));
        if (!ok)
        {
            string rule = label
                ? "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
                : "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
            throw ApiException.Invalid(type, name, "metadata.name", "FieldValueInvalid", $"Invalid value: \"{name}\": {rule}");
        }
    }

    internal static string Timestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>The defaulting the real server's strategies do that clients can see.</summary>
    private static void ApplyDefaults(ResourceInfo type, JsonObject obj, string name)
    {
        switch (type.Key)
        {
            case "/namespaces":
            {
                JsonObject meta = Metadata(obj);
                var labels = meta["labels"] as JsonObject ?? new JsonObject();
                labels["kubernetes.io/metadata.name"] = name;
                meta["labels"] = labels;
                obj["spec"] ??= new JsonObject { ["finalizers"] = new JsonArray("kubernetes") };
                obj["status"] ??= new JsonObject { ["phase"] = "Active" };
                break;
            }

            case "/secrets":
                if (string.IsNullOrEmpty(obj["type"]?.ToString()))
                {
                    obj["type"] = "Opaque";
                }

                if (obj["stringData"] is JsonObject stringData)
                {
                    var data = obj["data"] as JsonObject ?? new JsonObject();
                    foreach (var (key, value) in stringData)
                    {
                        data[key] = Convert.ToBase64String(Encoding.UTF8.GetBytes(value?.ToString() ?? ""));
                    }

                    obj.Remove("stringData");
                    obj["data"] = data;
                }

                break;
            case "/pods":
                obj["status"] ??= new JsonObject { ["phase"] = "Pending", ["qosClass"] = "BestEffort" };
                break;
            case "apps/deployments" or "apps/statefulsets" or "apps/replicasets":
                if (obj["spec"] is JsonObject spec)
                {
                    spec["replicas"] ??= 1;
                }

                break;
            case "/services":
                if (obj["spec"] is JsonObject serviceSpec)
                {
                    serviceSpec["type"] ??= "ClusterIP";
                }

                break;
        }
    }

    /// <summary>Defaults only a creation gets: a Service's cluster IP, a CustomResourceDefinition's accepted status.</summary>
    private void ApplyCreateDefaults(ResourceInfo type, JsonObject obj)
    {
        if (type.Key == "/services" && obj["spec"] is JsonObject spec && spec["clusterIP"] is null && spec["type"]?.ToString() != "ExternalName")
        {
            int n = Interlocked.Increment(ref _nextServiceIp);
            string ip = $"10.96.{(n >> 8) & 255}.{n & 255}";
            spec["clusterIP"] = ip;
            spec["clusterIPs"] = new JsonArray(ip);
        }

        if (type.Key == "apiextensions.k8s.io/customresourcedefinitions" && obj["status"]?["conditions"] is null)
        {
            JsonNode? crdSpec = obj["spec"];
            var versions = crdSpec?["versions"] as JsonArray;
            string storage = versions?.FirstOrDefault(v => v?["storage"] is JsonValue s && s.GetValueKind() == JsonValueKind.True)?["name"]?.ToString()
                ?? versions?.FirstOrDefault()?["name"]?.ToString() ?? "";
            string now = Timestamp(Now);
            obj["status"] = new JsonObject
            {
                ["conditions"] = new JsonArray(
                    new JsonObject { ["type"] = "NamesAccepted", ["status"] = "True", ["lastTransitionTime"] = now, ["reason"] = "NoConflicts", ["message"] = "no conflicts found" },
                    new JsonObject { ["type"] = "Established", ["status"] = "True", ["lastTransitionTime"] = now, ["reason"] = "InitialNamesAccepted", ["message"] = "the initial names have been accepted" }),
                ["acceptedNames"] = crdSpec?["names"]?.DeepClone(),
                ["storedVersions"] = new JsonArray(storage),
            };
        }
    }

    /// <summary>Side effects of a stored write: a CustomResourceDefinition registers its resource types.</summary>
    private void OnWritten(ResourceInfo type, StoredObject stored)
    {
        if (type.Key != "apiextensions.k8s.io/customresourcedefinitions")
        {
            return;
        }

        JsonObject crd = stored.ToJson();
        JsonNode? spec = crd["spec"];
        string group = spec?["group"]?.ToString() ?? "";
        JsonNode? names = spec?["names"];
        string plural = names?["plural"]?.ToString() ?? "";
        string kind = names?["kind"]?.ToString() ?? "";
        bool namespaced = spec?["scope"]?.ToString() != "Cluster";
        var versions = (spec?["versions"] as JsonArray)?.Where(v => v?["served"] is not JsonValue s || s.GetValueKind() == JsonValueKind.True).Select(v => v?["name"]?.ToString() ?? "").Where(v => v.Length > 0).ToList() ?? [];
        foreach (string version in versions)
        {
            try
            {
                _registry.Register(new EmulatorResourceType(group, version, plural, kind, namespaced)
                {
                    Singular = names?["singular"]?.ToString(),
                    ShortNames = (names?["shortNames"] as JsonArray)?.Select(n => n?.ToString() ?? "").ToList() ?? [],
                    Categories = (names?["categories"] as JsonArray)?.Select(n => n?.ToString() ?? "").ToList() ?? [],
                }, builtIn: false);
            }
            catch (ArgumentException)
            {
                // An invalid or built-in name: the definition is stored but serves nothing, as a rejected CRD would.
            }
        }
    }

    private void UnregisterCustomResources(JsonObject crd)
    {
        string group = crd["spec"]?["group"]?.ToString() ?? "";
        string plural = crd["spec"]?["names"]?["plural"]?.ToString() ?? "";
        foreach (ResourceInfo info in _registry.All.Where(r => !r.BuiltIn && r.Type.Group == group && r.Type.Plural == plural))
        {
            foreach (StoredObject item in _store.List(info, null, null).Items)
            {
                _store.Remove(info, item.Namespace, item.Name);
            }

            _registry.Unregister(info);
        }
    }
}
