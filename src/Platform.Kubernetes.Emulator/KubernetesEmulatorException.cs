using Platform.Abstractions;

namespace Platform.Kubernetes.Emulator;

/// <summary>
/// Reports a failure of the emulator's own API (seeding a manifest the API server rejects, an unreadable manifest
/// file, a port already in use).
/// </summary>
public sealed class KubernetesEmulatorException : PlatformException
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">What failed and what was expected.</param>
    /// <param name="source">The manifest file (or other input) concerned, if any.</param>
    /// <param name="line">The 1-based line of the document in <paramref name="source"/>, if known.</param>
    /// <param name="statusCode">The HTTP status the API server would have answered, if the server rejected the object.</param>
    /// <param name="reason">The Kubernetes <c>Status</c> reason (for example <c>Invalid</c>), if any.</param>
    /// <param name="innerException">The original exception.</param>
    public KubernetesEmulatorException(string message, string? source = null, int? line = null, int? statusCode = null, string? reason = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Source = source;
        Line = line;
        StatusCode = statusCode;
        Reason = reason;
    }

    /// <summary>Gets the manifest file (or other input) concerned, if any.</summary>
    public new string? Source { get; }

    /// <summary>Gets the 1-based line of the offending document, if known.</summary>
    public int? Line { get; }

    /// <summary>Gets the HTTP status the API server would have answered, if the server rejected the object.</summary>
    public int? StatusCode { get; }

    /// <summary>Gets the Kubernetes <c>Status</c> reason, if any.</summary>
    public string? Reason { get; }
}
