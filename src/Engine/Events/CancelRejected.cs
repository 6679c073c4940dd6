namespace TradSys.Engine.Events;

/// <summary>The engine refused a cancel; nothing changed.</summary>
/// <param name="OrderId">The order id from the request.</param>
/// <param name="Code">Why.</param>
/// <param name="Timestamp">Copied from the command, UTC ticks.</param>
public readonly record struct CancelRejected(long OrderId, RejectCode Code, long Timestamp);
