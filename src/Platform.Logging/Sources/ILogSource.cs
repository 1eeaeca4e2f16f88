namespace Platform.Logging.Sources;

/// <summary>A place logs come from (files, Kubernetes pod logs, …): opens a named log as a byte stream.</summary>
/// <remarks>Implementations are thread-safe. Register them with <c>AddPlatformLogging</c>; the reader picks one by <see cref="Kind"/>.</remarks>
public interface ILogSource
{
    /// <summary>Gets the kind this source serves, for example <c>file</c> or <c>pod</c>; compared ordinally, ignoring case.</summary>
    string Kind { get; }

    /// <summary>Opens a log.</summary>
    /// <param name="name">The log's name in this source (a file path; <c>namespace/pod/container</c> for pods).</param>
    /// <param name="query">What to read; the source applies what it can and says so in <see cref="OpenedLog.Applied"/>.</param>
    /// <param name="cancellationToken">Cancels the open (and, for following streams, the reads).</param>
    /// <returns>The opened log; the caller disposes it.</returns>
    ValueTask<OpenedLog> OpenAsync(string name, LogQuery query, CancellationToken cancellationToken = default);
}
