using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using TradSys.Engine.Fix;
using TradSys.Web.Fix;

namespace TradSys.Web.Tests.Fix;

/// <summary>
/// A client certificate bound to a peer comp id (<c>Fix:Acceptor:Clients:{comp id}:Certificate</c>): the bound certificate logs
/// on; another valid certificate of the same CA logging on with that comp id is answered with a Logout naming why and refused,
/// leaving the logged-on session alone; and the binding's configuration problems by key.
/// </summary>
public sealed class FixCertificateBindingTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private readonly TestCertificates pki = new();

    public void Dispose() => pki.Dispose();

    private static IConfiguration Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();

    private static FixSessionSettings Client(string compId) =>
        new() { SenderCompId = compId, TargetCompId = "TRADSYS", Role = FixSessionRole.Initiator, ResetOnLogon = true };

    private FixClientTls ClientTls(string certificateFile, string password)
    {
        var problems = new List<string>();
        var tls = FixClientTls.Read(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Fix:Sessions:0:Tls:Enabled"] = "true", ["Fix:Sessions:0:Tls:ServerName"] = "localhost", ["Fix:Sessions:0:Tls:CaFile"] = pki.CaFile,
            ["Fix:Sessions:0:Tls:CertificateFile"] = certificateFile, ["Fix:Sessions:0:Tls:Password"] = password,
        }).Build().GetSection("Fix:Sessions:0:Tls"), "127.0.0.1", problems);
        Assert.Empty(problems);
        return Assert.IsType<FixClientTls>(tls);
    }

    private static string Thumbprint(string pfx, string password)
    {
        using var certificate = X509CertificateLoader.LoadPkcs12FromFile(pfx, password);
        return certificate.GetCertHashString(HashAlgorithmName.SHA256);
    }

    [Fact]
    public async Task The_bound_certificate_logs_on_and_another_of_the_same_CA_with_the_same_comp_id_gets_a_Logout_and_is_refused()
    {
        var (serverCertificate, serverKey) = pki.IssuePem("localhost");
        var broker1 = pki.IssuePkcs12("BROKER1", "pw", server: false);
        var otherBroker1 = pki.IssuePkcs12("BROKER1", "pw", server: false);
        var broker2 = pki.IssuePkcs12("BROKER2", "pw", server: false);
        var thumbprint = Thumbprint(broker1, "pw");
        var (config, problems) = Read(new()
        {
            ["Fix:Acceptor:Port"] = "9878", ["Fix:Acceptor:SenderCompId"] = "TRADSYS",
            ["Fix:Acceptor:TargetCompIds:0"] = "BROKER1", ["Fix:Acceptor:TargetCompIds:1"] = "BROKER2",
            ["Fix:Acceptor:Tls:Enabled"] = "true", ["Fix:Acceptor:Tls:CertificateFile"] = serverCertificate, ["Fix:Acceptor:Tls:KeyFile"] = serverKey,
            ["Fix:Acceptor:Tls:RequireClientCertificate"] = "true", ["Fix:Acceptor:Tls:ClientCaFile"] = pki.CaFile,
            // BROKER1 by its certificate's thumbprint (lower case with colons, as copied from a tool), BROKER2 by its CN.
            ["Fix:Acceptor:Clients:BROKER1:Certificate:Thumbprints:0"] = string.Join(':', thumbprint.ToLowerInvariant().Chunk(2).Select(c => new string(c))),
            ["Fix:Acceptor:Clients:BROKER2:Certificate:CommonName"] = "BROKER2",
        });
        Assert.Empty(problems);
        Assert.Equal([thumbprint], config.CertificateBindings["BROKER1"].Thumbprints);
        var received = new List<string>();
        await using var acceptor = new FixAcceptor(config.Settings(null), _ => new InMemoryFixSessionStore(), (_, s, m) =>
        {
            lock (received)
            {
                received.Add(s.TargetCompId + ":" + Encoding.ASCII.GetString(m.MsgType));
            }
        }, TimeProvider.System, NullLogger.Instance, tls: config.Tls, certificates: config.CertificateBindings);
        var endPoint = acceptor.Start(0);

        var session = await FixInitiator.ConnectAsync(endPoint, Client("BROKER1"), new InMemoryFixSessionStore(), _ => { }, TimeProvider.System,
            NullLogger.Instance, CancellationToken.None, tls: ClientTls(broker1, "pw"));
        await session.LoggedOn.WaitAsync(Wait);
        var live = acceptor.Live("BROKER1");
        Assert.NotNull(live);

        // Another valid certificate of the same CA, also CN=BROKER1, logging on as BROKER1: a Logout says why, then the connection closes.
        var answer = await LogonOverTlsAsync(endPoint, otherBroker1, "BROKER1");
        Assert.Contains("\u000135=5\u0001", answer, StringComparison.Ordinal);
        Assert.Contains("\u000149=TRADSYS\u0001", answer, StringComparison.Ordinal);
        Assert.Contains("\u000156=BROKER1\u0001", answer, StringComparison.Ordinal);
        Assert.Contains("\u000158=Logon refused: the client certificate is not the one bound to SenderCompID BROKER1\u0001", answer, StringComparison.Ordinal);
        Assert.DoesNotContain(thumbprint, answer, StringComparison.OrdinalIgnoreCase);
        await Until(() => acceptor.Refused == 1, "the refusal is counted (after the connection closes)");

        // The logged-on session is untouched: the same connection, still active, and its orders still arrive.
        Assert.Same(live, acceptor.Live("BROKER1"));
        Assert.Equal(FixSessionState.Active, session.State);
        Assert.True(await session.SendAsync("D"u8.ToArray(), Order("T1")) > 0);
        await Until(() => { lock (received) { return received.Contains("BROKER1:D"); } }, "the bound session's order arrives");

        // By CN: BROKER1's certificate may not log on as BROKER2; BROKER2's may.
        var asBroker2 = await LogonOverTlsAsync(endPoint, broker1, "BROKER2");
        Assert.Contains("\u000158=Logon refused: the client certificate is not the one bound to SenderCompID BROKER2\u0001", asBroker2, StringComparison.Ordinal);
        await Until(() => acceptor.Refused == 2, "the second refusal is counted");
        Assert.Null(acceptor.Live("BROKER2"));
        var second = await FixInitiator.ConnectAsync(endPoint, Client("BROKER2"), new InMemoryFixSessionStore(), _ => { }, TimeProvider.System,
            NullLogger.Instance, CancellationToken.None, tls: ClientTls(broker2, "pw"));
        await second.LoggedOn.WaitAsync(Wait);

        foreach (var s in new[] { session, second })
        {
            await s.LogoutAsync();
            Assert.Equal(FixDisconnectReason.Logout, (await s.Completion.WaitAsync(Wait)).Reason);
        }

        Assert.Equal(2, acceptor.Refused);
    }

    [Fact]
    public void The_configuration_names_a_bad_thumbprint_an_empty_name_an_unknown_key_and_a_binding_without_TLS_or_a_required_client_certificate()
    {
        var pfx = pki.IssuePkcs12("localhost", "pw");
        var (_, problems) = Read(new()
        {
            ["Fix:Acceptor:Port"] = "9878", ["Fix:Acceptor:SenderCompId"] = "TRADSYS",
            ["Fix:Acceptor:TargetCompIds:0"] = "BROKER1", ["Fix:Acceptor:TargetCompIds:1"] = "BROKER2", ["Fix:Acceptor:TargetCompIds:2"] = "BROKER3",
            ["Fix:Acceptor:Tls:Enabled"] = "true", ["Fix:Acceptor:Tls:CertificateFile"] = pfx, ["Fix:Acceptor:Tls:Password"] = "pw",
            ["Fix:Acceptor:Tls:RequireClientCertificate"] = "true", ["Fix:Acceptor:Tls:ClientCaFile"] = pki.CaFile,
            ["Fix:Acceptor:Clients:BROKER1:Certificate:Thumbprints:0"] = "AB:CD",
            ["Fix:Acceptor:Clients:BROKER1:Certificate:Thumbprints:1"] = pki.CaThumbprint,
            ["Fix:Acceptor:Clients:BROKER1:Certificate:Thumbprints:2"] = pki.CaThumbprint.ToLowerInvariant(),
            ["Fix:Acceptor:Clients:BROKER2:Certificate:CommonName"] = " ",
            ["Fix:Acceptor:Clients:BROKER3:Certificate:Thumbprint"] = pki.CaThumbprint,
        });
        Assert.Equal(
        [
            "Fix:Acceptor:Clients:BROKER1:Certificate:Thumbprints:0 must be a certificate's SHA-256 thumbprint (64 hex digits, colons allowed), not 'AB:CD'",
            $"Fix:Acceptor:Clients:BROKER1:Certificate:Thumbprints:2: the thumbprint {pki.CaThumbprint} is listed twice",
            "Fix:Acceptor:Clients:BROKER2:Certificate:CommonName must not be empty: the CN the client's certificate carries (e.g. BROKER1)",
            "Fix:Acceptor:Clients:BROKER3:Certificate:Thumbprint is not a setting of a certificate binding (Thumbprints:N, CommonName)",
        ], problems);

        // A binding with TLS off (no Tls section), or on without a required client certificate, stops the start; so does a
        // binding of a simulator's comp id it does not take, and a Certificate section that binds nothing.
        var configuration = Configuration(new()
        {
            ["Fix:Acceptor:Port"] = "9878", ["Fix:Acceptor:SenderCompId"] = "TRADSYS", ["Fix:Acceptor:TargetCompIds:0"] = "BROKER1",
            ["Fix:Acceptor:Clients:BROKER1:ClientId"] = "trader1", ["Fix:Acceptor:Clients:BROKER1:Accounts:0"] = "1001",
            ["Fix:Acceptor:Clients:BROKER1:Certificate:CommonName"] = "BROKER1",
            ["Fix:Simulators:0:Venue"] = "EGX", ["Fix:Simulators:0:Port"] = "9881", ["Fix:Simulators:0:TargetCompIds:0"] = "BROKER1",
            ["Fix:Simulators:0:Tls:Enabled"] = "true", ["Fix:Simulators:0:Tls:CertificateFile"] = pfx, ["Fix:Simulators:0:Tls:Password"] = "pw",
            ["Fix:Simulators:0:Clients:BROKER1:Certificate:Thumbprints:0"] = pki.CaThumbprint,
            ["Fix:Simulators:0:Clients:BROKER9:Certificate:CommonName"] = "BROKER9",
            ["Fix:Simulators:1:Venue"] = "ADX", ["Fix:Simulators:1:Port"] = "9882", ["Fix:Simulators:1:TargetCompIds:0"] = "BROKER1",
            ["Fix:Simulators:1:Tls:Enabled"] = "false", ["Fix:Simulators:1:Clients:BROKER1:Certificate:Thumbprints"] = "",
        });
        FixAcceptors.Read(configuration, out var startProblems);
        Assert.Equal(
        [
            "Fix:Acceptor:Clients:BROKER1:Certificate needs TLS: Fix:Acceptor:Tls:Enabled is not true, so no client certificate is presented to compare",
            "Fix:Simulators:0:Clients:BROKER1:Certificate needs Fix:Simulators:0:Tls:RequireClientCertificate true: without it a client may present " +
            "no certificate at all",
            "Fix:Simulators:0:Clients:BROKER9: 'BROKER9' is not one of Fix:Simulators:0:TargetCompIds",
            "Fix:Simulators:1:Clients:BROKER1:Certificate binds nothing: give Fix:Simulators:1:Clients:BROKER1:Certificate:Thumbprints:0 (the " +
            "certificate's SHA-256 thumbprint) and/or Fix:Simulators:1:Clients:BROKER1:Certificate:CommonName",
            "Fix:Simulators:1:Clients:BROKER1:Certificate needs TLS: Fix:Simulators:1:Tls:Enabled is not true, so no client certificate is presented to compare",
        ], startProblems);
        var refused = Assert.Throws<InvalidOperationException>(() => FixAcceptors.ReadValid(configuration));
        Assert.Contains("Fix:Acceptor:Clients:BROKER1:Certificate needs TLS", refused.Message, StringComparison.Ordinal);
    }

    private static (FixAcceptorConfig Config, List<string> Problems) Read(Dictionary<string, string?> values)
    {
        var problems = new List<string>();
        var config = FixAcceptorConfig.Read(Configuration(values).GetSection("Fix:Acceptor"), null, problems);
        return (config, problems);
    }

    /// <summary>
    /// Connects over TLS with <paramref name="pfx"/> as the client certificate, sends a Logon as <paramref name="sender"/> and reads
    /// until the acceptor closes the connection: what it answered.
    /// </summary>
    private async Task<string> LogonOverTlsAsync(IPEndPoint endPoint, string pfx, string sender)
    {
        using var certificate = X509CertificateLoader.LoadPkcs12FromFile(pfx, "pw");
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(endPoint);
        await using var ssl = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
        var trust = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        trust.CustomTrustStore.ImportFromPemFile(pki.CaFile);
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost", ClientCertificates = [certificate], CertificateChainPolicy = trust,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        }).WaitAsync(Wait);
        await ssl.WriteAsync(FixTlsTests.Logon(sender, "TRADSYS"));
        var answer = new MemoryStream();
        var chunk = new byte[1024];
        int n;
        while ((n = await ssl.ReadAsync(chunk).AsTask().WaitAsync(Wait)) > 0)
        {
            answer.Write(chunk, 0, n);
        }

        return Encoding.ASCII.GetString(answer.ToArray());
    }

    private static async Task Until(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting until " + what);
            await Task.Delay(20);
        }
    }

    private static byte[] Order(string clOrdId) =>
        [.. ExchangeSimulatorTests.Order(clOrdId, '1', "10", "80.00").SelectMany(f => Encoding.ASCII.GetBytes($"{f.Item1}={f.Item2}\u0001"))];
}
