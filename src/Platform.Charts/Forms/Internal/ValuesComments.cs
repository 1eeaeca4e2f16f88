using System.Text.RegularExpressions;

namespace Platform.Charts.Forms.Internal;

/// <summary>
/// Reads field descriptions and sections from the comments of a <c>values.yaml</c>: Bitnami readme-generator
/// <c>## @param path description</c> / <c>## @section Name</c>, and helm-docs <c># -- description</c> above a key.
/// The patterns run with <see cref="RegexOptions.NonBacktracking"/>, so hostile lines cost linear time.
/// </summary>
internal sealed partial class ValuesComments
{
    private ValuesComments()
    {
    }

    public static ValuesComments Empty { get; } = new();

    /// <summary>Gets descriptions by dotted path (keys as written, unescaped segments joined with <see cref="FormPath.Join"/>).</summary>
    public Dictionary<string, string> Descriptions { get; } = new(StringComparer.Ordinal);

    /// <summary>Gets the Bitnami section of each <c>@param</c> path.</summary>
    public Dictionary<string, string> Sections { get; } = new(StringComparer.Ordinal);

    /// <summary>Gets the order of the <c>@param</c> paths.</summary>
    public Dictionary<string, int> ParamOrder { get; } = new(StringComparer.Ordinal);

    public static ValuesComments Parse(string? text)
    {
        var result = new ValuesComments();
        if (string.IsNullOrEmpty(text))
        {
            return result;
        }

        string? section = null;
        var stack = new List<(int Indent, string? Key)>();
        string? pending = null;
        int blockIndent = -1;
        foreach (var rawLine in text.Split('\n'))
        {
            string line = rawLine.TrimEnd('\r');
            string trimmed = line.TrimStart();
            int indent = line.Length - trimmed.Length;
            if (blockIndent >= 0)
            {
                if (trimmed.Length == 0 || indent > blockIndent)
                {
                    continue;
                }

                blockIndent = -1;
            }

            if (trimmed.Length == 0)
            {
                pending = null;
                continue;
            }

            if (trimmed[0] == '#')
            {
                var m = ParamRegex().Match(trimmed);
                if (m.Success)
                {
                    string path = m.Groups[2].Value;
                    // readme-generator modifiers ([object], [array], [nullable], [default: x]) describe the type, not the field.
                    string desc = m.Groups[3].Value.Trim();
                    while (desc.StartsWith('[') && desc.IndexOf(']', StringComparison.Ordinal) is int close && close > 0)
                    {
                        desc = desc[(close + 1)..].TrimStart();
                    }
                    if (m.Groups[1].Value != "skip")
                    {
                        if (desc.Length > 0)
                        {
                            result.Descriptions.TryAdd(path, desc);
                        }

                        result.ParamOrder.TryAdd(path, result.ParamOrder.Count);
                        if (section is not null)
                        {
                            result.Sections.TryAdd(path, section);
                        }
                    }

                    continue;
                }

                var s = SectionRegex().Match(trimmed);
                if (s.Success)
                {
                    section = s.Groups[1].Value.Trim();
                    continue;
                }

                var d = HelmDocsRegex().Match(trimmed);
                if (d.Success)
                {
                    pending = d.Groups[1].Value.Trim();
                }
                else if (pending is not null && !trimmed.StartsWith("# @", StringComparison.Ordinal))
                {
                    string more = trimmed.TrimStart('#').Trim();
                    if (more.Length > 0)
                    {
                        pending += " " + more;
                    }
                }

                continue;
            }

            while (stack.Count > 0 && stack[^1].Indent >= indent)
            {
                stack.RemoveAt(stack.Count - 1);
            }

            if (trimmed.StartsWith('-'))
            {
                stack.Add((indent, null));
                pending = null;
                continue;
            }

            var k = KeyRegex().Match(trimmed);
            if (!k.Success)
            {
                pending = null;
                continue;
            }

            string key = k.Groups[1].Value.Trim('"', '\'');
            bool insideList = stack.Any(e => e.Key is null);
            if (!insideList && pending is not null)
            {
                string p = FormPath.Join(stack.Select(e => e.Key!).Append(key));
                result.Descriptions.TryAdd(p, pending);
            }

            pending = null;
            stack.Add((indent, key));
            string rest = k.Groups[2].Value.Trim();
            if (rest.StartsWith('|') || rest.StartsWith('>'))
            {
                blockIndent = indent;
            }
        }

        return result;
    }

    [GeneratedRegex(@"^##?\s*@(param|extra|skip)\s+(\S+)\s*(.*)$", RegexOptions.NonBacktracking)]
    private static partial Regex ParamRegex();

    [GeneratedRegex(@"^##?\s*@section\s+(.+)$", RegexOptions.NonBacktracking)]
    private static partial Regex SectionRegex();

    [GeneratedRegex(@"^#\s*--\s?(.*)$", RegexOptions.NonBacktracking)]
    private static partial Regex HelmDocsRegex();

    [GeneratedRegex(@"^(""[^""]*""|'[^']*'|[^\s:#][^:#]*?)\s*:(?:\s+(.*)|$)", RegexOptions.NonBacktracking)]
    private static partial Regex KeyRegex();
}
