using System.Globalization;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TradSys.Web.Fix;

/// <summary>
/// A TLS handshake that failed or was refused (an untrusted or misnamed certificate, no client certificate where one is required,
/// a peer that does not speak TLS). An <see cref="IOException"/>, so whoever handles a dropped connection handles it alike: the
/// initiator reconnects after its back-off, the acceptor refuses the connection and counts it.
/// </summary>
public sealed class FixTlsException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">Why the handshake failed, for the log.</param>
    /// <param name="inner">What the TLS stack threw.</param>
    public FixTlsException(string message, Exception? inner) : base(message, inner)
    {
    }

    /// <summary>Creates the exception.</summary>
    public FixTlsException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">Why the handshake failed.</param>
    public FixTlsException(string message) : base(message)
    {
    }
}

/// <summary>
/// TLS of an acceptor (<c>Fix:Acceptor:Tls</c>, <c>Fix:Simulators:N:Tls</c>): our certificate with its private key, TLS 1.2 or 1.3
/// only, and optionally a client certificate required of every connection, validated against the system's trust store or the CA
/// certificates of <c>ClientCaFile</c>. The files can be renewed while it runs: <see cref="TryRenew"/> reads them again when their
/// contents changed, and the handshakes after it use what it read; a connection already made keeps its certificate.
/// </summary>
public sealed class FixServerTls
{
    private static readonly string[] FileKeys = ["CertificateFile", "KeyFile", "ClientCaFile"];
    private readonly IConfigurationSection section;
    private readonly Lock renewing = new();
    private volatile InUse current;
    private byte[] filesHash;

    /// <summary>Our certificate and the client CAs, swapped whole by a renewal.</summary>
    private sealed record InUse(SslStreamCertificateContext Certificate, X509Certificate2Collection? ClientCas);

    private FixServerTls(IConfigurationSection section, InUse current, bool requireClientCertificate, byte[] filesHash) =>
        (this.section, this.current, RequireClientCertificate, this.filesHash) = (section, current, requireClientCertificate, filesHash);

    /// <summary>The configuration section it came from (for the log).</summary>
    public string Key => section.Path;

    /// <summary>Whether a connection without a valid client certificate is refused.</summary>
    public bool RequireClientCertificate { get; }

    /// <summary>Our certificate (the one a client validates): the one read last, at start or by <see cref="TryRenew"/>.</summary>
    public X509Certificate2 Certificate => current.Certificate.TargetCertificate;

    /// <summary>
    /// Reads a <c>Tls</c> section: null when TLS is off (no section, or <c>Enabled</c> false); every problem added to
    /// <paramref name="problems"/> by its key (a missing file, a wrong password, a certificate without its private key).
    /// </summary>
    public static FixServerTls? Read(IConfigurationSection tls, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(tls);
        ArgumentNullException.ThrowIfNull(problems);
        if (!FixTls.Enabled(tls, ["CertificateFile", "KeyFile", "Password", "RequireClientCertificate", "ClientCaFile"], problems))
        {
            return null;
        }

        var count = problems.Count;
        // Hashed before reading: a file changed while it is read is read again by the next renewal check.
        var hash = FilesHash(tls);
        var loaded = FixTls.LoadCertificate(tls, required: true, problems);
        var require = FixTls.Bool(tls, "RequireClientCertificate", problems);
        var cas = FixTls.LoadCas(tls, "ClientCaFile", problems);
        if (cas is not null && !require)
        {
            problems.Add($"{tls.Path}:ClientCaFile is set but {tls.Path}:RequireClientCertificate is not true: no client certificate would be asked for");
        }

        return problems.Count > count || loaded is null
            ? null
            : new FixServerTls(tls, new InUse(SslStreamCertificateContext.Create(loaded.Value.Leaf, loaded.Value.Chain, offline: true), cas), require, hash);
    }

