using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;
using TradSys.Web.Persistence.Entities;

namespace TradSys.Web.Persistence;

/// <summary>What one batch of the order writer writes, in the order it is written (foreign keys point backwards).</summary>
/// <param name="NewOrders">Orders the batch created.</param>
/// <param name="ChangedOrders">Orders created earlier whose state the batch changed.</param>
/// <param name="Events">Journal entries, gap-free sequence.</param>
/// <param name="Trades">Trades.</param>
/// <param name="Snapshots">Shared parts of order contexts first read by the batch's decisions.</param>
/// <param name="Decisions">The new orders' rule decisions.</param>
internal sealed record JournalRows(
    IReadOnlyList<OrderRecord> NewOrders,
    IReadOnlyList<OrderRecord> ChangedOrders,
    IReadOnlyList<OrderEventRecord> Events,
    IReadOnlyList<TradeRecord> Trades,
    IReadOnlyList<ContextSnapshotRecord> Snapshots,
    IReadOnlyList<RuleDecisionRecord> Decisions)
{
    public int Count => NewOrders.Count + ChangedOrders.Count + Events.Count + Trades.Count + Snapshots.Count + Decisions.Count;
}

/// <summary>
/// Writes the order writer's rows inside the transaction the writer owns, the fastest way its database allows; the statements
/// come from the EF Core model (<see cref="TableShape"/>), so the rows are the ones EF Core would have written. Synchronous:
/// it runs on the order writer's own thread (<see cref="Ordering.OrderWriter"/>), which has nothing else to do meanwhile.
/// </summary>
internal interface IJournalRowWriter : IDisposable
{
    /// <summary>
    /// The writer's term in a cluster (issue 18): when set, every transaction's first statement updates the shard's lease row
    /// where the epoch is this one, and a transaction that finds no such row fails with
    /// <see cref="Cluster.WriterFencedException"/> before it commits. Null on a single node.
    /// </summary>
    Cluster.WriterFence? Fence { get; set; }

    void Write(JournalRows rows, DbTransaction transaction);

    void WriteAudit(IReadOnlyList<AuditRecord> records, DbTransaction transaction);

    /// <summary>The audit chain's last record (id and hash), read inside the transaction; null when the chain is empty.</summary>
    (long Id, string Hash)? AuditTail(DbTransaction transaction);

    /// <summary>
    /// <see cref="Write"/>, then <see cref="AuditTail"/>, in the same transaction: on PostgreSQL in one round trip.
    /// </summary>
    (long Id, string Hash)? WriteAndReadAuditTail(JournalRows rows, DbTransaction transaction);

    /// <summary><see cref="Write"/>, then <see cref="WriteAudit"/>, in the same transaction: on PostgreSQL in one round trip.</summary>
    void WriteWithAudit(JournalRows rows, IReadOnlyList<AuditRecord> records, DbTransaction transaction);

    /// <summary>
    /// The rows and the audit records as one transaction of their own, committed when this returns (nothing of it when it throws):
    /// the batch's whole commit when nothing else is written with it. On PostgreSQL in ONE round trip: the statements go without
    /// a transaction begun by the client, so the server runs them as one implicit transaction that commits (and flushes its WAL)
    /// at the batch's end, and every check that could refuse the batch runs in the server (the fence, the updates' row counts)
    /// so a refused batch commits nothing.
    /// </summary>
    void WriteAndCommit(JournalRows rows, IReadOnlyList<AuditRecord> records);
}

/// <summary>The shapes of the tables the writer writes.</summary>
internal sealed class JournalTables(IModel model)
{
    public TableShape Orders { get; } = TableShape.Of<OrderRecord>(model);
    public TableShape Events { get; } = TableShape.Of<OrderEventRecord>(model);
    public TableShape Trades { get; } = TableShape.Of<TradeRecord>(model);
    public TableShape Snapshots { get; } = TableShape.Of<ContextSnapshotRecord>(model);
    public TableShape Decisions { get; } = TableShape.Of<RuleDecisionRecord>(model);
    public TableShape Audit { get; } = TableShape.Of<AuditRecord>(model);

