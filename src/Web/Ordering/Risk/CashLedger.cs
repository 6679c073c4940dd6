using Microsoft.EntityFrameworkCore;
using TradSys.Web.Persistence;
using TradSys.Web.Persistence.Entities;
using TradSys.Web.ReferenceData;

namespace TradSys.Web.Ordering.Risk;

/// <summary>
/// Each account's cash and what its open buys reserve, owned by the single writer and kept current command by command, so the
/// risk stage's buying power includes every earlier order of the batch.
/// <list type="bullet">
/// <item>Cash per currency: deposits and withdrawals (<see cref="CashMovement"/>, committed with the batch that booked them), plus
/// each trade's cash leg on its trade date (a buy pays price x quantity in the instrument's currency, a sell receives it).</item>
/// <item>Settlement: a trade's leg settles on its venue's settlement date (<see cref="Venue.SettlementDays"/> trading days after the
/// venue-local trade date: T+2 on EGX and ADX, at once on the internal venue), so settled cash lags available cash.</item>
/// <item>Reservations: a working or held buy reserves its leaves quantity at its limit price (a market or stop buy at the top of the
/// day's price band, the most it can cost), kept in the instrument's currency and converted into the account's base currency (its
/// credit currency) when read, at the rates in force then (<see cref="OpenAmounts"/>), so an FX change revalues them at once.</item>
/// </list>
/// Buying power = available cash (every currency in the base currency at the platform's FX rates) + the account's credit line -
/// reservations. Fees and taxes are not modelled yet. Everything is rebuilt from the database at start-up and after a failed
/// commit (<see cref="LoadAsync"/>), like the books.
/// </summary>
internal sealed class CashLedger(ReferenceDataCache referenceData)
{
    /// <summary>Trades older than this (calendar days) are settled whatever the venue's cycle and holidays: rebuilt as totals only.</summary>
    private const int SettlementHorizonDays = 30;

    private readonly Dictionary<long, AccountCash> _accounts = [];
    private readonly OpenAmounts _reserved = new();
    private readonly List<CashMovement> _staged = [];
    private readonly HashSet<(long AccountId, string Reference)> _references = [];

    /// <summary>The part of a short sale's value an account must have in buying power (Regulation T's 150% less the sale's own proceeds).</summary>
    public const decimal ShortSaleMarginRate = 0.5m;

    /// <summary>One currency's cash of an account.</summary>
    private sealed class CurrencyCash
    {
        public decimal Balance;
        public readonly List<PendingCash> Pending = [];
    }

    private sealed class AccountCash
    {
        public readonly Dictionary<string, CurrencyCash> Currencies = new(StringComparer.Ordinal);
        public string BaseCurrency = "";
    }

    private AccountCash For(long accountId, string baseCurrency)
    {
        if (!_accounts.TryGetValue(accountId, out var cash))
        {
            _accounts[accountId] = cash = new AccountCash();
        }
        if (cash.BaseCurrency.Length == 0)
        {
            cash.BaseCurrency = baseCurrency;
        }
        return cash;
    }

    private static CurrencyCash In(AccountCash cash, string currency)
    {
        if (!cash.Currencies.TryGetValue(currency, out var c))
        {
            cash.Currencies[currency] = c = new CurrencyCash();
        }
        return c;
    }

    /// <summary>A deposit or withdrawal: effective now, its row staged for the batch's commit.</summary>
    public void Book(CashMovement movement, string baseCurrency)
    {
        In(For(movement.AccountId, baseCurrency), movement.Currency).Balance += movement.Amount;
        _references.Add((movement.AccountId, movement.Reference));
        _staged.Add(movement);
    }

    /// <summary>True when the account already has a movement with this payment reference (a payment is booked once).</summary>
    public bool HasReference(long accountId, string reference) => _references.Contains((accountId, reference));

    /// <summary>A trade: the buyer pays and the seller receives its value in the instrument's currency, settling on the venue's settlement date.</summary>
    public void Traded(TradeRecord trade, Func<long, string> baseCurrencyOf)
    {
        var instrument = referenceData.Get(trade.Symbol);
        var value = trade.Price * trade.Quantity;
        var venue = instrument.Spec.Venue;
        var tradeDate = DateOnly.FromDateTime(venue.ToVenueLocal(trade.ExecutedAt.Ticks));
        var settlesOn = venue.Schedule.SettlementDate(tradeDate, instrument.VenueRow.SettlementDays);
        // The venue's side of a routed order's trade is no account of the platform's.
        if (trade.BuyAccountId != TradeRecord.VenueSide)
        {
            Leg(For(trade.BuyAccountId, baseCurrencyOf(trade.BuyAccountId)), instrument.Row.Currency, -value, settlesOn, tradeDate, instrument.VenueRow.Code, trade.ExecutedAt);
        }
        if (trade.SellAccountId != TradeRecord.VenueSide)
        {
            Leg(For(trade.SellAccountId, baseCurrencyOf(trade.SellAccountId)), instrument.Row.Currency, value, settlesOn, tradeDate, instrument.VenueRow.Code, trade.ExecutedAt);
        }
    }

