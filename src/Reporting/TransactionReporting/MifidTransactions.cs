using System.Globalization;

namespace TradSys.Reporting.TransactionReporting;

/// <summary>
/// One RTS 22 transaction report (Commission Delegated Regulation (EU) 2017/590, Annex I Table 2) with the fields the platform
/// populates; the field number is in each parameter's description. Fields not listed are not populated: docs/architecture.md says why.
/// </summary>
/// <param name="ReportStatus">1: NEWT (the platform sends no cancellations yet).</param>
/// <param name="Trn">2: transaction reference number, unique and stable per trade and side.</param>
/// <param name="Tvtic">3: the venue's trade id; null for XOFF (no trading venue).</param>
/// <param name="ExecutingEntity">4: the firm's LEI.</param>
/// <param name="InvestmentFirm">5: the executing entity is a MiFID investment firm (true: the branch reports as one).</param>
/// <param name="SubmittingEntity">6: the firm's LEI (it submits its own reports; no ARM).</param>
/// <param name="Buyer">7 (and 9-11 for a natural person).</param>
/// <param name="Seller">16 (and 18-20 for a natural person).</param>
/// <param name="TransmissionOfOrder">25: false, the firm executes the orders it receives rather than transmitting them.</param>
/// <param name="TradingDateTime">28: UTC at the venue's granularity.</param>
/// <param name="TradingCapacity">29: AOTC.</param>
/// <param name="Quantity">30: units (contracts for a derivative).</param>
/// <param name="Price">33.</param>
/// <param name="Currency">34.</param>
/// <param name="Venue">36: the segment MIC, or XOFF.</param>
/// <param name="BranchCountry">37: the country of the firm's branch that served the client.</param>
/// <param name="Isin">41.</param>
/// <param name="InvestmentDecision">57: who in the firm decided (discretionary orders only), else null.</param>
/// <param name="Execution">59: the person or algorithm that executed.</param>
/// <param name="Waiver">61: null, not applicable (no EU trading venue).</param>
/// <param name="ShortSelling">62: SESH, SSEX, SELL or UNDI for the client's sale of shares; null otherwise.</param>
/// <param name="OtcPostTrade">63: null, no deferral flag is used.</param>
/// <param name="CommodityDerivative">64: false (no commodity derivatives).</param>
/// <param name="SecuritiesFinancing">65: false (no SFTs).</param>
/// <param name="TradeId">The trade.</param>
/// <param name="Side">BUY or SELL: whose transaction this record reports.</param>
/// <param name="AccountId">The client account.</param>
/// <param name="Symbol">The instrument's symbol.</param>
/// <param name="Problems">What the validation found; an invalid record is kept and listed, never dropped.</param>
public sealed record Rts22Transaction(
    string ReportStatus, string Trn, string? Tvtic, string ExecutingEntity, bool InvestmentFirm, string SubmittingEntity,
    PartyIdentification Buyer, PartyIdentification Seller, bool TransmissionOfOrder, string TradingDateTime, string TradingCapacity,
    long Quantity, decimal Price, string Currency, string Venue, string BranchCountry, string Isin,
    PartyIdentification? InvestmentDecision, PartyIdentification Execution, string? Waiver, string? ShortSelling, string? OtcPostTrade,
    bool CommodityDerivative, bool SecuritiesFinancing, long TradeId, string Side, long AccountId, string Symbol, IReadOnlyList<FieldProblem> Problems)
{
    /// <summary>True when the validation found nothing.</summary>
    public bool IsValid => Problems.Count == 0;
}

/// <summary>The MiFID II transaction report's data: the scope decision and every reportable record with its validation.</summary>
/// <param name="BusinessDate">The trading day reported (T; the report is due T+1).</param>
/// <param name="TimeZone">The day's time zone.</param>
/// <param name="FirmLei">The firm's LEI.</param>
/// <param name="MifidBranches">The firm's EEA branches.</param>
/// <param name="TradesOnDay">Trades executed on the day.</param>
/// <param name="TradesNotInScope">Trades with no reportable side (instrument not traded on an EU venue, or no branch client).</param>
/// <param name="Records">Reportable transactions, by trade and side.</param>
public sealed record MifidTransactionData(DateOnly BusinessDate, string TimeZone, string FirmLei, IReadOnlyList<string> MifidBranches, int TradesOnDay,
    int TradesNotInScope, IReadOnlyList<Rts22Transaction> Records);

/// <summary>
/// Turns a day's trades into RTS 22 records. Scope (MiFIR Art 26, RTS 22 Art 14): a side of a trade is reportable when the
/// instrument is traded on an EU trading venue (FIRDS flag on the instrument) and the client is served by one of the firm's MiFID
/// branches (the branch reports what it executes). The firm acts for clients as agent: trading capacity AOTC throughout.
/// </summary>
public static class MifidTransactions
{
    /// <summary>Trading capacity (field 29): any other capacity. The firm executes client orders as agent; it does not deal on own account (DEAL) or interpose itself (MTCH).</summary>
    public const string Capacity = "AOTC";
    /// <summary>Field 36 for executions off a trading venue.</summary>
    public const string OffVenue = "XOFF";

    /// <summary>Builds the records of the day, each validated.</summary>
    public static MifidTransactionData Build(TransactionDay day, ReportingFirm firm, NationalClientIdentifiers rules)
    {
        ArgumentNullException.ThrowIfNull(day);
        ArgumentNullException.ThrowIfNull(firm);
        ArgumentNullException.ThrowIfNull(rules);
        var records = new List<Rts22Transaction>();
        var outOfScope = 0;
        foreach (var trade in day.Trades)
        {
            var before = records.Count;
            foreach (var (side, mine, other) in new[] { ("BUY", trade.Buy, trade.Sell), ("SELL", trade.Sell, trade.Buy) })
            {
                if (IsReportable(trade, mine, firm))
                {
                    records.Add(Record(trade, side, mine, other, firm, rules));
                }
            }
            outOfScope += records.Count == before ? 1 : 0;
        }
        return new MifidTransactionData(day.BusinessDate, day.TimeZone, firm.Lei ?? "", firm.MifidBranches, day.Trades.Count, outOfScope, records);
    }

