using System.Diagnostics;

namespace PlatformCtl.Tests;

/// <summary>Runs the built platformctl as a child process with a bounded wait.</summary>
internal static class PlatformCtlRunner
{
    public sealed record Result(int ExitCode, string StdOut, string StdErr);

    public static string SharedDir { get; } = FindShared();

    public static string Charts => Path.Combine(SharedDir, "corpus", "charts");

    public static async Task<Result> RunWithInputAsync(string? stdin, params string[] args)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "platformctl.dll");
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(dll);
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("platformctl " + string.Join(' ', args) + " did not finish in 60 s");
        }

        return new Result(process.ExitCode, await stdout, await stderr);
    }

    public static Task<Result> RunAsync(params string[] args) => RunWithInputAsync(null, args);

    private static string FindShared()
    {
        string? env = Environment.GetEnvironmentVariable("PLATFORM_SHARED_DIR");
        if (!string.IsNullOrEmpty(env))
        {
            return env;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared");
            if (Directory.Exists(Path.Combine(candidate, "corpus")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("shared/corpus not found above " + AppContext.BaseDirectory + "; set PLATFORM_SHARED_DIR");
    }
}
