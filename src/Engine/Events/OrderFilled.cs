namespace TradSys.Engine.Events;

/// <summary>One side's view of a trade.</summary>
/// <param name="OrderId">The order that traded.</param>
/// <param name="TradeId">The trade.</param>
/// <param name="Price">The trade price.</param>
/// <param name="Quantity">The quantity of this fill.</param>
/// <param name="CumulativeFilled">The order's total filled quantity after this fill.</param>
/// <param name="Leaves">The order's untraded quantity after this fill.</param>
/// <param name="IsAggressor">True for the incoming order, false for the resting one.</param>
/// <param name="Timestamp">Copied from the command, UTC ticks.</param>
public readonly record struct OrderFilled(
    long OrderId,
    long TradeId,
    Price Price,
    Quantity Quantity,
    Quantity CumulativeFilled,
    Quantity Leaves,
    bool IsAggressor,
    long Timestamp)
{
    /// <summary><see cref="OrderStatus.Filled"/> when nothing is left, else <see cref="OrderStatus.PartiallyFilled"/>.</summary>
    public OrderStatus Status => Leaves.Raw == 0 ? OrderStatus.Filled : OrderStatus.PartiallyFilled;
}
