using Microsoft.EntityFrameworkCore;
using TradSys.Rules.Context;
using TradSys.Web.Ordering.Rules;
using TradSys.Web.Persistence;
using TradSys.Web.Persistence.Entities;
using TradSys.Web.ReferenceData;
using TradSys.Workflows;
using TradSys.Workflows.Definitions;
using TradSys.Workflows.Runtime;

namespace TradSys.Web.Workflows;

/// <summary>
/// The workflow stage of the order path, owned by the single writer (<see cref="Ordering.OrderWriter"/>) and run only on
/// its thread: after the rule packs, each new order's facts are filled into one reused <see cref="WorkflowContext"/> and the
/// current order definitions pick its flow. Straight through, nothing is created or stored. Otherwise the instance is kept
/// here in memory (the writer is the only one that changes order instances, so this copy is authoritative and racing
/// approvals are decided by the order of the writer's queue) and staged for the batch's transaction, the one that stores the
/// order; its timers are scheduled and its notices sent only after that commit. <see cref="RecoverAsync"/> reloads the open
/// instances after a restart, and re-schedules their timers (a timer that already ran, or belongs to a state left since, is
/// ignored when it runs).
/// </summary>
internal sealed class OrderWorkflowStage(WorkflowRuntime runtime, ReferenceDataCache referenceData, IWorkflowTimers timers, IWorkflowNotifier notifier)
{
    private readonly WorkflowContext _facts = new();
    private readonly Dictionary<Guid, Pending> _writes = [];
    private readonly List<(WorkflowInstance Instance, ScheduleTimerEffect Timer)> _timers = [];
    private readonly List<(WorkflowInstance Instance, NotifyEffect Notice)> _notices = [];
    private Dictionary<Guid, WorkflowInstance> _open = [];
    private Dictionary<long, Guid> _byOrder = [];

    public WorkflowRuntime Runtime => runtime;

