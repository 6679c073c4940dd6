using System.Globalization;

namespace TradSys.Reporting.Data;

/// <summary>Where a report's price or FX rate comes from, relative to its business date.</summary>
public enum FiguresBasis
{
    /// <summary>Stored for the report's own day (at the venue's close, or imported).</summary>
    Day = 1,
    /// <summary>Nothing stored for the day: the nearest earlier day that has a stored figure.</summary>
    NearestEarlier = 2,
    /// <summary>Nothing stored on or before the day (or the day is today and not closed yet): the platform's figure now.</summary>
    Today = 3,
}

/// <summary>A stored reference price: the instrument, its day, the price in its currency and where it came from.</summary>
/// <param name="Symbol">The instrument.</param>
/// <param name="Date">The day it is stored for.</param>
/// <param name="Price">The price.</param>
/// <param name="Source">close, last-trade, reference, import or demo (<see cref="ReferenceFigures.DemoSource"/>).</param>
public sealed record StoredPrice(string Symbol, DateOnly Date, decimal Price, string Source);

/// <summary>The FX rates stored for one day (each currency against USD, and where it came from).</summary>
/// <param name="Date">The day.</param>
/// <param name="Rates">The day's rates; <see cref="FxRateInfo.AsOf"/> is the day.</param>
public sealed record StoredFxDay(DateOnly Date, IReadOnlyList<FxRateInfo> Rates);

/// <summary>The FX rates a report converts with, and the sentence that says which they are.</summary>
/// <param name="Basis">Whose rates, relative to the business date (the worst of the currencies').</param>
/// <param name="Rates">One rate per currency; each one's <see cref="FxRateInfo.Source"/> says where it came from.</param>
/// <param name="Label">What the report prints about them.</param>
/// <param name="StoredDate">The stored day whose rates are used (null when only today's are); a currency it lacks is at today's rate.</param>
public sealed record FxChoice(FiguresBasis Basis, IReadOnlyList<FxRateInfo> Rates, string Label, DateOnly? StoredDate);

/// <summary>A price a report values a position at when the instrument did not trade on the day, and its label.</summary>
/// <param name="Price">The price.</param>
/// <param name="Basis">Whose price, relative to the business date.</param>
/// <param name="Label">How the report names it: "Reference 2026-12-03", "Reference 2026-12-01 (nearest earlier)", "Reference (today's)";
/// a demo figure is named so: "Reference 2026-12-03 (demo, illustrative)".</param>
/// <param name="Illustrative">The price is the demo data's illustrative history, not market data.</param>
public sealed record PriceChoice(decimal Price, FiguresBasis Basis, string Label, bool Illustrative = false);

