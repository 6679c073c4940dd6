namespace TradSys.Web.Persistence.Entities;

/// <summary>A trading account: the unit that owns orders, positions and credit.</summary>
public sealed class Account
{
    public long Id { get; set; }
    public required string Name { get; set; }
    /// <summary>The official or client-given Arabic name, for reports (null when not on file).</summary>
    public string? NameAr { get; set; }
    /// <summary>The trader who may trade this account.</summary>
    public long OwnerUserId { get; set; }
    public ClientCategory ClientCategory { get; set; }
    public Jurisdiction Jurisdiction { get; set; }
    /// <summary>ISO 17442 legal entity identifier (20 characters), when the holder has one.</summary>
    public string? Lei { get; set; }
    /// <summary>Investor number (NIN) issued by the market's central depository.</summary>
    public string? InvestorNumber { get; set; }
    public FatcaStatus FatcaStatus { get; set; }
    public UsIndicia UsIndicia { get; set; }
    /// <summary>The day the W-8BEN on file was signed (null when none is, or when it was recorded before the signing date was kept).</summary>
    public DateOnly? W8BenSignedOn { get; set; }
    /// <summary>The W-8BEN expiry (end of the third calendar year after signing), when one is on file.</summary>
    public DateOnly? W8BenExpiresOn { get; set; }
    /// <summary>The US taxpayer identification number (SSN/ITIN or EIN) from the W-9, when one is on file (FATCA reporting).</summary>
    public string? UsTin { get; set; }
    /// <summary>ISO 3166 alpha-2 country of the holder's residence or registered address (FATCA reporting); null when not on file.</summary>
    public string? AddressCountry { get; set; }
    public bool ShariaOnly { get; set; }
    /// <summary>Pre-set credit limit (SEC 15c3-5(c)(1)(i)), in <see cref="CreditCurrency"/>.</summary>
    public decimal CreditLimit { get; set; }
    public required string CreditCurrency { get; set; }
    /// <summary>
    /// Money the broker lends the account on top of its cash, in <see cref="CreditCurrency"/> (the account's base currency): part of
    /// its buying power (0 = none; a cash account buys only with its cash).
    /// </summary>
    public decimal CreditLine { get; set; }
    public bool IsActive { get; set; } = true;
    /// <summary>What happens when this account's incoming order would trade with its own resting order (wash trades are market abuse).</summary>
    public SelfTradePrevention SelfTradePrevention { get; set; } = SelfTradePrevention.CancelIncoming;

    // Onboarding facts the rule packs read (OrderContext.Account). Each is a fact recorded at onboarding or by
    // compliance; none has a default that would let a rule pass silently (false / zero / empty mean "not on file").

