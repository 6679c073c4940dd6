using TradSys.Engine;

namespace TradSys.Rules.Context;

/// <summary>
/// Everything a rule expression may read about one order: the order, its account, the instrument, the venue,
/// the market state and the aggregates the pipeline computed. The pipeline fills a pooled instance (setters),
/// evaluates, and calls <see cref="Reset"/> before reuse; rule expressions can only read it, because the
/// sandbox admits no assignment and no method that mutates.
/// </summary>
/// <remarks>Money is <see cref="decimal"/> in currency units (not engine ticks): rules compare against
/// officers' thresholds in the same units. Percentages are percent values (0.1 means 0.1%).</remarks>
public sealed class OrderContext
{
    /// <summary>The order being checked.</summary>
    public OrderView Order { get; } = new();

    /// <summary>The account the order is for.</summary>
    public AccountView Account { get; } = new();

    /// <summary>The instrument traded.</summary>
    public InstrumentView Instrument { get; } = new();

    /// <summary>The venue the order goes to.</summary>
    public VenueView Venue { get; } = new();

    /// <summary>Market state at evaluation time.</summary>
    public MarketView Market { get; } = new();

    /// <summary>Aggregates over the account's activity, computed before evaluation.</summary>
    public AggregatesView Aggregates { get; } = new();

    /// <summary>Clears every field back to its default, for pooling.</summary>
    public void Reset()
    {
        Order.Reset();
        Account.Reset();
        Instrument.Reset();
        Venue.Reset();
        Market.Reset();
        Aggregates.Reset();
    }
}

/// <summary>The order being checked.</summary>
public sealed class OrderView
{
    /// <summary>The client's order id.</summary>
    public string ClientOrderId { get; set; } = "";
    /// <summary>Buy or sell.</summary>
    public Side Side { get; set; } = Side.Buy;
    /// <summary>Limit or market.</summary>
    public OrderType Type { get; set; } = OrderType.Limit;
    /// <summary>Day or good-till-canceled.</summary>
    public TimeInForce TimeInForce { get; set; } = TimeInForce.Day;
    /// <summary>Quantity in shares (contracts for derivatives).</summary>
    public long Quantity { get; set; }
    /// <summary>Limit price in currency units; 0 for market orders.</summary>
    public decimal Price { get; set; }
    /// <summary>Price (or reference price for market orders) times quantity, in the instrument's currency.</summary>
    public decimal Notional { get; set; }
    /// <summary>The notional converted to the account's credit currency.</summary>
    public decimal NotionalInAccountCurrency { get; set; }
    /// <summary>The notional converted to euros (MiFID, EMIR thresholds).</summary>
    public decimal NotionalEur { get; set; }
    /// <summary>Long / short / short-exempt marking of a sell.</summary>
    public ShortMarking ShortMarking { get; set; }
    /// <summary>Reg SHO locate reference or borrow confirmation id; empty when none.</summary>
    public string LocateId { get; set; } = "";
    /// <summary>True when the shares to be sold short are already borrowed (or a lending confirmation exists).</summary>
    public bool HasBorrowedShares { get; set; }
    /// <summary>True when the order uses interest-bearing margin or borrowing.</summary>
    public bool UsesMargin { get; set; }
    /// <summary>True when the order results from advice or a discretionary mandate (not execution-only).</summary>
    public bool IsAdvised { get; set; }
    /// <summary>True when the entering user is authorised for this account and instrument (15c3-5(c)(2)).</summary>
    public bool TraderAuthorised { get; set; } = true;
    /// <summary>Mark-up charged over the execution price, in basis points.</summary>
    public decimal MarkupBps { get; set; }
    /// <summary>True when the mark-up was disclosed to the client before the order.</summary>
    public bool MarkupDisclosed { get; set; }
    /// <summary>LEI of the other counterparty (EMIR); empty when unknown.</summary>
    public string CounterpartyLei { get; set; } = "";
    /// <summary>A UTI supplied with the order (pre-agreed OTC trades); empty when we generate it.</summary>
    public string Uti { get; set; } = "";
    /// <summary>True when the trade will be cleared by a CCP.</summary>
    public bool IsCleared { get; set; }