    /// <summary>
    /// Reads the certificate, key and client CA files again when their contents changed since the last read (a renewal): true when
    /// the new ones are in use (for the handshakes from now on); false when nothing changed, or, with <paramref name="problem"/> said,
    /// when the new files cannot be used (the certificate and CAs in use are kept; the same files are not tried again until they
    /// change, so a certificate written before its key is taken once the key follows).
    /// </summary>
    internal bool TryRenew(out string? problem)
    {
        problem = null;
        lock (renewing)
        {
            byte[] hash;
            try
            {
                hash = FilesHash(section);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                problem = $"{Key}: the files cannot be read: {ex.Message}";
                return false;
            }

            if (hash.AsSpan().SequenceEqual(filesHash))
            {
                return false;
            }

            filesHash = hash;
            var problems = new List<string>();
            var loaded = FixTls.LoadCertificate(section, required: true, problems);
            var cas = FixTls.LoadCas(section, "ClientCaFile", problems);
            if (problems.Count > 0 || loaded is null)
            {
                problem = string.Join("; ", problems);
                return false;
            }

            current = new InUse(SslStreamCertificateContext.Create(loaded.Value.Leaf, loaded.Value.Chain, offline: true), cas);
            return true;
        }
    }

    /// <summary>SHA-256 over the names and contents of the files the section names (a missing file hashed as missing).</summary>
    private static byte[] FilesHash(IConfigurationSection tls)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var key in FileKeys)
        {
            var file = tls[key]?.Trim();
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes($"{key}={file}\n"));
            if (!string.IsNullOrEmpty(file) && File.Exists(file))
            {
                hash.AppendData(File.ReadAllBytes(file));
            }
        }

        return hash.GetHashAndReset();
    }

    /// <summary>
    /// The server's side of the handshake over an accepted connection's stream; the stream returned is the one to read and write.
    /// </summary>
    /// <exception cref="FixTlsException">The handshake failed or the client's certificate was refused; the stream is disposed.</exception>
    internal async Task<Stream> AuthenticateAsync(Stream inner, CancellationToken cancellationToken)
    {
        string? refusal = null;
        var inUse = current;
        var ssl = new SslStream(inner, leaveInnerStreamOpen: false);
        var options = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = inUse.Certificate,
            EnabledSslProtocols = FixTls.Protocols,
            ClientCertificateRequired = RequireClientCertificate,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            CertificateChainPolicy = inUse.ClientCas is null ? null : FixTls.TrustOnly(inUse.ClientCas),
            RemoteCertificateValidationCallback = (_, presented, chain, errors) =>
            {
                if (!RequireClientCertificate)
                {
                    return true;
                }

                refusal = errors == SslPolicyErrors.RemoteCertificateNotAvailable || presented is null
                    ? $"no client certificate was presented ({Key}:RequireClientCertificate is true)"
                    : errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors)
                        ? $"the client certificate '{presented.Subject}' is not trusted: {FixTls.Describe(chain)}"
                        : errors != SslPolicyErrors.None ? $"the client certificate '{presented.Subject}' is refused: {errors}" : null;
                return refusal is null;
            },
        };
        try
        {
            await ssl.AuthenticateAsServerAsync(options, cancellationToken);
            return ssl;
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException)
        {
            await ssl.DisposeAsync();
            throw new FixTlsException("TLS handshake failed: " + (refusal ?? ex.GetBaseException().Message), ex);
        }
        catch
        {
            await ssl.DisposeAsync();
            throw;
        }
    }
}

/// <summary>
/// TLS of an initiator (<c>Fix:Sessions:N:Tls</c>): the name the venue's certificate must carry (also sent as SNI), TLS 1.2 or 1.3
/// only, optionally our client certificate, and optionally the venue's private CA (<c>CaFile</c>: the only roots trusted) and a
/// pinned SHA-256 thumbprint one certificate of the venue's chain must have. The certificate is always validated: there is no
/// switch that accepts any certificate.
/// </summary>
public sealed class FixClientTls
{
    private readonly SslStreamCertificateContext? clientCertificate;
    private readonly X509Certificate2Collection? cas;

    private FixClientTls(string key, string serverName, SslStreamCertificateContext? clientCertificate, X509Certificate2Collection? cas, string? thumbprint) =>
        (Key, ServerName, this.clientCertificate, this.cas, Thumbprint) = (key, serverName, clientCertificate, cas, thumbprint);

    /// <summary>The configuration section it came from (for the log).</summary>
    public string Key { get; }

    /// <summary>The name the venue's certificate must carry (its DNS name or IP address), sent as SNI.</summary>
    public string ServerName { get; }

