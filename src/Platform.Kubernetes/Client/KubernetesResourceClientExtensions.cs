using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;

namespace Platform.Kubernetes.Client;

/// <summary>Paging and convenience helpers over any <see cref="IKubernetesResourceClient"/>.</summary>
public static class KubernetesResourceClientExtensions
{
    /// <summary>The page size <see cref="ListAllAsync"/> and <see cref="ListCompleteAsync"/> use when the options set none (500, as kubectl's chunk size).</summary>
    public const int DefaultPageSize = 500;

    /// <summary>
    /// Streams every object of a collection, reading pages of <see cref="ListOptions.Limit"/> (default
    /// <see cref="DefaultPageSize"/>) and following <c>continue</c> tokens.
    /// </summary>
    /// <param name="client">The client.</param>
    /// <param name="type">The resource type.</param>
    /// <param name="namespace">The namespace, or <see langword="null"/> for all namespaces or a cluster-scoped resource.</param>
    /// <param name="options">Selectors and page size; a <see cref="ListOptions.Continue"/> starts mid-list.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The objects in server order.</returns>
    /// <exception cref="KubernetesGoneException">A continue token expired mid-list (objects already yielded cannot be taken back; use <see cref="ListCompleteAsync"/> to fall back to a full list).</exception>
    public static async IAsyncEnumerable<JsonObject> ListAllAsync(
        this IKubernetesResourceClient client,
        ResourceType type,
        string? @namespace,
        ListOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var page = (options ?? new ListOptions()) with { Limit = options?.Limit ?? DefaultPageSize };
        while (true)
        {
            var list = await client.ListAsync(type, @namespace, page, cancellationToken).ConfigureAwait(false);
            foreach (var item in list.Items)
            {
                yield return item;
            }

            if (string.IsNullOrEmpty(list.Continue))
            {
                yield break;
            }

            page = page with { Continue = list.Continue };
        }
    }

    /// <summary>
    /// Lists a whole collection page by page and returns one consistent list with the resource version to watch
    /// from. As client-go's pager, a continue token that expires mid-list (<c>410</c>) falls back to one list
    /// without paging.
    /// </summary>
    /// <param name="client">The client.</param>
    /// <param name="type">The resource type.</param>
    /// <param name="namespace">The namespace, or <see langword="null"/> for all namespaces or a cluster-scoped resource.</param>
    /// <param name="options">Selectors and page size (default <see cref="DefaultPageSize"/>).</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>All objects and the list's resource version; <see cref="ResourceList.Continue"/> is <see langword="null"/>.</returns>
    public static async Task<ResourceList> ListCompleteAsync(
        this IKubernetesResourceClient client,
        ResourceType type,
        string? @namespace,
        ListOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var page = (options ?? new ListOptions()) with { Limit = options?.Limit ?? DefaultPageSize, Continue = null };
        var items = new List<JsonObject>();
        string? resourceVersion = null;
        try
        {
            while (true)
            {
                var list = await client.ListAsync(type, @namespace, page, cancellationToken).ConfigureAwait(false);
                items.AddRange(list.Items);
                resourceVersion ??= list.ResourceVersion;
                if (string.IsNullOrEmpty(list.Continue))
                {
                    return new ResourceList(items, resourceVersion, null);
                }

                page = page with { Continue = list.Continue };
            }
        }
        catch (KubernetesGoneException) when (page.Continue is not null)
        {
            var full = await client.ListAsync(type, @namespace, page with { Limit = null, Continue = null }, cancellationToken).ConfigureAwait(false);
            return new ResourceList(full.Items, full.ResourceVersion, null);
        }
    }

    /// <summary>Gets one object, or <see langword="null"/> when it does not exist.</summary>
    /// <param name="client">The client.</param>
    /// <param name="type">The resource type.</param>
    /// <param name="namespace">The namespace, or <see langword="null"/> for a cluster-scoped resource.</param>
    /// <param name="name">The object name.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The object, or <see langword="null"/> on <c>404</c>.</returns>
    public static async Task<JsonObject?> GetOrDefaultAsync(
        this IKubernetesResourceClient client, ResourceType type, string? @namespace, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        try
        {
            return await client.GetAsync(type, @namespace, name, cancellationToken).ConfigureAwait(false);
        }
        catch (KubernetesNotFoundException)
        {
            return null;
        }
    }

    /// <summary>
    /// Watches and, whenever the server or the network ends the stream, watches again from the last resource
    /// version seen (bookmarks included), as client-go's reflector does. A <c>410 Gone</c> is not hidden: it surfaces as
    /// <see cref="KubernetesGoneException"/> and the caller relists (for example with <see cref="ListCompleteAsync"/>) and
    /// watches from the new list's resource version.
    /// </summary>
    /// <remarks>
    /// Start from a list's resource version: a watch without one starts "now" and a reconnect before the first event
    /// cannot know what it missed. Streams that end without delivering anything are re-opened after a backoff from
    /// 800 ms doubling to 30 s (with jitter), so a server that closes watches at once is not hammered; a stream
    /// that delivered events is re-opened at once. Runs until cancelled or an error other than a dropped stream.
    /// </remarks>
    /// <param name="client">The client.</param>
    /// <param name="type">The resource type.</param>
    /// <param name="namespace">The namespace, or <see langword="null"/> for all namespaces.</param>
    /// <param name="options">Where to start and the selectors.</param>
    /// <param name="timeProvider">The clock for the reconnect backoff; <see langword="null"/> uses the system clock.</param>
    /// <param name="cancellationToken">Ends the watch.</param>
    /// <returns>The events of all the watch streams, in order.</returns>
    public static async IAsyncEnumerable<WatchEvent> WatchResumingAsync(
        this IKubernetesResourceClient client,
        ResourceType type,
        string? @namespace,
        WatchOptions options,
        TimeProvider? timeProvider = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        var time = timeProvider ?? TimeProvider.System;
        var resourceVersion = options.ResourceVersion;
        var idle = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var delivered = false;
            await foreach (var e in client.WatchAsync(type, @namespace, options with { ResourceVersion = resourceVersion }, cancellationToken).ConfigureAwait(false))
            {
                if ((e.Object["metadata"] as JsonObject)?["resourceVersion"] is JsonValue rv && rv.TryGetValue<string>(out var text) && text.Length > 0)
                {
                    resourceVersion = text;
                }

                delivered = true;
                yield return e;
            }

            if (delivered)
            {
                idle = 0;
                continue;
            }

            idle++;
            var ms = Math.Min(800 * Math.Pow(2, Math.Min(idle - 1, 10)), 30_000);
            var delay = TimeSpan.FromMilliseconds((ms / 2) + (Random.Shared.NextDouble() * ms / 2));
            await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
        }
    }
}
