namespace TradSys.Engine.Events;

/// <summary>A resting order's price and/or quantity changed, or a pending stop order's limit price, quantity and/or stop price. If the new price crosses, fills follow.</summary>
/// <param name="OrderId">The order.</param>
/// <param name="Price">The new price.</param>
/// <param name="Quantity">The new total quantity.</param>
/// <param name="Leaves">The untraded quantity after the change.</param>
/// <param name="LostPriority">True when the order went to the back of its (new) level: a price change or a quantity increase.</param>
/// <param name="Timestamp">Copied from the command, UTC ticks.</param>
/// <param name="StopPrice">For a pending stop or stop-limit order, its stop price after the change; zero for any other order.</param>
public readonly record struct OrderModified(long OrderId, Price Price, Quantity Quantity, Quantity Leaves, bool LostPriority, long Timestamp,
    Price StopPrice = default);