    internal void Reset()
    {
        ClientOrderId = "";
        Side = Side.Buy;
        Type = OrderType.Limit;
        TimeInForce = TimeInForce.Day;
        Quantity = 0;
        Price = 0;
        Notional = 0;
        NotionalInAccountCurrency = 0;
        NotionalEur = 0;
        ShortMarking = ShortMarking.None;
        LocateId = "";
        HasBorrowedShares = false;
        UsesMargin = false;
        IsAdvised = false;
        TraderAuthorised = true;
        MarkupBps = 0;
        MarkupDisclosed = false;
        CounterpartyLei = "";
        Uti = "";
        IsCleared = false;
    }
}

/// <summary>The account an order is for (mirrors the web host's Account plus onboarding facts).</summary>
public sealed class AccountView
{
    /// <summary>Account id.</summary>
    public long Id { get; set; }
    /// <summary>Client category; meaningful only when <see cref="IsClassified"/>.</summary>
    public ClientCategory ClientCategory { get; set; } = ClientCategory.Retail;
    /// <summary>True when the client was classified (for the service requested) before service.</summary>
    public bool IsClassified { get; set; }
    /// <summary>Booking jurisdiction.</summary>
    public Jurisdiction Jurisdiction { get; set; } = Jurisdiction.Egypt;
    /// <summary>ISO 17442 LEI; empty when none.</summary>
    public string Lei { get; set; } = "";
    /// <summary>True for legal entities (LEI-eligible); false for natural persons.</summary>
    public bool IsLegalEntity { get; set; }
    /// <summary>True for trusts.</summary>
    public bool IsTrust { get; set; }
    /// <summary>Investor number (NIN) at the market's depository; empty when none.</summary>
    public string InvestorNumber { get; set; } = "";
    /// <summary>FATCA documentation state.</summary>
    public FatcaStatus FatcaStatus { get; set; } = FatcaStatus.NonUsPerson;
    /// <summary>US indicia found on the account.</summary>
    public UsIndicia UsIndicia { get; set; }
    /// <summary>True when a W-9 is on file.</summary>
    public bool HasW9 { get; set; }
    /// <summary>W-8BEN expiry; <see cref="DateOnly.MinValue"/> when none is on file.</summary>
    public DateOnly W8BenExpiresOn { get; set; } = DateOnly.MinValue;
    /// <summary>The entity's GIIN (W-8BEN-E); empty when none.</summary>
    public string Giin { get; set; } = "";
    /// <summary>True when the GIIN was found on the IRS FFI list.</summary>
    public bool GiinOnFfiList { get; set; }
    /// <summary>True for accounts opened before the FATCA cut-off (pre-existing).</summary>
    public bool IsPreexisting { get; set; }
    /// <summary>Account balance in USD (FATCA due-diligence tiers).</summary>
    public decimal BalanceUsd { get; set; }
    /// <summary>True when the FATCA enhanced review was completed.</summary>
    public bool EnhancedReviewDone { get; set; }
    /// <summary>True when the holder trades only Sharia-compliant business.</summary>
    public bool ShariaOnly { get; set; }
    /// <summary>Pre-set credit limit in the account's credit currency (15c3-5(c)(1)(i)).</summary>
    public decimal CreditLimit { get; set; }
    /// <summary>True for margin accounts.</summary>
    public bool IsMarginAccount { get; set; }
    /// <summary>Account equity in USD (FINRA 4210).</summary>
    public decimal EquityUsd { get; set; }
    /// <summary>True when an appropriateness assessment for complex products is on file.</summary>
    public bool AppropriatenessAssessed { get; set; }
    /// <summary>True when that assessment found complex products appropriate.</summary>
    public bool AppropriatenessPassed { get; set; }
    /// <summary>True when a suitability assessment is on file (advice, discretionary).</summary>
    public bool SuitabilityAssessed { get; set; }
    /// <summary>True for natural persons.</summary>
    public bool IsIndividual { get; set; } = true;
    /// <summary>Balance-sheet total in USD (undertakings).</summary>
    public decimal BalanceSheetUsd { get; set; }
    /// <summary>Net turnover in USD (undertakings).</summary>
    public decimal TurnoverUsd { get; set; }
    /// <summary>Own funds in USD (undertakings).</summary>
    public decimal OwnFundsUsd { get; set; }
    /// <summary>Net assets in USD (individuals, trusts).</summary>
    public decimal NetAssetsUsd { get; set; }
    /// <summary>True when the individual has the required knowledge and experience (or finance role).</summary>
    public bool HasFinanceExperience { get; set; }
    /// <summary>True for non-UAE investors (foreign ownership limits).</summary>
    public bool IsForeignInvestor { get; set; }
    /// <summary>True for GCC nationals (some issuers count them as foreign).</summary>
    public bool IsGccNational { get; set; }
    /// <summary>EMIR classification.</summary>
    public EmirCounterpartyClass EmirClass { get; set; }
    /// <summary>True when the account's trades are exempt from EMIR reporting (intragroup exemption granted).</summary>
    public bool EmirReportingExempt { get; set; }
    /// <summary>True when an uncleared-margin (CSA) agreement is in place.</summary>
    public bool HasMarginAgreement { get; set; }

