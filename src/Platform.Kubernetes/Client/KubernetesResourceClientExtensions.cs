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
}
