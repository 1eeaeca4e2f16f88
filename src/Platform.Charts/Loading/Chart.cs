using System.Text;

namespace Platform.Charts.Loading;

/// <summary>
/// Represents a loaded Helm chart: its <c>Chart.yaml</c> metadata, lock file, default values text, schema, other
/// files and subcharts. Immutable; produced by <see cref="ChartLoader"/>.
/// </summary>
/// <remarks>
/// The values file is kept as text (<see cref="ValuesText"/>) so that the values engine parses it with its own
/// YAML rules. Lists are in a stable order: files by path (ordinal), subcharts by their entry name under
/// <c>charts/</c> (ordinal).
/// </remarks>
public sealed record Chart
{
    /// <summary>Gets the metadata read from <c>Chart.yaml</c> (and, for dependencies, <c>requirements.yaml</c>).</summary>
    public required ChartMetadata Metadata { get; init; }

    /// <summary>Gets the lock file (<c>Chart.lock</c> or <c>requirements.lock</c>), or <see langword="null"/> when there is none.</summary>
    public ChartLock? Lock { get; init; }

    /// <summary>Gets the text of the default values file with any UTF-8 BOM removed, or <see langword="null"/> when the chart has none.</summary>
    public string? ValuesText { get; init; }

    /// <summary>Gets the name of the default values file inside the chart (<c>values.yaml</c>), or <see langword="null"/>.</summary>
    public string? ValuesFileName { get; init; }

    /// <summary>Gets the text of <c>values.schema.json</c>, or <see langword="null"/> when the chart has no schema.</summary>
    public string? SchemaText { get; init; }

    /// <summary>Gets the files under <c>templates/</c>, by path.</summary>
    public IReadOnlyList<ChartFile> Templates { get; init; } = [];

    /// <summary>
    /// Gets every other file of the chart (for example <c>README.md</c>, <c>questions.yaml</c>, <c>crds/…</c>,
    /// <c>.helmignore</c>, <c>charts/*.prov</c>; for apiVersion v1 also <c>requirements.yaml</c> and
    /// <c>requirements.lock</c>), by path. <c>Chart.yaml</c>, the lock file, <c>values.yaml</c>,
    /// <c>values.schema.json</c>, templates and subchart content are not repeated here.
    /// </summary>
    public IReadOnlyList<ChartFile> Files { get; init; } = [];

    /// <summary>Gets the charts found under <c>charts/</c> (directories and <c>.tgz</c> archives), loaded recursively.</summary>
    public IReadOnlyList<Chart> Subcharts { get; init; } = [];

    /// <summary>
    /// Gets where this chart sits inside the chart that was loaded: empty for the root chart, otherwise the parent's
    /// path plus <c>charts/&lt;entry&gt;</c> (for example <c>charts/mariner-4.3.2.tgz/charts/albatross-0.1.0.tgz</c>).
    /// </summary>
    public string SourcePath { get; init; } = string.Empty;

    /// <summary>Gets the chart name (<see cref="ChartMetadata.Name"/>).</summary>
    public string Name => Metadata.Name;

    /// <summary>Finds a file in <see cref="Files"/> or <see cref="Templates"/> by its path inside the chart.</summary>
    /// <param name="name">The path with <c>/</c> separators, for example <c>questions.yaml</c>.</param>
    /// <returns>The file, or <see langword="null"/> when the chart has no such file.</returns>
    public ChartFile? FindFile(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (var f in Files)
        {
            if (string.Equals(f.Name, name, StringComparison.Ordinal))
            {
                return f;
            }
        }

        foreach (var f in Templates)
        {
            if (string.Equals(f.Name, name, StringComparison.Ordinal))
            {
                return f;
            }
        }

        return null;
    }
}

/// <summary>Represents one file of a chart: its path inside the chart and its bytes (a leading UTF-8 BOM removed).</summary>
/// <param name="Name">The path inside the chart with <c>/</c> separators, for example <c>templates/deployment.yaml</c>.</param>
/// <param name="Data">The file content.</param>
public sealed record ChartFile(string Name, ReadOnlyMemory<byte> Data)
{
    /// <summary>Decodes the content as UTF-8 (invalid sequences become U+FFFD).</summary>
    /// <returns>The text.</returns>
    public string ReadText() => Encoding.UTF8.GetString(Data.Span);
}