    /// <summary>
    /// What an order keeps from its submission: its identity, owner, instrument and terms. Everything else (state, quantities,
    /// prices, priority, the iceberg's shown slice, the trigger time) is rewritten when the batch changes the order.
    /// </summary>
    public static readonly string[] FixedOrderProperties =
    [
        nameof(OrderRecord.ClientOrderId), nameof(OrderRecord.AccountId), nameof(OrderRecord.UserId), nameof(OrderRecord.Symbol),
        nameof(OrderRecord.Side), nameof(OrderRecord.Type), nameof(OrderRecord.TimeInForce), nameof(OrderRecord.DisplayQuantity),
        nameof(OrderRecord.ExpireAt), nameof(OrderRecord.ShortMarking), nameof(OrderRecord.LocateId), nameof(OrderRecord.UsesMargin),
        nameof(OrderRecord.IsAdvised), nameof(OrderRecord.CounterpartyLei), nameof(OrderRecord.Uti), nameof(OrderRecord.IsCleared),
        nameof(OrderRecord.MarkupBps), nameof(OrderRecord.MarkupDisclosed), nameof(OrderRecord.CreatedAt), nameof(OrderRecord.SubmissionHash),
    ];

    public string AuditTailSql => $"SELECT \"{Audit.Columns[Audit.KeyIndex].Name}\", \"{Audit.Columns.Single(c => c.Property.Name == nameof(AuditRecord.Hash)).Name}\" " +
                                  $"FROM \"{Audit.Table}\" ORDER BY \"{Audit.Columns[Audit.KeyIndex].Name}\" DESC LIMIT 1";
}

/// <summary>
/// SQLite, in process: one prepared statement per table and kind, run once per row on SQLite's C API
/// (<see cref="SqliteRowStatement"/>: a statement costs microseconds and no round trip). The connection is the writer's
/// own, so the statements stay prepared for its life; they run inside the transaction the writer has begun on it.
/// </summary>
internal sealed class SqliteJournalRowWriter(SqliteConnection connection, JournalTables tables) : IJournalRowWriter
{
    private readonly SqliteRowStatement _insertOrder = new(connection, tables.Orders);
    private readonly SqliteRowStatement _updateOrder = new(connection, tables.Orders, JournalTables.FixedOrderProperties);
    private readonly SqliteRowStatement _insertEvent = new(connection, tables.Events);
    private readonly SqliteRowStatement _insertTrade = new(connection, tables.Trades);
    private readonly SqliteRowStatement _insertSnapshot = new(connection, tables.Snapshots);
    private readonly SqliteRowStatement _insertDecision = new(connection, tables.Decisions);
    private readonly SqliteRowStatement _insertAudit = new(connection, tables.Audit);

    /// <summary>Always null: a cluster needs PostgreSQL (<see cref="Cluster.ClusterOptions"/> refuses SQLite), so nothing sets it.</summary>
    public Cluster.WriterFence? Fence
    {
        get => null;
        set
        {
            if (value is not null)
            {
                throw new InvalidOperationException("the embedded SQLite database has one writer process: no lease fences its commits");
            }
        }
    }

    public void Write(JournalRows rows, DbTransaction transaction)
    {
        Each(_insertOrder, rows.NewOrders);
        Each(_updateOrder, rows.ChangedOrders);
        Each(_insertEvent, rows.Events);
        Each(_insertTrade, rows.Trades);
        Each(_insertSnapshot, rows.Snapshots);
        Each(_insertDecision, rows.Decisions);
    }

    public void WriteAudit(IReadOnlyList<AuditRecord> records, DbTransaction transaction) => Each(_insertAudit, records);

    public void WriteWithAudit(JournalRows rows, IReadOnlyList<AuditRecord> records, DbTransaction transaction)
    {
        Write(rows, transaction);
        WriteAudit(records, transaction);
    }

    public (long Id, string Hash)? WriteAndReadAuditTail(JournalRows rows, DbTransaction transaction)
    {
        Write(rows, transaction);
        return AuditTail(transaction);
    }

    /// <summary>BEGIN IMMEDIATE (the write lock now, as the writer's other transactions take it), the rows, the commit.</summary>
    public void WriteAndCommit(JournalRows rows, IReadOnlyList<AuditRecord> records)
    {
        using var transaction = connection.BeginTransaction(deferred: false);
        WriteWithAudit(rows, records, transaction);
        transaction.Commit();
    }

    public (long Id, string Hash)? AuditTail(DbTransaction transaction)
    {
        using var command = connection.CreateCommand();
        command.Transaction = (SqliteTransaction)transaction;
        command.CommandText = tables.AuditTailSql;
        using var reader = command.ExecuteReader();
        return reader.Read() ? (reader.GetInt64(0), reader.GetString(1)) : null;
    }

    private static void Each<T>(SqliteRowStatement statement, IReadOnlyList<T> rows) where T : class
    {
        for (var i = 0; i < rows.Count; i++)
        {
            statement.Execute(rows[i]);
        }
    }

