namespace TradSys.Engine.Fix;

/// <summary>
/// Where a session keeps its sequence numbers and the messages it sent (for resend requests). The Web layer implements
/// it over the database so both survive a restart; <see cref="InMemoryFixSessionStore"/> serves tests and simulators.
/// </summary>
public interface IFixSessionStore
{
    /// <summary>The MsgSeqNum the next message sent will carry.</summary>
    int NextSenderMsgSeqNum { get; set; }

    /// <summary>The MsgSeqNum expected on the next message received.</summary>
    int NextTargetMsgSeqNum { get; set; }

    /// <summary>The UTC start of the schedule window these numbers belong to, null before the first.</summary>
    DateTime? SessionStartUtc { get; }

    /// <summary>Keeps a sent message for resending.</summary>
    /// <param name="msgSeqNum">Its MsgSeqNum.</param>
    /// <param name="message">The whole message as sent (copied by the store).</param>
    void Save(int msgSeqNum, ReadOnlySpan<byte> message);

    /// <summary>A sent message, for resending.</summary>
    /// <param name="msgSeqNum">Its MsgSeqNum.</param>
    /// <param name="message">The message as sent.</param>
    /// <returns>Whether it is kept.</returns>
    bool TryGet(int msgSeqNum, out ReadOnlyMemory<byte> message);

    /// <summary>Starts again: both sequence numbers back to 1, the kept messages dropped.</summary>
    /// <param name="sessionStartUtc">The window the new numbers belong to (null when unscheduled).</param>
    void Reset(DateTime? sessionStartUtc);
}

/// <summary>A session store in memory: for tests and simulators, lost when the process ends.</summary>
public sealed class InMemoryFixSessionStore : IFixSessionStore
{
    private readonly Dictionary<int, byte[]> messages = [];

    /// <inheritdoc/>
    public int NextSenderMsgSeqNum { get; set; } = 1;

    /// <inheritdoc/>
    public int NextTargetMsgSeqNum { get; set; } = 1;

    /// <inheritdoc/>
    public DateTime? SessionStartUtc { get; private set; }

    /// <inheritdoc/>
    public void Save(int msgSeqNum, ReadOnlySpan<byte> message) => messages[msgSeqNum] = message.ToArray();

    /// <inheritdoc/>
    public bool TryGet(int msgSeqNum, out ReadOnlyMemory<byte> message)
    {
        bool found = messages.TryGetValue(msgSeqNum, out byte[]? bytes);
        message = bytes;
        return found;
    }

    /// <inheritdoc/>
    public void Reset(DateTime? sessionStartUtc)
    {
        messages.Clear();
        NextSenderMsgSeqNum = 1;
        NextTargetMsgSeqNum = 1;
        SessionStartUtc = sessionStartUtc;
    }
}
