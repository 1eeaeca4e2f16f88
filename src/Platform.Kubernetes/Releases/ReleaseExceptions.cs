using Platform.Abstractions;

namespace Platform.Kubernetes.Releases;

/// <summary>
/// Reports a Helm release storage failure: a record that cannot be decoded, a release that is missing or already
/// exists, or a backend that cannot be reached.
/// </summary>
public class ReleaseStorageException : PlatformException
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">The full message, naming the record and what was expected.</param>
    /// <param name="namespace">The namespace of the record, or <see langword="null"/>.</param>
    /// <param name="recordName">The storage object name (for example <c>sh.helm.release.v1.web.v3</c>), or <see langword="null"/>.</param>
    /// <param name="innerException">The original exception, if any.</param>
    public ReleaseStorageException(string message, string? @namespace = null, string? recordName = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Namespace = @namespace;
        RecordName = recordName;
    }

    /// <summary>Gets the namespace of the record the error concerns, or <see langword="null"/>.</summary>
    public string? Namespace { get; }

    /// <summary>Gets the storage object name the error concerns, or <see langword="null"/>.</summary>
    public string? RecordName { get; }
}

/// <summary>Reports a release record whose payload is not a valid Helm v1 release (bad base64, gzip, JSON or size).</summary>
public sealed class ReleaseDecodeException : ReleaseStorageException
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">The full message, naming the record and what was expected.</param>
    /// <param name="namespace">The namespace of the record, or <see langword="null"/>.</param>
    /// <param name="recordName">The storage object name, or <see langword="null"/>.</param>
    /// <param name="innerException">The original exception, if any.</param>
    public ReleaseDecodeException(string message, string? @namespace = null, string? recordName = null, Exception? innerException = null)
        : base(message, @namespace, recordName, innerException)
    {
    }
}

/// <summary>Reports a release revision that does not exist in the store.</summary>
public sealed class ReleaseNotFoundException : ReleaseStorageException
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">The full message.</param>
    /// <param name="namespace">The namespace searched.</param>
    /// <param name="recordName">The storage object name searched, or <see langword="null"/>.</param>
    /// <param name="innerException">The original exception, if any.</param>
    public ReleaseNotFoundException(string message, string? @namespace = null, string? recordName = null, Exception? innerException = null)
        : base(message, @namespace, recordName, innerException)
    {
    }
}

/// <summary>Reports a create of a release revision that is already stored.</summary>
public sealed class ReleaseExistsException : ReleaseStorageException
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">The full message.</param>
    /// <param name="namespace">The namespace of the record.</param>
    /// <param name="recordName">The storage object name.</param>
    /// <param name="innerException">The original exception, if any.</param>
    public ReleaseExistsException(string message, string? @namespace = null, string? recordName = null, Exception? innerException = null)
        : base(message, @namespace, recordName, innerException)
    {
    }
}

/// <summary>
/// Reports that a change feed cannot resume from the given version (Kubernetes <c>410 Gone</c>): the reader must
/// list again.
/// </summary>
public sealed class ReleaseFeedExpiredException : ReleaseStorageException
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">The full message.</param>
    /// <param name="innerException">The original exception, if any.</param>
    public ReleaseFeedExpiredException(string message, Exception? innerException = null)
        : base(message, innerException: innerException)
    {
    }
}