    /// <summary>True when the client was classified (retail / professional / market counterparty) before service.</summary>
    public bool IsClassified { get; set; }
    /// <summary>A legal entity (LEI-eligible); false for a natural person.</summary>
    public bool IsLegalEntity { get; set; }
    /// <summary>A trust (classification thresholds differ).</summary>
    public bool IsTrust { get; set; }
    /// <summary>A W-9 (US TIN certification) is on file.</summary>
    public bool HasW9 { get; set; }
    /// <summary>The entity's GIIN (W-8BEN-E), 19 characters XXXXXX.XXXXX.XX.XXX.</summary>
    public string? Giin { get; set; }
    /// <summary>The GIIN was found on the IRS FFI list at the last check.</summary>
    public bool GiinOnFfiList { get; set; }
    /// <summary>Opened before the FATCA cut-off (pre-existing account: due-diligence tiers).</summary>
    public bool IsPreexisting { get; set; }
    /// <summary>Account balance in USD, as last valued (FATCA due-diligence tiers).</summary>
    public decimal BalanceUsd { get; set; }
    /// <summary>The FATCA enhanced review of a high-value account was completed.</summary>
    public bool EnhancedReviewDone { get; set; }
    /// <summary>A margin account under a margin agreement (FINRA 4210).</summary>
    public bool IsMarginAccount { get; set; }
    /// <summary>Account equity in USD (FINRA 4210 pattern day trader minimum).</summary>
    public decimal EquityUsd { get; set; }
    /// <summary>An appropriateness assessment for complex products is on file (MiFID II Art 25(3)).</summary>
    public bool AppropriatenessAssessed { get; set; }
    /// <summary>That assessment found complex products appropriate.</summary>
    public bool AppropriatenessPassed { get; set; }
    /// <summary>A suitability assessment is on file (advice, discretionary management).</summary>
    public bool SuitabilityAssessed { get; set; }
    /// <summary>Undertakings: balance-sheet total in USD (professional-client criteria).</summary>
    public decimal BalanceSheetUsd { get; set; }
    /// <summary>Undertakings: net turnover in USD.</summary>
    public decimal TurnoverUsd { get; set; }
    /// <summary>Undertakings: own funds in USD.</summary>
    public decimal OwnFundsUsd { get; set; }
    /// <summary>Individuals and trusts: net assets in USD.</summary>
    public decimal NetAssetsUsd { get; set; }
    /// <summary>Individuals: the knowledge and experience (or finance role) the professional test needs.</summary>
    public bool HasFinanceExperience { get; set; }
    /// <summary>A foreign investor for UAE foreign-ownership limits.</summary>
    public bool IsForeignInvestor { get; set; }
    /// <summary>A GCC national (some issuers count them as foreign).</summary>
    public bool IsGccNational { get; set; }
    /// <summary>EMIR counterparty classification.</summary>
    public EmirCounterpartyClass EmirClass { get; set; }
    /// <summary>The intragroup exemption from EMIR reporting was granted.</summary>
    public bool EmirReportingExempt { get; set; }
    /// <summary>An uncleared-margin agreement (CSA) is in place.</summary>
    public bool HasMarginAgreement { get; set; }
    /// <summary>ISINs of issuers the holder is an insider of (SCA blackout periods).</summary>
    public List<string> InsiderOfIsins { get; set; } = [];
    /// <summary>Shares borrowed into the account (or a lending confirmation), per symbol: SCA short selling, SSR cover.</summary>
    public List<BorrowedShares> BorrowedShares { get; set; } = [];

    // Transaction reporting (MiFIR Art 26, RTS 22 Art 6 and Annex II): who a natural-person client is, and where the firm serves the client.

    /// <summary>A natural person's first name(s) as on the identity document (RTS 22 fields 9/18, CONCAT).</summary>
    public string? FirstName { get; set; }
    /// <summary>A natural person's surname(s) as on the identity document (RTS 22 fields 10/19, CONCAT).</summary>
    public string? Surname { get; set; }
    /// <summary>A natural person's date of birth (RTS 22 fields 11/20, CONCAT).</summary>
    public DateOnly? BirthDate { get; set; }
    /// <summary>A natural person's nationality, ISO 3166 alpha-2 (chooses the national client identifier, RTS 22 Annex II).</summary>
    public string? Nationality { get; set; }
    /// <summary>The national identifier RTS 22 Annex II prefers for the nationality (for example an Italian fiscal code), when on file.</summary>
    public string? NationalId { get; set; }
    /// <summary>The passport number, when on file (Annex II "CCPT" for nationalities that list it).</summary>
    public string? PassportNumber { get; set; }
    /// <summary>
    /// The EEA country (ISO 3166 alpha-2) of the firm's MiFID branch that serves this client, or null when the client is served
    /// from outside the EEA. The branch reports the transactions it executes for its clients (MiFIR Art 26, RTS 22 Art 14).
    /// </summary>
    public string? MifidBranch { get; set; }
}

/// <summary>Shares of one instrument borrowed into an account, with the lender's confirmation reference.</summary>
/// <param name="Symbol">The instrument.</param>
/// <param name="Quantity">Shares available to deliver.</param>
/// <param name="Confirmation">The borrow / lending confirmation reference.</param>
public sealed record BorrowedShares(string Symbol, long Quantity, string Confirmation);
