using Platform.Charts.Loading.Internal;

namespace Platform.Charts.Tests.Loading;

/// <summary>Restates Helm's pkg/ignore/rules_test.go and Go's filepath.Match tests.</summary>
public sealed class HelmIgnoreRulesTests
{
    // In Helm's fixture, cargo/ and mast/ are directories and the rest are files.
    private static readonly HashSet<string> Directories = ["cargo", "cargo/", "mast", "mast/", ".", "./"];

    public static TheoryData<string, string, bool> IgnoreCases => new()
    {
        // Glob tests
        { "helm.txt", "helm.txt", true },
        { "helm.*", "helm.txt", true },
        { "helm.*", "rudder.txt", false },
        { "*.txt", "tiller.txt", true },
        { "*.txt", "cargo/a.txt", true },
        { "cargo/*.txt", "cargo/a.txt", true },
        { "cargo/*.*", "cargo/a.txt", true },
        { "cargo/*.txt", "mast/a.txt", false },
        { "ru[c-e]?er.txt", "rudder.txt", true },
        { "templates/.?*", "templates/.dotfile", true },

        // "." is never ignored (helm/helm#1776).
        { ".*", ".", false },
        { ".*", "./", false },
        { ".*", ".joonix", true },
        { ".*", "helm.txt", false },
        { ".*", "", false },

        // Directory tests
        { "cargo/", "cargo", true },
        { "cargo/", "cargo/", true },
        { "cargo/", "mast/", false },
        { "helm.txt/", "helm.txt", false },

        // Negation tests
        { "!helm.txt", "helm.txt", false },
        { "!helm.txt", "tiller.txt", true },
        { "!*.txt", "cargo", true },
        { "!cargo/", "mast/", true },

        // Absolute path tests
        { "/a.txt", "a.txt", true },
        { "/a.txt", "cargo/a.txt", false },
        { "/cargo/a.txt", "cargo/a.txt", true },
    };

    [Theory]
    [MemberData(nameof(IgnoreCases))]
    public void Ignore_HelmTable_MatchesHelm(string pattern, string name, bool expected)
    {
        var rules = HelmIgnoreRules.Parse(pattern);
        Assert.Equal(expected, rules.Ignore(name, Directories.Contains(name)));
    }

    [Fact]
    public void Parse_CommentsAndBlankLines_AreSkipped()
    {
        var rules = HelmIgnoreRules.Parse("#ignore\n\n\t#ignore\nfoo\nbar/*\nbaz/bar/foo.txt\n\none/more\n");
        Assert.Equal(4, rules.Count);
    }

    [Theory]
    [InlineData("foo/**/bar")]
    [InlineData("[z-")]
    public void Parse_InvalidRule_Throws(string rule)
    {
        var ex = Assert.Throws<FormatException>(() => HelmIgnoreRules.Parse("ok\n" + rule));
        Assert.StartsWith("line 2:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddDefaults_AddsOneRule()
    {
        var rules = new HelmIgnoreRules();
        rules.AddDefaults();
        Assert.Equal(1, rules.Count);
        Assert.True(rules.Ignore("templates/.hidden.yaml", false));
        Assert.False(rules.Ignore("templates/deployment.yaml", false));
    }

    // Go's path/filepath match_test.go; null = ErrBadPattern.
    public static TheoryData<string, string, bool?> GoMatchCases => new()
    {
        { "abc", "abc", true },
        { "*", "abc", true },
        { "*c", "abc", true },
        { "a*", "a", true },
        { "a*", "abc", true },
        { "a*", "ab/c", false },
        { "a*/b", "abc/b", true },
        { "a*/b", "a/c/b", false },
        { "a*b*c*d*e*/f", "axbxcxdxe/f", true },
        { "a*b*c*d*e*/f", "axbxcxdxexxx/f", true },
        { "a*b*c*d*e*/f", "axbxcxdxe/xxx/f", false },
        { "a*b*c*d*e*/f", "axbxcxdxexxx/fff", false },
        { "a*b?c*x", "abxbbxdbxebxczzx", true },
        { "a*b?c*x", "abxbbxdbxebxczzy", false },
        { "ab[c]", "abc", true },
        { "ab[b-d]", "abc", true },
        { "ab[e-g]", "abc", false },
        { "ab[^c]", "abc", false },
        { "ab[^b-d]", "abc", false },
        { "ab[^e-g]", "abc", true },
        { "a\\*b", "a*b", true },
        { "a\\*b", "ab", false },
        { "a?b", "a☺b", true },
        { "a[^a]b", "a☺b", true },
        { "a???b", "a☺b", false },
        { "a[^a][^a][^a]b", "a☺b", false },
        { "[a-ζ]*", "α", true },
        { "*[a-ζ]", "A", false },
        { "a?b", "a/b", false },
        { "a*b", "a/b", false },
        { "[\\]a]", "]", true },
        { "[\\-]", "-", true },
        { "[x\\-]", "x", true },
        { "[x\\-]", "-", true },
        { "[x\\-]", "z", false },
        { "[\\-x]", "x", true },
        { "[\\-x]", "-", true },
        { "[\\-x]", "a", false },
        { "[]a]", "]", null },
        { "[-]", "-", null },
        { "[x-]", "x", null },
        { "[x-]", "-", null },
        { "[x-]", "z", null },
        { "[-x]", "x", null },
        { "[-x]", "-", null },
        { "[-x]", "a", null },
        { "\\", "a", null },
        { "[a-b-c]", "a", null },
        { "[", "a", null },
        { "[^", "a", null },
        { "[^bc", "a", null },
        { "a[", "a", null },
        { "a[", "ab", null },
        { "a[", "x", null },
        { "a/b[", "x", null },
        { "*x", "xxx", true },
    };

    [Theory]
    [MemberData(nameof(GoMatchCases))]
    public void TryMatch_GoTable_MatchesGo(string pattern, string name, bool? expected)
    {
        var valid = GoGlob.TryMatch(pattern, name, out var matched);
        if (expected is null)
        {
            Assert.False(valid);
        }
        else
        {
            Assert.True(valid);
            Assert.Equal(expected.Value, matched);
        }
    }
}
