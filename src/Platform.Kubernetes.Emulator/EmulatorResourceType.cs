namespace Platform.Kubernetes.Emulator;

/// <summary>
/// Describes a resource type the emulator serves: where it lives in the REST paths and how discovery lists it.
/// </summary>
/// <remarks>
/// The built-in types (core, apps, batch) are listed in <see cref="BuiltIn"/>. Register more, for example a custom
/// resource, with <see cref="EmulatorOptions.ResourceTypes"/> or <see cref="KubernetesEmulator.RegisterResourceType"/>.
/// </remarks>
/// <param name="Group">The API group; empty for the core group.</param>
/// <param name="Version">The API version, for example <c>v1</c>.</param>
/// <param name="Plural">The resource name used in paths, for example <c>widgets</c>. Lower case.</param>
/// <param name="Kind">The kind, for example <c>Widget</c>.</param>
/// <param name="Namespaced">Whether objects live in namespaces (<see langword="true"/>) or are cluster-scoped.</param>
public sealed record EmulatorResourceType(string Group, string Version, string Plural, string Kind, bool Namespaced = true)
{
    /// <summary>Gets the singular name shown by discovery; defaults to the lower-cased kind.</summary>
    public string? Singular { get; init; }

    /// <summary>Gets the short names kubectl accepts (for example <c>cm</c>); empty by default.</summary>
    public IReadOnlyList<string> ShortNames { get; init; } = [];

    /// <summary>Gets the categories (for example <c>all</c>, which <c>kubectl get all</c> expands); empty by default.</summary>
    public IReadOnlyList<string> Categories { get; init; } = [];

    /// <summary>Gets the <c>apiVersion</c> string (<c>v1</c> or <c>group/version</c>).</summary>
    public string ApiVersion => Group.Length == 0 ? Version : Group + "/" + Version;

    /// <summary>Gets the types the emulator always serves: core/v1, apps/v1 and batch/v1 resources.</summary>
    public static IReadOnlyList<EmulatorResourceType> BuiltIn { get; } =
    [
        new("", "v1", "namespaces", "Namespace", Namespaced: false) { ShortNames = ["ns"] },
        new("", "v1", "pods", "Pod") { ShortNames = ["po"], Categories = ["all"] },
        new("", "v1", "secrets", "Secret"),
        new("", "v1", "configmaps", "ConfigMap") { ShortNames = ["cm"] },
        new("", "v1", "services", "Service") { ShortNames = ["svc"], Categories = ["all"] },
        new("", "v1", "serviceaccounts", "ServiceAccount") { ShortNames = ["sa"] },
        new("", "v1", "events", "Event") { ShortNames = ["ev"] },
        new("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim") { ShortNames = ["pvc"] },
        new("", "v1", "persistentvolumes", "PersistentVolume", Namespaced: false) { ShortNames = ["pv"] },
        new("", "v1", "nodes", "Node", Namespaced: false) { ShortNames = ["no"] },
        new("apps", "v1", "deployments", "Deployment") { ShortNames = ["deploy"], Categories = ["all"] },
        new("apps", "v1", "statefulsets", "StatefulSet") { ShortNames = ["sts"], Categories = ["all"] },
        new("apps", "v1", "daemonsets", "DaemonSet") { ShortNames = ["ds"], Categories = ["all"] },
        new("apps", "v1", "replicasets", "ReplicaSet") { ShortNames = ["rs"], Categories = ["all"] },
        new("batch", "v1", "jobs", "Job") { Categories = ["all"] },
        new("batch", "v1", "cronjobs", "CronJob") { ShortNames = ["cj"], Categories = ["all"] },
        new("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", Namespaced: false) { ShortNames = ["crd", "crds"] },
    ];
}
