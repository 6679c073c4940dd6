namespace TradSys.Engine.Events;

/// <summary>
/// A pending stop or stop-limit order's stop price was reached by the last trade price: it leaves the trigger list and
/// now trades as a market order (stop) or a limit order at its price (stop-limit). Its trades and fills follow.
/// </summary>
/// <param name="OrderId">The order.</param>
/// <param name="TriggerPrice">The last trade price that triggered it.</param>
/// <param name="Timestamp">Copied from the command whose trades triggered it, UTC ticks.</param>
public readonly record struct OrderTriggered(long OrderId, Price TriggerPrice, long Timestamp);
