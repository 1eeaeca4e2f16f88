namespace Platform.Tests.Shared;

/// <summary>
/// Locates the shared corpus: PLATFORM_SHARED_DIR, or the first ancestor of the test binaries holding shared/corpus.
/// One file, linked into every test project that reads the corpus (<c>Link="Shared/SharedCorpus.cs"</c>).
/// </summary>
internal static class SharedCorpus
{
    private static readonly Lazy<string> SharedDir = new(Find);

    /// <summary>The shared folder itself (the parent of corpus/ and conformance/).</summary>
    public static string Root => SharedDir.Value;

    /// <summary>shared/corpus/charts.</summary>
    public static string Charts => Path.Combine(Root, "corpus", "charts");

    /// <summary>shared/corpus/logs.</summary>
    public static string Logs => Path.Combine(Root, "corpus", "logs");

    /// <summary>A file or folder below shared/corpus/logs.</summary>
    public static string Log(string relative) => Path.Combine(Logs, relative);

    /// <summary>A file or folder below the copy of Helm's testdata in shared/corpus/charts/helm-testdata.</summary>
    public static string HelmTestdata(string relative) => Path.Combine(Charts, "helm-testdata", relative);

    /// <summary>A fixture of Helm's chart loader tests (pkg/chart/v2/loader/testdata).</summary>
    public static string LoaderTestdata(string name) => HelmTestdata(Path.Combine("pkg", "chart", "v2", "loader", "testdata", name));

    /// <summary>A fixture of Helm's chart util tests (pkg/chart/v2/util/testdata).</summary>
    public static string UtilTestdata(string name) => HelmTestdata(Path.Combine("pkg", "chart", "v2", "util", "testdata", name));

    private static string Find()
    {
        var env = Environment.GetEnvironmentVariable("PLATFORM_SHARED_DIR");
        if (!string.IsNullOrEmpty(env) && Directory.Exists(Path.Combine(env, "corpus")))
        {
            return env;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared");
            if (Directory.Exists(Path.Combine(candidate, "corpus")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("The shared corpus was not found: set PLATFORM_SHARED_DIR or place the repository next to shared/.");
    }
}
