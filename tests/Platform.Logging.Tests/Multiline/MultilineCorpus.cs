namespace Platform.Logging.Tests.Multiline;

/// <summary>Locates the shared corpus for the multiline, JSON and metadata tests: PLATFORM_SHARED_DIR, or the first ancestor of the test binaries holding shared/corpus.</summary>
internal static class MultilineCorpus
{
    private static readonly Lazy<string> SharedDir = new(Find);

    public static string Logs(string relative) => Path.Combine(SharedDir.Value, "corpus", "logs", relative);

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