    public void Dispose()
    {
        _insertOrder.Dispose();
        _updateOrder.Dispose();
        _insertEvent.Dispose();
        _insertTrade.Dispose();
        _insertSnapshot.Dispose();
        _insertDecision.Dispose();
        _insertAudit.Dispose();
    }
}

/// <summary>
/// PostgreSQL, over the network: the whole batch's rows go as one <see cref="NpgsqlBatch"/>, one round trip (with the audit
/// chain's tail read in the same one, or with the commit itself: <see cref="WriteAndCommit"/>): the new rows as one multi-row
/// INSERT per table (<see cref="PostgresRowSet"/>), the changed orders as one UPDATE by key each, every text the same at any row
/// count, so prepared once per connection (the writer's connection string turns on Npgsql's automatic preparation,
/// <see cref="WriterSession"/>). The fence and each update check their row count in the server
/// (<c>writer_fence_held</c>, <c>journal_expect_rows</c>), raising an error that rolls the whole batch back; a multi-row INSERT
/// stores all its rows or fails. The statements run synchronously: the order writer has a thread of its own
/// (<see cref="Ordering.OrderWriter"/>), and blocking it on the socket wakes it the moment the server answers, where an await
/// would queue its continuation behind the request work of the thread pool.
/// </summary>
internal sealed class PostgresJournalRowWriter(NpgsqlConnection connection, JournalTables tables) : IJournalRowWriter
{
    private readonly PostgresRowSet _insertOrders = PostgresRowSet.Insert(tables.Orders);
    private readonly string _updateOrder =
        $"WITH changed AS ({tables.Orders.UpdateSql(Positional, JournalTables.FixedOrderProperties)} RETURNING 1) " +
        $"SELECT journal_expect_rows((SELECT count(*) FROM changed), 1, '{tables.Orders.Table} update by key')";
    private readonly int[] _updatedOrderColumns = tables.Orders.UpdatedColumns(JournalTables.FixedOrderProperties);
    private readonly PostgresRowSet _insertEvents = PostgresRowSet.Insert(tables.Events);
    private readonly PostgresRowSet _insertTrades = PostgresRowSet.Insert(tables.Trades);
    private readonly PostgresRowSet _insertSnapshots = PostgresRowSet.Insert(tables.Snapshots);
    private readonly PostgresRowSet _insertDecisions = PostgresRowSet.Insert(tables.Decisions);
    private readonly PostgresRowSet _insertAudit = PostgresRowSet.Insert(tables.Audit);

    /// <summary>
    /// The rows each statement of the batch being built must insert, in the batch's order; null for the fence and each update,
    /// whose row counts the server checks.
    /// </summary>
    private readonly List<int?> _expected = [];

    /// <summary>The shard's lease row at this writer's epoch, counted; <c>writer_fence_held</c> raises <see cref="FenceLost"/> when there is none.</summary>
    private const string FenceSql =
        "WITH fence AS (UPDATE writer_leases SET \"CommittedBatches\" = \"CommittedBatches\" + 1 WHERE \"Shard\" = $1 AND \"Epoch\" = $2 RETURNING 1) " +
        "SELECT writer_fence_held((SELECT count(*) FROM fence), $1, $2)";

    /// <summary>The SQLSTATE of <c>writer_fence_held</c>'s error (the migration <c>JournalChecksInServer</c>).</summary>
    internal const string FenceLost = "TJ002";

    /// <summary>The SQLSTATE of <c>journal_expect_rows</c>'s error.</summary>
    internal const string RowCountWrong = "TJ001";

    public Cluster.WriterFence? Fence { get; set; }

    public void Write(JournalRows rows, DbTransaction transaction)
    {
        using var batch = RowsBatch(rows, transaction);
        Execute(batch);
    }

    public (long Id, string Hash)? WriteAndReadAuditTail(JournalRows rows, DbTransaction transaction)
    {
        using var batch = RowsBatch(rows, transaction);
        var tail = new NpgsqlBatchCommand(tables.AuditTailSql);
        batch.BatchCommands.Add(tail);
        var last = Fenced(() =>
        {
            (long Id, string Hash)? read = null;
            using var reader = batch.ExecuteReader();
            // The inserts return no rows and the checks (the fence, the updates) one column; the tail's result has two.
            do
            {
                if (reader.FieldCount == 2 && reader.Read())
                {
                    read = (reader.GetInt64(0), reader.GetString(1));
                }
            }
            while (reader.NextResult());
            return read;
        });
        batch.BatchCommands.Remove(tail);
        CheckRowCounts(batch.BatchCommands);
        return last;
    }

