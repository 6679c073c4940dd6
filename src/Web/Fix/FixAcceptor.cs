using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using TradSys.Engine.Fix;

namespace TradSys.Web.Fix;

/// <summary>An application message received by an acceptor session, handed over under that session's gate (valid only during the call).</summary>
/// <param name="session">The session it came on: answer with <see cref="FixSessionDriver.Reply(ReadOnlySpan{byte}, ReadOnlySpan{byte})"/>.</param>
/// <param name="settings">That session's settings (its <see cref="FixSessionSettings.TargetCompId"/> is the peer).</param>
/// <param name="message">The message.</param>
internal delegate void FixAcceptedMessage(FixSessionDriver session, FixSessionSettings settings, FixMessage message);

/// <summary>
/// A FIX acceptor: listens on 127.0.0.1 and runs each configured session (<see cref="FixSessionRole.Acceptor"/>) over the
/// connection that logs on to it. The first message of a connection must be a Logon whose SenderCompID and TargetCompID are a
/// configured session's (the peer's and ours), and that session must not be logged on over another connection; otherwise the
/// connection is closed without an answer and the refusal is logged with the peer's address. A Logon over TLS whose SenderCompID
/// is bound to another client certificate (<see cref="FixCertificateBinding"/>) is answered with a Logout saying so, then refused
/// alike. From the Logon on, the session is the
/// engine's <see cref="FixSession"/> run by a <see cref="FixSessionDriver"/> (logon response, heartbeats, test requests,
/// resends) with its numbers in the store <c>openStore</c> gives (opened once per session, kept for the acceptor's life).
/// </summary>
internal sealed class FixAcceptor : IAsyncDisposable
{
    private readonly IReadOnlyList<FixSessionSettings> sessions;
    private readonly Func<FixSessionSettings, IFixSessionStore> openStore;
    private readonly FixAcceptedMessage application;
    private readonly TimeProvider time;
    private readonly ILogger log;
    private readonly FixSessionTracker? tracker;
    private readonly FixServerTls? tls;
    private readonly IReadOnlyDictionary<string, FixCertificateBinding> certificates;
    private readonly Dictionary<FixSessionSettings, IFixSessionStore> stores = [];
    private readonly Dictionary<FixSessionSettings, FixSessionDriver?> live = [];
    private readonly Lock gate = new();
    private readonly CancellationTokenSource stopping = new();
    private TcpListener? listener;
    private ITimer? tlsFilesCheck;
    private Task accepting = Task.CompletedTask;
    private int refused;

    /// <summary>Creates the acceptor; <see cref="Start"/> listens.</summary>
    /// <param name="sessions">The sessions it takes, each with <see cref="FixSessionRole.Acceptor"/>; comp id pairs unique.</param>
    /// <param name="openStore">Opens a session's store when it first logs on.</param>
    /// <param name="application">Receives the sessions' application messages.</param>
    /// <param name="time">The clock.</param>
    /// <param name="log">The log.</param>
    /// <param name="tracker">Where the node counts its sessions for the metrics (none: not counted).</param>
    /// <param name="tls">TLS for every connection (null: plain TCP); a connection whose handshake fails is refused.</param>
    /// <param name="certificates">
    /// The client certificate bound to a peer comp id (by comp id; none: any certificate <paramref name="tls"/> accepts); a Logon over a
    /// connection whose certificate does not match its SenderCompID's binding is answered with a Logout and refused.
    /// </param>
    public FixAcceptor(IReadOnlyList<FixSessionSettings> sessions, Func<FixSessionSettings, IFixSessionStore> openStore, FixAcceptedMessage application,
        TimeProvider time, ILogger log, FixSessionTracker? tracker = null, FixServerTls? tls = null,
        IReadOnlyDictionary<string, FixCertificateBinding>? certificates = null)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        foreach (var s in sessions)
        {
            if (s.Role != FixSessionRole.Acceptor)
            {
                throw new ArgumentException($"The session {s.SenderCompId}->{s.TargetCompId} is not an acceptor's.", nameof(sessions));
            }
        }

