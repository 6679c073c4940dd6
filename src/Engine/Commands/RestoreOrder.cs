namespace TradSys.Engine.Commands;

/// <summary>
/// Recovery only: puts a resting order back at the back of its price level (or a pending stop order back at the back of
/// its stop price in the trigger list) without matching and without events. The host replays resting orders, and pending
/// stop orders, each in their original priority order (<c>GetOrders</c>, <c>GetPendingStops</c>).
/// </summary>
/// <param name="OrderId">The order id.</param>
/// <param name="Instrument">The instrument.</param>
/// <param name="AccountId">The owning account.</param>
/// <param name="Side">Buy or sell.</param>
/// <param name="TimeInForce">Day, good-till-canceled or good-till-date.</param>
/// <param name="Price">The limit price (zero only for a pending stop order).</param>
/// <param name="Quantity">The total order quantity.</param>
/// <param name="Filled">How much has already traded; less than <paramref name="Quantity"/> (zero for a pending stop order).</param>
/// <param name="Timestamp">The time of the restore in UTC ticks.</param>
/// <param name="Type">The order's type as submitted: limit, market-to-limit, or stop / stop-limit (pending, or a triggered stop-limit resting).</param>
/// <param name="StopPrice">The stop price of a stop or stop-limit order; zero otherwise.</param>
/// <param name="DisplayQuantity">An iceberg's slice size; zero for a normal order.</param>
/// <param name="ExpireAt">A GTD order's expiry, UTC ticks; zero otherwise.</param>
/// <param name="SelfTradePrevention">The order's self-trade prevention mode.</param>
/// <param name="IsPendingStop">True to restore a stop or stop-limit order into the trigger list (not yet triggered).</param>
/// <param name="Displayed">An iceberg's current displayed slice (what is left of it); zero for a fresh slice of min(display, leaves). For a normal order, zero or its leaves.</param>
public readonly record struct RestoreOrder(
    long OrderId,
    InstrumentId Instrument,
    long AccountId,
    Side Side,
    TimeInForce TimeInForce,
    Price Price,
    Quantity Quantity,
    Quantity Filled,
    long Timestamp,
    OrderType Type = OrderType.Limit,
    Price StopPrice = default,
    Quantity DisplayQuantity = default,
    long ExpireAt = 0,
    SelfTradePrevention SelfTradePrevention = SelfTradePrevention.None,
    bool IsPendingStop = false,
    Quantity Displayed = default);
