using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TradSys.Web.Tests.Support;

/// <summary>
/// A signing and an encryption certificate made for one test (self-signed RSA, PKCS#12 files in a temporary folder), passed
/// to every platform instance through the production settings (<c>Auth:SigningCertificatePath</c> and friends), as nodes
/// behind a load balancer share theirs.
/// </summary>
public sealed class SharedKeys : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "tradsys-tests", "keys-" + Guid.NewGuid().ToString("N"));

    public SharedKeys()
    {
        Directory.CreateDirectory(_directory);
        SigningPath = Write("signing", X509KeyUsageFlags.DigitalSignature);
        EncryptionPath = Write("encryption", X509KeyUsageFlags.KeyEncipherment);
    }

    public string SigningPath { get; }
    public string EncryptionPath { get; }
    public string Password { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(12));

    /// <summary>The settings that make a platform use these keys.</summary>
    public Dictionary<string, string> Settings => new()
    {
        ["Auth:SigningCertificatePath"] = SigningPath,
        ["Auth:SigningCertificatePassword"] = Password,
        ["Auth:EncryptionCertificatePath"] = EncryptionPath,
        ["Auth:EncryptionCertificatePassword"] = Password,
    };

    private string Write(string name, X509KeyUsageFlags usage)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest($"CN=TradSys test {name}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, critical: true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var path = Path.Combine(_directory, name + ".pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12, Password));
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A temporary folder left behind is harmless.
        }
    }
}
