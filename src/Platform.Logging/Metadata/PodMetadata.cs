namespace Platform.Logging.Metadata;

/// <summary>The Kubernetes identity of a container's log stream.</summary>
/// <remarks>Immutable; safe to share between threads. Label and annotation keys are kept exactly as Kubernetes has them; see <see cref="KubernetesMetadata.ToFields"/> for the de-dotted form sent to a search index.</remarks>
public sealed record PodMetadata
{
    /// <summary>Gets the namespace.</summary>
    public required string Namespace { get; init; }

    /// <summary>Gets the pod name.</summary>
    public required string PodName { get; init; }

    /// <summary>Gets the container name.</summary>
    public required string ContainerName { get; init; }

    /// <summary>Gets the pod UID, when known.</summary>
    public string? PodUid { get; init; }

    /// <summary>Gets the container ID (runtime-specific, for example the 64-hex docker ID), when known.</summary>
    public string? ContainerId { get; init; }

    /// <summary>Gets the container image, when known.</summary>
    public string? ContainerImage { get; init; }

    /// <summary>Gets the node the pod runs on, when known.</summary>
    public string? NodeName { get; init; }

    /// <summary>Gets the pod labels. Defaults to empty.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>Gets the pod annotations. Defaults to empty.</summary>
    public IReadOnlyDictionary<string, string> Annotations { get; init; } = new Dictionary<string, string>();
}
