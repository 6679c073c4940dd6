using System.Globalization;

namespace TradSys.Reporting.TransactionReporting;

/// <summary>
/// One EMIR Refit trade report (Commission Delegated Regulation (EU) 2022/1855, ISO 20022) with the fields the platform populates,
/// from the reporting counterparty's side. Not populated (stated in docs/architecture.md): valuation, margin, collateral, UPI and the
/// other Refit fields the platform holds no data for.
/// </summary>
/// <param name="Uti">Unique transaction identifier (ISO 23897): the firm's LEI + E + the trade id; the same for both counterparties.</param>
/// <param name="ActionType">NEWT (the platform sends no modifications, valuations or terminations yet).</param>
/// <param name="ReportingCounterparty">The client the firm reports for, by its LEI.</param>
/// <param name="ReportingCounterpartyClass">Its EMIR class (Financial, NonFinancialPlus, NonFinancialMinus).</param>
/// <param name="OtherCounterparty">The other side: LEI, or a natural person's national client identifier (individuals are not EMIR counterparties).</param>
/// <param name="OtherCounterpartyClass">Its EMIR class, or None.</param>
/// <param name="Direction">BYER or SLLR for the reporting counterparty.</param>
/// <param name="ReportSubmittingEntity">The firm's LEI (it reports on its clients' behalf).</param>
/// <param name="Isin">Product identifier: the ISIN (no UPI is available to the platform).</param>
/// <param name="UnderlyingIsin">The underlying's ISIN.</param>
/// <param name="ContractType">FUTR.</param>
/// <param name="AssetClass">EQUI, CRDT, INTR, CURR or COMM.</param>
/// <param name="Price">Price per unit of the underlying.</param>
/// <param name="Currency">Price and notional currency.</param>
/// <param name="Quantity">Contracts.</param>
/// <param name="PriceMultiplier">Units of underlying per contract.</param>
/// <param name="Notional">Price x quantity x multiplier.</param>
/// <param name="ExecutionTimestamp">UTC, at the venue's granularity.</param>
/// <param name="ExpiryDate">The contract's expiry.</param>
/// <param name="Cleared">N: no CCP is modelled for the internal venue.</param>
/// <param name="Venue">The venue's MIC (XOFF for the internal venue).</param>
/// <param name="TradeId">The trade.</param>
/// <param name="Symbol">The instrument's symbol.</param>
/// <param name="AccountId">The reporting counterparty's account.</param>
/// <param name="Problems">What the validation found; an invalid record is kept and listed, never dropped.</param>
public sealed record EmirTradeReport(string Uti, string ActionType, PartyIdentification ReportingCounterparty, string ReportingCounterpartyClass,
    PartyIdentification OtherCounterparty, string OtherCounterpartyClass, string Direction, string ReportSubmittingEntity, string Isin, string? UnderlyingIsin,
    string ContractType, string AssetClass, decimal Price, string Currency, long Quantity, decimal PriceMultiplier, decimal Notional, string ExecutionTimestamp,
    DateOnly? ExpiryDate, string Cleared, string Venue, long TradeId, string Symbol, long AccountId, IReadOnlyList<FieldProblem> Problems)
{
    /// <summary>True when the validation found nothing.</summary>
    public bool IsValid => Problems.Count == 0;
}

/// <summary>The EMIR derivatives report's data.</summary>
/// <param name="BusinessDate">The day reported (T; due T+1).</param>
/// <param name="TimeZone">Its time zone.</param>
/// <param name="FirmLei">The firm's LEI (report submitting entity, UTI prefix).</param>
/// <param name="DerivativeTrades">Derivative trades executed on the day.</param>
/// <param name="SidesNotReported">Sides of those trades held by natural persons (not EMIR counterparties).</param>
/// <param name="Reports">One report per derivative trade and counterparty side.</param>
public sealed record EmirDerivativesData(DateOnly BusinessDate, string TimeZone, string FirmLei, int DerivativeTrades, int SidesNotReported,
    IReadOnlyList<EmirTradeReport> Reports);

