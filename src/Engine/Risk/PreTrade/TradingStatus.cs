namespace TradSys.Engine.Risk.PreTrade;

/// <summary>
/// Whether new orders may be entered, for the whole firm, one trader or one account: the kill switch. The strictest status
/// that applies to an order decides. Cancels always pass: halting trading must never stop anyone taking risk off.
/// </summary>
public enum TradingStatus : byte
{
    /// <summary>New orders are taken (subject to the limits).</summary>
    Active = 0,

    /// <summary>Only orders that reduce an existing position are taken (a sell against a long, a buy against a short).</summary>
    ReducingOnly = 1,

    /// <summary>No new order is taken.</summary>
    Halted = 2,
}

/// <summary>Who a trading status or a set of limits applies to.</summary>
public enum RiskScope : byte
{
    /// <summary>The whole firm (key "firm").</summary>
    Firm = 0,

    /// <summary>Every account of one client category (key: the category, e.g. "Retail").</summary>
    ClientCategory = 1,

    /// <summary>One account (key: the account id).</summary>
    Account = 2,

    /// <summary>One instrument, whichever account trades it (key: the symbol).</summary>
    Instrument = 3,

    /// <summary>One trader, on whichever account (key: the user id). Trading statuses only.</summary>
    Trader = 4,
}

/// <summary>The limit a pre-trade check applied.</summary>
public enum RiskLimitKind : byte
{
    /// <summary>No limit (a pass).</summary>
    None = 0,
    /// <summary>A trading status (halted, reducing only).</summary>
    TradingStatus = 1,

    /// <summary><see cref="RiskLimits.MaxOrderQuantity"/>.</summary>
    MaxOrderQuantity = 2,

    /// <summary><see cref="RiskLimits.MaxOrderNotional"/>.</summary>
    MaxOrderNotional = 3,

    /// <summary><see cref="RiskLimits.PriceCollarPct"/>.</summary>
    PriceCollarPct = 4,

    /// <summary><see cref="RiskLimits.MaxOpenOrders"/>.</summary>
    MaxOpenOrders = 5,

    /// <summary><see cref="RiskLimits.MaxOpenNotional"/>.</summary>
    MaxOpenNotional = 6,

    /// <summary><see cref="RiskLimits.MaxLongPosition"/>.</summary>
    MaxLongPosition = 7,

    /// <summary><see cref="RiskLimits.MaxShortPosition"/>.</summary>
    MaxShortPosition = 8,

    /// <summary>The account's buying power (<see cref="PreTradeRisk.BuyingPower"/>).</summary>
    BuyingPower = 9,

    /// <summary><see cref="RiskLimits.MaxConcentrationPct"/>.</summary>
    MaxConcentrationPct = 10,

    /// <summary><see cref="RiskLimits.MaxIssuerHoldingPct"/>.</summary>
    MaxIssuerHoldingPct = 11,

    /// <summary><see cref="RiskLimits.MaxAdvPct"/>.</summary>
    MaxAdvPct = 12,
}
