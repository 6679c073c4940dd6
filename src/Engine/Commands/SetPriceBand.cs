namespace TradSys.Engine.Commands;

/// <summary>
/// Sets an instrument's volatility band (EGX: 10% around the reference price). In continuous trading a trade that would print
/// outside [<paramref name="Low"/>, <paramref name="High"/>] does not: matching stops at the band, the instrument goes to
/// <see cref="TradingMode.Halted"/> and InstrumentSuspended is raised. Both zero: no band.
/// </summary>
/// <param name="Instrument">The instrument.</param>
/// <param name="Low">The lowest price a trade may print at (inclusive); zero with <paramref name="High"/> zero for no band.</param>
/// <param name="High">The highest price a trade may print at (inclusive).</param>
public readonly record struct SetPriceBand(InstrumentId Instrument, Price Low, Price High);
