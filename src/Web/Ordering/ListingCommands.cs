using Microsoft.EntityFrameworkCore;
using TradSys.Web.Apis;
using TradSys.Web.Persistence;
using TradSys.Web.Persistence.Entities;
using TradSys.Web.ReferenceData;

namespace TradSys.Web.Ordering;

/// <summary>Why the writer refused a listing command.</summary>
public enum ListingRefusal
{
    None,
    /// <summary>No instrument has the symbol (404).</summary>
    NotFound,
    /// <summary>The symbol is listed already, or the version is not the one the caller saw (409).</summary>
    Conflict,
    /// <summary>The instrument is delisted: it is not edited or delisted again (409).</summary>
    Delisted,
}

/// <summary>What the writer did with a listing command.</summary>
/// <param name="Row">The instrument after the command (a detached copy), or null when refused as unknown.</param>
/// <param name="Version">Its version after the command.</param>
/// <param name="Changed">Whether anything changed (an edit that sends what is stored changes nothing).</param>
/// <param name="Refusal">Why it was refused, or None.</param>
/// <param name="Problem">The refusal in words.</param>
/// <param name="Canceled">A delisting's canceled working orders.</param>
/// <param name="Lines">An import's lines, in the order of the file: each one's result, or (when the import was refused) each refused line's refusal.</param>
/// <param name="Line">The line of the import this result is for (0 outside an import).</param>
public sealed record ListingResult(Instrument? Row, int Version, bool Changed, ListingRefusal Refusal = ListingRefusal.None, string? Problem = null,
    IReadOnlyList<long>? Canceled = null, IReadOnlyList<ListingResult>? Lines = null, int Line = 0);

/// <summary>
/// Listing, editing and delisting instruments on the single writer's thread (issue 14), so that the engine, the reference data and
/// the books change in sequence with the orders and only once durable:
/// <list type="bullet">
/// <item>a listing is staged into the batch's transaction (row, version 1, audit record); once committed the instrument joins the
/// reference data with the next id (<see cref="ReferenceDataCache.Append"/>: no existing id moves) and <see cref="Committed"/> tells the
/// writer to rebuild its books from the database (the path it takes after a failed commit), which gives the new instrument its book
/// before the caller hears "listed"; the next batch sets that book to the venue's phase, as for every book;</item>
/// <item>an edit or a delisting changes the cached row and spec at once, so that the commands after it in the same batch see it, and
/// <see cref="Discard"/> puts them back if the batch is not committed;</item>
/// <item>a delisting cancels the instrument's working orders in the same batch, each with the delisting as its reason.</item>
/// </list>
/// Versions are counted here (loaded at every rebuild), so two racing edits are told apart by the writer, not by a failed commit.
/// </summary>
internal sealed class ListingCommands(OrderBooks books, ReferenceDataCache referenceData)
{
    private readonly Dictionary<string, int> _versions = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<(Instrument Row, InstrumentVersion Version, bool IsNew)> _staged = [];
    private readonly List<(TradableInstrument Previous, Instrument Before)> _undo = [];
    private readonly List<Instrument> _listed = [];

    /// <summary>Each instrument's last version (0 when it has none: seeded or loaded before versions were kept).</summary>
    public int VersionOf(string symbol) => _versions.GetValueOrDefault(symbol);

    /// <summary>Reads every instrument's last version (at start and at every rebuild of the books).</summary>
    public async Task LoadAsync(TradSysDbContext db, CancellationToken cancellationToken)
    {
        var versions = await db.InstrumentVersions.AsNoTracking().GroupBy(v => v.Symbol)
            .Select(g => new { Symbol = g.Key, Version = g.Max(v => v.Version) }).ToListAsync(cancellationToken);
        _versions.Clear();
        foreach (var v in versions)
        {
            _versions[v.Symbol] = v.Version;
        }
    }

    public SequencerResult List(ListInstrumentCommand c, WriterBatch batch)
    {
        var symbol = c.Row.Symbol;
        if (referenceData.TryGet(symbol, out _) || _listed.Exists(l => string.Equals(l.Symbol, symbol, StringComparison.OrdinalIgnoreCase)))
        {
            return Refused(ListingRefusal.Conflict, null, 0, $"{symbol} is listed already (change it with PUT /api/v1/instruments/{symbol})");
        }
        var row = InstrumentForm.Clone(c.Row);
        var after = InstrumentForm.Snapshot(row);
        var changed = after.Select(p => p.Key).Where(k => k is not ("symbol" or "status")).ToList();
        Stage(InstrumentForm.Clone(row), isNew: true, 1, c, null, InstrumentForm.ToJson(after), changed, batch);
        _versions[symbol] = 1;
        _listed.Add(row);
        batch.Record(c.Actor, "instrument.listed", $"instrument/{symbol}", new { symbol, version = 1, reason = c.Reason, instrument = after });
        return Done(row, 1, changed: true);
    }

