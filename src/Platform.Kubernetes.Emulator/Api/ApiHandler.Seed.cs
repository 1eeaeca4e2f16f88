using System.Text.Json.Nodes;
using Platform.Kubernetes.Emulator.Storage;

namespace Platform.Kubernetes.Emulator.Api;

internal sealed partial class ApiHandler
{
    /// <summary>
    /// Creates or replaces an object as a seed: the type comes from <c>apiVersion</c>/<c>kind</c>, a namespaced
    /// object without a namespace goes to <c>default</c>, a missing namespace is created, a given
    /// <c>resourceVersion</c> is ignored and <c>status</c> is kept.
    /// </summary>
    internal StoredObject Seed(JsonObject source)
    {
        var obj = (JsonObject)source.DeepClone();
        string apiVersion = obj["apiVersion"]?.ToString() ?? throw ApiException.BadRequest("the object has no apiVersion");
        string kind = obj["kind"]?.ToString() ?? throw ApiException.BadRequest("the object has no kind");
        int slash = apiVersion.IndexOf('/');
        string group = slash < 0 ? "" : apiVersion[..slash];
        string version = slash < 0 ? apiVersion : apiVersion[(slash + 1)..];
        ResourceInfo type = _registry.FindByKind(group, version, kind)
            ?? throw ApiException.BadRequest($"no resource type is served for apiVersion {apiVersion}, kind {kind}; register it (EmulatorOptions.ResourceTypes) or seed its CustomResourceDefinition first");
        JsonObject meta = Metadata(obj);
        meta.Remove("resourceVersion");
        meta.Remove("uid");
        string ns = "";
        if (type.Namespaced)
        {
            ns = meta["namespace"]?.ToString() is { Length: > 0 } given ? given : "default";
            meta["namespace"] = ns;
            if (!_store.NamespaceExists(ns))
            {
                try
                {
                    CreateObject(_registry.Namespaces, "", new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = ns } }, dryRun: false);
                }
                catch (ApiException ex) when (ex.Code == 409)
                {
                    // Created concurrently.
                }
            }
        }

        string name = meta["name"]?.ToString() ?? "";
        if (name.Length > 0 && _store.Get(type, ns, name) is not null)
        {
            var (replaced, _) = _store.Put(type, ns, name, (current, rv) =>
            {
                if (current is null)
                {
                    throw ApiException.NotFound(type, name);
                }

                FinishUpdate(type, current.ToJson(), obj);
                return obj;
            });
            OnWritten(type, replaced);
            return replaced;
        }

        return CreateObject(type, ns, obj, dryRun: false);
    }

    /// <summary>Expires every outstanding continue token.</summary>
    internal void ClearSnapshots() => _snapshots.Clear();
}
