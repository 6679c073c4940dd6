using System.Threading.Channels;

namespace TradSys.Web.Streaming;

/// <summary>What a queued message is, for the send loop's ordering and conflation rules.</summary>
internal enum OutboundKind
{
    /// <summary>Welcome, ack, error, pong, heartbeat.</summary>
    Control,
    /// <summary>A market-data update of <see cref="Outbound.Symbol"/> at <see cref="Outbound.Sequence"/>.</summary>
    MarketData,
    /// <summary>The send loop is to send a snapshot of <see cref="Outbound.Symbol"/> (after a subscribe).</summary>
    Snapshot,
    /// <summary>A trade of the public tape.</summary>
    Trade,
    /// <summary>An order update (journal sequence in <see cref="Outbound.Sequence"/>).</summary>
    OrderUpdate,
    /// <summary>A risk alert on one of the accounts the connection follows.</summary>
    Alert,
    /// <summary>An account's whole portfolio state (positions, P&amp;L, cash and buying power).</summary>
    Portfolio,
}

/// <summary>One queued message: its bytes, shared by every connection it goes to.</summary>
internal readonly record struct Outbound(OutboundKind Kind, byte[]? Payload, string? Symbol = null, long Sequence = 0);

/// <summary>
/// A connection's bounded send queue and its back-pressure rules: market data may fill half the queue; beyond that a symbol's
/// updates are not queued but the symbol is marked conflated, and once the queue is below half again the send loop sends its
/// latest state instead (never a stale backlog). Everything else (order updates, trades, answers) uses the whole queue and is
/// never dropped: when it does not fit, <see cref="TryEssential"/> says so and the connection is closed as a slow consumer.
/// </summary>
internal sealed class OutboundQueue
{
    private readonly Channel<Outbound> _channel;
    private readonly int _marketDataLimit;
    private readonly HashSet<string> _conflated = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public OutboundQueue(int capacity)
    {
        capacity = Math.Max(2, capacity);
        _marketDataLimit = capacity / 2;
        _channel = Channel.CreateBounded<Outbound>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true, FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>Messages waiting.</summary>
    public int Count => _channel.Reader.Count;

    /// <summary>Queues a market-data update, or marks its symbol conflated when the queue is half full (or already conflated).</summary>
    /// <returns>True when queued; false when conflated.</returns>
    public bool OfferMarketData(Outbound update)
    {
        lock (_lock)
        {
            if (_conflated.Count > 0 && _conflated.Contains(update.Symbol!) || _channel.Reader.Count >= _marketDataLimit ||
                !_channel.Writer.TryWrite(update))
            {
                _conflated.Add(update.Symbol!);
                return false;
            }
            return true;
        }
    }

    /// <summary>Queues a message that must not be dropped; false when the queue is full (the connection must close).</summary>
    public bool TryEssential(Outbound message) => _channel.Writer.TryWrite(message);

    /// <summary>Queues a message, waiting for room (a replay from the journal, which the connection's own loop reads).</summary>
    public ValueTask WriteAsync(Outbound message, CancellationToken cancellationToken) => _channel.Writer.WriteAsync(message, cancellationToken);

    /// <summary>A symbol whose updates were conflated, once the queue has room for market data again.</summary>
    public bool TryTakeConflated(out string symbol)
    {
        lock (_lock)
        {
            if (_conflated.Count == 0 || _channel.Reader.Count >= _marketDataLimit)
            {
                symbol = "";
                return false;
            }
            symbol = _conflated.First();
            _conflated.Remove(symbol);
            return true;
        }
    }

    /// <summary>Whether a symbol is waiting for its conflated state.</summary>
    public bool IsConflated(string symbol)
    {
        lock (_lock)
        {
            return _conflated.Contains(symbol);
        }
    }

    public bool TryRead(out Outbound message) => _channel.Reader.TryRead(out message);

    public ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken) => _channel.Reader.WaitToReadAsync(cancellationToken);
}
