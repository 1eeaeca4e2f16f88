using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Platform.Kubernetes.Config;

namespace Platform.Kubernetes.Client;

/// <summary>
/// Runs a <c>client.authentication.k8s.io</c> exec credential plugin and caches its <c>ExecCredential</c> until
/// <c>status.expirationTimestamp</c> (for ever when absent), or until the server answers <c>401</c>.
/// </summary>
/// <remarks>
/// As client-go: the plugin inherits the process environment plus the configured <c>env</c>, receives
/// <c>KUBERNETES_EXEC_INFO</c> (an <c>ExecCredential</c> with <c>spec.interactive = false</c> and, with
/// <c>provideClusterInfo</c>, <c>spec.cluster</c>), gets no standard input, and must print an <c>ExecCredential</c> of
/// the same <c>apiVersion</c>. Plugins that require a terminal (<c>interactiveMode: Always</c>) are refused.
/// One plugin run at a time; concurrent callers share its result. Standard output is limited to 1 MiB.
/// </remarks>
internal sealed class ExecCredentialProvider : CredentialSource
{
    public const string V1 = "client.authentication.k8s.io/v1";
    public const string V1Beta1 = "client.authentication.k8s.io/v1beta1";
    private const int MaxOutputChars = 1024 * 1024;

    private readonly ExecConfig _config;
    private readonly JsonObject? _cluster;
    private readonly string _user;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Cached? _cached;

    public ExecCredentialProvider(ExecConfig config, string user, JsonObject? cluster, TimeSpan timeout, TimeProvider time, ILogger logger)
    {
        _config = config;
        _user = user;
        _cluster = cluster;
        _timeout = timeout;
        _time = time;
        _logger = logger;
    }

    /// <summary>Gets how often the plugin ran (for diagnostics).</summary>
    public int Runs { get; private set; }

    public override IEnumerable<string> Secrets => Volatile.Read(ref _cached)?.Credential.Secret is { } s ? [s] : [];

    public override async ValueTask<Credential> GetAsync(CancellationToken cancellationToken)
    {
        var cached = Volatile.Read(ref _cached);
        if (cached is not null && cached.IsFresh(_time))
        {
            return cached.Credential;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            cached = _cached;
            if (cached is not null && cached.IsFresh(_time))
            {
                return cached.Credential;
            }

            cached = await RunAsync(cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _cached, cached);
            return cached.Credential;
        }
        finally
        {
            _gate.Release();
        }
    }

    public override bool Invalidate(Credential used)
    {
        var cached = Volatile.Read(ref _cached);
        if (cached is not null && ReferenceEquals(cached.Credential, used))
        {
            Interlocked.CompareExchange(ref _cached, null, cached);
        }

        return true;
    }

    private async Task<Cached> RunAsync(CancellationToken cancellationToken)
    {
        var setting = $"users[{_user}].user.exec";
        if (_config.ApiVersion is not (V1 or V1Beta1))
        {
            throw new KubernetesConfigurationException(
                $"The exec plugin of user '{_user}' asks for apiVersion '{_config.ApiVersion}'; supported are {V1} and {V1Beta1}.", setting: setting + ".apiVersion");
        }

        if (_config.InteractiveMode == "Always")
        {
            throw new KubernetesConfigurationException(
                $"The exec plugin '{_config.Command}' of user '{_user}' requires an interactive terminal (interactiveMode: Always), which this client does not provide.",
                setting: setting + ".interactiveMode");
        }

        var info = new JsonObject
        {
            ["apiVersion"] = _config.ApiVersion,
            ["kind"] = "ExecCredential",
            ["spec"] = new JsonObject { ["interactive"] = false },
        };
        if (_config.ProvideClusterInfo && _cluster is not null)
        {
            ((JsonObject)info["spec"]!)["cluster"] = _cluster.DeepClone();
        }

        var start = new ProcessStartInfo(_config.Command)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var arg in _config.Args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in _config.Env)
        {
            start.Environment[name] = value;
        }

