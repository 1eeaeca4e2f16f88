using System.Net;
using Platform.Abstractions;

namespace Platform.Kubernetes.Client;

/// <summary>
/// Reports a request the Kubernetes API server refused or failed, with the facts of its <c>Status</c> object.
/// </summary>
/// <remarks>
/// The message names the verb, the resource and the server, and carries the server's own message (bounded in
/// length). It never contains request bodies, secret data or credentials. Subclasses exist for the reasons callers
/// branch on; any other failure is a plain <see cref="KubernetesException"/>.
/// </remarks>
public class KubernetesException : PlatformException
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">The full message.</param>
    /// <param name="status">The facts of the failure.</param>
    /// <param name="innerException">The original exception, if any.</param>
    public KubernetesException(string message, KubernetesStatus status, Exception? innerException = null)
        : base(message, innerException)
    {
        ArgumentNullException.ThrowIfNull(status);
        Status = status;
    }

    /// <summary>Gets the facts of the failure: code, reason, resource and the server's message.</summary>
    public KubernetesStatus Status { get; }

    /// <summary>Gets the HTTP status code, for example 404.</summary>
    public HttpStatusCode StatusCode => (HttpStatusCode)Status.Code;

    /// <summary>Gets the machine-readable reason, for example <c>NotFound</c> or <c>Conflict</c>; empty when the server gave none.</summary>
    public string Reason => Status.Reason;

    /// <summary>Gets the resource kind or plural the request concerned, or <see langword="null"/>.</summary>
    public string? ResourceKind => Status.Kind;

    /// <summary>Gets the object name the request concerned, or <see langword="null"/>.</summary>
    public string? ResourceName => Status.Name;

    /// <summary>Gets the namespace the request concerned, or <see langword="null"/>.</summary>
    public string? ResourceNamespace => Status.Namespace;

    /// <summary>Gets how long the server asked the client to wait before retrying, or <see langword="null"/>.</summary>
    public TimeSpan? RetryAfter => Status.RetryAfter;
}

/// <summary>Reports <c>404 NotFound</c>: the object (or its namespace, or the resource type) does not exist.</summary>
public sealed class KubernetesNotFoundException(string message, KubernetesStatus status, Exception? innerException = null)
    : KubernetesException(message, status, innerException);

/// <summary>Reports <c>409 Conflict</c>: the object changed since it was read (stale <c>resourceVersion</c>) or an apply conflicts.</summary>
public sealed class KubernetesConflictException(string message, KubernetesStatus status, Exception? innerException = null)
    : KubernetesException(message, status, innerException);

/// <summary>Reports <c>409 AlreadyExists</c>: a create found an object with the same name.</summary>
public sealed class KubernetesAlreadyExistsException(string message, KubernetesStatus status, Exception? innerException = null)
    : KubernetesException(message, status, innerException);

/// <summary>Reports <c>403 Forbidden</c>: the credentials are valid but not allowed to do this.</summary>
public sealed class KubernetesForbiddenException(string message, KubernetesStatus status, Exception? innerException = null)
    : KubernetesException(message, status, innerException);

/// <summary>Reports <c>401 Unauthorized</c>: the credentials are missing, wrong or expired.</summary>
public sealed class KubernetesUnauthorizedException(string message, KubernetesStatus status, Exception? innerException = null)
    : KubernetesException(message, status, innerException);

/// <summary>
/// Reports <c>410 Gone</c> (reason <c>Expired</c> or <c>Gone</c>): the resource version a watch or paged list asked
/// for is older than the server's history. Callers relist and watch from the new list's resource version.
/// </summary>
public sealed class KubernetesGoneException(string message, KubernetesStatus status, Exception? innerException = null)
    : KubernetesException(message, status, innerException);

/// <summary>Reports <c>429 TooManyRequests</c> after retries were exhausted; <see cref="KubernetesException.RetryAfter"/> holds the server's hint.</summary>
public sealed class KubernetesTooManyRequestsException(string message, KubernetesStatus status, Exception? innerException = null)
    : KubernetesException(message, status, innerException);

