using Platform.Charts.Versions;

namespace Platform.Charts.Tests.Versions;

/// <summary>Restates Masterminds/semver v3 constraints_test.go (the grammar Helm uses for dependency versions).</summary>
public sealed class VersionConstraintTests
{
    // TestConstraintCheck (single constraints).
    public static TheoryData<string, string, bool> SingleConstraintCases => new()
    {
        { "=2.0.0", "1.2.3", false },
        { "=2.0.0", "2.0.0", true },
        { "=2.0", "1.2.3", false },
        { "=2.0", "2.0.0", true },
        { "=2.0", "2.0.1", true },
        { "4.1", "4.1.0", true },
        { "!=4.1.0", "4.1.0", false },
        { "!=4.1.0", "4.1.1", true },
        { "!=4.1", "4.1.0", false },
        { "!=4.1", "4.1.1", false },
        { "!=4.1", "5.1.0-alpha.1", false },
        { "!=4.1-alpha", "4.1.0", true },
        { "!=4.1", "5.1.0", true },
        { "<11", "0.1.0", true },
        { "<11", "11.1.0", false },
        { "<1.1", "0.1.0", true },
        { "<1.1", "1.1.0", false },
        { "<1.1", "1.1.1", false },
        { "<=11", "1.2.3", true },
        { "<=11", "12.2.3", false },
        { "<=11", "11.2.3", true },
        { "<=1.1", "1.2.3", false },
        { "<=1.1", "0.1.0", true },
        { "<=1.1", "1.1.0", true },
        { "<=1.1", "1.1.1", true },
        { ">1.1", "4.1.0", true },
        { ">1.1", "1.1.0", false },
        { ">0", "0", false },
        { ">0", "1", true },
        { ">0", "0.0.1-alpha", false },
        { ">0.0", "0.0.1-alpha", false },
        { ">0-0", "0.0.1-alpha", false },
        { ">0.0-0", "0.0.1-alpha", false },
        { ">0", "0.0.0-alpha", false },
        { ">0-0", "0.0.0-alpha", false },
        { ">0.0.0-0", "0.0.0-alpha", true },
        { ">1.2.3-alpha.1", "1.2.3-alpha.2", true },
        { ">1.2.3-alpha.1", "1.3.3-alpha.2", true },
        { ">11", "11.1.0", false },
        { ">11.1", "11.1.0", false },
        { ">11.1", "11.1.1", false },
        { ">11.1", "11.2.1", true },
        { ">=11", "11.1.2", true },
        { ">=11.1", "11.1.2", true },
        { ">=11.1", "11.0.2", false },
        { ">=1.1", "4.1.0", true },
        { ">=1.1", "1.1.0", true },
        { ">=1.1", "0.0.9", false },
        { ">=0", "0.0.1-alpha", false },
        { ">=0.0", "0.0.1-alpha", false },
        { ">=0-0", "0.0.1-alpha", true },
        { ">=0.0-0", "0.0.1-alpha", true },
        { ">=0", "0.0.0-alpha", false },
        { ">=0-0", "0.0.0-alpha", true },
        { ">=0.0.0-0", "0.0.0-alpha", true },
        { ">=0.0.0-0", "1.2.3", true },
        { ">=0.0.0-0", "3.4.5-beta.1", true },
        { "<0", "0.0.0-alpha", false },
        { "<0-z", "0.0.0-alpha", true },
        { ">=0", "0", true },
        { "=0", "1", false },
        { "*", "1", true },
        { "*", "4.5.6", true },
        { "*", "1.2.3-alpha.1", false },
        { "*-0", "1.2.3-alpha.1", true },
        { "2.*", "1", false },
        { "2.*", "3.4.5", false },
        { "2.*", "2.1.1", true },
        { "2.1.*", "2.1.1", true },
        { "2.1.*", "2.2.1", false },
        { "", "1", true },
        { "", "4.5.6", true },
        { "", "1.2.3-alpha.1", false },
        { "2", "1", false },
        { "2", "3.4.5", false },
        { "2", "2.1.1", true },
        { "2.1", "2.1.1", true },
        { "2.1", "2.2.1", false },
        { "~1.2.3", "1.2.4", true },
        { "~1.2.3", "1.3.4", false },
        { "~1.2", "1.2.4", true },
        { "~1.2", "1.3.4", false },
        { "~1", "1.2.4", true },
        { "~1", "2.3.4", false },
        { "~0.2.3", "0.2.5", true },
        { "~0.2.3", "0.3.5", false },
        { "~1.2.3-beta.2", "1.2.3-beta.4", true },

        // Unlike npm, prereleases are not scoped to the same patch release.
        { "~1.2.3-beta.2", "1.2.4-beta.2", true },
        { "~1.2.3-beta.2", "1.3.4-beta.2", false },
        { "^1.2.3", "1.8.9", true },
        { "^1.2.3", "2.8.9", false },
        { "^1.2.3", "1.2.1", false },
        { "^1.1.0", "2.1.0", false },
        { "^1.2.0", "2.2.1", false },
        { "^1.2.0", "1.2.1-alpha.1", false },
        { "^1.2.0-alpha.0", "1.2.1-alpha.1", true },
        { "^1.2.0-alpha.0", "1.2.1-alpha.0", true },
        { "^1.2.0-alpha.2", "1.2.0-alpha.1", false },
        { "^1.2", "1.8.9", true },
        { "^1.2", "2.8.9", false },
        { "^1", "1.8.9", true },
        { "^1", "2.8.9", false },
        { "^0.2.3", "0.2.5", true },
        { "^0.2.3", "0.5.6", false },
        { "^0.2", "0.2.5", true },
        { "^0.2", "0.5.6", false },
        { "^0.0.3", "0.0.3", true },
        { "^0.0.3", "0.0.4", false },
        { "^0.0", "0.0.3", true },
        { "^0.0", "0.1.4", false },
        { "^0.0", "1.0.4", false },
        { "^0", "0.2.3", true },
        { "^0", "1.1.4", false },
        { "^0.2.3-beta.2", "0.2.3-beta.4", true },
        { "^0.2.3-beta.2", "0.2.4-beta.2", true },
        { "^0.2.3-beta.2", "0.3.4-beta.2", false },
        { "^0.2.3-beta.2", "0.2.3-beta.2", true },
    };

