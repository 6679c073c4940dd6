namespace TradSys.Engine.Events;

/// <summary>The engine accepted a new order; any fills follow.</summary>
/// <param name="OrderId">The order id.</param>
/// <param name="Instrument">The instrument.</param>
/// <param name="AccountId">The owning account.</param>
/// <param name="Side">Buy or sell.</param>
/// <param name="Type">The order type as submitted.</param>
/// <param name="Price">The limit price: zero for market and stop orders; for market-to-limit, the best opposite price it took as its limit.</param>
/// <param name="Quantity">The order quantity.</param>
/// <param name="Timestamp">Copied from the command, UTC ticks.</param>
public readonly record struct OrderAccepted(
    long OrderId,
    InstrumentId Instrument,
    long AccountId,
    Side Side,
    OrderType Type,
    Price Price,
    Quantity Quantity,
    long Timestamp);
