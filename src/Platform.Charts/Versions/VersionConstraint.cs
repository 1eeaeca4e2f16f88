using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Platform.Charts.Versions;

/// <summary>
/// Represents a SemVer range in the grammar Helm uses for dependency versions and repository lookups
/// (Masterminds/semver v3): for example <c>~1.2</c>, <c>^0.3.0</c>, <c>&gt;= 1.2, &lt; 2.0</c>, <c>1.2 - 1.4.5</c>,
/// <c>2.x || &gt;= 3.1</c>.
/// </summary>
/// <remarks>
/// <para>Grammar:</para>
/// <list type="bullet">
/// <item><description>Operators <c>=</c>, <c>!=</c>, <c>&gt;</c>, <c>&lt;</c>, <c>&gt;=</c> (or <c>=&gt;</c>), <c>&lt;=</c> (or <c>=&lt;</c>), <c>~</c> (or <c>~&gt;</c>), <c>^</c>; no operator means <c>=</c>.</description></item>
/// <item><description>Versions may omit minor and patch and use <c>x</c>, <c>X</c> or <c>*</c> wildcards (<c>1.2.x</c>, <c>2</c>, <c>*</c>); a bare partial version such as <c>1.2</c> means <c>~1.2</c>.</description></item>
/// <item><description><c>~1.2.3</c> allows patch updates (&lt;1.3.0); <c>^1.2.3</c> allows minor updates (&lt;2.0.0), <c>^0.2.3</c> only patch updates (&lt;0.3.0), and <c>^0.0.3</c> only 0.0.3.</description></item>
/// <item><description>A hyphen range <c>A - B</c> (spaces required) means <c>&gt;= A, &lt;= B</c>.</description></item>
/// <item><description>Comma or whitespace joins constraints with AND; <c>||</c> joins AND groups with OR.</description></item>
/// <item><description>A prerelease version (<c>1.2.3-beta</c>) matches only an AND group that itself names a prerelease (<c>&gt;= 1.2.3-0</c>), unless prereleases are included explicitly. Unlike npm, Masterminds does not restrict this to the same major.minor.patch.</description></item>
/// <item><description>An empty (or blank) constraint matches any release, as <c>*</c> does (Helm's repository lookup treats an empty version as <c>*</c>).</description></item>
/// </list>
/// <para>Instances are immutable and thread-safe. Constraint text is limited to <see cref="MaxLength"/> characters.</para>
/// </remarks>
public sealed class VersionConstraint
{
    /// <summary>The longest constraint text accepted.</summary>
    public const int MaxLength = 1024;

    private const string Cv = @"v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?";
    private const string Ops = @"=||!=|>|<|>=|=>|<=|=<|~|~>|\^";

    private readonly Atom[][] _groups;
    private readonly bool[] _groupHasPrerelease;

    private VersionConstraint(string text, Atom[][] groups, bool[] groupHasPrerelease)
    {
        Text = text;
        _groups = groups;
        _groupHasPrerelease = groupHasPrerelease;
    }

    /// <summary>Gets the constraint text as given.</summary>
    public string Text { get; }

    /// <summary>Gets a constraint that matches every release (<c>*</c>).</summary>
    public static VersionConstraint Any => AnyHolder.Instance;

