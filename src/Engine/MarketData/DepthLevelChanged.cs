namespace TradSys.Engine.MarketData;

/// <summary>
/// An incremental level-2 update: the aggregated quantity at one price of one side changed. A
/// <paramref name="NewTotal"/> of zero (and <paramref name="OrderCount"/> zero) means the level was removed.
/// </summary>
/// <param name="Instrument">The instrument.</param>
/// <param name="Side">The book side: <see cref="Side.Buy"/> for bids, <see cref="Side.Sell"/> for asks.</param>
/// <param name="Price">The level's price.</param>
/// <param name="NewTotal">The sum of the leaves of the orders now at that price.</param>
/// <param name="OrderCount">How many orders now rest at that price.</param>
/// <param name="Timestamp">Copied from the command that caused the change, UTC ticks.</param>
public readonly record struct DepthLevelChanged(
    InstrumentId Instrument,
    Side Side,
    Price Price,
    Quantity NewTotal,
    int OrderCount,
    long Timestamp);
