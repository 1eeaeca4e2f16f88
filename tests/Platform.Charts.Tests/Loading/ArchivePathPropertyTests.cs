using FsCheck;
using FsCheck.Fluent;
using Platform.Abstractions;
using Platform.Charts.Loading;
using Platform.Charts.Loading.Internal;

namespace Platform.Charts.Tests.Loading;

/// <summary>Property: no archive entry name, however built, yields a path outside the chart root.</summary>
public sealed class ArchivePathPropertyTests
{
    private static readonly string[] Pieces = ["..", ".", "/", "\\", "a", "b.txt", "c:", "C:", "", "~", "//", "\\\\", "?", "templates", "Chart.yaml", "...", "..a"];

    private static Gen<string> EntryNames =>
        Gen.Elements(Pieces).ListOf().Select(parts => string.Concat(parts));

    [Fact]
    public void TryNormalize_AnyEntryName_NeverEscapesRoot()
    {
        var property = Prop.ForAll(EntryNames.ToArbitrary(), name =>
        {
            if (!ArchivePath.TryNormalize(name, out var path, out var error))
            {
                return error.Length > 0;
            }

            var segments = path.Split('/');
            return path.Length > 0
                && path != "."
                && !path.StartsWith('/')
                && !path.Contains('\\', StringComparison.Ordinal)
                && !segments.Contains("..")
                && !segments.Contains(".")
                && !segments.Contains(string.Empty)
                && !(path.Length >= 3 && char.IsAsciiLetter(path[0]) && path[1] == ':' && path[2] == '/');
        });

        Check.QuickThrowOnFailure(property);
    }

    [Fact]
    public void LoadAsync_AnyEntryName_LoadsOnlyPathsInsideTheChart()
    {
        // A tar entry needs a non-empty name (TarWriter refuses to write one).
        var property = Prop.ForAll(EntryNames.Where(n => n.Length > 0).ToArbitrary(), name =>
        {
            var archive = TestArchive.WithChart().File(name, "data").ToStream();
            try
            {
                var chart = ChartLoader.LoadAsync(archive).GetAwaiter().GetResult().Chart;
                return AllNames(chart).All(n => !n.Split('/').Contains("..") && !n.StartsWith('/') && !n.Contains('\\', StringComparison.Ordinal));
            }
            catch (ChartException)
            {
                return true;
            }
        });

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(200), property);
    }

    [Theory]
    [InlineData("a/../../b")]
    [InlineData("/../x")]
    [InlineData("a/b/../../..")]
    [InlineData("./././..")]
    public void Clean_MatchesGoPathClean_ForParentSegments(string input)
    {
        // Go: path.Clean keeps leading ".." of a relative path and drops it at the root.
        var cleaned = ArchivePath.Clean(input);
        Assert.Equal(input switch
        {
            "a/../../b" => "../b",
            "/../x" => "/x",
            "a/b/../../.." => "..",
            _ => "..",
        }, cleaned);
    }

    private static IEnumerable<string> AllNames(Chart c) =>
        c.Files.Select(f => f.Name).Concat(c.Templates.Select(f => f.Name)).Concat(c.Subcharts.SelectMany(AllNames));
}
