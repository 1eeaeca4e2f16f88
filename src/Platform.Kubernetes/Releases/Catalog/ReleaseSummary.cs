namespace Platform.Kubernetes.Releases;

/// <summary>
/// What the release catalog keeps of one revision: no manifest, values or notes (load those with
/// <see cref="IReleaseCatalog.GetReleaseAsync"/>). Strings are shared between summaries.
/// </summary>
/// <param name="Name">The release name.</param>
/// <param name="Namespace">The namespace.</param>
/// <param name="Revision">The revision.</param>
/// <param name="Status">The status of the revision.</param>
/// <param name="ChartName">The chart name (empty when the record has none).</param>
/// <param name="ChartVersion">The chart version (empty when the record has none).</param>
/// <param name="AppVersion">The application version (empty when the chart has none).</param>
/// <param name="Updated">When the revision was deployed (<c>info.last_deployed</c>), or <see langword="null"/>.</param>
/// <param name="Description">The revision's log entry (<c>info.description</c>).</param>
/// <param name="Labels">The release's custom labels.</param>
public sealed record ReleaseSummary(
    string Name,
    string Namespace,
    int Revision,
    ReleaseStatus Status,
    string ChartName,
    string ChartVersion,
    string AppVersion,
    DateTimeOffset? Updated,
    string Description,
    IReadOnlyDictionary<string, string> Labels)
{
    /// <summary>Gets the chart as <c>helm list</c> prints it: <c>NAME-VERSION</c>.</summary>
    public string Chart => ChartName + "-" + ChartVersion;
}