/// <summary>
/// Turns a day's derivative trades into EMIR trade reports. Every derivative trade is in scope (EMIR Art 9 covers exchange-traded
/// derivatives too); each side whose account is a legal entity is a counterparty the firm reports for (delegated reporting).
/// A natural person is not an EMIR counterparty: no report is made for their side, and where they are the other side they are
/// identified by their national client identifier.
/// </summary>
public static class EmirDerivatives
{
    /// <summary>Builds the reports of the day, each validated.</summary>
    public static EmirDerivativesData Build(TransactionDay day, ReportingFirm firm, NationalClientIdentifiers rules)
    {
        ArgumentNullException.ThrowIfNull(day);
        ArgumentNullException.ThrowIfNull(firm);
        ArgumentNullException.ThrowIfNull(rules);
        var reports = new List<EmirTradeReport>();
        var trades = day.Trades.Where(t => t.Instrument.IsDerivative).ToList();
        var individuals = 0;
        foreach (var trade in trades)
        {
            foreach (var (direction, mine, other) in new[] { ("BYER", trade.Buy, trade.Sell), ("SLLR", trade.Sell, trade.Buy) })
            {
                if (!mine.Account.IsLegalEntity)
                {
                    individuals++;
                    continue;
                }
                reports.Add(Report(trade, direction, mine, other, firm, rules));
            }
        }
        return new EmirDerivativesData(day.BusinessDate, day.TimeZone, firm.Lei ?? "", trades.Count, individuals, reports);
    }

    /// <summary>The UTI: the generating entity's (the firm's) LEI, E, and the trade id in 12 digits; at most 52 characters, stable.</summary>
    public static string Uti(string firmLei, long tradeId) => string.Create(CultureInfo.InvariantCulture, $"{firmLei}E{tradeId:D12}");

    /// <summary>EMIR Refit asset-class codes for the platform's classes.</summary>
    public static string AssetClassCode(string assetClass) => assetClass switch
    {
        "Equity" => "EQUI",
        "Credit" => "CRDT",
        "Rates" => "INTR",
        "Fx" => "CURR",
        "Commodity" => "COMM",
        _ => "",
    };

    private static EmirTradeReport Report(ReportedTrade trade, string direction, TradeSide mine, TradeSide other, ReportingFirm firm, NationalClientIdentifiers rules)
    {
        var problems = new List<FieldProblem>();
        if (Lei.Problem(firm.Lei) is { } firmLei)
        {
            problems.Add(new("1.3", "Report submitting entity ID", $"the firm's LEI (Reporting:FirmLei): {firmLei}"));
        }
        var (reporting, reportingProblem) = Identifiers.Party(mine.Account, rules);
        if (reportingProblem is not null)
        {
            problems.Add(new("1.4", "Counterparty 1 (reporting counterparty)", reportingProblem));
        }
        if (mine.Account.EmirClass is "None" or "")
        {
            problems.Add(new("1.5", "Nature of the counterparty 1", $"account {Identifiers.Num(mine.Account.AccountId)} {mine.Account.Name} is a legal entity without an EMIR classification"));
        }
        var (counterparty, counterpartyProblem) = Identifiers.Party(other.Account, rules);
        if (counterpartyProblem is not null)
        {
            problems.Add(new("1.9", "Counterparty 2", counterpartyProblem));
        }
        var uti = Uti(firm.Lei ?? "", trade.TradeId);
        if (uti.Length > 52 || !uti.All(c => char.IsAsciiDigit(c) || char.IsAsciiLetterUpper(c)))
        {
            problems.Add(new("2.1", "UTI", $"'{uti}' is not at most 52 upper-case letters and digits (ISO 23897)"));
        }
        var i = trade.Instrument;
        if (Identifiers.IsinProblem(i.Isin) is { } isin)
        {
            problems.Add(new("2.7", "ISIN", isin));
        }
        var assetClass = AssetClassCode(i.AssetClass);
        if (assetClass.Length == 0)
        {
            problems.Add(new("2.11", "Asset class", $"{i.Symbol} has no derivative asset class in the reference data"));
        }
        if (i.ExpiresOn is null)
        {
            problems.Add(new("2.43", "Expiration date", $"{i.Symbol} has no expiry in the reference data"));
        }
        if (i.PriceMultiplier <= 0)
        {
            problems.Add(new("2.59", "Price multiplier", "must be greater than zero"));
        }
        return new EmirTradeReport(uti, "NEWT", reporting, mine.Account.EmirClass, counterparty, other.Account.IsLegalEntity ? other.Account.EmirClass : "None",
            direction, firm.Lei ?? "", i.Isin, i.UnderlyingIsin, "FUTR", assetClass, trade.Price, trade.Currency, trade.Quantity, i.PriceMultiplier,
            trade.Price * trade.Quantity * i.PriceMultiplier, Identifiers.UtcTimestamp(trade.ExecutedAtUtc, trade.Venue.TimestampDecimals), i.ExpiresOn, "N",
            trade.Venue.Mic, trade.TradeId, i.Symbol, mine.Account.AccountId, problems);
    }
}
