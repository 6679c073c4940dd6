using System.Globalization;
using TradSys.Reporting.Data;
using TradSys.Reporting.Documents;

namespace TradSys.Reporting.Reports;

/// <summary>
/// The daily risk report for the risk officer and the firm's regulators: the limits breached on the day (the risk alert monitor's
/// Breached alerts), each account's one-day 99% historical VaR and expected shortfall with the backtest of that figure (exceptions,
/// their days, Kupiec's test, the Basel zone), and the firm's largest positions. Figures are in each account's base currency; the
/// exposures are compared in one currency at the platform's FX rates.
/// </summary>
public static class DailyRiskReport
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>Builds the document body for the data.</summary>
    public static IReadOnlyList<Block> Build(DailyRiskData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(data.TimeZone);
        var withVar = data.Accounts.Where(a => a.ValueAtRisk is not null).ToList();
        var tested = data.Accounts.Where(a => a.Backtest is not null).ToList();
        var blocks = new List<Block>
        {
            new Facts(
            [
                new("Day", $"{Format.Date(data.BusinessDate)} ({data.TimeZone}, {Format.Offset(data.BusinessDate, zone)})"),
                new("Limits breached", Format.Count(data.Breaches.Count)),
                new("Accounts with positions", Format.Count(data.Accounts.Count)),
                new("Accounts with a VaR", Format.Count(withVar.Count)),
                new($"Firm VaR 99% 1d ({data.Currency})", data.Firm is not { } f ? "no positions"
                    : f.ValueAtRisk is { } fv ? Format.Money(fv) : "n/a (see the notes)"),
                new("Backtest exceptions", tested.Count == 0 ? "no backtest: the history is too short"
                    : $"{Format.Count(tested.Sum(a => a.Backtest!.Exceptions))} over {Format.Count(tested.Count)} account(s); " +
                      $"{Format.Count(tested.Count(a => a.Backtest!.Zone != "Green"))} outside the green zone"),
            ]),
            new Heading("Limits breached"),
            new Paragraph("Each limit whose utilisation reached 100% during the day, as the risk alert monitor raised it (once per crossing). " +
                          $"Times are {data.TimeZone}."),
            new Table(
                [
                    new("Alert", 0.6f), new("Raised", 0.8f), new("Account", 2.1f), new("Limit", 2.2f), new("Set for", 1.5f),
                    new("Limit value", 1.2f, CellAlign.Right), new("Used", 1.2f, CellAlign.Right), new("Use", 0.8f, CellAlign.Right),
                    new("Acknowledged by", 1.2f),
                ],
                data.Breaches.Select(b => (IReadOnlyList<string>)
                [
                    b.AlertId.ToString(C), Format.Local(b.RaisedAtUtc, zone), Format.Party(b.Account),
                    b.Symbol is null ? b.Limit : $"{b.Limit}\n{b.Symbol}", b.Scope, $"{Amount(b.LimitValue)} {b.Unit}", $"{Amount(b.Used)} {b.Unit}",
                    b.UtilisationPct is { } pct ? $"{pct.ToString("0.##", C)}%" : "n/a", b.AcknowledgedBy ?? "not yet",
                ]),
                ["Total", "", Format.Count(data.Breaches.Count), "", "", "", "", "", ""]),
            new Heading("Value at risk by account (historical simulation, 1 day, 99%)"),
            new Paragraph("Each account's positions at the day's end over the last 250 days of returns of the stored daily closes; the expected " +
                          "shortfall is the mean loss beyond the VaR. Backtest: the one-day VaR of each of the last days (up to 250) against the " +
                          "P&L the same positions would have made that day; Kupiec's test rejects the model at the 5% level when p < 0.05; " +
                          "Basel zones for 250 days: green 0-4 exceptions, yellow 5-9, red 10 or more. The last row is the firm's: every " +
                          $"account's positions in {data.Currency}, netted per instrument, by the same method; with diversification it is " +
                          "usually less than the accounts' VaRs together."),
            new Table(
                [
                    new("Account", 2.2f), new("Ccy", 0.5f), new("Positions", 0.75f, CellAlign.Right), new("Gross", 1.3f, CellAlign.Right),
                    new("VaR 99% 1d", 1.2f, CellAlign.Right), new("ES 99% 1d", 1.2f, CellAlign.Right), new("Days", 0.55f, CellAlign.Right),
                    new("Exceptions (expected)", 1.2f, CellAlign.Right), new("Kupiec LR (p)", 1.2f, CellAlign.Right), new("Zone", 0.7f),
                ],
                data.Accounts.Select(a => (IReadOnlyList<string>)
                [
                    Format.Party(a.Account), a.Currency, Format.Count(a.Positions), Format.Money(a.GrossExposure),
                    a.ValueAtRisk is { } v ? Format.Money(v) : "n/a", a.ExpectedShortfall is { } es ? Format.Money(es) : "n/a",
                    a.ValueAtRisk is null ? "" : Format.Count(a.WindowDays),
                    a.Backtest is { } b ? $"{Format.Count(b.Exceptions)} of {Format.Count(b.Observations)} ({b.ExpectedExceptions.ToString("0.##", C)})" : "no backtest",
                    a.Backtest is { } k ? $"{k.KupiecStatistic.ToString("0.###", C)} ({k.PValue.ToString("0.###", C)})" : "",
                    a.Backtest?.Zone ?? "",
                ]),
                data.Firm is not { } firm ? null :
                [
                    $"Firm: {Format.Count(firm.Accounts)} account(s) aggregated", firm.Currency,
                    Format.Count(firm.Instruments), Format.Money(firm.GrossExposure),
                    firm.ValueAtRisk is { } firmVar ? Format.Money(firmVar) : "n/a", firm.ExpectedShortfall is { } firmEs ? Format.Money(firmEs) : "n/a",
                    firm.ValueAtRisk is null || firm.Instruments == 0 ? "" : Format.Count(firm.WindowDays),
                    firm.Backtest is { } firmTest ? $"{Format.Count(firmTest.Exceptions)} of {Format.Count(firmTest.Observations)} ({firmTest.ExpectedExceptions.ToString("0.##", C)})" : "no backtest",
                    firm.Backtest is { } firmKupiec ? $"{firmKupiec.KupiecStatistic.ToString("0.###", C)} ({firmKupiec.PValue.ToString("0.###", C)})" : "",
                    firm.Backtest?.Zone ?? "",
                ]),
            new Heading("Backtest exceptions"),
            new Table(
                [new("Account", 2.2f), new("Days compared", 1.8f), new("Days the loss exceeded the VaR", 5f)],
                tested.Where(a => a.Backtest!.Exceptions > 0).Select(a => (IReadOnlyList<string>)
                [
                    Format.Party(a.Account), $"{Format.Date(a.Backtest!.From)} to {Format.Date(a.Backtest.To)}",
                    string.Join(", ", a.Backtest.ExceptionDates.Select(Format.Date)),
                ])),
        };
        var notes = data.Accounts.Where(a => a.Note is not null).Select(a => $"account {a.Account.AccountId}: {a.Note}")
            .Concat(data.Firm?.Note is { } firmNote ? [$"firm: {firmNote}"] : []).Concat(data.Notes).ToList();
        if (notes.Count > 0)
        {
            blocks.Add(new Heading("Notes"));
            blocks.AddRange(notes.Select(n => new Paragraph(n)));
        }
        blocks.Add(new Heading($"Largest exposures ({data.Currency})"));
        blocks.Add(new Paragraph($"The {DailyRiskData.MaxExposures} largest positions of the firm by absolute value in {data.Currency}, marked at the " +
                                 "day's last trade, else the reference price (Last or Reference), times the price multiplier."));
        blocks.Add(new Table(
            [
                new("Account", 2.2f), new("Instrument", 1f), new("Quantity", 1f, CellAlign.Right), new("Mark", 1.1f, CellAlign.Right),
                new("Market value", 1.6f, CellAlign.Right), new($"Value ({data.Currency})", 1.4f, CellAlign.Right),
            ],
            data.LargestExposures.Select(e => (IReadOnlyList<string>)
            [
                Format.Party(e.Account), e.Symbol, Format.Count(e.Quantity), $"{Format.Price(e.Price)} {e.PriceSource}",
                $"{Format.Money(e.MarketValue)} {e.Currency}", Format.Money(e.Value),
            ])));
        return blocks;
    }

    // Limits are shares, orders, money or percentages: grouped, with the decimals they have (a percentage may have many).
    private static string Amount(decimal value) => value.ToString("#,0.##########", C);
}
