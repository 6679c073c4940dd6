using TradSys.Web.ReferenceData;

namespace TradSys.Web.Ordering.Risk;

/// <summary>
/// What an account's open orders hold (the reservations of its buys, the notional of all its working and held orders), kept per
/// order and per currency in each order's own currency and converted into the account's base currency only when read, at the FX
/// rates in force then. So a rate changed through <c>PUT /api/v1/fx-rates/{currency}</c> revalues every open order at once (the
/// very next order's check sees it), where an amount converted when the order was placed would stay at the old rate until the
/// order changed. Owned by the single writer; not thread-safe.
/// </summary>
internal sealed class OpenAmounts
{
    private readonly Dictionary<long, Held> _orders = [];
    private readonly Dictionary<long, Dictionary<string, decimal>> _accounts = [];
    private readonly Dictionary<long, int> _counts = [];

    /// <summary>One order's amount, in its instrument's currency.</summary>
    private readonly record struct Held(long AccountId, string Currency, decimal Amount);

    /// <summary>Sets what <paramref name="orderId"/> holds (replacing what it held before), in <paramref name="currency"/>.</summary>
    public void Set(long orderId, long accountId, string currency, decimal amount)
    {
        Release(orderId);
        _orders[orderId] = new Held(accountId, currency, amount);
        var totals = Totals(accountId);
        totals[currency] = totals.GetValueOrDefault(currency) + amount;
        _counts[accountId] = _counts.GetValueOrDefault(accountId) + 1;
    }

    /// <summary>The order holds nothing any more (filled, canceled, rejected, or no longer a buy); nothing happens when it held nothing.</summary>
    public void Release(long orderId)
    {
        if (!_orders.Remove(orderId, out var held))
        {
            return;
        }
        var totals = _accounts[held.AccountId];
        var left = totals[held.Currency] - held.Amount;
        if (left == 0)
        {
            totals.Remove(held.Currency);
        }
        else
        {
            totals[held.Currency] = left;
        }
        _counts[held.AccountId]--;
    }

    /// <summary>How many orders of the account hold something.</summary>
    public int Count(long accountId) => _counts.GetValueOrDefault(accountId);

    /// <summary>
    /// What the account's orders hold, in <paramref name="baseCurrency"/> at the rates of <paramref name="fx"/>, leaving out
    /// <paramref name="excludeOrderId"/>'s own amount (an order being amended or released is checked without it).
    /// </summary>
    /// <exception cref="InvalidOperationException">A currency held has no FX rate into the base currency.</exception>
    public decimal In(long accountId, string baseCurrency, FxRates fx, long excludeOrderId = 0)
    {
        if (!_accounts.TryGetValue(accountId, out var totals))
        {
            return 0;
        }
        var total = 0m;
        foreach (var (currency, amount) in totals)
        {
            var own = _orders.TryGetValue(excludeOrderId, out var held) && held.AccountId == accountId && held.Currency == currency ? held.Amount : 0;
            total += fx.Convert(amount - own, currency, baseCurrency);
        }
        return total;
    }

    /// <summary>True when <paramref name="orderId"/> holds something on <paramref name="accountId"/>.</summary>
    public bool Holds(long orderId, long accountId) => _orders.TryGetValue(orderId, out var held) && held.AccountId == accountId;

    /// <summary>Forgets everything (rebuilt from the database at start-up and after a failed commit).</summary>
    public void Clear()
    {
        _orders.Clear();
        _accounts.Clear();
        _counts.Clear();
    }

    private Dictionary<string, decimal> Totals(long accountId)
    {
        if (!_accounts.TryGetValue(accountId, out var totals))
        {
            _accounts[accountId] = totals = new Dictionary<string, decimal>(StringComparer.Ordinal);
        }
        return totals;
    }
}
