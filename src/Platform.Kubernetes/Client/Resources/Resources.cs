using System.Text.Json.Nodes;

namespace Platform.Kubernetes.Client;

/// <summary>A core/v1 Secret. <see cref="ToString"/> prints the key names only, never the values.</summary>
public sealed record Secret : IKubernetesObject<Secret>
{
    /// <inheritdoc />
    public static ResourceType Type => ResourceType.Secrets;

    /// <inheritdoc />
    public ObjectMeta Metadata { get; init; } = new();

    /// <summary>Gets the secret type. Defaults to <c>Opaque</c>.</summary>
    public string SecretType { get; init; } = "Opaque";

    /// <summary>Gets the values, already base64-decoded. Empty by default.</summary>
    public IReadOnlyDictionary<string, byte[]> Data { get; init; } = new Dictionary<string, byte[]>();

    /// <summary>Gets whether the secret is immutable, or <see langword="null"/> when unset.</summary>
    public bool? Immutable { get; init; }

    /// <inheritdoc />
    public static Secret FromJson(JsonObject json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var data = Json.BytesMap(json, "data", "Secret");
        foreach (var (k, v) in Json.StringMap(json, "stringData", "Secret"))
        {
            data[k] = System.Text.Encoding.UTF8.GetBytes(v);
        }

        return new Secret
        {
            Metadata = ObjectMeta.FromJson(Json.Obj(json, "metadata", "Secret")),
            SecretType = Json.Str(json, "type", "Secret") ?? "Opaque",
            Data = data,
            Immutable = Json.Bool(json, "immutable", "Secret"),
        };
    }

    /// <inheritdoc />
    public JsonObject ToJson()
    {
        var o = Json.Envelope(Type, Metadata);
        o["type"] = SecretType;
        Json.PutBytes(o, "data", Data);
        if (Immutable is { } immutable)
        {
            o["immutable"] = immutable;
        }

        return o;
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"Secret {Metadata.Namespace}/{Metadata.Name} ({SecretType}; keys: {string.Join(", ", Data.Keys.Order(StringComparer.Ordinal))})";
}

/// <summary>A core/v1 ConfigMap.</summary>
public sealed record ConfigMap : IKubernetesObject<ConfigMap>
{
    /// <inheritdoc />
    public static ResourceType Type => ResourceType.ConfigMaps;

    /// <inheritdoc />
    public ObjectMeta Metadata { get; init; } = new();

    /// <summary>Gets the UTF-8 values. Empty by default.</summary>
    public IReadOnlyDictionary<string, string> Data { get; init; } = new Dictionary<string, string>();

    /// <summary>Gets the binary values, already base64-decoded. Empty by default.</summary>
    public IReadOnlyDictionary<string, byte[]> BinaryData { get; init; } = new Dictionary<string, byte[]>();

    /// <inheritdoc />
    public static ConfigMap FromJson(JsonObject json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return new ConfigMap
        {
            Metadata = ObjectMeta.FromJson(Json.Obj(json, "metadata", "ConfigMap")),
            Data = Json.StringMap(json, "data", "ConfigMap"),
            BinaryData = Json.BytesMap(json, "binaryData", "ConfigMap"),
        };
    }

    /// <inheritdoc />
    public JsonObject ToJson()
    {
        var o = Json.Envelope(Type, Metadata);
        Json.PutMap(o, "data", Data);
        Json.PutBytes(o, "binaryData", BinaryData);
        return o;
    }
}

/// <summary>A core/v1 Namespace.</summary>
public sealed record Namespace : IKubernetesObject<Namespace>
{
    /// <inheritdoc />
    public static ResourceType Type => ResourceType.Namespaces;

    /// <inheritdoc />
    public ObjectMeta Metadata { get; init; } = new();

    /// <summary>Gets <c>status.phase</c> (<c>Active</c> or <c>Terminating</c>), or <see langword="null"/>.</summary>
    public string? Phase { get; init; }

    /// <inheritdoc />
    public static Namespace FromJson(JsonObject json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return new Namespace
        {
            Metadata = ObjectMeta.FromJson(Json.Obj(json, "metadata", "Namespace")),
            Phase = Json.Obj(json, "status", "Namespace") is { } status ? Json.Str(status, "phase", "Namespace.status") : null,
        };
    }

    /// <inheritdoc />
    public JsonObject ToJson()
    {
        var o = Json.Envelope(Type, Metadata);
        if (Phase is not null)
        {
            o["status"] = new JsonObject { ["phase"] = Phase };
        }

        return o;
    }
}

/// <summary>A container of a pod spec.</summary>
/// <param name="Name">The container name.</param>
/// <param name="Image">The image reference.</param>
public sealed record PodContainer(string Name, string? Image);

/// <summary>The status of one container of a pod.</summary>
/// <param name="Name">The container name.</param>
/// <param name="Ready">Whether it passes its readiness probe.</param>
/// <param name="RestartCount">How often it restarted.</param>
/// <param name="State">The state key: <c>waiting</c>, <c>running</c> or <c>terminated</c>, or <see langword="null"/>.</param>
public sealed record PodContainerStatus(string Name, bool Ready, long RestartCount, string? State);

/// <summary>A core/v1 Pod (the fields a log viewer and environment tools read). <see cref="ToJson"/> writes only these fields.</summary>
public sealed record Pod : IKubernetesObject<Pod>
{
    /// <inheritdoc />
    public static ResourceType Type => ResourceType.Pods;

