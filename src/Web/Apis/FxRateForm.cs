using System.Globalization;
using TradSys.Web.Http;
using TradSys.Web.Persistence.Entities;

namespace TradSys.Web.Apis;

/// <summary>
/// Checks a change of one currency's reference FX rate (<see cref="FxRateRequest"/>) and works out every rate it changes. Every field's
/// problem is added at once, keyed by the field ('currency', 'usdPerUnit', 'asOf', 'source', 'reason'). Pure: the rates in force come in.
/// <para>The platform keeps each currency's rate against the US dollar (the pair CCY/USD) and its rate in euros; <see cref="ReferenceData.FxRates"/>
/// converts to euros with the latter and to anything else through dollars. So that both ways give the same figure, a currency's euro rate is
/// derived here, never given: eurPerUnit = usdPerUnit / EUR's usdPerUnit. USD is the pivot (1 USD per USD) and cannot be set; its euro rate is
/// the inverse of EUR/USD. Changing EUR/USD therefore derives every currency's euro rate again.</para>
/// </summary>
public static class FxRateForm
{
    /// <summary>The most decimals a rate keeps (the column's scale).</summary>
    public const int Decimals = 12;

    /// <summary>The largest rate taken: no currency is worth a million dollars a unit; a larger figure is a typing error.</summary>
    public const decimal MaxUsdPerUnit = 1_000_000m;

    /// <summary>One currency's rates before and after.</summary>
    public sealed record Rate(string Currency, decimal UsdBefore, decimal EurBefore, decimal UsdAfter, decimal EurAfter)
    {
        public bool Changed => UsdBefore != UsdAfter || EurBefore != EurAfter;
    }

    /// <summary>A checked change: the currency asked for, its as-of date, source and reason, and every currency's rates after it.</summary>
    public sealed record Change(string Currency, DateOnly AsOf, string Source, string Reason, IReadOnlyList<Rate> Rates);

    /// <summary>Checks <paramref name="r"/> for <paramref name="currencyText"/> against the rates in force; null when a problem was added.</summary>
    public static Change? Check(Dictionary<string, List<string>> errors, string currencyText, FxRateRequest r, IReadOnlyList<FxRate> inForce,
        DateOnly today, string actor)
    {
        var known = string.Join(", ", inForce.Select(x => x.Currency).Order(StringComparer.Ordinal));
        var byCurrency = inForce.ToDictionary(x => x.Currency, StringComparer.Ordinal);
        var currency = FieldProblems.Clean(currencyText);
        if (currency is null || currency.Length != 3 || !currency.All(char.IsAsciiLetterUpper))
        {
            FieldProblems.Add(errors, "currency", $"'{currencyText}' is not an upper-case ISO 4217 code (three letters, e.g. EGP)");
            currency = null;
        }
        else if (currency == "USD")
        {
            FieldProblems.Add(errors, "currency", "USD/USD is the same currency on both sides: USD is the pivot every rate is kept against (1 USD per USD); " +
                "to change the dollar against the euro, set EUR (the pair EUR/USD)");
            currency = null;
        }
        else if (!byCurrency.ContainsKey(currency))
        {
            FieldProblems.Add(errors, "currency", $"'{currency}' has no rate on the platform (known: {known}); a new currency is added with 'reference load'");
            currency = null;
        }
        else if (!byCurrency.ContainsKey("EUR") || !byCurrency.ContainsKey("USD"))
        {
            FieldProblems.Add(errors, "currency", "the platform's FX table lacks EUR or USD, which every rate is derived with; load them with 'reference load'");
            currency = null;
        }

        decimal? usd = null;
        if (r.UsdPerUnit is not { } v)
        {
            FieldProblems.Add(errors, "usdPerUnit", "is required: US dollars per one unit of the currency, above 0");
        }
        else if (v <= 0)
        {
            FieldProblems.Add(errors, "usdPerUnit", Invariant($"{v} is not above 0"));
        }
        else if (decimal.Round(v, Decimals) != v)
        {
            FieldProblems.Add(errors, "usdPerUnit", Invariant($"{v} has more than {Decimals} decimals"));
        }
        else if (v > MaxUsdPerUnit)
        {
            FieldProblems.Add(errors, "usdPerUnit", Invariant($"{v} is above {MaxUsdPerUnit:0,0} US dollars per unit: not a plausible rate"));
        }
        else
        {
            usd = v;
        }

        var asOf = today;
        if (FieldProblems.Clean(r.AsOf) is { } asOfText)
        {
            if (!DateOnly.TryParseExact(asOfText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out asOf))
            {
                FieldProblems.Add(errors, "asOf", $"'{asOfText}' is not a date as yyyy-MM-dd");
            }
            else if (asOf > today)
            {
                FieldProblems.Add(errors, "asOf", Invariant($"{asOf:yyyy-MM-dd} is after today ({today:yyyy-MM-dd}): a rate in force is not a forecast"));
            }
        }
        FieldProblems.Text(errors, "source", r.Source, 256);
        FieldProblems.Text(errors, "reason", r.Reason, 512, required: true, what: "say why the rate changes");

        if (currency is null || usd is null)
        {
            return null;
        }
        var eurUsd = currency == "EUR" ? usd.Value : byCurrency["EUR"].UsdPerUnit;
        var rates = new List<Rate>();
        foreach (var row in inForce.OrderBy(x => x.Currency, StringComparer.Ordinal))
        {
            // Only the currency asked for changes its dollar rate; a change of EUR/USD derives every euro rate again, any other change only its own.
            var usdAfter = row.Currency == currency ? usd.Value : row.UsdPerUnit;
            var eurAfter = row.Currency switch
            {
                "EUR" => 1m,
                _ when row.Currency == currency || currency == "EUR" => decimal.Round(usdAfter / eurUsd, Decimals),
                _ => row.EurPerUnit,
            };
            if (eurAfter <= 0)
            {
                FieldProblems.Add(errors, "usdPerUnit", Invariant($"{usd.Value} makes {row.Currency}'s rate in euros round to 0 at {Decimals} decimals"));
                return null;
            }
            rates.Add(new Rate(row.Currency, row.UsdPerUnit, row.EurPerUnit, usdAfter, eurAfter));
        }
        if (errors.Count > 0)
        {
            return null;
        }
        return new Change(currency, asOf, FieldProblems.Clean(r.Source) ?? "api: " + actor, r.Reason!.Trim(), rates);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