    /// <summary>The scope rule, from reference data only.</summary>
    public static bool IsReportable(ReportedTrade trade, TradeSide side, ReportingFirm firm)
    {
        ArgumentNullException.ThrowIfNull(trade);
        ArgumentNullException.ThrowIfNull(side);
        ArgumentNullException.ThrowIfNull(firm);
        return trade.Instrument.TradedOnEuVenue && side.Account.MifidBranch is { } branch && firm.MifidBranches.Contains(branch, StringComparer.Ordinal);
    }

    /// <summary>The transaction reference number: trade date, trade id and side; unique per trade and side, and the same on every run.</summary>
    public static string Trn(ReportedTrade trade, string side)
    {
        ArgumentNullException.ThrowIfNull(trade);
        ArgumentNullException.ThrowIfNull(side);
        return string.Create(CultureInfo.InvariantCulture, $"TS{trade.ExecutedAtUtc:yyyyMMdd}T{trade.TradeId}{side[0]}");
    }

    /// <summary>
    /// Field 62 for the client's sale of shares: what the order carried (Short: SESH, ShortExempt: SSEX, Long: SELL). An unmarked
    /// sale is SELL when the account has no borrowed shares of the instrument (it can only deliver shares it owns), UNDI when it has
    /// (the firm cannot tell whether the sale used them). Null for buys and derivatives.
    /// </summary>
    public static string? ShortSellingIndicator(ReportedTrade trade, string side, TradeSide mine)
    {
        ArgumentNullException.ThrowIfNull(trade);
        ArgumentNullException.ThrowIfNull(mine);
        if (side != "SELL" || trade.Instrument.IsDerivative)
        {
            return null;
        }
        return mine.ShortMarking switch
        {
            "Short" => "SESH",
            "ShortExempt" => "SSEX",
            "Long" => "SELL",
            _ => mine.HasBorrowedShares ? "UNDI" : "SELL",
        };
    }

    private static Rts22Transaction Record(ReportedTrade trade, string side, TradeSide mine, TradeSide other, ReportingFirm firm, NationalClientIdentifiers rules)
    {
        var problems = new List<FieldProblem>();
        if (Lei.Problem(firm.Lei) is { } firmLei)
        {
            problems.Add(new("4", "Executing entity identification code", $"the firm's LEI (Reporting:FirmLei): {firmLei}"));
        }
        var onVenue = !string.Equals(trade.Venue.Mic, OffVenue, StringComparison.Ordinal);
        var (client, clientProblem) = Identifiers.Party(mine.Account, rules);
        // On an exchange the counterparty is not disclosed and no CCP is modelled: it is identified by the venue's MIC (ESMA
        // Guidelines on transaction reporting). On the internal venue both clients are the firm's and are identified.
        var (counterparty, counterpartyProblem) = onVenue ? (new PartyIdentification("MIC", trade.Venue.Mic), null) : Identifiers.Party(other.Account, rules);
        var buying = side == "BUY";
        if (clientProblem is not null)
        {
            problems.Add(buying ? new("7", "Buyer identification code", clientProblem) : new("16", "Seller identification code", clientProblem));
        }
        if (counterpartyProblem is not null)
        {
            problems.Add(buying ? new("16", "Seller identification code", counterpartyProblem) : new("7", "Buyer identification code", counterpartyProblem));
        }
        PartyIdentification? decision = null;
        if (mine.IsAdvised)
        {
            var (d, problem) = Identifiers.Person(mine.EnteredBy, rules);
            decision = d;
            if (problem is not null)
            {
                problems.Add(new("57", "Investment decision within firm", problem));
            }
        }
        var (execution, executionProblem) = Identifiers.Person(mine.EnteredBy, rules);
        if (executionProblem is not null)
        {
            problems.Add(new("59", "Execution within firm", executionProblem));
        }
        if (Identifiers.IsinProblem(trade.Instrument.Isin) is { } isin)
        {
            problems.Add(new("41", "Instrument identification code", isin));
        }
        if (trade.Quantity <= 0)
        {
            problems.Add(new("30", "Quantity", "must be greater than zero"));
        }
        if (trade.Price <= 0)
        {
            problems.Add(new("33", "Price", "must be greater than zero"));
        }
        if (trade.Currency.Length != 3 || !trade.Currency.All(char.IsAsciiLetterUpper))
        {
            problems.Add(new("34", "Price currency", $"'{trade.Currency}' is not an ISO 4217 code"));
        }
        var trn = Trn(trade, side);
        return new Rts22Transaction("NEWT", trn, onVenue ? Identifiers.Num(trade.TradeId) : null, firm.Lei ?? "", true, firm.Lei ?? "",
            buying ? client : counterparty, buying ? counterparty : client, false, Identifiers.UtcTimestamp(trade.ExecutedAtUtc, trade.Venue.TimestampDecimals),
            Capacity, trade.Quantity, trade.Price, trade.Currency, trade.Venue.Mic, mine.Account.MifidBranch ?? "", trade.Instrument.Isin, decision, execution,
            Waiver: null, ShortSellingIndicator(trade, side, mine), OtcPostTrade: null, CommodityDerivative: false, SecuritiesFinancing: false,
            trade.TradeId, side, mine.Account.AccountId, trade.Instrument.Symbol, problems);
    }
}
