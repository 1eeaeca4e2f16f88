using System.Diagnostics;
using Platform.Abstractions;
using Platform.Charts.Loading;

namespace Platform.Charts.Tests.Loading;

/// <summary>Directory loading: .helmignore, symbolic links, irregular files and limits.</summary>
public sealed class ChartLoaderDirectoryTests
{
    private const string ChartYaml = "apiVersion: v2\nname: demo\nversion: 0.1.0\n";

    [Fact]
    public async Task LoadAsync_HelmIgnore_SkipsMatchingFilesAndDirectories()
    {
        using var dir = new TempDirectory();
        dir.Write("Chart.yaml", ChartYaml);
        dir.Write(".helmignore", "# comments are fine\n*.txt\nsecret/\n/top-only.md\n");
        dir.Write("notes.txt", "x");
        dir.Write("docs/more.txt", "x");
        dir.Write("secret/key.pem", "x");
        dir.Write("top-only.md", "x");
        dir.Write("docs/top-only.md", "kept: the rule is anchored at the root");
        dir.Write("templates/.hidden.yaml", "x");
        dir.Write("templates/deploy.yaml", "kind: Deployment");
        dir.Write("README.md", "readme");

        var c = (await ChartLoader.LoadAsync(dir.Path)).Chart;
        Assert.Equal([".helmignore", "README.md", "docs/top-only.md"], c.Files.Select(f => f.Name));
        Assert.Equal(["templates/deploy.yaml"], c.Templates.Select(f => f.Name));
    }

    [Fact]
    public async Task LoadAsync_HelmIgnoreDisabled_ReadsEverything()
    {
        using var dir = new TempDirectory();
        dir.Write("Chart.yaml", ChartYaml);
        dir.Write(".helmignore", "*.txt\n");
        dir.Write("notes.txt", "x");
        var c = (await ChartLoader.LoadAsync(dir.Path, new ChartLoadOptions { ApplyHelmIgnore = false })).Chart;
        Assert.Contains(c.Files, f => f.Name == "notes.txt");
    }

