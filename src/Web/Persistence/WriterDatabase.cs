using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using TradSys.Web.Hosting;

namespace TradSys.Web.Persistence;

/// <summary>Which database the platform uses and how to reach it (from <see cref="PersistenceExtensions.AddPersistence"/>).</summary>
public sealed record DatabaseSettings(DatabaseProvider Provider, string ConnectionString);

/// <summary>
/// The order writer's own database session: one connection opened for the writer and kept open (its prepared statements live
/// as long as it does), an EF Core context on that connection for the few rows the writer writes through EF Core (held orders'
/// workflow instances, instruments whose phase state moved) and its batch reads, and the provider's row writer for the
/// journal. Opened again after a failure.
/// </summary>
internal sealed class WriterSession : IAsyncDisposable, Ordering.IReferenceVersions
{
    private readonly DbCommand _versions;
    private readonly ReferenceChangeSignal? _signal;
    private (long Accounts, long Instruments, long RulePacks, long Venues, long FxRates) _lastRead;
    private long _lastStamp = -1;
    private long _lastLocal = -1;
    private long _lastReadAt;

    private WriterSession(DbConnection connection, TradSysDbContext db, IJournalRowWriter rows, ReferenceChangeSignal? signal)
    {
        Connection = connection;
        Db = db;
        Rows = rows;
        _signal = signal;
        _versions = connection.CreateCommand();
        _versions.CommandText = "SELECT \"Name\", \"Version\" FROM \"reference_versions\"";
        _versions.Prepare();
    }

    /// <summary>
    /// The reference tables' change counters, read on the writer's connection (a prepared read of a few rows); answered from the last
    /// read instead while <see cref="ReferenceChangeSignal"/> listens and has signaled nothing since (no change committed since that
    /// read began), for at most <see cref="ReferenceChangeSignal.MaxAge"/>.
    /// </summary>
    public (long Accounts, long Instruments, long RulePacks, long Venues, long FxRates) Read()
    {
        // The stamp is taken BEFORE the read: a change committed while the read runs moves it, and the next batch reads again.
        var stamp = _signal?.Stamp ?? -1;
        var local = ReferenceChangeSignal.LocalChanges;
        var now = System.Diagnostics.Stopwatch.GetTimestamp();
        if (stamp >= 0 && stamp == _lastStamp && local == _lastLocal &&
            System.Diagnostics.Stopwatch.GetElapsedTime(_lastReadAt, now) < ReferenceChangeSignal.MaxAge)
        {
            _signal!.CountRead(skipped: true);
            return _lastRead;
        }
        _signal?.CountRead(skipped: false);
        _lastRead = ReadCounters();
        _lastStamp = stamp;
        _lastLocal = local;
        _lastReadAt = now;
        return _lastRead;
    }

    private (long Accounts, long Instruments, long RulePacks, long Venues, long FxRates) ReadCounters()
    {
        long accounts = 0, instruments = 0, rulePacks = 0, venues = 0, fxRates = 0;
        using var reader = _versions.ExecuteReader();
        while (reader.Read())
        {
            switch (reader.GetString(0))
            {
                case "accounts":
                    accounts = reader.GetInt64(1);
                    break;
                case "instruments":
                    instruments = reader.GetInt64(1);
                    break;
                case "rulepacks":
                    rulePacks = reader.GetInt64(1);
                    break;
                case "venues":
                    venues = reader.GetInt64(1);
                    break;
                case "fxrates":
                    fxRates = reader.GetInt64(1);
                    break;
            }
        }
        return (accounts, instruments, rulePacks, venues, fxRates);
    }

    public DbConnection Connection { get; }

    /// <summary>
    /// Embedded mode, between two batches: checkpoints the whole write-ahead log so that the next commit writes it from its
    /// beginning (<see cref="WriteAheadLog"/>). RESTART waits for readers still reading old frames, here for at most 20 ms
    /// (a long report query must not hold the order path); if one is still reading, the log restarts at a later request.
    /// Returns the frames that were in the log, or null when it could not restart yet.
    /// </summary>
    public async Task<long?> RestartLogAsync(CancellationToken cancellationToken)
    {
        await using var command = Connection.CreateCommand();
        command.CommandText = "PRAGMA busy_timeout = 20;";
        await command.ExecuteNonQueryAsync(cancellationToken);
        try
        {
            command.CommandText = "PRAGMA wal_checkpoint(RESTART);";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            // One row: busy (1 when a reader or another writer kept it from completing), frames in the log, frames copied.
            return await reader.ReadAsync(cancellationToken) && reader.GetInt64(0) == 0 ? reader.GetInt64(1) : null;
        }
        finally
        {
            command.CommandText = "PRAGMA busy_timeout = 5000;";
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public TradSysDbContext Db { get; }

    public IJournalRowWriter Rows { get; }

    /// <param name="settings">The database.</param>
    /// <param name="signal">PostgreSQL's reference-change signal (null: the counters are read every batch).</param>
    /// <param name="cancellationToken">Cancels the opening.</param>
    public static async Task<WriterSession> OpenAsync(DatabaseSettings settings, CancellationToken cancellationToken, ReferenceChangeSignal? signal = null)
    {
        switch (settings.Provider)
        {
            case DatabaseProvider.Postgres:
            {
                // The journal sends the same few statements every batch: Npgsql prepares them on this connection after their
                // second use, so the server parses and plans each once for the connection's life instead of once per row.
                var builder = new NpgsqlConnectionStringBuilder(settings.ConnectionString);
                builder.MaxAutoPrepare = Math.Max(builder.MaxAutoPrepare, 32);
                builder.AutoPrepareMinUsages = 2;
                var connection = new NpgsqlConnection(builder.ConnectionString);
                await connection.OpenAsync(cancellationToken);
                var db = new PostgresDbContext(new DbContextOptionsBuilder<PostgresDbContext>().UseNpgsql(connection).UseOpenIddict().Options);
                return new WriterSession(connection, db, new PostgresJournalRowWriter(connection, new JournalTables(db.Model)), signal);
            }
            default:
            {
                var connection = new SqliteConnection(settings.ConnectionString);
                await connection.OpenAsync(cancellationToken);
                await using (var pragma = connection.CreateCommand())
                {
                    // As EF Core sets them on its own connections: foreign keys enforced. The database file is in WAL mode with
                    // synchronous FULL (set at start-up, kept in the file), so a commit is durable when it returns. No automatic
                    // checkpoint inside the writer's commits: SqliteCheckpointer copies the log into the file off the order path.
                    // When another connection holds the write lock for a moment (the outbox saving its position, an API
                    // save), SQLite's own busy handler waits in steps of 1-100 ms; without it Microsoft.Data.Sqlite retries
                    // after sleeping 150 ms, and every order of the batch waited that long (the writer benchmark's p99.9).
                    // A log that grew past the limit (a long backlog) is cut back to it when it restarts.
                    pragma.CommandText = "PRAGMA foreign_keys = 1; PRAGMA wal_autocheckpoint = 0; PRAGMA busy_timeout = 5000; " +
                        $"PRAGMA journal_size_limit = {WriteAheadLog.SizeLimitBytes};";
                    await pragma.ExecuteNonQueryAsync(cancellationToken);
                }
                var db = new SqliteDbContext(new DbContextOptionsBuilder<SqliteDbContext>().UseSqlite(connection).UseOpenIddict().Options);
                return new WriterSession(connection, db, new SqliteJournalRowWriter(connection, new JournalTables(db.Model)), null);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _versions.DisposeAsync();
        Rows.Dispose();
        await Db.DisposeAsync();
        await Connection.DisposeAsync();
    }
}
