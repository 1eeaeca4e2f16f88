using System.Text.Json.Nodes;

namespace Platform.Kubernetes.Client;

/// <summary>
/// Reads, watches and writes any Kubernetes resource as unstructured JSON.
/// </summary>
/// <remarks>
/// Implementations are thread-safe. Kubernetes <c>Status</c> failures surface as <c>KubernetesException</c>
/// subclasses (not found, conflict, forbidden, gone, too many requests, …); cancellation surfaces as
/// <see cref="OperationCanceledException"/> and is never wrapped.
/// </remarks>
public interface IKubernetesResourceClient
{
    /// <summary>Gets one object.</summary>
    /// <param name="type">The resource type.</param>
    /// <param name="namespace">The namespace, or <see langword="null"/> for a cluster-scoped resource.</param>
    /// <param name="name">The object name.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The object as returned by the API server.</returns>
    Task<JsonObject> GetAsync(ResourceType type, string? @namespace, string name, CancellationToken cancellationToken = default);

    /// <summary>Lists one page of objects.</summary>
    /// <param name="type">The resource type.</param>
    /// <param name="namespace">The namespace, or <see langword="null"/> for all namespaces or a cluster-scoped resource.</param>
    /// <param name="options">Selectors and paging; <see langword="null"/> lists everything in one page.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The page, with the list's resource version and the continue token of the next page.</returns>
    Task<ResourceList> ListAsync(ResourceType type, string? @namespace, ListOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Watches changes from a resource version on.</summary>
    /// <param name="type">The resource type.</param>
    /// <param name="namespace">The namespace, or <see langword="null"/> for all namespaces.</param>
    /// <param name="options">Where to start, selectors, bookmarks.</param>
    /// <param name="cancellationToken">Ends the watch.</param>
    /// <returns>The events in server order; the sequence ends when the server closes the watch.</returns>
    IAsyncEnumerable<WatchEvent> WatchAsync(ResourceType type, string? @namespace, WatchOptions options, CancellationToken cancellationToken = default);

    /// <summary>Creates an object.</summary>
    /// <param name="type">The resource type.</param>
    /// <param name="namespace">The namespace, or <see langword="null"/> for a cluster-scoped resource.</param>
    /// <param name="body">The object.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The created object.</returns>
    Task<JsonObject> CreateAsync(ResourceType type, string? @namespace, JsonObject body, CancellationToken cancellationToken = default);

    /// <summary>Replaces an object (optimistic concurrency through <c>metadata.resourceVersion</c>).</summary>
    /// <param name="type">The resource type.</param>
    /// <param name="namespace">The namespace, or <see langword="null"/> for a cluster-scoped resource.</param>
    /// <param name="name">The object name.</param>
    /// <param name="body">The new object.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The stored object.</returns>
    Task<JsonObject> ReplaceAsync(ResourceType type, string? @namespace, string name, JsonObject body, CancellationToken cancellationToken = default);

    /// <summary>Patches an object with a merge patch, a JSON patch or server-side apply.</summary>
    /// <param name="type">The resource type.</param>
    /// <param name="namespace">The namespace, or <see langword="null"/> for a cluster-scoped resource.</param>
    /// <param name="name">The object name.</param>
    /// <param name="patch">The patch document and its kind.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The patched object.</returns>
    Task<JsonObject> PatchAsync(ResourceType type, string? @namespace, string name, Patch patch, CancellationToken cancellationToken = default);

    /// <summary>Deletes an object.</summary>
    /// <param name="type">The resource type.</param>
    /// <param name="namespace">The namespace, or <see langword="null"/> for a cluster-scoped resource.</param>
    /// <param name="name">The object name.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when the server has accepted the deletion.</returns>
    Task DeleteAsync(ResourceType type, string? @namespace, string name, CancellationToken cancellationToken = default);
}

/// <summary>Names a resource type the way the REST paths do.</summary>
/// <param name="Group">The API group; empty for the core group.</param>
/// <param name="Version">The API version, for example <c>v1</c>.</param>
/// <param name="Plural">The resource name in paths, for example <c>secrets</c>.</param>
/// <param name="Kind">The kind, for example <c>Secret</c>.</param>
/// <param name="Namespaced">Whether objects live in namespaces.</param>
public sealed record ResourceType(string Group, string Version, string Plural, string Kind, bool Namespaced = true)
{
    /// <summary>Gets core/v1 Secrets.</summary>
    public static ResourceType Secrets { get; } = new("", "v1", "secrets", "Secret");

