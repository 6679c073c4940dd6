using System.Diagnostics;
using Npgsql;
using TradSys.Web.Persistence;

namespace TradSys.Web.Cluster;

/// <summary>
/// The writer's leadership in a cluster: the shard's row in <c>writer_leases</c>, on PostgreSQL, held by one node at a time.
/// <list type="bullet">
/// <item>A standby tries every <see cref="ClusterOptions.PollEvery"/> to take the lease once it has expired by the database's
/// clock (one statement; the takeover raises the epoch). Nodes' own clocks never decide anything.</item>
/// <item>The leader renews it every <see cref="ClusterOptions.RenewEvery"/>, where the epoch is still its own. A renewal that finds
/// another epoch ends the term; so does a lease this node could not renew for a whole <see cref="ClusterOptions.Lease"/> (by its
/// own monotonic clock: the database may have let it expire and given it to another node).</item>
/// <item>Safety does not rest on those timings: every commit of the writer updates the row where the epoch is its term's
/// (<see cref="WriterFence"/>), in the commit's transaction, so a leader that lost its lease while paused commits nothing. A
/// takeover waits for a commit in flight, and a commit after the takeover finds no row of its epoch.</item>
/// <item>At a clean stop (after the writer has stopped: this service is registered before it) the leader lets the lease
/// expire at once, so a standby takes over on its next try instead of after the lease.</item>
/// </list>
/// </summary>
public sealed class LeaseLeadership(ClusterOptions options, DatabaseSettings database, ILogger<LeaseLeadership> log)
    : BackgroundService, IWriterLeadership
{
    private const string AcquireSql = """
        INSERT INTO writer_leases ("Shard", "Epoch", "Holder", "AdvertisedUrl", "AcquiredAt", "ExpiresAt", "CommittedBatches")
        VALUES ($1, 1, $2, $4, now(), now() + $3 * interval '1 millisecond', 0)
        ON CONFLICT ("Shard") DO UPDATE
            SET "Epoch" = writer_leases."Epoch" + 1, "Holder" = EXCLUDED."Holder", "AdvertisedUrl" = EXCLUDED."AdvertisedUrl",
                "AcquiredAt" = now(), "ExpiresAt" = EXCLUDED."ExpiresAt"
            WHERE writer_leases."ExpiresAt" < now()
        RETURNING "Epoch"
        """;

    private const string RenewSql = """
        UPDATE writer_leases SET "ExpiresAt" = now() + $3 * interval '1 millisecond'
        WHERE "Shard" = $1 AND "Epoch" = $2
        """;

    private const string ReleaseSql = """
        UPDATE writer_leases SET "ExpiresAt" = now() - interval '1 millisecond'
        WHERE "Shard" = $1 AND "Epoch" = $2
        """;

    private const string HolderSql = """SELECT "Holder", "Epoch", "AdvertisedUrl" FROM writer_leases WHERE "Shard" = $1""";

    private readonly object _gate = new();

    /// <summary>One statement at a time on the lease's connection (a stop may come while a renewal is still on the wire).</summary>
    private readonly SemaphoreSlim _statement = new(1, 1);
    private WriterTerm _term = new(false, options.Shard, 0, Fenced: true, Leader: null);
    private long _renewedAt;
    private NpgsqlConnection? _connection;

    public WriterTerm Current
    {
        get
        {
            lock (_gate)
            {
                return _term;
            }
        }
    }

    public void Lost(long epoch, string reason)
    {
        lock (_gate)
        {
            if (!_term.Leads || _term.Epoch != epoch)
            {
                return;
            }
            _term = _term with { Leads = false, Leader = null, LeaderUrl = null };
        }
        log.LogWarning("This node ({Node}) no longer writes shard {Shard}: {Reason}", options.NodeName, options.Shard, reason);
    }

    /// <summary>The first try before the other services start: a lone or first node leads from its first request.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await StepAsync(cancellationToken);
        }
        catch (NpgsqlException ex)
        {
            log.LogWarning(ex, "The writer's lease could not be read at start; trying again every {Poll}", options.PollEvery);
            await DropConnectionAsync();
        }
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(Current.Leads ? options.RenewEvery : options.PollEvery, stoppingToken).ConfigureAwait(false);
            try
            {
                await StepAsync(stoppingToken);
            }
            catch (NpgsqlException ex)
            {
                await DropConnectionAsync();
                var term = Current;
                if (term.Leads && Stopwatch.GetElapsedTime(Interlocked.Read(ref _renewedAt)) >= options.Lease)
                {
                    Lost(term.Epoch, $"its lease could not be renewed for {options.Lease.TotalSeconds:0.#} s ({ex.Message})");
                }
                else
                {
                    log.LogWarning(ex, "The writer's lease could not be {Action}; trying again", term.Leads ? "renewed" : "read");
                }
            }
        }
    }

    /// <summary>One renewal (leading) or one try to take the lease (standby).</summary>
    private async Task StepAsync(CancellationToken cancellationToken)
    {
        await _statement.WaitAsync(cancellationToken);
        try
        {
            await StepOnceAsync(cancellationToken);
        }
        finally
        {
            _statement.Release();
        }
    }

    private async Task StepOnceAsync(CancellationToken cancellationToken)
    {
        var connection = await ConnectionAsync(cancellationToken);
        var term = Current;
        var lease = options.Lease.TotalMilliseconds;
        if (term.Leads)
        {
            var asked = Stopwatch.GetTimestamp();
            await using var renew = new NpgsqlCommand(RenewSql, connection) { Parameters = { new() { Value = options.Shard }, new() { Value = term.Epoch }, new() { Value = lease } } };
            if (await renew.ExecuteNonQueryAsync(cancellationToken) == 1)
            {
                Interlocked.Exchange(ref _renewedAt, asked);
                return;
            }
            Lost(term.Epoch, "its lease has a newer epoch: another node took it over");
            return;
        }
        var started = Stopwatch.GetTimestamp();
        await using var acquire = new NpgsqlCommand(AcquireSql, connection)
        {
            Parameters =
            {
                new() { Value = options.Shard }, new() { Value = options.NodeName }, new() { Value = lease },
                new() { Value = options.AdvertisedUrl?.AbsoluteUri ?? (object)DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text },
            },
        };
        if (await acquire.ExecuteScalarAsync(cancellationToken) is long epoch)
        {
            Interlocked.Exchange(ref _renewedAt, started);
            lock (_gate)
            {
                _term = new WriterTerm(true, options.Shard, epoch, Fenced: true, Leader: options.NodeName, LeaderUrl: options.AdvertisedUrl);
            }
            log.LogWarning("This node ({Node}) now writes shard {Shard} under epoch {Epoch}", options.NodeName, options.Shard, epoch);
            return;
        }
        await using var holder = new NpgsqlCommand(HolderSql, connection) { Parameters = { new() { Value = options.Shard } } };
        await using var reader = await holder.ExecuteReaderAsync(cancellationToken);
        if (await reader.ReadAsync(cancellationToken))
        {
            var leader = reader.GetString(0);
            var leaderEpoch = reader.GetInt64(1);
            // Written by the leader from its own validated setting; a row edited by hand to something else is no address.
            var leaderUrl = !reader.IsDBNull(2) && Uri.TryCreate(reader.GetString(2), UriKind.Absolute, out var url) ? url : null;
            lock (_gate)
            {
                if (!_term.Leads)
                {
                    _term = _term with { Epoch = leaderEpoch, Leader = leader, LeaderUrl = leaderUrl };
                }
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await _statement.WaitAsync(CancellationToken.None);
        try
        {
            await ReleaseAsync(cancellationToken);
        }
        finally
        {
            _statement.Release();
        }
    }

    private async Task ReleaseAsync(CancellationToken cancellationToken)
    {
        var term = Current;
        if (term.Leads)
        {
            Lost(term.Epoch, "the node is stopping");
            try
            {
                var connection = await ConnectionAsync(cancellationToken);
                await using var release = new NpgsqlCommand(ReleaseSql, connection) { Parameters = { new() { Value = options.Shard }, new() { Value = term.Epoch } } };
                await release.ExecuteNonQueryAsync(cancellationToken);
            }
            catch (NpgsqlException ex)
            {
                log.LogWarning(ex, "The writer's lease could not be released at stop; a standby takes over when it expires");
            }
        }
        await DropConnectionAsync();
    }

    private async Task<NpgsqlConnection> ConnectionAsync(CancellationToken cancellationToken)
    {
        if (_connection is { State: System.Data.ConnectionState.Open } open)
        {
            return open;
        }
        await DropConnectionAsync();
        // Its own connection, outside the pool the requests share, so a renewal never queues behind them.
        var builder = new NpgsqlConnectionStringBuilder(database.ConnectionString)
        {
            Pooling = false,
            ApplicationName = $"tradsys-lease-{options.NodeName}",
            // A stalled server must not hold a renewal past the lease.
            Timeout = Math.Max(1, (int)options.Lease.TotalSeconds),
            CommandTimeout = Math.Max(1, (int)options.Lease.TotalSeconds),
        };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        _connection = connection;
        return connection;
    }

    private async Task DropConnectionAsync()
    {
        if (_connection is { } connection)
        {
            _connection = null;
            await connection.DisposeAsync();
        }
    }
}
