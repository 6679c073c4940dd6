namespace TradSys.Engine.Events;

/// <summary>
/// A trade would have printed outside the instrument's volatility band: matching stopped at the band and the instrument is now
/// <see cref="TradingMode.Halted"/>. The host resumes it (uncross, then continuous) after the venue's suspension time.
/// </summary>
/// <param name="Instrument">The instrument.</param>
/// <param name="WouldBePrice">The price of the trade that did not print.</param>
/// <param name="BandLimit">The band edge it crossed (the band's high for a rise, its low for a fall).</param>
/// <param name="Timestamp">The command's time, UTC ticks.</param>
public readonly record struct InstrumentSuspended(InstrumentId Instrument, Price WouldBePrice, Price BandLimit, long Timestamp);
