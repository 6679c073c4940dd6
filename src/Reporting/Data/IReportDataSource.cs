namespace TradSys.Reporting.Data;

/// <summary>
/// The port through which reports read their data. The host implements it over its database; the
/// reports never see the persistence model. A business day is a local date in a time zone: the
/// source returns what happened from that date's local midnight to the next.
/// </summary>
public partial interface IReportDataSource
{
    /// <summary>The venue's trades on the day (venue time), oldest first.</summary>
    Task<DailyTradeData> GetDailyTradesAsync(string venueCode, DateOnly businessDate, CancellationToken cancellationToken);

    /// <summary>Orders blocked or held for review by the rule packs on the day, with their decisions.</summary>
    Task<ComplianceData> GetComplianceDecisionsAsync(DateOnly businessDate, string timeZone, CancellationToken cancellationToken);

    /// <summary>The day's audit records and the verification of the whole chain.</summary>
    Task<AuditTrailData> GetAuditTrailAsync(DateOnly businessDate, string timeZone, CancellationToken cancellationToken);
}

/// <summary>A venue as a report names it.</summary>
/// <param name="Code">Venue code (ADX).</param>
/// <param name="Mic">ISO 10383 MIC (XADS).</param>
/// <param name="Name">Full name.</param>
/// <param name="Currency">Trading currency.</param>
/// <param name="TimeZone">IANA time zone.</param>
public sealed record VenueInfo(string Code, string Mic, string Name, string Currency, string TimeZone);

/// <summary>A party to a trade: account id and names.</summary>
/// <param name="AccountId">Account id.</param>
/// <param name="Name">Latin name.</param>
/// <param name="NameAr">Arabic name, when on file.</param>
public sealed record PartyInfo(long AccountId, string Name, string? NameAr);

/// <summary>One executed trade.</summary>
/// <param name="TradeId">Trade id.</param>
/// <param name="ExecutedAtUtc">Execution time (UTC).</param>
/// <param name="Symbol">Instrument symbol.</param>
/// <param name="Isin">ISIN.</param>
/// <param name="Issuer">Issuer's Latin name.</param>
/// <param name="IssuerAr">Issuer's official Arabic name, when on file.</param>
/// <param name="Price">Price.</param>
/// <param name="Quantity">Shares.</param>
/// <param name="Currency">Currency.</param>
/// <param name="Buyer">Buying account.</param>
/// <param name="Seller">Selling account.</param>
/// <param name="AggressorSide">Buy or Sell: who took liquidity.</param>
public sealed record TradeRow(long TradeId, DateTime ExecutedAtUtc, string Symbol, string Isin, string Issuer, string? IssuerAr,
    decimal Price, long Quantity, string Currency, PartyInfo Buyer, PartyInfo Seller, string AggressorSide)
{
    /// <summary>Price times quantity.</summary>
    public decimal Value => Price * Quantity;
}

/// <summary>The daily trade report's data.</summary>
/// <param name="Venue">The venue.</param>
/// <param name="BusinessDate">The venue-local trading day.</param>
/// <param name="Trades">Its trades, oldest first.</param>
public sealed record DailyTradeData(VenueInfo Venue, DateOnly BusinessDate, IReadOnlyList<TradeRow> Trades);

/// <summary>A rule that fired on an order, as stored with the decision.</summary>
/// <param name="PackId">Rule pack.</param>
/// <param name="PackVersion">Pack version.</param>
/// <param name="RuleId">Rule id.</param>
/// <param name="Outcome">Block, Review, Report or Warn.</param>
/// <param name="ReasonCode">Reason code.</param>
/// <param name="Message">The rule's explanation.</param>
/// <param name="Regulation">Regulation article.</param>
/// <param name="Inputs">Input values the rule read, as text ("name=value"), in name order.</param>
public sealed record FiredRule(string PackId, string PackVersion, string RuleId, string Outcome, string ReasonCode, string Message,
    string Regulation, IReadOnlyList<string> Inputs);

/// <summary>An order the rule packs blocked or held for review.</summary>
/// <param name="OrderId">Order id.</param>
/// <param name="DecidedAtUtc">Decision time.</param>
/// <param name="Account">Account.</param>
/// <param name="Symbol">Instrument.</param>
/// <param name="Side">Buy or Sell.</param>
/// <param name="Quantity">Quantity.</param>
/// <param name="Price">Limit price (none for market orders).</param>
/// <param name="Outcome">Block or Review.</param>
/// <param name="Status">The order's status now (Rejected, PendingReview, Canceled, ...).</param>
/// <param name="Reviewer">Who reviewed it and what they decided; null when no review has been recorded.</param>
/// <param name="Rules">The rules that fired.</param>
/// <param name="Fault">Why the decision could not be computed, if it could not.</param>
public sealed record DecisionRow(long OrderId, DateTime DecidedAtUtc, PartyInfo Account, string Symbol, string Side, long Quantity, decimal? Price,
    string Outcome, string Status, string? Reviewer, IReadOnlyList<FiredRule> Rules, string? Fault);

/// <summary>The compliance report's data.</summary>
/// <param name="BusinessDate">The day.</param>
/// <param name="TimeZone">The time zone of the day.</param>
/// <param name="Decisions">Blocked and reviewed orders, in decision order.</param>
public sealed record ComplianceData(DateOnly BusinessDate, string TimeZone, IReadOnlyList<DecisionRow> Decisions);

/// <summary>One audit record.</summary>
/// <param name="Id">Sequence number in the chain.</param>
/// <param name="TimestampUtc">When.</param>
/// <param name="Actor">Who.</param>
/// <param name="Action">What.</param>
/// <param name="Subject">On what.</param>
/// <param name="Hash">The record's SHA-256 link.</param>
/// <param name="PreviousHash">The previous record's hash.</param>
public sealed record AuditRow(long Id, DateTime TimestampUtc, string Actor, string Action, string Subject, string Hash, string PreviousHash);

/// <summary>The verification of the audit chain.</summary>
/// <param name="Valid">True when every link holds.</param>
/// <param name="RecordsChecked">Records walked.</param>
/// <param name="FirstBrokenId">The first record that is missing, mis-linked or altered.</param>
/// <param name="Problem">What is wrong with it.</param>
public sealed record ChainVerification(bool Valid, long RecordsChecked, long? FirstBrokenId, string? Problem);

/// <summary>The audit-trail extract's data.</summary>
/// <param name="BusinessDate">The day.</param>
/// <param name="TimeZone">The time zone of the day.</param>
/// <param name="Records">The day's records in chain order.</param>
/// <param name="Verification">The whole chain's verification at generation time.</param>
public sealed record AuditTrailData(DateOnly BusinessDate, string TimeZone, IReadOnlyList<AuditRow> Records, ChainVerification Verification);