/// <summary>Reports <c>422 Invalid</c> (or <c>400 BadRequest</c>): the object does not validate; <see cref="KubernetesStatus.Causes"/> name the fields.</summary>
public sealed class KubernetesInvalidException(string message, KubernetesStatus status, Exception? innerException = null)
    : KubernetesException(message, status, innerException);

/// <summary>Reports a <c>5xx</c> answer (internal error, timeout, service unavailable) after retries were exhausted.</summary>
public sealed class KubernetesServerErrorException(string message, KubernetesStatus status, Exception? innerException = null)
    : KubernetesException(message, status, innerException);

/// <summary>
/// Reports that the API server could not be reached or did not answer in time (connection refused or reset, DNS,
/// TLS handshake, timeout) after retries were exhausted. The message names the server; the cause is the inner exception.
/// </summary>
public sealed class KubernetesUnavailableException : PlatformException
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">The full message, naming the server.</param>
    /// <param name="server">The API server address.</param>
    /// <param name="innerException">The original exception.</param>
    public KubernetesUnavailableException(string message, Uri server, Exception? innerException = null)
        : base(message, innerException)
    {
        ArgumentNullException.ThrowIfNull(server);
        Server = server;
    }

    /// <summary>Gets the API server address that could not be reached.</summary>
    public Uri Server { get; }
}

/// <summary>
/// Reports a kubeconfig or in-cluster configuration that cannot be used: a file that does not parse, a missing
/// context, cluster or user, unreadable certificate files, a failing credential plugin.
/// </summary>
public sealed class KubernetesConfigurationException : PlatformException
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">The full message, naming the file and setting and what was expected.</param>
    /// <param name="filePath">The kubeconfig or credential file, or <see langword="null"/>.</param>
    /// <param name="setting">The setting, for example <c>users[dev].user.client-key</c>, or <see langword="null"/>.</param>
    /// <param name="innerException">The original exception, if any.</param>
    public KubernetesConfigurationException(string message, string? filePath = null, string? setting = null, Exception? innerException = null)
        : base(message, innerException)
    {
        FilePath = filePath;
        Setting = setting;
    }

    /// <summary>Gets the file the error concerns, or <see langword="null"/>.</summary>
    public string? FilePath { get; }

    /// <summary>Gets the setting the error concerns, or <see langword="null"/>.</summary>
    public string? Setting { get; }
}

/// <summary>The facts of a Kubernetes <c>Status</c> failure, plus the request they answer.</summary>
/// <param name="Code">The HTTP status code.</param>
/// <param name="Reason">The reason (<c>NotFound</c>, <c>Conflict</c>, …); empty when none was given.</param>
/// <param name="Message">The server's message, bounded to 1,024 characters; credentials are removed.</param>
/// <param name="Verb">The request verb: <c>get</c>, <c>list</c>, <c>watch</c>, <c>create</c>, <c>replace</c>, <c>patch</c>, <c>delete</c>, <c>log</c>.</param>
/// <param name="Kind">The resource (plural or kind), or <see langword="null"/>.</param>
/// <param name="Name">The object name, or <see langword="null"/>.</param>
/// <param name="Namespace">The namespace, or <see langword="null"/>.</param>
/// <param name="RetryAfter">The server's retry hint (<c>Retry-After</c> or <c>details.retryAfterSeconds</c>), or <see langword="null"/>.</param>
/// <param name="Causes">The field-level causes of an <c>Invalid</c> answer (<c>field: message</c>); empty otherwise.</param>
public sealed record KubernetesStatus(
    int Code,
    string Reason,
    string Message,
    string Verb,
    string? Kind,
    string? Name,
    string? Namespace,
    TimeSpan? RetryAfter,
    IReadOnlyList<string> Causes);
