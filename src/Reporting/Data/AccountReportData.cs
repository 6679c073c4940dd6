namespace TradSys.Reporting.Data;

// The account-level reports (Sharia compliance with dividend purification, FATCA accounts) read these through the
// same port as the venue and firm reports. The port returns facts from the database; the reports compute the
// screening ratios, purification amounts and FATCA classification from them (ShariaComplianceReport.Compute,
// FatcaAccountReport.Compute), so the rules of those computations live in one pure, tested place.
public partial interface IReportDataSource
{
    /// <summary>
    /// The Sharia-only accounts with their holdings at the end of the day, the Sharia pack's screening parameters as
    /// published, the screening inputs of the instruments involved, the dividends whose ex-date falls between 1 January
    /// and the day with each account's entitlement, the FX rates, and the day's Sharia-pack decisions on those accounts.
    /// </summary>
    Task<ShariaInputData> GetShariaInputsAsync(DateOnly businessDate, string timeZone, CancellationToken cancellationToken);

    /// <summary>
    /// Every account with its FATCA documentation facts, and for the calendar year up to the day: the value of its
    /// holdings at the day's end, the dividends paid to it and the gross proceeds of its sales, with the FX rates used.
    /// </summary>
    Task<FatcaInputData> GetFatcaInputsAsync(DateOnly businessDate, string timeZone, CancellationToken cancellationToken);
}

/// <summary>A reference FX rate as the reports use it.</summary>
/// <param name="Currency">ISO 4217 code.</param>
/// <param name="UsdPerUnit">US dollars per unit.</param>
/// <param name="AsOf">The date the rate is for.</param>
/// <param name="Source">Where it came from.</param>
public sealed record FxRateInfo(string Currency, decimal UsdPerUnit, DateOnly AsOf, string Source);

/// <summary>An issuer's Sharia screening inputs, in <paramref name="Currency"/>.</summary>
/// <param name="TotalDebt">Interest-bearing debt.</param>
/// <param name="CashAndInterestBearingSecurities">Cash and interest-bearing securities.</param>
/// <param name="Receivables">Receivables.</param>
/// <param name="NonPermissibleIncome">Income from non-permissible activities.</param>
/// <param name="TotalRevenue">Total revenue.</param>
/// <param name="MarketCap">Market capitalisation (AAOIFI denominator).</param>
/// <param name="AverageMarketCap36M">36-month average market value of equity (S&amp;P denominator).</param>
/// <param name="TotalAssets">Total assets (MSCI denominator).</param>
/// <param name="Currency">Currency of the figures.</param>
/// <param name="AsOf">Date of the figures; null when none are on file.</param>
/// <param name="Source">Where they came from.</param>
public sealed record ShariaFigures(decimal TotalDebt, decimal CashAndInterestBearingSecurities, decimal Receivables, decimal NonPermissibleIncome,
    decimal TotalRevenue, decimal MarketCap, decimal AverageMarketCap36M, decimal TotalAssets, string Currency, DateOnly? AsOf, string Source);

/// <summary>An instrument as the account reports describe it.</summary>
/// <param name="Symbol">Symbol.</param>
/// <param name="Isin">ISIN (internal-venue lines share their listing's).</param>
/// <param name="Issuer">Issuer's Latin name.</param>
/// <param name="IssuerAr">Issuer's Arabic name, when on file.</param>
/// <param name="Venue">Venue code.</param>
/// <param name="Currency">Trading currency.</param>
/// <param name="Sector">Sector as recorded.</param>
/// <param name="IsDerivative">A derivative.</param>
/// <param name="IsInterestBearing">An interest-bearing instrument.</param>
/// <param name="IssuedShares">Shares in issue.</param>
/// <param name="Sharia">Screening inputs.</param>
public sealed record InstrumentFacts(string Symbol, string Isin, string Issuer, string? IssuerAr, string Venue, string Currency, string Sector,
    bool IsDerivative, bool IsInterestBearing, long IssuedShares, ShariaFigures Sharia);

