using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace Platform.Kubernetes.Releases;

/// <summary>
/// The decoding, validation and diagnostics every backend shares; a backend supplies record-level reads and writes.
/// </summary>
internal abstract partial class ReleaseStoreBase : IReleaseStore, IReleaseChangeFeed, IAsyncDisposable
{
    protected ReleaseStoreBase(int maxReleaseBytes, ILogger logger)
    {
        MaxReleaseBytes = maxReleaseBytes;
        Logger = logger;
    }

    public int MaxReleaseBytes { get; }

    protected ILogger Logger { get; }

    public async Task<ReleaseListResult> ListAsync(string? @namespace = null, string? name = null, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<ReleaseRecord> records = await ReadRecordsAsync(@namespace, name, cancellationToken).ConfigureAwait(false);
        var releases = new List<HelmRelease>(records.Count);
        var diagnostics = new List<ReleaseDiagnostic>();
        foreach (ReleaseRecord record in records)
        {
            if (TryDecode(record, out HelmRelease? release, out ReleaseDiagnostic? diagnostic))
            {
                if (name is null || release.Name == name)
                {
                    releases.Add(release);
                }
            }
            else
            {
                diagnostics.Add(diagnostic);
            }
        }

        return new ReleaseListResult(releases, diagnostics);
    }

    public async Task<HelmRelease> GetAsync(string @namespace, string name, int revision, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(@namespace);
        ArgumentException.ThrowIfNullOrEmpty(name);
        string recordName = ReleaseStorageLabels.ObjectName(name, revision);
        ReleaseRecord record = await ReadRecordAsync(@namespace, recordName, cancellationToken).ConfigureAwait(false)
            ?? throw new ReleaseNotFoundException($"release {@namespace}/{name} revision {revision} not found", @namespace, recordName);
        return Decode(record);
    }

    public async Task<ReleaseListResult> HistoryAsync(string @namespace, string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(@namespace);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ReleaseListResult all = await ListAsync(@namespace, name, cancellationToken).ConfigureAwait(false);
        return all with { Releases = all.Releases.OrderBy(r => r.Version).ToArray() };
    }

    public Task CreateAsync(HelmRelease release, CancellationToken cancellationToken = default)
    {
        Validate(release);
        return InsertAsync(release, HelmReleaseCodec.Encode(release), cancellationToken);
    }

    public Task UpdateAsync(HelmRelease release, CancellationToken cancellationToken = default)
    {
        Validate(release);
        return ReplaceAsync(release, HelmReleaseCodec.Encode(release), cancellationToken);
    }

    public Task DeleteAsync(string @namespace, string name, int revision, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(@namespace);
        ArgumentException.ThrowIfNullOrEmpty(name);
        return RemoveAsync(@namespace, ReleaseStorageLabels.ObjectName(name, revision), cancellationToken);
    }

    public abstract Task<ReleaseRecordList> ListRecordsAsync(string? @namespace, CancellationToken cancellationToken = default);

    public abstract IAsyncEnumerable<ReleaseRecordChange> WatchRecordsAsync(string? @namespace, string fromVersion, CancellationToken cancellationToken = default);

    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>Decodes a record fully; throws <see cref="ReleaseDecodeException"/> when it is corrupt.</summary>
    public HelmRelease Decode(ReleaseRecord record)
    {
        if (record.Problem is not null)
        {
            throw HelmReleaseCodec.Fail(record.Problem, record.Namespace, record.RecordName);
        }

        byte[] json = HelmReleaseCodec.DecodeToJson(record.Payload.Span, MaxReleaseBytes, record.Namespace, record.RecordName);
        return HelmReleaseCodec.FromJson(json, record.Labels, record.Namespace, record.RecordName);
    }

    protected bool TryDecode(ReleaseRecord record, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out HelmRelease? release, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out ReleaseDiagnostic? diagnostic)
    {
        try
        {
            release = Decode(record);
            diagnostic = null;
            return true;
        }
        catch (ReleaseDecodeException ex)
        {
            LogSkipped(Logger, record.Namespace, record.RecordName, ex.Message);
            release = null;
            diagnostic = new ReleaseDiagnostic(record.Namespace, record.RecordName, ex.Message);
            return false;
        }
    }

    protected abstract Task<IReadOnlyList<ReleaseRecord>> ReadRecordsAsync(string? @namespace, string? name, CancellationToken cancellationToken);

    protected abstract Task<ReleaseRecord?> ReadRecordAsync(string @namespace, string recordName, CancellationToken cancellationToken);

    protected abstract Task InsertAsync(HelmRelease release, string payload, CancellationToken cancellationToken);

    protected abstract Task ReplaceAsync(HelmRelease release, string payload, CancellationToken cancellationToken);

    protected abstract Task RemoveAsync(string @namespace, string recordName, CancellationToken cancellationToken);

    protected static ReadOnlyMemory<byte> Utf8(string payload) => Encoding.UTF8.GetBytes(payload);

    /// <summary>Checks what Helm itself guarantees about a release before it is stored.</summary>
    internal static void Validate(HelmRelease release)
    {
        ArgumentNullException.ThrowIfNull(release);
        if (release.Name.Length is 0 or > 53 || !ReleaseName().IsMatch(release.Name))
        {
            throw new ArgumentException($"release name '{release.Name}' is invalid: expected 1-53 characters, lowercase letters, digits, '-' and '.', starting and ending with a letter or digit", nameof(release));
        }

        if (release.Version < 1)
        {
            throw new ArgumentException($"release '{release.Name}' has version {release.Version}: expected 1 or more", nameof(release));
        }

        if (string.IsNullOrEmpty(release.Namespace))
        {
            throw new ArgumentException($"release '{release.Name}' has no namespace", nameof(release));
        }
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$", RegexOptions.CultureInvariant)]
    private static partial Regex ReleaseName();

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "Skipped release record {Namespace}/{RecordName}: {Problem}")]
    private static partial void LogSkipped(ILogger logger, string @namespace, string recordName, string problem);
}
