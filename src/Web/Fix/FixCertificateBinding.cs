using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TradSys.Web.Fix;

/// <summary>
/// The client certificate a peer comp id must log on with (<c>{acceptor}:Clients:{comp id}:Certificate</c>): the SHA-256
/// thumbprints of the certificates it may present (<c>Thumbprints:N</c>, several while a renewed certificate is rolled out) and/or
/// the common name its certificate must carry (<c>CommonName</c>); with both, both must match. Without a binding any certificate the
/// client CA issued may log on as any configured comp id; with one, a Logon whose SenderCompID is bound to another certificate is
/// refused (<see cref="FixAcceptor"/>). It needs TLS with <c>RequireClientCertificate</c>, or there would be nothing to compare.
/// </summary>
public sealed class FixCertificateBinding
{
    private const string CommonNameOid = "2.5.4.3";

    private FixCertificateBinding(string key, IReadOnlyList<string> thumbprints, string? commonName) =>
        (Key, Thumbprints, CommonName) = (key, thumbprints, commonName);

    /// <summary>The configuration section it came from (for the log).</summary>
    public string Key { get; }

    /// <summary>The SHA-256 thumbprints (hex, upper case) the client's own certificate may have; empty: any (then <see cref="CommonName"/> decides).</summary>
    public IReadOnlyList<string> Thumbprints { get; }

    /// <summary>The subject CN the client's certificate must carry, or null.</summary>
    public string? CommonName { get; }

    /// <summary>
    /// Reads a <c>Certificate</c> section: null when there is none; every problem added to <paramref name="problems"/> by its key
    /// (a malformed thumbprint, an empty common name, a key it does not know, a section binding nothing).
    /// </summary>
    public static FixCertificateBinding? Read(IConfigurationSection certificate, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(problems);
        if (!certificate.Exists())
        {
            return null;
        }

        var count = problems.Count;
        foreach (var child in certificate.GetChildren())
        {
            if (child.Key is not ("Thumbprints" or "CommonName"))
            {
                problems.Add($"{child.Path} is not a setting of a certificate binding (Thumbprints:N, CommonName)");
            }
        }

        var thumbprints = new List<string>();
        foreach (var child in certificate.GetSection("Thumbprints").GetChildren())
        {
            if (FixTls.Thumbprint(child.Value ?? "", child.Path, problems) is not { } thumbprint)
            {
                continue;
            }

            if (thumbprints.Contains(thumbprint, StringComparer.Ordinal))
            {
                problems.Add($"{child.Path}: the thumbprint {thumbprint} is listed twice");
            }
            else
            {
                thumbprints.Add(thumbprint);
            }
        }

        string? commonName = null;
        if (certificate["CommonName"] is { } rawName)
        {
            commonName = rawName.Trim();
            if (commonName.Length == 0)
            {
                problems.Add($"{certificate.Path}:CommonName must not be empty: the CN the client's certificate carries (e.g. BROKER1)");
            }
        }

        if (problems.Count == count && thumbprints.Count == 0 && commonName is null)
        {
            problems.Add($"{certificate.Path} binds nothing: give {certificate.Path}:Thumbprints:0 (the certificate's SHA-256 thumbprint) and/or " +
                         $"{certificate.Path}:CommonName");
        }

        return problems.Count > count ? null : new FixCertificateBinding(certificate.Path, thumbprints, commonName);
    }

    /// <summary>
    /// Why <paramref name="presented"/> is not the certificate bound (for the log: the certificate's subject and thumbprint, the key
    /// it was compared with), or null when it is.
    /// </summary>
    internal string? Mismatch(X509Certificate2? presented)
    {
        if (presented is null)
        {
            return $"no client certificate was presented ({Key})";
        }

        var thumbprint = presented.GetCertHashString(HashAlgorithmName.SHA256);
        var described = $"the client certificate '{presented.Subject}' (SHA-256 {thumbprint})";
        if (Thumbprints.Count > 0 && !Thumbprints.Contains(thumbprint, StringComparer.OrdinalIgnoreCase))
        {
            return $"{described} is not one of {Key}:Thumbprints";
        }

        if (CommonName is { } expected)
        {
            var names = CommonNames(presented);
            if (names.Count != 1 || !string.Equals(names[0], expected, StringComparison.Ordinal))
            {
                return names.Count > 1
                    ? $"{described} carries {names.Count} CNs; {Key}:CommonName needs exactly one, '{expected}'"
                    : $"{described} does not carry the CN '{expected}' ({Key}:CommonName)";
            }
        }

        return null;
    }

    private static List<string> CommonNames(X509Certificate2 certificate)
    {
        var names = new List<string>();
        foreach (var rdn in certificate.SubjectName.EnumerateRelativeDistinguishedNames())
        {
            if (!rdn.HasMultipleElements && rdn.GetSingleElementType().Value == CommonNameOid && rdn.GetSingleElementValue() is { } name)
            {
                names.Add(name);
            }
        }

        return names;
    }
}
