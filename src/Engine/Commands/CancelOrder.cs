namespace TradSys.Engine.Commands;

/// <summary>A request to cancel the untraded remainder of a resting order or a pending stop order.</summary>
/// <param name="OrderId">The order to cancel.</param>
/// <param name="Timestamp">The request time in UTC ticks, copied into the resulting event.</param>
/// <param name="Reason">
/// The reason reported in OrderCanceled: <see cref="CancelReason.Requested"/> for the owner's cancel, <see cref="CancelReason.Expired"/>
/// when the host expires a DAY or GTD order (the engine reads no clock, so expiry is the host's command).
/// </param>
public readonly record struct CancelOrder(long OrderId, long Timestamp, CancelReason Reason = CancelReason.Requested);
