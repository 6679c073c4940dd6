using System.Globalization;
using TradSys.Web.Http;
using TradSys.Web.ReferenceData;

namespace TradSys.Web.Apis;

/// <summary>One instrument's reference price of the day, as sent.</summary>
/// <param name="Symbol">A listed instrument's symbol.</param>
/// <param name="Price">The price in the instrument's currency: above 0, at most the venue's price decimals.</param>
public sealed record ReferencePriceEntry(string? Symbol, decimal? Price);

/// <summary>One currency's FX rates of the day, as sent.</summary>
/// <param name="Currency">A currency of the platform's FX table (ISO 4217).</param>
/// <param name="UsdPerUnit">US dollars per unit, above 0 (1 for USD).</param>
/// <param name="EurPerUnit">Euros per unit, above 0 (1 for EUR).</param>
public sealed record FxRateEntry(string? Currency, decimal? UsdPerUnit, decimal? EurPerUnit);

/// <summary>A day's reference prices and FX rates to store (<c>PUT /api/v1/reference-prices/{date}</c>).</summary>
/// <param name="Reason">Why they are imported (required, at most 512 characters; audited).</param>
/// <param name="Prices">Instruments' prices; each symbol once.</param>
/// <param name="FxRates">Currencies' rates; each currency once.</param>
public sealed record ReferencePricesRequest(string? Reason, List<ReferencePriceEntry?>? Prices, List<FxRateEntry?>? FxRates);

/// <summary>
/// Checks a day's reference prices and FX rates field by field (every problem at once, keyed <c>prices[2].price</c>,
/// <c>fxRates[0].currency</c>). Pure: what it needs of the platform comes in as <see cref="Facts"/>.
/// </summary>
public static class ReferencePriceForm
{
    /// <summary>The most prices one request stores.</summary>
    public const int MaxPrices = 10_000;

    /// <summary>The most FX rates one request stores.</summary>
    public const int MaxRates = 200;

    /// <summary>The platform's facts: the listings by symbol, whether a currency has a platform FX rate (and which do), the latest venue-local today.</summary>
    public sealed record Facts(Func<string, DailyCloseCheck.Listing?> Listing, Func<string, bool> HasFxRate, string KnownCurrencies, DateOnly LatestToday);

    /// <summary>A checked price.</summary>
    public sealed record Price(string Symbol, decimal Value, string Currency);

    /// <summary>A checked FX rate.</summary>
    public sealed record Rate(string Currency, decimal UsdPerUnit, decimal EurPerUnit);

