namespace TradSys.Engine;

/// <summary>Why an order left the book without trading in full.</summary>
public enum CancelReason
{
    /// <summary>The owner asked for it (<c>CancelOrder</c> or <c>MassCancel</c>).</summary>
    Requested = 1,

    /// <summary>The untraded remainder of a market order (or of a triggered stop order), which never rests.</summary>
    MarketOrderRemainder = 2,

    /// <summary>The untraded remainder of an immediate-or-cancel order.</summary>
    ImmediateOrCancelRemainder = 3,

    /// <summary>A fill-or-kill order could not trade its whole quantity on arrival; nothing traded.</summary>
    FillOrKillNotFilled = 4,

    /// <summary>Self-trade prevention: the order would have traded with an order of the same account.</summary>
    SelfTradePrevention = 5,

    /// <summary>The host expired a DAY or GTD order (a <c>CancelOrder</c> carrying this reason).</summary>
    Expired = 6,
}
