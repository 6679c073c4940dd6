namespace TradSys.Engine.Matching;

/// <summary>
/// A live limit order in the book: a pooled node of its level's intrusive FIFO. Mutable by design; only
/// <see cref="OrderBook{TSink}"/> touches it, and it is reused after the order leaves the book.
/// </summary>
internal sealed class RestingOrder
{
    public long OrderId;
    public InstrumentId Instrument;
    public long AccountId;
    public Side Side;
    public TimeInForce TimeInForce;
    public long Price;
    public long Quantity;
    public long Filled;

    /// <summary>The level this order rests in; null while it is not in the book (in the pool, or aggressing after a modify).</summary>
    public BookLevel? Level;

    /// <summary>Towards the front of the level (older).</summary>
    public RestingOrder? Prev;

    /// <summary>Towards the back of the level (newer); also the free-list link while pooled.</summary>
    public RestingOrder? Next;

    public long Leaves => Quantity - Filled;

    public void Clear()
    {
        OrderId = 0;
        Instrument = default;
        AccountId = 0;
        Side = default;
        TimeInForce = default;
        Price = 0;
        Quantity = 0;
        Filled = 0;
        Level = null;
        Prev = null;
        Next = null;
    }
}
