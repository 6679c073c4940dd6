using System.Threading.Channels;
using TradSys.Engine.Auctions;
using Microsoft.EntityFrameworkCore;
using TradSys.Rules.Evaluation;
using TradSys.Rules.Packs;
using TradSys.Web.Auditing;
using TradSys.Web.Ordering.Rules;
using TradSys.Web.Persistence;
using TradSys.Web.Persistence.Entities;
using TradSys.Web.ReferenceData;
using TradSys.Web.Workflows;
using TradSys.Workflows;
using TradSys.Workflows.Definitions;
using TradSys.Workflows.Runtime;

namespace TradSys.Web.Ordering;

/// <summary>
/// The single writer of the order path: match and journal.
///
/// Commands from every request thread queue here and are taken in batches. Each batch is applied to
/// the matching engine in arrival order, then everything it changed (orders, journal entries, trades,
/// audit records) is written in ONE transaction (group commit), and only then is each caller answered.
/// So a caller that hears "accepted" can rely on it being durable. If the write fails, nobody in the
/// batch is answered with success and the engine is rebuilt from the database, which still holds the
/// last committed state.
///
/// Idempotency by (account, client order id) is decided here, against the database and the batch,
/// so two concurrent submissions of the same order can never both be created.
///
/// Every new order passes the rule packs here (<see cref="RulesStage"/>), after re-validation and before the
/// engine, with the batch's timestamp and aggregates that already include every earlier command of the batch:
/// Block stores it Rejected with the rules' reasons; every other outcome goes to the workflow stage
/// (<see cref="OrderWorkflowStage"/>), whose definitions send it straight on to the engine (nothing stored beyond the
/// order's journal) or hold it PendingReview out of the engine with a workflow instance stored in the same transaction
/// (a Review outcome, a large order). The decision is written with the order in the same transaction. The writer owns
/// the open order instances: task decisions and timers (<see cref="WorkflowTaskCommand"/>, <see cref="WorkflowTimerCommand"/>)
/// run here, so releasing or rejecting the held order and recording the instance's change are one transaction.
/// An amendment that raises the quantity or moves a price passes the packs again, as the rest of the order it would
/// leave (<see cref="RulesStage.DecideAmendment"/>): Block or Review refuses the amendment and the order keeps its
/// terms; the decision goes into the audit trail either way.
/// </summary>
public sealed class OrderSequencer : BackgroundService
{
    private const int MaxBatch = 512;

    private readonly IServiceScopeFactory _scopes;
    private readonly ReferenceDataCache _referenceData;
    private readonly AuditTrail _audit;
    private readonly OutboxSignal _outbox;
    private readonly Messaging.MarketDataPublisher _marketData;
    private readonly MarketDataTracker _marketDataTracker;
    private readonly MarketClock _clock;
    private readonly ILogger<OrderSequencer> _log;
    private readonly Channel<Pending> _queue = Channel.CreateBounded<Pending>(
        new BoundedChannelOptions(QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly TradingPhases _phases;
    private readonly RuleAggregates _aggregates;
    private readonly RulesStage _rules;
    private readonly OrderWorkflowStage _workflows;
    private readonly List<RuleDecisionRecord> _decisions = [];
    private readonly Dictionary<long, string> _creditCurrency = [];
    private Dictionary<long, OrderRecord> _held = [];
    private Dictionary<long, Account> _batchAccounts = [];
    private Dictionary<string, Instrument> _batchInstruments = new(StringComparer.Ordinal);

    private JournalRecorder _recorder;
    private MatchingEngine _engine;
    private long _nextOrderId = 1;
    private bool _needsRecovery;

    public OrderSequencer(IServiceScopeFactory scopes, ReferenceDataCache referenceData, AuditTrail audit,
        OutboxSignal outbox, MarketClock clock, Messaging.MarketDataPublisher marketData, RuleEvaluator ruleEvaluator, ILogger<OrderSequencer> log,
        WorkflowRuntime workflowRuntime, IWorkflowTimers workflowTimers, IWorkflowNotifier workflowNotifier)
    {
        _workflows = new OrderWorkflowStage(workflowRuntime, referenceData, workflowTimers, workflowNotifier);
        _aggregates = new RuleAggregates(referenceData);
        _rules = new RulesStage(ruleEvaluator, referenceData, _aggregates);
        _marketData = marketData;
        _marketDataTracker = new MarketDataTracker(referenceData);
        _scopes = scopes;
        _referenceData = referenceData;
        _audit = audit;
        _outbox = outbox;
        _clock = clock;
        _log = log;
        _recorder = new JournalRecorder(referenceData);
        _engine = new MatchingEngine(_recorder, 1);
        _phases = new TradingPhases(referenceData);
    }

    /// <summary>The closing (last) price orders must carry in trade-at-close or trade-at-last; zero in other phases. Any thread.</summary>
    public Price FixedPrice(InstrumentId instrument) => _phases.FixedPrice(instrument);

    /// <summary>Commands waiting for the writer (any thread; for the health check).</summary>
    public int QueueDepth => _queue.Reader.Count;

    /// <summary>The queue's capacity: a caller waits when it is full.</summary>
    public const int QueueCapacity = 65_536;

    /// <summary>False while the journal could not be written and the writer refuses commands until it recovers (any thread).</summary>
    public bool JournalAvailable => !Volatile.Read(ref _needsRecovery);

    /// <summary>True once the writer's loop has ended (shutdown or a fault): no command will be carried out.</summary>
    public bool Stopped => ExecuteTask is { IsCompleted: true };

    /// <summary>Queues a command and waits for its durable result.</summary>
    /// <exception cref="JournalUnavailableException">The journal could not be written; nothing was done.</exception>
    public async Task<SequencerResult> SendAsync(SequencerCommand command, CancellationToken cancellationToken)
    {
        var pending = new Pending(command);
        try
        {
            await _queue.Writer.WriteAsync(pending, cancellationToken);
        }
        catch (ChannelClosedException)
        {
            throw new JournalUnavailableException("the platform is shutting down; the command was not carried out");
        }
        // Once queued the command will be decided; its outcome does not depend on the caller still waiting.
        return await pending.Completion.Task;
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await RecoverAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = _queue.Reader;
        var batch = new List<Pending>(MaxBatch);
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < MaxBatch && reader.TryRead(out var pending))
                {
                    batch.Add(pending);
                }
                await ProcessBatchAsync(batch, stoppingToken);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: whatever is still queued was never acknowledged.
        }
        _queue.Writer.TryComplete();
        foreach (var pending in batch)
        {
            pending.Completion.TrySetException(new JournalUnavailableException("the platform is shutting down; the command was not carried out"));
        }
        while (reader.TryRead(out var pending))
        {
            pending.Completion.TrySetException(new JournalUnavailableException("the platform is shutting down; the command was not carried out"));
        }
    }

