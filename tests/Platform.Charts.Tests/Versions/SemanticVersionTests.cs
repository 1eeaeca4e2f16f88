using Platform.Charts.Versions;

namespace Platform.Charts.Tests.Versions;

/// <summary>Restates Masterminds/semver v3 version_test.go (the library Helm uses).</summary>
public sealed class SemanticVersionTests
{
    public static TheoryData<string, bool> LenientCases => new()
    {
        { "1.2.3", true },
        { "1.2.3-alpha.01", false },
        { "1.2.3+test.01", true },
        { "1.2.3-alpha.-1", true },
        { "v1.2.3", true },
        { "1.0", true },
        { "v1.0", true },
        { "1", true },
        { "v1", true },
        { "1.2.beta", false },
        { "v1.2.beta", false },
        { "foo", false },
        { "1.2-5", true },
        { "v1.2-5", true },
        { "1.2-beta.5", true },
        { "v1.2-beta.5", true },
        { "\n1.2", false },
        { "\nv1.2", false },
        { "1.2.0-x.Y.0+metadata", true },
        { "v1.2.0-x.Y.0+metadata", true },
        { "1.2.0-x.Y.0+metadata-width-hypen", true },
        { "v1.2.0-x.Y.0+metadata-width-hypen", true },
        { "1.2.3-rc1-with-hypen", true },
        { "v1.2.3-rc1-with-hypen", true },
        { "1.2.3.4", false },
        { "v1.2.3.4", false },
        { "1.2.2147483648", true },
        { "1.2147483648.3", true },
        { "2147483648.3.0", true },
        { "12.3.4.1234", false },
        { "12.23.4.1234", false },
        { "12.3.34.1234", false },
        { "20221209-update-renovatejson-v4", true },
        { "", false },
        { "1.2.3 ", false },
        { "1.2.3-", false },
        { "1.2.3+", false },
        { "1.2.3-a..b", false },
        { "99999999999999999999.0.0", false },
    };

    public static TheoryData<string, bool> StrictCases => new()
    {
        { "1.2.3", true },
        { "1.2.3-alpha.01", false },
        { "1.2.3+test.01", true },
        { "1.2.3-alpha.-1", true },
        { "v1.2.3", false },
        { "1.0", false },
        { "v1.0", false },
        { "1", false },
        { "v1", false },
        { "1.2.beta", false },
        { "foo", false },
        { "1.2-5", false },
        { "1.2-beta.5", false },
        { "\n1.2", false },
        { "1.2.0-x.Y.0+metadata", true },
        { "v1.2.0-x.Y.0+metadata", false },
        { "1.2.0-x.Y.0+metadata-width-hypen", true },
        { "1.2.3-rc1-with-hypen", true },
        { "v1.2.3-rc1-with-hypen", false },
        { "1.2.3.4", false },
        { "1.2.2147483648", true },
        { "1.2147483648.3", true },
        { "2147483648.3.0", true },
        { "20221209-update-renovatejson-v4", false },
        { "01.2.3", false },
    };

    [Theory]
    [MemberData(nameof(LenientCases))]
    public void TryParse_MastermindsNewVersionTable_Matches(string text, bool valid)
    {
        Assert.Equal(valid, SemanticVersion.TryParse(text, out _));
        if (!valid)
        {
            Assert.Throws<FormatException>(() => SemanticVersion.Parse(text));
        }
    }

    [Theory]
    [MemberData(nameof(StrictCases))]
    public void TryParseStrict_MastermindsStrictNewVersionTable_Matches(string text, bool valid)
    {
        Assert.Equal(valid, SemanticVersion.TryParseStrict(text, out _));
    }

    [Theory]
    [InlineData("1.2.3", "1.2.3")]
    [InlineData("v1.2.3", "1.2.3")]
    [InlineData("1.0", "1.0.0")]
    [InlineData("v1.0", "1.0.0")]
    [InlineData("1", "1.0.0")]
    [InlineData("v1", "1.0.0")]
    [InlineData("1.2-5", "1.2.0-5")]
    [InlineData("v1.2-5", "1.2.0-5")]
    [InlineData("1.2-beta.5", "1.2.0-beta.5")]
    [InlineData("v1.2-beta.5", "1.2.0-beta.5")]
    [InlineData("1.2.0-x.Y.0+metadata", "1.2.0-x.Y.0+metadata")]
    [InlineData("v1.2.0-x.Y.0+metadata", "1.2.0-x.Y.0+metadata")]
    [InlineData("1.2.0-x.Y.0+metadata-width-hypen", "1.2.0-x.Y.0+metadata-width-hypen")]
    [InlineData("v1.2.3-rc1-with-hypen", "1.2.3-rc1-with-hypen")]
    public void ToString_CoercesToFullVersion_KeepsOriginal(string text, string expected)
    {
        var v = SemanticVersion.Parse(text);
        Assert.Equal(expected, v.ToString());
        Assert.Equal(text, v.Original);
    }

