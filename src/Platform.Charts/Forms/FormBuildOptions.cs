using System.Text.Json.Nodes;

namespace Platform.Charts.Forms;

/// <summary>Options of <see cref="FormBuilder"/>: the values to show, localisation and the limits that keep hostile schemas bounded.</summary>
public sealed record FormBuildOptions
{
    /// <summary>Gets the shared default options.</summary>
    public static FormBuildOptions Default { get; } = new();

    /// <summary>Gets the values being edited (for example the user-supplied values of an upgrade); fills <see cref="FormField.Current"/>. Not modified.</summary>
    public JsonObject? CurrentValues { get; init; }

    /// <summary>Gets the values of the deployed release; fills <see cref="FormField.Deployed"/>. Not modified.</summary>
    public JsonObject? DeployedValues { get; init; }

    /// <summary>Gets the localizer for labels, descriptions and group names, or <see langword="null"/> for the chart's own texts.</summary>
    public IFormTextLocalizer? Localizer { get; init; }

    /// <summary>
    /// Gets a value indicating whether keys present in the chart defaults but not described by the schema become
    /// inferred fields (when the schema allows them). Defaults to <see langword="true"/>: the form then covers every
    /// value, as the YAML editor would.
    /// </summary>
    public bool IncludeValuesNotInSchema { get; init; } = true;

    /// <summary>
    /// Gets a value indicating whether string fields whose key looks like a secret (ends in <c>password</c>,
    /// <c>passwd</c>, <c>token</c>, <c>apiKey</c>, <c>secretKey</c>, <c>privateKey</c>, <c>clientSecret</c>,
    /// <c>cookieSecret</c>; not <c>existing…</c> names) are treated as secrets. Defaults to <see langword="true"/>.
    /// </summary>
    public bool DetectSecretsByName { get; init; } = true;

    /// <summary>
    /// Gets a value indicating whether <see cref="FormBuilder.FromChart"/> renders each subchart of a schema- or
    /// values-based form under its key (the dependency alias, else the chart name) with the subchart's own schema,
    /// hints and comments, the parent's values for that key overlaid on the subchart defaults. Defaults to
    /// <see langword="true"/>. Forms from <c>questions.yaml</c> never add subcharts (the questions are the form).
    /// </summary>
    public bool IncludeSubcharts { get; init; } = true;

    /// <summary>Gets the deepest field nesting; deeper values become a <see cref="FormWidget.Yaml"/> field with a warning. Defaults to 32.</summary>
    public int MaxFieldDepth { get; init; } = 32;

    /// <summary>Gets the most fields one form may hold; the build fails beyond it. Defaults to 50,000.</summary>
    public int MaxFields { get; init; } = 50_000;

    /// <summary>Gets the longest chain of <c>$ref</c>s followed without reaching a schema body. Defaults to 64.</summary>
    public int MaxRefChain { get; init; } = 64;

    /// <summary>Gets the deepest JSON nesting accepted in a schema document. Defaults to 512.</summary>
    public int MaxSchemaNesting { get; init; } = 512;

    /// <summary>Gets the largest schema or questions text accepted, in characters. Defaults to 16 Mi.</summary>
    public int MaxInputCharacters { get; init; } = 16 * 1024 * 1024;

    internal void Validate()
    {
        if (MaxFieldDepth is < 1 or > 256)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxFieldDepth), MaxFieldDepth, "MaxFieldDepth must be between 1 and 256.");
        }

        if (MaxFields < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxFields), MaxFields, "MaxFields must be positive.");
        }

        if (MaxRefChain < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxRefChain), MaxRefChain, "MaxRefChain must be positive.");
        }

        if (MaxSchemaNesting is < 1 or > 4096)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxSchemaNesting), MaxSchemaNesting, "MaxSchemaNesting must be between 1 and 4096.");
        }

        if (MaxInputCharacters < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxInputCharacters), MaxInputCharacters, "MaxInputCharacters must be positive.");
        }
    }
}
