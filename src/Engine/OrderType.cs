namespace TradSys.Engine;

/// <summary>The type of an order.</summary>
public enum OrderType
{
    /// <summary>Trades at its price or better; the remainder rests in the book.</summary>
    Limit = 1,

    /// <summary>Trades at any price against resting liquidity; implicitly immediate-or-cancel, it never rests.</summary>
    Market = 2,
}
