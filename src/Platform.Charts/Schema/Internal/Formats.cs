using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Platform.Charts.Schema.Internal;

/// <summary>Checkers of the <c>format</c> values JSON Schema defines; unknown formats are not checked.</summary>
internal static partial class Formats
{
    public static Func<string, bool>? Get(string format) => format switch
    {
        "date-time" => IsDateTime,
        "date" => IsDate,
        "time" => IsTime,
        "duration" => IsDuration,
        "email" => IsEmail,
        "idn-email" => IsIdnEmail,
        "hostname" => IsHostname,
        "idn-hostname" => IsIdnHostname,
        "ipv4" => IsIPv4,
        "ipv6" => IsIPv6,
        "uri" => s => IsUri(s, absolute: true, iri: false),
        "uri-reference" => s => IsUri(s, absolute: false, iri: false),
        "iri" => s => IsUri(s, absolute: true, iri: true),
        "iri-reference" => s => IsUri(s, absolute: false, iri: true),
        "uri-template" => IsUriTemplate,
        "json-pointer" => IsJsonPointer,
        "relative-json-pointer" => IsRelativeJsonPointer,
        "regex" => EcmaRegex.IsValid,
        "uuid" => s => UuidRegex().IsMatch(s),
        _ => null,
    };

    [GeneratedRegex(@"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\z", RegexOptions.CultureInvariant)]
    private static partial Regex UuidRegex();

    [GeneratedRegex(@"^([0-9]{4})-([0-9]{2})-([0-9]{2})\z", RegexOptions.CultureInvariant)]
    private static partial Regex DateRegex();

    [GeneratedRegex(@"^([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+)?([zZ]|([+-])([0-9]{2}):([0-9]{2}))\z", RegexOptions.CultureInvariant)]
    private static partial Regex TimeRegex();

    [GeneratedRegex(@"^P(?:(?:[0-9]+Y(?:[0-9]+M(?:[0-9]+D)?)?|[0-9]+M(?:[0-9]+D)?|[0-9]+D)(?:T(?:[0-9]+H(?:[0-9]+M(?:[0-9]+S)?)?|[0-9]+M(?:[0-9]+S)?|[0-9]+S))?|T(?:[0-9]+H(?:[0-9]+M(?:[0-9]+S)?)?|[0-9]+M(?:[0-9]+S)?|[0-9]+S)|[0-9]+W)\z", RegexOptions.CultureInvariant)]
    private static partial Regex DurationRegex();

    [GeneratedRegex(@"^(/([^/~]|~[01])*)*\z", RegexOptions.CultureInvariant)]
    private static partial Regex JsonPointerRegex();

    [GeneratedRegex(@"^(0|[1-9][0-9]*)(#|(/([^/~]|~[01])*)*)\z", RegexOptions.CultureInvariant)]
    private static partial Regex RelativeJsonPointerRegex();

    [GeneratedRegex(@"^([^\x00-\x20""%<>\\^`{|}\x7f]|%[0-9A-Fa-f]{2}|\{[+#./;?&=,!@|]?([A-Za-z0-9_]|%[0-9A-Fa-f]{2})(\.?([A-Za-z0-9_]|%[0-9A-Fa-f]{2}))*(:[1-9][0-9]{0,3}|\*)?(,([A-Za-z0-9_]|%[0-9A-Fa-f]{2})(\.?([A-Za-z0-9_]|%[0-9A-Fa-f]{2}))*(:[1-9][0-9]{0,3}|\*)?)*\})*\z", RegexOptions.CultureInvariant)]
    private static partial Regex UriTemplateRegex();

    private static bool IsDate(string s)
    {
        Match m = DateRegex().Match(s);
        if (!m.Success)
        {
            return false;
        }

        int y = int.Parse(m.Groups[1].ValueSpan, CultureInfo.InvariantCulture);
        int mo = int.Parse(m.Groups[2].ValueSpan, CultureInfo.InvariantCulture);
        int d = int.Parse(m.Groups[3].ValueSpan, CultureInfo.InvariantCulture);
        return y >= 1 && mo is >= 1 and <= 12 && d >= 1 && d <= DateTime.DaysInMonth(y, mo);
    }

