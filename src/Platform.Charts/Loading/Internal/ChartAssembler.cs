using System.Text;
using System.Text.RegularExpressions;
using Platform.Charts.Versions;

namespace Platform.Charts.Loading.Internal;

/// <summary>Turns the files of one chart into a <see cref="Chart"/>, as Helm's <c>LoadFiles</c> does, recursing into <c>charts/</c>.</summary>
internal static partial class ChartAssembler
{
    private const string ChartYaml = "Chart.yaml";
    private const string ChartLockFile = "Chart.lock";
    private const string ValuesYaml = "values.yaml";
    private const string SchemaJson = "values.schema.json";
    private const string RequirementsYaml = "requirements.yaml";
    private const string RequirementsLock = "requirements.lock";

    public static async Task<Chart> AssembleAsync(List<BufferedFile> input, LoadContext ctx, string prefix, int depth, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var files = input.OrderBy(f => f.Name, StringComparer.Ordinal).ToList();

        var md = new MetadataFields();
        var hasChartYaml = false;
        foreach (var f in files.Where(f => f.Name == ChartYaml))
        {
            hasChartYaml = true;
            Parse(ctx, prefix + f.Name, () => ChartYamlReader.ApplyChartYaml(ChartYamlReader.ReadRoot(Text(f), ChartYaml), md));
        }

        // Helm 2 charts may omit apiVersion; Helm reads them as v1.
        if (hasChartYaml && string.IsNullOrEmpty(md.ApiVersion))
        {
            md.ApiVersion = "v1";
        }

        ChartLock? chartLock = null;
        string? valuesText = null;
        string? valuesFileName = null;
        string? schemaText = null;
        var templates = new List<ChartFile>();
        var other = new List<ChartFile>();
        var subchartFiles = new SortedDictionary<string, List<BufferedFile>>(StringComparer.Ordinal);
        var isV1 = md.ApiVersion == "v1";

        foreach (var f in files)
        {
            var entry = prefix + f.Name;
            switch (f.Name)
            {
                case ChartYaml:
                    continue;
                case ChartLockFile:
                    chartLock = ParseLock(ctx, entry, f, ChartLockFile);
                    break;
                case ValuesYaml:
                    valuesText = Text(f);
                    valuesFileName = ValuesYaml;
                    break;
                case SchemaJson:
                    schemaText = Text(f);
                    break;
                case RequirementsYaml:
                    if (!isV1)
                    {
                        ctx.Warn("Dependencies are handled in Chart.yaml since apiVersion \"v2\". We recommend migrating dependencies to Chart.yaml.", entry);
                    }

                    Parse(ctx, entry, () => ChartYamlReader.ApplyRequirements(ChartYamlReader.ReadRoot(Text(f), RequirementsYaml), md));
                    if (isV1)
                    {
                        other.Add(ToChartFile(f));
                    }

                    break;
                case RequirementsLock:
                    chartLock = ParseLock(ctx, entry, f, RequirementsLock);
                    if (!isV1)
                    {
                        ctx.Warn("Dependency locking is handled in Chart.lock since apiVersion \"v2\". We recommend migrating to Chart.lock.", entry);
                    }
                    else
                    {
                        other.Add(ToChartFile(f));
                    }

                    break;
                default:
                    if (f.Name.StartsWith("templates/", StringComparison.Ordinal))
                    {
                        templates.Add(ToChartFile(f));
                    }
                    else if (f.Name.StartsWith("charts/", StringComparison.Ordinal))
                    {
                        if (f.Name.EndsWith(".prov", StringComparison.Ordinal) && Path.GetExtension(f.Name) == ".prov")
                        {
                            other.Add(ToChartFile(f));
                            break;
                        }

                        var fname = f.Name["charts/".Length..];
                        var slash = fname.IndexOf('/', StringComparison.Ordinal);
                        var cname = slash < 0 ? fname : fname[..slash];
                        if (!subchartFiles.TryGetValue(cname, out var list))
                        {
                            subchartFiles[cname] = list = [];
                        }

                        list.Add(new BufferedFile(fname, f.Data));
                    }
                    else
                    {
                        other.Add(ToChartFile(f));
                    }

                    break;
            }
        }

        if (!hasChartYaml)
        {
            throw ctx.Error("Chart.yaml file is missing; expected a Chart.yaml at the top of the chart.", prefix.Length == 0 ? null : prefix + ChartYaml);
        }

        var metadata = Validate(md, ctx, prefix + ChartYaml);

        var subcharts = new List<Chart>();
        foreach (var (cname, group) in subchartFiles)
        {
            // Helm skips entries whose name starts with '_' or '.' (for example charts/_helpers or .DS_Store).
            if (cname.StartsWith('_') || cname.StartsWith('.'))
            {
                continue;
            }

            var subPrefix = prefix + "charts/" + cname + "/";
            if (depth + 1 > ctx.Options.MaxSubchartDepth)
            {
                throw ctx.Error($"subcharts nest deeper than {ctx.Options.MaxSubchartDepth} levels (ChartLoadOptions.MaxSubchartDepth).", prefix + "charts/" + cname);
            }

            Chart sub;
            if (Path.GetExtension(cname) == ".tgz")
            {
                var file = group[0];
                if (group.Count != 1 || file.Name != cname)
                {
                    throw ctx.Error($"error unpacking subchart tar in {metadata.Name}: expected {cname} to be a file, got {file.Name}.", prefix + "charts/" + cname);
                }

                if (!ArchiveReader.LooksLikeGzip(file.Data))
                {
                    throw ctx.Error($"the subchart archive in {metadata.Name} is not gzip-compressed; expected a .tgz made by 'helm package'.", prefix + "charts/" + cname);
                }

                using var ms = new MemoryStream(file.Data, writable: false);
                var archived = await ArchiveReader.ReadAsync(ms, ctx, subPrefix, cancellationToken).ConfigureAwait(false);
                sub = await AssembleAsync(archived, ctx, subPrefix, depth + 1, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                // Strip "<cname>/" from every path; a plain file directly under charts/ is not a chart.
                var inner = new List<BufferedFile>(group.Count);
                foreach (var g in group)
                {
                    var slash = g.Name.IndexOf('/', StringComparison.Ordinal);
                    if (slash < 0)
                    {
                        continue;
                    }

                    inner.Add(new BufferedFile(g.Name[(slash + 1)..], g.Data));
                }

                if (inner.Count == 0)
                {
                    throw ctx.Error($"error unpacking subchart {cname} in {metadata.Name}: Chart.yaml file is missing; expected a chart directory or a .tgz archive under charts/.", prefix + "charts/" + cname);
                }

                sub = await AssembleAsync(inner, ctx, subPrefix, depth + 1, cancellationToken).ConfigureAwait(false);
            }

            subcharts.Add(sub with { SourcePath = prefix + "charts/" + cname });
        }

        return new Chart
        {
            Metadata = metadata,
            Lock = chartLock,
            ValuesText = valuesText,
            ValuesFileName = valuesFileName,
            SchemaText = schemaText,
            Templates = templates.AsReadOnly(),
            Files = other.AsReadOnly(),
            Subcharts = subcharts.AsReadOnly(),
            SourcePath = prefix.TrimEnd('/'),
        };
    }

    private static ChartMetadata Validate(MetadataFields md, LoadContext ctx, string entry)
    {
        var name = ChartYamlReader.Sanitize(md.Name);
        if (string.IsNullOrEmpty(md.ApiVersion))
        {
            throw ctx.Error("chart.metadata.apiVersion is required; expected v1 or v2.", entry);
        }

        if (string.IsNullOrEmpty(name))
        {
            throw ctx.Error("chart.metadata.name is required.", entry);
        }

        // Names are used as directory names when charts are expanded; '.', '..' and separators would escape.
        if (name is "." or "..")
        {
            throw ctx.Error($"chart name \"{name}\" is not allowed; expected a plain name such as 'mychart'.", entry);
        }

        if (name.Contains('/', StringComparison.Ordinal) || name.Contains('\\', StringComparison.Ordinal))
        {
            throw ctx.Error($"chart name \"{name}\" must not contain path separators; expected a plain name such as 'mychart'.", entry);
        }

        if (md.ApiVersion is not ("v1" or "v2"))
        {
            throw ctx.Error($"apiVersion \"{md.ApiVersion}\" is not supported; expected v1 or v2.", entry);
        }

        if (string.IsNullOrEmpty(md.Version))
        {
            throw ctx.Error("chart.metadata.version is required; expected a SemVer 2 version such as 1.2.3.", entry);
        }

        if (!SemanticVersion.TryParse(md.Version, out _))
        {
            throw ctx.Error($"chart.metadata.version \"{md.Version}\" is invalid; expected a SemVer 2 version such as 1.2.3.", entry);
        }

        if (md.Type is not (null or "" or "application" or "library"))
        {
            throw ctx.Error($"chart.metadata.type \"{md.Type}\" is invalid; expected application or library.", entry);
        }

        if (md.Maintainers.Any(m => m is null))
        {
            throw ctx.Error("maintainers must not contain empty or null nodes.", entry);
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var dep in md.Dependencies)
        {
            if (dep is null)
            {
                throw ctx.Error("dependencies must not contain empty or null nodes.", entry);
            }

            if (!string.IsNullOrEmpty(dep.Alias) && !AliasFormat().IsMatch(dep.Alias))
            {
                throw ctx.Error($"dependency \"{dep.Name}\" has disallowed characters in the alias \"{dep.Alias}\"; expected letters, digits, '-' and '_'.", entry);
            }

            var key = string.IsNullOrEmpty(dep.Alias) ? dep.Name : dep.Alias;
            if (!seen.Add(key))
            {
                throw ctx.Error($"more than one dependency with name or alias \"{key}\"; expected distinct aliases for dependencies with the same chart name.", entry);
            }
        }

        return new ChartMetadata
        {
            ApiVersion = md.ApiVersion,
            Name = name,
            Version = md.Version,
            AppVersion = ChartYamlReader.Sanitize(md.AppVersion),
            Description = ChartYamlReader.Sanitize(md.Description),
            Type = string.IsNullOrEmpty(md.Type) ? null : md.Type,
            KubeVersion = ChartYamlReader.Sanitize(md.KubeVersion),
            Keywords = md.Keywords.Select(k => ChartYamlReader.Sanitize(k)!).ToArray(),
            Home = ChartYamlReader.Sanitize(md.Home),
            Sources = md.Sources.Select(k => ChartYamlReader.Sanitize(k)!).ToArray(),
            Maintainers = md.Maintainers.Select(m => m!).ToArray(),
            Icon = ChartYamlReader.Sanitize(md.Icon),
            Deprecated = md.Deprecated,
            Annotations = new OrderedAnnotations(md.Annotations),
            Condition = ChartYamlReader.Sanitize(md.Condition),
            Tags = ChartYamlReader.Sanitize(md.Tags),
            Dependencies = md.Dependencies.Select(d => d!).ToArray(),
        };
    }

    private static ChartLock ParseLock(LoadContext ctx, string entry, BufferedFile f, string fileName)
    {
        ChartLock? result = null;
        Parse(ctx, entry, () => result = ChartYamlReader.ReadLock(ChartYamlReader.ReadRoot(Text(f), fileName), fileName));
        return result!;
    }

    private static void Parse(LoadContext ctx, string entry, Action action)
    {
        try
        {
            action();
        }
        catch (ChartYamlShapeException ex)
        {
            throw ctx.Error($"cannot load {Path.GetFileName(entry)}: {ex.Message}", entry, ex);
        }
    }

    private static string Text(BufferedFile f) => Encoding.UTF8.GetString(f.Data);

    private static ChartFile ToChartFile(BufferedFile f) => new(f.Name, f.Data);

    [GeneratedRegex("^[a-zA-Z0-9_-]+$")]
    private static partial Regex AliasFormat();

    /// <summary>A read-only dictionary that enumerates in file order.</summary>
    private sealed class OrderedAnnotations : IReadOnlyDictionary<string, string>
    {
        private readonly KeyValuePair<string, string>[] _items;
        private readonly Dictionary<string, string> _lookup;

        public OrderedAnnotations(IEnumerable<KeyValuePair<string, string>> items)
        {
            _items = items.ToArray();
            _lookup = new Dictionary<string, string>(_items, StringComparer.Ordinal);
        }

        public int Count => _items.Length;

        public IEnumerable<string> Keys => _items.Select(i => i.Key);

        public IEnumerable<string> Values => _items.Select(i => i.Value);

        public string this[string key] => _lookup[key];

        public bool ContainsKey(string key) => _lookup.ContainsKey(key);

        public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out string value) => _lookup.TryGetValue(key, out value);

        public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, string>>)_items).GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
