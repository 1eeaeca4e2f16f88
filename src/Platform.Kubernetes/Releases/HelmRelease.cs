using System.Collections.Frozen;
using System.Text.Json.Nodes;

namespace Platform.Kubernetes.Releases;

/// <summary>The status of a Helm release revision, as Helm 3 and Helm 4 write it into <c>info.status</c>.</summary>
public enum ReleaseStatus
{
    /// <summary>An unknown or missing status (<c>unknown</c>, or a value this SDK does not know).</summary>
    Unknown,

    /// <summary><c>deployed</c>: the revision is live.</summary>
    Deployed,

    /// <summary><c>uninstalled</c>: the release was uninstalled with its history kept.</summary>
    Uninstalled,

    /// <summary><c>superseded</c>: a later revision replaced this one.</summary>
    Superseded,

    /// <summary><c>failed</c>: the install, upgrade or rollback failed.</summary>
    Failed,

    /// <summary><c>uninstalling</c>: an uninstall is in progress.</summary>
    Uninstalling,

    /// <summary><c>pending-install</c>: an install is in progress.</summary>
    PendingInstall,

    /// <summary><c>pending-upgrade</c>: an upgrade is in progress.</summary>
    PendingUpgrade,

    /// <summary><c>pending-rollback</c>: a rollback is in progress.</summary>
    PendingRollback,
}

/// <summary>Converts <see cref="ReleaseStatus"/> to and from Helm's status strings.</summary>
public static class ReleaseStatusNames
{
    private static readonly FrozenDictionary<string, ReleaseStatus> ByName = new Dictionary<string, ReleaseStatus>(StringComparer.Ordinal)
    {
        ["unknown"] = ReleaseStatus.Unknown,
        ["deployed"] = ReleaseStatus.Deployed,
        ["uninstalled"] = ReleaseStatus.Uninstalled,
        ["superseded"] = ReleaseStatus.Superseded,
        ["failed"] = ReleaseStatus.Failed,
        ["uninstalling"] = ReleaseStatus.Uninstalling,
        ["pending-install"] = ReleaseStatus.PendingInstall,
        ["pending-upgrade"] = ReleaseStatus.PendingUpgrade,
        ["pending-rollback"] = ReleaseStatus.PendingRollback,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Gets Helm's string for a status, for example <c>pending-upgrade</c>.</summary>
    /// <param name="status">The status.</param>
    /// <returns>The status string Helm writes.</returns>
    public static string ToHelmString(this ReleaseStatus status) => status switch
    {
        ReleaseStatus.Deployed => "deployed",
        ReleaseStatus.Uninstalled => "uninstalled",
        ReleaseStatus.Superseded => "superseded",
        ReleaseStatus.Failed => "failed",
        ReleaseStatus.Uninstalling => "uninstalling",
        ReleaseStatus.PendingInstall => "pending-install",
        ReleaseStatus.PendingUpgrade => "pending-upgrade",
        ReleaseStatus.PendingRollback => "pending-rollback",
        _ => "unknown",
    };

    /// <summary>Parses Helm's status string; anything unrecognised is <see cref="ReleaseStatus.Unknown"/> (as Helm's list does).</summary>
    /// <param name="value">The status string, or <see langword="null"/>.</param>
    /// <returns>The status.</returns>
    public static ReleaseStatus Parse(string? value) =>
        value is not null && ByName.TryGetValue(value, out ReleaseStatus status) ? status : ReleaseStatus.Unknown;

    /// <summary>Tries to parse a status string exactly (no <c>unknown</c> fallback).</summary>
    /// <param name="value">The status string.</param>
    /// <param name="status">The parsed status.</param>
    /// <returns><see langword="true"/> when <paramref name="value"/> is one of Helm's status strings.</returns>
    public static bool TryParse(string value, out ReleaseStatus status) => ByName.TryGetValue(value, out status);
}

/// <summary>
/// One revision of a Helm release as stored by Helm 3 and Helm 4 (the <c>helm.sh/release.v1</c> record).
/// </summary>
/// <remarks>
/// The typed properties cover every field Helm writes; <see cref="Document"/> keeps the decoded JSON so fields this
/// SDK does not model (for example <c>info.resources</c> or fields of future Helm versions) survive a decode/encode
/// round trip. The JSON nodes are not copied on read: treat them as read-only, or clone them before changing them.
/// </remarks>
public sealed record HelmRelease
{
    /// <summary>Gets the release name.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the namespace the release was installed into.</summary>
    public required string Namespace { get; init; }

