namespace TradSys.Engine.Matching;

/// <summary>
/// A snapshot of a resting order or a pending stop order, returned by <see cref="MatchingEngine{TSink}.TryGetOrder"/>,
/// <see cref="MatchingEngine{TSink}.GetOrders"/> and <see cref="MatchingEngine{TSink}.GetPendingStops"/>.
/// </summary>
/// <param name="OrderId">The order id.</param>
/// <param name="Instrument">The instrument.</param>
/// <param name="AccountId">The owning account.</param>
/// <param name="Side">Buy or sell.</param>
/// <param name="Price">The limit price (zero for a stop order, whose limit is the market; a stop-limit order shows its limit price, pending or not).</param>
/// <param name="Quantity">The total order quantity.</param>
/// <param name="Filled">How much has traded.</param>
/// <param name="Leaves">How much is still live (an iceberg's hidden quantity included).</param>
public readonly record struct OrderView(
    long OrderId,
    InstrumentId Instrument,
    long AccountId,
    Side Side,
    Price Price,
    Quantity Quantity,
    Quantity Filled,
    Quantity Leaves)
{
    /// <summary>Day or good-till-canceled (not part of the positional shape, so that the shape stays as first published).</summary>
    public TimeInForce TimeInForce { get; init; }

    /// <summary>The order's type as submitted (a triggered stop-limit resting in the book stays <see cref="OrderType.StopLimit"/>).</summary>
    public OrderType Type { get; init; }

    /// <summary>The stop price of a stop or stop-limit order; zero otherwise.</summary>
    public Price StopPrice { get; init; }

    /// <summary>True while a stop or stop-limit order waits in the trigger list (not in the book, not in depth).</summary>
    public bool IsPendingStop { get; init; }

    /// <summary>An iceberg's slice size; zero for a normal order.</summary>
    public Quantity DisplayQuantity { get; init; }

    /// <summary>What the order shows in the book now: its leaves, or what is left of an iceberg's current slice (zero while a stop is pending).</summary>
    public Quantity Displayed { get; init; }

    /// <summary>A GTD order's expiry, UTC ticks; zero otherwise.</summary>
    public long ExpireAt { get; init; }

    /// <summary>The order's self-trade prevention mode.</summary>
    public SelfTradePrevention SelfTradePrevention { get; init; }

    /// <summary><see cref="OrderStatus.Accepted"/> when nothing has traded, else <see cref="OrderStatus.PartiallyFilled"/> (a resting order always has leaves).</summary>
    public OrderStatus Status => Filled.Raw == 0 ? OrderStatus.Accepted : OrderStatus.PartiallyFilled;
}
