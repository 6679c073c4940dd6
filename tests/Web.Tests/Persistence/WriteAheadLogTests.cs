using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using TradSys.Web.Hosting;
using TradSys.Web.Persistence;

namespace TradSys.Web.Tests.Persistence;

/// <summary>
/// Embedded mode's write-ahead log under steady load: the background checkpointer alone never lets it start again from
/// its beginning, so it grew without bound (2.8 GB after a minute of the load tool); the writer's own checkpoint between
/// two batches restarts it.
/// </summary>
public sealed class WriteAheadLogTests : IAsyncLifetime
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "tradsys-tests", $"wal-{Guid.NewGuid():N}.db");
    private string ConnectionString => $"Data Source={_path};Pooling=false";

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        await using var db = new SqliteDbContext(new DbContextOptionsBuilder<SqliteDbContext>().UseSqlite(ConnectionString).Options);
        await db.Database.MigrateAsync();
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL;");
        await db.Database.ExecuteSqlRawAsync("CREATE TABLE wal_probe (id INTEGER PRIMARY KEY, payload BLOB NOT NULL);");
    }

    public Task DisposeAsync()
    {
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(_path + suffix);
        }
        return Task.CompletedTask;
    }

    [Fact]
    public async Task The_log_grows_under_steady_load_until_the_writer_restarts_it()
    {
        await using var session = await WriterSession.OpenAsync(new DatabaseSettings(DatabaseProvider.Sqlite, ConnectionString), default);
        await using var checkpointer = new SqliteConnection(ConnectionString);
        await checkpointer.OpenAsync();
        await using var reader = new SqliteConnection(ConnectionString);
        await reader.OpenAsync();

        // Steady load, one step at a time: a commit, a reader that started before the next commit, the checkpointer
        // copying while that reader still reads (so not the newest frames), the reader done, and so on.
        var sizes = new List<long>();
        for (var round = 0; round < 8; round++)
        {
            await CommitAsync(session);
            await using (var transaction = reader.BeginTransaction(deferred: true))
            {
                await ScalarAsync(reader, "SELECT count(*) FROM wal_probe;", transaction);
                await CommitAsync(session);
                sizes.Add((await PassiveCheckpointAsync(checkpointer)).Frames);
            }
        }
        Assert.True(sizes[^1] > sizes[0] * 4, $"the log should keep growing under the checkpointer alone: {string.Join(", ", sizes)} frames");
        var before = sizes[^1];

        var frames = await session.RestartLogAsync(default);

        Assert.NotNull(frames);
        Assert.True(frames >= before, $"the restart checkpointed the whole log ({frames} frames, {before} before)");
        await CommitAsync(session);
        var after = await PassiveCheckpointAsync(checkpointer);
        Assert.True(after.Frames < sizes[0], $"the next commit writes the log from its beginning: {after.Frames} frames in it, {before} before");
    }

    [Fact]
    public async Task A_reader_still_on_old_frames_postpones_the_restart_without_holding_the_writer()
    {
        await using var session = await WriterSession.OpenAsync(new DatabaseSettings(DatabaseProvider.Sqlite, ConnectionString), default);
        await using var reader = new SqliteConnection(ConnectionString);
        await reader.OpenAsync();
        await CommitAsync(session);
        await using var transaction = reader.BeginTransaction(deferred: true);
        await ScalarAsync(reader, "SELECT count(*) FROM wal_probe;", transaction);
        await CommitAsync(session);

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var frames = await session.RestartLogAsync(default);

        Assert.Null(frames);
        // The writer's usual patience for a locked database (5 s) is restored for its commits.
        Assert.Equal(5000L, await ScalarAsync(session.Connection, "PRAGMA busy_timeout;"));
        Assert.True(System.Diagnostics.Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(5), "the writer did not wait out its commit timeout");
        await CommitAsync(session);
    }

    [Fact]
    public void A_restart_is_asked_for_once_per_checkpoint_that_finds_the_log_long()
    {
        var wal = new WriteAheadLog();
        wal.Checkpointed(100, restartDue: false);
        Assert.False(wal.TakeRestart());
        wal.Checkpointed(WriteAheadLog.RestartFrames + 10, restartDue: true);
        Assert.Equal(WriteAheadLog.RestartFrames + 10, wal.Frames);
        Assert.True(wal.TakeRestart());
        Assert.False(wal.TakeRestart());
        wal.Restarted(TimeSpan.FromMilliseconds(12));
        Assert.Equal(1, wal.Restarts);
        Assert.Equal(0, wal.Frames);
        Assert.Equal(TimeSpan.FromMilliseconds(12), wal.LongestRestart);
    }

    private static async Task CommitAsync(WriterSession session)
    {
        await using var transaction = (SqliteTransaction)await session.Connection.BeginTransactionAsync();
        await using var command = ((SqliteConnection)session.Connection).CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO wal_probe (payload) VALUES (zeroblob(12000));";
        await command.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
    }

    private static async Task<(long Frames, long Copied)> PassiveCheckpointAsync(SqliteConnection connection)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (reader.GetInt64(1), reader.GetInt64(2));
    }

    private static async Task<long> ScalarAsync(System.Data.Common.DbConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
