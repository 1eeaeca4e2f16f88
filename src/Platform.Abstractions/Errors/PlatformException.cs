namespace Platform.Abstractions;

/// <summary>
/// Represents a domain or backend failure raised by a Platform SDK package.
/// </summary>
/// <remarks>
/// Every failure that is not caller misuse derives from this type, so an application can catch one type and
/// still read structured facts (file, line, values path, resource, status) from the subclass instead of parsing
/// the message. The original cause, when there is one, is the <see cref="Exception.InnerException"/>.
/// <see cref="OperationCanceledException"/> is never wrapped.
/// </remarks>
public class PlatformException : Exception
{
    /// <summary>Initializes a new instance with a generic message.</summary>
    public PlatformException()
        : base("A Platform SDK operation failed.")
    {
    }

    /// <summary>Initializes a new instance with the given message.</summary>
    /// <param name="message">The message that says what failed and what was expected.</param>
    public PlatformException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance with the given message and cause.</summary>
    /// <param name="message">The message that says what failed and what was expected.</param>
    /// <param name="innerException">The original exception.</param>
    public PlatformException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
