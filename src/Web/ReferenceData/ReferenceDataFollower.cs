using Microsoft.EntityFrameworkCore;
using TradSys.Web.Cluster;
using TradSys.Web.Ordering;
using TradSys.Web.Persistence;

namespace TradSys.Web.ReferenceData;

/// <summary>
/// Keeps a node that does not write the books (a standby of a cluster, issue 14) on the reference data the leader keeps: every
/// <c>Cluster:ReferenceFollowSeconds</c> (default 2) it reads the reference tables' change counters (<c>reference_versions</c>, raised by
/// triggers on every change, whoever makes it); when the FX rates' counter moved it takes the FX table again, and when the instruments' or the venues' counter moved, brings the node's
/// <see cref="ReferenceDataCache"/> to the rows in the database (<see cref="ReferenceDataCache.FollowAsync"/>): a new listing joins, an
/// edited or delisted instrument is taken again, a venue's changed calendar is taken. So the instrument reads, the listing and calendar
/// reads and the portal of a standby show what the leader did, and the API's pre-trade checks use the current calendars.
/// <para>While this node's order writer holds the reference data (it leads) the follower reads nothing: the writer changes it, and
/// takes the database's rows itself when its term starts (<see cref="ReferenceDataCache.TakeOverAsync"/>). A single node's writer holds it
/// from the start, so there this service only checks a flag.</para>
/// </summary>
public sealed class ReferenceDataFollower(IServiceScopeFactory scopes, ReferenceDataCache referenceData, IWriterLeadership leadership,
    OrderWriter writer, ClusterOptions options, ILogger<ReferenceDataFollower> log) : BackgroundService
{
    private long _instruments = -1;
    private long _venues = -1;
    private long _fx = -1;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.ReferenceFollowEvery);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (referenceData.HeldByWriter)
            {
                // When the writer is in charge again after a term, everything is compared once, whatever the counters say.
                _instruments = _venues = _fx = -1;
                if (!leadership.Current.Leads)
                {
                    await StandWriterDownAsync(stoppingToken);
                }
                continue;
            }
            try
            {
                await FollowOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException or TimeZoneNotFoundException)
            {
                log.LogWarning(ex, "Following the reference data failed (database unreachable or a malformed venue or instrument row); this node " +
                    "keeps its copy and tries again in {Interval}", options.ReferenceFollowEvery);
            }
        }
    }

    /// <summary>
    /// Reads the counters once and, when the instruments' or venues' one moved since the last read, takes the rows. What it changed, or
    /// null when nothing moved or the writer holds the reference data.
    /// </summary>
    public async Task<ReferenceSync?> FollowOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TradSysDbContext>();
        var counters = await db.ReferenceVersions.AsNoTracking().ToDictionaryAsync(v => v.Name, v => v.Version, cancellationToken);
        var instruments = counters.GetValueOrDefault("instruments");
        var venues = counters.GetValueOrDefault("venues");
        var fx = counters.GetValueOrDefault("fxrates");
        if (fx != _fx && await referenceData.FollowFxAsync(db, cancellationToken))
        {
            // An FX rate changed (through the API on any node, reference load, SQL): the API's conversions on this node use it now.
            _fx = fx;
            log.LogInformation("Reference FX rates followed (counter {Version})", fx);
        }
        if (instruments == _instruments && venues == _venues)
        {
            return null;
        }
        // The counters were read before the rows: a change made in between is taken now or, its counter having moved, at the next read.
        var sync = await referenceData.FollowAsync(db, cancellationToken);
        if (sync is null)
        {
            return null;
        }
        _instruments = instruments;
        _venues = venues;
        if (sync.Changed)
        {
            log.LogInformation("Reference data followed: listed {Listed}, taken again {Replaced}, venue calendars {Venues}",
                string.Join(", ", sync.Listed), string.Join(", ", sync.Replaced), string.Join(", ", sync.Venues));
        }
        if (sync.LeftOut.Count > 0)
        {
            log.LogWarning("Reference data not taken until a restart (its venue was not loaded at start): {LeftOut}", string.Join(", ", sync.LeftOut));
        }
        return sync;
    }

    /// <summary>
    /// This node no longer leads but its writer has not heard yet (no command reached it since): a tick is sent to it, which it
    /// refuses as a standby and so hands the reference data back. Should this node lead again by then, it is the session watcher's tick.
    /// </summary>
    private async Task StandWriterDownAsync(CancellationToken cancellationToken)
    {
        try
        {
            await writer.SendAsync(new AdvancePhasesCommand("system"), cancellationToken);
        }
        catch (JournalUnavailableException)
        {
            // Expected: the standby's refusal, which released the reference data.
        }
    }
}
