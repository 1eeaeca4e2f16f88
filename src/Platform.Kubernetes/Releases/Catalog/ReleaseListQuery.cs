namespace Platform.Kubernetes.Releases;

/// <summary>The statuses a list shows, as <c>helm list</c>'s flags select them (a bit mask).</summary>
[Flags]
public enum ReleaseStateFilter
{
    /// <summary>No flag: the default, <see cref="Deployed"/> and <see cref="Failed"/>.</summary>
    None = 0,

    /// <summary><c>--deployed</c>.</summary>
    Deployed = 1,

    /// <summary><c>--uninstalled</c>.</summary>
    Uninstalled = 2,

    /// <summary><c>--uninstalling</c>.</summary>
    Uninstalling = 4,

    /// <summary>Status <c>pending-install</c>.</summary>
    PendingInstall = 8,

    /// <summary>Status <c>pending-upgrade</c>.</summary>
    PendingUpgrade = 16,

    /// <summary>Status <c>pending-rollback</c>.</summary>
    PendingRollback = 32,

    /// <summary><c>--superseded</c>. Alone, it lists every superseded revision instead of each release's latest.</summary>
    Superseded = 64,

    /// <summary><c>--failed</c>.</summary>
    Failed = 128,

    /// <summary>An unknown status (never part of <see cref="All"/>, as in Helm).</summary>
    Unknown = 256,

    /// <summary><c>--pending</c>: every pending status.</summary>
    Pending = PendingInstall | PendingUpgrade | PendingRollback,

    /// <summary><c>--all</c>: every known status.</summary>
    All = Deployed | Uninstalled | Uninstalling | Pending | Superseded | Failed,
}

/// <summary>The sort order of a list.</summary>
public enum ReleaseSort
{
    /// <summary>By release name (then namespace), ascending; <see cref="ReleaseListQuery.Reverse"/> makes it descending.</summary>
    Name,

    /// <summary>
    /// By last deployment time in whole seconds (ties by name), ascending as Helm's <c>--date</c> does;
    /// <see cref="ReleaseListQuery.Reverse"/> puts the newest first.
    /// </summary>
    Date,
}

/// <summary>A release list query with <c>helm list</c> semantics.</summary>
/// <remarks>
/// Order of evaluation, as Helm 4's <c>list</c> action: name filter; latest revision of each release (skipped when
/// <see cref="States"/> is exactly <see cref="ReleaseStateFilter.Superseded"/>); status mask; chart name; label
/// selector; sort; offset; max.
/// </remarks>
public sealed record ReleaseListQuery
{
    /// <summary>Gets the namespace, or <see langword="null"/> for all namespaces (<c>-A</c>).</summary>
    public string? Namespace { get; init; }

    /// <summary>Gets the unanchored regular expression on the release name (<c>--filter</c>), or <see langword="null"/>.</summary>
    public string? Filter { get; init; }

    /// <summary>Gets the chart name the latest revision must have, or <see langword="null"/>.</summary>
    public string? ChartName { get; init; }

    /// <summary>Gets the statuses to show; <see cref="ReleaseStateFilter.None"/> means deployed and failed.</summary>
    public ReleaseStateFilter States { get; init; }

    /// <summary>
    /// Gets a label selector (<c>k=v</c>, <c>k==v</c>, <c>k!=v</c>, <c>k</c>, <c>!k</c>, <c>k in (a,b)</c>,
    /// <c>k notin (a,b)</c>, comma-separated) over the release's custom labels and the system labels
    /// <c>name</c>, <c>owner</c>, <c>status</c>, <c>version</c>; or <see langword="null"/>.
    /// </summary>
    public string? LabelSelector { get; init; }

    /// <summary>Gets the sort order. Defaults to <see cref="ReleaseSort.Name"/>.</summary>
    public ReleaseSort Sort { get; init; }

    /// <summary>Gets whether to reverse the sort order (<c>-r</c>).</summary>
    public bool Reverse { get; init; }

    /// <summary>Gets how many results to skip (<c>--offset</c>). Defaults to 0.</summary>
    public int Offset { get; init; }

    /// <summary>Gets the most results to return (<c>--max</c>); 0 or <see langword="null"/> returns all.</summary>
    public int? Max { get; init; }
}

/// <summary>One page of a list query.</summary>
/// <param name="Items">The releases of the page.</param>
/// <param name="Total">How many releases matched before <see cref="ReleaseListQuery.Offset"/> and <see cref="ReleaseListQuery.Max"/>.</param>
public sealed record ReleaseQueryResult(IReadOnlyList<ReleaseSummary> Items, int Total);
