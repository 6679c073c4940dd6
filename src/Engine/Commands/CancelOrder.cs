namespace TradSys.Engine.Commands;

/// <summary>A request to cancel the untraded remainder of a resting order.</summary>
/// <param name="OrderId">The order to cancel.</param>
/// <param name="Timestamp">The request time in UTC ticks, copied into the resulting event.</param>
public readonly record struct CancelOrder(long OrderId, long Timestamp);
