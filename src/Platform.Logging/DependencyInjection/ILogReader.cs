using System.IO.Pipelines;

namespace Platform.Logging;

/// <summary>Reads logs as complete records with the application's configured options (see <c>AddPlatformLogging</c>).</summary>
/// <remarks>Implementations are thread-safe; each enumeration is independent.</remarks>
public interface ILogReader
{
    /// <summary>Reads records from a stream.</summary>
    /// <param name="stream">The input; not disposed.</param>
    /// <param name="query">What to read (tail-N, since-T, byte limit), or <see langword="null"/> for everything.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The records.</returns>
    IAsyncEnumerable<LogRecord> ReadAsync(Stream stream, LogQuery? query = null, CancellationToken cancellationToken = default);

    /// <summary>Reads records from a pipe until its writer completes.</summary>
    /// <param name="reader">The input; the caller completes it.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The records.</returns>
    IAsyncEnumerable<LogRecord> ReadAsync(PipeReader reader, CancellationToken cancellationToken = default);

    /// <summary>Opens a log from the registered source of the given kind and reads it.</summary>
    /// <param name="sourceKind">The source kind (<c>file</c>, or one a backend package registers, such as pod logs).</param>
    /// <param name="name">The log's name in that source.</param>
    /// <param name="query">What to read, or <see langword="null"/> for everything.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The records.</returns>
    /// <exception cref="ArgumentException">No source of that kind is registered.</exception>
    IAsyncEnumerable<LogRecord> ReadAsync(string sourceKind, string name, LogQuery? query = null, CancellationToken cancellationToken = default);
}
