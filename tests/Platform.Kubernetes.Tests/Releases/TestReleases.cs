using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using Platform.Kubernetes.Releases;

namespace Platform.Kubernetes.Tests.Releases;

/// <summary>Release fixtures in Helm 3 and Helm 4 JSON forms (field names and shapes from Helm's release structs).</summary>
internal static class TestReleases
{
    public static readonly DateTimeOffset Epoch = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A Helm 4 style release (no zero times, apply_method), decoded through the codec so it has a Document.</summary>
    public static HelmRelease Build(
        string name,
        int version,
        string @namespace = "default",
        ReleaseStatus status = ReleaseStatus.Deployed,
        string chart = "nginx",
        string chartVersion = "1.2.3",
        string appVersion = "1.25.0",
        DateTimeOffset? lastDeployed = null,
        IReadOnlyDictionary<string, string>? labels = null)
    {
        DateTimeOffset deployed = lastDeployed ?? Epoch.AddMinutes(version);
        var json = new JsonObject
        {
            ["name"] = name,
            ["info"] = new JsonObject
            {
                ["first_deployed"] = "2025-03-01T12:00:00.123456789Z",
                ["last_deployed"] = HelmReleaseCodec.FormatTime(deployed),
                ["description"] = version == 1 ? "Install complete" : "Upgrade complete",
                ["status"] = status.ToHelmString(),
                ["notes"] = $"Thank you for installing {chart}. Revision {version}.",
            },
            ["chart"] = new JsonObject
            {
                ["metadata"] = new JsonObject
                {
                    ["name"] = chart,
                    ["version"] = chartVersion,
                    ["description"] = "A test chart",
                    ["apiVersion"] = "v2",
                    ["appVersion"] = appVersion,
                    ["type"] = "application",
                },
                ["lock"] = null,
                ["templates"] = new JsonArray(new JsonObject
                {
                    ["name"] = "templates/deployment.yaml",
                    ["data"] = Convert.ToBase64String(Encoding.UTF8.GetBytes("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n")),
                }),
                ["values"] = new JsonObject { ["replicaCount"] = 1, ["image"] = new JsonObject { ["tag"] = appVersion } },
                ["schema"] = null,
                ["files"] = new JsonArray(),
            },
            ["config"] = new JsonObject { ["replicaCount"] = version, ["service"] = new JsonObject { ["type"] = "ClusterIP" } },
            ["manifest"] = $"---\n# Source: {chart}/templates/deployment.yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\nspec:\n  replicas: {version}\n",
            ["hooks"] = new JsonArray(new JsonObject
            {
                ["name"] = name + "-test",
                ["kind"] = "Pod",
                ["path"] = chart + "/templates/tests/test.yaml",
                ["manifest"] = "apiVersion: v1\nkind: Pod\n",
                ["events"] = new JsonArray("test"),
                ["last_run"] = new JsonObject { ["started_at"] = "", ["completed_at"] = "", ["phase"] = "" },
                ["weight"] = 0,
                ["delete_policies"] = new JsonArray("before-hook-creation"),
            }),
            ["version"] = version,
            ["namespace"] = @namespace,
            ["apply_method"] = "ssa",
        };
        return HelmReleaseCodec.FromJson(Encoding.UTF8.GetBytes(json.ToJsonString()), labels);
    }

    /// <summary>A Helm 3 (3.13+) record as written: zero <c>deleted</c> time, no apply_method.</summary>
    public const string Helm3Json = """
        {"name":"grafana","info":{"first_deployed":"2024-06-11T09:14:02.527158304+02:00","last_deployed":"2024-06-12T10:01:44.118427761+02:00","deleted":"0001-01-01T00:00:00Z","description":"Upgrade complete","status":"deployed","notes":"1. Get your 'admin' user password"},"chart":{"metadata":{"name":"grafana","home":"https://grafana.com","sources":["https://github.com/grafana/grafana"],"version":"7.3.11","description":"The leading tool for querying and visualizing time series and metrics.","keywords":["monitoring","metric"],"maintainers":[{"name":"zanhsieh","email":"zanhsieh@gmail.com"}],"icon":"https://raw.githubusercontent.com/grafana/grafana/master/public/img/logo_transparent_400x400.png","apiVersion":"v2","appVersion":"10.4.1","kubeVersion":"^1.8.0-0","type":"application"},"lock":null,"templates":[{"name":"templates/NOTES.txt","data":"MS4gR2V0IHlvdXIgJ2FkbWluJyB1c2VyIHBhc3N3b3Jk"}],"values":{"replicas":1},"schema":null,"files":[{"name":"README.md","data":"IyBHcmFmYW5h"}]},"config":{"adminPassword":"secret"},"manifest":"---\n# Source: grafana/templates/serviceaccount.yaml\napiVersion: v1\nkind: ServiceAccount\n","hooks":[{"name":"grafana-test","kind":"Pod","path":"grafana/templates/tests/test.yaml","manifest":"apiVersion: v1\nkind: Pod","events":["test"],"last_run":{"started_at":"","completed_at":"","phase":""},"delete_policies":["before-hook-creation","hook-succeeded"]}],"version":2,"namespace":"monitoring"}
        """;

    public static string GzipBase64(string json)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(json));
        }

        return Convert.ToBase64String(buffer.ToArray());
    }
}
