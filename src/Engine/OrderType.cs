namespace TradSys.Engine;

/// <summary>The type of an order. The semantics of each are documented at the top of Matching/OrderBook.cs.</summary>
public enum OrderType
{
    /// <summary>Trades at its price or better; the remainder rests in the book (unless its time in force is IOC or FOK).</summary>
    Limit = 1,

    /// <summary>Trades at any price against resting liquidity; implicitly immediate-or-cancel, it never rests.</summary>
    Market = 2,

    /// <summary>Waits, outside the book, until the last trade price reaches its stop price; then enters as a market order.</summary>
    Stop = 3,

    /// <summary>Waits, outside the book, until the last trade price reaches its stop price; then enters as a limit order at its price.</summary>
    StopLimit = 4,

    /// <summary>
    /// Takes the best opposite price on arrival as its limit: it trades at that one price only and any remainder rests
    /// there as a limit order (the Eurex / CME definition). Rejected when there is no opposite liquidity.
    /// </summary>
    MarketToLimit = 5,
}
