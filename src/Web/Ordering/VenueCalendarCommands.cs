using Microsoft.EntityFrameworkCore;
using TradSys.Web.Apis;
using TradSys.Web.Persistence;
using TradSys.Web.Persistence.Entities;
using TradSys.Web.ReferenceData;

namespace TradSys.Web.Ordering;

/// <summary>What the writer did with a venue calendar change.</summary>
/// <param name="Row">The venue after the command (a detached copy), or null when the venue is unknown.</param>
/// <param name="Version">Its calendar version after the command.</param>
/// <param name="Changed">Whether anything changed (sending the stored calendar changes nothing).</param>
/// <param name="Refusal">Why it was refused, or None.</param>
/// <param name="Problem">The refusal in words.</param>
public sealed record VenueCalendarResult(Venue? Row, int Version, bool Changed, ListingRefusal Refusal = ListingRefusal.None, string? Problem = null);

/// <summary>
/// A venue's calendar changed on the single writer's thread (issue 14): the reference data takes the new calendar at once (the venue's
/// spec is rebuilt and every instrument of the venue takes it), so that the next batch's phases (<see cref="TradingPhases.Sync"/>,
/// run at the start of every batch) follow it: a holiday added for today closes the venue's books for the very next order, a half
/// day's early close closes them from then. The row, its version and the audit record are staged into the batch's transaction;
/// <see cref="Discard"/> puts the calendar back if the batch is not committed. Versions are counted here (loaded at every rebuild),
/// so two racing changes are told apart by the writer.
/// </summary>
internal sealed class VenueCalendarCommands(ReferenceDataCache referenceData)
{
    private readonly Dictionary<string, int> _versions = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<(Venue Row, VenueVersion Version)> _staged = [];
    private readonly List<(Venue Row, TradSys.Engine.Reference.VenueSpec Spec)> _undo = [];

    /// <summary>A venue's last calendar version (0 when it has none).</summary>
    public int VersionOf(string code) => _versions.GetValueOrDefault(code);

    /// <summary>Reads every venue's last version (at start and at every rebuild of the books).</summary>
    public async Task LoadAsync(TradSysDbContext db, CancellationToken cancellationToken)
    {
        var versions = await db.VenueVersions.AsNoTracking().GroupBy(v => v.VenueCode)
            .Select(g => new { Code = g.Key, Version = g.Max(v => v.Version) }).ToListAsync(cancellationToken);
        _versions.Clear();
        foreach (var v in versions)
        {
            _versions[v.Code] = v.Version;
        }
    }

    /// <summary>
    /// The venues' change counter moved (<see cref="BatchReads"/>): each venue whose calendar in the database differs from the one in
    /// use takes it (<see cref="ReferenceDataCache.ReplaceVenue"/>), and the versions are read again, so that a change made on another
    /// node or by SQL decides this batch's orders. The writer's own changes are in use already and change nothing here.
    /// </summary>
    public async Task RefreshAsync(TradSysDbContext db, CancellationToken cancellationToken)
    {
        foreach (var stored in await db.Venues.AsNoTracking().ToListAsync(cancellationToken))
        {
            if (referenceData.VenueRows.TryGetValue(stored.Code, out var current) &&
                !System.Text.Json.Nodes.JsonNode.DeepEquals(VenueCalendarForm.Snapshot(current), VenueCalendarForm.Snapshot(stored)))
            {
                var edited = VenueCalendarForm.Clone(current);
                VenueCalendarForm.CopyCalendar(stored, edited);
                referenceData.ReplaceVenue(edited);
            }
        }
        await LoadAsync(db, cancellationToken);
    }

    public SequencerResult Edit(EditVenueCalendarCommand c, WriterBatch batch)
    {
        if (!referenceData.VenueRows.TryGetValue(c.Row.Code, out var current))
        {
            return Result(new VenueCalendarResult(null, 0, false, ListingRefusal.NotFound, $"there is no venue '{c.Row.Code}' (GET /api/v1/venues lists them)"));
        }
        var version = VersionOf(current.Code);
        if (c.ExpectedVersion is { } expected && expected != version)
        {
            return Result(new VenueCalendarResult(VenueCalendarForm.Clone(current), version, false, ListingRefusal.Conflict,
                $"{current.Code}'s calendar is at version {version}, not {expected}: it was changed since you read it; read it again and resend your change"));
        }
        var before = VenueCalendarForm.Snapshot(current);
        var edited = VenueCalendarForm.Clone(current);
        VenueCalendarForm.CopyCalendar(c.Row, edited);
        var after = VenueCalendarForm.Snapshot(edited);
        var changed = VersionSnapshots.Changed(before, after);
        if (changed.Count == 0)
        {
            return Result(new VenueCalendarResult(VenueCalendarForm.Clone(current), version, false));
        }
        _undo.Add(referenceData.ReplaceVenue(edited));
        _staged.Add((VenueCalendarForm.Clone(edited), new VenueVersion
        {
            VenueCode = edited.Code, Version = version + 1, ChangedAt = batch.Now, ChangedBy = c.Actor, Reason = c.Reason, ChangedFields = changed,
            Before = VersionSnapshots.ToJson(before), After = VersionSnapshots.ToJson(after),
        }));
        _versions[edited.Code] = version + 1;
        batch.Record(c.Actor, "venue.calendar_changed", $"venue/{edited.Code}", new
        {
            venue = edited.Code, version = version + 1, reason = c.Reason,
            changes = changed.ToDictionary(f => f, f => new { before = before[f]?.DeepClone(), after = after[f]?.DeepClone() }),
        });
        return Result(new VenueCalendarResult(VenueCalendarForm.Clone(edited), version + 1, true));
    }

    /// <summary>Adds the batch's venue rows and versions to the writer's context, to be saved in the batch's transaction.</summary>
    public async Task StageAsync(TradSysDbContext db, CancellationToken cancellationToken)
    {
        foreach (var (row, version) in _staged)
        {
            var stored = await db.Venues.FindAsync([row.Code], cancellationToken)
                         ?? throw new InvalidOperationException($"venue {row.Code} is not in the database");
            VenueCalendarForm.CopyCalendar(row, stored);
            db.VenueVersions.Add(version);
        }
    }

    /// <summary>The batch is committed: its calendar changes are durable.</summary>
    public void Committed()
    {
        _staged.Clear();
        _undo.Clear();
    }

    /// <summary>The batch was not committed: the venues' calendars are put back (the versions are read again at the rebuild).</summary>
    public void Discard()
    {
        for (var i = _undo.Count - 1; i >= 0; i--)
        {
            referenceData.RestoreVenue(_undo[i].Row, _undo[i].Spec);
        }
        _staged.Clear();
        _undo.Clear();
    }

    private static SequencerResult Result(VenueCalendarResult result) =>
        new(result.Refusal == ListingRefusal.None ? SequencerOutcome.VenueCalendarChanged : SequencerOutcome.VenueCalendarRefused, null, [],
            VenueCalendar: result);
}
