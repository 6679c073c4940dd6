using MassTransit;
using Microsoft.EntityFrameworkCore;
using TradSys.Contracts;
using TradSys.Web.Apis;
using TradeExecuted = TradSys.Contracts.TradeExecuted;
using TradSys.Web.Ordering;
using TradSys.Web.Persistence;
using TradSys.Web.Persistence.Entities;

namespace TradSys.Web.Messaging;

/// <summary>
/// Publishes the committed order journal and trades to the bus (RabbitMQ in production). It reads what
/// is already durable, publishes it in order, then advances a cursor stored in the database: a crash
/// between publishing and saving the cursor re-publishes (at least once), and nothing committed is
/// ever skipped. The order writer wakes it after each commit; it also polls once a second.
/// </summary>
public sealed class OutboxPublisher(IServiceScopeFactory scopes, OutboxSignal signal, ILogger<OutboxPublisher> log) : BackgroundService
{
    public const string OrderEventsCursor = "order-events";
    public const string TradesCursor = "trades";
    private const int PageSize = 500;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var published = await PublishPendingAsync(stoppingToken);
                failures = 0;
                if (published < PageSize)
                {
                    await signal.WaitAsync(TimeSpan.FromSeconds(1), stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                failures++;
                var delay = TimeSpan.FromMilliseconds(Math.Min(30_000, 250 * Math.Pow(2, Math.Min(failures, 7))));
                log.LogWarning(ex, "Publishing the order journal failed (attempt {Attempt}); retrying in {Delay}", failures, delay);
                await Task.Delay(delay, stoppingToken);
            }
        }
    }

    /// <summary>Publishes one page of each stream; returns how many messages went out.</summary>
    public async Task<int> PublishPendingAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TradSysDbContext>();
        var bus = scope.ServiceProvider.GetRequiredService<IPublishEndpoint>();
        var count = 0;

        var eventsCursor = await CursorAsync(db, OrderEventsCursor, cancellationToken);
        var events = await db.OrderEvents.AsNoTracking().Where(e => e.Sequence > eventsCursor.LastSequence)
            .OrderBy(e => e.Sequence).Take(PageSize).ToListAsync(cancellationToken);
        if (events.Count > 0)
        {
            var ids = events.Select(e => e.OrderId).Distinct().ToList();
            var orders = await db.Orders.AsNoTracking().Where(o => ids.Contains(o.Id)).ToDictionaryAsync(o => o.Id, cancellationToken);
            // The portal's open blotters on this node hear of each update too (in process, after the bus has it).
            var feed = scope.ServiceProvider.GetService<TradSys.Web.Portal.Services.OrderUpdateFeed>();
            foreach (var e in events)
            {
                var o = orders[e.OrderId];
                var update = new OrderUpdated(e.Sequence, e.OrderId, o.ClientOrderId, o.AccountId, o.Symbol, o.Side.ToString(),
                    e.Kind.ToString(), e.Status.ToString(), Exact.Trim(e.Price), e.Quantity, e.FilledQuantity, e.LeavesQuantity, e.TradeId,
                    Exact.Trim(e.FillPrice), e.FillQuantity, e.Reason, e.Timestamp);
                await bus.Publish(update, cancellationToken);
                feed?.Publish(update);
            }
            eventsCursor.LastSequence = events[^1].Sequence;
            count += events.Count;
        }

        var tradesCursor = await CursorAsync(db, TradesCursor, cancellationToken);
        var trades = await db.Trades.AsNoTracking().Where(t => t.Id > tradesCursor.LastSequence)
            .OrderBy(t => t.Id).Take(PageSize).ToListAsync(cancellationToken);
        foreach (var t in trades)
        {
            await bus.Publish(new TradeExecuted(t.Id, t.Symbol, Exact.Trim(t.Price), t.Quantity, t.Currency, t.BuyOrderId, t.SellOrderId,
                t.BuyAccountId, t.SellAccountId, Apis.TradeResponse.TradeAggressor(t.AggressorSide), t.ExecutedAt), cancellationToken);
        }
        if (trades.Count > 0)
        {
            tradesCursor.LastSequence = trades[^1].Id;
            count += trades.Count;
        }

        if (count > 0)
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        return count;
    }

    private static async Task<OutboxCursor> CursorAsync(TradSysDbContext db, string name, CancellationToken cancellationToken)
    {
        var cursor = await db.OutboxCursors.SingleOrDefaultAsync(c => c.Name == name, cancellationToken);
        if (cursor is null)
        {
            cursor = new OutboxCursor { Name = name, LastSequence = 0 };
            db.OutboxCursors.Add(cursor);
        }
        return cursor;
    }
}
