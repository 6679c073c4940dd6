using TradSys.Reporting.Documents;
using TradSys.Reporting.TransactionReporting;

namespace TradSys.Reporting.Reports;

/// <summary>
/// The MiFID II transaction report (MiFIR Art 26, RTS 22): the scope decision, every reportable transaction with its key RTS 22
/// fields, totals per instrument, the validation of every record (an invalid record is listed with the field and the problem,
/// never dropped), and which fields are populated. Its machine-readable twin is the auth.016 XML (<see cref="Auth016Writer"/>).
/// </summary>
public static class MifidTransactionReport
{
    /// <summary>Builds the document body for the data.</summary>
    public static IReadOnlyList<Block> Build(MifidTransactionData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(data.TimeZone);
        var records = data.Records;
        var invalid = records.Count(r => !r.IsValid);
        var byInstrument = records.GroupBy(r => (r.Isin, r.Currency)).OrderBy(g => g.Key.Isin, StringComparer.Ordinal).ThenBy(g => g.Key.Currency, StringComparer.Ordinal)
            .Select(g => (g.Key.Isin, g.Key.Currency, Symbols: string.Join(", ", g.Select(r => r.Symbol).Distinct().Order(StringComparer.Ordinal)),
                Count: g.Count(), Quantity: g.Sum(r => r.Quantity), Value: g.Sum(r => r.Price * r.Quantity)))
            .ToList();
        var blocks = new List<Block>
        {
            new Facts(
            [
                new("Trading day reported", $"{Format.Date(data.BusinessDate)} ({data.TimeZone}, {Format.Offset(data.BusinessDate, zone)}); due T+1"),
                new("Executing / submitting", $"LEI {data.FirmLei} (fields 4 and 6)"),
                new("MiFID branches", data.MifidBranches.Count == 0 ? "none configured: nothing is reportable" : string.Join(", ", data.MifidBranches)),
                new("Trades on the day", Format.Count(data.TradesOnDay)),
                new("Trades not in scope", Format.Count(data.TradesNotInScope)),
                new("Reportable transactions", Format.Count(records.Count)),
                new("Invalid records", invalid == 0 ? "none" : Format.Count(invalid)),
            ]),
            new Heading("Scope"),
            new Paragraph(
                "A side of a trade is reported when (1) the instrument is admitted to trading or traded on an EU trading venue, as the " +
                "instrument's FIRDS flag in the reference data says (MiFIR Art 26(2)), and (2) the client is served by one of the firm's " +
                "MiFID branches listed above, which reports the transactions it executes (MiFIR Art 26, RTS 22 Art 14). None of the " +
                "platform's venues is an EU trading venue: field 36 is the venue's segment MIC (XCAI, XADS), or XOFF for the firm's " +
                "internal crossing venue. Each reportable side is one record: TRN = TS + trade date + T + trade id + B or S. " +
                "Trading capacity (field 29) is AOTC: the firm executes client orders as agent; it neither deals on own account (DEAL) " +
                "nor interposes itself between clients (MTCH). On an exchange the counterparty is identified by the venue's MIC (not " +
                "disclosed, no CCP modelled); on the internal venue by the other client's identifier. Derivatives whose underlying is " +
                "EU-traded (Art 26(2)(c)) are not yet recognised unless flagged themselves."),
            new Heading("Reportable transactions"),
            new Table(
                [
                    new("TRN (2) / TVTIC (3)", 1.45f), new("Time UTC (28)", 1.25f), new("Buyer (7)", 1.55f), new("Seller (16)", 1.55f),
                    new("ISIN (41)", 1.45f), new("Qty (30)", 0.7f, CellAlign.Right), new("Price (33-34)", 0.95f, CellAlign.Right),
                    new("Venue (36)", 0.75f), new("57 / 59", 1.4f), new("62", 0.6f),
                ],
                records.Select(r => (IReadOnlyList<string>)
                [
                    $"{r.Trn}\n{r.Tvtic ?? "no TVTIC (XOFF)"}", r.TradingDateTime, Party(r.Buyer), Party(r.Seller), r.Isin, Format.Count(r.Quantity),
                    $"{Format.Price(r.Price)} {r.Currency}", r.Venue,
                    $"57: {(r.InvestmentDecision is { } d ? Party(d) : "client decided")}\n59: {Party(r.Execution)}", r.ShortSelling ?? "",
                ]),
                ["Total", "", "", "", "", Format.Count(records.Sum(r => r.Quantity)), "", "", "", ""]),
            new Paragraph("Every record: field 1 NEWT, 4 and 6 the firm's LEI, 5 true, 25 false (no transmission), 29 AOTC, 37 the serving branch's " +
                "country, 61 blank (no pre-trade waiver: no EU trading venue), 63 blank (no deferral flag), 64 false, 65 false."),
            new Heading("Totals by instrument"),
            new Table(
                [new("ISIN", 1.2f), new("Symbols", 1.6f), new("Records", 0.8f, CellAlign.Right), new("Quantity", 1f, CellAlign.Right),
                    new("Value", 1.4f, CellAlign.Right), new("Currency", 0.7f)],
                byInstrument.Select(i => (IReadOnlyList<string>)
                    [i.Isin, i.Symbols, Format.Count(i.Count), Format.Count(i.Quantity), Format.Money(i.Value), i.Currency]),
                ["Total", "", Format.Count(records.Count), Format.Count(records.Sum(r => r.Quantity)), "", ""]),
            new Heading("Validation"),
            new Paragraph(
                "Each record is checked before submission: LEIs are 20 characters with ISO 7064 MOD 97-10 check digits (ISO 17442) — " +
                "whether an LEI is issued and current is GLEIF's register, not checked here; a legal-entity client without an LEI fails " +
                "ESMA's CON-011 (no reportable service without an LEI, RTS 22 Art 13(2)); natural persons need the identifier RTS 22 Annex II " +
                "gives for their nationality; the ISIN's check digit; quantity, price and currency present."),
        };
        var problems = records.SelectMany(r => r.Problems.Select(p => (r, p))).ToList();
        blocks.Add(problems.Count == 0
            ? new Paragraph($"All {Format.Count(records.Count)} records passed.")
            : new Table(
                [new("TRN", 1.4f), new("Field", 0.5f), new("Field name", 1.6f), new("Problem", 5f)],
                problems.Select(x => (IReadOnlyList<string>)[x.r.Trn, x.p.Field, x.p.Name, x.p.Problem]),
                ["Records with problems", Format.Count(invalid), "", ""]));
        return blocks;
    }

    private static string Party(PartyIdentification p) => p.Type switch
    {
        "NONE" => "NOT IDENTIFIED",
        "NATIONAL_ID" => $"{p.Scheme} {p.Id}",
        _ => $"{p.Type} {p.Id}",
    };
}
