using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using TradSys.Web.Persistence;

namespace TradSys.Web.Auth;

/// <summary>
/// One ASP.NET Core Data Protection key ring for every node, kept in the platform's database (table
/// <c>data_protection_keys</c>) under one application name. What it protects (the portal's and the login page's cookies,
/// the antiforgery tokens, the portal's sign-in correlation cookie) is then readable by any node behind the load balancer,
/// and survives a restart in the embedded mode too (the keys were in the user's home directory, or in memory).
/// </summary>
/// <remarks>
/// With <c>Auth:EncryptionCertificatePath</c> set (production: the same certificate on every node) the keys are stored
/// encrypted to that certificate; without it (the embedded mode) they are stored as ASP.NET Core writes them, in the clear,
/// so the database file must be protected like the keys themselves. A node that cannot decrypt a stored key (another
/// certificate) ignores it, and what it protected cannot be read there.
/// </remarks>
public static class DataProtectionKeyRing
{
    /// <summary>The application name every node uses: protected payloads are isolated per application name.</summary>
    public const string ApplicationName = "TradSys";

    public static IHostApplicationBuilder AddSharedDataProtection(this IHostApplicationBuilder builder)
    {
        var protection = builder.Services.AddDataProtection()
            .SetApplicationName(ApplicationName)
            .PersistKeysToDbContext<TradSysDbContext>();
        var auth = builder.Configuration.GetSection("Auth");
        var encryption = auth["EncryptionCertificatePath"];
        if (!string.IsNullOrEmpty(encryption))
        {
            var certificate = X509CertificateLoader.LoadPkcs12FromFile(encryption, auth["EncryptionCertificatePassword"]);
            // Decrypting needs the certificate with its private key; the default looks in the machine's certificate store,
            // where a container has none: name the file's certificate instead.
            protection.ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate(certificate);
        }
        return builder;
    }
}
