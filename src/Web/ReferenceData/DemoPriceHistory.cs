using Microsoft.EntityFrameworkCore;
using TradSys.Web.Persistence;
using TradSys.Web.Persistence.Entities;

namespace TradSys.Web.ReferenceData;

/// <summary>
/// The demo data's daily price history: <b>illustrative, not market data</b>. Two years of closes for every demo instrument, ending
/// the day before the database is first seeded at the instrument's reference price, so that the VaR pages and the daily risk report
/// have something to show before anyone imports real closes. Each issuer (a share and its other listings, or a derivative's
/// underlying) follows one seeded random walk over calendar days: a market factor shared by all (correlation 0.5), a daily
/// volatility of 1.1% to 2.3% by issuer (the warrant three times that), and a shock three times as large on about one day in fifty
/// (fat tails, so a backtest has exceptions to show). Each listing takes the walk's value on its venue's trading days. Stored with
/// source "demo"; an import of the same instrument and day replaces it. Deterministic: the same first day gives the same history.
/// </summary>
public static class DemoPriceHistory
{
    /// <summary>Calendar days of history.</summary>
    public const int CalendarDays = 730;

    private const int Seed = 15;
    private const double Correlation = 0.5;

    /// <summary>The closes of the demo instruments up to the day before <paramref name="today"/>.</summary>
    public static IReadOnlyList<ReferencePriceDay> Closes(DateOnly today, DateTime enteredAt)
    {
        var venues = DemoData.Venues().ToDictionary(v => v.Code, StringComparer.Ordinal);
        var instruments = DemoData.Instruments();
        var issuers = instruments.Select(Issuer).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var random = new Random(Seed);
        var first = today.AddDays(-CalendarDays);
        // paths[issuer][d]: the walk's level on calendar day first + d, relative to its last day (1.0 on the day before today).
        var shocks = new double[issuers.Count, CalendarDays];
        for (var d = 0; d < CalendarDays; d++)
        {
            var market = Normal(random);
            var tail = random.NextDouble() < 0.02 ? 3.0 : 1.0;
            for (var k = 0; k < issuers.Count; k++)
            {
                shocks[k, d] = tail * ((Math.Sqrt(Correlation) * market) + (Math.Sqrt(1 - Correlation) * Normal(random)));
            }
        }
        var closes = new List<ReferencePriceDay>();
        foreach (var instrument in instruments)
        {
            var k = issuers.IndexOf(Issuer(instrument));
            var volatility = (0.011 + (0.003 * (k % 5))) * (instrument.IsComplex && !instrument.IsDerivative ? 3 : 1);
            var venue = venues[instrument.VenueCode];
            var level = new double[CalendarDays];
            level[CalendarDays - 1] = 1.0;
            for (var d = CalendarDays - 1; d > 0; d--)
            {
                // Walk back from the last day: the level before day d is the level on day d over that day's gross return.
                level[d - 1] = level[d] / Math.Max(0.2, 1 + (volatility * shocks[k, d]));
            }
            for (var d = 0; d < CalendarDays; d++)
            {
                var day = first.AddDays(d);
                if (!venue.TradingDays.Contains(day.DayOfWeek) || venue.Holidays.Contains(day))
                {
                    continue;
                }
                var close = Math.Round(instrument.ReferencePrice * (decimal)level[d], venue.PriceDecimals, MidpointRounding.AwayFromZero);
                closes.Add(new ReferencePriceDay
                {
                    Symbol = instrument.Symbol, Date = day, Price = Math.Max(close, 1m / (decimal)Math.Pow(10, venue.PriceDecimals)),
                    Currency = instrument.Currency, Source = ReferencePriceDay.DemoSource, EnteredBy = "system", EnteredAt = enteredAt,
                });
            }
        }
        return closes;
    }

    /// <summary>
    /// Stores the history once: when no demo close is stored yet, and then only on the instruments' days that have no stored figure
    /// (the demo history never replaces a real one: an import, or the close job's).
    /// </summary>
    /// <returns>How many closes were stored.</returns>
    public static async Task<int> SeedAsync(TradSysDbContext db, DateTime now, CancellationToken cancellationToken)
    {
        if (await db.ReferencePriceDays.AnyAsync(p => p.Source == ReferencePriceDay.DemoSource, cancellationToken))
        {
            return 0;
        }
        var closes = Closes(DateOnly.FromDateTime(now), now);
        var first = closes.Count == 0 ? DateOnly.MaxValue : closes.Min(c => c.Date);
        var stored = (await db.ReferencePriceDays.AsNoTracking().Where(p => p.Date >= first).Select(p => new { p.Symbol, p.Date }).ToListAsync(cancellationToken))
            .Select(p => (p.Symbol, p.Date)).ToHashSet();
        var missing = closes.Where(c => !stored.Contains((c.Symbol, c.Date))).ToList();
        db.ReferencePriceDays.AddRange(missing);
        await db.SaveChangesAsync(cancellationToken);
        return missing.Count;
    }

    private static string Issuer(Instrument instrument) => instrument.IsDerivative && instrument.UnderlyingIsin is { } underlying ? underlying : instrument.Isin;

    /// <summary>A standard normal draw (Box-Muller).</summary>
    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