    [Fact]
    public void Parse_Parts_AreExposed()
    {
        var v = SemanticVersion.Parse("1.2.3-beta.1+build.123");
        Assert.Equal(1UL, v.Major);
        Assert.Equal(2UL, v.Minor);
        Assert.Equal(3UL, v.Patch);
        Assert.Equal("beta.1", v.Prerelease);
        Assert.Equal("build.123", v.Metadata);
        Assert.True(v.IsPrerelease);
    }

    [Theory]
    [InlineData("1.2.3", "1.5.1", -1)]
    [InlineData("2.2.3", "1.5.1", 1)]
    [InlineData("2.2.3", "2.2.2", 1)]
    [InlineData("3.2-beta", "3.2-beta", 0)]
    [InlineData("1.3", "1.1.4", 1)]
    [InlineData("4.2", "4.2-beta", 1)]
    [InlineData("4.2-beta", "4.2", -1)]
    [InlineData("4.2-alpha", "4.2-beta", -1)]
    [InlineData("4.2-alpha", "4.2-alpha", 0)]
    [InlineData("4.2-beta.2", "4.2-beta.1", 1)]
    [InlineData("4.2-beta2", "4.2-beta1", 1)]
    [InlineData("4.2-beta", "4.2-beta.2", -1)]
    [InlineData("4.2-beta", "4.2-beta.foo", -1)]
    [InlineData("4.2-beta.2", "4.2-beta", 1)]
    [InlineData("4.2-beta.foo", "4.2-beta", 1)]
    [InlineData("1.2+bar", "1.2+baz", 0)]
    [InlineData("1.0.0-beta.4", "1.0.0-beta.-2", -1)]
    [InlineData("1.0.0-beta.-2", "1.0.0-beta.-3", -1)]
    [InlineData("1.0.0-beta.-3", "1.0.0-beta.5", 1)]
    [InlineData("3.2.0-beta.1", "3.2.0-beta.5", -1)]
    [InlineData("7.43.0-SNAPSHOT.99", "7.43.0-SNAPSHOT.103", -1)]
    [InlineData("7.43.0-SNAPSHOT.FOO", "7.43.0-SNAPSHOT.103", 1)]
    [InlineData("7.43.0-SNAPSHOT.99", "7.43.0-SNAPSHOT.BAR", -1)]
    public void CompareTo_MastermindsTable_Matches(string a, string b, int expected)
    {
        var x = SemanticVersion.Parse(a);
        var y = SemanticVersion.Parse(b);
        Assert.Equal(expected, Math.Sign(x.CompareTo(y)));
        Assert.Equal(-expected, Math.Sign(y.CompareTo(x)));
        Assert.Equal(expected == 0, x == y);
        Assert.Equal(expected < 0, x < y);
        Assert.Equal(expected > 0, x > y);
        if (expected == 0)
        {
            Assert.Equal(x.GetHashCode(), y.GetHashCode());
        }
    }

    [Fact]
    public void Constructor_BuildsNormalizedVersion()
    {
        Assert.Equal("0.1.2", new SemanticVersion(0, 1, 2).ToString());
        Assert.Equal("1.2.3-alpha.1+foo.bar", new SemanticVersion(1, 2, 3, "alpha.1", "foo.bar").ToString());
        Assert.Throws<ArgumentException>(() => new SemanticVersion(1, 2, 3, "**"));
        Assert.Throws<ArgumentException>(() => new SemanticVersion(1, 2, 3, "alpha.01"));
        Assert.Throws<ArgumentException>(() => new SemanticVersion(1, 2, 3, null, "**"));
    }

    [Fact]
    public void Sorting_FollowsSemVerPrecedence()
    {
        // The precedence example of the SemVer 2.0 specification, section 11.
        string[] ordered = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0"];
        var shuffled = ordered.Reverse().Select(SemanticVersion.Parse).ToList();
        shuffled.Sort();
        Assert.Equal(ordered, shuffled.Select(v => v.ToString()));
    }
}