    /// <inheritdoc />
    public ObjectMeta Metadata { get; init; } = new();

    /// <summary>Gets <c>spec.nodeName</c>, or <see langword="null"/>.</summary>
    public string? NodeName { get; init; }

    /// <summary>Gets the containers of <c>spec.containers</c>. Empty by default.</summary>
    public IReadOnlyList<PodContainer> Containers { get; init; } = [];

    /// <summary>Gets the init containers of <c>spec.initContainers</c>. Empty by default.</summary>
    public IReadOnlyList<PodContainer> InitContainers { get; init; } = [];

    /// <summary>Gets <c>status.phase</c> (<c>Pending</c>, <c>Running</c>, <c>Succeeded</c>, <c>Failed</c>, <c>Unknown</c>), or <see langword="null"/>.</summary>
    public string? Phase { get; init; }

    /// <summary>Gets <c>status.podIP</c>, or <see langword="null"/>.</summary>
    public string? PodIP { get; init; }

    /// <summary>Gets <c>status.startTime</c>, or <see langword="null"/>.</summary>
    public DateTimeOffset? StartTime { get; init; }

    /// <summary>Gets <c>status.containerStatuses</c>. Empty by default.</summary>
    public IReadOnlyList<PodContainerStatus> ContainerStatuses { get; init; } = [];

    /// <inheritdoc />
    public static Pod FromJson(JsonObject json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var spec = Json.Obj(json, "spec", "Pod") ?? new JsonObject();
        var status = Json.Obj(json, "status", "Pod") ?? new JsonObject();
        return new Pod
        {
            Metadata = ObjectMeta.FromJson(Json.Obj(json, "metadata", "Pod")),
            NodeName = Json.Str(spec, "nodeName", "Pod.spec"),
            Containers = Containers_(spec, "containers"),
            InitContainers = Containers_(spec, "initContainers"),
            Phase = Json.Str(status, "phase", "Pod.status"),
            PodIP = Json.Str(status, "podIP", "Pod.status"),
            StartTime = Json.Time(status, "startTime", "Pod.status"),
            ContainerStatuses = Json.Objects(status, "containerStatuses", "Pod.status")
                .Select(c => new PodContainerStatus(
                    Json.Str(c, "name", "Pod.status.containerStatuses") ?? "",
                    Json.Bool(c, "ready", "Pod.status.containerStatuses") ?? false,
                    Json.Long(c, "restartCount", "Pod.status.containerStatuses") ?? 0,
                    Json.Obj(c, "state", "Pod.status.containerStatuses")?.Select(kv => kv.Key).FirstOrDefault()))
                .ToList(),
        };

        static List<PodContainer> Containers_(JsonObject spec, string key) =>
            Json.Objects(spec, key, "Pod.spec").Select(c => new PodContainer(Json.Str(c, "name", "Pod.spec." + key) ?? "", Json.Str(c, "image", "Pod.spec." + key))).ToList();
    }

    /// <inheritdoc />
    public JsonObject ToJson()
    {
        var o = Json.Envelope(Type, Metadata);
        var spec = new JsonObject();
        Json.Put(spec, "nodeName", NodeName);
        spec["containers"] = new JsonArray(Containers.Select(c => (JsonNode)Container(c)).ToArray());
        if (InitContainers.Count > 0)
        {
            spec["initContainers"] = new JsonArray(InitContainers.Select(c => (JsonNode)Container(c)).ToArray());
        }

        o["spec"] = spec;
        var status = new JsonObject();
        Json.Put(status, "phase", Phase);
        Json.Put(status, "podIP", PodIP);
        Json.Put(status, "startTime", StartTime?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));
        if (ContainerStatuses.Count > 0)
        {
            status["containerStatuses"] = new JsonArray(ContainerStatuses.Select(s => (JsonNode)new JsonObject
            {
                ["name"] = s.Name,
                ["ready"] = s.Ready,
                ["restartCount"] = s.RestartCount,
                ["state"] = s.State is null ? new JsonObject() : new JsonObject { [s.State] = new JsonObject() },
            }).ToArray());
        }

        if (status.Count > 0)
        {
            o["status"] = status;
        }

        return o;

        static JsonObject Container(PodContainer c)
        {
            var j = new JsonObject { ["name"] = c.Name };
            Json.Put(j, "image", c.Image);
            return j;
        }
    }
}

