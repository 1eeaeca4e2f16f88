using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Platform.Kubernetes.Client;

/// <summary>What one request presents: an <c>Authorization</c> header and/or a client certificate.</summary>
internal sealed record Credential(AuthenticationHeaderValue? Authorization, X509Certificate2? Certificate, string? Secret)
{
    public static Credential None { get; } = new(null, null, null);
}

/// <summary>Supplies credentials; thread-safe.</summary>
internal abstract class CredentialSource
{
    public abstract ValueTask<Credential> GetAsync(CancellationToken cancellationToken);

    /// <summary>Drops <paramref name="used"/> after a <c>401</c>; returns whether a retry may present something new.</summary>
    public virtual bool Invalidate(Credential used) => false;

    /// <summary>Gets the secrets to scrub from messages (current token, password).</summary>
    public virtual IEnumerable<string> Secrets => [];
}

internal sealed class StaticCredentialSource(Credential credential) : CredentialSource
{
    public override ValueTask<Credential> GetAsync(CancellationToken cancellationToken) => ValueTask.FromResult(credential);

    public override IEnumerable<string> Secrets =>
        new[] { credential.Secret, credential.Authorization?.Parameter }.OfType<string>().Distinct(StringComparer.Ordinal);

    public static StaticCredentialSource Bearer(string token) =>
        new(new Credential(new AuthenticationHeaderValue("Bearer", token), null, token));

    public static StaticCredentialSource Basic(string user, string password) =>
        new(new Credential(new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password))), null, password));
}

/// <summary>
/// A bearer token read from a file and re-read after a minute or after a <c>401</c>, as client-go does for
/// projected service-account tokens that the kubelet rotates.
/// </summary>
internal sealed class TokenFileCredentialSource(string path, string? initialToken, TimeProvider time) : CredentialSource
{
    private static readonly TimeSpan RefreshPeriod = TimeSpan.FromMinutes(1);
    private readonly Lock _lock = new();
    private Credential? _current;
    private DateTimeOffset _readAt;

    public override IEnumerable<string> Secrets
    {
        get
        {
            lock (_lock)
            {
                return _current?.Secret is { } s ? [s] : [];
            }
        }
    }

    public override async ValueTask<Credential> GetAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_current is not null && time.GetUtcNow() - _readAt < RefreshPeriod)
            {
                return _current;
            }
        }

        string token;
        try
        {
            token = (await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false)).Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            if (initialToken is not null)
            {
                token = initialToken;
            }
            else
            {
                throw new KubernetesConfigurationException($"The bearer token file '{path}' cannot be read: {ex.Message}", path, "tokenFile", ex);
            }
        }

        if (token.Length == 0)
        {
            throw new KubernetesConfigurationException($"The bearer token file '{path}' is empty.", path, "tokenFile");
        }

        var credential = new Credential(new AuthenticationHeaderValue("Bearer", token), null, token);
        lock (_lock)
        {
            _current = credential;
            _readAt = time.GetUtcNow();
        }

        return credential;
    }

    public override bool Invalidate(Credential used)
    {
        lock (_lock)
        {
            if (ReferenceEquals(_current, used))
            {
                _current = null;
                return true;
            }

            return _current is not null;
        }
    }
}
