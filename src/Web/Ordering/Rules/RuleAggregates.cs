using Microsoft.EntityFrameworkCore;
using TradSys.Web.Persistence;
using TradSys.Web.Persistence.Entities;
using TradSys.Web.ReferenceData;

namespace TradSys.Web.Ordering.Rules;

/// <summary>
/// The account and market aggregates the rule packs read, kept in memory by the single writer and updated from
/// what it journals (orders created, order states, trades) after every command, so the next order in the same
/// batch already sees them: two concurrent orders can never both pass a credit limit. Rebuilt from the database
/// at start-up and after a failed commit (<see cref="RebuildAsync"/>), like the books.
/// </summary>
/// <remarks>
/// Definitions (documented constants, not pack parameters, because they say what the data is, not a threshold):
/// "today" is the UTC calendar day of the writer's timestamp; the duplicate window is <see cref="DuplicateWindow"/>;
/// "the last 5 business days" are the last five Monday-to-Friday days up to today (FINRA 4210 counts US business
/// days); day trades are counted as FINRA 4210(f)(8)(B) defines them, per round trip (see <see cref="DayTrading"/>);
/// the Rule 201 carry-over uses the rule's own 10% decline (242.201(b)(1)). Only the writer's thread
/// touches this class.
/// </remarks>
internal sealed class RuleAggregates(ReferenceDataCache referenceData)
{
    /// <summary>Orders with the same account, instrument, side, quantity and price within this window count as duplicates.</summary>
    public static readonly TimeSpan DuplicateWindow = TimeSpan.FromSeconds(60);

    /// <summary>Rule 201's trigger: a price at or below 90% of the prior close.</summary>
    public const decimal SsrDeclinePct = 10m;

    private const int BusinessDays = 5;

    /// <summary>
    /// The trading days of the instrument's venue, before today, over which the platform's trades give an average daily volume (the
    /// volume collar's; <see cref="AverageDailyVolume"/>).
    /// </summary>
    public const int AdvDays = 20;

    /// <summary>Shares traded on the platform per instrument and venue-local day, over the last <see cref="AdvDays"/> trading days and today.</summary>
    private readonly Dictionary<(string Symbol, DateOnly Day), long> _dailyVolume = [];
    private readonly Dictionary<string, (DateOnly Day, long Platform)> _adv = new(StringComparer.Ordinal);

    private readonly Dictionary<long, AccountState> _accounts = [];
    /// <summary>The working and held orders' notional, in each order's currency (converted when read: an FX change counts at once).</summary>
    private readonly Risk.OpenAmounts _open = new();
    private readonly Dictionary<string, DateOnly> _ssrTriggered = new(StringComparer.Ordinal);
    private readonly Dictionary<(long AccountId, string Symbol), decimal> _notifiedShort = [];

    /// <summary>The context path of the net short position; a Report rule that read it is a short-position notification.</summary>
    public const string NetShortPositionPath = "Aggregates.NetShortPositionPct";

    /// <summary>One account's aggregates.</summary>
    public sealed class AccountState
    {
        public string CreditCurrency { get; set; } = "";
        public DateOnly Today { get; set; }
        public decimal TodayNotional { get; set; }
        public RecentOrders Recent { get; } = new();
        /// <summary>The orders entered today (their count is today's order count).</summary>
        public HashSet<long> TodayOrderIds { get; } = [];
        public Dictionary<string, long> Positions { get; } = new(StringComparer.Ordinal);
        public Dictionary<(DateOnly Day, string Symbol), DayTrading> DayTrades { get; } = [];
        public Dictionary<DateOnly, int> TradesPerDay { get; } = [];
        public Dictionary<AssetClass, decimal> OtcNotionalEur { get; } = [];
        public decimal UnclearedNotionalEur { get; set; }
    }

    /// <summary>The state of an account, created on first sight.</summary>
    public AccountState For(long accountId, string creditCurrency)
    {
        if (!_accounts.TryGetValue(accountId, out var state))
        {
            _accounts[accountId] = state = new AccountState();
        }
        if (state.CreditCurrency.Length == 0)
        {
            state.CreditCurrency = creditCurrency;
        }
        return state;
    }

