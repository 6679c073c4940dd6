using TradSys.Reporting.Data;
using TradSys.Reporting.Documents;

namespace TradSys.Reporting.Reports;

/// <summary>
/// The daily trade report of one venue (SCA for ADX, the FRA for EGX, the firm's compliance for its internal crossings): a
/// summary per instrument with a chart of traded value, then every trade with both parties, and the day's totals. Values are
/// in each instrument's currency: a venue that crosses instruments of several currencies (the internal venue: EGP and AED)
/// gets its totals and charts per currency, never a sum across currencies.
/// </summary>
public static class DailyTradeReport
{
    /// <summary>Builds the document body for the data.</summary>
    public static IReadOnlyList<Block> Build(DailyTradeData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(data.Venue.TimeZone);
        var trades = data.Trades;
        var byInstrument = trades.GroupBy(t => t.Symbol, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (Symbol: g.Key, First: g.First(), Count: g.Count(), Quantity: g.Sum(t => t.Quantity), Value: g.Sum(t => t.Value)))
            .ToList();
        var totalQuantity = trades.Sum(t => t.Quantity);
        var byCurrency = trades.GroupBy(t => t.Currency, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (Currency: g.Key, Value: g.Sum(t => t.Value))).ToList();
        // One currency (every venue of a market): values as before, the currency in the column's title. Several: each value
        // carries its currency and the totals are per currency.
        var ccy = byCurrency.Count switch { 0 => data.Venue.Currency, 1 => byCurrency[0].Currency, _ => null };
        string Value(decimal value, string currency) => ccy is null ? $"{Format.Money(value)} {currency}" : Format.Money(value);
        var totalValue = ccy is null
            ? string.Join("\n", byCurrency.Select(c => $"{Format.Money(c.Value)} {c.Currency}"))
            : Format.Money(byCurrency.Sum(c => c.Value));
        var valueTitle = ccy is null ? "Value" : $"Value ({ccy})";

        var blocks = new List<Block>
        {
            new Facts(
            [
                new("Venue", $"{data.Venue.Name} ({data.Venue.Code}, MIC {data.Venue.Mic})"),
                new("Trading day", $"{Format.Date(data.BusinessDate)} (venue time, {data.Venue.TimeZone}, {Format.Offset(data.BusinessDate, zone)})"),
                new("Trades", Format.Count(trades.Count)),
                new("Shares traded", Format.Count(totalQuantity)),
                new("Value traded", ccy is null ? string.Join("; ", byCurrency.Select(c => $"{Format.Money(c.Value)} {c.Currency}")) : $"{totalValue} {ccy}"),
            ]),
            new Heading("Summary by instrument"),
        };
        foreach (var currency in byCurrency.Select(c => c.Currency))
        {
            var shown = byInstrument.Where(i => i.First.Currency == currency).ToList();
            blocks.Add(new BarChart($"Value traded by instrument ({currency})", shown.Select(i => i.Symbol).ToList(),
                shown.Select(i => (double)i.Value).ToList(), currency, 190));
        }
        blocks.Add(new Table(
            [
                new("Instrument", 0.9f), new("ISIN", 1.2f), new("Issuer", 2.6f), new("Trades", 0.7f, CellAlign.Right),
                new("Quantity", 1f, CellAlign.Right), new(valueTitle, 1.4f, CellAlign.Right), new("VWAP", 0.9f, CellAlign.Right),
            ],
            byInstrument.Select(i => (IReadOnlyList<string>)
            [
                i.Symbol, i.First.Isin, i.First.IssuerAr is { Length: > 0 } ar ? $"{i.First.Issuer}\n{ar}" : i.First.Issuer,
                Format.Count(i.Count), Format.Count(i.Quantity), Value(i.Value, i.First.Currency), Format.Price(i.Value / i.Quantity),
            ]),
            ["Total", "", "", Format.Count(trades.Count), Format.Count(totalQuantity), totalValue, ""]));

        blocks.Add(new Heading("Trades"));
        blocks.Add(new Paragraph($"Times are venue time ({data.Venue.TimeZone}). The aggressor is the side that took liquidity."));
        blocks.Add(new Table(
            [
                new("Trade", 0.75f), new("Time", 0.8f), new("Instrument", 1.05f), new("Price", 0.8f, CellAlign.Right),
                new("Quantity", 0.9f, CellAlign.Right), new(valueTitle, 1.2f, CellAlign.Right), new("Buyer", 1.925f), new("Seller", 1.925f),
                new("Aggressor", 1f),
            ],
            trades.Select(t => (IReadOnlyList<string>)
            [
                Format.Count(t.TradeId).Replace(",", "", StringComparison.Ordinal), Format.Local(t.ExecutedAtUtc, zone), t.Symbol,
                Format.Price(t.Price), Format.Count(t.Quantity), Value(t.Value, t.Currency), Format.Party(t.Buyer), Format.Party(t.Seller), t.AggressorSide,
            ]),
            ["Total", "", "", "", Format.Count(totalQuantity), totalValue, "", "", ""]));
        return blocks;
    }
}
