using System.Collections.Frozen;
using TradSys.Web.Persistence.Entities;

namespace TradSys.Web.ReferenceData;

/// <summary>
/// The reference FX table (<see cref="FxRate"/> rows): converts amounts between currencies through USD. A currency
/// without a rate cannot be converted: <see cref="Convert"/> throws rather than guess, so an order in it is refused
/// by the rules stage (fail closed) instead of passing a credit check with a made-up figure.
/// </summary>
public sealed class FxRates
{
    private readonly FrozenDictionary<string, FxRate> _rates;

    /// <summary>The table over <paramref name="rates"/>.</summary>
    public FxRates(IEnumerable<FxRate> rates)
    {
        _rates = rates.ToFrozenDictionary(r => r.Currency, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>An empty table (before the database is loaded).</summary>
    public static FxRates Empty { get; } = new([]);

    /// <summary>The rows, for the API.</summary>
    public IEnumerable<FxRate> Rates => _rates.Values;

    /// <summary>True when <paramref name="currency"/> has a rate.</summary>
    public bool Has(string currency) => _rates.ContainsKey(currency);

    /// <summary>The currencies with a rate, sorted and comma-separated: what an error about an unknown currency lists.</summary>
    public string Known => string.Join(", ", _rates.Keys.Order(StringComparer.Ordinal));

    /// <summary>Converts <paramref name="amount"/> from one currency to another (directly to EUR or USD, otherwise through USD).</summary>
    /// <exception cref="InvalidOperationException">A currency has no rate.</exception>
    public decimal Convert(decimal amount, string from, string to)
    {
        if (string.Equals(from, to, StringComparison.OrdinalIgnoreCase) || amount == 0)
        {
            return amount;
        }
        if (string.Equals(to, "EUR", StringComparison.OrdinalIgnoreCase))
        {
            return amount * Rate(from).EurPerUnit;
        }
        var usd = amount * Rate(from).UsdPerUnit;
        return string.Equals(to, "USD", StringComparison.OrdinalIgnoreCase) ? usd : usd / Rate(to).UsdPerUnit;
    }

    private FxRate Rate(string currency) => _rates.TryGetValue(currency, out var rate)
        ? rate
        : throw new InvalidOperationException($"no reference FX rate for {currency}: load one into fx_rates");
}
