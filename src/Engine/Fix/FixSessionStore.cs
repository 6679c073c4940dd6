namespace TradSys.Engine.Fix;

/// <summary>
/// Where a session keeps its sequence numbers and the messages it sent (for resend requests). The Web layer implements
/// it over the database so both survive a restart; <see cref="InMemoryFixSessionStore"/> serves tests and simulators.
/// </summary>
/// <remarks>
/// What is durable when: a store may hold <see cref="Save"/> and the numbers' changes and write them together at
/// <see cref="Commit"/> (the database store does: one transaction for a group of messages); its getters and
/// <see cref="TryGet"/> see the held changes at once. The session never calls <see cref="Commit"/>: its host does, after
/// one or more session events and before any message they sent is written to the wire, so a message on the wire is always
/// kept for a resend. A crash before the commit loses messages that never left (and the target number of the messages
/// that caused them, which the peer then resends); a crash after it, before the send, leaves the sender number ahead of
/// what the peer got, and the peer asks for the gap. <see cref="Reset"/> is durable when it returns.
/// </remarks>
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

    /// <summary>
    /// Makes every change since the last commit durable, all or none (nothing to do when nothing changed or the store writes
    /// each change at once). Throws when it cannot; the changes then stay held for the next commit, and the host must not
    /// write the messages saved since to the wire.
    /// </summary>
    void Commit();
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
    /// <remarks>Memory only: nothing is durable, so there is nothing to write.</remarks>
    public void Commit()
    {
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