    /// <summary>Gets the revision (Helm's <c>version</c>), starting at 1.</summary>
    public required int Version { get; init; }

    /// <summary>Gets the status of this revision (<c>info.status</c>).</summary>
    public ReleaseStatus Status { get; init; }

    /// <summary>Gets when the release was first deployed (<c>info.first_deployed</c>), or <see langword="null"/>.</summary>
    public DateTimeOffset? FirstDeployed { get; init; }

    /// <summary>Gets when this revision was deployed (<c>info.last_deployed</c>), or <see langword="null"/>.</summary>
    public DateTimeOffset? LastDeployed { get; init; }

    /// <summary>Gets when the release was uninstalled (<c>info.deleted</c>), or <see langword="null"/>.</summary>
    public DateTimeOffset? Deleted { get; init; }

    /// <summary>Gets the human-readable log entry of this revision (<c>info.description</c>).</summary>
    public string? Description { get; init; }

    /// <summary>Gets the rendered <c>NOTES.txt</c> (<c>info.notes</c>).</summary>
    public string? Notes { get; init; }

    /// <summary>Gets the chart (<c>metadata</c>, <c>lock</c>, <c>templates</c>, <c>values</c>, <c>schema</c>, <c>files</c>), or <see langword="null"/>.</summary>
    public JsonObject? Chart { get; init; }

    /// <summary>Gets the user-supplied values (<c>config</c>), or <see langword="null"/>.</summary>
    public JsonObject? Config { get; init; }

    /// <summary>Gets the rendered manifest.</summary>
    public string? Manifest { get; init; }

    /// <summary>Gets the hooks (<c>hooks</c>), or <see langword="null"/>.</summary>
    public JsonArray? Hooks { get; init; }

    /// <summary>
    /// Gets the release's custom labels. Helm keeps them in the storage object's labels (not in the JSON); the
    /// system labels <c>name</c>, <c>owner</c>, <c>status</c>, <c>version</c>, <c>createdAt</c> and <c>modifiedAt</c> are never included.
    /// </summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = FrozenDictionary<string, string>.Empty;

    /// <summary>Gets how Helm 4 applied the manifests (<c>apply_method</c>: <c>csa</c> or <c>ssa</c>), or <see langword="null"/> (Helm 3: client-side).</summary>
    public string? ApplyMethod { get; init; }

    /// <summary>Gets the JSON this release was decoded from, or <see langword="null"/> for a release built in code.</summary>
    public JsonObject? Document { get; init; }

    /// <summary>Gets the chart name (<c>chart.metadata.name</c>), or <see langword="null"/>.</summary>
    public string? ChartName => MetadataString("name");

    /// <summary>Gets the chart version (<c>chart.metadata.version</c>), or <see langword="null"/>.</summary>
    public string? ChartVersion => MetadataString("version");

    /// <summary>Gets the application version (<c>chart.metadata.appVersion</c>), or <see langword="null"/>.</summary>
    public string? AppVersion => MetadataString("appVersion");

    /// <summary>Gets the storage object name Helm uses: <c>sh.helm.release.v1.NAME.vVERSION</c>.</summary>
    public string StorageKey => ReleaseStorageLabels.ObjectName(Name, Version);

    private string? MetadataString(string key) =>
        Chart?["metadata"] is JsonObject metadata && metadata[key] is JsonValue value && value.TryGetValue(out string? text) ? text : null;
}
