namespace TradSys.Engine.Commands;

/// <summary>A request to enter a new order.</summary>
/// <param name="OrderId">The engine-wide unique order id, assigned by the host.</param>
/// <param name="Instrument">The instrument.</param>
/// <param name="AccountId">The owning account.</param>
/// <param name="Side">Buy or sell.</param>
/// <param name="Type">Limit or market.</param>
/// <param name="TimeInForce">How long a limit remainder rests; ignored for market orders.</param>
/// <param name="Price">The limit price; <see cref="Price.Zero"/> for market orders.</param>
/// <param name="Quantity">The order quantity in shares.</param>
/// <param name="Timestamp">The request time in UTC ticks, supplied by the host and copied into every resulting event.</param>
public readonly record struct SubmitOrder(
    long OrderId,
    InstrumentId Instrument,
    long AccountId,
    Side Side,
    OrderType Type,
    TimeInForce TimeInForce,
    Price Price,
    Quantity Quantity,
    long Timestamp);
