namespace TradSys.Engine;

/// <summary>The side of an order.</summary>
public enum Side
{
    /// <summary>Buy (bid).</summary>
    Buy = 1,

    /// <summary>Sell (ask, offer).</summary>
    Sell = 2,
}
