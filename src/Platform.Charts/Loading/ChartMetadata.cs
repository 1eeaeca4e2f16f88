using System.Text.Json.Nodes;

namespace Platform.Charts.Loading;

/// <summary>
/// Represents the content of <c>Chart.yaml</c> as Helm reads it (YAML → JSON → typed fields): unknown keys are
/// ignored, keys match case-insensitively, and scalars given for text fields keep their text (<c>version: 1.0</c>
/// is <c>"1.0"</c>). Strings are sanitized as Helm does (whitespace becomes a space, unprintable characters are
/// removed). Missing strings are <see langword="null"/>.
/// </summary>
public sealed record ChartMetadata
{
    /// <summary>Gets the chart API version: <c>v1</c> (also when <c>Chart.yaml</c> omits it) or <c>v2</c>.</summary>
    public required string ApiVersion { get; init; }

    /// <summary>Gets the chart name.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the chart version as written (a SemVer 2 version, leniently parsed).</summary>
    public required string Version { get; init; }

    /// <summary>Gets the version of the packaged application, as written.</summary>
    public string? AppVersion { get; init; }

    /// <summary>Gets the one-sentence description.</summary>
    public string? Description { get; init; }

    /// <summary>Gets the chart type as written: <see langword="null"/> (meaning application), <c>application</c> or <c>library</c>.</summary>
    public string? Type { get; init; }

    /// <summary>Gets a value indicating whether the chart is a library chart (<c>type: library</c>).</summary>
    public bool IsLibrary => string.Equals(Type, "library", StringComparison.Ordinal);

    /// <summary>Gets the SemVer constraint on the Kubernetes version, as written.</summary>
    public string? KubeVersion { get; init; }

    /// <summary>Gets the keywords.</summary>
    public IReadOnlyList<string> Keywords { get; init; } = [];

    /// <summary>Gets the project home page URL.</summary>
    public string? Home { get; init; }

    /// <summary>Gets the source code URLs.</summary>
    public IReadOnlyList<string> Sources { get; init; } = [];

    /// <summary>Gets the maintainers.</summary>
    public IReadOnlyList<ChartMaintainer> Maintainers { get; init; } = [];

    /// <summary>Gets the icon URL.</summary>
    public string? Icon { get; init; }

    /// <summary>Gets a value indicating whether the chart is marked deprecated.</summary>
    public bool Deprecated { get; init; }

    /// <summary>Gets the annotations, in file order.</summary>
    public IReadOnlyDictionary<string, string> Annotations { get; init; } = new Dictionary<string, string>();

    /// <summary>Gets the top-level <c>condition</c> field (unused by Helm 3+, kept for completeness).</summary>
    public string? Condition { get; init; }

    /// <summary>Gets the top-level <c>tags</c> field (unused by Helm 3+, kept for completeness).</summary>
    public string? Tags { get; init; }

    /// <summary>
    /// Gets the declared dependencies: from <c>Chart.yaml</c>, or from <c>requirements.yaml</c> when that file is
    /// present (as Helm does for apiVersion v1, and with a warning for v2).
    /// </summary>
    public IReadOnlyList<ChartDependency> Dependencies { get; init; } = [];
}

/// <summary>Represents a chart maintainer.</summary>
/// <param name="Name">The person or organization name.</param>
/// <param name="Email">The e-mail address, or <see langword="null"/>.</param>
/// <param name="Url">The URL, or <see langword="null"/>.</param>
public sealed record ChartMaintainer(string? Name, string? Email, string? Url);

/// <summary>Represents one entry of <c>dependencies</c> in <c>Chart.yaml</c>, <c>requirements.yaml</c> or a lock file.</summary>
public sealed record ChartDependency
{
    private readonly IReadOnlyList<JsonNode?> _importValues = [];

    /// <summary>Gets the chart name the dependency refers to.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the version constraint as written (for example <c>~1.2.0</c>), or <see langword="null"/>. In a lock file this is an exact version.</summary>
    public string? Version { get; init; }

    /// <summary>Gets the repository URL or alias (<c>@name</c>, <c>file://…</c>, <c>oci://…</c>), or <see langword="null"/>.</summary>
    public string? Repository { get; init; }

    /// <summary>Gets the comma-separated condition paths, or <see langword="null"/>.</summary>
    public string? Condition { get; init; }

    /// <summary>Gets the tags.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Gets the <c>enabled</c> field as written (Helm recomputes it while processing dependencies).</summary>
    public bool Enabled { get; init; }

    /// <summary>
    /// Gets the raw <c>import-values</c> entries: each a string (an exported name) or an object with
    /// <c>child</c> and <c>parent</c>. Every read returns fresh copies, so the model cannot be changed through them.
    /// </summary>
    public IReadOnlyList<JsonNode?> ImportValues
    {
        get => _importValues.Count == 0 ? [] : _importValues.Select(n => n?.DeepClone()).ToArray();
        init => _importValues = value is null ? [] : value.Select(n => n?.DeepClone()).ToArray();
    }

    /// <summary>Gets the alias under which the subchart is used, or <see langword="null"/>.</summary>
    public string? Alias { get; init; }
}

/// <summary>Represents a lock file (<c>Chart.lock</c>, or <c>requirements.lock</c> for Helm 2 charts).</summary>
public sealed record ChartLock
{
    /// <summary>Gets the name of the file the lock was read from.</summary>
    public required string FileName { get; init; }

    /// <summary>Gets when the lock was generated, or <see langword="null"/> when the file does not say.</summary>
    public DateTimeOffset? Generated { get; init; }

    /// <summary>Gets the digest of the dependency list, as written.</summary>
    public string? Digest { get; init; }

    /// <summary>Gets the locked dependencies.</summary>
    public IReadOnlyList<ChartDependency> Dependencies { get; init; } = [];
}