    private static bool IsTime(string s)
    {
        Match m = TimeRegex().Match(s);
        if (!m.Success)
        {
            return false;
        }

        int h = int.Parse(m.Groups[1].ValueSpan, CultureInfo.InvariantCulture);
        int mi = int.Parse(m.Groups[2].ValueSpan, CultureInfo.InvariantCulture);
        int sec = int.Parse(m.Groups[3].ValueSpan, CultureInfo.InvariantCulture);
        if (h > 23 || mi > 59 || sec > 60)
        {
            return false;
        }

        int offH = 0, offM = 0, sign = 0;
        if (m.Groups[6].Success)
        {
            offH = int.Parse(m.Groups[7].ValueSpan, CultureInfo.InvariantCulture);
            offM = int.Parse(m.Groups[8].ValueSpan, CultureInfo.InvariantCulture);
            sign = m.Groups[6].Value == "+" ? 1 : -1;
            if (offH > 23 || offM > 59)
            {
                return false;
            }
        }

        if (sec == 60)
        {
            // a leap second exists only at 23:59:60 UTC
            int utcMinutes = ((h * 60) + mi - (sign * ((offH * 60) + offM)) + 1440) % 1440;
            return utcMinutes == (23 * 60) + 59;
        }

        return true;
    }

    private static bool IsDateTime(string s)
    {
        int t = s.IndexOfAny(['T', 't']);
        return t == 10 && IsDate(s[..10]) && IsTime(s[11..]);
    }

    private static bool IsDuration(string s) => DurationRegex().IsMatch(s);

    private static bool IsEmail(string s) => IsEmailCore(s, idn: false);

    private static bool IsIdnEmail(string s) => IsEmailCore(s, idn: true);

