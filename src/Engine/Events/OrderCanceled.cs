namespace TradSys.Engine.Events;

/// <summary>An order's untraded remainder left the engine (an iceberg's hidden quantity included).</summary>
/// <param name="OrderId">The order.</param>
/// <param name="CanceledQuantity">The quantity that will now never trade (the leaves at cancel time).</param>
/// <param name="Reason">Why (see <see cref="CancelReason"/>).</param>
/// <param name="Timestamp">Copied from the command, UTC ticks.</param>
public readonly record struct OrderCanceled(long OrderId, Quantity CanceledQuantity, CancelReason Reason, long Timestamp);
