using Microsoft.EntityFrameworkCore;
using TradSys.Reporting.Data;
using TradSys.Web.Persistence.Entities;
using TradSys.Web.ReferenceData;

namespace TradSys.Web.Reports;

// The stored reference figures of a report's day (reference_prices, the one store of daily closes, and daily_fx_rates: written at each
// venue's close, imported through PUT /api/v1/reference-prices/{date} or, closes only, POST /api/v1/risk/price-history, and the demo
// data's illustrative closes), read here and chosen by the pure ReferenceFigures: the day's, else the nearest earlier stored day's, else
// today's, each labelled (a demo close as illustrative).
public sealed partial class EfReportDataSource
{
    /// <summary>Today on the platform's clock (UTC), the day a report's "today's figures" belong to.</summary>
    private DateOnly Today => DateOnly.FromDateTime(clock.UtcNow);

    /// <summary>
    /// The FX rates for <paramref name="businessDate"/> (the nearest stored day on or before it, else today's, with the label), and the
    /// converter over them: the stored rows (with EUR per unit, which <see cref="FxRates"/> converts through) and, for a currency the
    /// stored day lacks or when today's figures were chosen, the platform's table now.
    /// </summary>
    private async Task<(FxChoice Choice, FxRates Converter)> FxChoiceAsync(DateOnly businessDate, CancellationToken ct)
    {
        var date = await db.DailyFxRates.AsNoTracking().Where(r => r.Date <= businessDate).MaxAsync(r => (DateOnly?)r.Date, ct);
        var storedRows = date is { } d ? await db.DailyFxRates.AsNoTracking().Where(r => r.Date == d).ToListAsync(ct) : [];
        var stored = date is { } day
            ? new StoredFxDay(day, [.. storedRows.OrderBy(r => r.Currency, StringComparer.Ordinal).Select(r => new FxRateInfo(r.Currency, r.UsdPerUnit, day, r.Source))])
            : null;
        var currentRows = await db.FxRates.AsNoTracking().ToListAsync(ct);
        var current = currentRows.OrderBy(r => r.Currency, StringComparer.Ordinal).Select(r => new FxRateInfo(r.Currency, r.UsdPerUnit, r.AsOf, r.Source)).ToList();
        var choice = ReferenceFigures.Fx(businessDate, Today, stored, current);
        if (choice.StoredDate is null)
        {
            return (choice, new FxRates(currentRows));
        }
        var rows = storedRows.Select(r => new FxRate { Currency = r.Currency, UsdPerUnit = r.UsdPerUnit, EurPerUnit = r.EurPerUnit, AsOf = r.Date, Source = r.Source })
            .ToList();
        var have = rows.Select(r => r.Currency).ToHashSet(StringComparer.OrdinalIgnoreCase);
        rows.AddRange(currentRows.Where(r => !have.Contains(r.Currency)));
        return (choice, new FxRates(rows));
    }

    /// <summary>Each symbol's stored reference price on or before <paramref name="businessDate"/> nearest to it.</summary>
    private async Task<Dictionary<string, StoredPrice>> StoredPricesAsync(IReadOnlyCollection<string> symbols, DateOnly businessDate, CancellationToken ct)
    {
        var result = new Dictionary<string, StoredPrice>(StringComparer.Ordinal);
        if (symbols.Count == 0)
        {
            return result;
        }
        var latest = await db.ReferencePriceDays.AsNoTracking().Where(p => symbols.Contains(p.Symbol) && p.Date <= businessDate)
            .GroupBy(p => p.Symbol).Select(g => new { Symbol = g.Key, Date = g.Max(p => p.Date) }).ToListAsync(ct);
        foreach (var day in latest.GroupBy(l => l.Date))
        {
            var these = day.Select(l => l.Symbol).ToList();
            foreach (var p in await db.ReferencePriceDays.AsNoTracking().Where(p => p.Date == day.Key && these.Contains(p.Symbol)).ToListAsync(ct))
            {
                result[p.Symbol] = new StoredPrice(p.Symbol, p.Date, p.Price, p.Source);
            }
        }
        return result;
    }
}