    private NpgsqlBatch RowsBatch(JournalRows rows, DbTransaction? transaction)
    {
        _expected.Clear();
        var batch = new NpgsqlBatch(connection, (NpgsqlTransaction?)transaction);
        if (Fence is { } fence)
        {
            // First, so the row's lock is held from here to the commit: a takeover waits for this commit, and a commit after
            // a takeover finds no row of its epoch.
            batch.BatchCommands.Add(new NpgsqlBatchCommand(FenceSql) { Parameters = { new() { Value = fence.Shard }, new() { Value = fence.Epoch } } });
            _expected.Add(null);
        }
        Add(batch, _insertOrders, rows.NewOrders);
        foreach (var order in rows.ChangedOrders)
        {
            var command = new NpgsqlBatchCommand(_updateOrder);
            foreach (var index in _updatedOrderColumns)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = tables.Orders.Columns[index].ProviderValue(order) });
            }
            batch.BatchCommands.Add(command);
            _expected.Add(null);
        }
        Add(batch, _insertEvents, rows.Events);
        Add(batch, _insertTrades, rows.Trades);
        Add(batch, _insertSnapshots, rows.Snapshots);
        Add(batch, _insertDecisions, rows.Decisions);
        return batch;
    }

    public void WriteWithAudit(JournalRows rows, IReadOnlyList<AuditRecord> records, DbTransaction transaction) => RowsAndAudit(rows, records, transaction);

    /// <summary>The rows and the audit records as one batch, in <paramref name="transaction"/> or, without one, as its own implicit transaction.</summary>
    private void RowsAndAudit(JournalRows rows, IReadOnlyList<AuditRecord> records, DbTransaction? transaction)
    {
        using var batch = RowsBatch(rows, transaction);
        Add(batch, _insertAudit, records);
        Execute(batch);
    }

    public void WriteAudit(IReadOnlyList<AuditRecord> records, DbTransaction transaction)
    {
        _expected.Clear();
        using var batch = new NpgsqlBatch(connection, (NpgsqlTransaction)transaction);
        Add(batch, _insertAudit, records);
        Execute(batch);
    }

    /// <summary>
    /// The batch with no transaction of the client's: PostgreSQL runs the statements up to the batch's one Sync as an implicit
    /// transaction, rolled back whole at the first error (Npgsql's default: no error barriers) and committed at the end, so the
    /// answer is the commit's.
    /// </summary>
    public void WriteAndCommit(JournalRows rows, IReadOnlyList<AuditRecord> records) => RowsAndAudit(rows, records, transaction: null);

    private static string Positional(int index) => "$" + (index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public (long Id, string Hash)? AuditTail(DbTransaction transaction)
    {
        using var command = new NpgsqlCommand(tables.AuditTailSql, connection, (NpgsqlTransaction)transaction);
        using var reader = command.ExecuteReader();
        return reader.Read() ? (reader.GetInt64(0), reader.GetString(1)) : null;
    }

    private void Add<T>(NpgsqlBatch batch, PostgresRowSet statement, IReadOnlyList<T> rows) where T : class
    {
        if (rows.Count == 0)
        {
            return;
        }
        batch.BatchCommands.Add(statement.Command(rows));
        _expected.Add(rows.Count);
    }

    private void Execute(NpgsqlBatch batch)
    {
        if (batch.BatchCommands.Count == 0)
        {
            return;
        }
        Fenced(batch.ExecuteNonQuery);
        CheckRowCounts(batch.BatchCommands);
    }

    /// <summary>Runs the batch; the fence's error from the server becomes <see cref="Cluster.WriterFencedException"/>, so the writer knows it no longer leads.</summary>
    private T Fenced<T>(Func<T> run)
    {
        try
        {
            return run();
        }
        catch (PostgresException ex) when (ex.SqlState == FenceLost && Fence is { } fence)
        {
            throw new Cluster.WriterFencedException(fence);
        }
    }

    /// <summary>
    /// Every insert reported the rows it was given (a multi-row INSERT stores all or fails, so this guards the statements' making).
    /// The fence and the updates were checked by the server, which refused the whole batch had one touched the wrong rows.
    /// </summary>
    private void CheckRowCounts(NpgsqlBatchCommandCollection commands)
    {
        if (commands.Count != _expected.Count)
        {
            throw new InvalidOperationException($"the order journal's batch has {commands.Count} statements but {_expected.Count} row counts");
        }
        for (var i = 0; i < commands.Count; i++)
        {
            if (_expected[i] is { } expected && commands[i].RecordsAffected != expected)
            {
                throw new InvalidOperationException(
                    $"a statement of the order journal touched {commands[i].RecordsAffected} rows, not {expected}: {commands[i].CommandText}");
            }
        }
    }

    public void Dispose()
    {
    }
}