        start.Environment["KUBERNETES_EXEC_INFO"] = info.ToJsonString();

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new Win32Exception("the process did not start");
        }
        catch (Win32Exception ex)
        {
            var hint = string.IsNullOrEmpty(_config.InstallHint) ? "" : " " + _config.InstallHint.Trim();
            throw new KubernetesConfigurationException(
                $"The exec plugin '{_config.Command}' of user '{_user}' cannot be started: {ex.Message}.{hint}", setting: setting + ".command", innerException: ex);
        }

        Runs++;
        using (process)
        {
            process.StandardInput.Close();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_timeout);
            var stdoutTask = ReadBoundedAsync(process.StandardOutput, timeout.Token);
            var stderrTask = ReadBoundedAsync(process.StandardError, timeout.Token);
            string stdout;
            string stderr;
            try
            {
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
                stdout = await stdoutTask.ConfigureAwait(false);
                stderr = await stderrTask.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                TryKill(process);
                cancellationToken.ThrowIfCancellationRequested();
                throw new KubernetesConfigurationException(
                    $"The exec plugin '{_config.Command}' of user '{_user}' did not finish within {_timeout.TotalSeconds:0.#} s.", setting: setting + ".command");
            }

            if (process.ExitCode != 0)
            {
                // Plugins report errors on stderr; it is bounded and never holds the credential, which goes to stdout.
                var detail = stderr.Trim();
                if (detail.Length > 512)
                {
                    detail = detail[..512] + "…";
                }

                throw new KubernetesConfigurationException(
                    $"The exec plugin '{_config.Command}' of user '{_user}' exited with code {process.ExitCode}{(detail.Length == 0 ? "." : ": " + detail)}",
                    setting: setting + ".command");
            }

            var credential = Parse(stdout, setting);
            _logger.LogDebug(
                "Exec plugin {Command} of user {User} supplied a credential (expires {Expiry}).", _config.Command, _user, credential.Expiry?.ToString("o", CultureInfo.InvariantCulture) ?? "never");
            return credential;
        }
    }

    private Cached Parse(string stdout, string setting)
    {
        JsonObject? root;
        try
        {
            root = JsonNode.Parse(stdout) as JsonObject;
        }
        catch (JsonException ex)
        {
            // The message of JsonException names the position only, never the content.
            throw new KubernetesConfigurationException(
                $"The exec plugin '{_config.Command}' of user '{_user}' printed no valid JSON ExecCredential: {ex.Message}", setting: setting, innerException: ex);
        }

        if (root is null || root["kind"]?.GetValue<string>() != "ExecCredential")
        {
            throw new KubernetesConfigurationException(
                $"The exec plugin '{_config.Command}' of user '{_user}' printed JSON that is not an ExecCredential (kind must be ExecCredential).", setting: setting);
        }

        var apiVersion = root["apiVersion"]?.GetValue<string>();
        if (apiVersion != _config.ApiVersion)
        {
            throw new KubernetesConfigurationException(
                $"The exec plugin '{_config.Command}' of user '{_user}' answered apiVersion '{apiVersion}', but '{_config.ApiVersion}' was configured.", setting: setting + ".apiVersion");
        }

        if (root["status"] is not JsonObject status)
        {
            throw new KubernetesConfigurationException(
                $"The exec plugin '{_config.Command}' of user '{_user}' printed an ExecCredential without status.", setting: setting);
        }

        var token = Str(status, "token");
        var certData = Str(status, "clientCertificateData");
        var keyData = Str(status, "clientKeyData");
        if ((certData is null) != (keyData is null))
        {
            throw new KubernetesConfigurationException(
                $"The exec plugin '{_config.Command}' of user '{_user}' must print both status.clientCertificateData and status.clientKeyData, or neither.", setting: setting);
        }

        if (token is null && certData is null)
        {
            throw new KubernetesConfigurationException(
                $"The exec plugin '{_config.Command}' of user '{_user}' printed an ExecCredential with neither status.token nor a client certificate.", setting: setting);
        }

        DateTimeOffset? expiry = null;
        if (Str(status, "expirationTimestamp") is { } ts)
        {
            if (!DateTimeOffset.TryParse(ts, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                throw new KubernetesConfigurationException(
                    $"The exec plugin '{_config.Command}' of user '{_user}' printed status.expirationTimestamp '{ts}', expected an RFC 3339 time.", setting: setting);
            }

            expiry = parsed;
        }

        var cert = certData is null ? null : KubernetesClientConfiguration.LoadClientCertificate(certData, keyData!, $"exec plugin '{_config.Command}'", setting);
        var credential = new Credential(token is null ? null : new AuthenticationHeaderValue("Bearer", token), cert, token);
        return new Cached(credential, expiry);
    }

    private static string? Str(JsonObject o, string key) =>
        o[key] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? s : null;

    private static async Task<string> ReadBoundedAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        var sb = new StringBuilder();
        var buffer = new char[8192];
        int n;
        while ((n = await reader.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (sb.Length + n <= MaxOutputChars)
            {
                sb.Append(buffer, 0, n);
            }
        }

        return sb.ToString();
    }

    private static void TryKill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }

    private sealed record Cached(Credential Credential, DateTimeOffset? Expiry)
    {
        public bool IsFresh(TimeProvider time) => Expiry is null || time.GetUtcNow() < Expiry.Value;
    }
}