    /// <summary>The SHA-256 thumbprint (hex, upper case) one certificate of the venue's chain must have, or null.</summary>
    public string? Thumbprint { get; }

    /// <summary>
    /// Reads a session's <c>Tls</c> section: null when TLS is off (no section, or <c>Enabled</c> false); every problem added to
    /// <paramref name="problems"/> by its key. <c>ServerName</c> defaults to <paramref name="host"/>.
    /// </summary>
    public static FixClientTls? Read(IConfigurationSection tls, string host, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(tls);
        ArgumentNullException.ThrowIfNull(problems);
        if (!FixTls.Enabled(tls, ["ServerName", "CaFile", "Thumbprint", "CertificateFile", "KeyFile", "Password"], problems))
        {
            return null;
        }

        var count = problems.Count;
        var serverName = tls["ServerName"]?.Trim();
        if (string.IsNullOrEmpty(serverName))
        {
            serverName = host;
        }

        var cas = FixTls.LoadCas(tls, "CaFile", problems);
        var thumbprint = tls["Thumbprint"] is { } rawPin ? FixTls.Thumbprint(rawPin, tls.Path + ":Thumbprint", problems) : null;

        var loaded = FixTls.LoadCertificate(tls, required: false, problems);
        return problems.Count > count
            ? null
            : new FixClientTls(tls.Path, serverName,
                loaded is { } c ? SslStreamCertificateContext.Create(c.Leaf, c.Chain, offline: true) : null, cas, thumbprint);
    }

