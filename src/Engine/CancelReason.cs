namespace TradSys.Engine;

/// <summary>Why an order left the book without trading in full.</summary>
public enum CancelReason
{
    /// <summary>The owner asked for it (<c>CancelOrder</c>).</summary>
    Requested = 1,

    /// <summary>The untraded remainder of a market order, which never rests.</summary>
    MarketOrderRemainder = 2,
}
