namespace TradSys.Engine.Fix;

/// <summary>Which side opens the connection.</summary>
public enum FixSessionRole
{
    /// <summary>Connects and sends the first Logon (a venue adapter).</summary>
    Initiator,

    /// <summary>Accepts connections and answers Logon (a simulator, the client order-entry gateway).</summary>
    Acceptor,
}

/// <summary>Where a session is in its life.</summary>
public enum FixSessionState
{
    /// <summary>No connection.</summary>
    Disconnected,

    /// <summary>Acceptor: connected, waiting for the peer's Logon.</summary>
    AwaitingLogon,

    /// <summary>Initiator: Logon sent, waiting for the answer.</summary>
    LogonSent,

    /// <summary>Logged on: application messages flow.</summary>
    Active,

    /// <summary>Logout sent, waiting for the peer's Logout.</summary>
    LogoutSent,
}

/// <summary>Why a session asks its host to close the connection.</summary>
public enum FixDisconnectReason
{
    /// <summary>Logout exchanged.</summary>
    Logout,

    /// <summary>The first message received was not a Logon.</summary>
    FirstMessageNotLogon,

    /// <summary>A Logon that cannot be accepted (CompIDs, BeginString, SendingTime, a malformed Logon).</summary>
    LogonRejected,

    /// <summary>MsgSeqNum lower than expected without PossDupFlag, or missing.</summary>
    MsgSeqNumProblem,

    /// <summary>A session-level error answered with Logout (CompID, SendingTime accuracy, BeginString).</summary>
    SessionError,

    /// <summary>No message after a TestRequest.</summary>
    TestRequestUnanswered,

    /// <summary>No Logon answer in time.</summary>
    LogonTimeout,

    /// <summary>No Logout answer in time.</summary>
    LogoutTimeout,

    /// <summary>Outside the session schedule.</summary>
    OutsideSchedule,
}

/// <summary>A session's configuration: identities, role, heartbeat, tolerances and schedule.</summary>
public sealed record FixSessionSettings
{
    /// <summary>Our CompID (49 on what we send).</summary>
    public required string SenderCompId { get; init; }

    /// <summary>The peer's CompID (56 on what we send).</summary>
    public required string TargetCompId { get; init; }

    /// <summary>Initiator or acceptor.</summary>
    public FixSessionRole Role { get; init; }

    /// <summary>The BeginString; FIX.4.4.</summary>
    public string BeginString { get; init; } = "FIX.4.4";

    /// <summary>The heartbeat interval an initiator proposes (an acceptor uses the peer's).</summary>
    public int HeartBtInt { get; init; } = 30;

    /// <summary>How far a message's SendingTime may be from our clock before it is refused (Reject 10).</summary>
    public TimeSpan MaxLatency { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>How long to wait for a Logon answer.</summary>
    public TimeSpan LogonTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long to wait for a Logout answer.</summary>
    public TimeSpan LogoutTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Sequence numbers start again at 1 at every Logon: an initiator asks for it (ResetSeqNumFlag=Y); an acceptor resets both
    /// numbers when a Logon arrives, whether or not the peer asked (QuickFIX's <c>ResetOnLogon</c>), for peers that keep no
    /// numbers across connections.
    /// </summary>
    public bool ResetOnLogon { get; init; }

    /// <summary>When the session runs; always when null.</summary>
    public FixSessionSchedule? Schedule { get; init; }

    /// <summary>
    /// The application MsgTypes accepted from the peer (e.g. D, F, G, H, q for an order-entry acceptor); any the dictionary
    /// defines when null. Another valid one gets a BusinessMessageReject with reason 3, unsupported message type.
    /// </summary>
    public IReadOnlySet<string>? AcceptedApplicationMessages { get; init; }
}

/// <summary>What a session asks its host to do: the only way out of the state machine.</summary>
public interface IFixSessionOutput
{
    /// <summary>Write a whole message to the connection. The bytes are valid only during the call.</summary>
    /// <param name="message">The message.</param>
    void Send(ReadOnlySpan<byte> message);

    /// <summary>An application message in sequence and valid: hand it to the application. Valid only during the call.</summary>
    /// <param name="message">The message.</param>
    void Deliver(FixMessage message);

    /// <summary>Close the connection.</summary>
    /// <param name="reason">Why.</param>
    /// <param name="text">A sentence for the log.</param>
    void Disconnect(FixDisconnectReason reason, string text);
}
