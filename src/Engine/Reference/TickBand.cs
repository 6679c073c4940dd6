namespace TradSys.Engine.Reference;

/// <summary>One row of a <see cref="TickTable"/>: from <paramref name="FromPrice"/> (inclusive) up to the next band, prices move in steps of <paramref name="TickRaw"/>.</summary>
/// <param name="FromPrice">The lowest price of the band.</param>
/// <param name="TickRaw">The tick size in raw price units (e.g. 10 for 0.01 with 3 decimals).</param>
public readonly record struct TickBand(Price FromPrice, long TickRaw);
