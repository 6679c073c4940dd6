namespace TradSys.Engine.Risk.PreTrade;

/// <summary>
/// One scope's pre-trade limits (a firm default, a client category, an account or an instrument). A null field sets no limit
/// at this scope; every scope that applies to an order is checked, so the strictest limit of each kind decides. Money limits
/// are in the scope's currency (the host converts the order's figures into it).
/// </summary>
/// <param name="MaxOrderQuantity">Shares per order.</param>
/// <param name="MaxOrderNotional">Quantity times price per order (for an order without a price: its stop price, else the reference price).</param>
/// <param name="PriceCollarPct">How far, in percent, a limit price may be from the reference price (the last trade, else the prior close): the fat-finger check.</param>
/// <param name="MaxOpenOrders">Working and held orders of the account, this one included.</param>
/// <param name="MaxOpenNotional">Notional of the account's working and held orders, this one included.</param>
/// <param name="MaxLongPosition">Shares long in the instrument if the whole order executed.</param>
/// <param name="MaxShortPosition">Shares short in the instrument if the whole order executed (a positive number).</param>
/// <param name="MaxConcentrationPct">
/// The instrument's share of the account's portfolio value, in percent, if the whole order executed: the position's market value
/// (gross) over the account's net liquidation value (cash plus every position's market value, shorts negative). Checked only for an
/// order that makes the position larger.
/// </param>
/// <param name="MaxIssuerHoldingPct">
/// The account's holding of the issuer's shares outstanding, in percent, if the whole order executed: its net position in every
/// listing of the share (same ISIN), long or short, over the shares outstanding. Checked only for an order that makes the holding larger.
/// </param>
/// <param name="MaxAdvPct">
/// The order's quantity as a percentage of the instrument's average daily volume (the volume collar): 10 refuses an order for more
/// than a tenth of a day's volume. An instrument with no known volume has no room for any order under it.
/// </param>
/// <param name="MaxVar">
/// The account's one-day 99% historical VaR, in the scope's currency. Not a pre-trade check (a VaR over a year of history is too
/// costly per order, and one order barely moves it): the host's risk alert monitor compares each account's VaR with it and alerts.
/// </param>
public readonly record struct RiskLimits(
    long? MaxOrderQuantity = null,
    decimal? MaxOrderNotional = null,
    decimal? PriceCollarPct = null,
    int? MaxOpenOrders = null,
    decimal? MaxOpenNotional = null,
    long? MaxLongPosition = null,
    long? MaxShortPosition = null,
    decimal? MaxConcentrationPct = null,
    decimal? MaxIssuerHoldingPct = null,
    decimal? MaxAdvPct = null,
    decimal? MaxVar = null)
{
    /// <summary>True when no limit is set.</summary>
    public bool IsEmpty => MaxOrderQuantity is null && MaxOrderNotional is null && PriceCollarPct is null && MaxOpenOrders is null &&
                           MaxOpenNotional is null && MaxLongPosition is null && MaxShortPosition is null && MaxConcentrationPct is null &&
                           MaxIssuerHoldingPct is null && MaxAdvPct is null && MaxVar is null;

    /// <summary>True when a concentration limit is set: the host must then give the order's portfolio figures.</summary>
    public bool NeedsPortfolio => MaxConcentrationPct is not null || MaxIssuerHoldingPct is not null;
}

/// <summary>
/// What the pre-trade check needs to know about a new order and its account, in the currency of the limits being checked.
/// </summary>
/// <param name="Side">Buy or sell.</param>
/// <param name="Quantity">Shares.</param>
/// <param name="LimitPrice">The limit price; zero for an order without one (market, stop).</param>
/// <param name="Notional">Quantity times the order's unit value (limit price, else stop price, else reference price).</param>
/// <param name="ReferencePrice">The last trade's price today, else the prior close; zero when unknown.</param>
/// <param name="Position">The account's position in the instrument now (negative when short).</param>
/// <param name="OpenOrders">The account's working and held orders before this one.</param>
/// <param name="OpenNotional">Their notional.</param>
/// <param name="PositionValueAfter">
/// The market value of the position in the instrument if the whole order executed, as a positive amount (gross), in any currency
/// that <paramref name="PortfolioValue"/> shares; only read when a concentration limit is set.
/// </param>
/// <param name="PortfolioValue">The account's net liquidation value: cash plus every position's market value (shorts negative).</param>
/// <param name="IssuerHolding">
/// The account's net position in the issuer's shares now, every listing of the share (same ISIN) together; shares, negative when short.
/// </param>
/// <param name="SharesOutstanding">The issuer's shares outstanding (reference data); zero when unknown.</param>
/// <param name="AverageDailyVolume">The instrument's average daily volume in shares; zero when unknown; only read when a volume collar is set.</param>
public readonly record struct PreTradeOrder(
    Side Side,
    long Quantity,
    decimal LimitPrice,
    decimal Notional,
    decimal ReferencePrice,
    long Position,
    int OpenOrders,
    decimal OpenNotional,
    decimal PositionValueAfter = 0m,
    decimal PortfolioValue = 0m,
    long IssuerHolding = 0,
    long SharesOutstanding = 0,
    long AverageDailyVolume = 0);

/// <summary>
/// A pre-trade check's verdict: pass (<see cref="RejectCode.None"/>), or the risk reason code with the limit that refused the
/// order, its value and the order's figure it was compared with.
/// </summary>
public readonly record struct RiskVerdict(RejectCode Code, RiskLimitKind Limit, decimal LimitValue, decimal OrderValue)
{
    /// <summary>The order passes.</summary>
    public static readonly RiskVerdict Pass = default;

    /// <summary>True when the order passes.</summary>
    public bool Passed => Code == RejectCode.None;
}
