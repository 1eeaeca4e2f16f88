using System.IO.Pipelines;
using Microsoft.Extensions.Options;
using Platform.Logging.Sources;

namespace Platform.Logging;

internal sealed class OptionsLogReader(IOptions<LoggingOptions> options, IEnumerable<ILogSource> sources, TimeProvider timeProvider) : ILogReader
{
    private readonly LogReaderOptions _options = options.Value.ToReaderOptions();
    private readonly ILogSource[] _sources = sources.ToArray();

    public IAsyncEnumerable<LogRecord> ReadAsync(Stream stream, LogQuery? query = null, CancellationToken cancellationToken = default) =>
        query is null
            ? LogReader.ReadAsync(stream, _options, timeProvider, cancellationToken)
            : LogReader.ReadAsync(stream, query, _options, timeProvider, cancellationToken);

    public IAsyncEnumerable<LogRecord> ReadAsync(PipeReader reader, CancellationToken cancellationToken = default) =>
        LogReader.ReadAsync(reader, _options, timeProvider, cancellationToken);

    public IAsyncEnumerable<LogRecord> ReadAsync(string sourceKind, string name, LogQuery? query = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sourceKind);
        // An application's (or backend package's) source of a kind wins over the built-in one, the last registered first.
        ILogSource? source = _sources.LastOrDefault(s => s is not OptionsFileLogSource && string.Equals(s.Kind, sourceKind, StringComparison.OrdinalIgnoreCase))
            ?? _sources.LastOrDefault(s => string.Equals(s.Kind, sourceKind, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"No log source of kind '{sourceKind}' is registered (registered: {string.Join(", ", _sources.Select(s => s.Kind).Distinct())}).", nameof(sourceKind));
        return LogReader.ReadAsync(source, name, query, _options, timeProvider, cancellationToken);
    }
}

internal sealed class OptionsFileLogSource(IOptions<LoggingOptions> options, TimeProvider timeProvider) : ILogSource
{
    private readonly FileLogSource _inner = new(timeProvider, options.Value.FilePollInterval);

    public string Kind => _inner.Kind;

    public ValueTask<OpenedLog> OpenAsync(string name, LogQuery query, CancellationToken cancellationToken = default) =>
        _inner.OpenAsync(name, query, cancellationToken);
}

internal sealed class LoggingOptionsValidator : IValidateOptions<LoggingOptions>
{
    public ValidateOptionsResult Validate(string? name, LoggingOptions options)
    {
        var failures = new List<string>();
        try
        {
            options.ToReaderOptions().Validate();
        }
        catch (ArgumentException ex)
        {
            failures.Add(ex.Message);
        }

        if (options.FilePollInterval <= TimeSpan.Zero)
        {
            failures.Add($"{nameof(LoggingOptions.FilePollInterval)} must be positive (was {options.FilePollInterval}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
