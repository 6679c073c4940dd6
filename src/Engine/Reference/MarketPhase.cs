namespace TradSys.Engine.Reference;

/// <summary>The trading phase a venue is in.</summary>
public enum MarketPhase
{
    /// <summary>No trading: outside the session, a non-trading day or a holiday.</summary>
    Closed,

    /// <summary>Orders are collected for the opening auction; nothing matches.</summary>
    PreOpen,

    /// <summary>Continuous matching in price-time priority.</summary>
    Continuous,

    /// <summary>Orders are collected for the closing auction.</summary>
    ClosingAuction,

    /// <summary>Trading at the closing price only (EGX).</summary>
    TradeAtClose,

    /// <summary>Orders are collected before the close (ADX pre-close).</summary>
    PreClose,

    /// <summary>Trading at the last price only (ADX).</summary>
    TradeAtLast,
}
