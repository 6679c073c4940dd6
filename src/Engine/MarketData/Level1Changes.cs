namespace TradSys.Engine.MarketData;

/// <summary>Which level-1 fields an update changed; returned by <see cref="MarketStatistics"/> and carried by <see cref="Level1Updated"/>.</summary>
[Flags]
public enum Level1Changes
{
    /// <summary>Nothing changed: no update needs to be published.</summary>
    None = 0,

    /// <summary>The best bid price or its quantity.</summary>
    BestBid = 1,

    /// <summary>The best ask price or its quantity.</summary>
    BestAsk = 2,

    /// <summary>A trade: last price and quantity, volume, traded value, trade count and VWAP.</summary>
    Trade = 4,

    /// <summary>The session's opening price (its first trade).</summary>
    Open = 8,

    /// <summary>The session's high.</summary>
    High = 16,

    /// <summary>The session's low.</summary>
    Low = 32,

    /// <summary>The session statistics were reset for a new session.</summary>
    SessionReset = 64,
}
