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

/// <summary>
/// A ClOrdID an order-entry client (<see cref="Fix.OrderEntry.FixOrderEntry"/>) used for an OrderCancelReplaceRequest (35=G) or an
/// OrderCancelRequest (35=F) that the platform carried out or, for an order routed to a venue, sent to the venue, and the order it
/// named. A NewOrderSingle's ClOrdID is the order's own client order id (<c>orders.client_order_id</c>); these are the others, written
/// by the single writer in the transaction that commits the replace or cancel (or its request to the venue), so after a restart a
/// client can still name an order by any ClOrdID it gave it, a reused one is still refused, and the reports of the replace or cancel
/// (and of the venue's answer) still carry its ClOrdID.
/// </summary>
public sealed class FixClientOrderIdRecord
{
    /// <summary>The client's comp id (the acceptor session's TargetCompID): ClOrdIDs are unique per client session.</summary>
    public string ClientCompId { get; set; } = "";

    /// <summary>The request's ClOrdID (11).</summary>
    public string ClOrdId { get; set; } = "";

    /// <summary>The order it named.</summary>
    public long OrderId { get; set; }

    /// <summary>The request: <c>G</c> (replace) or <c>F</c> (cancel).</summary>
    public string MsgType { get; set; } = "";

    /// <summary>The request's OrigClOrdID (41).</summary>
    public string OrigClOrdId { get; set; } = "";

    /// <summary>
    /// The journal entry that carried the request out (Modified or Canceled), whose ExecutionReport answers it; for a routed order the
    /// entry of its request to the venue (ReplaceRequested or CancelRequested: the pending report), the venue's answer (Modified,
    /// Canceled or CancelRejected) being the order's next such entry.
    /// </summary>
    public long Sequence { get; set; }

    /// <summary>When it was committed (UTC).</summary>
    public DateTime CreatedAt { get; set; }
}
