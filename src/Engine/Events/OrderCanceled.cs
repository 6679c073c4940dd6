namespace TradSys.Engine.Events;

/// <summary>An order's untraded remainder left the engine.</summary>
/// <param name="OrderId">The order.</param>
/// <param name="CanceledQuantity">The quantity that will now never trade (the leaves at cancel time).</param>
/// <param name="Reason">Requested, or the remainder of a market order.</param>
/// <param name="Timestamp">Copied from the command, UTC ticks.</param>
public readonly record struct OrderCanceled(long OrderId, Quantity CanceledQuantity, CancelReason Reason, long Timestamp);
