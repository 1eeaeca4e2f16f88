using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Platform.Charts.Versions;

/// <summary>
/// Represents a Semantic Versioning 2.0 version as Helm reads it (the Masterminds/semver v3 rules).
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Parse(string)"/> is lenient the way Helm is for chart versions: an optional leading <c>v</c>, and a
/// missing minor or patch number counts as zero (<c>1.2</c> is <c>1.2.0</c>, <c>v2</c> is <c>2.0.0</c>).
/// <see cref="ParseStrict(string)"/> accepts only <c>MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]</c> without leading zeros.
/// </para>
/// <para>
/// Precedence follows the specification: major, minor and patch numerically, a version with a prerelease is lower
/// than the same version without one, prerelease identifiers compare numerically when numeric and ordinally
/// otherwise (numeric identifiers are lower), and build metadata is ignored. Equality ignores build metadata too,
/// so <c>1.0.0+a</c> equals <c>1.0.0+b</c>. Instances are immutable and thread-safe.
/// </para>
/// </remarks>
public sealed class SemanticVersion : IComparable<SemanticVersion>, IEquatable<SemanticVersion>
{
    private SemanticVersion(ulong major, ulong minor, ulong patch, string prerelease, string metadata, string original)
    {
        Major = major;
        Minor = minor;
        Patch = patch;
        Prerelease = prerelease;
        Metadata = metadata;
        Original = original;
    }

    /// <summary>Initializes a new instance from its parts.</summary>
    /// <param name="major">The major number.</param>
    /// <param name="minor">The minor number.</param>
    /// <param name="patch">The patch number.</param>
    /// <param name="prerelease">The prerelease identifiers without the leading <c>-</c>, or empty.</param>
    /// <param name="metadata">The build metadata without the leading <c>+</c>, or empty.</param>
    /// <exception cref="ArgumentException">The prerelease or the metadata is not valid SemVer.</exception>
    public SemanticVersion(ulong major, ulong minor, ulong patch, string? prerelease = null, string? metadata = null)
    {
        prerelease ??= string.Empty;
        metadata ??= string.Empty;
        if (prerelease.Length > 0 && ValidatePrerelease(prerelease) is { } preError)
        {
            throw new ArgumentException(preError, nameof(prerelease));
        }

        if (metadata.Length > 0 && ValidateMetadata(metadata) is { } metaError)
        {
            throw new ArgumentException(metaError, nameof(metadata));
        }

        Major = major;
        Minor = minor;
        Patch = patch;
        Prerelease = prerelease;
        Metadata = metadata;
        Original = Format(major, minor, patch, prerelease, metadata);
    }

    /// <summary>Gets the major number.</summary>
    public ulong Major { get; }

    /// <summary>Gets the minor number.</summary>
    public ulong Minor { get; }

    /// <summary>Gets the patch number.</summary>
    public ulong Patch { get; }

    /// <summary>Gets the prerelease identifiers without the leading <c>-</c>, or an empty string.</summary>
    public string Prerelease { get; }

    /// <summary>Gets the build metadata without the leading <c>+</c>, or an empty string.</summary>
    public string Metadata { get; }

    /// <summary>Gets the text this version was parsed from (for example <c>v1.2</c>).</summary>
    public string Original { get; }

    /// <summary>Gets a value indicating whether this version has a prerelease part.</summary>
    public bool IsPrerelease => Prerelease.Length > 0;