    public SequencerResult Edit(EditInstrumentCommand c, WriterBatch batch)
    {
        if (Current(c.Row.Symbol, c.ExpectedVersion, out var current, out var version) is { } refused)
        {
            return refused;
        }
        var before = InstrumentForm.Snapshot(current.Row);
        var edited = InstrumentForm.Clone(current.Row);
        var status = current.Row.Status;
        InstrumentForm.CopyListing(c.Row, edited);
        edited.Status = status;
        var after = InstrumentForm.Snapshot(edited);
        var changed = InstrumentForm.Changed(before, after);
        if (changed.Count == 0)
        {
            return Done(InstrumentForm.Clone(current.Row), version, changed: false);
        }
        ChangeInPlace(current, edited);
        Stage(InstrumentForm.Clone(edited), isNew: false, version + 1, c, InstrumentForm.ToJson(before), InstrumentForm.ToJson(after), changed, batch);
        batch.Record(c.Actor, "instrument.updated", $"instrument/{edited.Symbol}", new
        {
            symbol = edited.Symbol, version = version + 1, reason = c.Reason,
            changes = changed.ToDictionary(f => f, f => new { before = before[f]?.DeepClone(), after = after[f]?.DeepClone() }),
        });
        return Done(edited, version + 1, changed: true);
    }

    public SequencerResult Delist(DelistInstrumentCommand c, WriterBatch batch)
    {
        if (Current(c.Symbol, c.ExpectedVersion, out var current, out var version) is { } refused)
        {
            return refused;
        }
        var before = InstrumentForm.Snapshot(current.Row);
        var delisted = InstrumentForm.Clone(current.Row);
        delisted.Status = InstrumentStatus.Delisted;
        var after = InstrumentForm.Snapshot(delisted);
        var instrument = ChangeInPlace(current, delisted);

        // Its working orders leave the book now, each journaled with the delisting as its cancel reason.
        var working = new List<long>();
        foreach (var order in books.Recorder.Live.Values)
        {
            if (order.IsWorking && string.Equals(order.Symbol, instrument.Row.Symbol, StringComparison.Ordinal))
            {
                working.Add(order.Id);
            }
        }
        books.Recorder.CancelReasonOverride = $"canceled: {instrument.Row.Symbol} was delisted ({c.Reason})";
        try
        {
            foreach (var id in working)
            {
                books.Engine.Cancel(new CancelOrder(id, batch.Timestamp, CancelReason.Requested));
            }
        }
        finally
        {
            books.Recorder.CancelReasonOverride = null;
        }
        batch.Touched.Add(instrument.Spec.Id);

        Stage(InstrumentForm.Clone(delisted), isNew: false, version + 1, c, InstrumentForm.ToJson(before), InstrumentForm.ToJson(after), ["status"], batch);
        batch.Record(c.Actor, "instrument.delisted", $"instrument/{delisted.Symbol}", new
        {
            symbol = delisted.Symbol, version = version + 1, reason = c.Reason, canceledOrders = working,
        });
        return Done(delisted, version + 1, changed: true, working);
    }

    /// <summary>
    /// An import: every line is checked against the writer's state first (listed since, delisted, another version), and any problem
    /// refuses the whole import with every refused line; otherwise each line is listed or edited in this batch, so that the file is
    /// committed whole or (a failed commit, <see cref="Discard"/>) not at all.
    /// </summary>
    public SequencerResult Import(ImportInstrumentsCommand c, WriterBatch batch)
    {
        var refusals = new List<ListingResult>();
        foreach (var line in c.Lines)
        {
            var symbol = line.Row.Symbol;
            if (line.IsNew)
            {
                if (referenceData.TryGet(symbol, out _) || _listed.Exists(l => string.Equals(l.Symbol, symbol, StringComparison.OrdinalIgnoreCase)))
                {
                    refusals.Add(new ListingResult(null, VersionOf(symbol), false, ListingRefusal.Conflict,
                        $"{symbol} was listed since the file was checked: run the dry run again", Line: line.Line));
                }
            }
            else if (Current(symbol, line.ExpectedVersion, out _, out _) is { Listing: { } refused })
            {
                refusals.Add(refused with { Line = line.Line });
            }
        }
        if (refusals.Count > 0)
        {
            return new(SequencerOutcome.ListingRefused, null, [], Listing: new ListingResult(null, 0, false, ListingRefusal.Conflict,
                $"{refusals.Count} line(s) of the import cannot be applied now: nothing was imported", Lines: refusals));
        }
        var results = new List<ListingResult>(c.Lines.Count);
        foreach (var line in c.Lines)
        {
            var result = line.IsNew
                ? List(new ListInstrumentCommand(c.Actor, line.Row, line.Reason), batch)
                : Edit(new EditInstrumentCommand(c.Actor, line.Row, line.Reason, line.ExpectedVersion), batch);
            results.Add(result.Listing! with { Line = line.Line });
        }
        // A file whose every line is what is listed already (an import sent again, whatever its reason column says) changes
        // nothing: no version (Edit writes none for such a line) and no import record. Decided here, on the writer's thread, so
        // that two racing resends cannot both write.
        var changed = results.Exists(r => r.Changed);
        if (changed)
        {
            batch.Record(c.Actor, "instrument.imported", "instrument/import", new
            {
                lines = results.Select(r => new { line = r.Line, symbol = r.Row!.Symbol, version = r.Version, changed = r.Changed }).ToList(),
            });
        }
        return new(SequencerOutcome.InstrumentChanged, null, [], Listing: new ListingResult(null, 0, changed, Lines: results));
    }

