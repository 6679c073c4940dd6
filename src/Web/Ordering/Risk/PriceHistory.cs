using Microsoft.EntityFrameworkCore;
using TradSys.Web.Persistence;
using TradSys.Web.Persistence.Entities;

namespace TradSys.Web.Ordering.Risk;

/// <summary>One day's close of an instrument and where it came from: a stored close's source (close, last-trade, reference, import, demo:
/// <see cref="ReferencePriceDay"/>) or "trades" (the platform's last trade of the day, read from the trades).</summary>
public sealed record DailyClosePoint(DateOnly Date, decimal Close, string Source);

/// <summary>
/// The daily price history the VaR of the accounts is computed from. Two sources: the stored closes (<see cref="ReferencePriceDay"/>,
/// the one store of daily closes that reports of a past day read too: the close job's at each venue's close, either import's, or the
/// demo data's illustrative history) and the platform's own trades, whose last trade of each UTC day is that day's close (EGX and ADX
/// trade within one UTC day, so it is also the venue's day). A stored close of the same day wins: it is the venue's official figure (or
/// the close job's reading of the day, made from the same trades), of which the platform's trades are a part. The trades' closes are read from the
/// trades table when asked for, not copied, so they are always those of the trades journalled so far (today's is the last trade yet).
/// A split puts the history in new shares: applying it scales the stored closes before its effective date (<c>SplitCommands</c>), and a
/// trade's close of a day before the effective date of a split applied since is scaled here the same way (times old/new, the line's price
/// decimals, half to even); the trades themselves stay as they were executed.
/// </summary>
public static class PriceHistory
{
    /// <summary>The trades' pseudo-source.</summary>
    public const string TradesSource = "trades";

    /// <summary>Each symbol's closes from <paramref name="from"/> to <paramref name="to"/> (inclusive), oldest first.</summary>
    public static async Task<Dictionary<string, List<DailyClosePoint>>> ReadAsync(TradSysDbContext db, IReadOnlyCollection<string> symbols,
        DateOnly from, DateOnly to, CancellationToken ct)
    {
        var list = symbols.Distinct(StringComparer.Ordinal).ToList();
        var result = list.ToDictionary(s => s, _ => new SortedDictionary<DateOnly, DailyClosePoint>(), StringComparer.Ordinal);
        var start = from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var end = to.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        // The last trade of each symbol and UTC day: the highest id (trades are numbered in the order they happen).
        var lastIds = await db.Trades.AsNoTracking()
            .Where(t => list.Contains(t.Symbol) && t.ExecutedAt >= start && t.ExecutedAt < end)
            .GroupBy(t => new { t.Symbol, Day = t.ExecutedAt.Date })
            .Select(g => g.Max(t => t.Id))
            .ToListAsync(ct);
        foreach (var chunk in lastIds.Chunk(500))
        {
            var trades = await db.Trades.AsNoTracking().Where(t => chunk.Contains(t.Id))
                .Select(t => new { t.Symbol, t.ExecutedAt, t.Price }).ToListAsync(ct);
            var splits = trades.Count == 0 ? [] : await AppliedSplitsAsync(db, list, ct);
            foreach (var t in trades)
            {
                var day = DateOnly.FromDateTime(t.ExecutedAt);
                var price = t.Price;
                foreach (var split in splits.Where(x => x.Symbol == t.Symbol && day < x.EffectiveDate))
                {
                    price = Math.Round(price * split.OldShares / split.NewShares, split.Decimals, MidpointRounding.ToEven);
                }
                result[t.Symbol][day] = new DailyClosePoint(day, price, TradesSource);
            }
        }
        var stored = await db.ReferencePriceDays.AsNoTracking()
            .Where(c => list.Contains(c.Symbol) && c.Date >= from && c.Date <= to)
            .Select(c => new { c.Symbol, c.Date, Close = c.Price, c.Source }).ToListAsync(ct);
        foreach (var c in stored)
        {
            result[c.Symbol][c.Date] = new DailyClosePoint(c.Date, c.Close, c.Source);
        }
        return result.ToDictionary(r => r.Key, r => r.Value.Values.ToList(), StringComparer.Ordinal);
    }

    /// <summary>The applied splits of the securities of <paramref name="symbols"/> (every line with the split listing's ISIN), per symbol,
    /// oldest first, with the line's price decimals.</summary>
    private static async Task<List<(string Symbol, DateOnly EffectiveDate, int NewShares, int OldShares, int Decimals)>> AppliedSplitsAsync(
        TradSysDbContext db, List<string> symbols, CancellationToken ct)
    {
        var lines = await (from i in db.Instruments.AsNoTracking()
                           join v in db.Venues.AsNoTracking() on i.VenueCode equals v.Code
                           where symbols.Contains(i.Symbol)
                           select new { i.Symbol, i.Isin, v.PriceDecimals }).ToListAsync(ct);
        var isins = lines.Select(l => l.Isin).Distinct().ToList();
        var splits = await (from s in db.StockSplits.AsNoTracking()
                            join i in db.Instruments.AsNoTracking() on s.Symbol equals i.Symbol
                            where s.Status == SplitStatus.Applied && isins.Contains(i.Isin)
                            select new { i.Isin, s.EffectiveDate, s.NewShares, s.OldShares, s.Id }).ToListAsync(ct);
        return [.. from l in lines
                   from s in splits
                   where s.Isin == l.Isin
                   orderby s.EffectiveDate, s.Id
                   select (l.Symbol, s.EffectiveDate, s.NewShares, s.OldShares, l.PriceDecimals)];
    }

    /// <summary>
    /// The closes of several instruments on common days, for a return history: the days on which any of them closed, from the first
    /// day on which every one has a close; a day without a close of an instrument (its venue's weekend or holiday) carries its last
    /// close forward, a zero return, as a price that did not move. Rows are days (oldest first), columns the symbols in order.
    /// </summary>
    public static (DateOnly[] Dates, double[,] Prices) Align(IReadOnlyList<string> symbols, IReadOnlyDictionary<string, List<DailyClosePoint>> closes)
    {
        if (symbols.Count == 0 || symbols.Any(s => closes[s].Count == 0))
        {
            return ([], new double[0, symbols.Count]);
        }
        var first = symbols.Max(s => closes[s][0].Date);
        var dates = symbols.SelectMany(s => closes[s]).Select(c => c.Date).Where(d => d >= first).Distinct().Order().ToArray();
        var prices = new double[dates.Length, symbols.Count];
        for (var j = 0; j < symbols.Count; j++)
        {
            var series = closes[symbols[j]];
            var k = 0;
            var last = 0m;
            for (var i = 0; i < dates.Length; i++)
            {
                while (k < series.Count && series[k].Date <= dates[i])
                {
                    last = series[k].Close;
                    k++;
                }
                prices[i, j] = (double)last;
            }
        }
        return (dates, prices);
    }
}