    /// <summary>Parses the route's date (yyyy-MM-dd).</summary>
    public static DateOnly? Date(Dictionary<string, List<string>> errors, string date, DateOnly latestToday)
    {
        if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            FieldProblems.Add(errors, "date", $"'{date}' is not a date as yyyy-MM-dd");
            return null;
        }
        if (day > latestToday)
        {
            FieldProblems.Add(errors, "date", Invariant($"{day:yyyy-MM-dd} is in the future (today is {latestToday:yyyy-MM-dd} on the venues' clocks): reference prices are stored for a day that has traded"));
            return null;
        }
        return day;
    }

    /// <summary>Checks the body for <paramref name="day"/> (null when the date itself is wrong: the per-day checks are then skipped).</summary>
    public static (List<Price> Prices, List<Rate> Rates) Check(Dictionary<string, List<string>> errors, ReferencePricesRequest r, DateOnly? day, Facts facts)
    {
        FieldProblems.Text(errors, "reason", r.Reason, 512, required: true, what: "say where the figures come from and why they are imported");
        var prices = new List<Price>();
        var rates = new List<Rate>();
        var sentPrices = r.Prices ?? [];
        var sentRates = r.FxRates ?? [];
        if (sentPrices.Count == 0 && sentRates.Count == 0)
        {
            FieldProblems.Add(errors, "prices", "give at least one price (prices) or FX rate (fxRates) for the day");
        }
        if (sentPrices.Count > MaxPrices)
        {
            FieldProblems.Add(errors, "prices", Invariant($"has {sentPrices.Count} entries; one request takes at most {MaxPrices}"));
            return (prices, rates);
        }
        if (sentRates.Count > MaxRates)
        {
            FieldProblems.Add(errors, "fxRates", Invariant($"has {sentRates.Count} entries; one request takes at most {MaxRates}"));
            return (prices, rates);
        }

        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var n = 0; n < sentPrices.Count; n++)
        {
            var at = Invariant($"prices[{n}]");
            if (sentPrices[n] is not { } e)
            {
                FieldProblems.Add(errors, at, "is null: give {symbol, price}");
                continue;
            }
            var symbol = FieldProblems.Clean(e.Symbol);
            DailyCloseCheck.Listing? listing = null;
            if (symbol is null)
            {
                FieldProblems.Add(errors, at + ".symbol", "is required: a listed instrument's symbol");
            }
            else if (seen.TryGetValue(symbol, out var first))
            {
                FieldProblems.Add(errors, at + ".symbol", Invariant($"'{symbol}' is given twice (also prices[{first}]): one price per instrument and day"));
                symbol = null;
            }
            else
            {
                seen[symbol] = n;
                listing = facts.Listing(symbol);
                if (listing is null)
                {
                    FieldProblems.Add(errors, at + ".symbol", $"there is no instrument '{symbol}' (GET /api/v1/instruments lists them)");
                }
                else if (day is { } d && DailyCloseCheck.DayProblem(listing, d) is { } dayProblem)
                {
                    FieldProblems.Add(errors, at + ".symbol", dayProblem);
                }
            }
            if (e.Price is not { } price)
            {
                FieldProblems.Add(errors, at + ".price", "is required: the price in the instrument's currency");
            }
            else if (DailyCloseCheck.PriceProblem(listing, price) is { } priceProblem)
            {
                FieldProblems.Add(errors, at + ".price", priceProblem);
            }
            else if (symbol is not null && listing is not null)
            {
                prices.Add(new Price(symbol, price, listing.Currency));
            }
        }

        var seenCurrency = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var n = 0; n < sentRates.Count; n++)
        {
            var at = Invariant($"fxRates[{n}]");
            if (sentRates[n] is not { } e)
            {
                FieldProblems.Add(errors, at, "is null: give {currency, usdPerUnit, eurPerUnit}");
                continue;
            }
            var currency = FieldProblems.Clean(e.Currency);
            var ok = true;
            if (currency is null)
            {
                FieldProblems.Add(errors, at + ".currency", $"is required: one of the platform's currencies ({facts.KnownCurrencies})");
                ok = false;
            }
            else if (seenCurrency.TryGetValue(currency, out var first))
            {
                FieldProblems.Add(errors, at + ".currency", Invariant($"'{currency}' is given twice (also fxRates[{first}]): one rate per currency and day"));
                ok = false;
            }
            else
            {
                seenCurrency[currency] = n;
                if (!FieldProblems.IsCurrencyCode(currency) || !facts.HasFxRate(currency))
                {
                    FieldProblems.Add(errors, at + ".currency", $"'{currency}' is not one of the platform's currencies ({facts.KnownCurrencies}): upper-case ISO 4217");
                    ok = false;
                }
            }
            ok &= CheckRate(errors, at + ".usdPerUnit", e.UsdPerUnit, currency == "USD" ? "USD" : null);
            ok &= CheckRate(errors, at + ".eurPerUnit", e.EurPerUnit, currency == "EUR" ? "EUR" : null);
            if (ok)
            {
                rates.Add(new Rate(currency!, e.UsdPerUnit!.Value, e.EurPerUnit!.Value));
            }
        }
        return (prices, rates);
    }

    private static bool CheckRate(Dictionary<string, List<string>> errors, string field, decimal? value, string? unitCurrency)
    {
        if (value is not { } v)
        {
            FieldProblems.Add(errors, field, "is required: a rate above 0");
            return false;
        }
        if (v <= 0)
        {
            FieldProblems.Add(errors, field, Invariant($"{v} is not above 0"));
            return false;
        }
        if (v.Scale > 12 && decimal.Round(v, 12) != v)
        {
            FieldProblems.Add(errors, field, Invariant($"{v} has more than 12 decimals"));
            return false;
        }
        if (unitCurrency is not null && v != 1m)
        {
            FieldProblems.Add(errors, field, Invariant($"is {v}, but one {unitCurrency} is 1 {unitCurrency}"));
            return false;
        }
        return true;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