/// <summary>The Sharia pack's screening parameters as published (what the order path enforces).</summary>
/// <param name="PackId">Pack id (sharia).</param>
/// <param name="PackVersion">Published version.</param>
/// <param name="Methodology">AAOIFI, SP or MSCI.</param>
/// <param name="Limits">The numeric parameters (percent limits), by parameter name.</param>
/// <param name="ExcludedSectors">Sectors excluded under every methodology (lower case).</param>
/// <param name="MsciExtraSectors">Sectors MSCI also excludes (lower case).</param>
public sealed record ShariaScreenParameters(string PackId, string PackVersion, string Methodology, IReadOnlyDictionary<string, decimal> Limits,
    IReadOnlyList<string> ExcludedSectors, IReadOnlyList<string> MsciExtraSectors);

/// <summary>A declared cash dividend.</summary>
/// <param name="DividendId">Row id.</param>
/// <param name="Symbol">Listing it was declared on.</param>
/// <param name="Isin">ISIN: holdings on every line of it count.</param>
/// <param name="ExDate">Ex-date (venue time).</param>
/// <param name="RecordDate">Record date.</param>
/// <param name="PaymentDate">Payment date.</param>
/// <param name="AmountPerShare">Gross amount per share.</param>
/// <param name="Currency">Currency of the amount.</param>
/// <param name="Source">Where the figures came from.</param>
public sealed record DividendFacts(long DividendId, string Symbol, string Isin, DateOnly ExDate, DateOnly RecordDate, DateOnly PaymentDate,
    decimal AmountPerShare, string Currency, string Source);

/// <summary>Shares of a dividend's ISIN an account held at the end of the day before the ex-date (the record-date entitlement).</summary>
/// <param name="DividendId">The dividend.</param>
/// <param name="SharesHeld">Shares held (0 or more; a short position is entitled to nothing).</param>
public sealed record DividendEntitlement(long DividendId, long SharesHeld);

/// <summary>A position in one instrument.</summary>
/// <param name="Symbol">Instrument.</param>
/// <param name="Quantity">Net shares (negative when short).</param>
public sealed record PositionRow(string Symbol, long Quantity);

/// <summary>One Sharia-only account's facts.</summary>
/// <param name="Account">The account.</param>
/// <param name="Holdings">Positions at the end of the day (flat ones left out).</param>
/// <param name="Entitlements">Its entitlement to each dividend of the year to date (none when it held no shares).</param>
/// <param name="Decisions">The day's orders on it that the Sharia pack blocked or held, with the Sharia rules that fired.</param>
public sealed record ShariaAccountInputs(PartyInfo Account, IReadOnlyList<PositionRow> Holdings, IReadOnlyList<DividendEntitlement> Entitlements,
    IReadOnlyList<DecisionRow> Decisions);

/// <summary>What the Sharia compliance report is computed from.</summary>
/// <param name="BusinessDate">The day.</param>
/// <param name="TimeZone">Time zone of the day.</param>
/// <param name="Screen">The published screening parameters.</param>
/// <param name="Instruments">Every instrument held or paying a dividend in the period.</param>
/// <param name="Dividends">Dividends whose ex-date is between 1 January and the day.</param>
/// <param name="Fx">The reference FX rates of the day.</param>
/// <param name="Accounts">Every Sharia-only account.</param>
/// <param name="DividendFx">
/// The rates each dividend's purification is converted at, by dividend id: those of its payment date, or of the report's day when it
/// pays later (chosen like <paramref name="Fx"/>: the day's stored rates, else the nearest earlier stored day's, else today's). A
/// dividend not in it is converted at <paramref name="Fx"/>.
/// </param>
public sealed record ShariaInputData(DateOnly BusinessDate, string TimeZone, ShariaScreenParameters Screen, IReadOnlyList<InstrumentFacts> Instruments,
    IReadOnlyList<DividendFacts> Dividends, IReadOnlyList<FxRateInfo> Fx, IReadOnlyList<ShariaAccountInputs> Accounts,
    IReadOnlyDictionary<long, IReadOnlyList<FxRateInfo>>? DividendFx = null);

