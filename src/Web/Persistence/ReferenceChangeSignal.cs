using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace TradSys.Web.Persistence;

/// <summary>
/// Whether the reference tables' change counters (<c>reference_versions</c>) can have moved since the order writer last read them,
/// so that the writer reads them only then instead of once a batch (a round trip a batch on PostgreSQL). <see cref="Stamp"/> is
/// negative while nobody listens (SQLite; PostgreSQL before its listener is up, or after it lost its connection): the writer then
/// reads the counters every batch, as it always did. While <see cref="ReferenceChangeListener"/> listens, the stamp changes with every
/// notification the counters' trigger sends as a change commits, whoever commits it, and the writer reads the counters again at its
/// next batch after a change of stamp (and at least once every <see cref="MaxAge"/> whatever the stamp says).
/// </summary>
public sealed class ReferenceChangeSignal
{
    /// <summary>The channel the counters' trigger function notifies (<c>pg_notify</c>) with the counter's name.</summary>
    public const string Channel = "tradsys_reference_versions";

    /// <summary>The longest the writer goes without reading the counters while nothing was signaled (a safety net, not the mechanism).</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(1);

    private static long _localChanges;

    private long _stamp = -1;
    private long _counter;
    private long _notifications;
    private long _reads;
    private long _readsSkipped;

    /// <summary>Negative while nobody listens; otherwise a value that changes with every notification and every new listening connection.</summary>
    public long Stamp => Volatile.Read(ref _stamp);

    /// <summary>Changes to the counted tables saved or committed through this process's contexts (<see cref="TradSysDbContext"/>).</summary>
    public static long LocalChanges => Interlocked.Read(ref _localChanges);

    /// <summary>A change to a counted table was saved or committed in this process: the writer reads the counters at its next batch.</summary>
    internal static void LocalChange() => Interlocked.Increment(ref _localChanges);

    /// <summary>Notifications received since start (for the health page and tests).</summary>
    public long Notifications => Volatile.Read(ref _notifications);

    /// <summary>The order writer's batches that read the counters from the database since start.</summary>
    public long Reads => Interlocked.Read(ref _reads);

    /// <summary>The order writer's batches that took the counters of their last read instead (nothing signaled since).</summary>
    public long ReadsSkipped => Interlocked.Read(ref _readsSkipped);

    /// <summary>The writer read the counters (<paramref name="skipped"/>: or took its last read's, the signal quiet).</summary>
    internal void CountRead(bool skipped) => Interlocked.Increment(ref skipped ? ref _readsSkipped : ref _reads);

    /// <summary>A listening connection is up (its <c>LISTEN</c> ran): a fresh stamp, never one used before.</summary>
    internal void Listening() => Volatile.Write(ref _stamp, Interlocked.Increment(ref _counter));

    /// <summary>A counter moved (a notification arrived).</summary>
    internal void Changed()
    {
        Interlocked.Increment(ref _notifications);
        Volatile.Write(ref _stamp, Interlocked.Increment(ref _counter));
    }

    /// <summary>The listening connection is gone: the writer reads every batch until it is back.</summary>
    internal void NotListening() => Volatile.Write(ref _stamp, -1);
}

/// <summary>
/// PostgreSQL: one connection of its own that <c>LISTEN</c>s on <see cref="ReferenceChangeSignal.Channel"/>, raising the signal on each
/// notification. It listens only once it has checked that the database's trigger function notifies (the migration
/// <c>ReferenceVersionsNotify</c>): against an older schema the writer keeps reading the counters every batch. A lost connection
/// drops the signal at once (the writer reads every batch) and is opened again after <see cref="RetryDelay"/>; Npgsql's keepalive
/// finds a connection that died silently.
/// </summary>
internal sealed class ReferenceChangeListener(DatabaseSettings database, ReferenceChangeSignal signal, ILogger<ReferenceChangeListener> log)
    : BackgroundService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(database.ConnectionString) { KeepAlive = 5, Pooling = false, ApplicationName = "tradsys-reference-listener" };
        var warned = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(builder.ConnectionString);
                await connection.OpenAsync(stoppingToken);
                if (!await TriggerNotifiesAsync(connection, stoppingToken))
                {
                    if (!warned)
                    {
                        log.LogWarning("The reference tables' trigger does not notify yet (migration ReferenceVersionsNotify not applied): the order " +
                                       "writer reads the change counters every batch; checking again every {Delay} s", RetryDelay.TotalSeconds);
                        warned = true;
                    }
                    await Task.Delay(RetryDelay, stoppingToken);
                    continue;
                }
                connection.Notification += (_, _) => signal.Changed();
                await using (var listen = new NpgsqlCommand($"LISTEN {ReferenceChangeSignal.Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }
                signal.Listening();
                log.LogInformation("Listening for reference changes: the order writer reads the change counters only after one");
                try
                {
                    while (true)
                    {
                        await connection.WaitAsync(stoppingToken);
                    }
                }
                finally
                {
                    signal.NotListening();
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or System.IO.IOException or TimeoutException)
            {
                signal.NotListening();
                log.LogWarning(ex, "The reference-change listener lost its connection; the order writer reads the change counters every batch " +
                                   "until it is back (retry in {Delay} s)", RetryDelay.TotalSeconds);
                await Task.Delay(RetryDelay, stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // Anything else is a defect here, logged as one; the platform goes on with the safe path (the counters read every batch)
                // rather than stopping the host, which an exception leaving a background service would do.
                signal.NotListening();
                log.LogError(ex, "The reference-change listener failed; the order writer reads the change counters every batch (retry in {Delay} s)",
                    RetryDelay.TotalSeconds);
                await Task.Delay(RetryDelay, stoppingToken);
            }
        }
    }

    private static async Task<bool> TriggerNotifiesAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var check = new NpgsqlCommand(
            "SELECT count(*) FROM pg_proc WHERE proname = 'reference_version_bump' AND prosrc LIKE '%pg_notify%'", connection);
        return (long)(await check.ExecuteScalarAsync(cancellationToken))! > 0;
    }
}

/// <summary>
/// At the commit of a transaction in which a <see cref="TradSysDbContext"/> saved a counted table's row, signals the change again
/// (<see cref="ReferenceChangeSignal.LocalChange"/>): the save's own signal came before the commit, so a batch in between read the
/// counters before they moved.
/// </summary>
internal sealed class ReferenceCommitInterceptor : DbTransactionInterceptor
{
    public static readonly ReferenceCommitInterceptor Instance = new();

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        Committed(eventData.Context);
    }

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        Committed(eventData.Context);
        return Task.CompletedTask;
    }

    private static void Committed(Microsoft.EntityFrameworkCore.DbContext? context)
    {
        if (context is TradSysDbContext { ReferenceWritePending: true } db)
        {
            db.ReferenceWritePending = false;
            ReferenceChangeSignal.LocalChange();
        }
    }
}
