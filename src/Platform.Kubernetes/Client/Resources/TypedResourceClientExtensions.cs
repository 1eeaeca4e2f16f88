using System.Runtime.CompilerServices;

namespace Platform.Kubernetes.Client;

/// <summary>Typed get, list, create and replace over any <see cref="IKubernetesResourceClient"/>.</summary>
public static class TypedResourceClientExtensions
{
    /// <summary>Gets one object as a typed record.</summary>
    /// <typeparam name="T">The record type, for example <see cref="Secret"/>.</typeparam>
    /// <param name="client">The client.</param>
    /// <param name="namespace">The namespace, or <see langword="null"/> for a cluster-scoped type.</param>
    /// <param name="name">The object name.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The record.</returns>
    public static async Task<T> GetAsync<T>(this IKubernetesResourceClient client, string? @namespace, string name, CancellationToken cancellationToken = default)
        where T : IKubernetesObject<T>
    {
        ArgumentNullException.ThrowIfNull(client);
        return T.FromJson(await client.GetAsync(T.Type, @namespace, name, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Streams every object of a type as typed records, page by page.</summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="client">The client.</param>
    /// <param name="namespace">The namespace, or <see langword="null"/> for all namespaces or a cluster-scoped type.</param>
    /// <param name="options">Selectors and page size.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The records in server order.</returns>
    public static async IAsyncEnumerable<T> ListAllAsync<T>(
        this IKubernetesResourceClient client, string? @namespace, ListOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        where T : IKubernetesObject<T>
    {
        await foreach (var item in client.ListAllAsync(T.Type, @namespace, options, cancellationToken).ConfigureAwait(false))
        {
            yield return T.FromJson(item);
        }
    }

    /// <summary>Creates an object from a typed record (in <c>Metadata.Namespace</c> for namespaced types).</summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="client">The client.</param>
    /// <param name="value">The record.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The created object as the server stored it.</returns>
    public static async Task<T> CreateAsync<T>(this IKubernetesResourceClient client, T value, CancellationToken cancellationToken = default)
        where T : IKubernetesObject<T>
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(value);
        var created = await client.CreateAsync(T.Type, T.Type.Namespaced ? value.Metadata.Namespace : null, value.ToJson(), cancellationToken).ConfigureAwait(false);
        return T.FromJson(created);
    }

    /// <summary>Replaces an object with a typed record; <c>Metadata.ResourceVersion</c> guards against lost updates (409 on conflict).</summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="client">The client.</param>
    /// <param name="value">The record; <c>Metadata.Name</c> is required.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The stored object.</returns>
    public static async Task<T> ReplaceAsync<T>(this IKubernetesResourceClient client, T value, CancellationToken cancellationToken = default)
        where T : IKubernetesObject<T>
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(value);
        var name = value.Metadata.Name ?? throw new ArgumentException("Metadata.Name is required to replace an object.", nameof(value));
        var stored = await client.ReplaceAsync(T.Type, T.Type.Namespaced ? value.Metadata.Namespace : null, name, value.ToJson(), cancellationToken).ConfigureAwait(false);
        return T.FromJson(stored);
    }
}
