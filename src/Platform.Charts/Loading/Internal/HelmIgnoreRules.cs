namespace Platform.Charts.Loading.Internal;

/// <summary>
/// The <c>.helmignore</c> rules as Helm's <c>pkg/ignore</c> implements them (which is gitignore-like, not gitignore):
/// blank lines and <c>#</c> comments are skipped; <c>**</c> is rejected; a leading <c>!</c> negates; a trailing
/// <c>/</c> matches only directories; a leading <c>/</c> anchors the pattern at the chart root; a pattern with a
/// <c>/</c> elsewhere matches the whole relative path; a pattern without <c>/</c> matches the base name only.
/// Rules are evaluated in order and the first match wins. A negated rule ends evaluation with "ignore" for every
/// path it does NOT match (Helm's semantics, kept as is). Matching uses Go's <c>filepath.Match</c> syntax.
/// </summary>
internal sealed class HelmIgnoreRules
{
    public const string FileName = ".helmignore";

    private readonly List<Pattern> _patterns = [];

    public int Count => _patterns.Count;

    /// <summary>Parses rules; a malformed pattern throws <see cref="FormatException"/> naming the line.</summary>
    public static HelmIgnoreRules Parse(string text)
    {
        var rules = new HelmIgnoreRules();
        var lineNo = 0;
        foreach (var rawLine in text.Split('\n'))
        {
            lineNo++;
            var line = rawLine.EndsWith('\r') ? rawLine[..^1] : rawLine;
            try
            {
                rules.AddRule(line);
            }
            catch (FormatException ex)
            {
                throw new FormatException($"line {lineNo}: {ex.Message}", ex);
            }
        }

        return rules;
    }

    /// <summary>Adds Helm's default rule: dot-files directly under <c>templates/</c> are ignored.</summary>
    public void AddDefaults() => AddRule("templates/.?*");

    /// <summary>Tells whether a path (relative, <c>/</c>-separated) is ignored.</summary>
    public bool Ignore(string path, bool isDirectory)
    {
        if (path.Length == 0 || path is "." or "./")
        {
            return false;
        }

        foreach (var p in _patterns)
        {
            if (p.Negate)
            {
                if (p.MustDir && !isDirectory)
                {
                    return true;
                }

                if (!p.Matches(path))
                {
                    return true;
                }

                continue;
            }

            if (p.MustDir && !isDirectory)
            {
                continue;
            }

            if (p.Matches(path))
            {
                return true;
            }
        }

        return false;
    }

    private void AddRule(string rule)
    {
        rule = rule.Trim(GoSpace);
        if (rule.Length == 0 || rule.StartsWith('#'))
        {
            return;
        }

        if (rule.Contains("**", StringComparison.Ordinal))
        {
            throw new FormatException($"the pattern '{rule}' uses double-star (**), which .helmignore does not support.");
        }

        if (!GoGlob.IsValid(rule))
        {
            throw new FormatException($"the pattern '{rule}' is malformed (unbalanced '[' or a trailing '\\').");
        }

        var p = new Pattern();
        if (rule.StartsWith('!'))
        {
            p.Negate = true;
            rule = rule[1..];
        }

        if (rule.EndsWith('/'))
        {
            p.MustDir = true;
            rule = rule[..^1];
        }

        if (rule.StartsWith('/'))
        {
            p.Glob = rule.TrimStart('/');
            p.Kind = MatchKind.WholePath;
        }
        else if (rule.Contains('/', StringComparison.Ordinal))
        {
            p.Glob = rule;
            p.Kind = MatchKind.WholePath;
        }
        else
        {
            p.Glob = rule;
            p.Kind = MatchKind.BaseName;
        }

        _patterns.Add(p);
    }

    // Go's strings.TrimSpace trims Unicode white space; these are the ones that matter in practice.
    private static readonly char[] GoSpace = [' ', '\t', '\n', '\v', '\f', '\r', '\u0085', '\u00A0'];

    private enum MatchKind
    {
        WholePath,
        BaseName,
    }

    private sealed class Pattern
    {
        public string Glob { get; set; } = string.Empty;

        public MatchKind Kind { get; set; }

        public bool Negate { get; set; }

        public bool MustDir { get; set; }

        public bool Matches(string path)
        {
            var subject = Kind == MatchKind.BaseName ? BaseName(path) : path;
            return GoGlob.TryMatch(Glob, subject, out var ok) && ok;
        }

        // Go's filepath.Base: trailing slashes removed, then the last element.
        private static string BaseName(string path)
        {
            var trimmed = path.TrimEnd('/');
            if (trimmed.Length == 0)
            {
                return path.Length == 0 ? "." : "/";
            }

            var i = trimmed.LastIndexOf('/');
            return i < 0 ? trimmed : trimmed[(i + 1)..];
        }
    }
}

/// <summary>Go's <c>path/filepath.Match</c> for <c>/</c>-separated paths: <c>*</c>, <c>?</c>, <c>[...]</c> with <c>^</c> negation and ranges, <c>\</c> escapes.</summary>
internal static class GoGlob
{
    /// <summary>Tells whether the pattern is well formed (what Go reports as ErrBadPattern).</summary>
    public static bool IsValid(string pattern) => TryMatch(pattern, "abc", out _);

