using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Platform.Charts.Schema.Internal;

/// <summary>
/// Translates ECMA-262 regular expressions (with the <c>u</c> flag, as JSON Schema specifies) to .NET patterns:
/// ASCII-only <c>\d</c> and <c>\w</c>, ECMA white space for <c>\s</c>, <c>$</c> only at the very end, <c>.</c>
/// excluding all line terminators, long Unicode property names, <c>\u{...}</c> code points, and quantified
/// astral characters. Patterns compile on the linear-time engine when they can, else with a match timeout.
/// </summary>
internal static class EcmaRegex
{
    private const string SpaceChars = "\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff";
    private const string WordChars = "a-zA-Z0-9_";

    public static Regex Create(string pattern, TimeSpan timeout)
    {
        string translated = Translate(pattern);
        try
        {
            return new Regex(translated, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, timeout);
        }
        catch (NotSupportedException)
        {
            // backreferences, lookarounds: the backtracking engine, bounded by the timeout
        }

        return new Regex(translated, RegexOptions.CultureInvariant, timeout);
    }

    public static bool IsValid(string pattern)
    {
        try
        {
            _ = new Regex(Translate(pattern), RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Translates the pattern; throws <see cref="ArgumentException"/> for syntax ECMA-262 rejects.</summary>
    public static string Translate(string p)
    {
        var sb = new StringBuilder(p.Length + 16);
        bool inClass = false;
        for (int i = 0; i < p.Length; i++)
        {
            char c = p[i];
            if (c == '\\')
            {
                if (i + 1 >= p.Length)
                {
                    throw new ArgumentException("the pattern ends with a lone backslash");
                }

                char e = p[++i];
                switch (e)
                {
                    case 'd':
                        sb.Append(inClass ? "0-9" : "[0-9]");
                        break;
                    case 'D':
                        sb.Append(inClass ? "\\D" : "[^0-9]");
                        break;
                    case 'w':
                        sb.Append(inClass ? WordChars : "[" + WordChars + "]");
                        break;
                    case 'W':
                        sb.Append(inClass ? "\\W" : "[^" + WordChars + "]");
                        break;
                    case 's':
                        sb.Append(inClass ? SpaceChars : "[" + SpaceChars + "]");
                        break;
                    case 'S':
                        sb.Append(inClass ? "\\S" : "[^" + SpaceChars + "]");
                        break;
                    case 'b':
                    case 'B':
                        sb.Append(inClass && e == 'b' ? "\\b" : "\\" + e);
                        break;
                    case 't':
                    case 'n':
                    case 'v':
                    case 'f':
                    case 'r':
                        sb.Append('\\').Append(e);
                        break;
                    case '0':
                        if (i + 1 < p.Length && char.IsAsciiDigit(p[i + 1]))
                        {
                            throw new ArgumentException("octal escapes are not allowed");
                        }

                        sb.Append("\\x00");
                        break;
                    case 'c':
                        if (i + 1 < p.Length && char.IsAsciiLetter(p[i + 1]))
                        {
                            sb.Append("\\c").Append(char.ToUpperInvariant(p[++i]));
                        }
                        else
                        {
                            throw new ArgumentException("\\c must be followed by a letter");
                        }

                        break;
                    case 'x':
                        if (i + 2 < p.Length && char.IsAsciiHexDigit(p[i + 1]) && char.IsAsciiHexDigit(p[i + 2]))
                        {
                            sb.Append("\\x").Append(p, i + 1, 2);
                            i += 2;
                        }
                        else
                        {
                            throw new ArgumentException("\\x must be followed by two hex digits");
                        }

                        break;
                    case 'u':
                        i = TranslateUnicodeEscape(p, i, sb, inClass);
                        break;
                    case 'p':
                    case 'P':
                        i = TranslateProperty(p, i, e, sb);
                        break;
                    case 'k':
                        sb.Append("\\k");
                        break;
                    default:
                        if (char.IsAsciiDigit(e))
                        {
                            sb.Append('\\').Append(e);
                        }
                        else if (char.IsAsciiLetter(e))
                        {
                            throw new ArgumentException($"'\\{e}' is not an ECMA-262 escape");
                        }
                        else
                        {
                            AppendLiteral(sb, e);
                        }

                        break;
                }

                continue;
            }

            if (inClass)
            {
                if (c == ']')
                {
                    inClass = false;
                    sb.Append(']');
                }
                else if (c == '[')
                {
                    sb.Append("\\[");
                }
                else
                {
                    sb.Append(c);
                }

                continue;
            }

            switch (c)
            {
                case '[':
                    if (i + 1 < p.Length && p[i + 1] == ']')
                    {
                        sb.Append("(?!)");
                        i++;
                    }
                    else if (i + 2 < p.Length && p[i + 1] == '^' && p[i + 2] == ']')
                    {
                        sb.Append("[\\s\\S]");
                        i += 2;
                    }
                    else
                    {
                        inClass = true;
                        sb.Append('[');
                        if (i + 1 < p.Length && p[i + 1] == '^')
                        {
                            sb.Append('^');
                            i++;
                        }

                        if (i + 1 < p.Length && p[i + 1] == ']')
                        {
                            // ']' right after '[' closes an empty class in ECMA-262; handled above
                        }
                    }

                    break;
                case '.':
                    sb.Append("[^\\n\\r\\u2028\\u2029]");
                    break;
                case '$':
                    sb.Append("\\z");
                    break;
                case '(':
                    if (i + 1 < p.Length && p[i + 1] == '?')
                    {
                        // (?: (?= (?! (?<= (?<! (?<name> are shared syntax; inline options are not ECMA-262
                        if (i + 2 < p.Length && p[i + 2] is not (':' or '=' or '!' or '<'))
                        {
                            throw new ArgumentException("invalid group syntax '(?" + p[i + 2] + "'");
                        }
                    }

                    sb.Append('(');
                    break;
                default:
                    if (char.IsHighSurrogate(c) && i + 1 < p.Length && char.IsLowSurrogate(p[i + 1]))
                    {
                        // a quantifier after an astral character applies to the whole code point
                        bool quantified = i + 2 < p.Length && p[i + 2] is '*' or '+' or '?' or '{';
                        if (quantified)
                        {
                            sb.Append("(?:").Append(c).Append(p[i + 1]).Append(')');
                        }
                        else
                        {
                            sb.Append(c).Append(p[i + 1]);
                        }

                        i++;
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        if (inClass)
        {
            throw new ArgumentException("unterminated character class");
        }

        return sb.ToString();
    }

    private static void AppendLiteral(StringBuilder sb, char c)
    {
        if (char.IsAsciiLetterOrDigit(c) || c == '_' || c > 127)
        {
            sb.Append(c);
        }
        else
        {
            sb.Append('\\').Append(c);
        }
    }

    private static int TranslateUnicodeEscape(string p, int i, StringBuilder sb, bool inClass)
    {
        // i points at 'u'
        if (i + 1 < p.Length && p[i + 1] == '{')
        {
            int close = p.IndexOf('}', i + 2);
            if (close < 0 || !int.TryParse(p.AsSpan(i + 2, close - i - 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int cp) || cp > 0x10FFFF)
            {
                throw new ArgumentException("invalid \\u{...} escape");
            }

            string s = char.ConvertFromUtf32(cp);
            bool quantified = close + 1 < p.Length && p[close + 1] is '*' or '+' or '?' or '{';
            if (s.Length == 2 && quantified && !inClass)
            {
                sb.Append("(?:").Append(s).Append(')');
            }
            else
            {
                foreach (char ch in s)
                {
                    sb.Append("\\u").Append(((int)ch).ToString("x4", CultureInfo.InvariantCulture));
                }
            }

            return close;
        }

        if (i + 4 < p.Length && IsHex4(p, i + 1))
        {
            sb.Append("\\u").Append(p, i + 1, 4);
            return i + 4;
        }

        throw new ArgumentException("\\u must be followed by four hex digits or {code point}");
    }

    private static bool IsHex4(string p, int start)
    {
        for (int k = start; k < start + 4; k++)
        {
            if (!char.IsAsciiHexDigit(p[k]))
            {
                return false;
            }
        }

        return true;
    }

    private static int TranslateProperty(string p, int i, char e, StringBuilder sb)
    {
        if (i + 1 >= p.Length || p[i + 1] != '{')
        {
            throw new ArgumentException("\\p must be followed by {property}");
        }

        int close = p.IndexOf('}', i + 2);
        if (close < 0)
        {
            throw new ArgumentException("unterminated \\p{...}");
        }

        string name = p[(i + 2)..close];
        int eq = name.IndexOf('=', StringComparison.Ordinal);
        if (eq >= 0)
        {
            string key = name[..eq];
            string value = name[(eq + 1)..];
            name = key is "General_Category" or "gc" ? value : "Is" + value;
        }

        string mapped = name switch
        {
            "Letter" => "L",
            "Cased_Letter" => "L",
            "Uppercase_Letter" => "Lu",
            "Lowercase_Letter" => "Ll",
            "Titlecase_Letter" => "Lt",
            "Modifier_Letter" => "Lm",
            "Other_Letter" => "Lo",
            "Mark" => "M",
            "Nonspacing_Mark" => "Mn",
            "Spacing_Mark" => "Mc",
            "Enclosing_Mark" => "Me",
            "Number" => "N",
            "Decimal_Number" or "digit" => "Nd",
            "Letter_Number" => "Nl",
            "Other_Number" => "No",
            "Punctuation" or "punct" => "P",
            "Connector_Punctuation" => "Pc",
            "Dash_Punctuation" => "Pd",
            "Open_Punctuation" => "Ps",
            "Close_Punctuation" => "Pe",
            "Initial_Punctuation" => "Pi",
            "Final_Punctuation" => "Pf",
            "Other_Punctuation" => "Po",
            "Symbol" => "S",
            "Math_Symbol" => "Sm",
            "Currency_Symbol" => "Sc",
            "Modifier_Symbol" => "Sk",
            "Other_Symbol" => "So",
            "Separator" => "Z",
            "Space_Separator" => "Zs",
            "Line_Separator" => "Zl",
            "Paragraph_Separator" => "Zp",
            "Other" => "C",
            "Control" or "cntrl" => "Cc",
            "Format" => "Cf",
            "Surrogate" => "Cs",
            "Private_Use" => "Co",
            "Unassigned" => "Cn",
            _ => name,
        };
        sb.Append('\\').Append(e).Append('{').Append(mapped).Append('}');
        return close;
    }
}
