namespace TradSys.Reporting.Data;

// The daily risk report reads the day's breaches, each account's VaR with its backtest and the largest exposures through the same
// port as the other reports. The VaR figures are computed by the host with the code behind GET /api/v1/risk/var (historical
// simulation, 1 day, 99%), so the report and the API cannot disagree; the report lays them out.
public partial interface IReportDataSource
{
    /// <summary>
    /// The limits breached on the day (the risk alert monitor's Breached alerts raised in it), every account holding positions at the
    /// day's end with the one-day 99% historical VaR of those positions and its backtest, and the largest positions of the firm.
    /// </summary>
    Task<DailyRiskData> GetDailyRiskAsync(DateOnly businessDate, string timeZone, CancellationToken cancellationToken);
}

/// <summary>A limit breach: the alert the risk alert monitor raised when a limit's utilisation reached 100%.</summary>
/// <param name="AlertId">The alert's id (GET /api/v1/risk/alerts).</param>
/// <param name="RaisedAtUtc">When it was raised.</param>
/// <param name="Account">The account.</param>
/// <param name="Limit">The limit's name (MaxLongPosition, MaxOpenNotional, BuyingPower, MaxVar...).</param>
/// <param name="Symbol">The instrument, for a limit per position.</param>
/// <param name="Scope">Where the limit is set, in words.</param>
/// <param name="LimitValue">The limit.</param>
/// <param name="Used">What the account used of it.</param>
/// <param name="Unit">Shares, orders, a currency, or a percentage.</param>
/// <param name="UtilisationPct">Used as a percentage of the limit (null for a zero limit).</param>
/// <param name="AcknowledgedBy">The risk officer who acknowledged it, if anyone has.</param>
public sealed record RiskBreachRow(long AlertId, DateTime RaisedAtUtc, PartyInfo Account, string Limit, string? Symbol, string Scope, decimal LimitValue,
    decimal Used, string Unit, decimal? UtilisationPct, string? AcknowledgedBy);

/// <summary>The backtest of an account's one-day VaR (Kupiec's proportion-of-failures test; the Basel zone at 99%).</summary>
/// <param name="Observations">Days compared.</param>
/// <param name="From">The first day compared.</param>
/// <param name="To">The last day compared.</param>
/// <param name="Exceptions">Days whose loss exceeded that day's VaR.</param>
/// <param name="ExceptionDates">Those days.</param>
/// <param name="ExpectedExceptions">Observations x 1%.</param>
/// <param name="KupiecStatistic">Kupiec's likelihood ratio (chi-square, 1 degree of freedom).</param>
/// <param name="PValue">Its p-value: below 0.05 the model is rejected at the 5% level.</param>
/// <param name="Zone">Green, Yellow or Red.</param>
public sealed record VarBacktestRow(int Observations, DateOnly From, DateOnly To, int Exceptions, IReadOnlyList<DateOnly> ExceptionDates,
    double ExpectedExceptions, double KupiecStatistic, double PValue, string Zone);

/// <summary>One account's VaR: its positions' gross value, the VaR and expected shortfall (losses, positive) in its base currency.</summary>
/// <param name="Account">The account.</param>
/// <param name="Currency">Its base currency, the currency of the figures.</param>
/// <param name="Positions">Instruments held.</param>
/// <param name="GrossExposure">The sum of the positions' absolute values.</param>
/// <param name="ValueAtRisk">One-day 99% historical VaR; null when it could not be computed (see <paramref name="Note"/>).</param>
/// <param name="ExpectedShortfall">The expected shortfall at the same confidence; null with the VaR.</param>
/// <param name="WindowDays">Days of returns behind the figure.</param>
/// <param name="Backtest">The backtest, when the history is long enough for one.</param>
/// <param name="Note">Why there is no figure or no backtest.</param>
public sealed record AccountVarRow(PartyInfo Account, string Currency, int Positions, decimal GrossExposure, decimal? ValueAtRisk,
    decimal? ExpectedShortfall, int WindowDays, VarBacktestRow? Backtest, string? Note);

/// <summary>
/// The firm's VaR: every account's positions at the day's end valued in <paramref name="Currency"/> and netted per instrument (a long in
/// one account offsets a short in another), with the same method as per account (historical simulation, 1 day, 99%).
/// </summary>
/// <param name="Currency">The currency of the figures (the report's).</param>
/// <param name="Accounts">Accounts whose positions are aggregated.</param>
/// <param name="Instruments">Instruments the firm holds net of zero.</param>
/// <param name="GrossExposure">The sum of the absolute net positions.</param>
/// <param name="ValueAtRisk">The firm's VaR; zero when every instrument nets to zero; null when it could not be computed.</param>
/// <param name="ExpectedShortfall">The expected shortfall at the same confidence.</param>
/// <param name="WindowDays">Days of returns behind the figure.</param>
/// <param name="Backtest">The backtest of the firm's figure, when the history is long enough.</param>
/// <param name="Note">Why there is no figure or no backtest, or that the positions net to zero.</param>
public sealed record FirmVarRow(string Currency, int Accounts, int Instruments, decimal GrossExposure, decimal? ValueAtRisk, decimal? ExpectedShortfall,
    int WindowDays, VarBacktestRow? Backtest, string? Note);

/// <summary>One position as the report's exposure table shows it.</summary>
/// <param name="Account">The account.</param>
/// <param name="Symbol">The instrument.</param>
/// <param name="Quantity">Net shares (negative when short).</param>
/// <param name="Price">The mark: the day's last trade, else the reference price stored for the day (else the nearest earlier stored day's,
/// else today's).</param>
/// <param name="PriceSource">Last, or the reference price's label (<see cref="PriceChoice.Label"/>: "Reference 2026-12-03", "Reference
/// 2026-12-01 (nearest earlier)", "Reference (today's)").</param>
/// <param name="Currency">The instrument's currency.</param>
/// <param name="MarketValue">Quantity x price x multiplier, in <paramref name="Currency"/>.</param>
/// <param name="Value">The market value in the report's currency.</param>
public sealed record ExposureLine(PartyInfo Account, string Symbol, long Quantity, decimal Price, string PriceSource, string Currency, decimal MarketValue,
    decimal Value);

/// <summary>The daily risk report's data.</summary>
/// <param name="BusinessDate">The day.</param>
/// <param name="TimeZone">The time zone of the day.</param>
/// <param name="Currency">The currency the exposures are compared in.</param>
/// <param name="Breaches">The day's breaches, in the order they were raised.</param>
/// <param name="Accounts">Every account holding positions at the day's end, highest VaR first.</param>
/// <param name="LargestExposures">The largest positions by absolute value in <paramref name="Currency"/>, at most <see cref="MaxExposures"/>.</param>
/// <param name="Notes">What the reader should know of the figures (the demo history, FX rates, positions left out).</param>
/// <param name="Firm">The firm-wide VaR of the aggregate positions; null when no account holds positions.</param>
public sealed record DailyRiskData(DateOnly BusinessDate, string TimeZone, string Currency, IReadOnlyList<RiskBreachRow> Breaches,
    IReadOnlyList<AccountVarRow> Accounts, IReadOnlyList<ExposureLine> LargestExposures, IReadOnlyList<string> Notes, FirmVarRow? Firm = null)
{
    /// <summary>The number of positions the exposure table lists.</summary>
    public const int MaxExposures = 20;
}