    internal void Reset()
    {
        Id = 0;
        ClientCategory = ClientCategory.Retail;
        IsClassified = false;
        Jurisdiction = Jurisdiction.Egypt;
        Lei = "";
        IsLegalEntity = false;
        IsTrust = false;
        InvestorNumber = "";
        FatcaStatus = FatcaStatus.NonUsPerson;
        UsIndicia = UsIndicia.None;
        HasW9 = false;
        W8BenExpiresOn = DateOnly.MinValue;
        Giin = "";
        GiinOnFfiList = false;
        IsPreexisting = false;
        BalanceUsd = 0;
        EnhancedReviewDone = false;
        ShariaOnly = false;
        CreditLimit = 0;
        IsMarginAccount = false;
        EquityUsd = 0;
        AppropriatenessAssessed = false;
        AppropriatenessPassed = false;
        SuitabilityAssessed = false;
        IsIndividual = true;
        BalanceSheetUsd = 0;
        TurnoverUsd = 0;
        OwnFundsUsd = 0;
        NetAssetsUsd = 0;
        HasFinanceExperience = false;
        IsForeignInvestor = false;
        IsGccNational = false;
        EmirClass = EmirCounterpartyClass.None;
        EmirReportingExempt = false;
        HasMarginAgreement = false;
    }
}

/// <summary>The instrument traded (mirrors the web host's Instrument plus reference-data flags).</summary>
public sealed class InstrumentView
{
    /// <summary>Trading symbol.</summary>
    public string Symbol { get; set; } = "";
    /// <summary>ISIN.</summary>
    public string Isin { get; set; } = "";
    /// <summary>Trading currency (ISO 4217).</summary>
    public string Currency { get; set; } = "";
    /// <summary>
    /// The sector as stored, lower case. Free text in databases created before sector codes; read only by pack versions
    /// written before them. Rules read <see cref="SectorCode"/>.
    /// </summary>
    public string Sector { get; set; } = "";
    /// <summary>
    /// The instrument's code in the fixed <see cref="SectorClassification"/> (e.g. "40101010", conventional banks); empty
    /// when the stored sector is not a code of the classification (unclassified).
    /// </summary>
    public string SectorCode { get; set; } = "";
    /// <summary>True for options, futures, swaps and other derivatives.</summary>
    public bool IsDerivative { get; set; }
    /// <summary>True for OTC (not exchange-traded) derivatives.</summary>
    public bool IsOtc { get; set; }
    /// <summary>Derivative asset class.</summary>
    public AssetClass AssetClass { get; set; }
    /// <summary>True for interest-bearing instruments (conventional bonds, deposits).</summary>
    public bool IsInterestBearing { get; set; }
    /// <summary>
    /// True for complex products (MiFID II Art 25(4)): derived, not taken from a flag alone. Every derivative is complex
    /// (Art 25(4)(a) lists only instruments that are not derivatives and embed none as non-complex); other instruments are
    /// complex when their reference data says so (structured products, shares of non-UCITS funds, instruments embedding a
    /// derivative).
    /// </summary>
    public bool IsComplex { get; set; }
    /// <summary>True when the share is liquid (ESMA list), for SSR Art 23.</summary>
    public bool IsLiquid { get; set; }
    /// <summary>True when payments on it are US-source FDAP (FATCA withholding).</summary>
    public bool IsUsSource { get; set; }
    /// <summary>Issued shares.</summary>
    public long IssuedShares { get; set; }
    /// <summary>True when on the firm's restricted list.</summary>
    public bool IsRestricted { get; set; }
    /// <summary>True when on the Reg SHO threshold list.</summary>
    public bool IsOnThresholdList { get; set; }
    /// <summary>True when on the exchange's short-selling eligible list (SCA).</summary>
    public bool IsOnShortSellEligibleList { get; set; }
    /// <summary>Foreign ownership limit per the issuer's articles, percent (100 = no limit).</summary>
    public decimal ForeignOwnershipLimitPct { get; set; } = 100m;
    /// <summary>Current foreign holding, percent of issued shares.</summary>
    public decimal ForeignHoldingPct { get; set; }
    /// <summary>Days until the issuer's next financial statements are published; -1 when unknown or past.</summary>
    public int DaysToFinancialStatements { get; set; } = -1;
    /// <summary>Sharia screening inputs.</summary>
    public ShariaView Sharia { get; } = new();