    private static bool IsEmailCore(string s, bool idn)
    {
        int at = s.LastIndexOf('@');
        if (at <= 0 || at == s.Length - 1)
        {
            return false;
        }

        string local = s[..at];
        string domain = s[(at + 1)..];
        if (local.StartsWith('"') && local.EndsWith('"') && local.Length >= 2)
        {
            // quoted local part
        }
        else
        {
            if (local.StartsWith('.') || local.EndsWith('.') || local.Contains("..", StringComparison.Ordinal))
            {
                return false;
            }

            foreach (char c in local)
            {
                if (!(char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-/=?^_`{|}~.".Contains(c, StringComparison.Ordinal) || (idn && c > 127)))
                {
                    return false;
                }
            }
        }

        if (domain.StartsWith('[') && domain.EndsWith(']'))
        {
            string literal = domain[1..^1];
            return literal.StartsWith("IPv6:", StringComparison.Ordinal) ? IsIPv6(literal[5..]) : IsIPv4(literal);
        }

        return idn ? IsIdnHostname(domain) : IsHostname(domain);
    }

    private static bool IsHostname(string s)
    {
        // the suite (and RFC 1123 names as written in schemas) treat a trailing dot as invalid
        if (s.Length is 0 or > 253 || s.EndsWith('.'))
        {
            return false;
        }

        string h = s;

        foreach (string label in h.Split('.'))
        {
            if (label.Length is 0 or > 63 || label.StartsWith('-') || label.EndsWith('-'))
            {
                return false;
            }

            foreach (char c in label)
            {
                if (!(char.IsAsciiLetterOrDigit(c) || c == '-'))
                {
                    return false;
                }
            }

            if (label.Length >= 4 && label[2] == '-' && label[3] == '-' && !label.StartsWith("xn--", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            if (label.StartsWith("xn--", StringComparison.OrdinalIgnoreCase))
            {
                try
                {
                    _ = new IdnMapping { UseStd3AsciiRules = true }.GetUnicode(label);
                }
                catch (ArgumentException)
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static bool IsIdnHostname(string s)
    {
        if (s.Length == 0)
        {
            return false;
        }

        try
        {
            string dotted = s.Replace('\u3002', '.').Replace('\uff0e', '.').Replace('\uff61', '.');
            if (dotted.EndsWith('.'))
            {
                return false;
            }

            string ascii = new IdnMapping { UseStd3AsciiRules = true }.GetAscii(dotted);
            return IsHostname(ascii);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static bool IsIPv4(string s)
    {
        string[] parts = s.Split('.');
        if (parts.Length != 4)
        {
            return false;
        }

        foreach (string part in parts)
        {
            if (part.Length is 0 or > 3 || (part.Length > 1 && part[0] == '0'))
            {
                return false;
            }

            foreach (char c in part)
            {
                if (!char.IsAsciiDigit(c))
                {
                    return false;
                }
            }

            if (int.Parse(part, CultureInfo.InvariantCulture) > 255)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsIPv6(string s)
    {
        if (s.Length == 0 || s.Contains('%', StringComparison.Ordinal) || s.Contains('/', StringComparison.Ordinal))
        {
            return false;
        }

        foreach (char c in s)
        {
            if (!(char.IsAsciiHexDigit(c) || c is ':' or '.'))
            {
                return false;
            }
        }

        int lastColon = s.LastIndexOf(':');
        if (lastColon >= 0 && s.IndexOf('.', StringComparison.Ordinal) > lastColon && !IsIPv4(s[(lastColon + 1)..]))
        {
            return false;
        }

        return IPAddress.TryParse(s, out IPAddress? ip) && ip.AddressFamily == AddressFamily.InterNetworkV6;
    }

    private static bool IsUri(string s, bool absolute, bool iri)
    {
        foreach (char c in s)
        {
            if (c <= ' ' || c is '"' or '<' or '>' or '\\' or '^' or '`' or '{' or '|' or '}' or '\u007f' || (!iri && c > 126))
            {
                return false;
            }
        }

        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == '%' && (i + 2 >= s.Length || !char.IsAsciiHexDigit(s[i + 1]) || !char.IsAsciiHexDigit(s[i + 2])))
            {
                return false;
            }
        }

        int hash = s.IndexOf('#', StringComparison.Ordinal);
        if (hash >= 0 && s.IndexOf('#', hash + 1) >= 0)
        {
            return false;
        }

        string rest;
        if (SchemaUri.HasScheme(s))
        {
            rest = s[(s.IndexOf(':', StringComparison.Ordinal) + 1)..];
        }
        else if (absolute)
        {
            return false;
        }
        else
        {
            // a relative reference: the first path segment may not contain ':'
            int firstSep = s.IndexOfAny(['/', '?', '#']);
            string first = firstSep < 0 ? s : s[..firstSep];
            if (first.Contains(':', StringComparison.Ordinal))
            {
                return false;
            }

            rest = s;
        }

        if (rest.StartsWith("//", StringComparison.Ordinal))
        {
            string authority = rest[2..];
            int end = authority.IndexOfAny(['/', '?', '#']);
            string tail = end >= 0 ? authority[end..] : string.Empty;
            if (end >= 0)
            {
                authority = authority[..end];
            }

            if (!IsAuthority(authority))
            {
                return false;
            }

            rest = tail;
        }

        // brackets only delimit an IP literal in the authority
        return !rest.Contains('[', StringComparison.Ordinal) && !rest.Contains(']', StringComparison.Ordinal);
    }

    private static bool IsAuthority(string authority)
    {
        int at = authority.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            string userinfo = authority[..at];
            if (userinfo.Contains('[', StringComparison.Ordinal) || userinfo.Contains(']', StringComparison.Ordinal))
            {
                return false;
            }

            authority = authority[(at + 1)..];
            if (authority.Contains('@', StringComparison.Ordinal))
            {
                return false;
            }
        }

        string port;
        if (authority.StartsWith('['))
        {
            int close = authority.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                return false;
            }

            string literal = authority[1..close];
            int dot = literal.IndexOf('.', StringComparison.Ordinal);
            bool future = literal.Length > 2 && (literal[0] is 'v' or 'V') && dot > 1 && dot < literal.Length - 1 && literal[1..dot].All(char.IsAsciiHexDigit);
            if (!future && !IsIPv6(literal))
            {
                return false;
            }

            port = authority[(close + 1)..];
            if (port.Length > 0 && port[0] != ':')
            {
                return false;
            }
        }
        else
        {
            if (authority.Contains('[', StringComparison.Ordinal) || authority.Contains(']', StringComparison.Ordinal))
            {
                return false;
            }

            int colon = authority.IndexOf(':', StringComparison.Ordinal);
            port = colon >= 0 ? authority[colon..] : string.Empty;
        }

        return port.Length == 0 || port[1..].All(char.IsAsciiDigit);
    }

    private static bool IsUriTemplate(string s) => UriTemplateRegex().IsMatch(s);

    private static bool IsJsonPointer(string s) => JsonPointerRegex().IsMatch(s);

    private static bool IsRelativeJsonPointer(string s) => RelativeJsonPointerRegex().IsMatch(s);
}
