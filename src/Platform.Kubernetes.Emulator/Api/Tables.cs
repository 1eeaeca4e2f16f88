using System.Globalization;
using System.Text.Json.Nodes;
using Platform.Kubernetes.Emulator.Storage;

namespace Platform.Kubernetes.Emulator.Api;

/// <summary>
/// Server-side printing: the <c>meta.k8s.io/v1 Table</c> kubectl asks for, with the first columns kubectl shows
/// for the common kinds (NAME, AGE and a few per kind) and NAME/AGE for everything else.
/// </summary>
internal static class Tables
{
    private sealed record Column(string Name, string Type, string Description, Func<JsonObject, DateTimeOffset, object> Cell, string Format = "");

    private static readonly Column Name = new("Name", "string", "Name must be unique within a namespace.", (o, _) => Meta(o, "name"), "name");

    private static readonly Column Age = new("Age", "string", "CreationTimestamp is a timestamp representing the server time when this object was created.", (o, now) => AgeOf(o, now));

    public static JsonObject Build(ResourceInfo type, IEnumerable<JsonObject> objects, string resourceVersion, string? continueToken, string includeObject, DateTimeOffset now, string apiVersion = "meta.k8s.io/v1")
    {
        Column[] columns = ColumnsFor(type);
        var definitions = new JsonArray();
        foreach (Column column in columns)
        {
            definitions.Add(new JsonObject
            {
                ["name"] = column.Name,
                ["type"] = column.Type,
                ["format"] = column.Format,
                ["description"] = column.Description,
                ["priority"] = 0,
            });
        }

        var rows = new JsonArray();
        foreach (JsonObject obj in objects)
        {
            var cells = new JsonArray();
            foreach (Column column in columns)
            {
                cells.Add(column.Cell(obj, now) switch
                {
                    long n => JsonValue.Create(n),
                    var other => JsonValue.Create(other.ToString()),
                });
            }

            var row = new JsonObject { ["cells"] = cells };
            if (includeObject == "Object")
            {
                row["object"] = obj;
            }
            else if (includeObject != "None")
            {
                row["object"] = PartialMetadata(obj);
            }

            rows.Add(row);
        }

        var metadata = new JsonObject { ["resourceVersion"] = resourceVersion };
        if (continueToken is not null)
        {
            metadata["continue"] = continueToken;
        }

        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = apiVersion,
            ["metadata"] = metadata,
            ["columnDefinitions"] = definitions,
            ["rows"] = rows,
        };
    }

    public static JsonObject PartialMetadata(JsonObject obj) => new()
    {
        ["kind"] = "PartialObjectMetadata",
        ["apiVersion"] = "meta.k8s.io/v1",
        ["metadata"] = obj["metadata"]?.DeepClone(),
    };

    private static Column[] ColumnsFor(ResourceInfo type) => type.Key switch
    {
        "/pods" =>
        [
            Name,
            new("Ready", "string", "The aggregate readiness state of this pod for accepting traffic.", (o, _) => PodReady(o)),
            new("Status", "string", "The aggregate status of the containers in this pod.", (o, _) => PodStatus(o)),
            new("Restarts", "string", "The number of times the containers in this pod have been restarted.", (o, _) => Restarts(o)),
            Age,
        ],
        "/namespaces" => [Name, new("Status", "string", "The status of the namespace", (o, _) => Str(o, "status", "phase")), Age],
        "/secrets" =>
        [
            Name,
            new("Type", "string", "The type of the secret", (o, _) => Str(o, "type")),
            new("Data", "string", "The number of data items", (o, _) => (long)((o["data"] as JsonObject)?.Count ?? 0)),
            Age,
        ],
        "/configmaps" => [Name, new("Data", "string", "Number of data items", (o, _) => (long)(((o["data"] as JsonObject)?.Count ?? 0) + ((o["binaryData"] as JsonObject)?.Count ?? 0))), Age],
        "/services" =>
        [
            Name,
            new("Type", "string", "The type of the service.", (o, _) => Str(o, "spec", "type")),
            new("Cluster-IP", "string", "The IP address of the service.", (o, _) => OrNone(Str(o, "spec", "clusterIP"))),
            new("External-IP", "string", "The external IP addresses of the service.", (o, _) => "<none>"),
            new("Port(s)", "string", "The ports of the service.", (o, _) => Ports(o)),
            Age,
        ],
        "apps/deployments" =>
        [
            Name,
            new("Ready", "string", "Number of the pod with ready state", (o, _) => $"{Num(o, "status", "readyReplicas")}/{Num(o, "spec", "replicas")}"),
            new("Up-to-date", "integer", "Total number of non-terminated pods targeted by this deployment that have the desired template spec.", (o, _) => Num(o, "status", "updatedReplicas")),
            new("Available", "integer", "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.", (o, _) => Num(o, "status", "availableReplicas")),
            Age,
        ],
        "apps/statefulsets" => [Name, new("Ready", "string", "Number of the pod with ready state", (o, _) => $"{Num(o, "status", "readyReplicas")}/{Num(o, "spec", "replicas")}"), Age],
        "apps/replicasets" =>
        [
            Name,
            new("Desired", "integer", "Number of desired pods.", (o, _) => Num(o, "spec", "replicas")),
            new("Current", "integer", "Number of actually running pods.", (o, _) => Num(o, "status", "replicas")),
            new("Ready", "integer", "Number of ready pods.", (o, _) => Num(o, "status", "readyReplicas")),
            Age,
        ],
        "apps/daemonsets" =>
        [
            Name,
            new("Desired", "integer", "The number of nodes that should be running the daemon pod.", (o, _) => Num(o, "status", "desiredNumberScheduled")),
            new("Current", "integer", "The number of nodes running at least one daemon pod.", (o, _) => Num(o, "status", "currentNumberScheduled")),
            new("Ready", "integer", "The number of nodes running a ready daemon pod.", (o, _) => Num(o, "status", "numberReady")),
            Age,
        ],
        "batch/jobs" =>
        [
            Name,
            new("Completions", "string", "The completed and desired completions.", (o, _) => $"{Num(o, "status", "succeeded")}/{(o["spec"]?["completions"] is JsonValue c ? c.ToString() : "1")}"),
            Age,
        ],
        "batch/cronjobs" =>
        [
            Name,
            new("Schedule", "string", "The schedule for running the job.", (o, _) => Str(o, "spec", "schedule")),
            new("Suspend", "boolean", "Whether the cron job is suspended.", (o, _) => o["spec"]?["suspend"] is JsonValue s && s.GetValue<bool>() ? "True" : "False"),
            new("Active", "integer", "The number of running jobs.", (o, _) => (long)((o["status"]?["active"] as JsonArray)?.Count ?? 0)),
            Age,
        ],
        "/events" =>
        [
            new("Last Seen", "string", "Time of the last occurrence.", (o, now) => AgeOf(o, now, o["lastTimestamp"]?.ToString())),
            new("Type", "string", "Type of this event.", (o, _) => Str(o, "type")),
            new("Reason", "string", "Short, machine understandable string.", (o, _) => Str(o, "reason")),
            new("Object", "string", "The object this event is about.", (o, _) => $"{(o["involvedObject"]?["kind"]?.ToString() ?? "").ToLowerInvariant()}/{o["involvedObject"]?["name"]}"),
            new("Message", "string", "A human-readable description of the status of this operation.", (o, _) => Str(o, "message")),
        ],
        "/persistentvolumeclaims" => [Name, new("Status", "string", "The phase of the claim.", (o, _) => Str(o, "status", "phase")), new("Volume", "string", "The bound volume.", (o, _) => Str(o, "spec", "volumeName")), Age],
        "/nodes" => [Name, new("Status", "string", "The status of the node", (o, _) => NodeReady(o)), Age],
        _ => [Name, Age],
    };

    private static string Meta(JsonObject o, string field) => o["metadata"]?[field]?.ToString() ?? "";

    private static string Str(JsonObject o, params string[] path)
    {
        JsonNode? node = o;
        foreach (string part in path)
        {
            node = node is JsonObject obj ? obj[part] : null;
        }

        return node is JsonValue v ? v.ToString() : "";
    }

    private static long Num(JsonObject o, params string[] path) =>
        long.TryParse(Str(o, path), NumberStyles.Integer, CultureInfo.InvariantCulture, out long n) ? n : 0;

    private static string OrNone(string value) => value.Length == 0 ? "<none>" : value;

    private static string PodReady(JsonObject o)
    {
        int total = (o["spec"]?["containers"] as JsonArray)?.Count ?? 0;
        int ready = (o["status"]?["containerStatuses"] as JsonArray)?.Count(s => s?["ready"] is JsonValue r && r.GetValue<bool>()) ?? 0;
        return $"{ready}/{total}";
    }

    private static string PodStatus(JsonObject o)
    {
        if (o["metadata"]?["deletionTimestamp"] is not null)
        {
            return "Terminating";
        }

        foreach (JsonNode? status in (o["status"]?["containerStatuses"] as JsonArray) ?? [])
        {
            string? waiting = status?["state"]?["waiting"]?["reason"]?.ToString();
            if (!string.IsNullOrEmpty(waiting))
            {
                return waiting;
            }

            string? terminated = status?["state"]?["terminated"]?["reason"]?.ToString();
            if (!string.IsNullOrEmpty(terminated))
            {
                return terminated;
            }
        }

        string reason = Str(o, "status", "reason");
        return reason.Length > 0 ? reason : Str(o, "status", "phase");
    }

    private static long Restarts(JsonObject o) =>
        ((o["status"]?["containerStatuses"] as JsonArray) ?? []).Sum(s => s?["restartCount"] is JsonValue r && r.TryGetValue(out long n) ? n : 0);

    private static string Ports(JsonObject o)
    {
        var ports = (o["spec"]?["ports"] as JsonArray) ?? [];
        string text = string.Join(',', ports.Select(p => $"{p?["port"]}/{p?["protocol"]?.ToString() ?? "TCP"}"));
        return text.Length == 0 ? "<none>" : text;
    }

    private static string NodeReady(JsonObject o)
    {
        foreach (JsonNode? condition in (o["status"]?["conditions"] as JsonArray) ?? [])
        {
            if (condition?["type"]?.ToString() == "Ready")
            {
                return condition["status"]?.ToString() == "True" ? "Ready" : "NotReady";
            }
        }

        return "Unknown";
    }

    private static string AgeOf(JsonObject o, DateTimeOffset now, string? timestamp = null)
    {
        timestamp ??= Meta(o, "creationTimestamp");
        return DateTimeOffset.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset created)
            ? HumanDuration(now - created)
            : "<unknown>";
    }

    /// <summary>Formats a duration as kubectl's <c>duration.HumanDuration</c> does (45s, 3m20s, 5h, 2d3h, 1y20d).</summary>
    public static string HumanDuration(TimeSpan d)
    {
        long seconds = (long)d.TotalSeconds;
        if (seconds < -1)
        {
            return "<invalid>";
        }

        if (seconds < 0)
        {
            return "0s";
        }

        if (seconds < 60 * 2)
        {
            return $"{seconds}s";
        }

        long minutes = seconds / 60;
        if (minutes < 10)
        {
            long s = seconds % 60;
            return s == 0 ? $"{minutes}m" : $"{minutes}m{s}s";
        }

        if (minutes < 60 * 3)
        {
            return $"{minutes}m";
        }

        long hours = minutes / 60;
        if (hours < 8)
        {
            long m = minutes % 60;
            return m == 0 ? $"{hours}h" : $"{hours}h{m}m";
        }

        if (hours < 48)
        {
            return $"{hours}h";
        }

        if (hours < 24 * 8)
        {
            long h = hours % 24;
            return h == 0 ? $"{hours / 24}d" : $"{hours / 24}d{h}h";
        }

        if (hours < 24 * 365 * 2)
        {
            return $"{hours / 24}d";
        }

        if (hours < 24 * 365 * 8)
        {
            long dy = hours / 24 % 365;
            return dy == 0 ? $"{hours / 24 / 365}y" : $"{hours / 24 / 365}y{dy}d";
        }

        return $"{hours / 24 / 365}y";
    }
}
