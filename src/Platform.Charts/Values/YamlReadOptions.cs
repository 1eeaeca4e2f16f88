namespace Platform.Charts.Values;

/// <summary>
/// Limits applied while reading YAML into a values tree. The defaults accept every real-world chart and stop
/// hostile input (alias bombs, absurd nesting) quickly and in bounded memory.
/// </summary>
public sealed record YamlReadOptions
{
    /// <summary>Gets the shared default options.</summary>
    public static YamlReadOptions Default { get; } = new();

    /// <summary>
    /// Gets the maximum nesting depth of mappings and sequences. Defaults to 1,000 (Helm's YAML library allows
    /// 10,000; no real chart comes near 100).
    /// </summary>
    public int MaxDepth { get; init; } = 1_000;

    /// <summary>
    /// Gets the maximum number of nodes the document may expand to once aliases are resolved. Defaults to
    /// 5,000,000. A "billion laughs" alias bomb fails when it crosses this bound, before it allocates.
    /// </summary>
    public int MaxNodes { get; init; } = 5_000_000;

    /// <summary>Gets the maximum input size in characters. Defaults to 64 Mi characters.</summary>
    public int MaxCharacters { get; init; } = 64 * 1024 * 1024;

    /// <summary>
    /// Gets a value indicating whether the documents of a multi-document stream are merged in order (later
    /// documents win, maps merge deeply). When <see langword="false"/>, only the first document is read.
    /// Defaults to <see langword="true"/>.
    /// </summary>
    public bool MergeDocuments { get; init; } = true;
}
