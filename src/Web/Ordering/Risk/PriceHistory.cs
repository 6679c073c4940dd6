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
            foreach (var t in trades)
            {
                var day = DateOnly.FromDateTime(t.ExecutedAt);
                result[t.Symbol][day] = new DailyClosePoint(day, t.Price, TradesSource);
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
