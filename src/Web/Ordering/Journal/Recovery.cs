using Microsoft.EntityFrameworkCore;
using TradSys.Web.Auditing;
using TradSys.Web.Ordering.Rules;
using TradSys.Web.Persistence;
using TradSys.Web.ReferenceData;
using TradSys.Web.Workflows;

namespace TradSys.Web.Ordering.Journal;

/// <summary>
/// Rebuilds the single writer's state from what was committed: at start-up, and after a commit failed (the database still
/// holds the last committed state, so the books are rebuilt from it before the next batch). Every working order goes back
/// into its book in its original time priority (the journal sequence at which it last took its place in the queue); held
/// orders, the open workflows, the rules' aggregates, the day's market statistics, the last trade prices (stops trigger on
/// them) and the idempotency index of every client order id come back with them.
/// </summary>
internal sealed class Recovery(ReferenceDataCache referenceData, OrderWorkflowStage workflows, TradingPhases phases, ClientOrderIds clientOrderIds,
    ContextSnapshots snapshots, MarketClock clock, ILogger log)
{
    public async Task RecoverAsync(TradSysDbContext db, OrderBooks books, CancellationToken cancellationToken)
    {
        var maxOrderId = await db.Orders.MaxAsync(o => (long?)o.Id, cancellationToken) ?? 0;
        var maxSequence = await db.OrderEvents.MaxAsync(e => (long?)e.Sequence, cancellationToken) ?? 0;
        var maxTradeId = await db.Trades.MaxAsync(t => (long?)t.Id, cancellationToken) ?? 0;
        var working = await db.Orders.AsNoTracking()
            .Where(o => (o.Status == OrderStatus.Accepted || o.Status == OrderStatus.PartiallyFilled) && o.RoutedSession == null)
            .OrderBy(o => o.PrioritySequence).ThenBy(o => o.Id)
            .ToListAsync(cancellationToken);

        var accountRows = await db.Accounts.AsNoTracking().Select(a => new { a.Id, a.SelfTradePrevention, a.CreditCurrency }).ToListAsync(cancellationToken);
        var accounts = accountRows.ToDictionary(a => a.Id, a => a.SelfTradePrevention);
        foreach (var a in accountRows)
        {
            books.CreditCurrencies[a.Id] = a.CreditCurrency;
        }
        var held = await db.Orders.AsNoTracking().Where(o => o.Status == OrderStatus.PendingReview).ToDictionaryAsync(o => o.Id, cancellationToken);
        // Orders routed to an exchange over FIX and still open there: never in the engine's books, but open for the rules and cash.
        var routed = await db.Orders.AsNoTracking()
            .Where(o => o.RoutedSession != null && (o.Status == OrderStatus.New || o.Status == OrderStatus.Accepted || o.Status == OrderStatus.PartiallyFilled))
            .ToListAsync(cancellationToken);
        var recorder = new JournalRecorder(referenceData) { NextSequence = maxSequence + 1 };
        var engine = new MatchingEngine(recorder, Math.Max(1, referenceData.Instruments.Count), maxTradeId + 1);
        foreach (var instrument in referenceData.Instruments)
        {
            engine.AddInstrument(instrument.Spec.Id);
            // Restored as a call: a book saved mid-call may be crossed. The first batch sets each mode from the clock
            // (uncrossing first if the call is over), journaled like any phase change.
            engine.SetTradingMode(new SetTradingMode(instrument.Spec.Id, TradingMode.Call, 0, instrument.Spec.ReferencePrice));
        }
        foreach (var order in working)
        {
            var instrument = referenceData.Get(order.Symbol);
            if (!Price.TryFromDecimal(order.Price ?? 0m, instrument.Decimals, out var price))
            {
                throw new InvalidOperationException($"order {order.Id}: stored price {order.Price} does not fit the instrument");
            }
            // Only a waiting stop keeps its stop price in the engine; a triggered stop-limit rests as a plain limit order.
            Price stop = default;
            if (order.StopPrice is { } sp && !Price.TryFromDecimal(sp, instrument.Decimals, out stop))
            {
                throw new InvalidOperationException($"order {order.Id}: stored stop price {sp} does not fit the instrument");
            }
            engine.Restore(new RestoreOrder(order.Id, instrument.Spec.Id, order.AccountId, order.Side, order.TimeInForce,
                price, new Quantity(order.Quantity), new Quantity(order.FilledQuantity), order.UpdatedAt.Ticks,
                order.Type, order.IsPendingStop ? stop : default, new Quantity(order.DisplayQuantity ?? 0), order.ExpireAt?.Ticks ?? 0,
                accounts.GetValueOrDefault(order.AccountId, SelfTradePrevention.None), order.IsPendingStop,
                new Quantity(order.DisplayedQuantity ?? 0)));
            recorder.Live[order.Id] = order;
        }
        // Stops trigger on the last trade price: it is state, restored with the book.
        foreach (var instrument in referenceData.Instruments)
        {
            var symbol = instrument.Row.Symbol;
            var last = await db.Trades.AsNoTracking().Where(t => t.Symbol == symbol).OrderByDescending(t => t.Id)
                .Select(t => (decimal?)t.Price).FirstOrDefaultAsync(cancellationToken);
            if (last is { } lp && Price.TryFromDecimal(lp, instrument.Decimals, out var lastPrice))
            {
                engine.RestoreLastTradePrice(instrument.Spec.Id, lastPrice);
            }
        }
        // Level-1 statistics of the current trading day: replay the last two days' trades; each instrument's
        // statistics keep only those of the venue-local day of the latest one (older days reset on the way).
        var since = clock.UtcNow.AddDays(-2);
        foreach (var trade in await db.Trades.AsNoTracking().Where(t => t.ExecutedAt >= since).OrderBy(t => t.Id).ToListAsync(cancellationToken))
        {
            if (referenceData.TryGet(trade.Symbol, out var instrument) &&
                Price.TryFromDecimal(trade.Price, instrument.Decimals, out var tradePrice))
            {
                recorder.StatisticsFor(instrument.Spec.Id, trade.ExecutedAt.Ticks).RecordTrade(tradePrice, new Quantity(trade.Quantity));
                recorder.RecordRecent(instrument.Spec.Id, trade.ExecutedAt.Ticks, tradePrice, new Quantity(trade.Quantity));
            }
        }
        // Every client order id ever used, for idempotency without a database read per order.
        var keys = await db.Orders.AsNoTracking().OrderBy(o => o.Id)
            .Select(o => new { o.Id, o.AccountId, o.ClientOrderId, o.SubmissionHash }).ToListAsync(cancellationToken);
        clientOrderIds.Rebuild(keys.Select(k => (k.Id, k.AccountId, k.ClientOrderId, k.SubmissionHash)));
        // The shared parts of the stored order contexts (a failed batch's new ones were never written).
        await snapshots.RebuildAsync(db, cancellationToken);
        // The rules stage's aggregates: open (working and held) orders, today's orders, trades and positions.
        await books.Aggregates.RebuildAsync(db, [.. working, .. routed, .. held.Values], AuditTrail.Truncate(clock.UtcNow), cancellationToken);
        // The accounts' cash: deposits and withdrawals, trades' cash legs and their settlement, the open buys' reservations.
        await books.Cash.LoadAsync(db, [.. working, .. routed, .. held.Values], books.CreditCurrencies, AuditTrail.Truncate(clock.UtcNow), cancellationToken);
        // The open order workflows (the held orders' reviews and approvals), their timers scheduled again.
        var instances = await workflows.RecoverAsync(db, cancellationToken);
        books.Replace(engine, recorder, held, maxOrderId + 1);
        phases.Reset();
        log.LogInformation("Order books rebuilt: {Working} working orders, {Held} held for review ({Instances} open workflows), {Keys} client order ids, next order id {OrderId}, next journal sequence {Sequence}",
            working.Count, held.Count, instances, keys.Count, books.NextOrderId, recorder.NextSequence);
    }
}
