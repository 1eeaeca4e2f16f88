using System.Text;
using System.Text.RegularExpressions;

namespace Platform.Logging.Multiline;

/// <summary>Compiles Filebeat patterns (Go RE2 syntax) into .NET regular expressions with RE2's meaning.</summary>
/// <remarks>
/// Translated: POSIX classes inside brackets (<c>[[:space:]]</c>, <c>[[:^digit:]]</c> …, which .NET would read as plain
/// characters), <c>\d \s \w \D \S \W</c> (ASCII-only in RE2, Unicode in .NET), <c>(?P&lt;name&gt;…)</c> and <c>\Q…\E</c>.
/// Refused with a clear error: the ungreedy flag <c>(?U)</c> and <c>\C</c>, which .NET cannot express, and anything RE2
/// itself rejects that .NET's linear engine also rejects (back-references, look-arounds). <c>\b</c> keeps .NET's Unicode
/// word boundary. Patterns run on .NET's non-backtracking engine (linear time, like RE2) with a match timeout.
/// </remarks>
internal static class Re2Pattern
{
    /// <summary>The match timeout of every compiled pattern.</summary>
    internal static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(1);

    private static readonly Dictionary<string, string> PosixClasses = new(StringComparer.Ordinal)
    {
        ["alnum"] = "0-9A-Za-z",
        ["alpha"] = "A-Za-z",
        ["ascii"] = "\\x00-\\x7F",
        ["blank"] = "\\t ",
        ["cntrl"] = "\\x00-\\x1F\\x7F",
        ["digit"] = "0-9",
        ["graph"] = "!-~",
        ["lower"] = "a-z",
        ["print"] = " -~",
        ["punct"] = "!-/:-@\\[-`{-~",
        ["space"] = "\\t\\n\\v\\f\\r ",
        ["upper"] = "A-Z",
        ["word"] = "0-9A-Za-z_",
        ["xdigit"] = "0-9A-Fa-f",
    };

    /// <summary>Compiles <paramref name="pattern"/>; <paramref name="setting"/> names it in errors (for example <c>multiline.pattern</c>).</summary>
    /// <exception cref="ArgumentException">The pattern is empty, or not valid RE2 that .NET can run.</exception>
    public static Regex Compile(string? pattern, string setting)
    {
        if (string.IsNullOrEmpty(pattern))
        {
            throw new ArgumentException($"{setting}: a regular expression is required.", setting);
        }

        string translated;
        try
        {
            translated = Translate(pattern);
        }
        catch (FormatException ex)
        {
            throw new ArgumentException($"{setting}: '{pattern}' is not a supported RE2 pattern: {ex.Message}", setting, ex);
        }

        try
        {
            return new Regex(translated, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, MatchTimeout);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            throw new ArgumentException($"{setting}: '{pattern}' is not a valid RE2 pattern: {ex.Message}", setting, ex);
        }
    }

    /// <summary>Rewrites RE2 syntax into .NET syntax with the same meaning.</summary>
    /// <exception cref="FormatException">The pattern uses RE2 syntax .NET cannot express.</exception>
    public static string Translate(string pattern)
    {
        var sb = new StringBuilder(pattern.Length + 16);
        var inClass = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                var e = pattern[++i];
                switch (e)
                {
                    case 'Q':
                        {
                            var end = pattern.IndexOf("\\E", i + 1, StringComparison.Ordinal);
                            var literal = end < 0 ? pattern[(i + 1)..] : pattern[(i + 1)..end];
                            foreach (var ch in literal)
                            {
                                sb.Append(inClass ? EscapeInClass(ch) : Regex.Escape(ch.ToString()));
                            }

                            i = end < 0 ? pattern.Length : end + 1;
                            continue;
                        }

                    case 'C':
                        throw new FormatException("\\C (any byte) has no .NET equivalent");
                    case 'd':
                        sb.Append(inClass ? "0-9" : "[0-9]");
                        continue;
                    case 's':
                        sb.Append(inClass ? "\\t\\n\\f\\r " : "[\\t\\n\\f\\r ]");
                        continue;
                    case 'w':
                        sb.Append(inClass ? "0-9A-Za-z_" : "[0-9A-Za-z_]");
                        continue;
                    case 'D' when !inClass:
                        sb.Append("[^0-9]");
                        continue;
                    case 'S' when !inClass:
                        sb.Append("[^\\t\\n\\f\\r ]");
                        continue;
                    case 'W' when !inClass:
                        sb.Append("[^0-9A-Za-z_]");
                        continue;
                    default:
                        sb.Append('\\').Append(e);
                        continue;
                }
            }

            if (inClass)
            {
                if (c == '[' && i + 1 < pattern.Length && pattern[i + 1] == ':')
                {
                    var close = pattern.IndexOf(":]", i + 2, StringComparison.Ordinal);
                    if (close > 0)
                    {
                        var name = pattern[(i + 2)..close];
                        var negated = name.StartsWith('^');
                        if (negated)
                        {
                            throw new FormatException($"negated POSIX class [:{name}:] inside a bracket is not supported; use [^[:{name[1..]}:]]");
                        }

                        if (!PosixClasses.TryGetValue(name, out var ranges))
                        {
                            throw new FormatException($"unknown POSIX class [:{name}:]");
                        }

                        sb.Append(ranges);
                        i = close + 1;
                        continue;
                    }
                }

                if (c == '[')
                {
                    sb.Append("\\[");
                    continue;
                }

                if (c == ']')
                {
                    inClass = false;
                }

                sb.Append(c);
                continue;
            }

            if (c == '[')
            {
                inClass = true;
                sb.Append(c);
                if (i + 1 < pattern.Length && pattern[i + 1] == '^')
                {
                    sb.Append('^');
                    i++;
                }

                // A ']' first in a class is a literal in RE2.
                if (i + 1 < pattern.Length && pattern[i + 1] == ']')
                {
                    sb.Append("\\]");
                    i++;
                }

                continue;
            }

            if (c == '(' && pattern.AsSpan(i).StartsWith("(?P<", StringComparison.Ordinal))
            {
                sb.Append("(?<");
                i += 3;
                continue;
            }

            if (c == '(' && i + 2 < pattern.Length && pattern[i + 1] == '?')
            {
                var flagsEnd = pattern.IndexOfAny([')', ':'], i + 2);
                if (flagsEnd > 0 && pattern.AsSpan(i + 2, flagsEnd - i - 2).Contains('U'))
                {
                    throw new FormatException("the ungreedy flag (?U) has no .NET equivalent");
                }
            }

            sb.Append(c);
        }

        if (inClass)
        {
            throw new FormatException("missing closing ]");
        }

        return sb.ToString();
    }

    private static string EscapeInClass(char c) => c is '\\' or ']' or '[' or '^' or '-' ? "\\" + c : c.ToString();
}
