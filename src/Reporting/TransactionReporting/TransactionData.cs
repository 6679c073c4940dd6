namespace TradSys.Reporting.TransactionReporting;

/// <summary>
/// The port through which the transaction reports (MiFIR Art 26, EMIR Art 9) read the day's trades with the reference data
/// they need. A second port beside <see cref="Data.IReportDataSource"/> so the regulatory transaction reports stay in their own files.
/// </summary>
public interface ITransactionReportSource
{
    /// <summary>Every trade executed in the local business day (half-open UTC interval), oldest first, with both sides' reference data.</summary>
    Task<TransactionDay> GetTransactionsAsync(DateOnly businessDate, string timeZone, CancellationToken cancellationToken);
}

/// <summary>The firm as a transaction report names it, from configuration (<c>Reporting:FirmLei</c>, <c>Reporting:MifidBranches</c>).</summary>
/// <param name="Lei">The firm's own LEI: executing and submitting entity (RTS 22 fields 4 and 6), reporting counterparty and UTI prefix (EMIR).</param>
/// <param name="MifidBranches">EEA countries (ISO 3166 alpha-2) where the firm has a MiFID branch; a branch reports what it executes for its clients.</param>
public sealed record ReportingFirm(string? Lei, IReadOnlyList<string> MifidBranches)
{
    /// <summary>Why transaction reports cannot be produced with this configuration, or null.</summary>
    public string? Problem =>
        TransactionReporting.Lei.Problem(Lei) is { } problem
            ? $"Reporting:FirmLei is invalid: {problem}. Set the firm's own ISO 17442 LEI in the configuration (RTS 22 fields 4 and 6; EMIR reporting counterparty)."
            : MifidBranches.FirstOrDefault(b => b.Length != 2 || !b.All(char.IsAsciiLetterUpper)) is { } bad
                ? $"Reporting:MifidBranches has '{bad}': each branch is an ISO 3166 alpha-2 country code in capitals (DE, FR)."
                : null;
}

/// <summary>The trades of one business day.</summary>
/// <param name="BusinessDate">The local day.</param>
/// <param name="TimeZone">Its time zone.</param>
/// <param name="Trades">Its trades, oldest first.</param>
public sealed record TransactionDay(DateOnly BusinessDate, string TimeZone, IReadOnlyList<ReportedTrade> Trades);

/// <summary>One trade with what the reports need of its venue, instrument and both sides.</summary>
/// <param name="TradeId">The trade id (the venue's trade id for the in-process venues: RTS 22 field 3).</param>
/// <param name="ExecutedAtUtc">Execution time, UTC.</param>
/// <param name="Venue">Where it executed.</param>
/// <param name="Instrument">What was traded.</param>
/// <param name="Price">Price per unit (per contract for a derivative).</param>
/// <param name="Quantity">Units (contracts for a derivative).</param>
/// <param name="Currency">Price currency.</param>
/// <param name="Buy">The buying side.</param>
/// <param name="Sell">The selling side.</param>
public sealed record ReportedTrade(long TradeId, DateTime ExecutedAtUtc, VenueReference Venue, InstrumentReference Instrument, decimal Price, long Quantity,
    string Currency, TradeSide Buy, TradeSide Sell);

/// <summary>A venue's reporting reference data.</summary>
/// <param name="Code">Venue code.</param>
/// <param name="Mic">Segment MIC, or XOFF for the internal venue (not a trading venue).</param>
/// <param name="Country">ISO 3166 alpha-2 country.</param>
/// <param name="IsEea">An EEA trading venue.</param>
/// <param name="TimestampDecimals">Decimals of a second the venue stamps trades with.</param>
public sealed record VenueReference(string Code, string Mic, string Country, bool IsEea, int TimestampDecimals);

/// <summary>An instrument's reporting reference data.</summary>
/// <param name="Symbol">Symbol.</param>
/// <param name="Isin">ISIN (RTS 22 field 41; EMIR product id while no UPI is available).</param>
/// <param name="Name">Name.</param>
/// <param name="TradedOnEuVenue">Traded on an EU trading venue per FIRDS (MiFIR Art 26(2)).</param>
/// <param name="IsDerivative">A derivative.</param>
/// <param name="IsOtc">Traded OTC.</param>
/// <param name="AssetClass">Derivative asset class (None, Credit, Equity, Rates, Fx, Commodity).</param>
/// <param name="UnderlyingIsin">A derivative's underlying.</param>
/// <param name="ExpiresOn">A derivative's expiry.</param>
/// <param name="PriceMultiplier">Units of underlying per contract.</param>
public sealed record InstrumentReference(string Symbol, string Isin, string Name, bool TradedOnEuVenue, bool IsDerivative, bool IsOtc, string AssetClass,
    string? UnderlyingIsin, DateOnly? ExpiresOn, decimal PriceMultiplier);

/// <summary>One side of a trade: the order, its account and the user who entered it.</summary>
/// <param name="OrderId">The order.</param>
/// <param name="Account">The account.</param>
/// <param name="EnteredBy">The user who entered the order.</param>
/// <param name="ShortMarking">What a sell order carried: None, Long, Short or ShortExempt.</param>
/// <param name="IsAdvised">The order came from advice or a discretionary mandate.</param>
/// <param name="HasBorrowedShares">The account has borrowed shares of the instrument on file.</param>
/// <param name="IsCleared">The order asked for CCP clearing.</param>
public sealed record TradeSide(long OrderId, ReportingAccount Account, ReportingUser EnteredBy, string ShortMarking, bool IsAdvised, bool HasBorrowedShares,
    bool IsCleared);

/// <summary>An account as transaction reports identify it.</summary>
/// <param name="AccountId">Account id.</param>
/// <param name="Name">Name.</param>
/// <param name="IsLegalEntity">A legal entity (LEI-eligible); false for a natural person.</param>
/// <param name="Lei">Its LEI, when on file.</param>
/// <param name="Person">A natural person's identity data.</param>
/// <param name="MifidBranch">The firm's EEA branch that serves the client, or null.</param>
/// <param name="EmirClass">EMIR counterparty class (None, Financial, NonFinancialPlus, NonFinancialMinus, ...).</param>
/// <param name="Country">The account's jurisdiction as the platform records it.</param>
public sealed record ReportingAccount(long AccountId, string Name, bool IsLegalEntity, string? Lei, PersonDetails Person, string? MifidBranch, string EmirClass,
    string Country);

/// <summary>The user (person or algorithm) who entered an order.</summary>
/// <param name="UserId">User id.</param>
/// <param name="UserName">Login name.</param>
/// <param name="Person">The person's identity data.</param>
/// <param name="AlgoId">The algorithm's id, when the user is an algorithm.</param>
public sealed record ReportingUser(long UserId, string UserName, PersonDetails Person, string? AlgoId);

/// <summary>One problem with one field of one record: never dropped, always listed.</summary>
/// <param name="Field">The field number (RTS 22 Annex I Table 2, or the EMIR Refit field's name for EMIR).</param>
/// <param name="Name">The field's name.</param>
/// <param name="Problem">What is wrong.</param>
public sealed record FieldProblem(string Field, string Name, string Problem);
