using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TradSys.Web.Tests.Fix;

/// <summary>
/// A private CA made for one test with <see cref="CertificateRequest"/>, and certificates it issues, written as the files the
/// configuration names (PEM certificates and keys, PKCS#12) in a temporary directory deleted at the end.
/// </summary>
internal sealed class TestCertificates : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("tradsys-fix-tls-").FullName;
    private readonly ECDsa caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly X509Certificate2 ca;
    private int serial;

    public TestCertificates(string name = "TradSys Test CA")
    {
        var request = new CertificateRequest($"CN={name}", caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-60), DateTimeOffset.UtcNow.AddYears(1));
        CaFile = Write("ca.pem", ca.ExportCertificatePem());
    }

    /// <summary>The CA's certificate, PEM.</summary>
    public string CaFile { get; }

    /// <summary>The CA's SHA-256 thumbprint (for a pin).</summary>
    public string CaThumbprint => ca.GetCertHashString(HashAlgorithmName.SHA256);

    /// <summary>A certificate for <paramref name="name"/> (and 127.0.0.1) as PEM files: (certificate, key).</summary>
    public (string Certificate, string Key) IssuePem(string name, bool server = true, DateTimeOffset? notAfter = null)
    {
        using var certificate = Issue(name, server, notAfter);
        var stem = $"{name}-{serial}";
        return (Write(stem + ".pem", certificate.ExportCertificatePem()),
            Write(stem + ".key", certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem()));
    }

    /// <summary>A certificate for <paramref name="name"/> (and 127.0.0.1) as a PKCS#12 file with <paramref name="password"/>.</summary>
    public string IssuePkcs12(string name, string password, bool server = true)
    {
        using var certificate = Issue(name, server, null);
        var file = Path.Combine(directory, $"{name}-{serial}.pfx");
        File.WriteAllBytes(file, certificate.Export(X509ContentType.Pkcs12, password));
        return file;
    }

    /// <summary>A file in the test's directory.</summary>
    public string Write(string name, string text)
    {
        var file = Path.Combine(directory, name);
        File.WriteAllText(file, text);
        return file;
    }

    private X509Certificate2 Issue(string name, bool server, DateTimeOffset? notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid(server ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(name);
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        var serialNumber = BitConverter.GetBytes(Interlocked.Increment(ref serial) + 1000L);
        var end = notAfter ?? DateTimeOffset.UtcNow.AddDays(30);
        using var issued = request.Create(ca, end.AddDays(-31), end, serialNumber);
        return issued.CopyWithPrivateKey(key);
    }

    public void Dispose()
    {
        ca.Dispose();
        caKey.Dispose();
        Directory.Delete(directory, recursive: true);
    }
}
