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
/// Publishes the committed order journal and trades to the bus (RabbitMQ in production), in journal order, at least once:
/// one <see cref="JournalCommitted"/> message for what the single writer committed in one batch, never a message per entry
/// (a message costs the bus far more than the entries in it).
///
/// What the single writer has just committed reaches it in memory (<see cref="OutboxSignal"/>) and is published from there;
/// whenever the in-memory hand-over does not follow on from what was published (at start-up, after the writer recovered, or
/// when the publisher fell behind and the hand-over was dropped) it catches up from the database, which holds everything
/// committed, then goes on from memory. Its position (the last journal sequence and trade id published) is kept in
/// <c>outbox_cursors</c>, saved at most every <see cref="SaveEvery"/> and at shutdown: a crash re-publishes what came after
/// the last save (consumers de-duplicate on Sequence / TradeId), and nothing committed is ever skipped. In a cluster only the
/// node that writes the books publishes (issue 18).
/// </summary>
public sealed class OutboxPublisher : BackgroundService
{
    public const string OrderEventsCursor = "order-events";
    public const string TradesCursor = "trades";
    private const int PageSize = 500;

    /// <summary>
    /// How long one message may take to publish before the attempt counts as failed and is made again from the database. After
    /// a RabbitMQ restart a publish can wait for its confirmation forever (RabbitMQ.Client 7.2: rabbitmq-dotnet-client issue
    /// 1930); the cluster's bus drill once saw the outbox stand still for over a minute (issue 18).
    /// </summary>
    public static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(10);

    /// <summary>How often a standby looks whether its node leads now.</summary>
    private static readonly TimeSpan StandbyPoll = TimeSpan.FromMilliseconds(250);

    /// <summary>How often the position is saved while publishing.</summary>
    public static readonly TimeSpan SaveEvery = TimeSpan.FromMilliseconds(500);

    private long _events = -1;
    private long _trades = -1;
    private long _messages;
    private int _failures;
    private string? _lastFailure;
    private long _savedEvents = -1;
    private long _savedTrades = -1;
    private long _lastSave;
    private readonly IServiceScopeFactory scopes;
    private readonly OutboxSignal signal;
    private readonly OrderWriter writer;
    private readonly ILogger<OutboxPublisher> log;

    public OutboxPublisher(IServiceScopeFactory scopes, OutboxSignal signal, OrderWriter writer, Observability.PlatformMetrics metrics,
        ILogger<OutboxPublisher> log)
    {
        this.scopes = scopes;
        this.signal = signal;
        this.writer = writer;
        this.log = log;
        metrics.ObserveOutbox(() => Lag);
    }

    /// <summary>
    /// Journal entries the single writer has committed and this publisher has not yet published (any thread): everything
    /// committed while the publisher has not read its saved position yet.
    /// </summary>
    /// <remarks>0 on a standby of a cluster: it publishes nothing, and its writer's figures are those of an earlier term.</remarks>
    public long Lag => writer.Leads ? LagOf(writer.CommittedSequence, PublishedSequence) : 0;

    /// <summary>The lag between the last committed and the last published journal sequence (-1: not read yet, all of it).</summary>
    public static long LagOf(long committed, long published) => published < 0 ? committed : Math.Max(0, committed - published);

    /// <summary>The last journal sequence published; -1 until the publisher has read its saved position (any thread).</summary>
    public long PublishedSequence => Volatile.Read(ref _events);

    /// <summary><see cref="Contracts.JournalCommitted"/> messages published since start (any thread).</summary>
    public long Messages => Interlocked.Read(ref _messages);

    /// <summary>Failed attempts since the last one that worked (any thread); 0 while publishing works.</summary>
    public int ConsecutiveFailures => Volatile.Read(ref _failures);

