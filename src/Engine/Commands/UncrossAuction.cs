namespace TradSys.Engine.Commands;

/// <summary>
/// Ends a call (or a suspension): the book, which must be in <see cref="TradingMode.Call"/> or <see cref="TradingMode.Halted"/>,
/// executes at the single auction price chosen by <see cref="Auctions.AuctionPriceCalculator"/> against the reference price of
/// its mode, and is left uncrossed. The mode does not change: the host then sends <see cref="SetTradingMode"/>.
/// </summary>
/// <param name="Instrument">The instrument.</param>
/// <param name="Timestamp">The time of the uncross, UTC ticks, copied into every trade and fill.</param>
public readonly record struct UncrossAuction(InstrumentId Instrument, long Timestamp);
