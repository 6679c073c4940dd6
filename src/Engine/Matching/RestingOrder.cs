namespace TradSys.Engine.Matching;

/// <summary>
/// A live order: a pooled node of a price level's intrusive FIFO, either in the book or (a pending stop order) in the
/// trigger list, where its "level" is its stop price. Mutable by design; only <see cref="OrderBook{TSink}"/> touches it,
/// and it is reused after the order leaves the engine.
/// </summary>
internal sealed class RestingOrder
{
    public long OrderId;
    public InstrumentId Instrument;
    public long AccountId;
    public Side Side;
    public TimeInForce TimeInForce;
    public OrderType Type;
    public SelfTradePrevention Stp;

    /// <summary>True while a stop or stop-limit order waits in the trigger list.</summary>
    public bool IsPendingStop;

    /// <summary>The limit price; zero for a pending stop (market) order.</summary>
    public long Price;
    public long Quantity;
    public long Filled;

    /// <summary>The stop price of a stop or stop-limit order; zero otherwise.</summary>
    public long StopPrice;

    /// <summary>An iceberg's slice size; zero for a normal order.</summary>
    public long Display;

    /// <summary>
    /// What the order shows in its level and can trade before going to the back: the leaves for a normal order, what is
    /// left of the current slice for an iceberg. The level's total is the sum of these.
    /// </summary>
    public long Visible;

    /// <summary>A GTD order's expiry (UTC ticks); zero otherwise. The engine only keeps it: the host expires orders.</summary>
    public long ExpireAt;

    /// <summary>The level this order rests in; null while it is not in the book (in the pool, or aggressing after a modify).</summary>
    public BookLevel? Level;

    /// <summary>Towards the front of the level (older).</summary>
    public RestingOrder? Prev;

    /// <summary>Towards the back of the level (newer); also the free-list link while pooled.</summary>
    public RestingOrder? Next;

    public long Leaves => Quantity - Filled;

    /// <summary>The slice an order shows when it (re-)enters a level: all its leaves, or for an iceberg at most one display quantity.</summary>
    public long FreshSlice => Display == 0 ? Quantity - Filled : Math.Min(Display, Quantity - Filled);

    public void Clear()
    {
        OrderId = 0;
        Instrument = default;
        AccountId = 0;
        Side = default;
        TimeInForce = default;
        Type = default;
        Stp = default;
        IsPendingStop = false;
        Price = 0;
        Quantity = 0;
        Filled = 0;
        StopPrice = 0;
        Display = 0;
        Visible = 0;
        ExpireAt = 0;
        Level = null;
        Prev = null;
        Next = null;
    }
}