/// <summary>An account's FATCA facts as recorded at onboarding and by compliance.</summary>
/// <param name="Account">The account.</param>
/// <param name="Jurisdiction">Booking jurisdiction.</param>
/// <param name="AddressCountry">ISO 3166 country of residence / registered address; null when not on file.</param>
/// <param name="IsLegalEntity">An entity (W-8BEN-E) rather than an individual (W-8BEN).</param>
/// <param name="FatcaStatus">Documentation state.</param>
/// <param name="UsIndicia">US indicia found (flag names).</param>
/// <param name="HasW9">A W-9 is on file.</param>
/// <param name="UsTin">The TIN from the W-9, when on file.</param>
/// <param name="W8ExpiresOn">Expiry of the W-8BEN / W-8BEN-E, when on file.</param>
/// <param name="Giin">GIIN (entities), when on file.</param>
/// <param name="GiinOnFfiList">The GIIN was found on the IRS FFI list at the last check.</param>
/// <param name="IsPreexisting">A pre-existing account (opened before the FATCA cut-off).</param>
/// <param name="BalanceUsdOnFile">The balance on file that the due-diligence tiers use (USD).</param>
/// <param name="EnhancedReviewDone">The enhanced review of a high-value account was completed.</param>
public sealed record FatcaAccountFacts(PartyInfo Account, string Jurisdiction, string? AddressCountry, bool IsLegalEntity, string FatcaStatus,
    IReadOnlyList<string> UsIndicia, bool HasW9, string? UsTin, DateOnly? W8ExpiresOn, string? Giin, bool GiinOnFfiList, bool IsPreexisting,
    decimal BalanceUsdOnFile, bool EnhancedReviewDone);

/// <summary>An amount in its currency.</summary>
/// <param name="Amount">The amount.</param>
/// <param name="Currency">ISO 4217 code.</param>
public sealed record CurrencyAmount(decimal Amount, string Currency);

/// <summary>A position valued at the end of the period.</summary>
/// <param name="Symbol">Instrument.</param>
/// <param name="Quantity">Net shares.</param>
/// <param name="Price">The last trade price on or before the period end, else the instrument's reference price.</param>
/// <param name="PriceSource">"last trade yyyy-MM-dd" or "reference price".</param>
/// <param name="Currency">Currency of the price.</param>
public sealed record ValuedPosition(string Symbol, long Quantity, decimal Price, string PriceSource, string Currency);

/// <summary>A dividend paid to an account in the period.</summary>
/// <param name="Symbol">Listing.</param>
/// <param name="PaymentDate">Payment date.</param>
/// <param name="SharesHeld">Entitled shares (held at the end of the day before the ex-date).</param>
/// <param name="AmountPerShare">Amount per share.</param>
/// <param name="Currency">Currency.</param>
public sealed record DividendPaid(string Symbol, DateOnly PaymentDate, long SharesHeld, decimal AmountPerShare, string Currency);

/// <summary>One account's FATCA inputs for the period.</summary>
/// <param name="Facts">Documentation facts.</param>
/// <param name="Positions">Positions at the period end, valued.</param>
/// <param name="Dividends">Dividends paid to it in the period.</param>
/// <param name="SaleProceeds">Gross proceeds of its sales in the period, per currency.</param>
public sealed record FatcaAccountInputs(FatcaAccountFacts Facts, IReadOnlyList<ValuedPosition> Positions, IReadOnlyList<DividendPaid> Dividends,
    IReadOnlyList<CurrencyAmount> SaleProceeds);

/// <summary>What the FATCA account report is computed from.</summary>
/// <param name="BusinessDate">The period end (the report's day).</param>
/// <param name="TimeZone">Time zone of the day.</param>
/// <param name="PeriodStart">1 January of the day's year: FATCA reports calendar years.</param>
/// <param name="Fx">The reference FX rates.</param>
/// <param name="Accounts">Every account.</param>
public sealed record FatcaInputData(DateOnly BusinessDate, string TimeZone, DateOnly PeriodStart, IReadOnlyList<FxRateInfo> Fx,
    IReadOnlyList<FatcaAccountInputs> Accounts);
