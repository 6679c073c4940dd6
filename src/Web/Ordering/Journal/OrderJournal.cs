using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using TradSys.Web.Auditing;
using TradSys.Web.Ordering.Rules;
using TradSys.Web.Persistence;
using TradSys.Web.Persistence.Entities;
using TradSys.Web.Workflows;

namespace TradSys.Web.Ordering.Journal;

/// <summary>
/// The journal stage: writes everything a batch changed in ONE transaction (group commit) — new and changed orders, journal
/// entries, trades, rule decisions with the new shared parts of their contexts, the held orders' workflow instances, instruments whose phase state moved, trading statuses and risk limits set, and the batch's
/// audit records chained after the current tail — so the batch is durable as a whole or not at all. The writer answers
/// nobody before this returns.
///
/// How it is written: on the writer's own connection (<see cref="WriterSession"/>), the journal's rows through statements
/// built once from the model (prepared statements run in process on SQLite; one round trip for the whole batch on
/// PostgreSQL), the rare EF Core rows on the same connection and transaction, the transaction begun only once the batch has
/// been applied (so other writers wait for the commit only, not for the batch's work), and the audit chain's lock taken
/// first (another appender holds it before it waits for the database, never the other way round).
/// </summary>
internal sealed class OrderJournal(AuditTrail audit, OrderWorkflowStage workflows, TradingPhases phases, ContextSnapshots snapshots,
    Risk.RiskControls riskControls, Risk.CashLedger cash)
{
    public async Task CommitAsync(WriterSession session, OrderBooks books, WriterBatch batch, CancellationToken cancellationToken)
    {
        var recorder = books.Recorder;
        // The engine says nothing when an iceberg shows its next slice; read the slices so a restart rebuilds them exactly.
        var changed = new List<OrderRecord>(recorder.Changed.Count);
        var added = new HashSet<OrderRecord>(recorder.Added, ReferenceEqualityComparer.Instance);
        foreach (var order in recorder.Changed)
        {
            if (order.DisplayQuantity is not null)
            {
                order.DisplayedQuantity = order.IsWorking && books.Engine.TryGetOrder(order.Id, out var view) ? view.Displayed.Raw : null;
            }
            if (!added.Contains(order))
            {
                changed.Add(order);
            }
        }
        var rows = new JournalRows(recorder.Added, changed, recorder.Events, recorder.Trades, snapshots.Pending, batch.Decisions);
        var db = session.Db;
        await phases.PersistAsync(db, cancellationToken);
        await workflows.StageAsync(db, cancellationToken);
        riskControls.Stage(db);
        cash.Stage(db);
        if (rows.Count == 0 && batch.Audit.Count == 0 && !db.ChangeTracker.HasChanges())
        {
            return;
        }

        using var chain = await audit.LockAsync(cancellationToken);
        await using var transaction = await BeginAsync(session.Connection, cancellationToken);
        await db.Database.UseTransactionAsync(transaction, cancellationToken);
        try
        {
            // The audit chain's tail is read with the rows (one round trip on PostgreSQL); its lock is held, so it stays the tail.
            (long Id, string Hash)? tail = null;
            if (batch.Audit.Count > 0)
            {
                tail = await session.Rows.WriteAndReadAuditTailAsync(rows, transaction, cancellationToken);
            }
            else
            {
                await session.Rows.WriteAsync(rows, transaction, cancellationToken);
            }
            if (db.ChangeTracker.HasChanges())
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            if (batch.Audit.Count > 0)
            {
                await session.Rows.WriteAuditAsync(AuditTrail.Chain(batch.Audit, tail), transaction, cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
        }
        finally
        {
            await db.Database.UseTransactionAsync(null, CancellationToken.None);
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>SQLite: BEGIN IMMEDIATE, so the write lock is taken now (waiting for another writer) rather than failing on upgrade.</summary>
    private static async Task<DbTransaction> BeginAsync(DbConnection connection, CancellationToken cancellationToken) =>
        connection is SqliteConnection sqlite
            ? sqlite.BeginTransaction(deferred: false)
            : await connection.BeginTransactionAsync(cancellationToken);
}