    /// <summary>
    /// The client's side of the handshake over a connected stream; the stream returned is the one to read and write.
    /// </summary>
    /// <exception cref="FixTlsException">The handshake failed or the venue's certificate was refused (with the reason); the stream is disposed.</exception>
    internal async Task<Stream> AuthenticateAsync(Stream inner, CancellationToken cancellationToken)
    {
        string? refusal = null;
        var ssl = new SslStream(inner, leaveInnerStreamOpen: false);
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = ServerName,
            EnabledSslProtocols = FixTls.Protocols,
            ClientCertificateContext = clientCertificate,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            CertificateChainPolicy = cas is null ? null : FixTls.TrustOnly(cas),
            RemoteCertificateValidationCallback = (_, presented, chain, errors) =>
            {
                refusal = presented is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable) ? "the venue presented no certificate"
                    : errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch)
                        ? $"the venue's certificate '{presented.Subject}' does not name '{ServerName}' ({Key}:ServerName)"
                    : errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors)
                        ? $"the venue's certificate '{presented.Subject}' is not trusted: {FixTls.Describe(chain)}" +
                          (cas is null ? "" : $" (trusted roots: {Key}:CaFile)")
                    : errors != SslPolicyErrors.None ? $"the venue's certificate '{presented.Subject}' is refused: {errors}"
                    : Thumbprint is { } pin && !Pinned(presented, chain, pin)
                        ? $"no certificate of the venue's chain has the SHA-256 thumbprint {pin} ({Key}:Thumbprint)"
                    : null;
                return refusal is null;
            },
        };
        try
        {
            await ssl.AuthenticateAsClientAsync(options, cancellationToken);
            return ssl;
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException)
        {
            await ssl.DisposeAsync();
            throw new FixTlsException($"TLS handshake with {ServerName} failed: " + (refusal ?? ex.GetBaseException().Message), ex);
        }
        catch
        {
            await ssl.DisposeAsync();
            throw;
        }
    }

    private static bool Pinned(X509Certificate presented, X509Chain? chain, string pin)
    {
        if (string.Equals(presented.GetCertHashString(HashAlgorithmName.SHA256), pin, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (chain is null)
        {
            return false;
        }

        foreach (var element in chain.ChainElements)
        {
            if (string.Equals(element.Certificate.GetCertHashString(HashAlgorithmName.SHA256), pin, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>What the acceptor's and the initiator's TLS share: protocols, trust, and reading certificates from configuration.</summary>
internal static class FixTls
{
    /// <summary>TLS 1.2 and 1.3 only: the older versions are broken.</summary>
    public const SslProtocols Protocols = SslProtocols.Tls12 | SslProtocols.Tls13;

    /// <summary>A chain policy trusting only <paramref name="roots"/> (a venue's or the clients' private CA).</summary>
    public static X509ChainPolicy TrustOnly(X509Certificate2Collection roots)
    {
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.AddRange(roots);
        return policy;
    }

    /// <summary>Why a chain did not validate, for the log.</summary>
    public static string Describe(X509Chain? chain)
    {
        var statuses = chain?.ChainStatus.Where(s => s.Status != X509ChainStatusFlags.NoError)
            .Select(s => $"{s.Status} ({s.StatusInformation.Trim()})").Distinct().ToList();
        return statuses is { Count: > 0 } ? string.Join("; ", statuses) : "the chain did not validate";
    }

    /// <summary>
    /// Whether a <c>Tls</c> section turns TLS on. Other keys without <c>Enabled</c> are a problem rather than a silent plain-text
    /// connection.
    /// </summary>
    public static bool Enabled(IConfigurationSection tls, string[] keys, List<string> problems)
    {
        var raw = tls["Enabled"];
        if (raw is null)
        {
            if (keys.Any(k => tls[k] is not null))
            {
                problems.Add($"{tls.Path}:Enabled is required with the other {tls.Path} keys: true for TLS, false for plain TCP");
            }

            return false;
        }

        if (!bool.TryParse(raw, out var enabled))
        {
            problems.Add($"{tls.Path}:Enabled must be true or false, not '{raw}'");
            return false;
        }

        return enabled;
    }

    /// <summary>
    /// A SHA-256 thumbprint as configured (64 hex digits; colons and spaces allowed, any case) in the form
    /// <c>GetCertHashString(SHA256)</c> gives (upper case, no separators); null with the problem named by <paramref name="key"/>.
    /// </summary>
    public static string? Thumbprint(string raw, string key, List<string> problems)
    {
        var thumbprint = raw.Replace(":", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        if (thumbprint.Length == 64 && thumbprint.All(Uri.IsHexDigit))
        {
            return thumbprint;
        }

        problems.Add($"{key} must be a certificate's SHA-256 thumbprint (64 hex digits, colons allowed), not '{raw}'");
        return null;
    }

    public static bool Bool(IConfigurationSection section, string name, List<string> problems)
    {
        var raw = section[name];
        if (raw is null)
        {
            return false;
        }

        if (!bool.TryParse(raw, out var value))
        {
            problems.Add($"{section.Path}:{name} must be true or false, not '{raw}'");
        }

        return value;
    }

    /// <summary>The CA certificates (PEM) of <c>name</c>, or null when the key is absent.</summary>
    public static X509Certificate2Collection? LoadCas(IConfigurationSection tls, string name, List<string> problems)
    {
        var file = tls[name]?.Trim();
        if (string.IsNullOrEmpty(file))
        {
            return null;
        }

        if (!File.Exists(file))
        {
            problems.Add($"{tls.Path}:{name}: no file at '{file}'");
            return null;
        }

        var cas = new X509Certificate2Collection();
        try
        {
            cas.ImportFromPemFile(file);
        }
        catch (CryptographicException ex)
        {
            problems.Add($"{tls.Path}:{name}: '{file}' cannot be read as PEM certificates: {ex.Message}");
            return null;
        }

        if (cas.Count == 0)
        {
            problems.Add($"{tls.Path}:{name}: '{file}' holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
            return null;
        }

        return cas;
    }

    /// <summary>
    /// The certificate of <c>CertificateFile</c> with its private key, and the chain certificates that came with it: a PKCS#12 file
    /// (<c>.pfx</c>/<c>.p12</c>, opened with <c>Password</c>), or PEM (<c>-----BEGIN CERTIFICATE-----</c>, leaf first, then any
    /// intermediates) with its key in <c>KeyFile</c> or in the same file (encrypted when <c>Password</c> is given).
    /// Null with the problem named when it cannot be used; null without a problem when it is absent and not required.
    /// </summary>
    public static (X509Certificate2 Leaf, X509Certificate2Collection Chain)? LoadCertificate(IConfigurationSection tls, bool required, List<string> problems)
    {
        var key = tls.Path;
        var file = tls["CertificateFile"]?.Trim();
        var keyFile = tls["KeyFile"]?.Trim();
        var password = tls["Password"];
        if (string.IsNullOrEmpty(file))
        {
            if (required)
            {
                problems.Add($"{key}:CertificateFile is required (a PKCS#12 file with Password, or a PEM certificate with KeyFile)");
            }
            else if (!string.IsNullOrEmpty(keyFile) || password is not null)
            {
                problems.Add($"{key}:KeyFile and {key}:Password need {key}:CertificateFile");
            }

            return null;
        }

        if (!File.Exists(file))
        {
            problems.Add($"{key}:CertificateFile: no file at '{file}'");
            return null;
        }

        X509Certificate2 leaf;
        var chain = new X509Certificate2Collection();
        try
        {
            if (IsPem(file))
            {
                if (!string.IsNullOrEmpty(keyFile) && !File.Exists(keyFile))
                {
                    problems.Add($"{key}:KeyFile: no file at '{keyFile}'");
                    return null;
                }

                var keyText = File.ReadAllText(string.IsNullOrEmpty(keyFile) ? file : keyFile);
                if (!keyText.Contains("PRIVATE KEY-----", StringComparison.Ordinal))
                {
                    problems.Add(string.IsNullOrEmpty(keyFile)
                        ? $"{key}:CertificateFile '{file}' has no private key: give its key in {key}:KeyFile (PEM), or use a PKCS#12 file"
                        : $"{key}:KeyFile '{keyFile}' holds no PEM private key");
                    return null;
                }

                using (var pem = password is null
                           ? X509Certificate2.CreateFromPemFile(file, string.IsNullOrEmpty(keyFile) ? null : keyFile)
                           : X509Certificate2.CreateFromEncryptedPemFile(file, password, string.IsNullOrEmpty(keyFile) ? null : keyFile))
                {
                    // A PEM key is ephemeral; a PKCS#12 round trip gives the TLS stack a key it can use on every platform.
                    leaf = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
                }

                chain.ImportFromPemFile(file);
                chain.RemoveAt(0);
            }
            else
            {
                if (!string.IsNullOrEmpty(keyFile))
                {
                    problems.Add($"{key}:KeyFile is for a PEM certificate; '{file}' is PKCS#12, which carries its own key");
                    return null;
                }

                var all = X509CertificateLoader.LoadPkcs12CollectionFromFile(file, password);
                var withKey = all.FirstOrDefault(c => c.HasPrivateKey);
                if (withKey is null)
                {
                    problems.Add($"{key}:CertificateFile '{file}' holds no certificate with its private key");
                    return null;
                }

                leaf = withKey;
                chain.AddRange(all.Where(c => !ReferenceEquals(c, withKey)).ToArray());
            }
        }
        catch (ArgumentException ex) when (IsPem(file))
        {
            // A PEM certificate with another certificate's key (a renewal written before its key): not a crash, a problem by key.
            problems.Add($"{key}:CertificateFile '{file}' and its private key do not go together " +
                         $"(is {(string.IsNullOrEmpty(keyFile) ? key + ":CertificateFile's key" : key + ":KeyFile")} this certificate's key?): {ex.Message}");
            return null;
        }
        catch (CryptographicException ex)
        {
            var pem = IsPem(file);
            problems.Add(password is not null
                ? $"{key}:CertificateFile '{file}' cannot be opened with {key}:Password (wrong password?): {ex.Message}"
                : pem
                    ? $"{key}:CertificateFile '{file}' cannot be read with its private key (is {key}:KeyFile this certificate's key, unencrypted?): {ex.Message}"
                    : $"{key}:CertificateFile '{file}' cannot be opened without {key}:Password: {ex.Message}");
            return null;
        }

        if (!leaf.HasPrivateKey)
        {
            problems.Add($"{key}:CertificateFile '{file}' has no private key");
            return null;
        }

        if (leaf.NotAfter.ToUniversalTime() < DateTime.UtcNow)
        {
            problems.Add($"{key}:CertificateFile '{file}': the certificate '{leaf.Subject}' expired on " +
                         leaf.NotAfter.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture));
            return null;
        }

        return (leaf, chain);
    }

    private static bool IsPem(string file)
    {
        using var reader = new StreamReader(file);
        var buffer = new char[4096];
        var read = reader.ReadBlock(buffer, 0, buffer.Length);
        return new string(buffer, 0, read).Contains("-----BEGIN", StringComparison.Ordinal);
    }
}