/// <summary>
/// Chooses the reference figures of a report's business date (pure: the stored figures and today's come in): that day's stored figures;
/// for a day without them, the nearest earlier stored day's; with none on or before it, today's figures, each labelled so the reader can
/// tell a figure of the day from a stand-in. For the current day not yet stored (its venues have not closed) today's figures are the day's
/// own and are used before an earlier day's.
/// </summary>
public static class ReferenceFigures
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>The source of a stored price from the demo data's illustrative history (a seeded random walk, not market data).</summary>
    public const string DemoSource = "demo";

    /// <summary>The FX rates for <paramref name="businessDate"/>.</summary>
    /// <param name="businessDate">The report's day.</param>
    /// <param name="today">Today, on the report's clock.</param>
    /// <param name="stored">The stored day on or before <paramref name="businessDate"/> nearest to it, if any.</param>
    /// <param name="current">The platform's rates now.</param>
    public static FxChoice Fx(DateOnly businessDate, DateOnly today, StoredFxDay? stored, IReadOnlyList<FxRateInfo> current)
    {
        if (stored is not null && stored.Date > businessDate)
        {
            throw new ArgumentException($"the stored day {stored.Date:yyyy-MM-dd} is after the business date {businessDate:yyyy-MM-dd}", nameof(stored));
        }
        var day = D(businessDate);
        if (stored is null || (stored.Date < businessDate && businessDate >= today))
        {
            var why = businessDate >= today ? $"no FX rates are stored for {day} yet (its close has not been stored)" : $"no FX rates are stored on or before {day}";
            return new FxChoice(FiguresBasis.Today,
                [.. current.OrderBy(r => r.Currency, StringComparer.Ordinal).Select(r => r with { Source = $"today's platform rate ({r.Source})" })],
                $"FX: {why}; converted at today's platform rates, not the day's.", null);
        }
        var basis = stored.Date == businessDate ? FiguresBasis.Day : FiguresBasis.NearestEarlier;
        var rates = new List<FxRateInfo>();
        var fromToday = new List<string>();
        foreach (var r in stored.Rates)
        {
            rates.Add(r with
            {
                AsOf = stored.Date,
                Source = basis == FiguresBasis.Day ? $"stored for {day} ({r.Source})" : $"nearest earlier stored day {D(stored.Date)} ({r.Source})",
            });
        }
        foreach (var r in current.Where(c => !stored.Rates.Any(s => string.Equals(s.Currency, c.Currency, StringComparison.OrdinalIgnoreCase))))
        {
            rates.Add(r with { Source = $"today's platform rate ({r.Source}): none stored for {D(stored.Date)}" });
            fromToday.Add(r.Currency);
        }
        var label = basis == FiguresBasis.Day
            ? $"FX: the rates stored for {day}."
            : $"FX: no rates are stored for {day}; converted at those of the nearest earlier stored day, {D(stored.Date)}.";
        if (fromToday.Count > 0)
        {
            label += $" {string.Join(", ", fromToday.Order(StringComparer.Ordinal))}: no rate stored that day, today's platform rate used.";
        }
        return new FxChoice(fromToday.Count > 0 ? FiguresBasis.Today : basis, [.. rates.OrderBy(r => r.Currency, StringComparer.Ordinal)], label, stored.Date);
    }

    /// <summary>An instrument's reference price for <paramref name="businessDate"/> (for an instrument without a trade that day).</summary>
    /// <param name="businessDate">The report's day.</param>
    /// <param name="today">Today, on the report's clock.</param>
    /// <param name="stored">The instrument's stored price on or before <paramref name="businessDate"/> nearest to it, if any.</param>
    /// <param name="current">The instrument's reference price now.</param>
    public static PriceChoice Price(DateOnly businessDate, DateOnly today, StoredPrice? stored, decimal current)
    {
        if (stored is not null && stored.Date > businessDate)
        {
            throw new ArgumentException($"the stored day {stored.Date:yyyy-MM-dd} is after the business date {businessDate:yyyy-MM-dd}", nameof(stored));
        }
        var demo = stored?.Source == DemoSource;
        var illustrative = demo ? " (demo, illustrative)" : "";
        if (stored is not null && stored.Date == businessDate)
        {
            return new PriceChoice(stored.Price, FiguresBasis.Day, $"Reference {D(stored.Date)}{illustrative}", demo);
        }
        if (stored is null || businessDate >= today)
        {
            return new PriceChoice(current, FiguresBasis.Today, "Reference (today's)");
        }
        return new PriceChoice(stored.Price, FiguresBasis.NearestEarlier, $"Reference {D(stored.Date)} (nearest earlier){illustrative}", demo);
    }

    /// <summary>The sentence a report prints about the reference prices it used (one choice per instrument): how many instruments at which basis.</summary>
    public static string PriceLabel(DateOnly businessDate, IEnumerable<PriceChoice> used)
    {
        var list = used.ToList();
        var day = list.Count(p => p.Basis == FiguresBasis.Day);
        var earlier = list.Count(p => p.Basis == FiguresBasis.NearestEarlier);
        var today = list.Count(p => p.Basis == FiguresBasis.Today);
        if (list.Count == 0)
        {
            return "Prices: every position is marked at its instrument's last trade of the day.";
        }
        var parts = new List<string>();
        if (day > 0)
        {
            parts.Add(string.Create(C, $"{day} instrument(s) at the reference price stored for {D(businessDate)}"));
        }
        if (earlier > 0)
        {
            parts.Add(string.Create(C, $"{earlier} instrument(s) at the nearest earlier stored day's (none stored for the day)"));
        }
        if (today > 0)
        {
            parts.Add(string.Create(C, $"{today} instrument(s) at today's reference price (none stored on or before the day), not the day's"));
        }
        var demo = list.Count(p => p.Illustrative);
        var illustrative = demo > 0
            ? string.Create(C, $" {demo} of these stored prices are the demo data's illustrative history, not market data.")
            : "";
        return "Prices: instruments held without a trade that day are marked: " + string.Join("; ", parts) + "." + illustrative;
    }

    private static string D(DateOnly date) => date.ToString("yyyy-MM-dd", C);
}
