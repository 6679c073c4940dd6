using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TradSys.Engine.Fix;
using TradSys.Web.Fix;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Fix;

/// <summary>
/// FIX over TLS on loopback, with certificates of a private CA the test makes: the acceptor (<c>Fix:Acceptor:Tls</c>) and the
/// initiator (<c>Fix:Sessions:N:Tls</c>) configured as an operator would, a session logging on and trading, and every refusal:
/// an untrusted or misnamed certificate, a pin that does not match, plain text to a TLS port, a missing or untrusted client
/// certificate; and the configuration's problems named by their keys.
/// </summary>
public sealed class FixTlsTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private readonly TestCertificates pki = new();

    public void Dispose() => pki.Dispose();

    private static readonly FixSessionSettings Ours = new() { SenderCompId = "TRADSYS", TargetCompId = "BROKER1", Role = FixSessionRole.Acceptor };

    private static readonly FixSessionSettings Theirs = new()
    {
        SenderCompId = "BROKER1", TargetCompId = "TRADSYS", Role = FixSessionRole.Initiator, ResetOnLogon = true,
    };

    private static IConfigurationSection Section(string path, Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.ToDictionary(kv => $"{path}:{kv.Key}", kv => kv.Value)).Build().GetSection(path);

    private static FixServerTls ServerTls(Dictionary<string, string?> values)
    {
        var problems = new List<string>();
        var tls = FixServerTls.Read(Section("Fix:Acceptor:Tls", values), problems);
        Assert.Empty(problems);
        return Assert.IsType<FixServerTls>(tls);
    }

    private static FixClientTls ClientTls(Dictionary<string, string?> values)
    {
        var problems = new List<string>();
        var tls = FixClientTls.Read(Section("Fix:Sessions:0:Tls", values), "127.0.0.1", problems);
        Assert.Empty(problems);
        return Assert.IsType<FixClientTls>(tls);
    }

    private FixAcceptor Acceptor(FixServerTls tls, List<string> received) =>
        new([Ours], _ => new InMemoryFixSessionStore(), (_, _, m) =>
        {
            lock (received)
            {
                received.Add(Encoding.ASCII.GetString(m.MsgType));
            }
        }, TimeProvider.System, NullLogger.Instance, tls: tls);

    private static Task<FixSessionDriver> Connect(IPEndPoint endPoint, FixClientTls? tls) =>
        FixInitiator.ConnectAsync(endPoint, Theirs, new InMemoryFixSessionStore(), _ => { }, TimeProvider.System, NullLogger.Instance,
            CancellationToken.None, tls: tls);

    private static async Task Until(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting until " + what);
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task A_session_logs_on_over_TLS_and_plain_text_to_the_TLS_port_is_refused_without_an_answer()
    {
        var (certificate, key) = pki.IssuePem("localhost");
        var received = new List<string>();
        await using var acceptor = Acceptor(ServerTls(new() { ["Enabled"] = "true", ["CertificateFile"] = certificate, ["KeyFile"] = key }), received);
        var endPoint = acceptor.Start(0);
        Assert.Equal(IPAddress.Loopback, endPoint.Address);
        Assert.True(acceptor.IsTls);

        var session = await Connect(endPoint, ClientTls(new() { ["Enabled"] = "true", ["ServerName"] = "localhost", ["CaFile"] = pki.CaFile }));
        await session.LoggedOn.WaitAsync(Wait);
        Assert.True(await session.SendAsync("D"u8.ToArray(), ExchangeSimulatorTests.Order("T1", '1', "10", "80.00")
            .SelectMany(f => Encoding.ASCII.GetBytes($"{f.Item1}={f.Item2}\u0001")).ToArray()) > 0);
        await Until(() => { lock (received) { return received.Contains("D"); } }, "the order arrives over TLS");

        // A client speaking plain FIX to the TLS port: its Logon is no TLS record, so the connection closes and nothing is answered.
        using (var plain = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            await plain.ConnectAsync(endPoint);
            await plain.SendAsync(Logon("BROKER2", "TRADSYS"));
            var answered = 0;
            var chunk = new byte[1024];
            int n;
            while ((n = await plain.ReceiveAsync(chunk, SocketFlags.None).WaitAsync(Wait)) > 0)
            {
                answered += n;
                Assert.NotEqual((byte)'8', chunk[0]);
            }

            Assert.True(answered <= 7, $"a TLS alert at most, not a FIX answer: {answered} bytes");
        }

        await Until(() => acceptor.Refused == 1, "the plain connection is counted as refused");
        Assert.Equal(FixSessionState.Active, session.State);
        await session.LogoutAsync();
        Assert.Equal(FixDisconnectReason.Logout, (await session.Completion.WaitAsync(Wait)).Reason);
    }

    [Fact]
    public async Task A_certificate_of_another_CA_for_another_name_or_not_matching_the_pin_is_refused_with_the_reason()
    {
        var pfx = pki.IssuePkcs12("localhost", "s3cret");
        await using var acceptor = Acceptor(ServerTls(new() { ["Enabled"] = "true", ["CertificateFile"] = pfx, ["Password"] = "s3cret" }), []);
        var endPoint = acceptor.Start(0);
        using var other = new TestCertificates("Someone Else's CA");

        var untrusted = await Assert.ThrowsAsync<FixTlsException>(() =>
            Connect(endPoint, ClientTls(new() { ["Enabled"] = "true", ["ServerName"] = "localhost", ["CaFile"] = other.CaFile })));
        Assert.Contains("TLS handshake with localhost failed: the venue's certificate 'CN=localhost' is not trusted", untrusted.Message, StringComparison.Ordinal);
        Assert.Contains("Fix:Sessions:0:Tls:CaFile", untrusted.Message, StringComparison.Ordinal);

        // The system's trust store does not know the private CA either: without CaFile the certificate is refused, never accepted.
        var system = await Assert.ThrowsAsync<FixTlsException>(() => Connect(endPoint, ClientTls(new() { ["Enabled"] = "true", ["ServerName"] = "localhost" })));
        Assert.Contains("is not trusted", system.Message, StringComparison.Ordinal);

        var misnamed = await Assert.ThrowsAsync<FixTlsException>(() =>
            Connect(endPoint, ClientTls(new() { ["Enabled"] = "true", ["ServerName"] = "fix.egx.example", ["CaFile"] = pki.CaFile })));
        Assert.Contains("the venue's certificate 'CN=localhost' does not name 'fix.egx.example' (Fix:Sessions:0:Tls:ServerName)", misnamed.Message,
            StringComparison.Ordinal);

        var pinned = await Assert.ThrowsAsync<FixTlsException>(() => Connect(endPoint,
            ClientTls(new() { ["Enabled"] = "true", ["ServerName"] = "localhost", ["CaFile"] = pki.CaFile, ["Thumbprint"] = other.CaThumbprint })));
        Assert.Contains($"no certificate of the venue's chain has the SHA-256 thumbprint {other.CaThumbprint}", pinned.Message, StringComparison.Ordinal);

        // Each refusal is a failed connection on the acceptor's side too; the listener goes on, and the right trust and pin log on
        // (the server name defaults to the host, 127.0.0.1, which the certificate names too).
        await Until(() => acceptor.Refused == 4, $"the acceptor counts the four failed handshakes (so far {acceptor.Refused})");
        var session = await Connect(endPoint, ClientTls(new()
        {
            ["Enabled"] = "true", ["CaFile"] = pki.CaFile, ["Thumbprint"] = string.Join(':', pki.CaThumbprint.Chunk(2).Select(c => new string(c))),
        }));
        await session.LoggedOn.WaitAsync(Wait);
        await session.LogoutAsync();
        await session.Completion.WaitAsync(Wait);
        Assert.Equal(4, acceptor.Refused);
    }

    [Fact]
    public async Task A_client_certificate_is_required_when_configured_and_must_come_from_the_configured_CA()
    {
        var (certificate, key) = pki.IssuePem("localhost");
        await using var acceptor = Acceptor(ServerTls(new()
        {
            ["Enabled"] = "true", ["CertificateFile"] = certificate, ["KeyFile"] = key, ["RequireClientCertificate"] = "true", ["ClientCaFile"] = pki.CaFile,
        }), []);
        var endPoint = acceptor.Start(0);
        var trust = new Dictionary<string, string?> { ["Enabled"] = "true", ["ServerName"] = "localhost", ["CaFile"] = pki.CaFile };

        // Without a client certificate: refused (with TLS 1.3 the client may finish its side before the server refuses, so the
        // refusal shows either as the handshake failing or as the connection closing before the Logon is answered).
        await RefusedAsync(endPoint, ClientTls(trust));
        await Until(() => acceptor.Refused == 1, "the acceptor refuses the connection without a client certificate");

        // A client certificate of another CA: refused too.
        using var other = new TestCertificates("Someone Else's CA");
        var (foreign, foreignKey) = other.IssuePem("BROKER1", server: false);
        await RefusedAsync(endPoint, ClientTls(new(trust) { ["CertificateFile"] = foreign, ["KeyFile"] = foreignKey }));
        await Until(() => acceptor.Refused == 2, "the acceptor refuses the foreign client certificate");
        Assert.Null(acceptor.Live("BROKER1"));

        // The CA's client certificate (PKCS#12 this time): logged on.
        var pfx = pki.IssuePkcs12("BROKER1", "pw", server: false);
        var session = await Connect(endPoint, ClientTls(new(trust) { ["CertificateFile"] = pfx, ["Password"] = "pw" }));
        await session.LoggedOn.WaitAsync(Wait);
        Assert.NotNull(acceptor.Live("BROKER1"));
        await session.LogoutAsync();
        await session.Completion.WaitAsync(Wait);
        Assert.Equal(2, acceptor.Refused);
    }

    [Fact]
    public async Task A_renewed_certificate_is_used_for_new_connections_while_a_logged_on_session_goes_on_and_a_bad_file_keeps_the_one_in_use()
    {
        var (certificate, key) = pki.IssuePem("localhost");
        var oldThumbprint = ThumbprintOf(certificate);
        var tls = ServerTls(new() { ["Enabled"] = "true", ["CertificateFile"] = certificate, ["KeyFile"] = key });
        var received = new List<string>();
        var log = new ListLogger();
        await using var acceptor = new FixAcceptor([Ours], _ => new InMemoryFixSessionStore(), (_, _, m) =>
        {
            lock (received)
            {
                received.Add(Encoding.ASCII.GetString(m.MsgType));
            }
        }, TimeProvider.System, log, tls: tls);
        var endPoint = acceptor.Start(0);
        FixClientTls Pinned(string thumbprint) =>
            ClientTls(new() { ["Enabled"] = "true", ["ServerName"] = "localhost", ["CaFile"] = pki.CaFile, ["Thumbprint"] = thumbprint });
        var session = await Connect(endPoint, Pinned(oldThumbprint));
        await session.LoggedOn.WaitAsync(Wait);

        // Unchanged files: nothing read again, nothing logged.
        acceptor.CheckTlsFiles();
        Assert.Equal(oldThumbprint, tls.Certificate.GetCertHashString(HashAlgorithmName.SHA256));
        Assert.DoesNotContain(log.Lines, l => l.Contains("TLS files", StringComparison.Ordinal));

        // The renewal is written over the same files, the certificate before its key: the first check finds the old key does not
        // go with the new certificate and keeps the one in use; once the key follows, the next check takes the pair.
        var (renewed, renewedKey) = pki.IssuePem("localhost");
        var newThumbprint = ThumbprintOf(renewed);
        File.Copy(renewed, certificate, overwrite: true);
        acceptor.CheckTlsFiles();
        Assert.Equal(oldThumbprint, tls.Certificate.GetCertHashString(HashAlgorithmName.SHA256));
        Assert.Contains(log.Lines, l => l.StartsWith("Warning: ", StringComparison.Ordinal) && l.Contains("cannot be used", StringComparison.Ordinal)
            && l.Contains("Fix:Acceptor:Tls:CertificateFile", StringComparison.Ordinal));
        // The same pair at start is a problem named by its key, not a crash.
        var mismatched = new List<string>();
        Assert.Null(FixServerTls.Read(Section("Fix:Acceptor:Tls", new() { ["Enabled"] = "true", ["CertificateFile"] = certificate, ["KeyFile"] = key }),
            mismatched));
        Assert.StartsWith($"Fix:Acceptor:Tls:CertificateFile '{certificate}' and its private key do not go together (is Fix:Acceptor:Tls:KeyFile " +
                          "this certificate's key?)", Assert.Single(mismatched), StringComparison.Ordinal);
        File.Copy(renewedKey, key, overwrite: true);
        acceptor.CheckTlsFiles();
        Assert.Equal(newThumbprint, tls.Certificate.GetCertHashString(HashAlgorithmName.SHA256));
        Assert.Contains(log.Lines, l => l.StartsWith("Information: ", StringComparison.Ordinal) && l.Contains(newThumbprint, StringComparison.Ordinal));

        // A new connection gets the renewed certificate (one pinned to the old one is refused); the logged-on session goes on.
        var stale = await Assert.ThrowsAsync<FixTlsException>(() => Connect(endPoint, Pinned(oldThumbprint)));
        Assert.Contains($"no certificate of the venue's chain has the SHA-256 thumbprint {oldThumbprint}", stale.Message, StringComparison.Ordinal);
        Assert.Equal(FixSessionState.Active, session.State);
        Assert.True(await session.SendAsync("D"u8.ToArray(), ExchangeSimulatorTests.Order("T1", '1', "10", "80.00")
            .SelectMany(f => Encoding.ASCII.GetBytes($"{f.Item1}={f.Item2}\u0001")).ToArray()) > 0);
        await Until(() => { lock (received) { return received.Contains("D"); } }, "the order of the session logged on before the renewal arrives");
        await session.LogoutAsync();
        await session.Completion.WaitAsync(Wait);

        // A bad file (not a certificate) is logged and the renewed certificate stays in use: a new connection pinned to it logs on.
        File.WriteAllText(certificate, "not a certificate");
        acceptor.CheckTlsFiles();
        Assert.Equal(newThumbprint, tls.Certificate.GetCertHashString(HashAlgorithmName.SHA256));
        Assert.Equal(2, log.Lines.Count(l => l.StartsWith("Warning: ", StringComparison.Ordinal) && l.Contains("cannot be used", StringComparison.Ordinal)));
        var after = await Connect(endPoint, Pinned(newThumbprint));
        await after.LoggedOn.WaitAsync(Wait);
        await after.LogoutAsync();
        await after.Completion.WaitAsync(Wait);
    }

    private static string ThumbprintOf(string pem)
    {
        using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(pem));
        return certificate.GetCertHashString(HashAlgorithmName.SHA256);
    }

    /// <summary>The log lines written, as "Level: message".</summary>
    private sealed class ListLogger : ILogger
    {
        private readonly List<string> lines = [];

        public IReadOnlyList<string> Lines
        {
            get
            {
                lock (lines)
                {
                    return [.. lines];
                }
            }
        }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (lines)
            {
                lines.Add($"{logLevel}: {formatter(state, exception)}");
            }
        }
    }

    private static async Task RefusedAsync(IPEndPoint endPoint, FixClientTls tls)
    {
        FixSessionDriver session;
        try
        {
            session = await Connect(endPoint, tls);
        }
        catch (FixTlsException)
        {
            return;
        }

        var end = await session.Completion.WaitAsync(Wait);
        Assert.Null(end.Reason);
        Assert.False(session.LoggedOn.IsCompleted);
    }

    [Fact]
    public void The_configuration_names_a_missing_file_a_wrong_password_a_certificate_without_its_key_and_TLS_keys_without_Enabled()
    {
        var (certificate, key) = pki.IssuePem("localhost");
        var pfx = pki.IssuePkcs12("localhost", "right");
        var (expired, expiredKey) = pki.IssuePem("old", notAfter: DateTimeOffset.UtcNow.AddDays(-2));
        var missing = Path.Combine(Path.GetTempPath(), "no-such-dir-tradsys", "server.pfx");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Fix:Acceptor:Port"] = "9878", ["Fix:Acceptor:SenderCompId"] = "TRADSYS", ["Fix:Acceptor:TargetCompIds:0"] = "BROKER1",
            ["Fix:Acceptor:Clients:BROKER1:ClientId"] = "trader1", ["Fix:Acceptor:Clients:BROKER1:Accounts:0"] = "1001",
            ["Fix:Acceptor:Tls:Enabled"] = "true", ["Fix:Acceptor:Tls:CertificateFile"] = missing,
            ["Fix:Simulators:0:Venue"] = "EGX", ["Fix:Simulators:0:Port"] = "9881", ["Fix:Simulators:0:TargetCompIds:0"] = "BROKER1",
            ["Fix:Simulators:0:Tls:Enabled"] = "true", ["Fix:Simulators:0:Tls:CertificateFile"] = pfx, ["Fix:Simulators:0:Tls:Password"] = "wrong",
            ["Fix:Simulators:1:Venue"] = "ADX", ["Fix:Simulators:1:Port"] = "9882", ["Fix:Simulators:1:TargetCompIds:0"] = "BROKER1",
            ["Fix:Simulators:1:Tls:Enabled"] = "true", ["Fix:Simulators:1:Tls:CertificateFile"] = certificate,
            ["Fix:Simulators:2:Venue"] = "EGX", ["Fix:Simulators:2:Port"] = "9883", ["Fix:Simulators:2:TargetCompIds:0"] = "BROKER2",
            ["Fix:Simulators:2:Tls:Enabled"] = "yes", ["Fix:Simulators:3:Venue"] = "ADX", ["Fix:Simulators:3:Port"] = "9884",
            ["Fix:Simulators:3:TargetCompIds:0"] = "BROKER2", ["Fix:Simulators:3:Tls:CertificateFile"] = certificate,
            ["Fix:Simulators:4:Venue"] = "EGX", ["Fix:Simulators:4:Port"] = "9885", ["Fix:Simulators:4:TargetCompIds:0"] = "BROKER3",
            ["Fix:Simulators:4:Tls:Enabled"] = "true", ["Fix:Simulators:4:Tls:CertificateFile"] = expired, ["Fix:Simulators:4:Tls:KeyFile"] = expiredKey,
        }).Build();
        FixAcceptors.Read(configuration, out var problems);
        Assert.Equal(6, problems.Count);
        Assert.Equal($"Fix:Acceptor:Tls:CertificateFile: no file at '{missing}'", problems[0]);
        Assert.StartsWith($"Fix:Simulators:0:Tls:CertificateFile '{pfx}' cannot be opened with Fix:Simulators:0:Tls:Password (wrong password?): ", problems[1],
            StringComparison.Ordinal);
        Assert.Equal($"Fix:Simulators:1:Tls:CertificateFile '{certificate}' has no private key: give its key in Fix:Simulators:1:Tls:KeyFile (PEM), " +
                     "or use a PKCS#12 file", problems[2]);
        Assert.Equal("Fix:Simulators:2:Tls:Enabled must be true or false, not 'yes'", problems[3]);
        Assert.Equal("Fix:Simulators:3:Tls:Enabled is required with the other Fix:Simulators:3:Tls keys: true for TLS, false for plain TCP", problems[4]);
        Assert.StartsWith($"Fix:Simulators:4:Tls:CertificateFile '{expired}': the certificate 'CN=old' expired on ", problems[5], StringComparison.Ordinal);

        var sessions = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Fix:Sessions:0:Name"] = "egx", ["Fix:Sessions:0:Host"] = "127.0.0.1", ["Fix:Sessions:0:Port"] = "9881",
            ["Fix:Sessions:0:SenderCompId"] = "BROKER1", ["Fix:Sessions:0:TargetCompId"] = "EGX",
            ["Fix:Sessions:0:Tls:Enabled"] = "true", ["Fix:Sessions:0:Tls:CaFile"] = key, ["Fix:Sessions:0:Tls:Thumbprint"] = "AB:CD",
            ["Fix:Sessions:0:Tls:KeyFile"] = key,
            ["Fix:Sessions:1:Name"] = "adx", ["Fix:Sessions:1:Host"] = "127.0.0.1", ["Fix:Sessions:1:Port"] = "9882",
            ["Fix:Sessions:1:SenderCompId"] = "BROKER1", ["Fix:Sessions:1:TargetCompId"] = "ADX",
            ["Fix:Sessions:1:Tls:Enabled"] = "true", ["Fix:Sessions:1:Tls:CertificateFile"] = certificate, ["Fix:Sessions:1:Tls:KeyFile"] = pki.CaFile,
        }).Build();
        Assert.Empty(FixSessionConfig.Read(sessions, out var sessionProblems));
        Assert.Equal(
        [
            $"Fix:Sessions:0:Tls:CaFile: '{key}' holds no PEM certificate (-----BEGIN CERTIFICATE-----)",
            "Fix:Sessions:0:Tls:Thumbprint must be a certificate's SHA-256 thumbprint (64 hex digits, colons allowed), not 'AB:CD'",
            "Fix:Sessions:0:Tls:KeyFile and Fix:Sessions:0:Tls:Password need Fix:Sessions:0:Tls:CertificateFile",
            $"Fix:Sessions:1:Tls:KeyFile '{pki.CaFile}' holds no PEM private key",
        ], sessionProblems);
        var refused = Assert.Throws<InvalidOperationException>(() => FixSessionConfig.ReadValid(sessions));
        Assert.Contains("Fix:Sessions:0:Tls:CaFile", refused.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// The platform as configured by an operator: the client acceptor over TLS (a client trades through it), an EGX simulator over
    /// TLS and two venue sessions to it, one trusting the simulator's CA (logged on) and one trusting another CA (not connected, the
    /// handshake's reason in the health report, retrying; the node runs on).
    /// </summary>
    [Fact]
    public async Task Over_TLS_a_client_trades_through_the_acceptor_and_a_venue_session_logs_on_while_an_untrusted_one_reports_why()
    {
        var pfx = pki.IssuePkcs12("localhost", "pw");
        using var other = new TestCertificates("Someone Else's CA");
        int port = FreePort(), venuePort = FreePort();
        string acceptorPort = port.ToString(CultureInfo.InvariantCulture), venue = venuePort.ToString(CultureInfo.InvariantCulture);
        await using var platform = new PlatformFactory
        {
            Settings = new()
            {
                ["Fix:Acceptor:Port"] = acceptorPort, ["Fix:Acceptor:SenderCompId"] = "TRADSYS", ["Fix:Acceptor:TargetCompIds:0"] = "BROKER1",
                ["Fix:Acceptor:Clients:BROKER1:ClientId"] = "trader1", ["Fix:Acceptor:Clients:BROKER1:Accounts:0"] = "1001",
                ["Fix:Acceptor:Tls:Enabled"] = "true", ["Fix:Acceptor:Tls:CertificateFile"] = pfx, ["Fix:Acceptor:Tls:Password"] = "pw",
                ["Fix:Simulators:0:Venue"] = "EGX", ["Fix:Simulators:0:Port"] = venue, ["Fix:Simulators:0:TargetCompIds:0"] = "ROUTER",
                ["Fix:Simulators:0:TargetCompIds:1"] = "ROUTER2",
                ["Fix:Simulators:0:Tls:Enabled"] = "true", ["Fix:Simulators:0:Tls:CertificateFile"] = pfx, ["Fix:Simulators:0:Tls:Password"] = "pw",
                ["Fix:Sessions:0:Name"] = "egx", ["Fix:Sessions:0:Host"] = "127.0.0.1", ["Fix:Sessions:0:Port"] = venue,
                ["Fix:Sessions:0:SenderCompId"] = "ROUTER", ["Fix:Sessions:0:TargetCompId"] = "EGX", ["Fix:Sessions:0:ResetOnLogon"] = "true",
                ["Fix:Sessions:0:Tls:Enabled"] = "true", ["Fix:Sessions:0:Tls:ServerName"] = "localhost", ["Fix:Sessions:0:Tls:CaFile"] = pki.CaFile,
                ["Fix:Sessions:1:Name"] = "egx-untrusted", ["Fix:Sessions:1:Host"] = "127.0.0.1", ["Fix:Sessions:1:Port"] = venue,
                ["Fix:Sessions:1:SenderCompId"] = "ROUTER2", ["Fix:Sessions:1:TargetCompId"] = "EGX", ["Fix:Sessions:1:ResetOnLogon"] = "true",
                ["Fix:Sessions:1:Tls:Enabled"] = "true", ["Fix:Sessions:1:Tls:CaFile"] = other.CaFile,
            },
        };
        var sessions = platform.Services.GetRequiredService<FixSessions>();
        await Until(() => sessions.StateOf("egx") == FixSessionState.Active, "the egx session logs on over TLS");
        await Until(() => sessions.Statuses.Single(s => s.Name == "egx-untrusted").LastProblem?.Contains("is not trusted", StringComparison.Ordinal) == true,
            "the untrusted session reports its handshake's failure");
        var untrusted = sessions.Statuses.Single(s => s.Name == "egx-untrusted");
        Assert.Equal((FixSessionState.Disconnected, 0, $"127.0.0.1:{venue} (TLS)"), (untrusted.State, untrusted.Connects, untrusted.Endpoint));
        Assert.StartsWith("TLS handshake with 127.0.0.1 failed: the venue's certificate 'CN=localhost' is not trusted", untrusted.LastProblem, StringComparison.Ordinal);
        Assert.Contains("reconnecting in", untrusted.LastProblem, StringComparison.Ordinal);
        var simulator = Assert.Single(platform.Services.GetRequiredService<FixAcceptors>().Simulators);
        Assert.True(simulator.Acceptor.IsTls);
        await Until(() => simulator.Acceptor.Refused >= 1, "the simulator counts the connection whose client refused its certificate");

        // The client's OMS over TLS: a buy, New, then Filled when trader2 sells over REST.
        var problems = new List<string>();
        var tls = FixClientTls.Read(Section("Oms:Tls", new() { ["Enabled"] = "true", ["ServerName"] = "localhost", ["CaFile"] = pki.CaFile }), "localhost",
            problems);
        var received = new System.Collections.Concurrent.ConcurrentQueue<(string MsgType, string ExecType, string OrdStatus)>();
        var client = await FixInitiator.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), Theirs, new InMemoryFixSessionStore(), m =>
                received.Enqueue((Encoding.ASCII.GetString(m.MsgType), m.TryGetSpan(150, out var e) ? Encoding.ASCII.GetString(e) : "",
                    m.TryGetSpan(39, out var s) ? Encoding.ASCII.GetString(s) : "")),
            TimeProvider.System, NullLogger.Instance, CancellationToken.None, tls: tls);
        await client.LoggedOn.WaitAsync(Wait);
        var now = DateTime.UtcNow.ToString("yyyyMMdd-HH:mm:ss.fff", CultureInfo.InvariantCulture);
        Assert.True(await client.SendAsync("D"u8.ToArray(), Encoding.ASCII.GetBytes(
            $"11=TLS1\u00011=1001\u000155=COMI.INT\u000154=1\u000160={now}\u000138=100\u000140=2\u000144=79.00\u0001")) > 0);
        await Until(() => received.Contains(("8", "0", "0")), "the order's New over TLS");
        var trader2 = await platform.ClientForAsync("trader2");
        (await trader2.SubmitAsync(2001, "COMI.INT", "Sell", 79.00m, 100)).Expect(HttpStatusCode.Created);
        await Until(() => received.Contains(("8", "F", "2")), "the fill over TLS");
        await client.LogoutAsync();
        Assert.Equal(FixDisconnectReason.Logout, (await client.Completion.WaitAsync(Wait)).Reason);
    }

    private static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    /// <summary>A Logon from <paramref name="sender"/> with sequence number 1 (also <see cref="FixCertificateBindingTests"/>).</summary>
    internal static byte[] Logon(string sender, string target)
    {
        var buffer = new byte[512];
        var w = new FixWriter(buffer, "FIX.4.4"u8, "A"u8);
        w.Add(FixTag.SenderCompId, sender);
        w.Add(FixTag.TargetCompId, target);
        w.Add(FixTag.MsgSeqNum, 1);
        w.AddUtcTimestamp(FixTag.SendingTime, DateTime.UtcNow);
        w.Add(FixTag.EncryptMethod, 0);
        w.Add(FixTag.HeartBtInt, 30);
        return buffer.AsSpan(0, w.Finish()).ToArray();
    }
}
