using System.Text;
using System.Text.Json.Nodes;
using Platform.Abstractions;

namespace Platform.Charts.Values;

/// <summary>
/// Reads YAML values files into <see cref="JsonObject"/> trees exactly as Helm reads them, and writes values
/// back as readable, stable YAML.
/// </summary>
/// <remarks>
/// <para>Reading follows Helm (sigs.k8s.io/yaml over go-yaml v2): YAML 1.1 plain-scalar resolution
/// (<c>yes/no/on/off/y/n</c> booleans; <c>~</c>, <c>null</c> and empty are null; <c>0x</c>, <c>0o</c>, <c>0b</c>,
/// leading-<c>0</c> octal and <c>_</c> separators in integers; timestamps and <c>1:30</c> stay strings;
/// <c>.inf</c>/<c>.nan</c> are rejected), non-string keys stringified (<c>1: a</c> gives key <c>"1"</c>,
/// <c>yes: a</c> gives key <c>"true"</c>), anchors, aliases and <c>&lt;&lt;</c> merge keys (applied in order of
/// appearance, as go-yaml v2 does). An empty document is <c>{}</c>; a top-level list or scalar is an error.
/// Documents of a multi-document file are merged in order, later documents winning.</para>
/// <para>One deliberate difference: Helm rounds integers above 2^53 through float64; they are kept exact here.</para>
/// <para>All members are thread-safe.</para>
/// </remarks>
public static class ValuesYaml
{
    /// <summary>Parses a values document (a YAML mapping).</summary>
    /// <param name="yaml">The YAML text.</param>
    /// <param name="fileName">The file name used in error messages, or <see langword="null"/>.</param>
    /// <param name="options">Limits; <see langword="null"/> uses <see cref="YamlReadOptions.Default"/>.</param>
    /// <returns>A new tree the caller owns.</returns>
    /// <exception cref="ValuesException">The text is not valid YAML, its top level is not a mapping, or a limit is exceeded.</exception>
    public static JsonObject Parse(string yaml, string? fileName = null, YamlReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        options ??= YamlReadOptions.Default;
        var documents = YamlValuesReader.ReadDocuments(yaml, fileName, options);
        JsonObject result = new();
        foreach (var (node, start) in documents)
        {
            switch (node)
            {
                case null:
                    continue;
                case JsonObject map:
                    result = documents.Count == 1 ? map : ValuesMerge.MergeMaps(result, map);
                    break;
                default:
                    int line = (int)start.Line;
                    throw new ValuesException(
                        $"{YamlValuesReader.Describe(fileName)}:{line}: values must be a YAML mapping (key: value), but the document is a {Describe(node)}",
                        fileName,
                        line,
                        (int)start.Column);
            }
        }

        return result;
    }

    /// <summary>Parses any YAML or JSON document (mapping, list or scalar); only the first document is read.</summary>
    /// <param name="yaml">The YAML or JSON text.</param>
    /// <param name="fileName">The file name used in error messages, or <see langword="null"/>.</param>
    /// <param name="options">Limits; <see langword="null"/> uses <see cref="YamlReadOptions.Default"/>.</param>
    /// <returns>The document, or <see langword="null"/> for an empty or null document.</returns>
    /// <exception cref="ValuesException">The text is not valid YAML or a limit is exceeded.</exception>
    public static JsonNode? ParseDocument(string yaml, string? fileName = null, YamlReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        options = (options ?? YamlReadOptions.Default) with { MergeDocuments = false };
        var documents = YamlValuesReader.ReadDocuments(yaml, fileName, options);
        return documents.Count == 0 ? null : documents[0].Node;
    }

    /// <summary>Reads and parses a values file.</summary>
    /// <param name="path">The file path.</param>
    /// <param name="options">Limits; <see langword="null"/> uses <see cref="YamlReadOptions.Default"/>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>A new tree the caller owns.</returns>
    /// <exception cref="ValuesException">The file cannot be read or parsed.</exception>
    public static async Task<JsonObject> ReadFileAsync(string path, YamlReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= YamlReadOptions.Default;
        string text;
        try
        {
            var info = new FileInfo(path);
            if (info.Exists && info.Length > (long)options.MaxCharacters * 4)
            {
                throw new ValuesException($"{path}: the file has {info.Length} bytes; the limit is about {options.MaxCharacters} characters.", path);
            }

            text = await File.ReadAllTextAsync(path, Encoding.UTF8, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            throw new ValuesException($"{path}: cannot read the values file: {ex.Message}", path, innerException: ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new ValuesException($"{path}: cannot read the values file: {ex.Message}", path, innerException: ex);
        }

        return Parse(text, path, options);
    }

    /// <summary>Writes values as block-style YAML, keeping key order and quoting every string that would otherwise read back as another type.</summary>
    /// <param name="values">The values (any node; <see langword="null"/> writes <c>null</c>).</param>
    /// <returns>The YAML text, ending with a newline.</returns>
    public static string Write(JsonNode? values)
    {
        var sb = new StringBuilder();
        using var writer = new StringWriter(sb);
        Write(writer, values);
        return sb.ToString();
    }

    /// <summary>Writes values as block-style YAML to a writer.</summary>
    /// <param name="writer">The destination.</param>
    /// <param name="values">The values (any node; <see langword="null"/> writes <c>null</c>).</param>
    public static void Write(TextWriter writer, JsonNode? values)
    {
        ArgumentNullException.ThrowIfNull(writer);
        YamlValuesWriter.Write(writer, values);
    }

    private static string Describe(JsonNode node) => node is JsonArray ? "list" : "scalar";
}