    /// <summary>Gets core/v1 ConfigMaps.</summary>
    public static ResourceType ConfigMaps { get; } = new("", "v1", "configmaps", "ConfigMap");

    /// <summary>Gets core/v1 Namespaces (cluster-scoped).</summary>
    public static ResourceType Namespaces { get; } = new("", "v1", "namespaces", "Namespace", Namespaced: false);

    /// <summary>Gets core/v1 Pods.</summary>
    public static ResourceType Pods { get; } = new("", "v1", "pods", "Pod");

    /// <summary>Gets batch/v1 Jobs.</summary>
    public static ResourceType Jobs { get; } = new("batch", "v1", "jobs", "Job");

    /// <summary>Gets the <c>apiVersion</c> string (<c>v1</c> or <c>group/version</c>).</summary>
    public string ApiVersion => Group.Length == 0 ? Version : Group + "/" + Version;
}

/// <summary>Selectors and paging of a list request.</summary>
public sealed record ListOptions
{
    /// <summary>Gets the label selector, for example <c>owner=helm,status=deployed</c>.</summary>
    public string? LabelSelector { get; init; }

    /// <summary>Gets the field selector, for example <c>type=helm.sh/release.v1</c>.</summary>
    public string? FieldSelector { get; init; }

    /// <summary>Gets the page size, or <see langword="null"/> for no limit.</summary>
    public int? Limit { get; init; }

    /// <summary>Gets the continue token of the page to read.</summary>
    public string? Continue { get; init; }

    /// <summary>Gets the resource version to list at, or <see langword="null"/> for the most recent.</summary>
    public string? ResourceVersion { get; init; }
}

/// <summary>One page of a list.</summary>
/// <param name="Items">The objects.</param>
/// <param name="ResourceVersion">The list's resource version: where a watch that follows the list starts.</param>
/// <param name="Continue">The token of the next page, or <see langword="null"/> on the last page.</param>
public sealed record ResourceList(IReadOnlyList<JsonObject> Items, string ResourceVersion, string? Continue);

/// <summary>Where and how a watch starts.</summary>
public sealed record WatchOptions
{
    /// <summary>Gets the resource version to watch from (exclusive).</summary>
    public string? ResourceVersion { get; init; }

    /// <summary>Gets the label selector.</summary>
    public string? LabelSelector { get; init; }

    /// <summary>Gets the field selector.</summary>
    public string? FieldSelector { get; init; }

    /// <summary>Gets whether the server may send <c>BOOKMARK</c> events. Defaults to <see langword="true"/>.</summary>
    public bool AllowBookmarks { get; init; } = true;

    /// <summary>Gets the server-side timeout of the watch, or <see langword="null"/> for the server's default.</summary>
    public TimeSpan? Timeout { get; init; }
}

/// <summary>The type of a watch event.</summary>
public enum WatchEventType
{
    /// <summary>An object was added.</summary>
    Added,

    /// <summary>An object was modified.</summary>
    Modified,

    /// <summary>An object was deleted.</summary>
    Deleted,

    /// <summary>A bookmark: only <c>metadata.resourceVersion</c> of the object is meaningful.</summary>
    Bookmark,

    /// <summary>An error; the object is a Kubernetes <c>Status</c>.</summary>
    Error,
}

/// <summary>One event of a watch.</summary>
/// <param name="Type">The event type.</param>
/// <param name="Object">The object (or <c>Status</c> for <see cref="WatchEventType.Error"/>).</param>
public sealed record WatchEvent(WatchEventType Type, JsonObject Object);

/// <summary>The kind of a patch.</summary>
public enum PatchKind
{
    /// <summary>JSON merge patch (RFC 7386), <c>application/merge-patch+json</c>.</summary>
    Merge,

    /// <summary>JSON patch (RFC 6902), <c>application/json-patch+json</c>.</summary>
    Json,

    /// <summary>Server-side apply, <c>application/apply-patch+yaml</c>.</summary>
    Apply,
}

/// <summary>A patch document.</summary>
/// <param name="Kind">The patch kind.</param>
/// <param name="Document">The patch document.</param>
/// <param name="FieldManager">The field manager (required for <see cref="PatchKind.Apply"/>).</param>
/// <param name="Force">Whether server-side apply forces conflicting fields.</param>
public sealed record Patch(PatchKind Kind, JsonNode Document, string? FieldManager = null, bool Force = false);