    /// <summary>Parses a version leniently (optional <c>v</c>, missing minor/patch as zero), as Helm does.</summary>
    /// <param name="text">The version text.</param>
    /// <returns>The parsed version.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException">The text is not a version; the message says what was expected.</exception>
    public static SemanticVersion Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParseCore(text, out var version, out var error) ? version : throw new FormatException(error);
    }

    /// <summary>Tries to parse a version leniently, as <see cref="Parse(string)"/> does.</summary>
    /// <param name="text">The version text.</param>
    /// <param name="version">The parsed version when the method returns <see langword="true"/>.</param>
    /// <returns><see langword="true"/> when <paramref name="text"/> is a version.</returns>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out SemanticVersion? version)
    {
        if (text is null)
        {
            version = null;
            return false;
        }

        return TryParseCore(text, out version, out _);
    }

    /// <summary>
    /// Parses a strict SemVer 2.0 version: exactly <c>MAJOR.MINOR.PATCH</c>, no <c>v</c> prefix, no leading zeros.
    /// </summary>
    /// <param name="text">The version text.</param>
    /// <returns>The parsed version.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException">The text is not a strict version.</exception>
    public static SemanticVersion ParseStrict(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParseStrictCore(text, out var version, out var error) ? version : throw new FormatException(error);
    }

    /// <summary>Tries to parse a strict SemVer 2.0 version, as <see cref="ParseStrict(string)"/> does.</summary>
    /// <param name="text">The version text.</param>
    /// <param name="version">The parsed version when the method returns <see langword="true"/>.</param>
    /// <returns><see langword="true"/> when <paramref name="text"/> is a strict version.</returns>
    public static bool TryParseStrict([NotNullWhen(true)] string? text, [NotNullWhen(true)] out SemanticVersion? version)
    {
        if (text is null)
        {
            version = null;
            return false;
        }

        return TryParseStrictCore(text, out version, out _);
    }

    /// <summary>Compares two versions by SemVer precedence (build metadata ignored).</summary>
    /// <param name="other">The other version; <see langword="null"/> sorts first.</param>
    /// <returns>A negative number, zero or a positive number.</returns>
    public int CompareTo(SemanticVersion? other)
    {
        if (other is null)
        {
            return 1;
        }

        var c = Major.CompareTo(other.Major);
        if (c != 0)
        {
            return c;
        }

        c = Minor.CompareTo(other.Minor);
        if (c != 0)
        {
            return c;
        }

        c = Patch.CompareTo(other.Patch);
        if (c != 0)
        {
            return c;
        }

        if (Prerelease.Length == 0 && other.Prerelease.Length == 0)
        {
            return 0;
        }

        if (Prerelease.Length == 0)
        {
            return 1;
        }

        if (other.Prerelease.Length == 0)
        {
            return -1;
        }

        return ComparePrerelease(Prerelease, other.Prerelease);
    }

    /// <summary>Determines whether two versions have the same precedence (build metadata ignored).</summary>
    /// <param name="other">The other version.</param>
    /// <returns><see langword="true"/> when both versions have equal precedence.</returns>
    public bool Equals(SemanticVersion? other) => other is not null && CompareTo(other) == 0;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is SemanticVersion other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Major, Minor, Patch, StringComparer.Ordinal.GetHashCode(Prerelease));

    /// <summary>Returns the normalized form <c>MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]</c> (no <c>v</c>).</summary>
    /// <returns>The normalized text.</returns>
    public override string ToString() => Format(Major, Minor, Patch, Prerelease, Metadata);

    /// <summary>Compares two versions by precedence.</summary>
    /// <param name="left">The left version.</param>
    /// <param name="right">The right version.</param>
    /// <returns>The comparison result.</returns>
    public static bool operator ==(SemanticVersion? left, SemanticVersion? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Compares two versions by precedence.</summary>
    /// <param name="left">The left version.</param>
    /// <param name="right">The right version.</param>
    /// <returns>The comparison result.</returns>
    public static bool operator !=(SemanticVersion? left, SemanticVersion? right) => !(left == right);

    /// <summary>Compares two versions by precedence.</summary>
    /// <param name="left">The left version.</param>
    /// <param name="right">The right version.</param>
    /// <returns>The comparison result.</returns>
    public static bool operator <(SemanticVersion? left, SemanticVersion? right) => Compare(left, right) < 0;

    /// <summary>Compares two versions by precedence.</summary>
    /// <param name="left">The left version.</param>
    /// <param name="right">The right version.</param>
    /// <returns>The comparison result.</returns>
    public static bool operator <=(SemanticVersion? left, SemanticVersion? right) => Compare(left, right) <= 0;

    /// <summary>Compares two versions by precedence.</summary>
    /// <param name="left">The left version.</param>
    /// <param name="right">The right version.</param>
    /// <returns>The comparison result.</returns>
    public static bool operator >(SemanticVersion? left, SemanticVersion? right) => Compare(left, right) > 0;

    /// <summary>Compares two versions by precedence.</summary>
    /// <param name="left">The left version.</param>
    /// <param name="right">The right version.</param>
    /// <returns>The comparison result.</returns>
    public static bool operator >=(SemanticVersion? left, SemanticVersion? right) => Compare(left, right) >= 0;

    internal SemanticVersion WithoutPrerelease() =>
        Prerelease.Length == 0 && Metadata.Length == 0 ? this : new SemanticVersion(Major, Minor, Patch, string.Empty, string.Empty, Format(Major, Minor, Patch, string.Empty, string.Empty));

    internal static SemanticVersion Create(ulong major, ulong minor, ulong patch, string prerelease = "") =>
        new(major, minor, patch, prerelease, string.Empty, Format(major, minor, patch, prerelease, string.Empty));

    private static int Compare(SemanticVersion? left, SemanticVersion? right) =>
        left is null ? (right is null ? 0 : -1) : left.CompareTo(right);

    private static string Format(ulong major, ulong minor, ulong patch, string prerelease, string metadata)
    {
        var sb = new StringBuilder();
        sb.Append(major.ToString(CultureInfo.InvariantCulture)).Append('.')
          .Append(minor.ToString(CultureInfo.InvariantCulture)).Append('.')
          .Append(patch.ToString(CultureInfo.InvariantCulture));
        if (prerelease.Length > 0)
        {
            sb.Append('-').Append(prerelease);
        }

        if (metadata.Length > 0)
        {
            sb.Append('+').Append(metadata);
        }

        return sb.ToString();
    }

    // Lenient grammar (Masterminds NewVersion): v?N(.N)?(.N)?(-ids)?(+ids)? where ids are dot-separated
    // non-empty [0-9A-Za-z-] identifiers; numbers are any digit run that fits in 64 bits.
    private static bool TryParseCore(string text, [NotNullWhen(true)] out SemanticVersion? version, out string error)
    {
        version = null;
        error = $"'{text}' is not a semantic version; expected MAJOR[.MINOR[.PATCH]][-PRERELEASE][+BUILD], optionally prefixed with 'v'.";
        var s = text.AsSpan();
        var i = 0;
        if (s.Length > 0 && s[0] == 'v')
        {
            i++;
        }

        if (!ReadNumber(s, ref i, out var major, ref error, text))
        {
            return false;
        }

        ulong minor = 0, patch = 0;
        if (i < s.Length && s[i] == '.')
        {
            i++;
            if (!ReadNumber(s, ref i, out minor, ref error, text))
            {
                return false;
            }

            if (i < s.Length && s[i] == '.')
            {
                i++;
                if (!ReadNumber(s, ref i, out patch, ref error, text))
                {
                    return false;
                }
            }
        }

        var prerelease = string.Empty;
        var metadata = string.Empty;
        if (i < s.Length && s[i] == '-')
        {
            var end = IndexOfOrEnd(s, i + 1, '+');
            prerelease = text.Substring(i + 1, end - i - 1);
            if (!IsIdentifierList(prerelease))
            {
                return false;
            }

            i = end;
        }

        if (i < s.Length && s[i] == '+')
        {
            metadata = text[(i + 1)..];
            if (!IsIdentifierList(metadata))
            {
                return false;
            }

            i = s.Length;
        }

        if (i != s.Length)
        {
            return false;
        }

        if (prerelease.Length > 0 && ValidatePrerelease(prerelease) is { } preError)
        {
            error = $"'{text}' is not a semantic version: {preError}";
            return false;
        }

        version = new SemanticVersion(major, minor, patch, prerelease, metadata, text);
        return true;
    }

    private static bool TryParseStrictCore(string text, [NotNullWhen(true)] out SemanticVersion? version, out string error)
    {
        version = null;
        error = $"'{text}' is not a strict semantic version; expected MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD] without leading zeros.";
        if (text.Length == 0)
        {
            return false;
        }

        var core = text;
        var metadata = string.Empty;
        var prerelease = string.Empty;
        var plus = core.IndexOf('+', StringComparison.Ordinal);
        if (plus >= 0)
        {
            metadata = core[(plus + 1)..];
            core = core[..plus];
        }

        var dash = core.IndexOf('-', StringComparison.Ordinal);
        if (dash >= 0)
        {
            prerelease = core[(dash + 1)..];
            core = core[..dash];
        }

        var parts = core.Split('.');
        if (parts.Length != 3)
        {
            return false;
        }

        var numbers = new ulong[3];
        for (var p = 0; p < 3; p++)
        {
            var part = parts[p];
            if (part.Length == 0 || !part.All(char.IsAsciiDigit) || (part.Length > 1 && part[0] == '0')
                || !ulong.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out numbers[p]))
            {
                return false;
            }
        }

        if ((dash >= 0 && (prerelease.Length == 0 || !IsIdentifierList(prerelease) || ValidatePrerelease(prerelease) is not null))
            || (plus >= 0 && (metadata.Length == 0 || !IsIdentifierList(metadata))))
        {
            return false;
        }

        version = new SemanticVersion(numbers[0], numbers[1], numbers[2], prerelease, metadata, text);
        return true;
    }

    private static bool ReadNumber(ReadOnlySpan<char> s, ref int i, out ulong value, ref string error, string text)
    {
        var start = i;
        while (i < s.Length && char.IsAsciiDigit(s[i]))
        {
            i++;
        }

        value = 0;
        if (i == start)
        {
            return false;
        }

        if (!ulong.TryParse(s[start..i], NumberStyles.None, CultureInfo.InvariantCulture, out value))
        {
            error = $"'{text}' is not a semantic version: the number '{s[start..i].ToString()}' does not fit in 64 bits.";
            return false;
        }

        return true;
    }

    private static int IndexOfOrEnd(ReadOnlySpan<char> s, int start, char c)
    {
        var idx = s[start..].IndexOf(c);
        return idx < 0 ? s.Length : start + idx;
    }

    private static bool IsIdentifierList(string ids)
    {
        if (ids.Length == 0)
        {
            return false;
        }

        foreach (var id in ids.Split('.'))
        {
            if (id.Length == 0 || !id.All(static ch => char.IsAsciiLetterOrDigit(ch) || ch == '-'))
            {
                return false;
            }
        }

        return true;
    }

    private static string? ValidatePrerelease(string prerelease)
    {
        foreach (var id in prerelease.Split('.'))
        {
            if (id.Length == 0 || !id.All(static ch => char.IsAsciiLetterOrDigit(ch) || ch == '-'))
            {
                return $"the prerelease '{prerelease}' must be dot-separated identifiers of [0-9A-Za-z-].";
            }

            if (id.Length > 1 && id[0] == '0' && id.All(char.IsAsciiDigit))
            {
                return $"the numeric prerelease identifier '{id}' must not start with 0.";
            }
        }

        return null;
    }

    private static string? ValidateMetadata(string metadata) =>
        IsIdentifierList(metadata) ? null : $"the build metadata '{metadata}' must be dot-separated identifiers of [0-9A-Za-z-].";

    internal static int ComparePrerelease(string a, string b)
    {
        var ap = a.Split('.');
        var bp = b.Split('.');
        var n = Math.Max(ap.Length, bp.Length);
        for (var i = 0; i < n; i++)
        {
            var x = i < ap.Length ? ap[i] : string.Empty;
            var y = i < bp.Length ? bp[i] : string.Empty;
            var d = ComparePrereleasePart(x, y);
            if (d != 0)
            {
                return d;
            }
        }

        return 0;
    }

    private static int ComparePrereleasePart(string x, string y)
    {
        if (string.Equals(x, y, StringComparison.Ordinal))
        {
            return 0;
        }

        // A missing identifier sorts before a present one (1.0.0-alpha < 1.0.0-alpha.1).
        if (x.Length == 0)
        {
            return -1;
        }

        if (y.Length == 0)
        {
            return 1;
        }

        var xNum = ulong.TryParse(x, NumberStyles.None, CultureInfo.InvariantCulture, out var xi);
        var yNum = ulong.TryParse(y, NumberStyles.None, CultureInfo.InvariantCulture, out var yi);
        if (xNum && yNum)
        {
            return xi.CompareTo(yi) switch { 0 => string.CompareOrdinal(x, y) < 0 ? -1 : 1, var c => c };
        }

        if (xNum)
        {
            return -1;
        }

        if (yNum)
        {
            return 1;
        }

        return string.CompareOrdinal(x, y) < 0 ? -1 : 1;
    }
}
