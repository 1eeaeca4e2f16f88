using System.Text.Json.Nodes;
using Platform.Charts.Loading;
using Platform.Charts.Values;

namespace Platform.Charts.Dependencies;

/// <summary>A mutable copy of a chart tree that dependency processing reshapes (Helm mutates its chart in place).</summary>
internal sealed class WorkingChart
{
    public required string Name { get; set; }

    public required string Version { get; init; }

    public required string SourcePath { get; init; }

    public required JsonObject Defaults { get; set; }

    public required Chart Source { get; init; }

    public List<WorkingDependency>? Requirements { get; set; }

    public List<WorkingChart> Subcharts { get; set; } = [];

    public static WorkingChart From(Chart chart, string parentPath, YamlReadOptions yaml)
    {
        string where = chart.SourcePath.Length == 0 ? chart.Name : chart.SourcePath;
        JsonObject defaults = chart.ValuesText is null
            ? new JsonObject()
            : ValuesYaml.Parse(chart.ValuesText, where + "/" + (chart.ValuesFileName ?? "values.yaml"), yaml);
        return new WorkingChart
        {
            Name = chart.Name,
            Version = chart.Metadata.Version,
            SourcePath = chart.SourcePath,
            Defaults = defaults,
            Source = chart,
            Requirements = chart.Metadata.Dependencies.Count == 0 ? null : chart.Metadata.Dependencies.Select(WorkingDependency.From).ToList(),
            Subcharts = chart.Subcharts.Select(s => From(s, where, yaml)).ToList(),
        };
    }

    public WorkingChart DeepCopy() => new()
    {
        Name = Name,
        Version = Version,
        SourcePath = SourcePath,
        Defaults = Defaults, // never mutated in place: processing replaces it
        Source = Source,
        Requirements = Requirements?.Select(r => r.Copy()).ToList(),
        Subcharts = Subcharts.Select(s => s.DeepCopy()).ToList(),
    };

    public ValuesChart ToValuesChart() => new(Name, Defaults, Subcharts.Select(s => s.ToValuesChart()).ToList()) { Source = Source };
}

internal sealed class WorkingDependency
{
    public required string Name { get; set; }

    public string? Version { get; init; }

    public string? Alias { get; init; }

    public string? Condition { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];

    public IReadOnlyList<JsonNode?> ImportValues { get; init; } = [];

    public bool Enabled { get; set; }

    public static WorkingDependency From(ChartDependency d) => new()
    {
        Name = d.Name,
        Version = d.Version,
        Alias = d.Alias,
        Condition = d.Condition,
        Tags = d.Tags,
        ImportValues = d.ImportValues,
        Enabled = d.Enabled,
    };

    public WorkingDependency Copy() => (WorkingDependency)MemberwiseClone();
}
