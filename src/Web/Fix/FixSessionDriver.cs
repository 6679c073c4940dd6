using System.Net.Sockets;
using TradSys.Engine.Fix;

namespace TradSys.Web.Fix;

/// <summary>How a FIX connection ended.</summary>
/// <param name="Reason">Why the session closed it, or null when the connection dropped (the peer closed it, a socket error).</param>
/// <param name="Text">A sentence for the log.</param>
internal sealed record FixConnectionEnd(FixDisconnectReason? Reason, string Text);

/// <summary>
/// Runs one <see cref="FixSession"/> over one <see cref="FixSocketConnection"/>: received messages and a timer tick (once a
/// second, from the <see cref="TimeProvider"/>) go into the session, what it sends is written and flushed, a disconnect it
/// asks for closes the connection. Every call into the session holds one gate, so the session sees one event at a time.
/// Application messages are handed to the delegate given, under the gate (the message is valid only during the call).
/// Socket errors are logged and close the connection; <see cref="Completion"/> says how it ended.
/// </summary>
/// <remarks>
/// Stored before sent: after each event (all the messages of one socket read are one event; sends the caller says more follow
/// are grouped with the next, see <see cref="SendAsync"/>) the store's held changes are committed
/// (<see cref="IFixSessionStore.Commit"/>: the messages sent and the numbers, one transaction) and only then is what the
/// event wrote flushed to the socket. A failed commit throws out of the event before the flush; the messages stay in the
/// store's group and the connection's buffer, and no later flush happens without a commit that includes them.
/// </remarks>
internal sealed class FixSessionDriver : IFixSessionOutput
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    private readonly FixSocketConnection connection;
    private readonly Action<FixMessage> application;
    private readonly TimeProvider time;
    private readonly ILogger log;
    private readonly FixSession session;
    private readonly IFixSessionStore store;
    private readonly string name;
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly TaskCompletionSource loggedOn = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<FixConnectionEnd> completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private FixConnectionEnd? requestedClose;
    private DateTime eventTime;
    private int held;

    /// <summary>The most messages <see cref="SendAsync"/> holds back before it commits and flushes them anyway.</summary>
    public const int MaxHeld = 128;

    /// <summary>Creates the driver; <see cref="Start"/> begins the session.</summary>
    /// <param name="connection">The connected socket.</param>
    /// <param name="settings">The session's configuration.</param>
    /// <param name="store">Its sequence numbers and sent messages.</param>
    /// <param name="application">Receives application messages in sequence.</param>
    /// <param name="time">The clock.</param>
    /// <param name="log">The log.</param>
    public FixSessionDriver(FixSocketConnection connection, FixSessionSettings settings, IFixSessionStore store, Action<FixMessage> application,
        TimeProvider time, ILogger log)
    {
        this.connection = connection;
        this.application = application;
        this.time = time;
        this.log = log;
        name = settings.SenderCompId + "->" + settings.TargetCompId;
        this.store = store;
        session = new FixSession(settings, store, this);
    }

    /// <summary>Completes when the session is logged on (never, if the connection ends first).</summary>
    public Task LoggedOn => loggedOn.Task;

    /// <summary>Completes when the connection has ended, saying how.</summary>
    public Task<FixConnectionEnd> Completion => completion.Task;

    /// <summary>Where the session is (read without the gate: for the log and tests).</summary>
    public FixSessionState State => session.State;

    /// <summary>Tells the session it is connected (an initiator sends its Logon), then reads and ticks until the end.</summary>
    /// <returns>Completes once the session has been told.</returns>
    public async Task Start()
    {
        await Under(now => session.OnConnected(now));
        _ = Watch(ReadLoop(), "reading");
        _ = Watch(TimerLoop(), "its timer");
    }

    /// <summary>
    /// An acceptor's start: tells the session it is connected and hands it the first message, already read to find the session
    /// (<see cref="FixSocketConnection.ReadFirstFrameAsync"/>), then reads and ticks until the end.
    /// </summary>
    /// <param name="firstMessage">The peer's first message (its Logon).</param>
    /// <returns>Completes once the session has handled it.</returns>
    public async Task StartAccepted(ReadOnlyMemory<byte> firstMessage)
    {
        await Under(now =>
        {
            session.OnConnected(now);
            session.OnReceived(firstMessage.Span, now);
        });
        _ = Watch(ReadLoop(), "reading");
        _ = Watch(TimerLoop(), "its timer");
    }

    /// <summary>
    /// Sends an application message from inside the application delegate (which runs under the gate, so
    /// <see cref="SendAsync"/> would wait for itself): an answer to the message being delivered, written with that event's flush.
    /// </summary>
    /// <param name="msgType">The MsgType.</param>
    /// <param name="body">The body fields, encoded.</param>
    /// <returns>Its MsgSeqNum, or 0 when the session is not logged on.</returns>
    public int Reply(ReadOnlySpan<byte> msgType, ReadOnlySpan<byte> body) => session.Send(msgType, body, eventTime);

    /// <summary>As <see cref="Reply(ReadOnlySpan{byte}, ReadOnlySpan{byte})"/>, with header fields of the message's own.</summary>
    /// <param name="msgType">The MsgType.</param>
    /// <param name="header">Extra header fields, encoded, in tag order (<see cref="FixSession.Send(ReadOnlySpan{byte}, ReadOnlySpan{byte}, ReadOnlySpan{byte}, DateTime)"/>).</param>
    /// <param name="body">The body fields, encoded.</param>
    /// <returns>Its MsgSeqNum, or 0 when the session is not logged on.</returns>
    public int Reply(ReadOnlySpan<byte> msgType, ReadOnlySpan<byte> header, ReadOnlySpan<byte> body) => session.Send(msgType, header, body, eventTime);

    /// <summary>The session's next outgoing and next expected MsgSeqNum (read without the gate: for the log and tests).</summary>
    public (int NextSender, int NextTarget) SequenceNumbers => (session.NextSenderMsgSeqNum, session.NextTargetMsgSeqNum);

    /// <summary>Sends an application message if logged on.</summary>
    /// <param name="msgType">The MsgType.</param>
    /// <param name="body">The body fields, encoded.</param>
    /// <param name="moreFollow">
    /// True when the caller has more to send at once (the order entry's next reports): the message takes its number and is
    /// written to the connection's buffer, but its commit and flush wait for the next event or <see cref="FlushAsync"/>, so a
    /// group of messages costs one transaction and one write (at most <see cref="MaxHeld"/> are held). Until then it is
    /// neither durable nor on the wire; the caller must not record it as delivered anywhere else before <see cref="FlushAsync"/>.
    /// </param>
    /// <returns>Its MsgSeqNum, or 0 when the session is not logged on.</returns>
    public async Task<int> SendAsync(ReadOnlyMemory<byte> msgType, ReadOnlyMemory<byte> body, bool moreFollow = false)
    {
        int seq = 0;
        await Under(now => seq = session.Send(msgType.Span, body.Span, now), moreFollow);
        return seq;
    }

    /// <summary>Commits and writes what <see cref="SendAsync"/> held back (nothing to do when nothing is).</summary>
    /// <returns>
    /// True once the store's changes are committed and the messages are with the socket; false when the connection had closed
    /// (then nothing was done here: the held changes are committed by the session's next event, on its next connection).
    /// </returns>
    public async Task<bool> FlushAsync()
    {
        bool ran = false;
        await Under(_ => ran = true);
        return ran;
    }

    /// <summary>Starts a logout: the connection closes when the peer answers (or after the session's logout timeout).</summary>
    /// <param name="text">Text for the peer, if any.</param>
    /// <returns>Completes once the Logout is written.</returns>
    public Task LogoutAsync(string? text = null) => Under(now => session.Logout(now, text));

    /// <inheritdoc/>
    void IFixSessionOutput.Send(ReadOnlySpan<byte> message) => connection.Write(message);

    /// <inheritdoc/>
    void IFixSessionOutput.Deliver(FixMessage message) => application(message);

    /// <inheritdoc/>
    void IFixSessionOutput.Disconnect(FixDisconnectReason reason, string text) => requestedClose ??= new FixConnectionEnd(reason, text);

    private async Task ReadLoop()
    {
        try
        {
            await connection.ReadFramesAsync(frames => new ValueTask(Under(now =>
            {
                foreach (var frame in frames)
                {
                    session.OnReceived(frame.Span, now);
                }
            })));
            await Dropped("the peer closed the connection");
        }
        catch (Exception ex) when (ex is SocketException or IOException)
        {
            log.LogWarning(ex, "FIX session {Session}: reading failed; closing the connection", name);
            await Dropped("socket error while reading: " + ex.Message);
        }
    }

    /// <summary>
    /// A loop that fails with anything but a socket error (those are handled where they occur) is a bug: it is logged, the
    /// connection is closed and <see cref="Completion"/> fails with it, so nobody waits on a session that is no longer run.
    /// </summary>
    private async Task Watch(Task loop, string what)
    {
        try
        {
            await loop;
        }
        catch (Exception ex)
        {
            log.LogError(ex, "FIX session {Session}: {What} failed; closing the connection", name, what);
            connection.Close();
            completion.TrySetException(ex);
        }
    }

    private async Task TimerLoop()
    {
        using var timer = new PeriodicTimer(Tick, time);
        while (!connection.IsClosed && await timer.WaitForNextTickAsync())
        {
            await Under(now => session.OnTimer(now));
        }
    }

    private Task Dropped(string text) => Under(_ => requestedClose ??= new FixConnectionEnd(null, text));

    /// <summary>
    /// Runs one session event under the gate, then commits the store and writes what it sent (unless <paramref name="hold"/>
    /// and fewer than <see cref="MaxHeld"/> are held) and closes the connection if asked.
    /// </summary>
    private async Task Under(Action<DateTime> sessionEvent, bool hold = false)
    {
        await gate.WaitAsync();
        try
        {
            if (connection.IsClosed)
            {
                return;
            }

            eventTime = time.GetUtcNow().UtcDateTime;
            sessionEvent(eventTime);
            if (session.State == FixSessionState.Active)
            {
                loggedOn.TrySetResult();
            }

            if (hold && requestedClose is null && ++held < MaxHeld)
            {
                return;
            }

            held = 0;
            // Stored before sent: a message reaches the wire only once it is kept for a resend.
            store.Commit();
            try
            {
                await connection.FlushAsync();
            }
            catch (Exception ex) when (ex is SocketException or IOException)
            {
                log.LogWarning(ex, "FIX session {Session}: writing failed; closing the connection", name);
                requestedClose ??= new FixConnectionEnd(null, "socket error while writing: " + ex.Message);
            }

            if (requestedClose is { } end)
            {
                session.OnDisconnected();
                connection.Close();
                log.LogInformation("FIX session {Session} disconnected ({Reason}): {Text}", name, end.Reason?.ToString() ?? "connection dropped", end.Text);
                completion.TrySetResult(end);
            }
        }
        finally
        {
            gate.Release();
        }
    }
}