    /// <summary>Fills the facts of a new order and starts the flow its definitions pick (null when none is published).</summary>
    public WorkflowStart? Start(OrderRecord order, StoredDecision decision, Account account, Instrument row, string maker, DateTime now)
    {
        var f = _facts;
        f.Subject = "order";
        f.Outcome = decision.Outcome;
        f.ReasonCodes = decision.Rules.Count == 0 ? "" : string.Join(',', decision.Rules.Select(r => r.ReasonCode).Distinct(StringComparer.Ordinal));
        var unit = order.Price ?? order.StopPrice ?? row.ReferencePrice;
        f.Notional = unit * order.Quantity;
        f.Currency = row.Currency;
        try
        {
            f.NotionalUsd = referenceData.Fx.Convert(f.Notional, row.Currency, "USD");
        }
        catch (InvalidOperationException)
        {
            // No rate (the rule packs refuse such orders first): fail closed, as the largest order there is.
            f.NotionalUsd = decimal.MaxValue;
        }
        f.ClientCategory = account.ClientCategory;
        f.AccountId = account.Id;
        f.Symbol = order.Symbol;
        f.Mic = referenceData.Get(order.Symbol).VenueRow.Mic;
        f.Side = order.Side;
        f.Quantity = order.Quantity;
        f.Maker = maker;
        f.PackId = "";
        f.Approvals = 0;
        f.Escalated = false;
        var definition = runtime.Catalog.Select(WorkflowSubject.Order, f);
        return definition is null ? null : runtime.Start(definition, f, order.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), now);
    }

    public WorkflowInstance? ForOrder(long orderId) => _byOrder.TryGetValue(orderId, out var id) ? _open.GetValueOrDefault(id) : null;

    public WorkflowInstance? ForTask(Guid taskId)
    {
        foreach (var instance in _open.Values)
        {
            foreach (var task in instance.Tasks)
            {
                if (task.Id == taskId)
                {
                    return instance;
                }
            }
        }
        return null;
    }

    public WorkflowInstance? Find(Guid instanceId) => _open.GetValueOrDefault(instanceId);

    public static long OrderIdOf(WorkflowInstance instance) => long.Parse(instance.SubjectId, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A new instance for a held order: kept open, staged for the batch, its timers and notices queued for after the commit.</summary>
    public void Started(WorkflowInstance instance, IReadOnlyList<WorkflowEffect> effects)
    {
        _writes[instance.Id] = new Pending(instance, null);
        Track(instance, effects);
    }

    /// <summary>An open instance changed (<paramref name="after"/> is the changed copy of what <paramref name="before"/> was).</summary>
    public void Changed(WorkflowInstance before, WorkflowInstance after, IReadOnlyList<WorkflowEffect> effects)
    {
        // Several changes in one batch are one write, checked against the version stored before the first.
        _writes[after.Id] = _writes.TryGetValue(after.Id, out var first) ? first with { Instance = after } : new Pending(after, before.Version);
        Track(after, effects);
    }

    private void Track(WorkflowInstance instance, IReadOnlyList<WorkflowEffect> effects)
    {
        if (instance.IsCompleted)
        {
            _open.Remove(instance.Id);
            _byOrder.Remove(OrderIdOf(instance));
        }
        else
        {
            _open[instance.Id] = instance;
            _byOrder[OrderIdOf(instance)] = instance.Id;
        }
        foreach (var effect in effects)
        {
            switch (effect)
            {
                case ScheduleTimerEffect timer:
                    _timers.Add((instance, timer));
                    break;
                case NotifyEffect notice:
                    _notices.Add((instance, notice));
                    break;
                default:
                    break;
            }
        }
    }

    /// <summary>Adds the batch's instance changes to the writer's transaction.</summary>
    public async Task StageAsync(TradSysDbContext db, CancellationToken cancellationToken)
    {
        foreach (var (instance, expected) in _writes.Values)
        {
            await WorkflowMapping.StageAsync(db, instance, OrderIdOf(instance), expected, cancellationToken);
        }
    }

    /// <summary>The batch is durable: schedule its timers, send its notices.</summary>
    public void Committed()
    {
        foreach (var (instance, timer) in _timers)
        {
            timers.Schedule(instance, timer, DueAt(instance, timer.After, timer.AtSessionEnd));
        }
        foreach (var (instance, notice) in _notices)
        {
            notifier.Notify(instance, notice);
        }
        Clear();
    }

    /// <summary>The batch failed: the writer recovers, and <see cref="RecoverAsync"/> reloads the stored instances.</summary>
    public void Clear()
    {
        _writes.Clear();
        _timers.Clear();
        _notices.Clear();
    }

    /// <summary>Reloads the open order instances and re-schedules their current state's timers.</summary>
    public async Task<int> RecoverAsync(TradSysDbContext db, CancellationToken cancellationToken)
    {
        Clear();
        var records = await db.WorkflowInstances.AsNoTracking().Where(i => i.Subject == "order" && i.CompletedAt == null).ToListAsync(cancellationToken);
        var ids = records.Select(r => r.Id).ToList();
        var tasks = (await db.WorkflowTasks.AsNoTracking().Where(t => ids.Contains(t.InstanceId)).ToListAsync(cancellationToken)).ToLookup(t => t.InstanceId);
        var open = new Dictionary<Guid, WorkflowInstance>();
        var byOrder = new Dictionary<long, Guid>();
        foreach (var record in records)
        {
            var instance = WorkflowMapping.ToInstance(record, tasks[record.Id]);
            open[instance.Id] = instance;
            byOrder[OrderIdOf(instance)] = instance.Id;
            if (runtime.Catalog.Get(instance.DefinitionId, instance.DefinitionVersion) is { } definition)
            {
                foreach (var timer in definition.State(instance.State).Timers)
                {
                    if (!instance.FiredTimers.Contains(timer.Name, StringComparer.Ordinal))
                    {
                        timers.Schedule(instance, new ScheduleTimerEffect(timer.Name, timer.After, timer.AtSessionEnd, instance.StateEnteredSequence),
                            DueAt(instance, timer.After, timer.AtSessionEnd));
                    }
                }
            }
        }
        _open = open;
        _byOrder = byOrder;
        return open.Count;
    }

    /// <summary>When a timer of the instance's current state entry is due.</summary>
    public DateTime DueAt(WorkflowInstance instance, TimeSpan? after, bool atSessionEnd) =>
        atSessionEnd ? SessionEnd(instance.Facts.Symbol, instance.StateEnteredAt) : instance.StateEnteredAt + after!.Value;

    /// <summary>
    /// The end of the trading session the order was held in: the venue's next change to Closed after <paramref name="fromUtc"/>,
    /// or, for a venue that never closes (the internal venue), the end of its local day.
    /// </summary>
    public DateTime SessionEnd(string symbol, DateTime fromUtc)
    {
        var venue = referenceData.Get(symbol).Spec.Venue;
        var local = venue.ToVenueLocal(fromUtc.Ticks);
        var at = local;
        for (var i = 0; i < 16 && venue.Schedule.TryGetNextPhaseChange(at, out var change, out var next, 2); i++)
        {
            if (next == MarketPhase.Closed)
            {
                return TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(change, DateTimeKind.Unspecified), venue.TimeZone);
            }
            at = change;
        }
        var midnight = DateOnly.FromDateTime(local).AddDays(1).ToDateTime(TimeOnly.MinValue);
        return TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(midnight, DateTimeKind.Unspecified), venue.TimeZone);
    }

    private readonly record struct Pending(WorkflowInstance Instance, long? ExpectedVersion);
}
