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

    private WriterSession(DbConnection connection, TradSysDbContext db, IJournalRowWriter rows)
    {
        Connection = connection;
        Db = db;
        Rows = rows;
        _versions = connection.CreateCommand();
        _versions.CommandText = "SELECT \"Name\", \"Version\" FROM \"reference_versions\"";
        _versions.Prepare();
    }

    /// <summary>The reference tables' change counters, read on the writer's connection (a prepared two-row read).</summary>
    public async Task<(long Accounts, long Instruments)> ReadAsync(CancellationToken cancellationToken)
    {
        long accounts = 0, instruments = 0;
        await using var reader = await _versions.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            switch (reader.GetString(0))
            {
                case "accounts":
                    accounts = reader.GetInt64(1);
                    break;
                case "instruments":
                    instruments = reader.GetInt64(1);
                    break;
            }
        }
        return (accounts, instruments);
    }

    public DbConnection Connection { get; }

    public TradSysDbContext Db { get; }

    public IJournalRowWriter Rows { get; }

    public static async Task<WriterSession> OpenAsync(DatabaseSettings settings, CancellationToken cancellationToken)
    {
        switch (settings.Provider)
        {
            case DatabaseProvider.Postgres:
            {
                var connection = new NpgsqlConnection(settings.ConnectionString);
                await connection.OpenAsync(cancellationToken);
                var db = new PostgresDbContext(new DbContextOptionsBuilder<PostgresDbContext>().UseNpgsql(connection).UseOpenIddict().Options);
                return new WriterSession(connection, db, new PostgresJournalRowWriter(connection, new JournalTables(db.Model)));
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
                    pragma.CommandText = "PRAGMA foreign_keys = 1; PRAGMA wal_autocheckpoint = 0; PRAGMA busy_timeout = 5000;";
                    await pragma.ExecuteNonQueryAsync(cancellationToken);
                }
                var db = new SqliteDbContext(new DbContextOptionsBuilder<SqliteDbContext>().UseSqlite(connection).UseOpenIddict().Options);
                return new WriterSession(connection, db, new SqliteJournalRowWriter(connection, new JournalTables(db.Model)));
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