    internal void Reset()
    {
        Symbol = "";
        Isin = "";
        Currency = "";
        Sector = "";
        SectorCode = "";
        IsDerivative = false;
        IsOtc = false;
        AssetClass = AssetClass.None;
        IsInterestBearing = false;
        IsComplex = false;
        IsLiquid = false;
        IsUsSource = false;
        IssuedShares = 0;
        IsRestricted = false;
        IsOnThresholdList = false;
        IsOnShortSellEligibleList = false;
        ForeignOwnershipLimitPct = 100m;
        ForeignHoldingPct = 0;
        DaysToFinancialStatements = -1;
        Sharia.Reset();
    }
}

/// <summary>
/// Balance-sheet and income inputs for the Sharia screens: each methodology divides a different
/// numerator by a different denominator (AAOIFI: market cap; S&amp;P: 36-month average market value of
/// equity; MSCI: total assets), so all are kept. Amounts in one reporting currency.
/// </summary>
public sealed class ShariaView
{
    /// <summary>Total interest-bearing debt.</summary>
    public decimal TotalDebt { get; set; }
    /// <summary>Cash plus interest-bearing securities.</summary>
    public decimal CashAndInterestBearingSecurities { get; set; }
    /// <summary>Accounts receivable.</summary>
    public decimal Receivables { get; set; }
    /// <summary>Income from non-permissible activities.</summary>
    public decimal NonPermissibleIncome { get; set; }
    /// <summary>Total revenue.</summary>
    public decimal TotalRevenue { get; set; }
    /// <summary>Market capitalisation (AAOIFI denominator).</summary>
    public decimal MarketCap { get; set; }
    /// <summary>36-month average market value of equity (S&amp;P denominator).</summary>
    public decimal AverageMarketCap36M { get; set; }
    /// <summary>Total assets (MSCI denominator).</summary>
    public decimal TotalAssets { get; set; }
    /// <summary>Date of the figures; <see cref="DateOnly.MinValue"/> when there are none.</summary>
    public DateOnly AsOf { get; set; } = DateOnly.MinValue;

    /// <summary>True when screening figures are on file (<see cref="AsOf"/> is set).</summary>
    public bool HasFigures => AsOf != DateOnly.MinValue;

    /// <summary>Share of revenue from non-permissible income (0 to 1): the dividend purification ratio.</summary>
    public decimal PurificationRatio => TotalRevenue > 0 ? NonPermissibleIncome / TotalRevenue : 0m;

    internal void Reset()
    {
        TotalDebt = 0;
        CashAndInterestBearingSecurities = 0;
        Receivables = 0;
        NonPermissibleIncome = 0;
        TotalRevenue = 0;
        MarketCap = 0;
        AverageMarketCap36M = 0;
        TotalAssets = 0;
        AsOf = DateOnly.MinValue;
    }
}

/// <summary>The venue an order goes to.</summary>
public sealed class VenueView
{
    /// <summary>ISO 10383 MIC, e.g. XCAI, XADS, XDFM.</summary>
    public string Mic { get; set; } = "";
    /// <summary>ISO 3166 alpha-2 country code.</summary>
    public string Country { get; set; } = "";
    /// <summary>True for venues in the EEA (MiFID II trading venues).</summary>
    public bool IsEea { get; set; }

    internal void Reset()
    {
        Mic = "";
        Country = "";
        IsEea = false;
    }
}

