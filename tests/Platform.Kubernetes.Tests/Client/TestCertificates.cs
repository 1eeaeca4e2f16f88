using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Platform.Kubernetes.Tests.Client;

/// <summary>A throw-away PKI: a CA, a server certificate for 127.0.0.1/localhost and client certificates (RSA and EC).</summary>
internal sealed class TestCertificates : IDisposable
{
    private static readonly Lazy<TestCertificates> SharedInstance = new(() => new TestCertificates("platform-test-ca"));
    private readonly RSA _caKey;

    public TestCertificates(string caName)
    {
        var caKey = RSA.Create(2048);
        _caKey = caKey;
        var caRequest = new CertificateRequest($"CN={caName}", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        Ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));

        using var serverKey = RSA.Create(2048);
        var serverRequest = new CertificateRequest("CN=kube-apiserver", serverKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        san.AddDnsName("kubernetes.default.svc");
        serverRequest.CertificateExtensions.Add(san.Build());
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        serverRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        Server = Issue(serverRequest).CopyWithPrivateKey(serverKey);
        ServerPfx = X509CertificateLoader.LoadPkcs12(Server.Export(X509ContentType.Pkcs12), null);

        using var rsaClientKey = RSA.Create(2048);
        RsaClientKeyPem = rsaClientKey.ExportRSAPrivateKeyPem();
        RsaClientCertPem = Issue(ClientRequest("CN=rsa-user,O=system:masters", rsaClientKey)).ExportCertificatePem();

        using var ecClientKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        EcClientKeyPem = ecClientKey.ExportECPrivateKeyPem();
        EcClientCertPem = Issue(ClientRequest("CN=ec-user", ecClientKey)).ExportCertificatePem();
    }

    public static TestCertificates Shared => SharedInstance.Value;

    public X509Certificate2 Ca { get; }

    public X509Certificate2 Server { get; }

    public X509Certificate2 ServerPfx { get; }

    public string CaPem => Ca.ExportCertificatePem();

    public string RsaClientCertPem { get; }

    public string RsaClientKeyPem { get; }

    public string EcClientCertPem { get; }

    public string EcClientKeyPem { get; }

    public void Dispose()
    {
        Ca.Dispose();
        Server.Dispose();
        ServerPfx.Dispose();
        _caKey.Dispose();
    }

    private static CertificateRequest ClientRequest(string subject, AsymmetricAlgorithm key)
    {
        var request = key switch
        {
            RSA rsa => new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            ECDsa ec => new CertificateRequest(subject, ec, HashAlgorithmName.SHA256),
            _ => throw new ArgumentException("unsupported key", nameof(key)),
        };
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        return request;
    }

    private X509Certificate2 Issue(CertificateRequest request)
    {
        var serial = new byte[12];
        RandomNumberGenerator.Fill(serial);
        serial[0] &= 0x7f;
        var generator = X509SignatureGenerator.CreateForRSA(_caKey, RSASignaturePadding.Pkcs1);
        return request.Create(Ca.SubjectName, generator, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(29), serial);
    }
}