/// <summary>A condition of a Job, for example <c>Complete</c> or <c>Failed</c>.</summary>
/// <param name="Type">The condition type.</param>
/// <param name="Status"><c>True</c>, <c>False</c> or <c>Unknown</c>.</param>
/// <param name="Reason">The machine-readable reason, or <see langword="null"/>.</param>
/// <param name="Message">The human-readable message, or <see langword="null"/>.</param>
public sealed record JobCondition(string Type, string Status, string? Reason, string? Message);

/// <summary>A batch/v1 Job (its run counters and conditions). <see cref="ToJson"/> writes only these fields.</summary>
public sealed record Job : IKubernetesObject<Job>
{
    /// <inheritdoc />
    public static ResourceType Type => ResourceType.Jobs;

    /// <inheritdoc />
    public ObjectMeta Metadata { get; init; } = new();

    /// <summary>Gets <c>spec.completions</c>, or <see langword="null"/>.</summary>
    public long? Completions { get; init; }

    /// <summary>Gets <c>spec.parallelism</c>, or <see langword="null"/>.</summary>
    public long? Parallelism { get; init; }

    /// <summary>Gets <c>spec.backoffLimit</c>, or <see langword="null"/>.</summary>
    public long? BackoffLimit { get; init; }

    /// <summary>Gets <c>status.active</c>. Defaults to 0.</summary>
    public long Active { get; init; }

    /// <summary>Gets <c>status.succeeded</c>. Defaults to 0.</summary>
    public long Succeeded { get; init; }

    /// <summary>Gets <c>status.failed</c>. Defaults to 0.</summary>
    public long Failed { get; init; }

    /// <summary>Gets <c>status.startTime</c>, or <see langword="null"/>.</summary>
    public DateTimeOffset? StartTime { get; init; }

    /// <summary>Gets <c>status.completionTime</c>, or <see langword="null"/>.</summary>
    public DateTimeOffset? CompletionTime { get; init; }

    /// <summary>Gets <c>status.conditions</c>. Empty by default.</summary>
    public IReadOnlyList<JobCondition> Conditions { get; init; } = [];

    /// <summary>Gets whether a <c>Complete</c> condition is <c>True</c>.</summary>
    public bool IsComplete => Conditions.Any(c => c.Type == "Complete" && c.Status == "True");

    /// <summary>Gets whether a <c>Failed</c> condition is <c>True</c>.</summary>
    public bool IsFailed => Conditions.Any(c => c.Type == "Failed" && c.Status == "True");

    /// <inheritdoc />
    public static Job FromJson(JsonObject json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var spec = Json.Obj(json, "spec", "Job") ?? new JsonObject();
        var status = Json.Obj(json, "status", "Job") ?? new JsonObject();
        return new Job
        {
            Metadata = ObjectMeta.FromJson(Json.Obj(json, "metadata", "Job")),
            Completions = Json.Long(spec, "completions", "Job.spec"),
            Parallelism = Json.Long(spec, "parallelism", "Job.spec"),
            BackoffLimit = Json.Long(spec, "backoffLimit", "Job.spec"),
            Active = Json.Long(status, "active", "Job.status") ?? 0,
            Succeeded = Json.Long(status, "succeeded", "Job.status") ?? 0,
            Failed = Json.Long(status, "failed", "Job.status") ?? 0,
            StartTime = Json.Time(status, "startTime", "Job.status"),
            CompletionTime = Json.Time(status, "completionTime", "Job.status"),
            Conditions = Json.Objects(status, "conditions", "Job.status")
                .Select(c => new JobCondition(
                    Json.Str(c, "type", "Job.status.conditions") ?? "",
                    Json.Str(c, "status", "Job.status.conditions") ?? "Unknown",
                    Json.Str(c, "reason", "Job.status.conditions"),
                    Json.Str(c, "message", "Job.status.conditions")))
                .ToList(),
        };
    }

    /// <inheritdoc />
    public JsonObject ToJson()
    {
        var o = Json.Envelope(Type, Metadata);
        var spec = new JsonObject();
        Json.Put(spec, "completions", Completions);
        Json.Put(spec, "parallelism", Parallelism);
        Json.Put(spec, "backoffLimit", BackoffLimit);
        o["spec"] = spec;
        var fmt = "yyyy-MM-dd'T'HH:mm:ss'Z'";
        var status = new JsonObject { ["active"] = Active, ["succeeded"] = Succeeded, ["failed"] = Failed };
        Json.Put(status, "startTime", StartTime?.ToUniversalTime().ToString(fmt, System.Globalization.CultureInfo.InvariantCulture));
        Json.Put(status, "completionTime", CompletionTime?.ToUniversalTime().ToString(fmt, System.Globalization.CultureInfo.InvariantCulture));
        if (Conditions.Count > 0)
        {
            status["conditions"] = new JsonArray(Conditions.Select(c =>
            {
                var j = new JsonObject { ["type"] = c.Type, ["status"] = c.Status };
                Json.Put(j, "reason", c.Reason);
                Json.Put(j, "message", c.Message);
                return (JsonNode)j;
            }).ToArray());
        }

        o["status"] = status;
        return o;
    }
}
