using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Platform.Kubernetes.Tests.Releases;

/// <summary>
/// A throwaway PostgreSQL cluster in a temporary directory on a free loopback port, started with the Debian binaries
/// (initdb, pg_ctl) and stopped on dispose. As root the server runs as the <c>postgres</c> user. When the server
/// cannot start, every test that uses it FAILS with the reason (never skips).
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private string _root = string.Empty;
    private string _binDir = string.Empty;
    private bool _asPostgresUser;

    public string ConnectionString { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        _binDir = FindBinDir() ?? throw new InvalidOperationException(
            "PostgreSQL test server: initdb/pg_ctl not found in /usr/lib/postgresql/*/bin or on PATH; install the Debian 'postgresql' package (test.sh does)");
        _asPostgresUser = Environment.UserName == "root";
        _root = Path.Combine(Path.GetTempPath(), "platform-pg-" + Environment.ProcessId + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_root);
        string data = Path.Combine(_root, "data");
        int port = FreePort();
        if (_asPostgresUser)
        {
            await RunAsync("chown", ["-R", "postgres:postgres", _root], asPostgres: false);
        }

        await RunAsync(Path.Combine(_binDir, "initdb"), ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"], _asPostgresUser);
        await RunAsync(
            Path.Combine(_binDir, "pg_ctl"),
            ["-D", data, "-l", Path.Combine(_root, "server.log"), "-w", "-t", "60", "-o", $"-p {port} -k {_root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off", "start"],
            _asPostgresUser);
        ConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Timeout=30;Command Timeout=60";
    }

    public async Task DisposeAsync()
    {
        if (_root.Length == 0)
        {
            return;
        }

        try
        {
            if (Directory.Exists(Path.Combine(_root, "data")))
            {
                await RunAsync(Path.Combine(_binDir, "pg_ctl"), ["-D", Path.Combine(_root, "data"), "-m", "immediate", "-w", "stop"], _asPostgresUser);
            }
        }
        finally
        {
            try
            {
                Directory.Delete(_root, recursive: true);
            }
            catch (IOException)
            {
                // best effort: the temp dir is unique per run
            }
        }
    }

    private static string? FindBinDir()
    {
        const string debian = "/usr/lib/postgresql";
        if (Directory.Exists(debian))
        {
            string? best = Directory.GetDirectories(debian)
                .Where(d => File.Exists(Path.Combine(d, "bin", "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out int v) ? v : 0)
                .FirstOrDefault();
            if (best is not null)
            {
                return Path.Combine(best, "bin");
            }
        }

        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':'))
        {
            if (dir.Length > 0 && File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl")))
            {
                return dir;
            }
        }

        return null;
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private async Task RunAsync(string file, string[] args, bool asPostgres)
    {
        var psi = new ProcessStartInfo(asPostgres ? "runuser" : file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (asPostgres)
        {
            foreach (string a in new[] { "-u", "postgres", "--", file })
            {
                psi.ArgumentList.Add(a);
            }
        }

        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"PostgreSQL test server: cannot start {file}");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            string log = File.Exists(Path.Combine(_root, "server.log")) ? File.ReadAllText(Path.Combine(_root, "server.log")) : string.Empty;
            throw new InvalidOperationException(
                $"PostgreSQL test server: '{Path.GetFileName(file)} {string.Join(' ', args)}' exited with {process.ExitCode}: {await stderr}{await stdout} {log}".Trim());
        }
    }
}