    /// <summary>Rolls an account's "today" figures over when the UTC day changed.</summary>
    private static void Roll(AccountState state, DateOnly today)
    {
        if (state.Today != today)
        {
            state.Today = today;
            state.TodayNotional = 0;
            state.TodayOrderIds.Clear();
        }
    }

    /// <summary>A new order entered the path (whatever the rules then decide, except a Block).</summary>
    public void OrderEntered(OrderRecord order, string creditCurrency, DateTime now)
    {
        var state = For(order.AccountId, creditCurrency);
        Roll(state, DateOnly.FromDateTime(now));
        state.TodayOrderIds.Add(order.Id);
        state.Recent.Add(order.Id, now, order.Symbol, order.Side, order.Quantity, order.Price, now - DuplicateWindow);
    }

    /// <summary>
    /// How many earlier orders of the account are identical to this one within <see cref="DuplicateWindow"/>, leaving out
    /// <paramref name="excludeOrderId"/> (an order being amended is not a duplicate of itself).
    /// </summary>
    public int IdenticalRecent(long accountId, string symbol, Side side, long quantity, decimal? price, DateTime now, long excludeOrderId = 0)
    {
        if (!_accounts.TryGetValue(accountId, out var state))
        {
            return 0;
        }
        return state.Recent.Identical(symbol, side, quantity, price, now - DuplicateWindow, excludeOrderId);
    }

    /// <summary>
    /// An order's state changed: it counts as open (in the credit check) while it works in the book or is held for
    /// review, with its leaves quantity at its limit price (stop price, else the reference price, for other types).
    /// </summary>
    public void OrderChanged(OrderRecord order, string creditCurrency)
    {
        For(order.AccountId, creditCurrency);
        if (order.IsWorking || order.IsHeld)
        {
            var instrument = referenceData.Get(order.Symbol);
            var price = order.Price ?? order.StopPrice ?? instrument.Row.ReferencePrice;
            _open.Set(order.Id, order.AccountId, instrument.Row.Currency, price * order.LeavesQuantity);
        }
        else
        {
            _open.Release(order.Id);
        }
    }

    /// <summary>A trade: positions, today's executed notional, day trades and trade counts for both accounts, OTC totals.</summary>
    public void Traded(TradeRecord trade, Func<long, string> creditCurrencyOf, Func<long, bool> isCleared)
    {
        var instrument = referenceData.Get(trade.Symbol);
        var day = DateOnly.FromDateTime(trade.ExecutedAt);
        AddVolume(instrument, trade.ExecutedAt, trade.Quantity);
        var value = trade.Price * trade.Quantity;
        if (instrument.Row.ReferencePrice > 0 && trade.Price * 100 <= instrument.Row.ReferencePrice * (100 - SsrDeclinePct))
        {
            var local = DateOnly.FromDateTime(instrument.Spec.Venue.ToVenueLocal(trade.ExecutedAt.Ticks));
            if (!_ssrTriggered.TryGetValue(trade.Symbol, out var known) || known < local)
            {
                _ssrTriggered[trade.Symbol] = local;
            }
        }
        foreach (var (accountId, sign, orderId) in new[] { (trade.BuyAccountId, 1L, trade.BuyOrderId), (trade.SellAccountId, -1L, trade.SellOrderId) })
        {
            if (accountId == TradeRecord.VenueSide)
            {
                continue;
            }
            var state = For(accountId, creditCurrencyOf(accountId));
            var before = state.Positions.GetValueOrDefault(trade.Symbol);
            state.Positions[trade.Symbol] = before + (sign * trade.Quantity);
            var today = DateOnly.FromDateTime(trade.ExecutedAt);
            if (today >= state.Today)
            {
                Roll(state, today);
                state.TodayNotional += referenceData.Fx.Convert(value, instrument.Row.Currency, state.CreditCurrency);
            }
            var key = (day, trade.Symbol);
            if (!state.DayTrades.TryGetValue(key, out var dayTrading))
            {
                state.DayTrades[key] = dayTrading = new DayTrading();
            }
            dayTrading.Add(sign > 0 ? Side.Buy : Side.Sell, before);
            state.TradesPerDay[day] = state.TradesPerDay.GetValueOrDefault(day) + 1;
            if (instrument.Row.IsOtc)
            {
                var eur = referenceData.Fx.Convert(value, instrument.Row.Currency, "EUR");
                state.OtcNotionalEur[instrument.Row.AssetClass] = state.OtcNotionalEur.GetValueOrDefault(instrument.Row.AssetClass) + eur;
                if (!isCleared(orderId))
                {
                    state.UnclearedNotionalEur += eur;
                }
            }
        }
    }

