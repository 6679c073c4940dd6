using Hangfire;
using Microsoft.EntityFrameworkCore;
using TradSys.Web.Auditing;
using TradSys.Web.Ordering;
using TradSys.Web.Persistence;
using TradSys.Web.Persistence.Entities;

namespace TradSys.Web.ReferenceData;

/// <summary>
/// Stores each venue's daily reference prices and the day's FX rates once its trading day is over (Hangfire recurring job
/// <see cref="Id"/>, every <see cref="IntervalMinutes"/> minutes by default, so a half day's early close or a calendar changed through the API is
/// followed without a restart). For every venue whose local day (today, and yesterday in case the platform was down at the close) is a
/// trading day whose last session has ended, each of its instruments gets the day's price: the closing price the order path set for
/// that day (<see cref="Instrument.ClosingPrice"/>: the closing auction's, else the venue's fallback), else the day's last trade on the
/// platform, else the reference price in force (the previous close, carried over); and every currency of the platform's FX table
/// (<c>fx_rates</c>) gets its rates for that day. The prices go to the one store of daily closes (<see cref="ReferencePriceDay"/>), so the
/// VaR's price history reads them too. Idempotent per day: a price or rate already stored for the day (an earlier run, or an import
/// through either API) is left as it is, so a rerun writes nothing and an import is never overwritten; only a price of the demo data's
/// illustrative history is replaced (<see cref="ReferencePriceDay.Replaces"/>), as a real figure of the day.
/// </summary>
public sealed class ReferencePriceCloseJob(TradSysDbContext db, AuditTrail audit, ReferenceDataCache referenceData, MarketClock clock,
    ILogger<ReferencePriceCloseJob> log)
{
    /// <summary>The recurring job's id.</summary>
    public const string Id = "reference-prices:close";

    /// <summary>How often the job looks for a venue whose day is over, by default (<c>ReferencePrices:CloseJobMinutes</c>; 0 switches it off).</summary>
    public const int IntervalMinutes = 5;

    /// <summary>What one run stored for one venue and day.</summary>
    public sealed record Stored(string Venue, DateOnly Date, int Prices, int FxRates);

    [AutomaticRetry(Attempts = 3)]
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    public async Task RunAsync(CancellationToken cancellationToken) => await RunAtAsync(clock.UtcNow, cancellationToken);

    /// <summary>Stores every venue's days that are over at <paramref name="utcNow"/> and not stored yet.</summary>
    /// <returns>What was written, per venue and day (nothing on a rerun).</returns>
    public async Task<IReadOnlyList<Stored>> RunAtAsync(DateTime utcNow, CancellationToken cancellationToken)
    {
        var written = new List<Stored>();
        foreach (var (code, row) in referenceData.VenueRows.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            var venue = referenceData.Venue(code);
            var local = venue.ToVenueLocal(utcNow.Ticks);
            var today = DateOnly.FromDateTime(local);
            foreach (var day in new[] { today.AddDays(-1), today })
            {
                if (!IsOver(venue, day, local))
                {
                    continue;
                }
                var stored = await StoreDayAsync(row, venue, day, utcNow, cancellationToken);
                if (stored.Prices + stored.FxRates > 0)
                {
                    written.Add(stored);
                }
            }
        }
        return written;
    }

    /// <summary>Whether <paramref name="day"/> is a trading day of the venue whose last session has ended by <paramref name="venueLocalNow"/>.</summary>
    public static bool IsOver(VenueSpec venue, DateOnly day, DateTime venueLocalNow)
    {
        if (!venue.Schedule.IsTradingDay(day))
        {
            return false;
        }
        var now = DateOnly.FromDateTime(venueLocalNow);
        if (now > day)
        {
            return true;
        }
        if (now < day)
        {
            return false;
        }
        Span<SessionPhase> phases = stackalloc SessionPhase[venue.Schedule.Phases.Count];
        var count = venue.Schedule.GetPhases(day, phases);
        if (count == 0)
        {
            return false;
        }
        var last = phases[count - 1];
        // A session running to midnight (the internal venue) ends with the day itself.
        return !last.EndsAtEndOfDay && TimeOnly.FromDateTime(venueLocalNow) >= last.End;
    }

    /// <summary>Stores one venue's day: the prices of its instruments and the FX rates, each only when the day has none yet.</summary>
    public async Task<Stored> StoreDayAsync(Venue row, VenueSpec venue, DateOnly day, DateTime utcNow, CancellationToken cancellationToken)
    {
        var ct = cancellationToken;
        var instruments = await db.Instruments.AsNoTracking().Where(i => i.VenueCode == row.Code && i.Status != InstrumentStatus.Delisted).OrderBy(i => i.Symbol).ToListAsync(ct);
        var symbols = instruments.Select(i => i.Symbol).ToList();
        // Tracked: a demo price of the day is replaced in place.
        var have = await db.ReferencePriceDays.Where(p => p.Date == day && symbols.Contains(p.Symbol)).ToDictionaryAsync(p => p.Symbol, StringComparer.Ordinal, ct);
        var missing = instruments.Where(i => !have.TryGetValue(i.Symbol, out var s) || ReferencePriceDay.Replaces(ReferencePriceDay.ClosingPriceSource, s.Source))
            .ToList();

        // The venue-local day in UTC, for its trades.
        var zone = TimeZoneInfo.FindSystemTimeZoneById(row.TimeZone);
        var from = TimeZoneInfo.ConvertTimeToUtc(day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified), zone);
        var to = TimeZoneInfo.ConvertTimeToUtc(day.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified), zone);
        var missingSymbols = missing.Select(i => i.Symbol).ToList();
        var lastIds = await db.Trades.AsNoTracking().Where(t => missingSymbols.Contains(t.Symbol) && t.ExecutedAt >= from && t.ExecutedAt < to)
            .GroupBy(t => t.Symbol).Select(g => g.Max(t => t.Id)).ToListAsync(ct);
        var lastPrices = await db.Trades.AsNoTracking().Where(t => lastIds.Contains(t.Id)).ToDictionaryAsync(t => t.Symbol, t => t.Price, ct);

        var at = AuditTrail.Truncate(utcNow);
        var prices = new List<object>();
        foreach (var i in missing)
        {
            var (price, source) = i.ClosingPrice is { } close && i.ClosingPriceOn == day
                ? (close, ReferencePriceDay.ClosingPriceSource)
                : lastPrices.TryGetValue(i.Symbol, out var last)
                    ? (last, ReferencePriceDay.LastTradeSource)
                    : (i.ReferencePrice, ReferencePriceDay.ReferenceSource);
            if (price <= 0)
            {
                continue;
            }
            if (have.TryGetValue(i.Symbol, out var demo))
            {
                prices.Add(new { symbol = i.Symbol, price, source, replaced = new { demo.Price, demo.Source } });
                (demo.Price, demo.Currency, demo.Source, demo.EnteredBy, demo.EnteredAt) = (price, i.Currency, source, "system", at);
                continue;
            }
            db.ReferencePriceDays.Add(new ReferencePriceDay
            {
                Date = day, Symbol = i.Symbol, Price = price, Currency = i.Currency, Source = source, EnteredBy = "system", EnteredAt = at,
            });
            prices.Add(new { symbol = i.Symbol, price, source });
        }

        var haveFx = (await db.DailyFxRates.AsNoTracking().Where(r => r.Date == day).Select(r => r.Currency).ToListAsync(ct))
            .ToHashSet(StringComparer.Ordinal);
        var rates = new List<object>();
        foreach (var r in await db.FxRates.AsNoTracking().OrderBy(r => r.Currency).ToListAsync(ct))
        {
            if (haveFx.Contains(r.Currency))
            {
                continue;
            }
            var source = $"platform: {r.Source} (as of {r.AsOf:yyyy-MM-dd})";
            db.DailyFxRates.Add(new DailyFxRate
            {
                Date = day, Currency = r.Currency, UsdPerUnit = r.UsdPerUnit, EurPerUnit = r.EurPerUnit,
                Source = source.Length <= 256 ? source : source[..256], EnteredBy = "system", EnteredAt = at,
            });
            rates.Add(new { currency = r.Currency, r.UsdPerUnit, r.EurPerUnit });
        }

        if (prices.Count + rates.Count == 0)
        {
            return new Stored(row.Code, day, 0, 0);
        }
        await audit.SaveWithAsync(db, [new AuditEntry(at, "system", "reference_prices.closed", $"reference-prices/{day:yyyy-MM-dd}",
            AuditTrail.Serialize(new { venue = row.Code, date = day, prices, fxRates = rates }))], ct);
        db.ChangeTracker.Clear();
        log.LogInformation("Reference prices of {Venue} for {Day:yyyy-MM-dd}: {Prices} price(s), {Rates} FX rate(s) stored", row.Code, day,
            prices.Count, rates.Count);
        return new Stored(row.Code, day, prices.Count, rates.Count);
    }
}
