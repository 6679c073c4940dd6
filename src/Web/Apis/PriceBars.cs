using Microsoft.EntityFrameworkCore;
using TradSys.Web.Http;
using TradSys.Web.Ordering;
using TradSys.Web.Persistence;
using TradSys.Web.Persistence.Entities;
using TradSys.Web.ReferenceData;

namespace TradSys.Web.Apis;

/// <summary>One bar of an instrument's trading: the start (UTC), open, high, low and close of the trades in it, their volume and count.</summary>
public sealed record PriceBar(DateTime Time, decimal Open, decimal High, decimal Low, decimal Close, long Volume, int Trades);

/// <summary>
/// The trading day's bars of one instrument, oldest first; intervals without a trade have no bar. <c>From</c>: the start
/// of the venue's trading day (UTC), midnight on the venue's clock (<c>TimeZone</c>).
/// </summary>
public sealed record PriceBarsResponse(string Symbol, string Currency, string Interval, string TimeZone, DateTime From, IReadOnlyList<PriceBar> Bars);

/// <summary>
/// <c>GET /api/v1/instruments/{symbol}/bars?interval=1m|5m|15m|1h</c>: the public tape of the venue's trading day so far
/// (price, quantity and time of each trade, no party) in bars, for the ticket's intraday chart.
/// </summary>
public static class PriceBars
{
    /// <summary>The intervals offered, by their name in the query.</summary>
    public static readonly IReadOnlyDictionary<string, TimeSpan> Intervals = new Dictionary<string, TimeSpan>(StringComparer.Ordinal)
    {
        ["1m"] = TimeSpan.FromMinutes(1), ["5m"] = TimeSpan.FromMinutes(5), ["15m"] = TimeSpan.FromMinutes(15), ["1h"] = TimeSpan.FromHours(1),
    };

    public static async Task<IResult> GetAsync(string symbol, HttpContext http, ReferenceDataCache referenceData, MarketClock clock, TradSysDbContext db)
    {
        var q = new Query(http.Request.Query);
        var name = q.String("interval", 8) ?? "5m";
        if (!Intervals.TryGetValue(name, out var interval))
        {
            q.Add("interval", $"must be one of {string.Join(", ", Intervals.Keys)}");
        }
        if (q.HasErrors)
        {
            return Problems.Invalid(q.Errors);
        }
        if (!referenceData.TryGet(symbol, out var instrument))
        {
            return Problems.NotFound($"unknown instrument '{symbol}'");
        }
        var zone = TimeZoneInfo.FindSystemTimeZoneById(instrument.VenueRow.TimeZone);
        var from = DayStart(clock.UtcNow, zone);
        var row = instrument.Row.Symbol;
        var trades = await db.Trades.AsNoTracking().Where(t => t.Symbol == row && t.ExecutedAt >= from).OrderBy(t => t.Id)
            .ToListAsync(http.RequestAborted);
        return TypedResults.Ok(new PriceBarsResponse(row, instrument.Row.Currency, name, zone.Id, from, Aggregate(trades, from, interval)));
    }

    /// <summary>Midnight of <paramref name="utcNow"/>'s date on the venue's clock, in UTC.</summary>
    public static DateTime DayStart(DateTime utcNow, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utcNow, DateTimeKind.Utc), zone).Date;
        return TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), zone);
    }

    /// <summary>The trades (in execution order) in bars of <paramref name="interval"/> counted from <paramref name="from"/>.</summary>
    public static List<PriceBar> Aggregate(IEnumerable<TradeRecord> trades, DateTime from, TimeSpan interval)
    {
        var bars = new List<PriceBar>();
        foreach (var t in trades)
        {
            var start = from + TimeSpan.FromTicks((t.ExecutedAt - from).Ticks / interval.Ticks * interval.Ticks);
            if (bars.Count > 0 && bars[^1].Time == start)
            {
                var b = bars[^1];
                bars[^1] = b with { High = Math.Max(b.High, t.Price), Low = Math.Min(b.Low, t.Price), Close = t.Price, Volume = b.Volume + t.Quantity, Trades = b.Trades + 1 };
            }
            else
            {
                bars.Add(new PriceBar(DateTime.SpecifyKind(start, DateTimeKind.Utc), t.Price, t.Price, t.Price, t.Price, t.Quantity, 1));
            }
        }
        return bars;
    }
}
