using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.Abstractions;

namespace Platform.Charts.Values;

/// <summary>
/// The user-supplied values of one Helm invocation: <c>-f</c> files and the <c>--set</c> family.
/// </summary>
/// <remarks>
/// Flags apply by type, not by command-line order, exactly as Helm applies them: <c>-f</c> files in order, then
/// every <c>--set-json</c>, <c>--set</c>, <c>--set-string</c>, <c>--set-file</c> and finally <c>--set-literal</c>.
/// </remarks>
public sealed record UserValuesOptions
{
    /// <summary>Gets the values files (<c>-f</c>), applied in order; <c>-</c> reads standard input.</summary>
    public IReadOnlyList<string> ValueFiles { get; init; } = [];

    /// <summary>Gets the <c>--set-json</c> expressions (<c>a.b={"x":1}</c>, or a whole JSON object).</summary>
    public IReadOnlyList<string> JsonValues { get; init; } = [];

    /// <summary>Gets the <c>--set</c> expressions.</summary>
    public IReadOnlyList<string> Values { get; init; } = [];

    /// <summary>Gets the <c>--set-string</c> expressions.</summary>
    public IReadOnlyList<string> StringValues { get; init; } = [];

    /// <summary>Gets the <c>--set-file</c> expressions (<c>key=path</c>).</summary>
    public IReadOnlyList<string> FileValues { get; init; } = [];

    /// <summary>Gets the <c>--set-literal</c> expressions.</summary>
    public IReadOnlyList<string> LiteralValues { get; init; } = [];

    /// <summary>
    /// Gets the largest file that <c>-f</c> or <c>--set-file</c> may read, in bytes. Defaults to 64 MiB.
    /// </summary>
    public long MaxFileBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Gets the YAML limits for values files.</summary>
    public YamlReadOptions Yaml { get; init; } = YamlReadOptions.Default;

    /// <summary>Gets a value indicating whether any values are given.</summary>
    public bool IsEmpty =>
        ValueFiles.Count + JsonValues.Count + Values.Count + StringValues.Count + FileValues.Count + LiteralValues.Count == 0;
}

/// <summary>Builds the user-supplied values tree from <see cref="UserValuesOptions"/>, as Helm's <c>MergeValues</c> does.</summary>
/// <remarks>All members are thread-safe.</remarks>
public static class UserValues
{
    /// <summary>Reads the files and applies every expression.</summary>
    /// <param name="options">The files and expressions.</param>
    /// <param name="standardInput">Supplies standard input for a <c>-</c> file; <see langword="null"/> rejects <c>-</c>.</param>
    /// <param name="cancellationToken">Cancels file reads.</param>
    /// <returns>The merged user values (a new tree).</returns>
    /// <exception cref="ValuesException">A file cannot be read or parsed, or an expression is invalid.</exception>
    public static async Task<JsonObject> MergeAsync(UserValuesOptions options, Func<TextReader>? standardInput = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var files = new List<(string Name, string Text)>(options.ValueFiles.Count);
        foreach (string path in options.ValueFiles)
        {
            files.Add((path, await ReadTextAsync(path, options.MaxFileBytes, standardInput, cancellationToken).ConfigureAwait(false)));
        }

        return Merge(options, files, path => ReadTextAsync(path, options.MaxFileBytes, standardInput, CancellationToken.None).GetAwaiter().GetResult());
    }