    /// <summary>Pending legs kept per currency before the settled ones are dropped on the next trade (bounds memory under heavy trading).</summary>
    private const int PruneAbove = 256;

    private void Leg(AccountCash cash, string currency, decimal amount, DateOnly settlesOn, DateOnly tradeDate, string venue, DateTime executedAt)
    {
        var c = In(cash, currency);
        c.Balance += amount;
        if (settlesOn <= tradeDate)
        {
            return; // settles at once (the internal venue): nothing pending
        }
        c.Pending.Add(new PendingCash(settlesOn, venue, amount));
        if (c.Pending.Count > PruneAbove)
        {
            Prune(c, executedAt);
        }
    }

    /// <summary>An order's state changed: a working or held buy reserves its leaves quantity; anything else reserves nothing.</summary>
    public void OrderChanged(OrderRecord order, string baseCurrency)
    {
        For(order.AccountId, baseCurrency);
        if (order.Side == Side.Buy && (order.IsWorking || order.IsHeld) && order.LeavesQuantity > 0)
        {
            var instrument = referenceData.Get(order.Symbol);
            _reserved.Set(order.Id, order.AccountId, instrument.Row.Currency, ReservePrice(instrument, order.Price) * order.LeavesQuantity);
        }
        else
        {
            _reserved.Release(order.Id);
        }
    }

    /// <summary>
    /// The price a buy is reserved and checked at: its limit price; without one (market, stop) the top of the day's price band,
    /// the most it can cost, or the reference price where the venue has no daily limits.
    /// </summary>
    public static decimal ReservePrice(TradableInstrument instrument, decimal? limitPrice)
    {
        if (limitPrice is { } price)
        {
            return price;
        }
        return instrument.Spec.Venue.Limits.IsUnlimited ? instrument.Row.ReferencePrice : instrument.ToDecimal(instrument.Spec.DailyBand().High);
    }

    /// <summary>
    /// Buying power in the account's base currency now: available cash in every currency + <paramref name="creditLine"/> - what
    /// its open buys reserve, leaving out <paramref name="excludeOrderId"/>'s own reservation (an order being amended or released).
    /// </summary>
    /// <exception cref="InvalidOperationException">A currency held has no FX rate into the base currency.</exception>
    public decimal BuyingPower(long accountId, string baseCurrency, decimal creditLine, long excludeOrderId = 0)
    {
        var (available, reserved) = Parts(accountId, baseCurrency, excludeOrderId);
        return available + creditLine - reserved;
    }

    /// <summary>The two parts of buying power besides the credit line, in the base currency: available cash, and what open buys reserve.</summary>
    /// <exception cref="InvalidOperationException">A currency held has no FX rate into the base currency.</exception>
    public (decimal Available, decimal Reserved) Parts(long accountId, string baseCurrency, long excludeOrderId = 0)
    {
        if (!_accounts.TryGetValue(accountId, out var cash))
        {
            return (0, 0);
        }
        var available = 0m;
        foreach (var (currency, c) in cash.Currencies)
        {
            available += c.Balance == 0 ? 0 : referenceData.Fx.Convert(c.Balance, currency, baseCurrency);
        }
        return (available, _reserved.In(accountId, baseCurrency, referenceData.Fx, excludeOrderId));
    }

    /// <summary>What the account's working and held buys reserve now, in its base currency at the rates in force.</summary>
    /// <exception cref="InvalidOperationException">A currency reserved has no FX rate into the base currency.</exception>
    public decimal Reserved(long accountId) => _accounts.TryGetValue(accountId, out var cash) ? _reserved.In(accountId, cash.BaseCurrency, referenceData.Fx) : 0;

    /// <summary>Settled cash of an account in one currency now: its balance less the trade legs that settle after today.</summary>
    public decimal Settled(long accountId, string currency, DateTime now)
    {
        if (!_accounts.TryGetValue(accountId, out var cash) || !cash.Currencies.TryGetValue(currency, out var c))
        {
            return 0;
        }
        Prune(c, now);
        var unsettled = 0m;
        foreach (var p in c.Pending)
        {
            unsettled += p.Amount;
        }
        return c.Balance - unsettled;
    }

    /// <summary>Forgets the legs that have settled by now (in each leg's venue-local date).</summary>
    private void Prune(CurrencyCash c, DateTime now) =>
        c.Pending.RemoveAll(p => p.SettlesOn <= Today(p.Venue, now));

    private DateOnly Today(string venue, DateTime now) => DateOnly.FromDateTime(referenceData.Venue(venue).ToVenueLocal(now.Ticks));

