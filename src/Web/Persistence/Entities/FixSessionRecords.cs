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