    /// <summary>Today's executed notional and order count (0 when the account has none today), not counting <paramref name="excludeOrderId"/>.</summary>
    public (decimal Notional, int Orders) Today(long accountId, DateTime now, long excludeOrderId = 0)
    {
        if (!_accounts.TryGetValue(accountId, out var state))
        {
            return (0, 0);
        }
        Roll(state, DateOnly.FromDateTime(now));
        return (state.TodayNotional, state.TodayOrderIds.Count - (state.TodayOrderIds.Contains(excludeOrderId) ? 1 : 0));
    }

    /// <summary>
    /// Open orders (working or held) of the account: count and notional in its credit currency at the FX rates in force, without
    /// <paramref name="excludeOrderId"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">An open order's currency has no FX rate into the credit currency.</exception>
    public (int Count, decimal Notional) Open(long accountId, long excludeOrderId = 0)
    {
        if (!_accounts.TryGetValue(accountId, out var state))
        {
            return (0, 0);
        }
        var count = _open.Count(accountId) - (_open.Holds(excludeOrderId, accountId) ? 1 : 0);
        return (count, _open.In(accountId, state.CreditCurrency, referenceData.Fx, excludeOrderId));
    }

    /// <summary>Every instrument the account holds (long or short), shares; flat ones left out.</summary>
    public IReadOnlyList<(string Symbol, long Quantity)> Positions(long accountId) =>
        _accounts.TryGetValue(accountId, out var state)
            ? [.. state.Positions.Where(p => p.Value != 0).OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key, p.Value))]
            : [];

    /// <summary>Every non-flat position in the given instruments, by account then symbol (a corporate action's holders).</summary>
    public IReadOnlyList<(long AccountId, string Symbol, long Quantity)> Holders(IReadOnlySet<string> symbols) =>
        [.. _accounts.SelectMany(a => a.Value.Positions.Where(p => p.Value != 0 && symbols.Contains(p.Key)).Select(p => (AccountId: a.Key, Symbol: p.Key, Quantity: p.Value)))
            .OrderBy(h => h.AccountId).ThenBy(h => h.Symbol, StringComparer.Ordinal)];

    /// <summary>Every position of the account by symbol (flat ones included), for a walk that allocates nothing; null when it has none.</summary>
    public Dictionary<string, long>? PositionsOf(long accountId) => _accounts.TryGetValue(accountId, out var state) ? state.Positions : null;

    private void AddVolume(TradableInstrument instrument, DateTime executedAt, long quantity)
    {
        var local = DateOnly.FromDateTime(instrument.Spec.Venue.ToVenueLocal(executedAt.Ticks));
        var key = (instrument.Row.Symbol, local);
        _dailyVolume[key] = _dailyVolume.GetValueOrDefault(key) + quantity;
    }

    /// <summary>
    /// The instrument's average daily volume in shares for the volume collar, and the platform's part of it: the mean of the platform's
    /// own trades over the last <see cref="AdvDays"/> trading days of its venue before today (a day without trades counts as zero), or the
    /// venue's figure in the reference data (<c>Instrument.AverageDailyVolume</c>) when that is larger: the platform's trades are part of
    /// the market's, so the larger is the better estimate of it (on the internal venue, the platform is the market). Computed once per
    /// instrument and venue day (earlier days' volumes do not change during it); allocates nothing after that.
    /// </summary>
    public (long Adv, long Platform) AverageDailyVolume(TradableInstrument instrument, DateTime now)
    {
        var today = DateOnly.FromDateTime(instrument.Spec.Venue.ToVenueLocal(now.Ticks));
        if (!_adv.TryGetValue(instrument.Row.Symbol, out var cached) || cached.Day != today)
        {
            long sum = 0;
            var counted = 0;
            var schedule = instrument.Spec.Venue.Schedule;
            // Bounded: a venue with almost no trading days in a year still ends the walk.
            for (var day = today.AddDays(-1); counted < AdvDays && day > today.AddDays(-366); day = day.AddDays(-1))
            {
                if (schedule.IsTradingDay(day))
                {
                    counted++;
                    sum += _dailyVolume.GetValueOrDefault((instrument.Row.Symbol, day));
                }
            }
            _adv[instrument.Row.Symbol] = cached = (today, sum / AdvDays);
        }
        return (Math.Max(cached.Platform, instrument.Row.AverageDailyVolume), cached.Platform);
    }

    /// <summary>The account's position in an instrument, shares (negative when short).</summary>
    public long Position(long accountId, string symbol) =>
        _accounts.TryGetValue(accountId, out var state) ? state.Positions.GetValueOrDefault(symbol) : 0;

    /// <summary>Day trades and all trades of the account in the last five business days up to <paramref name="now"/>.</summary>
    public (int DayTrades, int Trades) LastBusinessDays(long accountId, DateTime now)
    {
        if (!_accounts.TryGetValue(accountId, out var state))
        {
            return (0, 0);
        }
        var days = new HashSet<DateOnly>();
        for (var d = DateOnly.FromDateTime(now); days.Count < BusinessDays; d = d.AddDays(-1))
        {
            if (d.DayOfWeek is not DayOfWeek.Saturday and not DayOfWeek.Sunday)
            {
                days.Add(d);
            }
        }
        var dayTrades = 0;
        foreach (var (key, dayTrading) in state.DayTrades)
        {
            if (days.Contains(key.Day))
            {
                dayTrades += dayTrading.Completed;
            }
        }
        var trades = 0;
        foreach (var (day, count) in state.TradesPerDay)
        {
            if (days.Contains(day))
            {
                trades += count;
            }
        }
        return (dayTrades, trades);
    }

    /// <summary>
    /// True when an order of the account on <paramref name="side"/> in <paramref name="symbol"/> would, if it executed now,
    /// complete a day trade: a position was opened today on the other side and has not yet been closed by a day trade
    /// (FINRA 4210(f)(8)(B)(i)). The pattern-day-trader rule stops the order that would complete the day trade that makes
    /// the count, not the one after it.
    /// </summary>
    public bool CompletesDayTrade(long accountId, string symbol, Side side, DateTime now) =>
        _accounts.TryGetValue(accountId, out var state) &&
        state.DayTrades.TryGetValue((DateOnly.FromDateTime(now), symbol), out var dayTrading) &&
        dayTrading.WouldComplete(side);

    /// <summary>The account's OTC derivative notional in an asset class and its uncleared OTC notional, euros.</summary>
    public (decimal AssetClassEur, decimal UnclearedEur) Otc(long accountId, AssetClass assetClass) =>
        _accounts.TryGetValue(accountId, out var state) ? (state.OtcNotionalEur.GetValueOrDefault(assetClass), state.UnclearedNotionalEur) : (0, 0);

    /// <summary>
    /// The net short position last notified for an account and instrument, percent of issued shares: the level at which an
    /// order that went on to the market was last tagged by a Report rule reading the net short position (SSR Art 5
    /// notification, Art 6 disclosure), but never above <paramref name="currentPct"/>, the position held now: a position
    /// that has come down since must be notified again when it crosses a step on the way back up.
    /// </summary>
    public decimal NotifiedShortPct(long accountId, string symbol, decimal currentPct) =>
        _notifiedShort.TryGetValue((accountId, symbol), out var notified) ? Math.Min(notified, currentPct) : 0m;

    /// <summary>
    /// Records the levels reported by a decision on an order that goes on to the market (new or amended): every fired
    /// Report rule that read <see cref="NetShortPositionPath"/> tagged the order for a notification at that level.
    /// </summary>
    public void NoteShortNotifications(long accountId, string symbol, StoredDecision decision)
    {
        foreach (var rule in decision.With(TradSys.Rules.Packs.RuleOutcome.Report))
        {
            if (rule.Inputs.TryGetValue(NetShortPositionPath, out var value) && ToDecimal(value) is { } pct && pct > 0)
            {
                _notifiedShort[(accountId, symbol)] = pct;
            }
        }
    }

    private static decimal? ToDecimal(object? value) => value switch
    {
        decimal d => d,
        System.Text.Json.JsonElement { ValueKind: System.Text.Json.JsonValueKind.Number } e => e.GetDecimal(),
        _ => null,
    };

    /// <summary>
    /// True when Rule 201 triggered on an earlier venue-local day and <paramref name="tradeDate"/> is the next trading
    /// day: the restriction lasts the rest of the trigger day and the whole of the following one.
    /// </summary>
    public bool SsrCarriedOver(TradableInstrument instrument, DateOnly tradeDate)
    {
        if (!_ssrTriggered.TryGetValue(instrument.Row.Symbol, out var triggered) || triggered >= tradeDate)
        {
            return false;
        }
        var schedule = instrument.Spec.Venue.Schedule;
        for (var d = triggered.AddDays(1); d < tradeDate; d = d.AddDays(1))
        {
            if (schedule.IsTradingDay(d))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Rebuilds every aggregate from the database: open orders, recent orders, trades, positions.</summary>
    public async Task RebuildAsync(TradSysDbContext db, IReadOnlyCollection<OrderRecord> openOrders, DateTime now, CancellationToken cancellationToken)
    {
        _accounts.Clear();
        _open.Clear();
        _ssrTriggered.Clear();
        _notifiedShort.Clear();
        _dailyVolume.Clear();
        _adv.Clear();
        var currencies = await db.Accounts.AsNoTracking().ToDictionaryAsync(a => a.Id, a => a.CreditCurrency, cancellationToken);
        string CurrencyOf(long id) => currencies.GetValueOrDefault(id, "");
        foreach (var order in openOrders)
        {
            OrderChanged(order, CurrencyOf(order.AccountId));
        }
        // Orders entered today (for the count) and in the duplicate window; a rule Block never counts.
        var today = DateOnly.FromDateTime(now).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var since = now - DuplicateWindow < today ? now - DuplicateWindow : today;
        foreach (var order in await db.Orders.AsNoTracking().Where(o => o.CreatedAt >= since && o.RejectCode != (int)RejectCode.BlockedByRule)
                     .OrderBy(o => o.Id).ToListAsync(cancellationToken))
        {
            var state = For(order.AccountId, CurrencyOf(order.AccountId));
            Roll(state, DateOnly.FromDateTime(now));
            if (order.CreatedAt >= today)
            {
                state.TodayOrderIds.Add(order.Id);
            }
            if (order.CreatedAt >= now - DuplicateWindow)
            {
                state.Recent.Add(order.Id, order.CreatedAt, order.Symbol, order.Side, order.Quantity, order.Price, now - DuplicateWindow);
            }
        }
        // Short-position notifications: the stored decisions of short sales that went on with a report tag, in order.
        foreach (var tagged in await db.RuleDecisions.AsNoTracking()
                     .Join(db.Orders.AsNoTracking(), d => d.OrderId, o => o.Id, (d, o) => new { d, o })
                     .Where(x => x.o.ShortMarking == ShortMarking.Short && x.d.ReportTags != "" && x.o.RejectCode == null &&
                                 x.o.Status != OrderStatus.PendingReview)
                     .OrderBy(x => x.o.Id).Select(x => new { x.o.AccountId, x.o.Symbol, x.d }).ToListAsync(cancellationToken))
        {
            NoteShortNotifications(tagged.AccountId, tagged.Symbol, StoredDecision.Read(tagged.d));
        }
        // Positions over all trades (the same query the reports use); the rest over the trades of the last 8 days
        // (5 business days and the SSR carry-over).
        foreach (var p in await Holdings.AsOfAsync(db, beforeUtc: null, accounts: null, cancellationToken))
        {
            For(p.AccountId, CurrencyOf(p.AccountId)).Positions[p.Symbol] = p.Quantity;
        }
        var otcSymbols = referenceData.Instruments.Where(i => i.Row.IsOtc).Select(i => i.Row.Symbol).ToList();
        var recentFrom = now.AddDays(-8);
        // The daily volumes of the days before those replayed below (which add their own), far enough back for AdvDays trading days.
        var volumeFrom = now.AddDays(-(AdvDays * 2 + 15));
        foreach (var older in await db.Trades.AsNoTracking().Where(t => t.ExecutedAt >= volumeFrom && t.ExecutedAt < recentFrom && !otcSymbols.Contains(t.Symbol))
                     .Select(t => new { t.Symbol, t.ExecutedAt, t.Quantity }).ToListAsync(cancellationToken))
        {
            if (referenceData.TryGet(older.Symbol, out var traded))
            {
                AddVolume(traded, older.ExecutedAt, older.Quantity);
            }
        }
        var trades = await db.Trades.AsNoTracking().Where(t => t.ExecutedAt >= recentFrom || otcSymbols.Contains(t.Symbol))
            .OrderBy(t => t.Id).ToListAsync(cancellationToken);
        var orderIds = trades.Where(t => otcSymbols.Contains(t.Symbol)).SelectMany(t => new[] { t.BuyOrderId, t.SellOrderId }).Distinct().ToList();
        var cleared = orderIds.Count == 0
            ? []
            : await db.Orders.AsNoTracking().Where(o => orderIds.Contains(o.Id) && o.IsCleared).Select(o => o.Id).ToHashSetAsync(cancellationToken);
        // Positions were summed above over every trade: take the replayed trades out first, so that the replay sees each
        // trade's position before it (the day-trade count needs it: a long held overnight and sold is no day trade) and
        // ends at the same totals.
        foreach (var trade in trades)
        {
            var buyer = For(trade.BuyAccountId, CurrencyOf(trade.BuyAccountId));
            buyer.Positions[trade.Symbol] = buyer.Positions.GetValueOrDefault(trade.Symbol) - trade.Quantity;
            var seller = For(trade.SellAccountId, CurrencyOf(trade.SellAccountId));
            seller.Positions[trade.Symbol] = seller.Positions.GetValueOrDefault(trade.Symbol) + trade.Quantity;
        }
        foreach (var trade in trades)
        {
            Traded(trade, CurrencyOf, cleared.Contains);
        }
    }
}

/// <summary>
/// One account's day trades in one instrument on one day, counted as FINRA 4210(f)(8)(B)(i) defines a day trade: the
/// purchasing and selling, or the selling and purchasing, of the same security on the same day, each round trip one day
/// trade. The day's trades form legs (a run of trades on one side: an order filled in several trades, or several orders on
/// one side); a leg opens a round trip and the next leg, on the other side, completes it (buy, buy, sell is one day trade;
/// buy, sell, buy, sell is two; sell short, buy to cover is one). The rule's exceptions are kept: a long position held
/// overnight and sold before any new purchase that day, or a short held overnight and bought back before any new sale,
/// opens nothing.
/// </summary>
internal sealed class DayTrading
{
    private Side? _legSide;
    private bool _legOpens;
    private bool _bought;
    private bool _sold;

    /// <summary>Day trades completed.</summary>
    public int Completed { get; private set; }

    /// <summary>Records a trade of the account on <paramref name="side"/>, with its position before the trade.</summary>
    public void Add(Side side, long positionBefore)
    {
        if (_legSide != side)
        {
            if (_legSide is not null && _legOpens)
            {
                Completed++;
                _legOpens = false;
            }
            else
            {
                var closesOvernight = side == Side.Sell ? !_bought && positionBefore > 0 : !_sold && positionBefore < 0;
                _legOpens = !closesOvernight;
            }
            _legSide = side;
        }
        _bought |= side == Side.Buy;
        _sold |= side == Side.Sell;
    }

    /// <summary>True when a trade on <paramref name="side"/> would complete a day trade now.</summary>
    public bool WouldComplete(Side side) => _legOpens && _legSide is { } leg && leg != side;
}

/// <summary>
/// One account's orders within the duplicate window, grouped by their terms (instrument, side, quantity, price), so the
/// identical-orders check costs a lookup, however many orders the account enters. Entries leave in arrival order once
/// older than the window, each in constant time (an algorithm sending the same child order thousands of times a minute
/// must not make each of its orders walk the others); whatever their order, they are never counted once older.
/// </summary>
internal sealed class RecentOrders
{
    private readonly Dictionary<(string Symbol, Side Side, long Quantity, decimal? Price), Queue<(long OrderId, DateTime At)>> _byTerms = [];
    private readonly Queue<(DateTime At, (string Symbol, Side Side, long Quantity, decimal? Price) Terms)> _arrivals = new();
    private DateTime _latest;

    private long _added;
    private long _removed;

    /// <summary>
    /// The arrival number of the last entry that came with an earlier time than one before it (a clock set back), -1 when
    /// none is kept: while one is, a count checks each entry's time instead of trusting that all kept are in the window.
    /// </summary>
    private long _lastOutOfOrder = -1;

    /// <summary>How many entries are kept (for tests).</summary>
    public int Count => _arrivals.Count;

    public void Add(long orderId, DateTime at, string symbol, Side side, long quantity, decimal? price, DateTime since)
    {
        Expire(since);
        var terms = (symbol, side, quantity, price);
        if (!_byTerms.TryGetValue(terms, out var entries))
        {
            _byTerms[terms] = entries = new Queue<(long, DateTime)>();
        }
        if (at < _latest)
        {
            _lastOutOfOrder = _added;
        }
        else
        {
            _latest = at;
        }
        entries.Enqueue((orderId, at));
        _arrivals.Enqueue((at, terms));
        _added++;
    }

    /// <summary>The entries with these terms at or after <paramref name="since"/>, leaving out <paramref name="excludeOrderId"/>.</summary>
    public int Identical(string symbol, Side side, long quantity, decimal? price, DateTime since, long excludeOrderId)
    {
        Expire(since);
        if (!_byTerms.TryGetValue((symbol, side, quantity, price), out var entries))
        {
            return 0;
        }
        if (_lastOutOfOrder < 0 && excludeOrderId == 0)
        {
            // Arrival order is time order and everything older than the window has left: all of them count.
            return entries.Count;
        }
        var count = 0;
        foreach (var (orderId, at) in entries)
        {
            if (at >= since && orderId != excludeOrderId)
            {
                count++;
            }
        }
        return count;
    }

    /// <summary>Drops the entries older than <paramref name="since"/>, in arrival order.</summary>
    private void Expire(DateTime since)
    {
        while (_arrivals.TryPeek(out var oldest) && oldest.At < since)
        {
            _arrivals.Dequeue();
            _removed++;
            // Both queues are in arrival order: the oldest arrival is the head of its terms' queue.
            var entries = _byTerms[oldest.Terms];
            entries.Dequeue();
            if (entries.Count == 0)
            {
                _byTerms.Remove(oldest.Terms);
            }
        }
        if (_lastOutOfOrder >= 0 && _removed > _lastOutOfOrder)
        {
            _lastOutOfOrder = -1;
        }
    }
}
