using TradSys.Reporting.Documents;
using TradSys.Reporting.TransactionReporting;

namespace TradSys.Reporting.Reports;

/// <summary>
/// The EMIR derivatives report (EMIR Art 9, Refit): every derivative trade of the day with the key Refit fields per counterparty
/// side the firm reports for, totals, the validation of every report, and what is not reported. Its twin is the auth.030 XML
/// (<see cref="Auth030Writer"/>).
/// </summary>
public static class EmirDerivativesReport
{
    /// <summary>Builds the document body for the data.</summary>
    public static IReadOnlyList<Block> Build(EmirDerivativesData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(data.TimeZone);
        var reports = data.Reports;
        var invalid = reports.Count(r => !r.IsValid);
        var byCurrency = reports.GroupBy(r => r.Currency).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (Currency: g.Key, Count: g.Count(), Contracts: g.Sum(r => r.Quantity), Notional: g.Sum(r => r.Notional))).ToList();
        var blocks = new List<Block>
        {
            new Facts(
            [
                new("Day reported", $"{Format.Date(data.BusinessDate)} ({data.TimeZone}, {Format.Offset(data.BusinessDate, zone)}); due T+1"),
                new("Report submitting entity", $"LEI {data.FirmLei}"),
                new("Derivative trades", Format.Count(data.DerivativeTrades)),
                new("Trade reports", Format.Count(reports.Count)),
                new("Individuals' sides", $"{Format.Count(data.SidesNotReported)} (not EMIR counterparties: not reported)"),
                new("Invalid reports", invalid == 0 ? "none" : Format.Count(invalid)),
            ]),
            new Heading("Scope"),
            new Paragraph(
                "Every derivative trade executed on the day is in scope: EMIR Art 9 covers exchange-traded derivatives as well as OTC. " +
                "The firm reports on behalf of its clients that are EMIR counterparties (legal entities, with their FC / NFC+ / NFC- class), " +
                "one report per trade and counterparty side, with the same UTI for both sides (the firm's LEI, E, and the trade id). " +
                "Individuals are not counterparties under EMIR: no report is made for their side, and where one is the other side the " +
                "report identifies them by their national client identifier. Action type is NEWT; the product is identified by its ISIN " +
                "(no UPI is available to the platform); no CCP is modelled for the internal venue, so every trade is reported uncleared; " +
                "valuation, margin and collateral reports are not produced."),
            new Heading("Trade reports"),
            new Table(
                [
                    new("UTI", 1.9f), new("Reporting cpty (side, class)", 1.75f), new("Other cpty (class)", 1.75f), new("ISIN / underlying", 1.55f),
                    new("Class, type", 0.7f), new("Price x qty x mult.", 1.15f, CellAlign.Right), new("Notional", 1.15f, CellAlign.Right),
                    new("Executed (UTC) / expiry", 1.35f), new("Clr / MIC", 0.8f),
                ],
                reports.Select(r => (IReadOnlyList<string>)
                [
                    r.Uti, $"{Party(r.ReportingCounterparty)}\n{r.Direction}, {r.ReportingCounterpartyClass}", $"{Party(r.OtherCounterparty)}\n{r.OtherCounterpartyClass}",
                    $"{r.Isin}\n{r.UnderlyingIsin}", $"{r.AssetClass}\n{r.ContractType}",
                    $"{Format.Price(r.Price)} x {Format.Count(r.Quantity)} x {r.PriceMultiplier:0.##}", $"{Format.Money(r.Notional)} {r.Currency}",
                    $"{r.ExecutionTimestamp}\n{(r.ExpiryDate is { } e ? Format.Date(e) : "no expiry")}", $"{r.Cleared}\n{r.Venue}",
                ]),
                ["Total", "", "", "", "", "", "", "", ""]),
            new Heading("Totals by currency"),
            new Table(
                [new("Currency", 1f), new("Reports", 1f, CellAlign.Right), new("Contracts", 1f, CellAlign.Right), new("Notional", 2f, CellAlign.Right)],
                byCurrency.Select(c => (IReadOnlyList<string>)[c.Currency, Format.Count(c.Count), Format.Count(c.Contracts), Format.Money(c.Notional)]),
                ["Total", Format.Count(reports.Count), Format.Count(reports.Sum(r => r.Quantity)), ""]),
            new Heading("Validation"),
            new Paragraph(
                "Each report is checked: LEIs are 20 characters with ISO 7064 MOD 97-10 check digits (ISO 17442; issuance is not checked " +
                "against GLEIF); a legal-entity counterparty without an LEI fails (CON-011); the reporting counterparty has an EMIR class; " +
                "the UTI is at most 52 upper-case letters and digits (ISO 23897); ISIN check digit, asset class, expiry and price " +
                "multiplier are present."),
        };
        var problems = reports.SelectMany(r => r.Problems.Select(p => (r, p))).ToList();
        blocks.Add(problems.Count == 0
            ? new Paragraph($"All {Format.Count(reports.Count)} reports passed.")
            : new Table(
                [new("UTI / side", 2.2f), new("Field", 0.5f), new("Field name", 1.6f), new("Problem", 4.5f)],
                problems.Select(x => (IReadOnlyList<string>)[$"{x.r.Uti}\n{x.r.Direction}", x.p.Field, x.p.Name, x.p.Problem]),
                ["Reports with problems", Format.Count(invalid), "", ""]));
        return blocks;
    }

    private static string Party(PartyIdentification p) => p.Type switch
    {
        "NONE" => "NOT IDENTIFIED",
        "NATIONAL_ID" => $"individual {p.Scheme} {p.Id}",
        _ => $"{p.Type} {p.Id}",
    };
}
