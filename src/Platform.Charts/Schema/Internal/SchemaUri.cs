namespace Platform.Charts.Schema.Internal;

/// <summary>URI handling for schema identifiers: resolution against a base, fragments kept verbatim.</summary>
internal static class SchemaUri
{
    public static bool HasScheme(string s)
    {
        if (s.Length == 0 || !char.IsAsciiLetter(s[0]))
        {
            return false;
        }

        for (int i = 1; i < s.Length; i++)
        {
            char c = s[i];
            if (c == ':')
            {
                return true;
            }

            if (!(char.IsAsciiLetterOrDigit(c) || c == '+' || c == '-' || c == '.'))
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>Splits off the fragment (without '#'); the fragment is null when there is no '#'.</summary>
    public static (string Uri, string? Fragment) Split(string s)
    {
        int i = s.IndexOf('#', StringComparison.Ordinal);
        return i < 0 ? (s, null) : (s[..i], s[(i + 1)..]);
    }

    /// <summary>Normalizes an absolute URI without its fragment (scheme and host case, default ports, escapes).</summary>
    public static string Normalize(string absolute)
    {
        string noFragment = Split(absolute).Uri;
        if (Uri.TryCreate(noFragment, UriKind.Absolute, out Uri? uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeFile))
        {
            return uri.GetComponents(UriComponents.AbsoluteUri & ~UriComponents.Fragment, UriFormat.UriEscaped);
        }

        return noFragment;
    }

    /// <summary>Resolves <paramref name="reference"/> against <paramref name="baseUri"/>; the fragment is kept verbatim.</summary>
    /// <returns>The normalized absolute URI, followed by '#' and the fragment when the reference has one; null when it cannot be resolved.</returns>
    public static string? Resolve(string baseUri, string reference)
    {
        var (refPart, fragment) = Split(reference);
        string resolved;
        if (refPart.Length == 0)
        {
            resolved = Split(baseUri).Uri;
        }
        else if (HasScheme(refPart))
        {
            resolved = refPart;
        }
        else
        {
            if (!Uri.TryCreate(Split(baseUri).Uri, UriKind.Absolute, out Uri? b))
            {
                return null;
            }

            try
            {
                if (!Uri.TryCreate(b, refPart, out Uri? combined))
                {
                    return null;
                }

                resolved = combined.GetComponents(UriComponents.AbsoluteUri & ~UriComponents.Fragment, UriFormat.UriEscaped);
            }
            catch (UriFormatException)
            {
                return null;
            }
            catch (InvalidOperationException)
            {
                return null;
            }
        }

        resolved = Normalize(resolved);
        return fragment is null ? resolved : resolved + "#" + fragment;
    }

    /// <summary>Escapes a property name as a JSON pointer token.</summary>
    public static string EscapeToken(string token) =>
        token.Contains('~', StringComparison.Ordinal) || token.Contains('/', StringComparison.Ordinal)
            ? token.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal)
            : token;
}
