using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Platform.Charts.Schema;

/// <summary>Supplies the schema documents that remote references (<c>$ref</c>, <c>$schema</c>) point to.</summary>
/// <remarks>Called only while a schema compiles, never during validation. Implementations must be thread-safe
/// when the same options compile schemas concurrently.</remarks>
public interface ISchemaResolver
{
    /// <summary>Returns the schema document identified by <paramref name="uri"/>.</summary>
    /// <param name="uri">The absolute URI, without fragment.</param>
    /// <returns>The document, or <see langword="null"/> when the resolver does not know it.</returns>
    JsonNode? Resolve(Uri uri);
}

/// <summary>An <see cref="ISchemaResolver"/> over documents registered in memory by URI.</summary>
/// <remarks>Thread-safe.</remarks>
public sealed class InMemorySchemaResolver : ISchemaResolver
{
    private readonly ConcurrentDictionary<string, JsonNode> documents = new(StringComparer.Ordinal);

    /// <summary>Registers (or replaces) a document.</summary>
    /// <param name="uri">The absolute URI; a fragment is ignored.</param>
    /// <param name="document">The schema document.</param>
    /// <returns>This resolver.</returns>
    public InMemorySchemaResolver Add(Uri uri, JsonNode document)
    {
        ArgumentNullException.ThrowIfNull(uri);
        ArgumentNullException.ThrowIfNull(document);
        if (!uri.IsAbsoluteUri)
        {
            throw new ArgumentException("The URI must be absolute.", nameof(uri));
        }

        documents[Internal.SchemaUri.Normalize(uri.OriginalString)] = document;
        return this;
    }

    /// <inheritdoc />
    public JsonNode? Resolve(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return documents.TryGetValue(Internal.SchemaUri.Normalize(uri.OriginalString), out JsonNode? node) ? node : null;
    }
}
