using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace TradSys.Engine.Matching;

/// <summary>
/// A live order: a pooled node of a price level's intrusive FIFO, either in the book or (a pending stop order) in the
/// trigger list, where its "level" is its stop price. Mutable by design; only <see cref="OrderBook{TSink}"/> touches it,
/// and it is reused after the order leaves the engine.
/// </summary>
/// <remarks>
/// Explicit layout: what a cancel and a match read (the links, instrument, side, quantities, visible, id, pending flag)
/// is packed into the first 72 bytes of the object, so it spans at most two cache lines whatever the node's alignment;
/// the default layout put refs first, then longs, then the ints and the flag at the end, spreading a cancel's reads
/// over up to three lines of a 136-byte object. The object's size is unchanged.
/// </remarks>
[StructLayout(LayoutKind.Explicit)]
internal sealed class RestingOrder
{
    [FieldOffset(56)]
    public long OrderId;
    [FieldOffset(24)]
    public InstrumentId Instrument;
    [FieldOffset(72)]
    public long AccountId;
    [FieldOffset(28)]
    public Side Side;
    [FieldOffset(68)]
    public TimeInForce TimeInForce;
    [FieldOffset(80)]
    public OrderType Type;
    [FieldOffset(84)]
    public SelfTradePrevention Stp;

    /// <summary>True while a stop or stop-limit order waits in the trigger list.</summary>
    [FieldOffset(64)]
    public bool IsPendingStop;

    /// <summary>The limit price; zero for a pending stop (market) order.</summary>
    [FieldOffset(88)]
    public long Price;
    [FieldOffset(32)]
    public long Quantity;
    [FieldOffset(40)]
    public long Filled;

    /// <summary>The stop price of a stop or stop-limit order; zero otherwise.</summary>
    [FieldOffset(96)]
    public long StopPrice;

    /// <summary>An iceberg's slice size; zero for a normal order.</summary>
    [FieldOffset(104)]
    public long Display;

    /// <summary>
    /// What the order shows in its level and can trade before going to the back: the leaves for a normal order, what is
    /// left of the current slice for an iceberg. The level's total is the sum of these.
    /// </summary>
    [FieldOffset(48)]
    public long Visible;

    /// <summary>A GTD order's expiry (UTC ticks); zero otherwise. The engine only keeps it: the host expires orders.</summary>
    [FieldOffset(112)]
    public long ExpireAt;

    /// <summary>The level this order rests in; null while it is not in the book (in the pool, or aggressing after a modify).</summary>
    [FieldOffset(0)]
    public BookLevel? Level;

    /// <summary>Towards the front of the level (older).</summary>
    [FieldOffset(8)]
    public RestingOrder? Prev;

    /// <summary>Towards the back of the level (newer).</summary>
    [FieldOffset(16)]
    public RestingOrder? Next;

    public long Leaves => Quantity - Filled;

    /// <summary>The slice an order shows when it (re-)enters a level: all its leaves, or for an iceberg at most one display quantity.</summary>
    public long FreshSlice => Display == 0 ? Quantity - Filled : Math.Min(Display, Quantity - Filled);

    /// <summary>
    /// Fills a rented node (links null, values left from its last order) with every one of an order's terms: the one
    /// place that does, for a limit remainder joining the book, a stop joining the trigger list, and a restored order.
    /// The visible slice starts fresh unless a restore gives the slice the order was showing (<paramref name="visible"/> &gt; 0).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Set(long orderId, InstrumentId instrument, long accountId, Side side, TimeInForce timeInForce, OrderType type,
        SelfTradePrevention stp, long price, long quantity, long filled, long stopPrice, long display, long expireAt,
        bool isPendingStop, long visible = 0)
    {
        OrderId = orderId;
        Instrument = instrument;
        AccountId = accountId;
        Side = side;
        TimeInForce = timeInForce;
        Type = type;
        Stp = stp;
        IsPendingStop = isPendingStop;
        Price = price;
        Quantity = quantity;
        Filled = filled;
        StopPrice = stopPrice;
        Display = display;
        ExpireAt = expireAt;
        Visible = visible > 0 ? visible : FreshSlice;
    }
}
