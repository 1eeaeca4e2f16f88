namespace Platform.Kubernetes.Emulator.Storage;

/// <summary>A served resource type with everything the handlers derive from it once.</summary>
internal sealed class ResourceInfo
{
    private static readonly HashSet<string> WithoutGeneration = new(StringComparer.Ordinal)
    {
        "/namespaces", "/secrets", "/configmaps", "/serviceaccounts", "/events", "/nodes", "/services",
        "/persistentvolumeclaims", "/persistentvolumes",
    };

    private static readonly HashSet<string> DeleteReturnsObject = new(StringComparer.Ordinal)
    {
        "/pods", "/serviceaccounts", "/services", "/namespaces", "/persistentvolumeclaims", "/persistentvolumes",
    };

    public ResourceInfo(EmulatorResourceType type, bool builtIn)
    {
        Type = type;
        BuiltIn = builtIn;
        Key = type.Group + "/" + type.Plural;
        GroupResource = type.Group.Length == 0 ? type.Plural : type.Plural + "." + type.Group;
        ListKind = type.Kind + "List";
        HasGeneration = !builtIn || !WithoutGeneration.Contains(Key);
        ReturnsDeletedObject = !builtIn || DeleteReturnsObject.Contains(Key);
        FieldPaths = Key switch
        {
            "/secrets" => ["type"],
            "/pods" => ["status.phase", "spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName", "status.podIP", "status.nominatedNodeName"],
            "/events" => ["involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type"],
            "/namespaces" => ["status.phase"],
            "/nodes" => ["spec.unschedulable"],
            "/services" => ["spec.clusterIP", "spec.type"],
            "batch/jobs" => ["status.successful"],
            "apps/replicasets" => ["status.replicas"],
            _ => [],
        };
    }

    public EmulatorResourceType Type { get; }

    public bool BuiltIn { get; }

    /// <summary>Gets <c>group/plural</c> (the core group is empty: <c>/pods</c>).</summary>
    public string Key { get; }

    /// <summary>Gets the name used in Status messages: <c>pods</c>, <c>deployments.apps</c>.</summary>
    public string GroupResource { get; }

    public string ListKind { get; }

    public bool HasGeneration { get; }

    public bool ReturnsDeletedObject { get; }

    /// <summary>Gets the field-selector labels beyond <c>metadata.name</c> and <c>metadata.namespace</c>.</summary>
    public IReadOnlyList<string> FieldPaths { get; }

    public string Kind => Type.Kind;

    public string ApiVersion => Type.ApiVersion;

    public bool Namespaced => Type.Namespaced;

    public bool SupportsField(string field) =>
        field is "metadata.name" || (field is "metadata.namespace" && Namespaced) || FieldPaths.Contains(field);
}
