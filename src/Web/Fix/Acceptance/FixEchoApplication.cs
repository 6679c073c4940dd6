using TradSys.Engine.Fix;

namespace TradSys.Web.Fix.Acceptance;

/// <summary>
/// The application that QuickFIX's acceptance suite expects behind the acceptor it tests (its <c>at</c> program): a
/// NewOrderSingle (D) or SecurityDefinition (d) is sent back as it came, with our header, the peer's other header fields
/// (PossResend 97, routing) and its body fields in tag order, except a D with PossResend=Y whose ClOrdID the session has
/// already seen on this connection, which is dropped (FIX's PossResend rule: the application decides whether it is new). Every other
/// application message is answered by the session with BusinessMessageReject 3. It exercises our session layer against
/// the suite; it is not an order path.
/// </summary>
internal sealed class FixEchoApplication
{
    /// <summary>What the application takes; the session answers anything else with BusinessMessageReject 3.</summary>
    public static readonly IReadOnlySet<string> Accepted = new HashSet<string>(["D", "d"], StringComparer.Ordinal);

    /// <summary>Header fields the session writes itself (never copied from the peer's message).</summary>
    private static readonly HashSet<int> SessionHeader =
    [
        FixTag.BeginString, FixTag.BodyLength, FixTag.MsgType, FixTag.MsgSeqNum, FixTag.SenderCompId, FixTag.TargetCompId,
        FixTag.SendingTime, FixTag.PossDupFlag, FixTag.OrigSendingTime,
    ];

    private readonly FixDataDictionary dictionary = FixDataDictionary.Fix44;

    /// <summary>The ClOrdIDs seen per connection: a new connection starts afresh (QuickFIX's application forgets them at logout).</summary>
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<FixSessionDriver, HashSet<string>> seen = [];

    /// <summary>Handles one delivered application message (the acceptor's callback).</summary>
    public void OnMessage(FixSessionDriver session, FixSessionSettings settings, FixMessage message)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(message);
        if (message.MsgType is [(byte)'D'])
        {
            message.TryGetSpan(FixTag.ClOrdId, out var clOrdId);
            bool isNew = seen.GetOrCreateValue(session).Add(System.Text.Encoding.ASCII.GetString(clOrdId));
            if (!isNew && message.IsYes(FixTag.PossResend))
            {
                return;
            }
        }

        var (header, body) = Echo(message);
        session.Reply(message.MsgType, header, body);
    }

    /// <summary>The echo's extra header fields and body, each encoded in tag order (a repeating group moves with its count).</summary>
    public (byte[] Header, byte[] Body) Echo(FixMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var definition = dictionary.Message(message.MsgType);
        var header = new List<(int Tag, int Start, int End)>();
        var body = new List<(int Tag, int Start, int End)>();
        int i = 3;
        for (; i < message.FieldCount && dictionary.HeaderMember(message[i].Tag) is not null; i++)
        {
            if (!SessionHeader.Contains(message[i].Tag))
            {
                header.Add((message[i].Tag, i, i + 1));
            }
        }

        while (i < message.FieldCount && !dictionary.IsTrailer(message[i].Tag))
        {
            int start = i++;
            if (definition?.Member(message[start].Tag)?.Group is { } group)
            {
                while (i < message.FieldCount && group.Contains(message[i].Tag))
                {
                    i++;
                }
            }

            body.Add((message[start].Tag, start, i));
        }

        return (Encode(message, header), Encode(message, body));
    }

    private static byte[] Encode(FixMessage message, List<(int Tag, int Start, int End)> blocks)
    {
        // A stable sort by tag: OrderBy keeps the order of equal tags.
        var buffer = new byte[message.Raw.Length + 16];
        var w = FixWriter.ForFields(buffer);
        foreach (var (_, start, end) in blocks.OrderBy(b => b.Tag))
        {
            for (int f = start; f < end; f++)
            {
                w.Add(message[f].Tag, message.Value(f));
            }
        }

        return buffer.AsSpan(0, w.Length).ToArray();
    }
}
