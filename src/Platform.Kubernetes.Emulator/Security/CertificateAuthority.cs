using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Platform.Kubernetes.Emulator.Security;

/// <summary>
/// An in-memory certificate authority: a self-signed CA, the server's serving certificate (SAN IP 127.0.0.1,
/// DNS localhost) and client certificates for the admin user. Nothing touches the machine's certificate stores.
/// </summary>
internal sealed class CertificateAuthority : IDisposable
{
    private readonly ECDsa _caKey;

    public CertificateAuthority(TimeProvider time)
    {
        DateTimeOffset now = time.GetUtcNow();
        _caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=platform-emulator-ca", _caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        Certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(10));
        CertificatePem = Certificate.ExportCertificatePem() + "\n";

        using ECDsa serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest("CN=kube-apiserver", serverKey, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        san.AddDnsName("kubernetes.default.svc");
        serverRequest.CertificateExtensions.Add(san.Build());
        serverRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        serverRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        ServingCertificate = Issue(serverRequest, serverKey, now);

        using ECDsa clientKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var clientRequest = new CertificateRequest("CN=platform-emulator-admin, O=system:masters", clientKey, HashAlgorithmName.SHA256);
        clientRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        clientRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        clientRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        ClientCertificate = Issue(clientRequest, clientKey, now);
        ClientCertificatePem = ClientCertificate.ExportCertificatePem() + "\n";
        ClientKeyPem = clientKey.ExportPkcs8PrivateKeyPem() + "\n";
    }

    public X509Certificate2 Certificate { get; }

    public string CertificatePem { get; }

    public X509Certificate2 ServingCertificate { get; }

    public X509Certificate2 ClientCertificate { get; }

    public string ClientCertificatePem { get; }

    public string ClientKeyPem { get; }

    /// <summary>Checks that a client certificate was issued by this CA and is valid now.</summary>
    public bool IsTrusted(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Certificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid("1.3.6.1.5.5.7.3.2"));
        return chain.Build(certificate);
    }

    public void Dispose()
    {
        Certificate.Dispose();
        ServingCertificate.Dispose();
        ClientCertificate.Dispose();
        _caKey.Dispose();
    }

    private X509Certificate2 Issue(CertificateRequest request, ECDsa key, DateTimeOffset now)
    {
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));
        byte[] serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using X509Certificate2 issued = request.Create(Certificate, now.AddMinutes(-5), now.AddYears(5), serial);
        using X509Certificate2 withKey = issued.CopyWithPrivateKey(key);

        // A PKCS#12 round trip gives a certificate whose key TLS stacks accept on every platform.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }
}
