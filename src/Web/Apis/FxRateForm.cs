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

    /// <summary>What a currency asked for must be: one with a rate (PUT), one without (POST, a new currency), or either (the CSV import).</summary>
    public enum Mode
    {
        Change,
        Add,
        ChangeOrAdd,
    }

    /// <summary>One currency's rates before (null for a currency the change adds) and after.</summary>
    public sealed record Rate(string Currency, decimal? UsdBefore, decimal? EurBefore, decimal UsdAfter, decimal EurAfter)
    {
        public bool Added => UsdBefore is null;

        public bool Changed => UsdBefore != UsdAfter || EurBefore != EurAfter;
    }

    /// <summary>A checked rate asked for: the currency, its US dollars per unit, as-of date, source and reason, and whether it is new.</summary>
    public sealed record Entry(string Currency, decimal UsdPerUnit, DateOnly AsOf, string Source, string Reason, bool IsNew);

    /// <summary>A checked change: the currency asked for, its as-of date, source and reason, and every currency's rates after it.</summary>
    public sealed record Change(string Currency, DateOnly AsOf, string Source, string Reason, IReadOnlyList<Rate> Rates);

    /// <summary>Checks <paramref name="r"/> for <paramref name="currencyText"/> against the rates in force; null when a problem was added.</summary>
    public static Change? Check(Dictionary<string, List<string>> errors, string currencyText, FxRateRequest r, IReadOnlyList<FxRate> inForce,
        DateOnly today, string actor, Mode mode = Mode.Change)
    {
        var entry = CheckEntry(errors, currencyText, r, inForce, today, "api: " + actor, mode);
        if (entry is null)
        {
            return null;
        }
        var (rates, problems) = Apply(inForce, [entry]);
        foreach (var (_, message) in problems)
        {
            FieldProblems.Add(errors, "usdPerUnit", message);
        }
        return errors.Count > 0 ? null : new Change(entry.Currency, entry.AsOf, entry.Source, entry.Reason, rates);
    }

    /// <summary>
    /// Checks one currency's rate as asked (<paramref name="mode"/>: whether it must have a rate already, must not, or may either), every
    /// field's problem keyed 'currency', 'usdPerUnit', 'asOf', 'source', 'reason'; null when a problem was added. A new currency is taken
    /// on its format: the platform keeps no list of ISO 4217 codes, so the code is the caller's to check (the dry run shows it as added).
    /// </summary>
    public static Entry? CheckEntry(Dictionary<string, List<string>> errors, string? currencyText, FxRateRequest r, IReadOnlyList<FxRate> inForce,
        DateOnly today, string defaultSource, Mode mode)
    {
        var known = string.Join(", ", inForce.Select(x => x.Currency).Order(StringComparer.Ordinal));
        var byCurrency = inForce.ToDictionary(x => x.Currency, StringComparer.Ordinal);
        var currency = FieldProblems.Clean(currencyText);
        var isNew = false;
        if (!FieldProblems.IsCurrencyCode(currency))
        {
            FieldProblems.Add(errors, "currency", currency is null
                ? "is required: an upper-case ISO 4217 code (three letters, e.g. EGP)"
                : $"'{currencyText}' is not an upper-case ISO 4217 code (three letters, e.g. EGP)");
            currency = null;
        }
        else if (currency == "USD")
        {
            FieldProblems.Add(errors, "currency", "USD/USD is the same currency on both sides: USD is the pivot every rate is kept against (1 USD per USD); " +
                "to change the dollar against the euro, set EUR (the pair EUR/USD)");
            currency = null;
        }
        else if (!byCurrency.ContainsKey("EUR") || !byCurrency.ContainsKey("USD"))
        {
            FieldProblems.Add(errors, "currency", "the platform's FX table lacks EUR or USD, which every rate is derived with; load them with 'reference load'");
            currency = null;
        }
        else if (mode == Mode.Change && !byCurrency.ContainsKey(currency))
        {
            FieldProblems.Add(errors, "currency", $"'{currency}' has no rate on the platform (known: {known}); a new currency is added with " +
                "POST /api/v1/fx-rates (its first rate) or a line of POST /api/v1/fx-rates/import");
            currency = null;
        }
        else if (mode == Mode.Add && byCurrency.ContainsKey(currency))
        {
            FieldProblems.Add(errors, "currency", $"'{currency}' has a rate on the platform already: change it with PUT /api/v1/fx-rates/{currency}");
            currency = null;
        }
        else
        {
            isNew = !byCurrency.ContainsKey(currency);
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
        if (currency is null || usd is null || errors.Count > 0)
        {
            return null;
        }
        return new Entry(currency, usd.Value, asOf, FieldProblems.Clean(r.Source) ?? defaultSource, r.Reason!.Trim(), isNew);
    }

    /// <summary>
    /// Every currency's rates after <paramref name="entries"/> (each a different currency, none USD): the currencies in force in code order,
    /// then those the entries add. Only a currency asked for changes its dollar rate; its euro rate is derived from EUR/USD after the change
    /// (the entries' EUR if there is one); an entry for EUR derives every euro rate again. Problems: a euro rate rounding to 0, by currency.
    /// </summary>
    public static (List<Rate> Rates, List<(string Currency, string Message)> Problems) Apply(IReadOnlyList<FxRate> inForce, IReadOnlyList<Entry> entries)
    {
        var asked = entries.ToDictionary(e => e.Currency, StringComparer.Ordinal);
        var eurUsd = asked.TryGetValue("EUR", out var eurEntry) ? eurEntry.UsdPerUnit : inForce.Single(x => x.Currency == "EUR").UsdPerUnit;
        var rederiveAll = eurEntry is not null;
        var rates = new List<Rate>();
        var problems = new List<(string, string)>();
        var rows = inForce.OrderBy(x => x.Currency, StringComparer.Ordinal).Select(x => (x.Currency, Usd: (decimal?)x.UsdPerUnit, Eur: (decimal?)x.EurPerUnit))
            .Concat(entries.Where(e => e.IsNew).OrderBy(e => e.Currency, StringComparer.Ordinal).Select(e => (e.Currency, Usd: (decimal?)null, Eur: (decimal?)null)));
        foreach (var (currency, usdBefore, eurBefore) in rows)
        {
            var entry = asked.GetValueOrDefault(currency);
            var usdAfter = entry?.UsdPerUnit ?? usdBefore!.Value;
            var eurAfter = currency switch
            {
                "EUR" => 1m,
                _ when entry is not null || rederiveAll => decimal.Round(usdAfter / eurUsd, Decimals),
                _ => eurBefore!.Value,
            };
            if (eurAfter <= 0)
            {
                problems.Add((entry?.Currency ?? "EUR", Invariant($"{entry?.UsdPerUnit ?? eurUsd} makes {currency}'s rate in euros round to 0 at {Decimals} decimals")));
                continue;
            }
            rates.Add(new Rate(currency, usdBefore, eurBefore, usdAfter, eurAfter));
        }
        return (rates, problems);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