    private async Task ProcessBatchAsync(List<Pending> batch, CancellationToken cancellationToken)
    {
        if (_needsRecovery)
        {
            try
            {
                await RecoverAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                _log.LogError(ex, "The order journal is still unavailable; refusing {Count} commands", batch.Count);
                FailAll(batch, ex);
                return;
            }
        }

        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TradSysDbContext>();
        var results = new SequencerResult[batch.Count];
        var auditEntries = new List<AuditEntry>(batch.Count);
        List<object> marketData = [];
        try
        {
            var existing = await LoadExistingClientOrderIdsAsync(db, batch, cancellationToken);
            await LoadRuleSubjectsAsync(db, batch, cancellationToken);
            var now = AuditTrail.Truncate(_clock.UtcNow);
            // Phase changes first (an uncross at 10:00 comes before the batch's orders), journaled in this transaction.
            _recorder.BeginCommand();
            var touched = new HashSet<InstrumentId>(_phases.Sync(_engine, _recorder, now, auditEntries));
            for (var i = 0; i < batch.Count; i++)
            {
                results[i] = Apply(batch[i].Command, now, existing, auditEntries);
                UpdateAggregates();
            }
            touched.UnionWith(_phases.OnSuspensions(_recorder, auditEntries));
            foreach (var order in _recorder.Changed)
            {
                touched.Add(_referenceData.Get(order.Symbol).Spec.Id);
            }
            marketData = _marketDataTracker.Updates(touched, _engine, _recorder, now.Ticks);
            await _phases.PersistAsync(db, cancellationToken);
            // The engine says nothing when an iceberg shows its next slice; read the slices so a restart rebuilds them exactly.
            foreach (var order in _recorder.Changed)
            {
                if (order.DisplayQuantity is not null)
                {
                    order.DisplayedQuantity = order.IsWorking && _engine.TryGetOrder(order.Id, out var view) ? view.Displayed.Raw : null;
                }
            }

            var added = new HashSet<OrderRecord>(_recorder.Added, ReferenceEqualityComparer.Instance);
            db.Orders.AddRange(_recorder.Added);
            foreach (var order in _recorder.Changed)
            {
                if (!added.Contains(order))
                {
                    db.Orders.Update(order);
                }
            }
            db.OrderEvents.AddRange(_recorder.Events);
            db.Trades.AddRange(_recorder.Trades);
            db.RuleDecisions.AddRange(_decisions);
            await _workflows.StageAsync(db, cancellationToken);
            await _audit.SaveWithAsync(db, auditEntries, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _log.LogError(ex, "Writing the order journal failed; {Count} commands refused, rebuilding the books from the database", batch.Count);
            FailAll(batch, ex);
            _marketDataTracker.Discard();
            _decisions.Clear();
            _workflows.Clear();
            Volatile.Write(ref _needsRecovery, true);
            return;
        }

        _decisions.Clear();
        _recorder.EndBatch();
        _phases.Committed();
        _workflows.Committed();
        for (var i = 0; i < batch.Count; i++)
        {
            batch[i].Completion.TrySetResult(results[i]);
        }
        _outbox.Notify();
        _marketDataTracker.Commit();
        _marketData.Enqueue(marketData);
    }

    private static void FailAll(List<Pending> batch, Exception cause)
    {
        foreach (var pending in batch)
        {
            pending.Completion.TrySetException(
                new JournalUnavailableException("the order journal could not be written; the command was not carried out", cause));
        }
    }

    private static async Task<Dictionary<(long, string), OrderRecord>> LoadExistingClientOrderIdsAsync(
        TradSysDbContext db, List<Pending> batch, CancellationToken cancellationToken)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pending in batch)
        {
            if (pending.Command is SubmitCommand submit)
            {
                ids.Add(submit.ClientOrderId);
            }
        }
        var found = new Dictionary<(long, string), OrderRecord>();
        if (ids.Count == 0)
        {
            return found;
        }
        var list = ids.ToList();
        foreach (var order in await db.Orders.AsNoTracking().Where(o => list.Contains(o.ClientOrderId)).ToListAsync(cancellationToken))
        {
            found[(order.AccountId, order.ClientOrderId)] = order;
        }
        return found;
    }

    private SequencerResult Apply(SequencerCommand command, DateTime now, Dictionary<(long, string), OrderRecord> existing,
        List<AuditEntry> audit)
    {
        _recorder.BeginCommand();
        var timestamp = now.Ticks;
        switch (command)
        {
            case SubmitCommand s:
            {
                if (existing.TryGetValue((s.AccountId, s.ClientOrderId), out var prior))
                {
                    return new SequencerResult(SameTerms(prior, s) ? SequencerOutcome.Duplicate : SequencerOutcome.DuplicateMismatch,
                        prior.Snapshot(), []);
                }
                // Re-validated at the journal's own timestamp: the pre-trade check ran a moment earlier, and a
                // session boundary may have passed since. Nothing is created when this refuses.
                var spec = _referenceData.Get(s.Instrument.Id).Spec;
                var submit = new SubmitOrder(0, s.Instrument.Id, s.AccountId, s.Side, s.Type, s.TimeInForce, s.Price, s.Quantity, timestamp,
                    s.StopPrice, s.DisplayQuantity, s.ExpireAt, s.SelfTradePrevention);
                var refusal = OrderValidator.Validate(submit, spec, spec.Venue.PhaseAt(timestamp), _phases.FixedPrice(spec.Id));
                if (refusal != RejectCode.None)
                {
                    return new SequencerResult(SequencerOutcome.Invalid, null, [], refusal);
                }
                var order = NewOrderRecord(s, _nextOrderId++, now);
                _recorder.Added.Add(order);
                existing[(s.AccountId, s.ClientOrderId)] = order;
                var decision = Decide(s, order, now);
                order.RuleOutcome = decision.Outcome;
                _decisions.Add(decision.ToRecord(order.Id));
                switch (decision.Outcome)
                {
                    case nameof(RuleOutcome.Block):
                        _recorder.RecordHostRejection(order, RejectCode.BlockedByRule, decision.BlockSummary(), timestamp);
                        break;
                    default:
                        RouteThroughWorkflow(s, order, decision, submit, now);
                        break;
                }
                audit.Add(new AuditEntry(now, s.Actor, "order.submitted", $"order/{order.Id}", AuditTrail.Serialize(new
                {
                    order.AccountId, order.ClientOrderId, order.Symbol, side = order.Side.ToString(), type = order.Type.ToString(),
                    order.Price, order.Quantity, status = order.Status.ToString(), order.RejectCode, rules = decision.Outcome,
                })));
                return new SequencerResult(SequencerOutcome.Created, order.Snapshot(), [.. _recorder.CommandTrades], Decision: decision);
            }
            case CheckOrderCommand c:
                return Check(c, now);
            case ModifyCommand m:
            {
                if (!_recorder.Live.TryGetValue(m.OrderId, out var order) || !order.IsWorking)
                {
                    return new SequencerResult(SequencerOutcome.Refused, order?.Snapshot(), [], RejectCode.OrderNotActive);
                }
                var instrument = _referenceData.Get(order.Symbol);
                var spec = instrument.Spec;
                var phase = spec.Venue.PhaseAt(timestamp);
                var refusal = order.IsPendingStop
                    ? OrderValidator.ValidateStopModify(order.Type, m.NewPrice, m.NewQuantity, m.NewStopPrice, spec, phase)
                    : m.NewStopPrice.Raw != 0 ? RejectCode.StopPriceNotAllowed
                    : OrderValidator.ValidateModify(m.NewPrice, m.NewQuantity, spec, phase, _phases.FixedPrice(spec.Id));
                if (refusal != RejectCode.None)
                {
                    return new SequencerResult(SequencerOutcome.Invalid, order.Snapshot(), [], refusal);
                }
                // The amended order goes back to the packs (unless the amend only lowers the quantity), before the engine sees it.
                var decision = RulesStage.AmendmentNeedsRules(order, m.NewPrice, m.NewQuantity, m.NewStopPrice, instrument.Decimals)
                    ? DecideAmendment(order, instrument, m, now)
                    : null;
                if (decision is { Outcome: nameof(RuleOutcome.Block) or nameof(RuleOutcome.Review) })
                {
                    var code = decision.Outcome == nameof(RuleOutcome.Block) ? RejectCode.BlockedByRule : RejectCode.AmendmentNeedsReview;
                    audit.Add(new AuditEntry(now, m.Actor, "order.amend_refused", $"order/{order.Id}", AuditTrail.Serialize(new
                    {
                        price = m.NewPrice.Raw != 0 ? m.NewPrice.ToDecimal(instrument.Decimals) : (decimal?)null,
                        quantity = m.NewQuantity.Raw, rejectCode = (int)code, rules = decision,
                    })));
                    return new SequencerResult(SequencerOutcome.AmendRefusedByRules, order.Snapshot(), [], code, Decision: decision);
                }
                _engine.Modify(new ModifyOrder(m.OrderId, m.NewPrice, m.NewQuantity, timestamp, m.NewStopPrice));
                if (_recorder.CommandReject != RejectCode.None)
                {
                    return new SequencerResult(SequencerOutcome.Refused, order.Snapshot(), [], _recorder.CommandReject);
                }
                if (decision is not null)
                {
                    _aggregates.NoteShortNotifications(order.AccountId, order.Symbol, decision);
                }
                audit.Add(new AuditEntry(now, m.Actor, "order.amended", $"order/{order.Id}", AuditTrail.Serialize(new
                {
                    order.Price, order.StopPrice, order.Quantity, order.FilledQuantity, status = order.Status.ToString(), rules = decision,
                })));
                return new SequencerResult(SequencerOutcome.Modified, order.Snapshot(), [.. _recorder.CommandTrades], Decision: decision);
            }
            case CancelCommand c when _held.TryGetValue(c.OrderId, out var held):
            {
                _recorder.RecordHeldCanceled(held, "canceled on request while held for review", timestamp);
                _held.Remove(held.Id);
                CloseHeldWorkflow(held.Id, WorkflowCompiler.CancelTrigger, c.Actor, "the trader canceled the order", now);
                audit.Add(new AuditEntry(now, c.Actor, "order.canceled", $"order/{held.Id}", AuditTrail.Serialize(new
                {
                    held.FilledQuantity, status = held.Status.ToString(), heldForReview = true,
                })));
                return new SequencerResult(SequencerOutcome.Canceled, held.Snapshot(), []);
            }
            case RejectHeldOrderCommand r:
            {
                var rejected = RejectHeld(r.OrderId, r.Actor, r.Reason, now, audit);
                if (rejected.Outcome == SequencerOutcome.Canceled)
                {
                    CloseHeldWorkflow(r.OrderId, WorkflowCompiler.CancelTrigger, r.Actor, $"rejected in review: {r.Reason}", now);
                }
                return rejected;
            }
            case ReleaseHeldOrderCommand r:
            {
                var released = ReleaseHeld(r, now, audit);
                if (released.Outcome == SequencerOutcome.Released)
                {
                    CloseHeldWorkflow(r.OrderId, WorkflowCompiler.CancelTrigger, r.Actor, $"released outside the workflow: {r.Reason}", now);
                }
                return released;
            }
            case WorkflowTaskCommand w:
                return ApplyWorkflowTask(w, now, audit);
            case WorkflowTimerCommand t:
            {
                if (_workflows.Find(t.InstanceId) is not { } live)
                {
                    return new SequencerResult(SequencerOutcome.WorkflowNotFound, null, []);
                }
                var work = live.Clone();
                return Settle(live, work, _workflows.Runtime.OnTimer(work, t.Timer, t.StateEnteredSequence, now), t.Actor, "workflow.timer", now, audit);
            }
            case CancelCommand c:
            {
                if (!_recorder.Live.TryGetValue(c.OrderId, out var order) || !order.IsWorking)
                {
                    return new SequencerResult(SequencerOutcome.Refused, order?.Snapshot(), [], RejectCode.OrderNotActive);
                }
                _engine.Cancel(new CancelOrder(c.OrderId, timestamp));
                if (_recorder.CommandReject != RejectCode.None)
                {
                    return new SequencerResult(SequencerOutcome.Refused, order.Snapshot(), [], _recorder.CommandReject);
                }
                audit.Add(new AuditEntry(now, c.Actor, "order.canceled", $"order/{order.Id}", AuditTrail.Serialize(new
                {
                    order.FilledQuantity, status = order.Status.ToString(),
                })));
                return new SequencerResult(SequencerOutcome.Canceled, order.Snapshot(), []);
            }
            case ExpireDayOrdersCommand x:
                return new SequencerResult(SequencerOutcome.Expired, null, [], Count: ExpireDayOrders(x, now, audit));
            case MassCancelCommand mc:
            {
                foreach (var accountId in mc.AccountIds)
                {
                    _engine.MassCancel(new MassCancel(accountId, mc.Instrument, timestamp));
                }
                var symbol = mc.Instrument is { } only ? _referenceData.Get(only).Row.Symbol : null;
                foreach (var held in _held.Values.Where(h => mc.AccountIds.Contains(h.AccountId) && (symbol is null || h.Symbol == symbol)).ToList())
                {
                    _recorder.RecordHeldCanceled(held, "canceled on request (mass cancel) while held for review", timestamp);
                    _held.Remove(held.Id);
                    CloseHeldWorkflow(held.Id, WorkflowCompiler.CancelTrigger, mc.Actor, "the trader canceled the order (mass cancel)", now);
                }
                var ids = _recorder.CommandCanceled.ToArray();
                audit.Add(new AuditEntry(now, mc.Actor, "orders.mass_canceled",
                    mc.Instrument is { } instrument ? $"instrument/{_referenceData.Get(instrument).Row.Symbol}" : "accounts",
                    AuditTrail.Serialize(new { accounts = mc.AccountIds, canceled = ids })));
                return new SequencerResult(SequencerOutcome.MassCanceled, null, [], Count: ids.Length, OrderIds: ids);
            }
            case QuoteQuery q:
            {
                var indicative = _engine.TryGetIndicative(q.Instrument, out var equilibrium) ? equilibrium : (AuctionEquilibrium?)null;
                return new SequencerResult(SequencerOutcome.QuoteRead, null, [], Quote: _recorder.Level1(q.Instrument, _engine, timestamp),
                    Phase: TradingPhases.PhaseName(_engine, _referenceData.Get(q.Instrument), timestamp), Indicative: indicative);
            }
            case AdvancePhasesCommand:
                // The phases were brought in line at the start of this batch.
                return new SequencerResult(SequencerOutcome.PhasesAdvanced, null, [], Count: _phases.LastTransitions);
            case DepthQuery d:
            {
                var levels = Math.Clamp(d.Levels, 1, 100);
                var bids = new DepthLevel[levels];
                var asks = new DepthLevel[levels];
                var bidCount = _engine.GetDepth(d.Instrument, Side.Buy, bids);
                var askCount = _engine.GetDepth(d.Instrument, Side.Sell, asks);
                return new SequencerResult(SequencerOutcome.DepthRead, null, [],
                    Depth: new DepthView(bids[..bidCount], asks[..askCount]));
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name, "unknown sequencer command");
        }
    }

    private int ExpireDayOrders(ExpireDayOrdersCommand command, DateTime now, List<AuditEntry> audit)
    {
        var nowTicks = now.Ticks;
        var due = new List<(OrderRecord Order, string Reason)>();
        foreach (var order in _recorder.Live.Values)
        {
            if (!order.IsWorking)
            {
                continue;
            }
            var venue = _referenceData.Get(order.Symbol).Spec.Venue;
            if (order.TimeInForce == TimeInForce.Day &&
                (venue.PhaseAt(nowTicks) == MarketPhase.Closed ||
                 DateOnly.FromDateTime(venue.ToVenueLocal(nowTicks)) != DateOnly.FromDateTime(venue.ToVenueLocal(order.CreatedAt.Ticks))))
            {
                due.Add((order, $"expired: DAY order, the {venue.Code} trading day it was entered on is over"));
            }
            else if (order.TimeInForce == TimeInForce.Gtd && order.ExpireAt <= now)
            {
                due.Add((order, $"expired: GTD order, its expiry {order.ExpireAt:O} has passed"));
            }
        }
        // Held orders expire too (the engine never had them): a DAY order held past its trading day no longer applies.
        foreach (var order in _held.Values.ToList())
        {
            var venue = _referenceData.Get(order.Symbol).Spec.Venue;
            var over = order.TimeInForce == TimeInForce.Day
                ? venue.PhaseAt(nowTicks) == MarketPhase.Closed ||
                  DateOnly.FromDateTime(venue.ToVenueLocal(nowTicks)) != DateOnly.FromDateTime(venue.ToVenueLocal(order.CreatedAt.Ticks))
                : order.TimeInForce == TimeInForce.Gtd && order.ExpireAt <= now;
            if (over)
            {
                var reason = $"expired while held for review: its {order.TimeInForce} validity ended";
                _recorder.RecordHeldCanceled(order, reason, nowTicks);
                _held.Remove(order.Id);
                CloseHeldWorkflow(order.Id, "expire", command.Actor, reason, now);
                audit.Add(new AuditEntry(now, command.Actor, "order.expired", $"order/{order.Id}", AuditTrail.Serialize(new
                {
                    order.AccountId, order.Symbol, order.FilledQuantity, reason,
                })));
            }
        }
        var expired = due.Count + _recorder.CommandCanceled.Count;
        foreach (var (order, reason) in due)
        {
            _recorder.CancelReasonOverride = reason;
            _engine.Cancel(new CancelOrder(order.Id, nowTicks, CancelReason.Expired));
            _recorder.CancelReasonOverride = null;
            audit.Add(new AuditEntry(now, command.Actor, "order.expired", $"order/{order.Id}", AuditTrail.Serialize(new
            {
                order.AccountId, order.Symbol, order.FilledQuantity, reason,
            })));
        }
        return expired;
    }

    /// <summary>Reads the account and instrument rows the batch's new and amended orders need (and held orders being released): two queries per batch.</summary>
    private async Task LoadRuleSubjectsAsync(TradSysDbContext db, List<Pending> batch, CancellationToken cancellationToken)
    {
        var accountIds = new HashSet<long>();
        var symbols = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pending in batch)
        {
            switch (pending.Command)
            {
                case SubmitCommand submit:
                    accountIds.Add(submit.AccountId);
                    symbols.Add(submit.Instrument.Symbol);
                    break;
                case CheckOrderCommand check:
                    accountIds.Add(check.Order.AccountId);
                    symbols.Add(check.Order.Instrument.Symbol);
                    break;
                case ModifyCommand modify when _recorder.Live.TryGetValue(modify.OrderId, out var live):
                    accountIds.Add(live.AccountId);
                    symbols.Add(live.Symbol);
                    break;
                case ReleaseHeldOrderCommand release when _held.TryGetValue(release.OrderId, out var held):
                    accountIds.Add(held.AccountId);
                    symbols.Add(held.Symbol);
                    break;
                case WorkflowTaskCommand task when _workflows.ForTask(task.TaskId) is { } instance &&
                                                   _held.TryGetValue(OrderWorkflowStage.OrderIdOf(instance), out var approved):
                    accountIds.Add(approved.AccountId);
                    symbols.Add(approved.Symbol);
                    break;
            }
        }
        if (accountIds.Count == 0)
        {
            _batchAccounts = [];
            _batchInstruments = new(StringComparer.Ordinal);
            return;
        }
        var ids = accountIds.ToList();
        var names = symbols.ToList();
        _batchAccounts = await db.Accounts.AsNoTracking().Where(a => ids.Contains(a.Id)).ToDictionaryAsync(a => a.Id, cancellationToken);
        _batchInstruments = await db.Instruments.AsNoTracking().Where(i => names.Contains(i.Symbol))
            .ToDictionaryAsync(i => i.Symbol, StringComparer.Ordinal, cancellationToken);
        foreach (var account in _batchAccounts.Values)
        {
            _creditCurrency[account.Id] = account.CreditCurrency;
        }
    }

    /// <summary>The order row a new order starts as (status New); the id is 0 for an order that is only checked.</summary>
    private static OrderRecord NewOrderRecord(SubmitCommand s, long id, DateTime now)
    {
        var terms = s.Terms ?? OrderTerms.None;
        return new OrderRecord
        {
            Id = id, ClientOrderId = s.ClientOrderId, AccountId = s.AccountId, UserId = s.UserId,
            ShortMarking = terms.ShortMarking, LocateId = terms.LocateId, UsesMargin = terms.UsesMargin, IsAdvised = terms.IsAdvised,
            CounterpartyLei = terms.CounterpartyLei, Uti = terms.Uti, IsCleared = terms.IsCleared, MarkupBps = terms.MarkupBps,
            MarkupDisclosed = terms.MarkupDisclosed,
            Symbol = s.Instrument.Symbol, Side = s.Side, Type = s.Type, TimeInForce = s.TimeInForce,
            Price = s.Type is OrderType.Limit or OrderType.StopLimit ? s.Price.ToDecimal(s.Instrument.PriceDecimals) : null,
            StopPrice = s.Type is OrderType.Stop or OrderType.StopLimit ? s.StopPrice.ToDecimal(s.Instrument.PriceDecimals) : null,
            DisplayQuantity = s.DisplayQuantity.Raw > 0 ? s.DisplayQuantity.Raw : null,
            ExpireAt = s.ExpireAt > 0 ? new DateTime(s.ExpireAt, DateTimeKind.Utc) : null,
            Quantity = s.Quantity.Raw, LeavesQuantity = s.Quantity.Raw, Status = OrderStatus.New,
            CreatedAt = now, UpdatedAt = now,
        };
    }

    /// <summary>The packs' decision on an order that is only checked: validated and decided as a submit would be; nothing is kept.</summary>
    private SequencerResult Check(CheckOrderCommand c, DateTime now)
    {
        var s = c.Order;
        var spec = _referenceData.Get(s.Instrument.Id).Spec;
        var submit = new SubmitOrder(0, s.Instrument.Id, s.AccountId, s.Side, s.Type, s.TimeInForce, s.Price, s.Quantity, now.Ticks,
            s.StopPrice, s.DisplayQuantity, s.ExpireAt, s.SelfTradePrevention);
        var refusal = OrderValidator.Validate(submit, spec, spec.Venue.PhaseAt(now.Ticks), _phases.FixedPrice(spec.Id));
        if (refusal != RejectCode.None)
        {
            return new SequencerResult(SequencerOutcome.Invalid, null, [], refusal);
        }
        var decision = Decide(s, NewOrderRecord(s, 0, now), now);
        return new SequencerResult(SequencerOutcome.Checked, null, [], Decision: decision);
    }

    /// <summary>The rules stage's decision on a new order, with the rows read for this batch.</summary>
    private StoredDecision Decide(SubmitCommand s, OrderRecord order, DateTime now)
    {
        if (!_batchAccounts.TryGetValue(s.AccountId, out var account) || !_batchInstruments.TryGetValue(s.Instrument.Symbol, out var row))
        {
            return StoredDecision.Refused($"account {s.AccountId} or instrument {s.Instrument.Symbol} is not in the database", now);
        }
        return _rules.Decide(s, order, account, row, _referenceData.Get(s.Instrument.Id), _engine, _recorder, now);
    }

    /// <summary>The rules stage's decision on an amendment of a working order, with the rows read for this batch.</summary>
    private StoredDecision DecideAmendment(OrderRecord order, TradableInstrument instrument, ModifyCommand m, DateTime now)
    {
        if (!_batchAccounts.TryGetValue(order.AccountId, out var account) || !_batchInstruments.TryGetValue(order.Symbol, out var row))
        {
            return StoredDecision.Refused($"account {order.AccountId} or instrument {order.Symbol} is not in the database", now);
        }
        return _rules.DecideAmendment(order, m.NewPrice, m.NewQuantity, m.NewStopPrice, account, row, instrument, _engine, _recorder, now);
    }

    private string CreditCurrency(long accountId) => _creditCurrency.GetValueOrDefault(accountId, "");

    /// <summary>Feeds what the last command changed into the aggregates the next order's rules read.</summary>
    private void UpdateAggregates()
    {
        foreach (var order in _recorder.CommandTouched)
        {
            _aggregates.OrderChanged(order, CreditCurrency(order.AccountId));
        }
        foreach (var trade in _recorder.CommandTrades)
        {
            _aggregates.Traded(trade, CreditCurrency, IsCleared);
        }
    }

    private bool IsCleared(long orderId) => _recorder.Live.TryGetValue(orderId, out var order) && order.IsCleared;

    /// <summary>Releases a held order to the engine (the workflow's approval), re-validated at the writer's timestamp.</summary>
    private SequencerResult ReleaseHeld(ReleaseHeldOrderCommand r, DateTime now, List<AuditEntry> audit)
    {
        if (!_held.TryGetValue(r.OrderId, out var order))
        {
            return new SequencerResult(SequencerOutcome.Refused, null, [], RejectCode.OrderNotActive);
        }
        var instrument = _referenceData.Get(order.Symbol);
        var decimals = instrument.Decimals;
        Price.TryFromDecimal(order.Price ?? 0m, decimals, out var price);
        Price.TryFromDecimal(order.StopPrice ?? 0m, decimals, out var stop);
        var account = _batchAccounts.GetValueOrDefault(order.AccountId);
        var submit = new SubmitOrder(order.Id, instrument.Spec.Id, order.AccountId, order.Side, order.Type, order.TimeInForce, price,
            new Quantity(order.Quantity), now.Ticks, stop, new Quantity(order.DisplayQuantity ?? 0), order.ExpireAt?.Ticks ?? 0,
            account?.SelfTradePrevention ?? SelfTradePrevention.CancelIncoming);
        var refusal = OrderValidator.Validate(submit, instrument.Spec, instrument.Spec.Venue.PhaseAt(now.Ticks), _phases.FixedPrice(instrument.Spec.Id));
        if (refusal != RejectCode.None)
        {
            // Still held: the reviewers may release it when the venue trades again.
            return new SequencerResult(SequencerOutcome.Invalid, order.Snapshot(), [], refusal);
        }
        _held.Remove(order.Id);
        _recorder.RecordReleased(order, $"released after review: {r.Reason}", now.Ticks);
        _recorder.Live[order.Id] = order;
        _engine.Submit(submit);
        audit.Add(new AuditEntry(now, r.Actor, "order.released", $"order/{order.Id}", AuditTrail.Serialize(new
        {
            reason = r.Reason, status = order.Status.ToString(),
        })));
        return new SequencerResult(SequencerOutcome.Released, order.Snapshot(), [.. _recorder.CommandTrades]);
    }

    /// <summary>
    /// The workflow stage for a new order the rule packs did not block: straight through to the engine, or held (PendingReview)
    /// with a workflow instance. A Review outcome is never sent on without a person: if no definition holds it (none published,
    /// or the definitions route it straight through), it is held without a workflow, as before workflows existed, and logged.
    /// </summary>
    private void RouteThroughWorkflow(SubmitCommand s, OrderRecord order, StoredDecision decision, SubmitOrder submit, DateTime now)
    {
        var timestamp = now.Ticks;
        var review = decision.Outcome == nameof(RuleOutcome.Review);
        WorkflowStart? start = _batchAccounts.TryGetValue(s.AccountId, out var account) && _batchInstruments.TryGetValue(s.Instrument.Symbol, out var row)
            ? _workflows.Start(order, decision, account, row, s.Actor, now)
            : null;
        if (start is { Instance: { IsCompleted: false } instance } suspended)
        {
            Hold(order, HeldReason(decision, suspended), now);
            _workflows.Started(instance, suspended.Effects);
            return;
        }
        if (start?.Effects.OfType<RejectEffect>().FirstOrDefault() is { } rejected)
        {
            _recorder.RecordHostRejection(order, RejectCode.BlockedByRule, $"rejected by workflow {start.Value.Definition.Id}: {rejected.Reason}", timestamp);
            return;
        }
        if (review || start is null)
        {
            if (review)
            {
                _log.LogError("Order {OrderId} has a Review outcome but no workflow holds it ({Definition}); held without a workflow",
                    order.Id, start?.Definition.Id ?? "no order workflow published");
            }
            else
            {
                _log.LogError("No order workflow is published; order {OrderId} is held until one is", order.Id);
            }
            Hold(order, review ? decision.ReviewSummary() : "held: no order workflow is published", now);
            return;
        }
        _recorder.Live[order.Id] = order;
        _aggregates.OrderEntered(order, CreditCurrency(order.AccountId), now);
        _aggregates.NoteShortNotifications(order.AccountId, order.Symbol, decision);
        _engine.Submit(submit with { OrderId = order.Id });
    }

    /// <summary>Holds a new order out of the engine (PendingReview); it counts as open for the rules from now on.</summary>
    private void Hold(OrderRecord order, string reason, DateTime now)
    {
        _recorder.RecordHeld(order, reason, now.Ticks);
        _held[order.Id] = order;
        _aggregates.OrderEntered(order, CreditCurrency(order.AccountId), now);
    }

    private static string HeldReason(StoredDecision decision, WorkflowStart start)
    {
        var task = start.Instance!.OpenTask;
        var waiting = task is null
            ? $"held by workflow {start.Definition.Id}"
            : $"waiting for {task.RequiredApprovals} approval{(task.RequiredApprovals == 1 ? "" : "s")} by {task.Role} ({start.Definition.Document.Title})";
        var text = decision.Outcome == nameof(RuleOutcome.Review) ? decision.ReviewSummary() + "; " + waiting : "held for approval: " + waiting;
        return text.Length <= 512 ? text : text[..509] + "...";
    }

    /// <summary>Ends the workflow of a held order that left review another way (its trader canceled it, it expired, it was rejected).</summary>
    private void CloseHeldWorkflow(long orderId, string trigger, string actor, string reason, DateTime now)
    {
        if (_workflows.ForOrder(orderId) is not { } live)
        {
            return;
        }
        var work = live.Clone();
        var by = new WorkflowActor(actor, []);
        var step = _workflows.Runtime.FireTrigger(work, trigger, by, reason, now);
        if (!step.Changed && trigger != WorkflowCompiler.CancelTrigger)
        {
            step = _workflows.Runtime.FireTrigger(work, WorkflowCompiler.CancelTrigger, by, reason, now);
        }
        if (step.Changed)
        {
            // The order is already dealt with: only the instance's own bookkeeping (log, tasks, notices) remains.
            _workflows.Changed(live, work, [.. step.Effects.Where(e => e is not SendToEngineEffect and not RejectEffect)]);
        }
        else
        {
            _log.LogWarning("Workflow {Instance} of order {OrderId} accepts neither '{Trigger}' nor 'cancel' in state {State}; left open",
                live.Id, orderId, trigger, live.State);
        }
    }

    private SequencerResult ApplyWorkflowTask(WorkflowTaskCommand w, DateTime now, List<AuditEntry> audit)
    {
        if (_workflows.ForTask(w.TaskId) is not { } live)
        {
            return new SequencerResult(SequencerOutcome.WorkflowNotFound, null, []);
        }
        if (w.ExpectedVersion is { } expected && expected != live.Version)
        {
            return new SequencerResult(SequencerOutcome.WorkflowConflict, null, [], Instance: live);
        }
        var work = live.Clone();
        var runtime = _workflows.Runtime;
        var step = w.Action switch
        {
            WorkflowTaskAction.Claim => runtime.Claim(work, w.TaskId, w.By, now),
            WorkflowTaskAction.Approve => runtime.Approve(work, w.TaskId, w.By, w.Comment, now),
            WorkflowTaskAction.Reject => runtime.Reject(work, w.TaskId, w.By, w.Comment, now),
            _ => runtime.Reassign(work, w.TaskId, w.By, w.ToUser, w.ToRole, w.Comment, now),
        };
        return Settle(live, work, step, w.Actor, "workflow.task." + w.Action.ToString().ToLowerInvariant(), now, audit);
    }

    /// <summary>
    /// Carries out a step's effects on the held order (release to the engine, re-validated now; or reject) and records the
    /// instance's change. If the order cannot be released now (the session closed, the price left today's limits, it is no
    /// longer held) nothing changes: the task stays open and the caller hears why.
    /// </summary>
    private SequencerResult Settle(WorkflowInstance live, WorkflowInstance work, WorkflowStepResult step, string actor, string action, DateTime now,
        List<AuditEntry> audit)
    {
        var orderId = OrderWorkflowStage.OrderIdOf(work);
        if (!step.Changed)
        {
            return new SequencerResult(SequencerOutcome.WorkflowStep, _held.GetValueOrDefault(orderId)?.Snapshot(), [], Workflow: step, Instance: live);
        }
        SequencerResult? effect = null;
        foreach (var e in step.Effects)
        {
            if (e is SendToEngineEffect send)
            {
                effect = ReleaseHeld(new ReleaseHeldOrderCommand(actor, orderId, send.Reason), now, audit);
                if (effect.Outcome != SequencerOutcome.Released)
                {
                    var why = effect.Code == RejectCode.OrderNotActive ? "it is no longer held" : RejectReasons.Describe(effect.Code);
                    return effect with
                    {
                        Workflow = new WorkflowStepResult(WorkflowStepOutcome.NotPermitted, $"order {orderId} cannot be released now: {why}; nothing was changed", []),
                        Instance = live,
                    };
                }
            }
            else if (e is RejectEffect reject)
            {
                effect = RejectHeld(orderId, actor, reject.Reason, now, audit);
            }
        }
        _workflows.Changed(live, work, step.Effects);
        audit.Add(new AuditEntry(now, actor, action, $"workflow/{work.Id}", AuditTrail.Serialize(new
        {
            definition = work.DefinitionId, definitionVersion = work.DefinitionVersion, state = work.State, version = work.Version, orderId, step.Message,
        })));
        return new SequencerResult(SequencerOutcome.WorkflowStep, effect?.Order ?? _held.GetValueOrDefault(orderId)?.Snapshot(), effect?.Trades ?? [],
            Workflow: step, Instance: work);
    }

    /// <summary>Rejects a held order: it ends Canceled with the reason and never reaches the engine.</summary>
    private SequencerResult RejectHeld(long orderId, string actor, string reason, DateTime now, List<AuditEntry> audit)
    {
        if (!_held.TryGetValue(orderId, out var held))
        {
            return new SequencerResult(SequencerOutcome.Refused, null, [], RejectCode.OrderNotActive);
        }
        _recorder.RecordHeldCanceled(held, $"rejected in review: {reason}", now.Ticks);
        _held.Remove(held.Id);
        audit.Add(new AuditEntry(now, actor, "order.review_rejected", $"order/{held.Id}", AuditTrail.Serialize(new { reason })));
        return new SequencerResult(SequencerOutcome.Canceled, held.Snapshot(), []);
    }

    /// <summary>
    /// Whether a resend (same account and client order id) carries the stored order's terms: then it gets that order
    /// back; otherwise the client order id is taken. Used by the API's fast path and by the writer, which decides.
    /// </summary>
    public static bool SameTerms(OrderRecord prior, SubmitCommand s)
    {
        var decimals = s.Instrument.PriceDecimals;
        return string.Equals(prior.Symbol, s.Instrument.Symbol, StringComparison.Ordinal) && prior.Side == s.Side &&
               prior.Type == s.Type && prior.TimeInForce == s.TimeInForce && prior.Quantity == s.Quantity.Raw &&
               prior.Price == (prior.Type is OrderType.Limit or OrderType.StopLimit ? s.Price.ToDecimal(decimals) : prior.Price) &&
               prior.StopPrice == (prior.Type is OrderType.Stop or OrderType.StopLimit ? s.StopPrice.ToDecimal(decimals) : null) &&
               (prior.DisplayQuantity ?? 0) == s.DisplayQuantity.Raw &&
               (prior.ExpireAt?.Ticks ?? 0) == s.ExpireAt &&
               SameTerms(prior, s.Terms ?? OrderTerms.None);
    }

    private static bool SameTerms(OrderRecord prior, OrderTerms t)
    {
        return prior.ShortMarking == t.ShortMarking && string.Equals(prior.LocateId ?? "", t.LocateId ?? "", StringComparison.Ordinal) &&
               prior.UsesMargin == t.UsesMargin && prior.IsAdvised == t.IsAdvised &&
               string.Equals(prior.CounterpartyLei ?? "", t.CounterpartyLei ?? "", StringComparison.Ordinal) &&
               string.Equals(prior.Uti ?? "", t.Uti ?? "", StringComparison.Ordinal) && prior.IsCleared == t.IsCleared &&
               prior.MarkupBps == t.MarkupBps && prior.MarkupDisclosed == t.MarkupDisclosed;
    }

    /// <summary>
    /// Rebuilds the books from the database: every working order goes back into its book in its
    /// original time priority (the journal sequence at which it last took its place in the queue).
    /// </summary>
    private async Task RecoverAsync(CancellationToken cancellationToken)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TradSysDbContext>();
        var maxOrderId = await db.Orders.MaxAsync(o => (long?)o.Id, cancellationToken) ?? 0;
        var maxSequence = await db.OrderEvents.MaxAsync(e => (long?)e.Sequence, cancellationToken) ?? 0;
        var maxTradeId = await db.Trades.MaxAsync(t => (long?)t.Id, cancellationToken) ?? 0;
        var working = await db.Orders.AsNoTracking()
            .Where(o => o.Status == OrderStatus.Accepted || o.Status == OrderStatus.PartiallyFilled)
            .OrderBy(o => o.PrioritySequence).ThenBy(o => o.Id)
            .ToListAsync(cancellationToken);

        var accountRows = await db.Accounts.AsNoTracking().Select(a => new { a.Id, a.SelfTradePrevention, a.CreditCurrency }).ToListAsync(cancellationToken);
        var accounts = accountRows.ToDictionary(a => a.Id, a => a.SelfTradePrevention);
        foreach (var a in accountRows)
        {
            _creditCurrency[a.Id] = a.CreditCurrency;
        }
        var held = await db.Orders.AsNoTracking().Where(o => o.Status == OrderStatus.PendingReview).ToDictionaryAsync(o => o.Id, cancellationToken);
        var recorder = new JournalRecorder(_referenceData) { NextSequence = maxSequence + 1 };
        var engine = new MatchingEngine(recorder, Math.Max(1, _referenceData.Instruments.Count), maxTradeId + 1);
        foreach (var instrument in _referenceData.Instruments)
        {
            engine.AddInstrument(instrument.Spec.Id);
            // Restored as a call: a book saved mid-call may be crossed. The first batch sets each mode from the clock
            // (uncrossing first if the call is over), journaled like any phase change.
            engine.SetTradingMode(new SetTradingMode(instrument.Spec.Id, TradingMode.Call, 0, instrument.Spec.ReferencePrice));
        }
        foreach (var order in working)
        {
            var instrument = _referenceData.Get(order.Symbol);
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
        foreach (var instrument in _referenceData.Instruments)
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
        var since = _clock.UtcNow.AddDays(-2);
        foreach (var trade in await db.Trades.AsNoTracking().Where(t => t.ExecutedAt >= since).OrderBy(t => t.Id).ToListAsync(cancellationToken))
        {
            if (_referenceData.TryGet(trade.Symbol, out var instrument) &&
                Price.TryFromDecimal(trade.Price, instrument.Decimals, out var tradePrice))
            {
                recorder.StatisticsFor(instrument.Spec.Id, trade.ExecutedAt.Ticks).RecordTrade(tradePrice, new Quantity(trade.Quantity));
                recorder.RecordRecent(instrument.Spec.Id, trade.ExecutedAt.Ticks, tradePrice, new Quantity(trade.Quantity));
            }
        }
        // The rules stage's aggregates: open (working and held) orders, today's orders, trades and positions.
        await _aggregates.RebuildAsync(db, [.. working, .. held.Values], AuditTrail.Truncate(_clock.UtcNow), cancellationToken);
        // The open order workflows (the held orders' reviews and approvals), their timers scheduled again.
        var instances = await _workflows.RecoverAsync(db, cancellationToken);
        _held = held;
        _decisions.Clear();
        _recorder = recorder;
        _engine = engine;
        _phases.Reset();
        _nextOrderId = maxOrderId + 1;
        Volatile.Write(ref _needsRecovery, false);
        _log.LogInformation("Order books rebuilt: {Working} working orders, {Held} held for review ({Instances} open workflows), next order id {OrderId}, next journal sequence {Sequence}",
            working.Count, held.Count, instances, _nextOrderId, recorder.NextSequence);
    }

    private sealed class Pending(SequencerCommand command)
    {
        public SequencerCommand Command { get; } = command;
        public TaskCompletionSource<SequencerResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
