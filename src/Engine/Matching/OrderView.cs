namespace TradSys.Engine.Matching;

/// <summary>A snapshot of a resting order, returned by <see cref="MatchingEngine{TSink}.TryGetOrder"/>.</summary>
/// <param name="OrderId">The order id.</param>
/// <param name="Instrument">The instrument.</param>
/// <param name="AccountId">The owning account.</param>
/// <param name="Side">Buy or sell.</param>
/// <param name="Price">The limit price.</param>
/// <param name="Quantity">The total order quantity.</param>
/// <param name="Filled">How much has traded.</param>
/// <param name="Leaves">How much is still resting.</param>
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

    /// <summary><see cref="OrderStatus.Accepted"/> when nothing has traded, else <see cref="OrderStatus.PartiallyFilled"/> (a resting order always has leaves).</summary>
    public OrderStatus Status => Filled.Raw == 0 ? OrderStatus.Accepted : OrderStatus.PartiallyFilled;
}