    /// <summary>What the last failed attempt said, while <see cref="ConsecutiveFailures"/> is above 0 (any thread).</summary>
    public string? LastFailure => Volatile.Read(ref _lastFailure);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        var catchUp = true;
        while (!stoppingToken.IsCancellationRequested)
        {
            if (!writer.Leads)
            {
                // A standby of a cluster publishes nothing: the node that writes the books does. Should this node lead later,
                // it starts again from the position saved in the database (duplicates at worst, which consumers drop).
                while (signal.TryTake(out _))
                {
                }
                Volatile.Write(ref _events, -1);
                _trades = -1;
                catchUp = true;
                await Task.Delay(StandbyPoll, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                continue;
            }
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var bus = scope.ServiceProvider.GetRequiredService<IPublishEndpoint>();
                var feed = scope.ServiceProvider.GetService<Portal.Services.OrderUpdateFeed>();
                if (_events < 0)
                {
                    await LoadPositionAsync(scope.ServiceProvider.GetRequiredService<TradSysDbContext>(), stoppingToken);
                }
                if (catchUp)
                {
                    var published = await PublishFromDatabaseAsync(scope.ServiceProvider.GetRequiredService<TradSysDbContext>(), bus, feed, stoppingToken);
                    catchUp = published == PageSize;
                }
                while (!catchUp && signal.TryTake(out var journal))
                {
                    catchUp = !await PublishAsync(journal, bus, feed, stoppingToken);
                }
                await SaveIfDueAsync(scope, force: false, stoppingToken);
                failures = 0;
                Volatile.Write(ref _failures, 0);
                Volatile.Write(ref _lastFailure, null);
                if (!catchUp && !await signal.WaitAsync(TimeSpan.FromSeconds(1), stoppingToken))
                {
                    // Nothing handed over for a second: look in the database (a batch the hand-over dropped, a missed wake-up).
                    catchUp = true;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                failures++;
                Volatile.Write(ref _failures, failures);
                Volatile.Write(ref _lastFailure, ex.Message);
                catchUp = true;
                var delay = TimeSpan.FromMilliseconds(Math.Min(30_000, 250 * Math.Pow(2, Math.Min(failures, 7))));
                log.LogWarning(ex, "Publishing the order journal failed (attempt {Attempt}); retrying in {Delay}", failures, delay);
                await Task.Delay(delay, stoppingToken);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await SaveIfDueAsync(scope, force: true, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The next start re-publishes from the last saved position: duplicates, never a gap.
            log.LogWarning(ex, "The outbox position could not be saved at shutdown; the next start re-publishes from the last saved one");
        }
    }

    /// <summary>
    /// Publishes a batch handed over in memory. False when it does not follow on from what was published (the caller then
    /// catches up from the database); the parts already published (read from the database meanwhile) are skipped.
    /// </summary>
    private async Task<bool> PublishAsync(CommittedJournal journal, IPublishEndpoint bus, Portal.Services.OrderUpdateFeed? feed,
        CancellationToken cancellationToken)
    {
        if (journal.Events.Count > 0 && journal.Events[0].Sequence > _events + 1 ||
            journal.Trades.Count > 0 && journal.Trades[0].Id > _trades + 1)
        {
            return false;
        }
        await PublishAsync(journal.Events, journal.Orders, journal.Trades, bus, feed, cancellationToken);
        return true;
    }

    /// <summary>Publishes one page of each stream from the database; returns the larger page's size.</summary>
    private async Task<int> PublishFromDatabaseAsync(TradSysDbContext db, IPublishEndpoint bus, Portal.Services.OrderUpdateFeed? feed,
        CancellationToken cancellationToken)
    {
        // The three reads see one snapshot: a batch committed between them would otherwise put its trade in a message without
        // its journal entries (read before the commit), and the message would not be the committed batch it claims to be.
        List<OrderEventRecord> events;
        Dictionary<long, OrderRecord> orders;
        List<TradeRecord> trades;
        await using (var snapshot = await db.Database.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken))
        {
            var after = _events;
            events = await db.OrderEvents.AsNoTracking().Where(e => e.Sequence > after)
                .OrderBy(e => e.Sequence).Take(PageSize).ToListAsync(cancellationToken);
            var ids = events.Select(e => e.OrderId).Distinct().ToList();
            orders = ids.Count == 0
                ? []
                : await db.Orders.AsNoTracking().Where(o => ids.Contains(o.Id)).ToDictionaryAsync(o => o.Id, cancellationToken);
            var afterTrade = _trades;
            trades = await db.Trades.AsNoTracking().Where(t => t.Id > afterTrade).OrderBy(t => t.Id).Take(PageSize).ToListAsync(cancellationToken);
            await snapshot.CommitAsync(cancellationToken);
        }
        await PublishAsync(events, orders, trades, bus, feed, cancellationToken);
        return Math.Max(events.Count, trades.Count);
    }

    /// <summary>
    /// Publishes the entries and trades past the position as <see cref="JournalCommitted"/> messages of at most
    /// <see cref="JournalCommitted.MaxEntries"/> each (one message for a writer's batch of ordinary size), in order, moving
    /// the position after each message.
    /// </summary>
    private async Task PublishAsync(IReadOnlyList<OrderEventRecord> events, IReadOnlyDictionary<long, OrderRecord> orders,
        IReadOnlyList<TradeRecord> trades, IPublishEndpoint bus, Portal.Services.OrderUpdateFeed? feed, CancellationToken cancellationToken)
    {
        var message = new Message();
        foreach (var e in events)
        {
            if (e.Sequence > _events && e.Sequence > message.LastSequence)
            {
                message.Add(ToContract(e, orders[e.OrderId]), e.Sequence);
                if (message.Full)
                {
                    await PublishAsync(message, bus, feed, cancellationToken);
                    message = new Message();
                }
            }
        }
        foreach (var t in trades)
        {
            if (t.Id > _trades && t.Id > message.LastTradeId)
            {
                message.Add(ToContract(t), t.Id);
                if (message.Full)
                {
                    await PublishAsync(message, bus, feed, cancellationToken);
                    message = new Message();
                }
            }
        }
        await PublishAsync(message, bus, feed, cancellationToken);
    }

    private async Task PublishAsync(Message message, IPublishEndpoint bus, Portal.Services.OrderUpdateFeed? feed, CancellationToken cancellationToken)
    {
        if (message.Empty)
        {
            return;
        }
        using (var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            attempt.CancelAfter(PublishTimeout);
            try
            {
                await bus.Publish(new JournalCommitted(message.Updates, message.Trades), attempt.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"the bus did not take a JournalCommitted message within {PublishTimeout.TotalSeconds:0} s; " +
                    "publishing again from the database");
            }
        }
        // The portal's open blotters and the WebSocket gateway on this node hear of each update and trade too (in process, after the bus has it).
        foreach (var update in message.Updates)
        {
            feed?.Publish(update);
        }
        foreach (var trade in message.Trades)
        {
            feed?.Publish(trade);
        }
        Interlocked.Increment(ref _messages);
        Volatile.Write(ref _events, Math.Max(_events, message.LastSequence));
        _trades = Math.Max(_trades, message.LastTradeId);
    }

    /// <summary>A journal entry as published (also what the WebSocket gateway replays from the journal).</summary>
    internal static OrderUpdated ToContract(OrderEventRecord e, OrderRecord o) =>
        new(e.Sequence, e.OrderId, o.ClientOrderId, o.AccountId, o.Symbol, o.Side.ToString(), e.Kind.ToString(), e.Status.ToString(),
            Exact.Trim(e.Price), e.Quantity, e.FilledQuantity, e.LeavesQuantity, e.TradeId, Exact.Trim(e.FillPrice), e.FillQuantity,
            e.Reason, e.Timestamp);

    private static TradeExecuted ToContract(TradeRecord t) =>
        new(t.Id, t.Symbol, Exact.Trim(t.Price), t.Quantity, t.Currency, t.BuyOrderId, t.SellOrderId, t.BuyAccountId, t.SellAccountId,
            TradeResponse.TradeAggressor(t.AggressorSide), t.ExecutedAt);

    /// <summary>One <see cref="JournalCommitted"/> being filled, with the position it takes the publisher to.</summary>
    private sealed class Message
    {
        public List<OrderUpdated> Updates { get; } = [];
        public List<TradeExecuted> Trades { get; } = [];
        public long LastSequence { get; private set; } = -1;
        public long LastTradeId { get; private set; } = -1;
        public bool Empty => Updates.Count == 0 && Trades.Count == 0;
        public bool Full => Updates.Count + Trades.Count >= JournalCommitted.MaxEntries;

        public void Add(OrderUpdated update, long sequence)
        {
            Updates.Add(update);
            LastSequence = sequence;
        }

        public void Add(TradeExecuted trade, long id)
        {
            Trades.Add(trade);
            LastTradeId = id;
        }
    }

    private async Task LoadPositionAsync(TradSysDbContext db, CancellationToken cancellationToken)
    {
        var cursors = await db.OutboxCursors.AsNoTracking().ToDictionaryAsync(c => c.Name, c => c.LastSequence, cancellationToken);
        _events = _savedEvents = cursors.GetValueOrDefault(OrderEventsCursor);
        _trades = _savedTrades = cursors.GetValueOrDefault(TradesCursor);
        _lastSave = Environment.TickCount64;
    }

    private async Task SaveIfDueAsync(AsyncServiceScope scope, bool force, CancellationToken cancellationToken)
    {
        if (_events < 0 || _events == _savedEvents && _trades == _savedTrades ||
            !force && Environment.TickCount64 - _lastSave < SaveEvery.TotalMilliseconds)
        {
            return;
        }
        var db = scope.ServiceProvider.GetRequiredService<TradSysDbContext>();
        await SaveAsync(db, OrderEventsCursor, _events, cancellationToken);
        await SaveAsync(db, TradesCursor, _trades, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        (_savedEvents, _savedTrades, _lastSave) = (_events, _trades, Environment.TickCount64);
    }

    private static async Task SaveAsync(TradSysDbContext db, string name, long position, CancellationToken cancellationToken)
    {
        var cursor = await db.OutboxCursors.SingleOrDefaultAsync(c => c.Name == name, cancellationToken);
        if (cursor is null)
        {
            db.OutboxCursors.Add(new OutboxCursor { Name = name, LastSequence = position });
        }
        else
        {
            cursor.LastSequence = position;
        }
    }
}