    /// <summary>The account's cash as it stands (for the cash API, read in sequence by the writer).</summary>
    public CashStatement Statement(Account account, DateTime now)
    {
        var cash = For(account.Id, account.CreditCurrency);
        var currencies = new List<CurrencyStatement>(cash.Currencies.Count);
        foreach (var (currency, c) in cash.Currencies.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            Prune(c, now);
            var pending = c.Pending.OrderBy(p => p.SettlesOn).ToList();
            currencies.Add(new CurrencyStatement(currency, c.Balance, c.Balance - pending.Sum(p => p.Amount), pending));
        }
        string? problem = null;
        decimal? available = null;
        decimal? reserved = null;
        try
        {
            (available, reserved) = Parts(account.Id, account.CreditCurrency);
        }
        catch (InvalidOperationException ex)
        {
            problem = ex.Message;
        }
        return new CashStatement(account.Id, account.CreditCurrency, currencies, available, reserved, _reserved.Count(account.Id), account.CreditLine,
            available + account.CreditLine - reserved, problem);
    }

    /// <summary>Adds the batch's new movements to <paramref name="db"/> (the journal stage saves them in the batch's transaction).</summary>
    public void Stage(TradSysDbContext db)
    {
        foreach (var row in _staged)
        {
            db.Add(row);
        }
    }

    /// <summary>After a commit: the staged movements are durable.</summary>
    public void Committed() => _staged.Clear();

    /// <summary>
    /// Rebuilds every account's cash from the database (start-up, and after a failed commit): the movements, the trades (older ones
    /// as totals per account, instrument and price, so the rebuild does not read every trade; the last
    /// <see cref="SettlementHorizonDays"/> days one by one, for what has not settled yet) and the open orders' reservations.
    /// </summary>
    public async Task LoadAsync(TradSysDbContext db, IReadOnlyCollection<OrderRecord> openOrders, IReadOnlyDictionary<long, string> baseCurrencies,
        DateTime now, CancellationToken cancellationToken)
    {
        _accounts.Clear();
        _reserved.Clear();
        _staged.Clear();
        _references.Clear();
        string BaseOf(long id) => baseCurrencies.GetValueOrDefault(id, "");
        foreach (var m in await db.CashMovements.AsNoTracking().OrderBy(m => m.Id).ToListAsync(cancellationToken))
        {
            In(For(m.AccountId, BaseOf(m.AccountId)), m.Currency).Balance += m.Amount;
            _references.Add((m.AccountId, m.Reference));
        }
        var horizon = now.AddDays(-SettlementHorizonDays);
        // Settled trades as totals: SQLite cannot sum decimals in the database, so the grouping is by price and the products are summed here.
        var bought = await db.Trades.AsNoTracking().Where(t => t.ExecutedAt < horizon)
            .GroupBy(t => new { t.BuyAccountId, t.Symbol, t.Price }).Select(g => new { Account = g.Key.BuyAccountId, g.Key.Symbol, g.Key.Price, Quantity = g.Sum(t => t.Quantity) })
            .ToListAsync(cancellationToken);
        var sold = await db.Trades.AsNoTracking().Where(t => t.ExecutedAt < horizon)
            .GroupBy(t => new { t.SellAccountId, t.Symbol, t.Price }).Select(g => new { Account = g.Key.SellAccountId, g.Key.Symbol, g.Key.Price, Quantity = g.Sum(t => t.Quantity) })
            .ToListAsync(cancellationToken);
        foreach (var (account, symbol, amount) in bought.Select(b => (b.Account, b.Symbol, -b.Price * b.Quantity))
                     .Concat(sold.Select(s => (s.Account, s.Symbol, s.Price * s.Quantity))))
        {
            In(For(account, BaseOf(account)), referenceData.Get(symbol).Row.Currency).Balance += amount;
        }
        foreach (var trade in await db.Trades.AsNoTracking().Where(t => t.ExecutedAt >= horizon).OrderBy(t => t.Id).ToListAsync(cancellationToken))
        {
            Traded(trade, BaseOf);
        }
        foreach (var order in openOrders)
        {
            OrderChanged(order, BaseOf(order.AccountId));
        }
    }
}

/// <summary>A trade's cash leg that has not settled yet: the venue-local date it settles on, the venue, the signed amount.</summary>
internal sealed record PendingCash(DateOnly SettlesOn, string Venue, decimal Amount);

/// <summary>One currency of an account's cash: available (trade date), settled, and the legs still to settle.</summary>
internal sealed record CurrencyStatement(string Currency, decimal Available, decimal Settled, IReadOnlyList<PendingCash> Unsettled);

/// <summary>
/// An account's cash and buying power as the writer holds them: each currency, then in the base currency the cash available, what open
/// buys reserve, the credit line and the buying power (cash, reserved and buying power null, with <see cref="Problem"/>, when a
/// currency held or reserved cannot be converted).
/// </summary>
internal sealed record CashStatement(long AccountId, string BaseCurrency, IReadOnlyList<CurrencyStatement> Currencies, decimal? Cash, decimal? Reserved,
    int ReservingOrders, decimal CreditLine, decimal? BuyingPower, string? Problem);
