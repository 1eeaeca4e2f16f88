using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using static Platform.Kubernetes.Tests.Emulator.EmulatorHttp;

namespace Platform.Kubernetes.Tests.Emulator;

public sealed class KubernetesEmulatorSecurityTests
{
    [Fact]
    public async Task Request_WithoutToken_Returns401Status()
    {
        await using var emulator = await StartAsync();
        using var http = emulator.CreateHttpClient();
        http.DefaultRequestHeaders.Authorization = null;

        string raw = await RawAsync(http, HttpMethod.Get, "/api/v1/namespaces");

        Assert.Equal("""{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}""", raw);
    }

    [Fact]
    public async Task Request_WrongToken_Returns401AndVersionStaysPublic()
    {
        await using var emulator = await StartAsync(new() { Token = "right" });
        using var http = emulator.CreateHttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "wrong");

        var (status, _, _) = await GetAsync(http, "/api/v1/namespaces");
        var (version, _, _) = await GetAsync(http, "/version");

        Assert.Equal(401, status);
        Assert.Equal(200, version);
        Assert.Equal("right", emulator.Token);
    }

    [Fact]
    public async Task Https_ServingCertificate_ChainsToTheCaWithLoopbackSan()
    {
        await using var emulator = await StartAsync();
        X509Certificate2? seen = null;
        using var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
        {
            seen = new X509Certificate2(certificate!);
            return true;
        };
        using var http = new HttpClient(handler) { BaseAddress = emulator.HttpsEndpoint };

        await http.GetAsync("/version");

        Assert.NotNull(seen);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(X509Certificate2.CreateFromPem(emulator.CertificateAuthorityPem));
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        Assert.True(chain.Build(seen));
        Assert.True(seen.MatchesHostname("localhost"));
        Assert.True(seen.MatchesHostname("127.0.0.1"));
        Assert.Equal(IPAddress.Loopback.ToString(), emulator.HttpsEndpoint.Host);
    }

    [Fact]
    public async Task Https_ClientCertificate_AuthenticatesWithoutToken()
    {
        await using var emulator = await StartAsync();
        using var clientCertificate = X509Certificate2.CreateFromPem(emulator.ClientCertificatePem, emulator.ClientKeyPem);
        using var exported = X509CertificateLoader.LoadPkcs12(clientCertificate.Export(X509ContentType.Pkcs12), null);
        using var handler = new SocketsHttpHandler();
        handler.SslOptions.ClientCertificates = [exported];
        handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        using var http = new HttpClient(handler) { BaseAddress = emulator.HttpsEndpoint };

        var (status, body, _) = await GetAsync(http, "/api/v1/namespaces/default");

        Assert.Equal(200, status);
        Assert.Equal("default", body!["metadata"]!["name"]!.ToString());
    }

    [Fact]
    public async Task Kubeconfig_Written_HasCaDataTokenAndDefaultNamespace()
    {
        await using var emulator = await StartAsync();
        string path = Path.Combine(Path.GetTempPath(), $"emu-{Guid.NewGuid():N}.kubeconfig");
        try
        {
            await emulator.WriteKubeconfigAsync(path);
            string text = await File.ReadAllTextAsync(path);

            Assert.Contains($"server: https://127.0.0.1:{emulator.HttpsEndpoint.Port}", text);
            Assert.Contains("certificate-authority-data: " + Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(emulator.CertificateAuthorityPem)), text);
            Assert.Contains("token: " + emulator.Token, text);
            Assert.Contains("namespace: default", text);
            Assert.Contains("current-context: platform-emulator", text);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task StartAsync_TwoInstances_GetDifferentPortsAndTokens()
    {
        await using var first = await StartAsync();
        await using var second = await StartAsync();

        Assert.NotEqual(first.HttpsEndpoint, second.HttpsEndpoint);
        Assert.NotEqual(first.Token, second.Token);
    }

    [Fact]
    public async Task StartAsync_PortInUse_ThrowsEmulatorException()
    {
        await using var first = await StartAsync();

        var ex = await Assert.ThrowsAsync<Platform.Kubernetes.Emulator.KubernetesEmulatorException>(() => StartAsync(new() { HttpsPort = first.HttpsEndpoint.Port }));

        Assert.Contains(first.HttpsEndpoint.Port.ToString(), ex.Message);
    }
}