/// <summary>Market state for the instrument at evaluation time. Prices in currency units; 0 when unknown.</summary>
public sealed class MarketView
{
    /// <summary>The venue-local trading date.</summary>
    public DateOnly TradeDate { get; set; }
    /// <summary>Previous session's closing price.</summary>
    public decimal PriorClose { get; set; }
    /// <summary>Best bid (national best bid in the US).</summary>
    public decimal BestBid { get; set; }
    /// <summary>Best ask.</summary>
    public decimal BestAsk { get; set; }
    /// <summary>Reference price for collars (last sale, or midpoint when the firm says so).</summary>
    public decimal ReferencePrice { get; set; }
    /// <summary>Lowest trade price today.</summary>
    public decimal DayLow { get; set; }
    /// <summary>True when the Rule 201 restriction triggered on the previous day and carries over today.</summary>
    public bool SsrCarriedOver { get; set; }
    /// <summary>The tick size that applies to this instrument at its price (RTS 11 band, venue table); 0 when unknown.</summary>
    public decimal TickSize { get; set; }
    /// <summary>Average daily volume in shares.</summary>
    public long AverageDailyVolume { get; set; }

    internal void Reset()
    {
        TradeDate = default;
        PriorClose = 0;
        BestBid = 0;
        BestAsk = 0;
        ReferencePrice = 0;
        DayLow = 0;
        SsrCarriedOver = false;
        TickSize = 0;
        AverageDailyVolume = 0;
    }
}

/// <summary>Aggregates over the account's activity, computed by the pipeline before evaluation.</summary>
public sealed class AggregatesView
{
    /// <summary>Notional executed today, in the account's credit currency.</summary>
    public decimal TodayNotional { get; set; }
    /// <summary>Orders entered today.</summary>
    public int TodayOrderCount { get; set; }
    /// <summary>Working (open) orders.</summary>
    public int OpenOrderCount { get; set; }
    /// <summary>Notional of working orders, in the account's credit currency.</summary>
    public decimal OpenOrdersNotional { get; set; }
    /// <summary>Orders identical to this one (account, instrument, side, quantity, price) within the host's duplicate window.</summary>
    public int IdenticalOrdersRecent { get; set; }
    /// <summary>
    /// Day trades completed in the last 5 business days, before this order: each same-day round trip in an instrument
    /// (a purchase and a sale, or a sale and a purchase) is one (FINRA 4210(f)(8)(B)(i)).
    /// </summary>
    public int DayTradesLast5Days { get; set; }
    /// <summary>All trades (executions) in the last 5 business days, before this order.</summary>
    public int TradesLast5Days { get; set; }
    /// <summary>
    /// True when this order, if it executes today, completes a day trade: the account opened a position in the
    /// instrument today on the other side that no day trade has closed yet. Not counted in <see cref="DayTradesLast5Days"/>.
    /// </summary>
    public bool OrderCompletesDayTrade { get; set; }
    /// <summary>Position in this instrument before the order, in shares (negative when short).</summary>
    public long PositionQuantity { get; set; }
    /// <summary>Borrowed shares of this instrument available in the account.</summary>
    public long BorrowedSharesAvailable { get; set; }
    /// <summary>Net short position as percent of issued shares if this order executes.</summary>
    public decimal NetShortPositionPct { get; set; }
    /// <summary>The net short position last notified to the NCA, percent of issued shares.</summary>
    public decimal LastNotifiedShortPositionPct { get; set; }
    /// <summary>True when the account holder is an insider of the issuer.</summary>
    public bool IsInsiderOfIssuer { get; set; }
    /// <summary>Aggregate month-end average notional of OTC derivatives in this order's asset class, in euros.</summary>
    public decimal OtcDerivativeNotionalEur { get; set; }
    /// <summary>Aggregate average notional of uncleared OTC derivatives with this counterparty group, in euros.</summary>
    public decimal UnclearedNotionalEur { get; set; }

    internal void Reset()
    {
        TodayNotional = 0;
        TodayOrderCount = 0;
        OpenOrderCount = 0;
        OpenOrdersNotional = 0;
        IdenticalOrdersRecent = 0;
        DayTradesLast5Days = 0;
        TradesLast5Days = 0;
        OrderCompletesDayTrade = false;
        PositionQuantity = 0;
        BorrowedSharesAvailable = 0;
        NetShortPositionPct = 0;
        LastNotifiedShortPositionPct = 0;
        IsInsiderOfIssuer = false;
        OtcDerivativeNotionalEur = 0;
        UnclearedNotionalEur = 0;
    }
}
