namespace TradSys.Engine.Commands;

/// <summary>A request to change a resting order's or a pending stop order's price and/or quantity (a FIX cancel/replace).</summary>
/// <param name="OrderId">The order to modify.</param>
/// <param name="NewPrice">The new limit price (the current one to keep it); <see cref="Price.Zero"/> for a stop (market) order.</param>
/// <param name="NewQuantity">The new TOTAL order quantity, as FIX OrderQty on a replace; must exceed what is already filled.</param>
/// <param name="Timestamp">The request time in UTC ticks, copied into every resulting event.</param>
/// <param name="NewStopPrice">For a pending stop or stop-limit order, the new stop price; <see cref="Price.Zero"/> keeps the current one. Must be zero for any other order.</param>
public readonly record struct ModifyOrder(long OrderId, Price NewPrice, Quantity NewQuantity, long Timestamp, Price NewStopPrice = default);
