namespace TradSys.Engine.Commands;

/// <summary>
/// Changes an instrument's <see cref="TradingMode"/>. Leaving <see cref="TradingMode.Call"/> or <see cref="TradingMode.Halted"/>
/// for a matching mode needs an uncrossed book: send <see cref="UncrossAuction"/> first.
/// </summary>
/// <param name="Instrument">The instrument.</param>
/// <param name="Mode">The new mode.</param>
/// <param name="Timestamp">The time of the change, UTC ticks (copied into the events of stops it triggers on entering continuous trading).</param>
/// <param name="Price">
/// For <see cref="TradingMode.Call"/> and <see cref="TradingMode.Halted"/>: the reference price of the auction's price
/// determination (previous close or last auction price; zero when none is known). For <see cref="TradingMode.AtPrice"/>: the
/// one price trades happen at (positive). Ignored otherwise.
/// </param>
public readonly record struct SetTradingMode(InstrumentId Instrument, TradingMode Mode, long Timestamp, Price Price = default);