    // TestConstraintsCheck and TestConstraintsValidate (groups, ORs, ranges).
    public static TheoryData<string, string, bool> ConstraintCases => new()
    {
        { "*", "1.2.3", true },
        { "~0.0.0", "1.2.3", true },
        { "0.x.x", "1.2.3", false },
        { "0.0.x", "1.2.3", false },
        { "0.0.0", "1.2.3", false },
        { "^0.0.0", "1.2.3", false },
        { "= 2.0", "1.2.3", false },
        { "= 2.0", "2.0.0", true },
        { "4.1", "4.1.0", true },
        { "4.1.x", "4.1.3", true },
        { "1.x", "1.4", true },
        { "!=4.1", "4.1.0", false },
        { "!=4.1-alpha", "4.1.0-alpha", false },
        { "!=4.1-alpha", "4.1.1-alpha", false },
        { "!=4.1-alpha", "4.1.0", true },
        { "!=4.1", "5.1.0", true },
        { "!=4.x", "5.1.0", true },
        { "!=4.x", "4.1.0", false },
        { "!=4.1.x", "4.2.0", true },
        { "!=4.2.x", "4.2.3", false },
        { ">1.1", "4.1.0", true },
        { ">1.1", "1.1.0", false },
        { "<1.1", "0.1.0", true },
        { "<1.1", "1.1.0", false },
        { "<1.1", "1.1.1", false },
        { "<1.x", "1.1.1", false },
        { "<1.x", "0.1.1", true },
        { "<1.x", "2.0.0", false },
        { "<2.x", "1.1.1", true },
        { "<1.1.x", "1.2.1", false },
        { "<1.1.x", "1.1.500", false },
        { "<1.1.x", "1.0.500", true },
        { "<1.2.x", "1.1.1", true },
        { ">=1.1", "4.1.0", true },
        { ">=1.1", "4.1.0-beta", false },
        { ">=1.1", "1.1.0", true },
        { ">=1.1", "0.0.9", false },
        { "<=1.1", "0.1.0", true },
        { "<=1.1", "0.1.0-alpha", false },
        { "<=1.1-a", "0.1.0-alpha", true },
        { "<=1.1", "1.1.0", true },
        { "<=1.x", "1.1.0", true },
        { "<=2.x", "3.0.0", false },
        { "<=1.1", "1.1.1", true },
        { "<=1.1.x", "1.2.500", false },
        { "<=4.5", "3.4.0", true },
        { "<=4.5", "3.7.0", true },
        { "<=4.5", "4.6.3", false },
        { ">1.1, <2", "1.1.1", false },
        { ">1.1, <2", "1.2.1", true },
        { ">1.1, <3", "4.3.2", false },
        { ">=1.1, <2, !=1.2.3", "1.2.3", false },
        { ">1.1 <2", "1.1.1", false },
        { ">1.1 <2", "1.2.1", true },
        { ">1.1    <3", "4.3.2", false },
        { ">=1.1    <2    !=1.2.3", "1.2.3", false },
        { ">=1.1, <2, !=1.2.3 || > 3", "4.1.2", true },
        { ">=1.1, <2, !=1.2.3 || > 3", "3.1.2", false },
        { ">=1.1, <2, !=1.2.3 || >= 3", "3.0.0", true },
        { ">=1.1, <2, !=1.2.3 || > 3", "3.0.0", false },
        { ">=1.1, <2, !=1.2.3 || > 3", "1.2.3", false },
        { ">=1.1 <2 !=1.2.3", "1.2.3", false },
        { ">=1.1 <2 !=1.2.3 || > 3", "4.1.2", true },
        { ">=1.1 <2 !=1.2.3 || > 3", "3.1.2", false },
        { ">=1.1 <2 !=1.2.3 || >= 3", "3.0.0", true },
        { "> 1.1, <     2", "1.1.1", false },
        { ">   1.1, <2", "1.2.1", true },
        { ">1.1, <  3", "4.3.2", false },
        { ">= 1.1, <     2, !=1.2.3", "1.2.3", false },
        { "> 1.1 < 2", "1.1.1", false },
        { ">1.1 < 2", "1.2.1", true },
        { "> 1.1    <3", "4.3.2", false },
        { ">=1.1    < 2    != 1.2.3", "1.2.3", false },
        { ">= 1.1, <2, !=1.2.3 || > 3", "4.1.2", true },
        { ">= 1.1, <2, != 1.2.3 || > 3", "3.1.2", false },
        { ">= 1.1, <2, != 1.2.3 || >= 3", "3.0.0", true },
        { ">= 1.1 <2 != 1.2.3 || > 3", "4.1.2", true },
        { ">= 1.1 < 2 !=1.2.3 || > 3", "3.0.0", false },
        { "1.1 - 2", "1.1.1", true },
        { "1.5.0 - 4.5", "3.7.0", true },
        { "1.1-3", "4.3.2", false },
        { "^1.1", "1.1.1", true },
        { "^1.1", "1.1.1-alpha", false },
        { "^1.1.1-alpha", "1.1.1-beta", true },
        { "^1.1.1-beta", "1.1.1-alpha", false },
        { "^1.1", "4.3.2", false },
        { "^1.x", "1.1.1", true },
        { "^2.x", "1.1.1", false },
        { "^1.x", "2.1.1", false },
        { "^1.x", "1.1.1-beta1", false },
        { "^1.1.2-alpha", "1.2.1-beta1", true },
        { "^1.2.x-alpha", "1.1.1-beta1", false },
        { "^0.0.1", "0.0.1", true },
        { "^0.0.1", "0.3.1", false },
        { "^0.0.1", "0.1.3", false },
        { "~*", "2.1.1", true },
        { "~1", "2.1.1", false },
        { "~1", "1.3.5", true },
        { "~1", "1.4", true },
        { "~1", "1.3.5-beta", false },
        { "~1.x", "2.1.1", false },
        { "~1.x", "1.3.5", true },
        { "~1.x", "1.3.5-beta", false },
        { "~1.x", "1.4", true },
        { "~1.1", "1.1.1", true },
        { "~1.1", "1.1.1-alpha", false },
        { "~1.1-alpha", "1.1.1-beta", true },
        { "~1.1.1-beta", "1.1.1-alpha", false },
        { "~1.1.1-beta", "1.1.1", true },
        { "~1.3.6-alpha", "1.3.5-beta", false },
        { "~1.3.5-alpha", "1.3.5-beta", true },
        { "~1.3.5-beta", "1.3.5-alpha", false },
        { "~1.2.3", "1.2.5", true },
        { "~1.2.3", "1.2.2", false },
        { "~1.2.3", "1.3.2", false },
        { "~1.1", "1.2.3", false },
        { "~1.3", "2.4.5", false },
        { "1.0.0 - 2.0.0 <=2.0.0", "1.5.0", true },
        { "1.0.0 - 2.0.0, <=2.0.0", "1.5.0", true },

        // A prerelease in an AND group lets the whole group consider prereleases (Masterminds v3.2+).
        { ">= 1.2.3-0, < 2", "1.5.0-beta", true },
        { ">= 1.2.3, < 2", "1.5.0-beta", false },
        { ">= 1.2.3-0, < 2 || >= 3", "3.1.0-rc.1", false },
        { ">= 3 || >= 1.2.3-0", "3.1.0-rc.1", true },

        // Helm-style ranges from real charts.
        { ">= 0.0.1", "0.1.0", true },
        { "~18.4", "18.4.7", true },
        { "~18.4", "18.5.0", false },
        { "2.x.x", "2.31.4", true },
        { "v1.2.x", "1.2.9", true },
        { "=> 3.0, < 4", "3.9.9", true },
        { "=< 4.5", "4.5.9", true },
        { "~> 1.2", "1.2.9", true },
    };