    /// <summary>Parses a constraint.</summary>
    /// <param name="text">The constraint text.</param>
    /// <returns>The constraint.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException">The text is not a constraint; the message names the offending part.</exception>
    public static VersionConstraint Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParseCore(text, out var constraint, out var error) ? constraint : throw new FormatException(error);
    }

    /// <summary>Tries to parse a constraint.</summary>
    /// <param name="text">The constraint text.</param>
    /// <param name="constraint">The constraint when the method returns <see langword="true"/>.</param>
    /// <returns><see langword="true"/> when <paramref name="text"/> is a constraint.</returns>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out VersionConstraint? constraint)
    {
        if (text is null)
        {
            constraint = null;
            return false;
        }

        return TryParseCore(text, out constraint, out _);
    }

    /// <summary>Tells whether a version satisfies the constraint (prereleases only where the constraint names one).</summary>
    /// <param name="version">The version.</param>
    /// <returns><see langword="true"/> when the version satisfies at least one OR group.</returns>
    public bool IsSatisfiedBy(SemanticVersion version) => IsSatisfiedBy(version, includePrerelease: false);

    /// <summary>Tells whether a version satisfies the constraint.</summary>
    /// <param name="version">The version.</param>
    /// <param name="includePrerelease">Whether prerelease versions are considered even where the constraint names none.</param>
    /// <returns><see langword="true"/> when the version satisfies at least one OR group.</returns>
    public bool IsSatisfiedBy(SemanticVersion version, bool includePrerelease)
    {
        ArgumentNullException.ThrowIfNull(version);
        for (var g = 0; g < _groups.Length; g++)
        {
            var pre = includePrerelease || _groupHasPrerelease[g];
            var all = true;
            foreach (var atom in _groups[g])
            {
                if (!atom.Check(version, pre))
                {
                    all = false;
                    break;
                }
            }

            if (all)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Returns the highest version that satisfies the constraint, or <see langword="null"/>.</summary>
    /// <param name="versions">The candidates.</param>
    /// <returns>The highest satisfying version, or <see langword="null"/> when none does.</returns>
    public SemanticVersion? MaxSatisfying(IEnumerable<SemanticVersion> versions)
    {
        ArgumentNullException.ThrowIfNull(versions);
        SemanticVersion? best = null;
        foreach (var v in versions)
        {
            if (IsSatisfiedBy(v) && (best is null || v.CompareTo(best) > 0))
            {
                best = v;
            }
        }

        return best;
    }

    /// <summary>Returns the constraint text.</summary>
    /// <returns>The text as given.</returns>
    public override string ToString() => Text;

    private static bool TryParseCore(string text, [NotNullWhen(true)] out VersionConstraint? constraint, out string error)
    {
        constraint = null;
        error = string.Empty;
        if (text.Length > MaxLength)
        {
            error = $"the constraint is {text.Length} characters long; expected at most {MaxLength}.";
            return false;
        }

        try
        {
            var source = string.IsNullOrWhiteSpace(text) ? "*" : text;
            var rewritten = RewriteRange(source);
            var ors = rewritten.Split("||");
            var groups = new Atom[ors.Length][];
            var hasPre = new bool[ors.Length];
            for (var k = 0; k < ors.Length; k++)
            {
                var part = ors[k];
                if (!ValidGroup().IsMatch(part))
                {
                    error = $"'{text}' is not a version constraint: improper constraint '{part.Trim()}'; expected comparisons such as '>= 1.2.3', '~1.2', '^2', '1.x' or '1.2 - 1.4.5', joined by ',' or '||'.";
                    return false;
                }

                var matches = FindAtom().Matches(part);
                var atoms = new Atom[matches.Count];
                for (var i = 0; i < matches.Count; i++)
                {
                    if (!Atom.TryParse(matches[i].Value, out var atom))
                    {
                        error = $"'{text}' is not a version constraint: '{matches[i].Value.Trim()}' does not name a valid version.";
                        return false;
                    }

                    hasPre[k] |= atom.Con.IsPrerelease;
                    atoms[i] = atom;
                }

                groups[k] = atoms;
            }

            constraint = new VersionConstraint(text, groups, hasPre);
            return true;
        }
        catch (RegexMatchTimeoutException)
        {
            error = $"'{text}' is not a version constraint: it took too long to parse.";
            return false;
        }
    }

    private static string RewriteRange(string input)
    {
        var output = input;
        foreach (Match m in RangeRegex().Matches(input))
        {
            var replacement = $">= {m.Groups[1].Value}, <= {m.Groups[11].Value} ";
            var at = output.IndexOf(m.Value, StringComparison.Ordinal);
            if (at >= 0)
            {
                output = string.Concat(output.AsSpan(0, at), replacement, output.AsSpan(at + m.Value.Length));
            }
        }

        return output;
    }

    // The linear-time engine keeps hostile input (long whitespace runs, many operators) from backtracking;
    // Go's RE2, which Masterminds uses, is linear too.
    private static readonly Regex RangePattern = Create(@"\s*(" + Cv + @")\s+-\s+(" + Cv + @")\s*");
    private static readonly Regex ValidGroupPattern = Create(@"^(\s*(" + Ops + @")\s*(" + Cv + @")\s*)((?:\s+|,\s*)(" + Ops + @")\s*(" + Cv + @")\s*)*$");
    private static readonly Regex FindAtomPattern = Create(@"(" + Ops + @")\s*(" + Cv + @")");
    private static readonly Regex AtomPattern = Create(@"^\s*(" + Ops + @")\s*(" + Cv + @")\s*$");

    private static Regex RangeRegex() => RangePattern;

    private static Regex ValidGroup() => ValidGroupPattern;

    private static Regex FindAtom() => FindAtomPattern;

    private static Regex AtomRegex() => AtomPattern;

    private static Regex Create(string pattern) =>
        new(pattern, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, TimeSpan.FromSeconds(1));

    private static class AnyHolder
    {
        public static readonly VersionConstraint Instance = Parse("*");
    }

    private enum Op
    {
        TildeOrEqual,
        NotEqual,
        GreaterThan,
        LessThan,
        GreaterThanOrEqual,
        LessThanOrEqual,
        Tilde,
        Caret,
    }

    private sealed class Atom
    {
        private Atom(Op op, SemanticVersion con, bool dirty, bool minorDirty, bool patchDirty)
        {
            Operator = op;
            Con = con;
            Dirty = dirty;
            MinorDirty = minorDirty;
            PatchDirty = patchDirty;
        }

        public Op Operator { get; }

        public SemanticVersion Con { get; }

        public bool Dirty { get; }

        public bool MinorDirty { get; }

        public bool PatchDirty { get; }

        public static bool TryParse(string text, [NotNullWhen(true)] out Atom? atom)
        {
            atom = null;
            var m = AtomRegex().Match(text);
            if (!m.Success)
            {
                return false;
            }

            var op = m.Groups[1].Value switch
            {
                "" or "=" => Op.TildeOrEqual,
                "!=" => Op.NotEqual,
                ">" => Op.GreaterThan,
                "<" => Op.LessThan,
                ">=" or "=>" => Op.GreaterThanOrEqual,
                "<=" or "=<" => Op.LessThanOrEqual,
                "~" or "~>" => Op.Tilde,
                _ => Op.Caret,
            };

            var major = m.Groups[3].Value;
            var minor = m.Groups[4].Value;
            var patch = m.Groups[5].Value;
            var pre = m.Groups[6].Value;
            var ver = m.Groups[2].Value;
            bool dirty = false, minorDirty = false, patchDirty = false;
            if (IsX(major) || major.Length == 0)
            {
                ver = "0.0.0" + pre;
                dirty = true;
            }
            else if (IsX(minor.TrimStart('.')) || minor.Length == 0)
            {
                ver = major + ".0.0" + pre;
                dirty = true;
                minorDirty = true;
            }
            else if (IsX(patch.TrimStart('.')) || patch.Length == 0)
            {
                ver = major + minor + ".0" + pre;
                dirty = true;
                patchDirty = true;
            }

            if (!SemanticVersion.TryParse(ver, out var con))
            {
                return false;
            }

            atom = new Atom(op, con, dirty, minorDirty, patchDirty);
            return true;
        }

        public bool Check(SemanticVersion v, bool includePre)
        {
            // Prereleases are only considered when the AND group (or the caller) asks for them.
            if (v.IsPrerelease && !includePre)
            {
                return false;
            }

            return Operator switch
            {
                Op.TildeOrEqual => Dirty ? Tilde(v) : v.CompareTo(Con) == 0,
                Op.NotEqual => NotEqual(v),
                Op.GreaterThan => GreaterThan(v),
                Op.LessThan => v.CompareTo(Con) < 0,
                Op.GreaterThanOrEqual => v.CompareTo(Con) >= 0,
                Op.LessThanOrEqual => LessThanOrEqual(v),
                Op.Tilde => Tilde(v),
                _ => Caret(v),
            };
        }

        private static bool IsX(string s) => s is "x" or "X" or "*";

        private bool NotEqual(SemanticVersion v)
        {
            if (Dirty)
            {
                if (Con.Major != v.Major)
                {
                    return true;
                }

                if (Con.Minor != v.Minor && !MinorDirty)
                {
                    return true;
                }

                if (MinorDirty)
                {
                    return false;
                }

                if (Con.Patch != v.Patch && !PatchDirty)
                {
                    return true;
                }

                if (PatchDirty)
                {
                    if (v.IsPrerelease || Con.IsPrerelease)
                    {
                        return SemanticVersion.ComparePrerelease(v.Prerelease, Con.Prerelease) != 0;
                    }

                    return false;
                }
            }

            return v.CompareTo(Con) != 0;
        }

        private bool GreaterThan(SemanticVersion v)
        {
            if (!Dirty)
            {
                return v.CompareTo(Con) > 0;
            }

            if (v.Major > Con.Major)
            {
                return true;
            }

            if (v.Major < Con.Major)
            {
                return false;
            }

            // '>11' needs 12 or higher; '>11.1' needs 11.2 or higher.
            if (MinorDirty)
            {
                return false;
            }

            if (PatchDirty)
            {
                return v.Minor > Con.Minor;
            }

            return v.CompareTo(Con) > 0;
        }

        private bool LessThanOrEqual(SemanticVersion v)
        {
            if (!Dirty)
            {
                return v.CompareTo(Con) <= 0;
            }

            if (v.Major > Con.Major)
            {
                return false;
            }

            return !(v.Major == Con.Major && v.Minor > Con.Minor && !MinorDirty);
        }

        private bool Tilde(SemanticVersion v)
        {
            if (v.CompareTo(Con) < 0)
            {
                return false;
            }

            // ~0.0.0 (and '*') accept everything, like >= 0.0.0.
            if (Con.Major == 0 && Con.Minor == 0 && Con.Patch == 0 && !MinorDirty && !PatchDirty)
            {
                return true;
            }

            if (v.Major != Con.Major)
            {
                return false;
            }

            return v.Minor == Con.Minor || MinorDirty;
        }

        private bool Caret(SemanticVersion v)
        {
            if (v.CompareTo(Con) < 0)
            {
                return false;
            }

            // ^x.y.z with x > 0 (or ^x / ^x.*): same major.
            if (Con.Major > 0 || MinorDirty)
            {
                return v.Major == Con.Major;
            }

            if (v.Major > 0)
            {
                return false;
            }

            // ^0.y.z with y > 0 (or ^0.y): same minor.
            if (Con.Minor > 0 || PatchDirty)
            {
                return v.Minor == Con.Minor;
            }

            if (v.Minor > 0)
            {
                return false;
            }

            // ^0.0.z: exactly that patch.
            return Con.Patch == v.Patch;
        }
    }
}
