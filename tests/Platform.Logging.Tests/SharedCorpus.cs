namespace Platform.Logging.Tests;

/// <summary>Locates the shared corpus: PLATFORM_SHARED_DIR, or the first ancestor of the test binaries holding shared/corpus.</summary>
internal static class SharedCorpus
{
    private static readonly Lazy<string> SharedDir = new(Find);

    public static string Logs => Path.Combine(SharedDir.Value, "corpus", "logs");

    public static string Log(string relative) => Path.Combine(Logs, relative);

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