    [Theory]
    [MemberData(nameof(SingleConstraintCases))]
    public void IsSatisfiedBy_MastermindsSingleConstraintTable_Matches(string constraint, string version, bool expected)
    {
        Assert.Equal(expected, VersionConstraint.Parse(constraint).IsSatisfiedBy(SemanticVersion.Parse(version)));
    }

    [Theory]
    [MemberData(nameof(ConstraintCases))]
    public void IsSatisfiedBy_MastermindsConstraintsTable_Matches(string constraint, string version, bool expected)
    {
        Assert.Equal(expected, VersionConstraint.Parse(constraint).IsSatisfiedBy(SemanticVersion.Parse(version)));
    }

    [Theory]
    [InlineData(">= 1.1", true)]
    [InlineData(">40.50.60, < 50.70", true)]
    [InlineData("2.0", true)]
    [InlineData("v2.3.5-20161202202307-sha.e8fc5e5", true)]
    [InlineData(">= bar", false)]
    [InlineData("BAR >= 1.2.3", false)]
    [InlineData(">= 1.2.3 < 2.0", true)]
    [InlineData(">= 1.2.3 < 2.0 || => 3.0 < 4", true)]
    [InlineData(">= 1.2.3, < 2.0", true)]
    [InlineData(">= 1.2.3, < 2.0 || => 3.0, < 4", true)]
    [InlineData("3 - 4 || => 3.0, < 4", true)]
    [InlineData("12.3.4.1234", false)]
    [InlineData("12.23.4.1234", false)]
    [InlineData("12.3.34.1234", false)]
    [InlineData("12.3.34 ~1.2.3", true)]
    [InlineData("12.3.34~ 1.2.3", false)]
    [InlineData("1.0.0 - 2.0.0, <=2.0.0", true)]
    [InlineData("foo", false)]
    [InlineData("^1.2.3-01", false)]
    [InlineData(">= 1.2 ||", false)]
    [InlineData("", true)]
    [InlineData("   ", true)]
    public void TryParse_MastermindsNewConstraintTable_Matches(string text, bool valid)
    {
        Assert.Equal(valid, VersionConstraint.TryParse(text, out _));
        if (!valid)
        {
            var ex = Assert.Throws<FormatException>(() => VersionConstraint.Parse(text));
            Assert.Contains("not a version constraint", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Parse_TooLong_Throws()
    {
        var text = string.Join(" || ", Enumerable.Repeat(">= 1.0.0", 200));
        var ex = Assert.Throws<FormatException>(() => VersionConstraint.Parse(text));
        Assert.Contains("at most 1024", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_LongWhitespaceRun_FailsFast()
    {
        // A backtracking trap for naive grammars: whitespace runs between operators.
        var text = ">= 1.0" + new string(' ', 900) + "!";
        Assert.False(VersionConstraint.TryParse(text, out _));
    }

    [Fact]
    public void IsSatisfiedBy_IncludePrerelease_ConsidersPrereleases()
    {
        var c = VersionConstraint.Parse(">= 1.2, < 2");
        var v = SemanticVersion.Parse("1.5.0-beta.1");
        Assert.False(c.IsSatisfiedBy(v));
        Assert.True(c.IsSatisfiedBy(v, includePrerelease: true));
    }

    [Fact]
    public void MaxSatisfying_PicksHighestMatchingRelease()
    {
        var versions = new[] { "1.2.0", "1.2.9", "1.3.0", "1.2.10-rc.1", "2.0.0" }.Select(SemanticVersion.Parse).ToList();
        Assert.Equal("1.2.9", VersionConstraint.Parse("~1.2").MaxSatisfying(versions)?.ToString());
        Assert.Equal("1.3.0", VersionConstraint.Parse("^1.2").MaxSatisfying(versions)?.ToString());
        Assert.Null(VersionConstraint.Parse(">= 3").MaxSatisfying(versions));
        Assert.Equal("2.0.0", VersionConstraint.Any.MaxSatisfying(versions)?.ToString());
    }

    [Fact]
    public void ToString_ReturnsTextAsGiven()
    {
        Assert.Equal(">= 1.2, < 2", VersionConstraint.Parse(">= 1.2, < 2").ToString());
    }
}
