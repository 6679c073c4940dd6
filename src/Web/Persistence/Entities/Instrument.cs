namespace TradSys.Web.Persistence.Entities;

/// <summary>A listed instrument with the inputs the Sharia screens need.</summary>
public sealed class Instrument
{
    /// <summary>Trading symbol, unique across venues (internal-venue lines carry a .INT suffix).</summary>
    public required string Symbol { get; set; }
    public required string Isin { get; set; }
    public required string Name { get; set; }
    /// <summary>The official or client-given Arabic name, for reports (null when not on file).</summary>
    public string? NameAr { get; set; }
    public required string VenueCode { get; set; }
    public required string Currency { get; set; }
    public required string Sector { get; set; }
    public bool IsDerivative { get; set; }
    public bool IsInterestBearing { get; set; }
    public long LotSize { get; set; }
    /// <summary>Previous close: the reference for daily price limits.</summary>
    public decimal ReferencePrice { get; set; }
    public InstrumentStatus Status { get; set; } = InstrumentStatus.Trading;
    /// <summary>The last closing price (closing auction price, else the venue's fallback), and the venue-local day it closed;
    /// it becomes <see cref="ReferencePrice"/> when that day's session closes.</summary>
    public decimal? ClosingPrice { get; set; }
    public DateOnly? ClosingPriceOn { get; set; }
    /// <summary>While set and in the future, a volatility suspension holds the instrument (no matching until it is uncrossed).</summary>
    public DateTime? SuspendedUntil { get; set; }
    /// <summary>The issuer's shares outstanding (0 when not on file): the net short position's and the issuer holding limit's denominator.</summary>
    public long IssuedShares { get; set; }
    public ShariaInputs Sharia { get; set; } = new();

    // Reference-data flags and figures the rule packs read (OrderContext.Instrument / Market).

    /// <summary>A complex product (MiFID II Art 25(4)): appropriateness test for execution-only retail.</summary>
    public bool IsComplex { get; set; }
    /// <summary>An OTC (not exchange-traded) derivative.</summary>
    public bool IsOtc { get; set; }
    /// <summary>Derivative asset class (EMIR clearing thresholds).</summary>
    public AssetClass AssetClass { get; set; }
    /// <summary>A liquid share on ESMA's list (SSR Art 23).</summary>
    public bool IsLiquid { get; set; }
    /// <summary>Payments on it are US-source FDAP (FATCA withholding).</summary>
    public bool IsUsSource { get; set; }
    /// <summary>On the firm's restricted list (15c3-5(c)(2)).</summary>
    public bool IsRestricted { get; set; }
    /// <summary>On the Reg SHO threshold list.</summary>
    public bool IsOnThresholdList { get; set; }
    /// <summary>On the exchange's short-selling eligible list (SCA).</summary>
    public bool IsOnShortSellEligibleList { get; set; }
    /// <summary>Foreign ownership limit per the issuer's articles, percent of issued shares (100 = no limit).</summary>
    public decimal ForeignOwnershipLimitPct { get; set; } = 100m;
    /// <summary>Current foreign holding, percent of issued shares (from the depository's daily figure).</summary>
    public decimal ForeignHoldingPct { get; set; }
    /// <summary>When the issuer next publishes financial statements (insider blackout), if announced.</summary>
    public DateOnly? NextFinancialStatementsOn { get; set; }
    /// <summary>Average daily volume in shares (size collar), from the venue's statistics.</summary>
    public long AverageDailyVolume { get; set; }

    // Transaction reporting (MiFIR Art 26(2), EMIR Art 9).

    /// <summary>
    /// Admitted to trading or traded on an EU trading venue, as ESMA's FIRDS reference data lists it on <see cref="FirdsCheckedOn"/>:
    /// MiFIR Art 26(2) makes transactions in it reportable wherever they execute.
    /// </summary>
    public bool TradedOnEuVenue { get; set; }
    /// <summary>When <see cref="TradedOnEuVenue"/> was last checked against FIRDS.</summary>
    public DateOnly? FirdsCheckedOn { get; set; }
    /// <summary>A derivative's underlying ISIN.</summary>
    public string? UnderlyingIsin { get; set; }
    /// <summary>A derivative's expiry (last trading) date.</summary>
    public DateOnly? ExpiresOn { get; set; }
    /// <summary>Units of the underlying per contract (price multiplier): notional = price x quantity x multiplier. 1 for shares.</summary>
    public decimal PriceMultiplier { get; set; } = 1m;
    /// <summary>Where the transaction-reporting figures above came from; illustrative ones are marked so.</summary>
    public string? ReportingSource { get; set; }
}

/// <summary>
/// Balance-sheet and income inputs for the Sharia screens (AAOIFI SS21, S&amp;P, MSCI, FTSE):
/// each methodology divides a different numerator by a different denominator, so all are kept.
/// Amounts in <see cref="ReportingCurrency"/>.
/// </summary>
public sealed class ShariaInputs
{
    public decimal TotalDebt { get; set; }
    public decimal CashAndInterestBearingSecurities { get; set; }
    public decimal Receivables { get; set; }
    public decimal NonPermissibleIncome { get; set; }
    public decimal TotalRevenue { get; set; }
    public decimal MarketCap { get; set; }
    /// <summary>36-month average market value of equity (S&amp;P denominator).</summary>
    public decimal AverageMarketCap36M { get; set; }
    public decimal TotalAssets { get; set; }
    public string ReportingCurrency { get; set; } = "";
    public DateOnly? AsOf { get; set; }
    /// <summary>Where the figures came from.</summary>
    public string Source { get; set; } = "";
}