        if (sessions.Select(s => (s.SenderCompId, s.TargetCompId)).Distinct().Count() != sessions.Count)
        {
            throw new ArgumentException("Two acceptor sessions have the same comp ids.", nameof(sessions));
        }

        this.certificates = certificates ?? new Dictionary<string, FixCertificateBinding>();
        if (this.certificates.Count > 0 && tls is not { RequireClientCertificate: true })
        {
            throw new ArgumentException("A client certificate binding needs TLS with RequireClientCertificate.", nameof(certificates));
        }

        (this.sessions, this.openStore, this.application, this.time, this.log, this.tracker, this.tls) = (sessions, openStore, application, time, log, tracker, tls);
        foreach (var s in sessions)
        {
            live[s] = null;
        }
    }

    /// <summary>Where it listens (after <see cref="Start"/>).</summary>
    public IPEndPoint? EndPoint { get; private set; }

    /// <summary>Whether connections must speak TLS.</summary>
    public bool IsTls => tls is not null;

    /// <summary>
    /// How many connections were refused (a failed TLS handshake, unknown comp ids, a client certificate not the one bound to the
    /// Logon's SenderCompID, a first message not a Logon, a session already logged on).
    /// </summary>
    public int Refused => Volatile.Read(ref refused);

    /// <summary>Listens on 127.0.0.1 and starts accepting.</summary>
    /// <param name="port">The port; 0 for any free one (tests).</param>
    /// <returns>Where it listens.</returns>
    public IPEndPoint Start(int port)
    {
        listener = new TcpListener(IPAddress.Loopback, port);
        try
        {
            listener.Start();
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            throw new InvalidOperationException(
                $"the FIX acceptor for {string.Join(", ", sessions.Select(s => s.SenderCompId))} cannot listen on 127.0.0.1:{port}: " +
                "another process (a second platform, the QuickFIX executor) already uses the port; stop it or configure another port " +
                "(Fix:Acceptor:Port, Fix:Simulators:N:Port, Fix:EmbeddedVenues:EgxPort / AdxPort)", ex);
        }
        EndPoint = (IPEndPoint)listener.LocalEndpoint;
        accepting = AcceptLoop(listener);
        if (tls is not null)
        {
            tlsFilesCheck = time.CreateTimer(_ => CheckTlsFiles(), null, TlsFilesCheckInterval, TlsFilesCheckInterval);
        }
        log.LogInformation("FIX acceptor listening on {EndPoint}{Tls} for {Count} session(s): {Sessions}", EndPoint,
            tls is null ? "" : $" over TLS ({tls.Certificate.Subject}{(tls.RequireClientCertificate ? ", client certificate required" : "")})", sessions.Count,
            string.Join(", ", sessions.Select(s => s.SenderCompId + "<-" + s.TargetCompId)));
        return EndPoint;
    }

    /// <summary>How often the TLS files are checked for a renewal (<see cref="CheckTlsFiles"/>).</summary>
    internal static readonly TimeSpan TlsFilesCheckInterval = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Reads the TLS certificate, key and client CA files again if they changed (<see cref="FixServerTls.TryRenew"/>): new connections
    /// use the renewed certificate, logged-on sessions keep their connection. Files that cannot be used are logged as a warning and the
    /// certificate in use is kept. Runs every <see cref="TlsFilesCheckInterval"/>; never throws (it runs on a timer).
    /// </summary>
    internal void CheckTlsFiles()
    {
        if (tls is null)
        {
            return;
        }

        try
        {
            if (tls.TryRenew(out var problem))
            {
                var renewed = tls.Certificate;
                log.LogInformation("FIX acceptor on {EndPoint}: TLS files renewed ({Key}): new connections use '{Subject}' (SHA-256 {Thumbprint}, " +
                    "valid until {NotAfter:yyyy-MM-dd HH:mm} UTC); logged-on sessions keep their connection", EndPoint, tls.Key, renewed.Subject,
                    renewed.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256), renewed.NotAfter.ToUniversalTime());
            }
            else if (problem is not null)
            {
                log.LogWarning("FIX acceptor on {EndPoint}: the changed TLS files cannot be used, the certificate in use ('{Subject}') is kept: {Problem}",
                    EndPoint, tls.Certificate.Subject, problem);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            log.LogWarning(ex, "FIX acceptor on {EndPoint}: checking the TLS files for a renewal failed; the certificate in use is kept", EndPoint);
        }
    }

    /// <summary>
    /// Called with the peer's comp id each time one of its sessions has logged on (set before <see cref="Start"/>); it must not block.
    /// </summary>
    public Action<string>? PeerLoggedOn { get; set; }

    /// <summary>The session whose peer is <paramref name="peerCompId"/> while it has a connection, else null.</summary>
    public FixSessionDriver? Live(string peerCompId)
    {
        lock (gate)
        {
            foreach (var (settings, driver) in live)
            {
                if (driver is not null && string.Equals(settings.TargetCompId, peerCompId, StringComparison.Ordinal))
                {
                    return driver;
                }
            }

            return null;
        }
    }

    /// <summary>The sessions' settings and their current connection (null: none).</summary>
    public IReadOnlyList<(FixSessionSettings Settings, FixSessionDriver? Driver)> Sessions
    {
        get
        {
            lock (gate)
            {
                return [.. sessions.Select(s => (s, live[s]))];
            }
        }
    }

    private int disposed;

    /// <summary>Stops listening, logs out every logged-on session (waiting up to 5 s for the answers) and closes the stores; once.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }
        await stopping.CancelAsync();
        if (tlsFilesCheck is not null)
        {
            await tlsFilesCheck.DisposeAsync();
        }

        listener?.Stop();
        await accepting;
        var running = Sessions.Where(s => s.Driver is not null).Select(s => s.Driver!).ToList();
        foreach (var driver in running.Where(d => d.State == FixSessionState.Active))
        {
            await driver.LogoutAsync("the acceptor is shutting down");
        }

        await Task.WhenAny(Task.WhenAll(running.Select(d => (Task)d.Completion)), Task.Delay(TimeSpan.FromSeconds(5), CancellationToken.None));
        lock (gate)
        {
            foreach (var store in stores.Values.OfType<IDisposable>())
            {
                store.Dispose();
            }

            stores.Clear();
        }

        stopping.Dispose();
    }

    private async Task AcceptLoop(TcpListener listening)
    {
        while (!stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listening.AcceptSocketAsync(stopping.Token);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (ObjectDisposedException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException ex)
            {
                // One failed accept (the peer reset before we took it) does not stop the listener.
                log.LogWarning(ex, "FIX acceptor on {EndPoint}: accepting a connection failed", EndPoint);
                continue;
            }

            _ = ServeAsync(socket);
        }
    }

    /// <summary>Reads the connection's first message, finds its session and runs it; refuses anything else. Logs every failure.</summary>
    private async Task ServeAsync(Socket socket)
    {
        var peer = socket.RemoteEndPoint?.ToString() ?? "an unknown peer";
        // The TLS handshake and the Logon share the logon timeout: a peer that connects and says nothing holds no slot for long.
        var logonWait = sessions.Count == 0 ? TimeSpan.FromSeconds(10) : sessions.Max(s => s.LogonTimeout);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping.Token);
        timeout.CancelAfter(logonWait);
        FixSocketConnection connection;
        try
        {
            connection = await FixSocketConnection.AcceptedAsync(socket, tls, timeout.Token);
        }
        catch (FixTlsException ex)
        {
            // Also a plain-text client: its Logon is not a TLS record, and the connection closes without an answer.
            CountRefusal(peer, ex.Message);
            return;
        }
        catch (OperationCanceledException)
        {
            CountRefusal(peer, stopping.IsCancellationRequested ? "the acceptor is shutting down" : $"no TLS handshake within {logonWait.TotalSeconds:0} s");
            return;
        }
        catch (Exception ex) when (ex is SocketException or IOException)
        {
            log.LogWarning(ex, "FIX acceptor: the connection from {Peer} failed", peer);
            return;
        }

        FixSessionSettings? claimed = null;
        try
        {
            byte[]? first;
            try
            {
                first = await connection.ReadFirstFrameAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Refuse(connection, peer, stopping.IsCancellationRequested ? "the acceptor is shutting down" : $"no message within {logonWait.TotalSeconds:0} s");
                return;
            }
            catch (Exception ex) when (connection.IsTls && ex is IOException or System.Security.Authentication.AuthenticationException)
            {
                // As below: a client refusing our certificate with an alert after our side of a TLS 1.3 handshake is seen at the first read.
                Refuse(connection, peer, "the TLS connection failed before a Logon (did the client refuse our certificate?): " + ex.GetBaseException().Message);
                return;
            }

            if (first is null && connection.IsTls)
            {
                // With TLS 1.3 our side of the handshake is done before the client has checked our certificate; a client that
                // refuses it closes the connection here, often without an alert. Counted as a failed connection, like a bad handshake.
                Refuse(connection, peer, "the client closed the TLS connection before sending a Logon (did it refuse our certificate?)");
                return;
            }

            if (first is null)
            {
                connection.Close();
                log.LogInformation("FIX acceptor: {Peer} closed the connection before sending a Logon", peer);
                return;
            }

            if (first.Length == 0)
            {
                Refuse(connection, peer, "the first message was garbled (its BodyLength or CheckSum is wrong, or it is not FIX)");
                return;
            }

            var logon = new FixMessage();
            if (!logon.Parse(first))
            {
                Refuse(connection, peer, "the first message could not be parsed");
                return;
            }

            var msgType = Encoding.ASCII.GetString(logon.MsgType);
            if (msgType != "A")
            {
                Refuse(connection, peer, $"the first message was MsgType {msgType}, not a Logon");
                return;
            }

            var sender = logon.TryGetSpan(FixTag.SenderCompId, out var s) ? Encoding.ASCII.GetString(s) : "";
            var target = logon.TryGetSpan(FixTag.TargetCompId, out var t) ? Encoding.ASCII.GetString(t) : "";
            var settings = sessions.FirstOrDefault(c => c.TargetCompId == sender && c.SenderCompId == target);
            if (settings is null)
            {
                Refuse(connection, peer, $"no session is configured for SenderCompID '{sender}' and TargetCompID '{target}'");
                return;
            }

            if (certificates.TryGetValue(sender, out var binding) && binding.Mismatch(connection.RemoteCertificate) is { } mismatch)
            {
                // Before the session is claimed: the session (logged on over another connection or not) and its numbers are untouched.
                await RefuseWithLogoutAsync(connection, settings, peer,
                    $"Logon refused: the client certificate is not the one bound to SenderCompID {sender}",
                    $"a Logon as SenderCompID '{sender}': {mismatch}");
                return;
            }

            await ReleasedAsync(settings, stopping.Token);
            IFixSessionStore store;
            lock (gate)
            {
                if (live[settings] is not null)
                {
                    settings = null;
                    store = null!;
                }
                else
                {
                    if (!stores.TryGetValue(settings, out store!))
                    {
                        store = openStore(settings);
                        stores[settings] = store;
                    }

                    claimed = settings;
                }
            }

            if (claimed is null)
            {
                Refuse(connection, peer, $"the session {target}<-{sender} is already logged on over another connection");
                return;
            }

            FixSessionDriver? driver = null;
            driver = new FixSessionDriver(connection, claimed, store, m => application(driver!, claimed, m), time, log);
            lock (gate)
            {
                live[claimed] = driver;
            }

            tracker?.Track(driver);
            log.LogInformation("FIX acceptor: {Peer} logs on as {Session} (expecting MsgSeqNum {Expected})", peer,
                claimed.SenderCompId + "<-" + claimed.TargetCompId, store.NextTargetMsgSeqNum.ToString(CultureInfo.InvariantCulture));
            await driver.StartAccepted(first);
            if (PeerLoggedOn is { } loggedOn && await Task.WhenAny(driver.LoggedOn, driver.Completion) == driver.LoggedOn && driver.LoggedOn.IsCompletedSuccessfully)
            {
                loggedOn(claimed.TargetCompId);
            }

            FixConnectionEnd end;
            try
            {
                end = await driver.Completion;
            }
            catch (Exception ex)
            {
                // The driver logged its loop's failure as an error; the session is free for a new connection.
                end = new FixConnectionEnd(null, "the session failed: " + ex.GetBaseException().Message);
            }

            log.LogInformation("FIX acceptor: session {Session} from {Peer} ended: {Text}", claimed.SenderCompId + "<-" + claimed.TargetCompId, peer, end.Text);
        }
        catch (Exception ex) when (ex is SocketException or IOException or System.Data.Common.DbException)
        {
            connection.Close();
            log.LogWarning(ex, "FIX acceptor: the connection from {Peer} failed", peer);
        }
        finally
        {
            if (claimed is not null)
            {
                lock (gate)
                {
                    live[claimed] = null;
                }
            }
        }
    }

    /// <summary>
    /// A client that logs on again straight after its logout can arrive while the ending session's connection is still closing
    /// here: wait up to <see cref="ReconnectGrace"/> for that session to end and free its slot, rather than refusing the new
    /// connection as a second one. A session that is really still logged on holds its slot, and the new connection is refused after it.
    /// </summary>
    private async Task ReleasedAsync(FixSessionSettings settings, CancellationToken cancellationToken)
    {
        FixSessionDriver? previous;
        lock (gate)
        {
            previous = live[settings];
        }
        if (previous is null)
        {
            return;
        }
        var until = Environment.TickCount64 + (long)ReconnectGrace.TotalMilliseconds;
        await Task.WhenAny(previous.Completion, Task.Delay(ReconnectGrace, cancellationToken)).ConfigureAwait(false);
        while (Environment.TickCount64 < until && !cancellationToken.IsCancellationRequested)
        {
            lock (gate)
            {
                if (!ReferenceEquals(live[settings], previous))
                {
                    return;
                }
            }
            await Task.Delay(10, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>How long a new logon waits for the same session's ending connection to free its slot.</summary>
    private static readonly TimeSpan ReconnectGrace = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Answers a Logon it refuses with a Logout carrying <paramref name="text"/> (what the client may know; <paramref name="why"/>, the
    /// detail, goes to the log), then closes and counts the connection like any refusal. The Logout is outside the session: MsgSeqNum
    /// 1 and nothing stored, so a refusal moves none of the session's numbers (a peer takes a Logout answering its Logon whatever
    /// its number, as QuickFIX does).
    /// </summary>
    private async Task RefuseWithLogoutAsync(FixSocketConnection connection, FixSessionSettings settings, string peer, string text, string why)
    {
        try
        {
            connection.Write(Logout(settings, time.GetUtcNow().UtcDateTime, text));
            await connection.FlushAsync();
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException)
        {
            why += " (the Logout could not be sent: " + ex.GetBaseException().Message + ")";
        }

        Refuse(connection, peer, why);
    }

    private static byte[] Logout(FixSessionSettings settings, DateTime now, string text)
    {
        var buffer = new byte[256 + settings.BeginString.Length + settings.SenderCompId.Length + settings.TargetCompId.Length + text.Length];
        var w = new FixWriter(buffer, Encoding.ASCII.GetBytes(settings.BeginString), "5"u8);
        w.Add(FixTag.MsgSeqNum, 1);
        w.Add(FixTag.SenderCompId, settings.SenderCompId);
        w.AddUtcTimestamp(FixTag.SendingTime, now);
        w.Add(FixTag.TargetCompId, settings.TargetCompId);
        w.Add(FixTag.Text, text);
        return buffer[..w.Finish()];
    }

    private void Refuse(FixSocketConnection connection, string peer, string why)
    {
        // Counted before the close: a peer that sees the connection end finds the refusal already counted.
        CountRefusal(peer, why);
        connection.Close();
    }

    private void CountRefusal(string peer, string why)
    {
        Interlocked.Increment(ref refused);
        log.LogWarning("FIX acceptor on {EndPoint}: refused the connection from {Peer}: {Why}", EndPoint, peer, why);
    }
}
