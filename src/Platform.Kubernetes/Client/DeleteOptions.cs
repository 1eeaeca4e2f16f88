namespace Platform.Kubernetes.Client;

/// <summary>How dependents of a deleted object are handled (<c>propagationPolicy</c>).</summary>
public enum PropagationPolicy
{
    /// <summary>Dependents are orphaned.</summary>
    Orphan,

    /// <summary>The object is deleted at once and dependents in the background (the server's default for most types).</summary>
    Background,

    /// <summary>The object stays (with a <c>foregroundDeletion</c> finalizer) until its dependents are deleted.</summary>
    Foreground,
}

/// <summary>Options of a delete request (the API server's <c>DeleteOptions</c> body and <c>dryRun</c>).</summary>
public sealed record DeleteOptions
{
    /// <summary>Gets how dependents are handled, or <see langword="null"/> for the server's default.</summary>
    public PropagationPolicy? PropagationPolicy { get; init; }

    /// <summary>Gets the resource version the object must still have (else <c>409 Conflict</c>), or <see langword="null"/>.</summary>
    public string? PreconditionResourceVersion { get; init; }

    /// <summary>Gets the UID the object must have (else <c>409 Conflict</c>), or <see langword="null"/>.</summary>
    public string? PreconditionUid { get; init; }

    /// <summary>Gets the grace period (whole seconds; zero deletes at once), or <see langword="null"/> for the object's default.</summary>
    public TimeSpan? GracePeriod { get; init; }

    /// <summary>Gets whether the server only validates the deletion (<c>dryRun=All</c>).</summary>
    public bool DryRun { get; init; }
}
