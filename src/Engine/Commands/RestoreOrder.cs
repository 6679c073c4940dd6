namespace TradSys.Engine.Commands;

/// <summary>
/// Recovery only: puts a resting limit order back at the back of its price level without matching and
/// without events. The host replays resting orders in their original priority order.
/// </summary>
/// <param name="OrderId">The order id.</param>
/// <param name="Instrument">The instrument.</param>
/// <param name="AccountId">The owning account.</param>
/// <param name="Side">Buy or sell.</param>
/// <param name="TimeInForce">Day or good-till-canceled.</param>
/// <param name="Price">The limit price.</param>
/// <param name="Quantity">The total order quantity.</param>
/// <param name="Filled">How much has already traded; less than <paramref name="Quantity"/>.</param>
/// <param name="Timestamp">The time of the restore in UTC ticks.</param>
public readonly record struct RestoreOrder(
    long OrderId,
    InstrumentId Instrument,
    long AccountId,
    Side Side,
    TimeInForce TimeInForce,
    Price Price,
    Quantity Quantity,
    Quantity Filled,
    long Timestamp);
