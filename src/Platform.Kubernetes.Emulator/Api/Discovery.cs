using System.Text.Json.Nodes;
using Platform.Kubernetes.Emulator.Storage;

namespace Platform.Kubernetes.Emulator.Api;

/// <summary>The legacy discovery documents: <c>/api</c>, <c>/apis</c>, <c>/apis/{group}</c> and the resource lists.</summary>
internal static class Discovery
{
    private static readonly string[] AllVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

    public static JsonObject ApiVersions(string serverAddress) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress }),
    };

    public static JsonObject GroupList(IReadOnlyList<ResourceInfo> types)
    {
        var groups = new JsonArray();
        foreach (var group in types.Where(t => t.Type.Group.Length > 0).GroupBy(t => t.Type.Group))
        {
            groups.Add(Group(group.Key, group.Select(t => t.Type.Version).Distinct().ToList(), withTypeMeta: false));
        }

        return new JsonObject { ["kind"] = "APIGroupList", ["apiVersion"] = "v1", ["groups"] = groups };
    }

    public static JsonObject? Group(IReadOnlyList<ResourceInfo> types, string group)
    {
        var versions = types.Where(t => t.Type.Group == group).Select(t => t.Type.Version).Distinct().ToList();
        return versions.Count == 0 ? null : Group(group, versions, withTypeMeta: true);
    }

    public static JsonObject? ResourceList(IReadOnlyList<ResourceInfo> types, string group, string version)
    {
        var selected = types.Where(t => t.Type.Group == group && t.Type.Version == version).ToList();
        if (selected.Count == 0)
        {
            return null;
        }

        var resources = new JsonArray();
        foreach (ResourceInfo info in selected)
        {
            EmulatorResourceType t = info.Type;
            var resource = new JsonObject
            {
                ["name"] = t.Plural,
                ["singularName"] = t.Singular ?? t.Kind.ToLowerInvariant(),
                ["namespaced"] = t.Namespaced,
                ["kind"] = t.Kind,
                ["verbs"] = new JsonArray(AllVerbs.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray()),
            };
            if (t.ShortNames.Count > 0)
            {
                resource["shortNames"] = new JsonArray(t.ShortNames.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
            }

            if (t.Categories.Count > 0)
            {
                resource["categories"] = new JsonArray(t.Categories.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
            }

            resources.Add(resource);
            if (info.Key == "/pods")
            {
                resources.Add(new JsonObject { ["name"] = "pods/log", ["singularName"] = "", ["namespaced"] = true, ["kind"] = "Pod", ["verbs"] = new JsonArray("get") });
            }

            if (!info.BuiltIn || info.HasGeneration || info.Key is "/namespaces" or "/services" or "/nodes" or "/persistentvolumeclaims")
            {
                resources.Add(new JsonObject { ["name"] = t.Plural + "/status", ["singularName"] = "", ["namespaced"] = t.Namespaced, ["kind"] = t.Kind, ["verbs"] = new JsonArray("get", "patch", "update") });
            }
        }

        var list = new JsonObject { ["kind"] = "APIResourceList" };
        if (group.Length > 0)
        {
            list["apiVersion"] = "v1";
        }

        list["groupVersion"] = group.Length == 0 ? version : group + "/" + version;
        list["resources"] = resources;
        return list;
    }

    public static JsonObject Version(string gitVersion)
    {
        // gitVersion is vMAJOR.MINOR.PATCH[-suffix].
        string[] parts = gitVersion.TrimStart('v').Split('.', '-', '+');
        return new JsonObject
        {
            ["major"] = parts.ElementAtOrDefault(0) ?? "1",
            ["minor"] = parts.ElementAtOrDefault(1) ?? "0",
            ["gitVersion"] = gitVersion,
            ["gitCommit"] = "0000000000000000000000000000000000000000",
            ["gitTreeState"] = "clean",
            ["buildDate"] = "2024-12-11T00:00:00Z",
            ["goVersion"] = "go1.23.3",
            ["compiler"] = "gc",
            ["platform"] = "linux/amd64",
        };
    }

    private static JsonObject Group(string name, List<string> versions, bool withTypeMeta)
    {
        var list = new JsonArray();
        foreach (string v in versions)
        {
            list.Add(new JsonObject { ["groupVersion"] = name + "/" + v, ["version"] = v });
        }

        var group = new JsonObject();
        if (withTypeMeta)
        {
            group["kind"] = "APIGroup";
            group["apiVersion"] = "v1";
        }

        group["name"] = name;
        group["versions"] = list;
        group["preferredVersion"] = new JsonObject { ["groupVersion"] = name + "/" + versions[0], ["version"] = versions[0] };
        return group;
    }
}