    /// <summary>Adds the batch's instrument rows and versions to the writer's context, to be saved in the batch's transaction.</summary>
    public async Task StageAsync(TradSysDbContext db, CancellationToken cancellationToken)
    {
        foreach (var (row, version, isNew) in _staged)
        {
            if (isNew)
            {
                db.Instruments.Add(row);
            }
            else
            {
                var stored = await db.Instruments.FindAsync([row.Symbol], cancellationToken)
                             ?? throw new InvalidOperationException($"instrument {row.Symbol} is not in the database");
                InstrumentForm.CopyListing(row, stored);
            }
            db.InstrumentVersions.Add(version);
        }
    }

    /// <summary>
    /// The batch is committed: its listings join the reference data (each with the next id). True when there were any: the writer
    /// then rebuilds its books so that they have a book.
    /// </summary>
    public bool Committed()
    {
        foreach (var row in _listed)
        {
            referenceData.Append(row);
        }
        var listed = _listed.Count > 0;
        Clear();
        return listed;
    }

    /// <summary>The batch was not committed: its edits and delistings are undone in the reference data (the versions are read again at the rebuild).</summary>
    public void Discard()
    {
        for (var i = _undo.Count - 1; i >= 0; i--)
        {
            var (previous, before) = _undo[i];
            InstrumentForm.CopyListing(before, previous.Row);
            referenceData.Restore(previous);
        }
        Clear();
    }

    private void Clear()
    {
        _staged.Clear();
        _undo.Clear();
        _listed.Clear();
    }

    private SequencerResult? Current(string symbol, int? expected, out TradableInstrument current, out int version)
    {
        version = 0;
        if (!referenceData.TryGet(symbol, out current!))
        {
            return Refused(ListingRefusal.NotFound, null, 0, $"there is no instrument '{symbol}' (GET /api/v1/instruments lists them)");
        }
        version = VersionOf(current.Row.Symbol);
        if (current.Row.Status == InstrumentStatus.Delisted)
        {
            return Refused(ListingRefusal.Delisted, current.Row, version, $"{current.Row.Symbol} is delisted: it is neither changed nor delisted again (list a new symbol)");
        }
        if (expected is { } e && e != version)
        {
            return Refused(ListingRefusal.Conflict, current.Row, version,
                $"{current.Row.Symbol} is at version {version}, not {e}: it was changed since you read it; read it again and resend your change");
        }
        return null;
    }

    /// <summary>Gives the cached row the new listing fields and status, and its spec with them, remembering how to undo it.</summary>
    private TradableInstrument ChangeInPlace(TradableInstrument current, Instrument changed)
    {
        _undo.Add((current, InstrumentForm.Clone(current.Row)));
        InstrumentForm.CopyListing(changed, current.Row);
        return referenceData.Replace(current.Spec.Id);
    }

    private void Stage(Instrument row, bool isNew, int version, SequencerCommand c, string? before, string after, List<string> changed, WriterBatch batch)
    {
        var reason = c switch
        {
            ListInstrumentCommand l => l.Reason,
            EditInstrumentCommand e => e.Reason,
            DelistInstrumentCommand d => d.Reason,
            _ => "",
        };
        _staged.Add((row, new InstrumentVersion
        {
            Symbol = row.Symbol, Version = version, ChangedAt = batch.Now, ChangedBy = c.Actor, Reason = reason, ChangedFields = changed,
            Before = before, After = after,
        }, isNew));
        _versions[row.Symbol] = version;
    }

    private static SequencerResult Done(Instrument row, int version, bool changed, IReadOnlyList<long>? canceled = null) =>
        new(SequencerOutcome.InstrumentChanged, null, [], OrderIds: canceled,
            Listing: new ListingResult(InstrumentForm.Clone(row), version, changed, Canceled: canceled));

    private static SequencerResult Refused(ListingRefusal refusal, Instrument? row, int version, string problem) =>
        new(SequencerOutcome.ListingRefused, null, [],
            Listing: new ListingResult(row is null ? null : InstrumentForm.Clone(row), version, false, refusal, problem));
}
