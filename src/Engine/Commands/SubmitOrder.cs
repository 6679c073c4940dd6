namespace TradSys.Engine.Commands;

/// <summary>A request to enter a new order.</summary>
/// <param name="OrderId">The engine-wide unique order id, assigned by the host.</param>
/// <param name="Instrument">The instrument.</param>
/// <param name="AccountId">The owning account.</param>
/// <param name="Side">Buy or sell.</param>
/// <param name="Type">Limit, market, stop, stop-limit or market-to-limit.</param>
/// <param name="TimeInForce">How long the order or its remainder lives (see <see cref="TimeInForce"/>).</param>
/// <param name="Price">The limit price (limit and stop-limit); <see cref="Price.Zero"/> for market, stop and market-to-limit orders.</param>
/// <param name="Quantity">The order quantity in shares.</param>
/// <param name="Timestamp">The request time in UTC ticks, supplied by the host and copied into every resulting event.</param>
/// <param name="StopPrice">The trigger price of a stop or stop-limit order; <see cref="Price.Zero"/> for every other type.</param>
/// <param name="DisplayQuantity">For an iceberg (a limit order with DAY, GTC or GTD): the size of each displayed slice; zero for a normal order.</param>
/// <param name="ExpireAt">For <see cref="TimeInForce.Gtd"/>: when the host expires the order, UTC ticks, after <paramref name="Timestamp"/>; zero otherwise.</param>
/// <param name="SelfTradePrevention">The account's self-trade prevention mode, applied when this order meets an order of the same account.</param>
public readonly record struct SubmitOrder(
    long OrderId,
    InstrumentId Instrument,
    long AccountId,
    Side Side,
    OrderType Type,
    TimeInForce TimeInForce,
    Price Price,
    Quantity Quantity,
    long Timestamp,
    Price StopPrice = default,
    Quantity DisplayQuantity = default,
    long ExpireAt = 0,
    SelfTradePrevention SelfTradePrevention = SelfTradePrevention.None);
