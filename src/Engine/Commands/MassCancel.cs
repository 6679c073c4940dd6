namespace TradSys.Engine.Commands;

/// <summary>
/// A request to cancel every resting order and pending stop order that matches the filter: one account's orders in every
/// instrument, every account's orders in one instrument, or one account's orders in one instrument. At least one filter is required.
/// </summary>
/// <param name="AccountId">Only this account's orders; null for every account.</param>
/// <param name="Instrument">Only this instrument's orders; null for every instrument.</param>
/// <param name="Timestamp">The request time in UTC ticks, copied into every resulting event.</param>
public readonly record struct MassCancel(long? AccountId, InstrumentId? Instrument, long Timestamp);
