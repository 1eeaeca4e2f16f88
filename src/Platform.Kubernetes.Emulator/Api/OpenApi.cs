using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Platform.Kubernetes.Emulator.Storage;

namespace Platform.Kubernetes.Emulator.Api;

/// <summary>
/// A minimal OpenAPI v3 surface: the <c>/openapi/v3</c> index and one document per group-version with every
/// resource's paths and operations (tagged with <c>x-kubernetes-group-version-kind</c>, the PATCH operation with
/// the <c>fieldValidation</c> parameter) and a permissive schema per kind. That is what kubectl reads to learn that
/// the server validates fields itself, so <c>kubectl create -f</c> and <c>apply</c> work with default flags.
/// </summary>
internal static class OpenApi
{
    public static JsonObject Index(IReadOnlyList<ResourceInfo> types)
    {
        var paths = new JsonObject();
        foreach (var gv in types.GroupBy(t => (t.Type.Group, t.Type.Version)))
        {
            string key = GroupVersionPath(gv.Key.Group, gv.Key.Version);
            paths[key] = new JsonObject { ["serverRelativeURL"] = "/openapi/v3/" + key + "?hash=" + Hash(Document(types, gv.Key.Group, gv.Key.Version)!) };
        }

        return new JsonObject { ["paths"] = paths };
    }

    public static string GroupVersionPath(string group, string version) => group.Length == 0 ? "api/" + version : "apis/" + group + "/" + version;

    public static JsonObject? Document(IReadOnlyList<ResourceInfo> types, string group, string version)
    {
        var selected = types.Where(t => t.Type.Group == group && t.Type.Version == version).ToList();
        if (selected.Count == 0)
        {
            return null;
        }

        var paths = new JsonObject();
        var schemas = new JsonObject();
        string prefix = "/" + GroupVersionPath(group, version);
        foreach (ResourceInfo info in selected)
        {
            EmulatorResourceType t = info.Type;
            string schemaName = SchemaName(t);
            var gvk = new JsonObject { ["group"] = t.Group, ["version"] = t.Version, ["kind"] = t.Kind };
            string collection = t.Namespaced ? $"{prefix}/namespaces/{{namespace}}/{t.Plural}" : $"{prefix}/{t.Plural}";
            string item = collection + "/{name}";
            paths[collection] = new JsonObject
            {
                ["get"] = Operation("list", gvk, schemaName, []),
                ["post"] = Operation("post", gvk, schemaName, ["dryRun", "fieldManager", "fieldValidation"]),
                ["delete"] = Operation("deletecollection", gvk, schemaName, ["labelSelector", "fieldSelector", "dryRun"]),
            };
            paths[item] = new JsonObject
            {
                ["get"] = Operation("get", gvk, schemaName, []),
                ["put"] = Operation("put", gvk, schemaName, ["dryRun", "fieldManager", "fieldValidation"]),
                ["patch"] = Operation("patch", gvk, schemaName, ["dryRun", "fieldManager", "fieldValidation", "force"]),
                ["delete"] = Operation("delete", gvk, schemaName, ["dryRun"]),
            };
            schemas[schemaName] = new JsonObject
            {
                ["description"] = $"{t.Kind} ({t.ApiVersion}), served by the Platform SDK Kubernetes emulator; fields are not validated.",
                ["type"] = "object",
                ["x-kubernetes-preserve-unknown-fields"] = true,
                ["x-kubernetes-group-version-kind"] = new JsonArray(gvk.DeepClone()),
            };
        }

        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = "unversioned" },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = schemas },
        };
    }

    private static string SchemaName(EmulatorResourceType t)
    {
        string group = t.Group.Length == 0 ? "core" : t.Group;
        return $"io.k8s.emulated.{group}.{t.Version}.{t.Kind}";
    }

    private static JsonObject Operation(string action, JsonObject gvk, string schemaName, string[] queryParameters)
    {
        var parameters = new JsonArray();
        foreach (string name in queryParameters)
        {
            parameters.Add(new JsonObject
            {
                ["name"] = name,
                ["in"] = "query",
                ["schema"] = new JsonObject { ["type"] = name == "force" ? "boolean" : "string", ["uniqueItems"] = true },
            });
        }

        var reference = new JsonObject { ["$ref"] = "#/components/schemas/" + schemaName };
        return new JsonObject
        {
            ["parameters"] = parameters,
            ["responses"] = new JsonObject
            {
                ["200"] = new JsonObject
                {
                    ["description"] = "OK",
                    ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = reference } },
                },
            },
            ["x-kubernetes-action"] = action,
            ["x-kubernetes-group-version-kind"] = gvk.DeepClone(),
        };
    }

    private static string Hash(JsonObject document) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(document.ToJsonString())))[..32];
}