    [Fact]
    public async Task LoadAsync_InvalidHelmIgnore_ThrowsNamingTheFile()
    {
        using var dir = new TempDirectory();
        dir.Write("Chart.yaml", ChartYaml);
        dir.Write(".helmignore", "ok\nfoo/**/bar\n");
        var ex = await Assert.ThrowsAsync<ChartException>(() => ChartLoader.LoadAsync(dir.Path));
        Assert.Equal(".helmignore", ex.EntryPath);
        Assert.Contains("line 2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_SymlinkInsideChart_IsFollowedWithWarning()
    {
        using var dir = new TempDirectory();
        dir.Write("Chart.yaml", ChartYaml);
        dir.Write("LICENSE.real", "license text");
        File.CreateSymbolicLink(Path.Combine(dir.Path, "LICENSE"), "LICENSE.real");
        var result = await ChartLoader.LoadAsync(dir.Path);
        Assert.Equal("license text", result.Chart.FindFile("LICENSE")!.ReadText());
        var warning = Assert.Single(result.Warnings);
        Assert.Equal("LICENSE", warning.EntryPath);
        Assert.Contains("found symbolic link in path", warning.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../outside.txt")]
    [InlineData("/etc/hostname")]
    public async Task LoadAsync_SymlinkEscapingChart_Throws(string target)
    {
        using var outer = new TempDirectory();
        File.WriteAllText(Path.Combine(outer.Path, "outside.txt"), "secret");
        var chartDir = Path.Combine(outer.Path, "chart");
        Directory.CreateDirectory(chartDir);
        File.WriteAllText(Path.Combine(chartDir, "Chart.yaml"), ChartYaml);
        File.CreateSymbolicLink(Path.Combine(chartDir, "leak.txt"), target);

        var ex = await Assert.ThrowsAsync<ChartException>(() => ChartLoader.LoadAsync(chartDir));
        Assert.Equal("leak.txt", ex.EntryPath);
        Assert.Contains("outside the chart directory", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_SymlinkThroughAnotherLinkEscapingChart_Throws()
    {
        // 'inner' points outside but is ignored; 'leak' stays inside lexically (inner/outside.txt) yet resolves outside.
        using var outer = new TempDirectory();
        File.WriteAllText(Path.Combine(outer.Path, "outside.txt"), "secret");
        var chartDir = Path.Combine(outer.Path, "chart");
        Directory.CreateDirectory(chartDir);
        File.WriteAllText(Path.Combine(chartDir, "Chart.yaml"), ChartYaml);
        File.WriteAllText(Path.Combine(chartDir, ".helmignore"), "inner\n");
        Directory.CreateSymbolicLink(Path.Combine(chartDir, "inner"), outer.Path);
        File.CreateSymbolicLink(Path.Combine(chartDir, "leak.txt"), "inner/outside.txt");

        var ex = await Assert.ThrowsAsync<ChartException>(() => ChartLoader.LoadAsync(chartDir));
        Assert.Equal("leak.txt", ex.EntryPath);
    }

    [Fact]
    public async Task LoadAsync_DirectorySymlinkLoop_Throws()
    {
        using var dir = new TempDirectory();
        dir.Write("Chart.yaml", ChartYaml);
        Directory.CreateDirectory(Path.Combine(dir.Path, "docs"));
        Directory.CreateSymbolicLink(Path.Combine(dir.Path, "docs", "loop"), "..");
        var ex = await Assert.ThrowsAsync<ChartException>(() => ChartLoader.LoadAsync(dir.Path));
        Assert.Equal("docs/loop", ex.EntryPath);
        Assert.Contains("link loop", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_BrokenSymlink_ThrowsUnlessIgnored()
    {
        using var dir = new TempDirectory();
        dir.Write("Chart.yaml", ChartYaml);
        File.CreateSymbolicLink(Path.Combine(dir.Path, "broken"), "nonexistent");
        var ex = await Assert.ThrowsAsync<ChartException>(() => ChartLoader.LoadAsync(dir.Path));
        Assert.Equal("broken", ex.EntryPath);

        dir.Write(".helmignore", "broken\n");
        var c = (await ChartLoader.LoadAsync(dir.Path)).Chart;
        Assert.DoesNotContain(c.Files, f => f.Name == "broken");
    }

    [Fact]
    public async Task LoadAsync_Fifo_ThrowsWithoutBlocking()
    {
        using var dir = new TempDirectory();
        dir.Write("Chart.yaml", ChartYaml);
        var fifo = Path.Combine(dir.Path, "pipe");
        using (var p = Process.Start(new ProcessStartInfo("mkfifo", [fifo]) { UseShellExecute = false })!)
        {
            await p.WaitForExitAsync();
            Assert.Equal(0, p.ExitCode);
        }

        var ex = await Assert.ThrowsAsync<ChartException>(() => ChartLoader.LoadAsync(dir.Path));
        Assert.Equal("pipe", ex.EntryPath);
        Assert.Contains("not a regular file", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_DevNullLink_IsRefused()
    {
        // Helm's frobnitz_with_dev_null: a link to a device must not load.
        using var dir = new TempDirectory();
        dir.Write("Chart.yaml", ChartYaml);
        File.CreateSymbolicLink(Path.Combine(dir.Path, "null"), "/dev/null");
        await Assert.ThrowsAsync<ChartException>(() => ChartLoader.LoadAsync(dir.Path));
    }

    [Fact]
    public async Task LoadAsync_FileOverLimit_ThrowsNamingFile()
    {
        using var dir = new TempDirectory();
        dir.Write("Chart.yaml", ChartYaml);
        File.WriteAllBytes(Path.Combine(dir.Path, "big.bin"), new byte[2048]);
        var ex = await Assert.ThrowsAsync<ChartException>(() => ChartLoader.LoadAsync(dir.Path, new ChartLoadOptions { MaxFileSize = 1024 }));
        Assert.Equal("big.bin", ex.EntryPath);
        Assert.Contains("maximum file size of 1024 bytes", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_DirectoryTotalOverLimit_Throws()
    {
        using var dir = new TempDirectory();
        dir.Write("Chart.yaml", ChartYaml);
        for (var i = 0; i < 4; i++)
        {
            File.WriteAllBytes(Path.Combine(dir.Path, $"part{i}.bin"), new byte[400]);
        }

        var ex = await Assert.ThrowsAsync<ChartException>(() => ChartLoader.LoadAsync(dir.Path, new ChartLoadOptions { MaxChartSize = 1000 }));
        Assert.Contains("maximum size of 1000 bytes", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_DeepDirectories_StopAtDepthLimit()
    {
        using var dir = new TempDirectory();
        dir.Write("Chart.yaml", ChartYaml);
        dir.Write(string.Join('/', Enumerable.Repeat("d", 10)) + "/f.txt", "x");
        var ex = await Assert.ThrowsAsync<ChartException>(() => ChartLoader.LoadAsync(dir.Path, new ChartLoadOptions { MaxDirectoryDepth = 5 }));
        Assert.Contains("MaxDirectoryDepth", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_MissingPath_Throws()
    {
        var path = Path.Combine(Path.GetTempPath(), "no-such-chart-" + Guid.NewGuid().ToString("N"));
        var ex = await Assert.ThrowsAsync<ChartException>(() => ChartLoader.LoadAsync(path));
        Assert.Equal(path, ex.ChartPath);
        Assert.Contains("no such directory or file", ex.Message, StringComparison.Ordinal);
    }
}