    /// <summary>Applies the options to already-read values files.</summary>
    /// <param name="options">The expressions (its <see cref="UserValuesOptions.ValueFiles"/> are ignored).</param>
    /// <param name="valueFiles">The values files as (name, YAML text), in order.</param>
    /// <param name="readFile">Reads a <c>--set-file</c> path; <see langword="null"/> rejects <c>--set-file</c>.</param>
    /// <returns>The merged user values (a new tree).</returns>
    /// <exception cref="ValuesException">A file cannot be parsed or an expression is invalid.</exception>
    public static JsonObject Merge(UserValuesOptions options, IEnumerable<(string Name, string Text)> valueFiles, Func<string, string>? readFile = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(valueFiles);
        var result = new JsonObject();
        foreach (var (name, text) in valueFiles)
        {
            ValuesMerge.MergeMapsInPlace(result, ValuesYaml.Parse(text, name, options.Yaml));
        }

        foreach (string expression in options.JsonValues)
        {
            ApplyJson(result, expression);
        }

        foreach (string expression in options.Values)
        {
            SetParser.ParseInto(expression, result, SetMode.Typed);
        }

        foreach (string expression in options.StringValues)
        {
            SetParser.ParseInto(expression, result, SetMode.String);
        }

        if (options.FileValues.Count > 0)
        {
            if (readFile is null)
            {
                throw new SetExpressionException($"failed parsing --set-file \"{options.FileValues[0]}\": no file reader is configured", options.FileValues[0], 0);
            }

            foreach (string expression in options.FileValues)
            {
                SetParser.ParseInto(expression, result, SetMode.File, path => JsonValue.Create(readFile(path)));
            }
        }

        foreach (string expression in options.LiteralValues)
        {
            SetParser.ParseInto(expression, result, SetMode.Literal);
        }

        return result;
    }

    /// <summary>Applies one expression of the <c>--set</c> family to <paramref name="target"/>, mutating it.</summary>
    /// <param name="target">The values to change.</param>
    /// <param name="expression">The expression, for example <c>image.tag=1.2,replicas=3</c>.</param>
    /// <param name="mode">Which flag the expression came from.</param>
    /// <param name="readFile">Reads a path for <see cref="SetMode.File"/>.</param>
    /// <exception cref="SetExpressionException">The expression is invalid; the message names it and the position.</exception>
    public static void Apply(JsonObject target, string expression, SetMode mode, Func<string, string>? readFile = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(expression);
        if (mode == SetMode.Json)
        {
            ApplyJson(target, expression);
            return;
        }

        SetParser.ParseInto(expression, target, mode, readFile is null ? null : path => JsonValue.Create(readFile(path)));
    }

    private static void ApplyJson(JsonObject target, string expression)
    {
        string trimmed = expression.Trim();
        if (trimmed.Length > 0 && trimmed[0] == '{')
        {
            // The whole-object form: --set-json '{"a":{"b":1}}' merges like a values file.
            JsonNode? node;
            try
            {
                node = JsonNode.Parse(trimmed);
            }
            catch (JsonException ex)
            {
                throw new SetExpressionException(
                    $"failed parsing --set-json data JSON \"{expression}\": {ex.Message}",
                    expression,
                    (int)(ex.BytePositionInLine ?? 0),
                    innerException: ex);
            }

            if (node is not JsonObject map)
            {
                throw new SetExpressionException($"failed parsing --set-json data JSON \"{expression}\": expected a JSON object", expression, 0);
            }

            ValuesMerge.MergeMapsInPlace(target, map);
            return;
        }

        SetParser.ParseInto(expression, target, SetMode.Json);
    }

    private static async Task<string> ReadTextAsync(string path, long maxBytes, Func<TextReader>? standardInput, CancellationToken cancellationToken)
    {
        if (path.Trim() == "-")
        {
            if (standardInput is null)
            {
                throw new ValuesException("reading values from standard input ('-') is not enabled here", "-");
            }

            using TextReader reader = standardInput();
            char[] buffer = new char[8192];
            var sb = new StringBuilder();
            int read;
            while ((read = await reader.ReadAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false)) > 0)
            {
                sb.Append(buffer, 0, read);
                if (sb.Length > maxBytes)
                {
                    throw new ValuesException($"standard input: more than {maxBytes} bytes of values", "-");
                }
            }

            return sb.ToString();
        }

        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                throw new ValuesException($"{path}: no such values file", path);
            }

            if (info.Length > maxBytes)
            {
                throw new ValuesException($"{path}: the file has {info.Length} bytes; the limit is {maxBytes}", path);
            }

            return await File.ReadAllTextAsync(path, Encoding.UTF8, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            throw new ValuesException($"{path}: cannot read: {ex.Message}", path, innerException: ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new ValuesException($"{path}: cannot read: {ex.Message}", path, innerException: ex);
        }
    }
}