    /// <summary>Matches the whole <paramref name="name"/>. Returns <see langword="false"/> for a malformed pattern.</summary>
    public static bool TryMatch(string pattern, string name, out bool matched)
    {
        matched = false;
        var pat = pattern;
        while (pat.Length > 0)
        {
            var (star, chunk, rest) = ScanChunk(pat);
            pat = rest;
            if (star && chunk.Length == 0)
            {
                // A trailing '*' matches the rest of the name unless it contains a separator.
                matched = !name.Contains('/', StringComparison.Ordinal);
                return true;
            }

            var r = MatchChunk(chunk, name, out var t);
            if (r == ChunkResult.Bad)
            {
                return false;
            }

            if (r == ChunkResult.Match && (t.Length == 0 || pat.Length > 0))
            {
                name = t;
                continue;
            }

            var advanced = false;
            if (star)
            {
                for (var i = 0; i < name.Length && name[i] != '/'; i++)
                {
                    r = MatchChunk(chunk, name[(i + 1)..], out t);
                    if (r == ChunkResult.Bad)
                    {
                        return false;
                    }

                    if (r == ChunkResult.Match)
                    {
                        if (pat.Length == 0 && t.Length > 0)
                        {
                            continue;
                        }

                        name = t;
                        advanced = true;
                        break;
                    }
                }
            }

            if (advanced)
            {
                continue;
            }

            // No match: still report a malformed remainder of the pattern.
            while (pat.Length > 0)
            {
                (_, chunk, pat) = ScanChunk(pat);
                if (MatchChunk(chunk, string.Empty, out _) == ChunkResult.Bad)
                {
                    return false;
                }
            }

            matched = false;
            return true;
        }

        matched = name.Length == 0;
        return true;
    }

    private enum ChunkResult
    {
        Match,
        NoMatch,
        Bad,
    }

    private static (bool Star, string Chunk, string Remainder) ScanChunk(string pattern)
    {
        var star = false;
        while (pattern.Length > 0 && pattern[0] == '*')
        {
            pattern = pattern[1..];
            star = true;
        }

        var inRange = false;
        var i = 0;
        for (; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\')
            {
                if (i + 1 < pattern.Length)
                {
                    i++;
                }
            }
            else if (c == '[')
            {
                inRange = true;
            }
            else if (c == ']')
            {
                inRange = false;
            }
            else if (c == '*' && !inRange)
            {
                break;
            }
        }

        return (star, pattern[..i], pattern[i..]);
    }

    private static ChunkResult MatchChunk(string chunk, string s, out string rest)
    {
        rest = string.Empty;
        var failed = false;
        var ci = 0;
        var si = 0;
        while (ci < chunk.Length)
        {
            if (!failed && si >= s.Length)
            {
                failed = true;
            }

            switch (chunk[ci])
            {
                case '[':
                    {
                        var r = 0;
                        if (!failed)
                        {
                            r = ReadRune(s, ref si);
                        }

                        ci++;
                        var negated = false;
                        if (ci < chunk.Length && chunk[ci] == '^')
                        {
                            negated = true;
                            ci++;
                        }

                        var match = false;
                        var nrange = 0;
                        while (true)
                        {
                            if (ci < chunk.Length && chunk[ci] == ']' && nrange > 0)
                            {
                                ci++;
                                break;
                            }

                            if (!GetEsc(chunk, ref ci, out var lo))
                            {
                                return ChunkResult.Bad;
                            }

                            var hi = lo;
                            if (chunk[ci] == '-')
                            {
                                ci++;
                                if (!GetEsc(chunk, ref ci, out hi))
                                {
                                    return ChunkResult.Bad;
                                }
                            }

                            if (lo <= r && r <= hi)
                            {
                                match = true;
                            }

                            nrange++;
                        }

                        if (match == negated)
                        {
                            failed = true;
                        }

                        break;
                    }

                case '?':
                    if (!failed)
                    {
                        if (s[si] == '/')
                        {
                            failed = true;
                        }

                        ReadRune(s, ref si);
                    }

                    ci++;
                    break;

                case '\\':
                    ci++;
                    if (ci >= chunk.Length)
                    {
                        return ChunkResult.Bad;
                    }

                    goto default;

                default:
                    if (!failed)
                    {
                        if (chunk[ci] != s[si])
                        {
                            failed = true;
                        }

                        si++;
                    }

                    ci++;
                    break;
            }
        }

        if (failed)
        {
            return ChunkResult.NoMatch;
        }

        rest = s[si..];
        return ChunkResult.Match;
    }

    private static bool GetEsc(string chunk, ref int ci, out int r)
    {
        r = 0;
        if (ci >= chunk.Length || chunk[ci] == '-' || chunk[ci] == ']')
        {
            return false;
        }

        if (chunk[ci] == '\\')
        {
            ci++;
            if (ci >= chunk.Length)
            {
                return false;
            }
        }

        r = ReadRune(chunk, ref ci);
        return ci < chunk.Length;
    }

    private static int ReadRune(string s, ref int i)
    {
        if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
        {
            var cp = char.ConvertToUtf32(s[i], s[i + 1]);
            i += 2;
            return cp;
        }

        return s[i++];
    }
}
