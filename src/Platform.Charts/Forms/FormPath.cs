using System.Text;
using System.Text.Json.Nodes;

namespace Platform.Charts.Forms;

/// <summary>
/// Reads and writes the dotted values paths of form fields (<c>ingress.hostname</c>). A dot or backslash inside a
/// key is escaped with a backslash, as Helm's <c>--set</c> does (<c>podAnnotations.prometheus\.io/scrape</c>).
/// All members are thread-safe.
/// </summary>
public static class FormPath
{
    /// <summary>The segment that stands for "every item" in the path of a list's item template (<c>addresses[].city</c>).</summary>
    public const string ItemSegment = "[]";

    /// <summary>Joins keys into a dotted path, escaping dots and backslashes inside keys.</summary>
    /// <param name="segments">The keys.</param>
    /// <returns>The path (empty for no keys).</returns>
    public static string Join(IEnumerable<string> segments)
    {
        ArgumentNullException.ThrowIfNull(segments);
        var sb = new StringBuilder();
        bool first = true;
        foreach (var s in segments)
        {
            if (s == ItemSegment)
            {
                sb.Append(ItemSegment);
                first = false;
                continue;
            }

            if (!first)
            {
                sb.Append('.');
            }

            first = false;
            foreach (char c in s)
            {
                if (c is '.' or '\\')
                {
                    sb.Append('\\');
                }

                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    /// <summary>Splits a dotted path into keys, honouring backslash escapes.</summary>
    /// <param name="path">The path; empty gives no keys.</param>
    /// <returns>The keys.</returns>
    public static IReadOnlyList<string> Split(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0)
        {
            return [];
        }

        var result = new List<string>();
        var sb = new StringBuilder();
        for (int i = 0; i < path.Length; i++)
        {
            char c = path[i];
            if (c == '\\' && i + 1 < path.Length)
            {
                sb.Append(path[++i]);
            }
            else if (c == '.')
            {
                if (!(sb.Length == 0 && result.Count > 0 && result[^1] == ItemSegment))
                {
                    result.Add(sb.ToString());
                }

                sb.Clear();
            }
            else if (c == '[' && i + 1 < path.Length && path[i + 1] == ']' && (i + 2 == path.Length || path[i + 2] == '.'))
            {
                if (sb.Length > 0)
                {
                    result.Add(sb.ToString());
                    sb.Clear();
                }

                result.Add(ItemSegment);
                i++;
                if (i + 1 == path.Length)
                {
                    return result;
                }
            }
            else
            {
                sb.Append(c);
            }
        }

        result.Add(sb.ToString());
        return result;
    }

    /// <summary>Gets the node at a path of keys in a values tree (objects only).</summary>
    /// <param name="root">The values tree.</param>
    /// <param name="segments">The keys.</param>
    /// <param name="value">The node found (may be <see langword="null"/> for a JSON null).</param>
    /// <returns><see langword="true"/> when every key exists.</returns>
    public static bool TryGet(JsonNode? root, IReadOnlyList<string> segments, out JsonNode? value)
    {
        ArgumentNullException.ThrowIfNull(segments);
        JsonNode? node = root;
        foreach (var s in segments)
        {
            if (node is not JsonObject o || !o.TryGetPropertyValue(s, out node))
            {
                value = null;
                return false;
            }
        }

        value = node;
        return true;
    }

    /// <summary>Sets the node at a path of keys, creating (or replacing non-object) parents as objects.</summary>
    /// <param name="root">The values tree to modify.</param>
    /// <param name="segments">The keys (at least one).</param>
    /// <param name="value">The node to store; it must not have a parent.</param>
    public static void Set(JsonObject root, IReadOnlyList<string> segments, JsonNode? value)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(segments);
        if (segments.Count == 0)
        {
            throw new ArgumentException("The path must have at least one key.", nameof(segments));
        }

        JsonObject node = root;
        for (int i = 0; i < segments.Count - 1; i++)
        {
            if (node[segments[i]] is not JsonObject child)
            {
                child = new JsonObject();
                node[segments[i]] = child;
            }

            node = child;
        }

        node[segments[^1]] = value;
    }

    /// <summary>Removes the key at a path and then every parent object left empty by the removal.</summary>
    /// <param name="root">The values tree to modify.</param>
    /// <param name="segments">The keys.</param>
    /// <returns><see langword="true"/> when the key existed.</returns>
    public static bool Remove(JsonObject root, IReadOnlyList<string> segments)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(segments);
        if (segments.Count == 0)
        {
            return false;
        }

        var chain = new List<JsonObject> { root };
        JsonObject node = root;
        for (int i = 0; i < segments.Count - 1; i++)
        {
            if (node[segments[i]] is not JsonObject child)
            {
                return false;
            }

            chain.Add(child);
            node = child;
        }

        if (!node.Remove(segments[^1]))
        {
            return false;
        }

        for (int i = chain.Count - 1; i > 0; i--)
        {
            if (chain[i].Count > 0)
            {
                break;
            }

            chain[i - 1].Remove(segments[i - 1]);
        }

        return true;
    }
}
