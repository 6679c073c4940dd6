namespace TradSys.Engine.Commands;

/// <summary>A request to change a resting order's price and/or quantity (a FIX cancel/replace).</summary>
/// <param name="OrderId">The order to modify.</param>
/// <param name="NewPrice">The new limit price (the current one to keep it).</param>
/// <param name="NewQuantity">The new TOTAL order quantity, as FIX OrderQty on a replace; must exceed what is already filled.</param>
/// <param name="Timestamp">The request time in UTC ticks, copied into every resulting event.</param>
public readonly record struct ModifyOrder(long OrderId, Price NewPrice, Quantity NewQuantity, long Timestamp);
