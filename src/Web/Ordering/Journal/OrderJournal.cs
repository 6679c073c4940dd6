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
/// How it is written: on the writer's own connection (<see cref="WriterSession"/>), the journal's rows and audit records
/// through statements built once from the model (prepared statements run in process on SQLite; on PostgreSQL one round trip for
/// the whole batch with its commit, <see cref="IJournalRowWriter.WriteAndCommit"/>, or, when the batch also has EF Core rows or
/// must read the chain's tail, one for the rows and one for the commit), the rare EF Core rows on the same connection and transaction, the transaction begun
/// only once the batch has been applied (so other writers wait for the commit only, not for the batch's work), and the audit
/// chain's lock taken first (another appender holds it before it waits for the database, never the other way round). The
/// chain's tail is the one this writer's last commit left while nobody else has appended since; otherwise it is read in the
/// rows' round trip.
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
        if (batch.FixClOrdIds.Count > 0)
        {
            db.FixClientOrderIds.AddRange(batch.FixClOrdIds);
        }
        if (rows.Count == 0 && batch.Audit.Count == 0 && !db.ChangeTracker.HasChanges())
        {
            return;
        }

        using var chain = await audit.LockAsync(cancellationToken);
        try
        {
            if (batch.Audit.Count == 0)
            {
                await TransactAsync(session, rows, batch, readTail: false, tail: null, cancellationToken);
                return;
            }
            // The tail this writer's last commit left is still the tail unless another appender has appended since: one in this
            // process moves AuditTrail.Appends; one in another process (a command run beside the platform, another node) took the
            // next gap-free id, so the first insert fails on the primary key and nothing of the attempt is kept.
            var remembered = _tailAppends >= 0 && _tailAppends == audit.Appends;
            _tailAppends = -1;
            List<AuditRecord> records;
            try
            {
                records = await TransactAsync(session, rows, batch, readTail: !remembered, _tail, cancellationToken);
            }
            catch (DbException ex) when (remembered && IsAuditKeyConflict(ex))
            {
                records = await TransactAsync(session, rows, batch, readTail: true, tail: null, cancellationToken);
            }
            _tail = (records[^1].Id, records[^1].Hash);
            _tailAppends = audit.Appends;
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>The audit chain's tail as this writer's last commit left it (null: the chain was empty), valid while <see cref="_tailAppends"/> holds.</summary>
    private (long Id, string Hash)? _tail;

    /// <summary><see cref="AuditTrail.Appends"/> when <see cref="_tail"/> was learnt; -1 when it is not known (start, or a failed commit).</summary>
    private long _tailAppends = -1;

    /// <summary>
    /// One transaction: the rows and the audit records (chained after the tail read in the rows' round trip when
    /// <paramref name="readTail"/>, else after <paramref name="tail"/>; none when the batch has no audit entry), then the rare EF Core rows, then
    /// the commit. The audit records go before the EF Core rows, so a conflict on the chain fails the transaction before EF Core
    /// has marked anything saved, and the attempt can be made again. Returns the audit records written.
    /// </summary>
    private static async Task<List<AuditRecord>> TransactAsync(WriterSession session, JournalRows rows, WriterBatch batch, bool readTail,
        (long Id, string Hash)? tail, CancellationToken cancellationToken)
    {
        var db = session.Db;
        if (!readTail && !db.ChangeTracker.HasChanges())
        {
            // The common batch: the rows and the records are the whole commit, written and committed together (on PostgreSQL in
            // one round trip instead of two).
            List<AuditRecord> chained = batch.Audit.Count == 0 ? [] : AuditTrail.Chain(batch.Audit, tail);
            session.Rows.WriteAndCommit(rows, chained);
            return chained;
        }
        await using var transaction = Begin(session.Connection);
        await db.Database.UseTransactionAsync(transaction, cancellationToken);
        try
        {
            List<AuditRecord> records = [];
            if (batch.Audit.Count == 0)
            {
                session.Rows.Write(rows, transaction);
            }
            else if (readTail)
            {
                records = AuditTrail.Chain(batch.Audit, session.Rows.WriteAndReadAuditTail(rows, transaction));
                session.Rows.WriteAudit(records, transaction);
            }
            else
            {
                // One round trip on PostgreSQL for the rows and the records.
                records = AuditTrail.Chain(batch.Audit, tail);
                session.Rows.WriteWithAudit(rows, records, transaction);
            }
            if (db.ChangeTracker.HasChanges())
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            // Synchronous, like the rows: the writer's thread waits on the socket (or SQLite's fsync) and nothing else.
            transaction.Commit();
            return records;
        }
        finally
        {
            await db.Database.UseTransactionAsync(null, CancellationToken.None);
        }
    }

    /// <summary>An audit record's gap-free id was taken already: another process appended to the chain since it was read.</summary>
    private static bool IsAuditKeyConflict(DbException ex) => ex switch
    {
        Npgsql.PostgresException pg => pg.SqlState == Npgsql.PostgresErrorCodes.UniqueViolation && pg.TableName == "audit_log",
        SqliteException sqlite => sqlite.SqliteErrorCode == 19 && sqlite.Message.Contains("audit_log.", StringComparison.Ordinal),
        _ => false,
    };

    /// <summary>SQLite: BEGIN IMMEDIATE, so the write lock is taken now (waiting for another writer) rather than failing on upgrade.</summary>
    private static DbTransaction Begin(DbConnection connection) =>
        connection is SqliteConnection sqlite ? sqlite.BeginTransaction(deferred: false) : connection.BeginTransaction();
}
