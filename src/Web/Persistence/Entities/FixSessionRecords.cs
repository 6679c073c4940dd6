namespace TradSys.Web.Persistence.Entities;

/// <summary>
/// One FIX session's sequence numbers (<see cref="Fix.DatabaseFixSessionStore"/>): what the next message sent and the next
/// message received carry, kept across restarts so a reconnect continues the session instead of resetting it.
/// </summary>
public sealed class FixSessionRecord
{
    /// <summary>The session's identity: SenderCompID, TargetCompID and the optional qualifier, as the platform names it.</summary>
    public string Id { get; set; } = "";

    /// <summary>The MsgSeqNum the next message sent will carry.</summary>
    public int NextSenderMsgSeqNum { get; set; } = 1;

    /// <summary>The MsgSeqNum expected on the next message received.</summary>
    public int NextTargetMsgSeqNum { get; set; } = 1;

    /// <summary>The UTC start of the schedule window the numbers belong to; null before the first (or when unscheduled).</summary>
    public DateTime? SessionStartUtc { get; set; }

    /// <summary>When the numbers last changed (UTC).</summary>
    public DateTime UpdatedAt { get; set; }
}

/// <summary>One message a FIX session sent, kept whole for resend requests until the session's numbers are reset.</summary>
public sealed class FixMessageRecord
{
    /// <summary>The <see cref="FixSessionRecord.Id"/> that sent it.</summary>
    public string SessionId { get; set; } = "";

    /// <summary>Its MsgSeqNum.</summary>
    public int MsgSeqNum { get; set; }

    /// <summary>The message as sent, BeginString to CheckSum.</summary>
    public byte[] Message { get; set; } = [];
}

/// <summary>
/// How far a FIX order-entry client (<see cref="Fix.OrderEntry.FixOrderEntry"/>) has been sent the order journal: the last journal
/// sequence delivered to it as an ExecutionReport and the outbound MsgSeqNum that carried it. On logon, the acceptor sends what
/// comes after it from the journal, so what a client missed while logged off, across restarts too, reaches it once and in order.
/// </summary>
public sealed class FixReportCursor
{
    /// <summary>The client's comp id (the acceptor session's TargetCompID).</summary>
    public string ClientCompId { get; set; } = "";

    /// <summary>The last journal sequence sent to the client (or, before the first, the journal's end when the client was configured).</summary>
    public long LastSequence { get; set; }

    /// <summary>The MsgSeqNum of the ExecutionReport that carried <see cref="LastSequence"/>; 0 before the first.</summary>
    public int MsgSeqNum { get; set; }

    /// <summary>When it last moved (UTC).</summary>
    public DateTime UpdatedAt { get; set; }
}
