using TradSys.Web.Auditing;
using TradSys.Web.Persistence;
using TradSys.Web.Workflows;

namespace TradSys.Web.Ordering.Journal;

/// <summary>
/// The journal stage: writes everything a batch changed in ONE transaction (group commit) — new and changed orders, journal
/// entries, trades, rule decisions, the held orders' workflow instances, instruments whose phase state moved, and the batch's
/// audit records chained after the current tail — so the batch is durable as a whole or not at all. The writer answers
/// nobody before this returns.
/// </summary>
internal sealed class OrderJournal(AuditTrail audit, OrderWorkflowStage workflows, TradingPhases phases)
{
    public async Task CommitAsync(TradSysDbContext db, OrderBooks books, WriterBatch batch, CancellationToken cancellationToken)
    {
        var recorder = books.Recorder;
        await phases.PersistAsync(db, cancellationToken);
        // The engine says nothing when an iceberg shows its next slice; read the slices so a restart rebuilds them exactly.
        foreach (var order in recorder.Changed)
        {
            if (order.DisplayQuantity is not null)
            {
                order.DisplayedQuantity = order.IsWorking && books.Engine.TryGetOrder(order.Id, out var view) ? view.Displayed.Raw : null;
            }
        }
        var added = new HashSet<Persistence.Entities.OrderRecord>(recorder.Added, ReferenceEqualityComparer.Instance);
        db.Orders.AddRange(recorder.Added);
        foreach (var order in recorder.Changed)
        {
            if (!added.Contains(order))
            {
                db.Orders.Update(order);
            }
        }
        db.OrderEvents.AddRange(recorder.Events);
        db.Trades.AddRange(recorder.Trades);
        db.RuleDecisions.AddRange(batch.Decisions);
        await workflows.StageAsync(db, cancellationToken);
        await audit.SaveWithAsync(db, batch.Audit, cancellationToken);
    }
}
