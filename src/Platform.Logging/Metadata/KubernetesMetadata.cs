using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Platform.Logging.Metadata;

/// <summary>De-dotting of label/annotation keys and the mapping of <see cref="PodMetadata"/> to event fields.</summary>
/// <remarks>
/// Why de-dot: Elasticsearch expands dotted field names into objects, so a label <c>app.kubernetes.io/name</c> becomes the
/// object <c>labels.app.kubernetes.io/name</c> and clashes with a plain string label <c>app</c> from another pod ("object
/// mapping for [kubernetes.labels.app] tried to parse field [app] as object, but found a concrete value"). Like Filebeat's
/// <c>labels.dedot</c>/<c>annotations.dedot</c> (on by default) and Fluent Bit's <c>Replace_Dots</c>, every <c>.</c> in a
/// key is replaced (by <c>_</c> unless configured); <c>/</c> and values are untouched. Stateless and thread-safe.
/// </remarks>
public static partial class KubernetesMetadata
{
    /// <summary>The default replacement for a dot.</summary>
    public const string DefaultReplacement = "_";

    /// <summary>Replaces every <c>.</c> in the keys of <paramref name="source"/> with <paramref name="replacement"/>.</summary>
    /// <remarks>
    /// Collisions — two keys that become the same after de-dotting, such as <c>a.b</c> and <c>a_b</c> — are resolved
    /// deterministically instead of letting one value silently overwrite the other (Filebeat keeps whichever its map
    /// iteration meets last): a key that had no dot keeps its name; among the rest, the ordinally smallest original key
    /// gets the plain de-dotted name; once every plain name is placed, each remaining key gets its de-dotted name plus
    /// <paramref name="replacement"/> and the first free counter from 2 (<c>a_b_2</c>, <c>a_b_3</c> …). No value is ever dropped.
    /// </remarks>
    /// <param name="source">Label or annotation map.</param>
    /// <param name="replacement">What replaces a dot; must not contain a dot. Defaults to <c>_</c>.</param>
    /// <returns>A new map with de-dotted keys, in ordinal key order.</returns>
    /// <exception cref="ArgumentException"><paramref name="replacement"/> contains a dot.</exception>
    public static IReadOnlyDictionary<string, string> Dedot(IReadOnlyDictionary<string, string> source, string replacement = DefaultReplacement)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(replacement);
        if (replacement.Contains('.', StringComparison.Ordinal))
        {
            throw new ArgumentException($"The dot replacement '{replacement}' must not contain a dot.", nameof(replacement));
        }

        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);

        // Dot-free keys first: they keep their names whatever else collides with them.
        foreach (var (key, value) in source)
        {
            if (!key.Contains('.', StringComparison.Ordinal))
            {
                result[key] = value;
            }
        }

        // Then dotted keys take their plain de-dotted names while free; suffixes come last so they never take a plain name.
        var losers = new List<string>();
        foreach (var key in source.Keys.Where(k => k.Contains('.', StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            if (!result.TryAdd(key.Replace(".", replacement, StringComparison.Ordinal), source[key]))
            {
                losers.Add(key);
            }
        }

        foreach (var key in losers)
        {
            var name = key.Replace(".", replacement, StringComparison.Ordinal);
            var candidate = name;
            for (var n = 2; result.ContainsKey(candidate); n++)
            {
                candidate = $"{name}{replacement}{n}";
            }

            result[candidate] = source[key];
        }

        return result;
    }

    /// <summary>Builds the <c>kubernetes</c> fields of an event, Filebeat-style: <c>namespace</c>, <c>pod.name</c>, <c>pod.uid</c>, <c>container.name</c>, <c>container.id</c>, <c>container.image</c>, <c>node.name</c>, <c>labels</c>, <c>annotations</c>.</summary>
    /// <param name="metadata">The pod metadata.</param>
    /// <param name="dedot">Whether label and annotation keys are de-dotted. Defaults to <see langword="true"/>.</param>
    /// <param name="replacement">What replaces a dot. Defaults to <c>_</c>.</param>
    /// <returns>A new JSON object; absent values are left out.</returns>
    public static JsonObject ToFields(PodMetadata metadata, bool dedot = true, string replacement = DefaultReplacement)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var pod = new JsonObject { ["name"] = metadata.PodName };
        if (metadata.PodUid is not null)
        {
            pod["uid"] = metadata.PodUid;
        }

        var container = new JsonObject { ["name"] = metadata.ContainerName };
        if (metadata.ContainerId is not null)
        {
            container["id"] = metadata.ContainerId;
        }

        if (metadata.ContainerImage is not null)
        {
            container["image"] = metadata.ContainerImage;
        }

        var fields = new JsonObject { ["namespace"] = metadata.Namespace, ["pod"] = pod, ["container"] = container };
        if (metadata.NodeName is not null)
        {
            fields["node"] = new JsonObject { ["name"] = metadata.NodeName };
        }

        fields["labels"] = ToObject(dedot ? Dedot(metadata.Labels, replacement) : metadata.Labels);
        fields["annotations"] = ToObject(dedot ? Dedot(metadata.Annotations, replacement) : metadata.Annotations);
        return fields;
    }

    /// <summary>Reads namespace, pod, container and container ID from a kubelet log file path.</summary>
    /// <remarks>
    /// Accepts <c>/var/log/containers/&lt;pod&gt;_&lt;namespace&gt;_&lt;container&gt;-&lt;64 hex id&gt;.log</c> (the symlinks, as Fluent Bit's
    /// kubernetes filter parses them) and <c>/var/log/pods/&lt;namespace&gt;_&lt;pod&gt;_&lt;uid&gt;/&lt;container&gt;/&lt;restart&gt;.log</c>.
    /// Labels, annotations, image and node are not in the path and stay empty.
    /// </remarks>
    /// <param name="path">The log file path.</param>
    /// <param name="metadata">The metadata read from the path, or <see langword="null"/>.</param>
    /// <returns>Whether the path had one of the two layouts.</returns>
    public static bool TryParseLogPath(string path, out PodMetadata? metadata)
    {
        ArgumentNullException.ThrowIfNull(path);
        metadata = null;
        var name = path.Replace('\\', '/');
        var m = ContainersPath().Match(name[(name.LastIndexOf('/') + 1)..]);
        if (m.Success)
        {
            metadata = new PodMetadata
            {
                PodName = m.Groups["pod"].Value,
                Namespace = m.Groups["ns"].Value,
                ContainerName = m.Groups["container"].Value,
                ContainerId = m.Groups["id"].Value,
            };
            return true;
        }

        m = PodsPath().Match(name);
        if (m.Success)
        {
            metadata = new PodMetadata
            {
                Namespace = m.Groups["ns"].Value,
                PodName = m.Groups["pod"].Value,
                PodUid = m.Groups["uid"].Value,
                ContainerName = m.Groups["container"].Value,
            };
            return true;
        }

        return false;
    }

    private static JsonObject ToObject(IReadOnlyDictionary<string, string> map)
    {
        var o = new JsonObject();
        foreach (var (k, v) in map.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            o[k] = v;
        }

        return o;
    }

    // Pod names are DNS subdomains (may hold dots); namespaces hold no '_'; the container ID is 64 lower-case hex digits.
    [GeneratedRegex(@"^(?<pod>[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*)_(?<ns>[^_]+)_(?<container>.+)-(?<id>[a-z0-9]{64})\.log$", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex ContainersPath();

    [GeneratedRegex(@"/(?<ns>[^/_]+)_(?<pod>[^/_]+)_(?<uid>[0-9a-fA-F-]{36})/(?<container>[^/]+)/[0-9]+\.log$", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex PodsPath();
}
