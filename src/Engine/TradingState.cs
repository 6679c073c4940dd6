namespace TradSys.Engine;

/// <summary>An instrument's trading mode with its price and its volatility band: what a snapshot carries besides the orders.</summary>
/// <param name="Mode">The trading mode.</param>
/// <param name="ModePrice">The reference price of a call or a suspension, or the fixed price of at-price trading; zero otherwise.</param>
/// <param name="BandLow">The volatility band's low edge; zero when there is no band.</param>
/// <param name="BandHigh">The volatility band's high edge; zero when there is no band.</param>
public readonly record struct TradingState(TradingMode Mode, Price ModePrice, Price BandLow, Price BandHigh);
