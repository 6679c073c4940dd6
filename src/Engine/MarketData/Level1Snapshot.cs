namespace TradSys.Engine.MarketData;

/// <summary>
/// Level-1 market data of one instrument at one instant: best bid and ask, last trade and the session's
/// statistics. A quantity of zero means the side is empty (or there was no trade); the matching price is then
/// <see cref="Price.Zero"/>. Taken by <see cref="MarketStatistics.Snapshot"/>.
/// </summary>
/// <param name="Instrument">The instrument.</param>
/// <param name="BestBid">The best bid price; zero when there is no bid.</param>
/// <param name="BestBidQuantity">The quantity at the best bid; zero when there is no bid.</param>
/// <param name="BestAsk">The best ask price; zero when there is no ask.</param>
/// <param name="BestAskQuantity">The quantity at the best ask; zero when there is no ask.</param>
/// <param name="LastPrice">The last trade's price; zero before the session's first trade.</param>
/// <param name="LastQuantity">The last trade's quantity; zero before the session's first trade.</param>
/// <param name="Volume">The session's cumulative traded quantity.</param>
/// <param name="TradedValue">The session's traded value: the sum of raw price x quantity (exact; divide by 10^decimals for currency).</param>
/// <param name="TradeCount">How many trades the session has had.</param>
/// <param name="Open">The session's first trade price; zero before it.</param>
/// <param name="High">The session's highest trade price; zero before the first trade.</param>
/// <param name="Low">The session's lowest trade price; zero before the first trade.</param>
/// <param name="Vwap">The session's VWAP, <paramref name="TradedValue"/> / <paramref name="Volume"/> rounded half to even; zero before the first trade.</param>
/// <param name="Timestamp">The time of the snapshot, UTC ticks, supplied by the caller.</param>
public readonly record struct Level1Snapshot(
    InstrumentId Instrument,
    Price BestBid,
    Quantity BestBidQuantity,
    Price BestAsk,
    Quantity BestAskQuantity,
    Price LastPrice,
    Quantity LastQuantity,
    Quantity Volume,
    Int128 TradedValue,
    long TradeCount,
    Price Open,
    Price High,
    Price Low,
    Price Vwap,
    long Timestamp)
{
    /// <summary>True when there is a bid.</summary>
    public bool HasBid => BestBidQuantity.Raw > 0;

    /// <summary>True when there is an ask.</summary>
    public bool HasAsk => BestAskQuantity.Raw > 0;

    /// <summary>True when the session has had a trade.</summary>
    public bool HasTrades => TradeCount > 0;
}
