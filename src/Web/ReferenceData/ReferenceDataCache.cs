using System.Collections.Frozen;
using Microsoft.EntityFrameworkCore;
using TradSys.Web.Persistence;
using TradSys.Web.Persistence.Entities;

namespace TradSys.Web.ReferenceData;

/// <summary>An instrument as the order path sees it: the row, and the engine's immutable spec built from it.</summary>
public sealed record TradableInstrument(Instrument Row, Venue VenueRow, InstrumentSpec Spec)
{
    public int Decimals => Spec.PriceDecimals;

    public decimal ToDecimal(Price price) => price.ToDecimal(Spec.PriceDecimals);

    /// <summary>A traded value (raw price units x shares, as the engine sums it) in currency units, exactly, without trailing zeros.</summary>
    public decimal ToTurnover(Int128 tradedValue) =>
        Apis.Exact.Trim((decimal)tradedValue * new decimal(1, 0, 0, false, (byte)Spec.PriceDecimals));
}

/// <summary>
/// Venues and instruments loaded from the database into engine specs, at start (ids in symbol order). A listing through
/// /api/v1/instruments adds one at the end (<see cref="Append"/>: the next id, so no existing instrument's id ever moves) and an
/// edit or delisting replaces one (<see cref="Replace"/>), both from the single writer's thread only; readers on any thread see
/// the arrays swapped whole.
/// <para>Who changes it (issue 14, many nodes): the order writer while it leads (<see cref="TakeOverAsync"/>, at the start of its
/// term, brings it to the database first); on a node that does not write the books, the follower (<see cref="FollowAsync"/>), which
/// takes what the leader or an operator's SQL changed. The two never change it at the same time: the writer's take-over and the
/// follower's change are made under one lock, and the follower changes nothing once the writer holds the cache.</para>
/// </summary>
public sealed class ReferenceDataCache
{
    private readonly Lock _holder = new();
    private bool _writerHolds;
    private FrozenDictionary<string, TradableInstrument> _bySymbol = FrozenDictionary<string, TradableInstrument>.Empty;
    private TradableInstrument[] _byId = [];
    private FrozenDictionary<string, VenueSpec> _venues = FrozenDictionary<string, VenueSpec>.Empty;
    private FrozenDictionary<string, Venue> _venueRows = FrozenDictionary<string, Venue>.Empty;

    public IReadOnlyList<TradableInstrument> Instruments => _byId;

    public bool TryGet(string symbol, out TradableInstrument instrument) =>
        _bySymbol.TryGetValue(symbol, out instrument!);

    public TradableInstrument Get(InstrumentId id) => _byId[id.Value];

    public TradableInstrument Get(string symbol) =>
        _bySymbol.TryGetValue(symbol, out var i) ? i : throw new KeyNotFoundException($"unknown instrument {symbol}");

    public VenueSpec Venue(string code) => _venues[code];

    /// <summary>The date at <paramref name="utcNow"/> on the clock of the venue that lists <paramref name="symbol"/>.</summary>
    public DateOnly VenueDate(string symbol, DateTime utcNow) => DateOnly.FromDateTime(Venue(Get(symbol).VenueRow.Code).ToVenueLocal(utcNow.Ticks));

    /// <summary>The venues' rows by code, as loaded at start (an instrument can be listed on these without a restart).</summary>
    public IReadOnlyDictionary<string, Venue> VenueRows => _venueRows;

    /// <summary>
    /// A newly listed instrument, with the next id (after every existing one). Called only by the single writer once the listing is
    /// committed; the writer then rebuilds its books so that the new one has a book.
    /// </summary>
    public TradableInstrument Append(Instrument row)
    {
        var id = new InstrumentId(_byId.Length);
        var added = Build(id, row, _venueRows[row.VenueCode], _venues[row.VenueCode]);
        TradableInstrument[] byId = [.. _byId, added];
        _byId = byId;
        _bySymbol = byId.ToFrozenDictionary(i => i.Row.Symbol, StringComparer.OrdinalIgnoreCase);
        return added;
    }

    /// <summary>
    /// An instrument's row changed in place (an edit or a delisting): its spec is built again (lot, trading or not) under the same
    /// id, for every reader from now on. Called only by the single writer.
    /// </summary>
    public TradableInstrument Replace(InstrumentId id)
    {
        var old = _byId[id.Value];
        var updated = Build(id, old.Row, old.VenueRow, old.Spec.Venue);
        var byId = (TradableInstrument[])_byId.Clone();
        byId[id.Value] = updated;
        _byId = byId;
        _bySymbol = byId.ToFrozenDictionary(i => i.Row.Symbol, StringComparer.OrdinalIgnoreCase);
        return updated;
    }

    /// <summary>Puts back an instrument as it was (the batch that changed it was not committed). The single writer only.</summary>
    public void Restore(TradableInstrument previous)
    {
        var byId = (TradableInstrument[])_byId.Clone();
        byId[previous.Spec.Id.Value] = previous;
        _byId = byId;
        _bySymbol = byId.ToFrozenDictionary(i => i.Row.Symbol, StringComparer.OrdinalIgnoreCase);
    }

    private static TradableInstrument Build(InstrumentId id, Instrument row, Venue venueRow, VenueSpec venueSpec)
    {
        if (!Price.TryFromDecimal(row.ReferencePrice, venueRow.PriceDecimals, out var reference))
        {
            throw new InvalidOperationException(
                $"Instrument {row.Symbol}: reference price {row.ReferencePrice} has more than {venueRow.PriceDecimals} decimals.");
        }
        var spec = new InstrumentSpec(id, row.Symbol, venueSpec, venueRow.PriceDecimals, row.LotSize, reference,
            row.Status == InstrumentStatus.Trading);
        return new TradableInstrument(row, venueRow, spec);
    }

    /// <summary>
    /// A venue's row changed (its calendar, through PUT /api/v1/venues/{code}/calendar): its spec is built again and every instrument
    /// of the venue takes the new spec under its id, for every reader from now on (the next batch's phases follow it). Called only
    /// by the single writer; returns the row and spec it replaced, for <see cref="RestoreVenue"/>.
    /// </summary>
    public (Venue Row, VenueSpec Spec) ReplaceVenue(Venue row) => SetVenue(row, BuildVenue(row));

    /// <summary>Puts back a venue as it was (the batch that changed it was not committed). The single writer only.</summary>
    public void RestoreVenue(Venue row, VenueSpec spec) => SetVenue(row, spec);

    private (Venue Row, VenueSpec Spec) SetVenue(Venue row, VenueSpec spec)
    {
        var previous = (_venueRows[row.Code], _venues[row.Code]);
        var byId = (TradableInstrument[])_byId.Clone();
        for (var i = 0; i < byId.Length; i++)
        {
            var old = byId[i];
            if (string.Equals(old.Row.VenueCode, row.Code, StringComparison.Ordinal))
            {
                byId[i] = old with { VenueRow = row, Spec = old.Spec with { Venue = spec } };
            }
        }
        _venues = _venues.ToDictionary(kv => kv.Key, kv => kv.Key == row.Code ? spec : kv.Value, StringComparer.Ordinal)
            .ToFrozenDictionary(StringComparer.Ordinal);
        _venueRows = _venueRows.ToDictionary(kv => kv.Key, kv => kv.Key == row.Code ? row : kv.Value, StringComparer.Ordinal)
            .ToFrozenDictionary(StringComparer.Ordinal);
        _byId = byId;
        _bySymbol = byId.ToFrozenDictionary(i => i.Row.Symbol, StringComparer.OrdinalIgnoreCase);
        return previous;
    }

    /// <summary>
    /// A new reference price for an instrument (the closing price when its session closes), for every reader from now on.
    /// Called only by the single writer, which also updates the row in the same transaction.
    /// </summary>
    public void SetReferencePrice(InstrumentId id, Price reference)
    {
        var old = _byId[id.Value];
        var updated = old with { Spec = old.Spec with { ReferencePrice = reference } };
        var byId = (TradableInstrument[])_byId.Clone();
        byId[id.Value] = updated;
        _byId = byId;
        _bySymbol = byId.ToFrozenDictionary(i => i.Row.Symbol, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The order writer changes this cache now (it leads); the follower leaves it alone until <see cref="Release"/>. Any thread.</summary>
    public bool HeldByWriter => Volatile.Read(ref _writerHolds);

    /// <summary>
    /// The order writer starts a term (at start, or a standby taking over): the venues, instruments and FX rates are brought to the rows in the
    /// database (a listing, an edit, a delisting or a calendar change the last leader made since this node last followed), and from now on
    /// only the writer changes them. Called on the writer's thread before it rebuilds its books, so the books are built for these.
    /// </summary>
    public async Task<ReferenceSync> TakeOverAsync(TradSysDbContext db, CancellationToken cancellationToken)
    {
        var (venues, instruments) = await ReadRowsAsync(db, cancellationToken);
        var rates = new FxRates(await db.FxRates.AsNoTracking().ToListAsync(cancellationToken));
        lock (_holder)
        {
            Volatile.Write(ref _fx, rates);
            var sync = Apply(venues, instruments);
            Volatile.Write(ref _writerHolds, true);
            return sync;
        }
    }

    /// <summary>The order writer stands by (another node leads): the follower takes changes again.</summary>
    public void Release()
    {
        lock (_holder)
        {
            Volatile.Write(ref _writerHolds, false);
        }
    }

    /// <summary>
    /// On a node that does not write the books: the venues' and instruments' rows are read and every difference is taken (a venue's
    /// changed calendar, a new listing with the next id, an edited or delisted instrument under its id), swapped in whole for readers on
    /// any thread. Null when the order writer holds the cache (this node leads now): then nothing is changed.
    /// </summary>
    public async Task<ReferenceSync?> FollowAsync(TradSysDbContext db, CancellationToken cancellationToken)
    {
        if (HeldByWriter)
        {
            return null;
        }
        var (venues, instruments) = await ReadRowsAsync(db, cancellationToken);
        lock (_holder)
        {
            return _writerHolds ? null : Apply(venues, instruments);
        }
    }

    private static async Task<(List<Venue> Venues, List<Instrument> Instruments)> ReadRowsAsync(TradSysDbContext db, CancellationToken cancellationToken) =>
        (await db.Venues.AsNoTracking().ToListAsync(cancellationToken),
         await db.Instruments.AsNoTracking().OrderBy(i => i.Symbol).ToListAsync(cancellationToken));

    /// <summary>
    /// Takes the stored rows: everything is built first (a malformed row throws before anything changed), then swapped. A venue is
    /// taken when its calendar differs (as the writer compares it, <see cref="Ordering.VenueCalendarCommands.RefreshAsync"/>), an
    /// instrument when its listing fields, status or reference price differ; an instrument not known yet joins with the next id (no id
    /// moves). A venue not loaded at start, and an instrument of such a venue, are left out (a restart takes them).
    /// </summary>
    private ReferenceSync Apply(List<Venue> storedVenues, List<Instrument> storedInstruments)
    {
        var venueRows = _venueRows.ToDictionary(StringComparer.Ordinal);
        var venueSpecs = _venues.ToDictionary(StringComparer.Ordinal);
        var changedVenues = new List<string>();
        var leftOut = new List<string>();
        foreach (var stored in storedVenues)
        {
            if (!venueRows.TryGetValue(stored.Code, out var current))
            {
                leftOut.Add($"venue {stored.Code}");
                continue;
            }
            if (!System.Text.Json.Nodes.JsonNode.DeepEquals(Apis.VenueCalendarForm.Snapshot(current), Apis.VenueCalendarForm.Snapshot(stored)))
            {
                venueSpecs[stored.Code] = BuildVenue(stored);
                venueRows[stored.Code] = stored;
                changedVenues.Add(stored.Code);
            }
        }
        var byId = new List<TradableInstrument>(_byId.Length);
        foreach (var old in _byId)
        {
            byId.Add(changedVenues.Contains(old.Row.VenueCode)
                ? old with { VenueRow = venueRows[old.Row.VenueCode], Spec = old.Spec with { Venue = venueSpecs[old.Row.VenueCode] } }
                : old);
        }
        var added = new List<string>();
        var replaced = new List<string>();
        foreach (var stored in storedInstruments)
        {
            if (!venueRows.TryGetValue(stored.VenueCode, out var venueRow))
            {
                leftOut.Add($"instrument {stored.Symbol} (venue {stored.VenueCode})");
                continue;
            }
            if (_bySymbol.TryGetValue(stored.Symbol, out var current))
            {
                if (current.Row.ReferencePrice != stored.ReferencePrice ||
                    !System.Text.Json.Nodes.JsonNode.DeepEquals(Apis.InstrumentForm.Snapshot(current.Row), Apis.InstrumentForm.Snapshot(stored)))
                {
                    byId[current.Spec.Id.Value] = Build(current.Spec.Id, stored, venueRow, venueSpecs[stored.VenueCode]);
                    replaced.Add(stored.Symbol);
                }
            }
            else
            {
                byId.Add(Build(new InstrumentId(byId.Count), stored, venueRow, venueSpecs[stored.VenueCode]));
                added.Add(stored.Symbol);
            }
        }
        if (changedVenues.Count > 0 || added.Count > 0 || replaced.Count > 0)
        {
            TradableInstrument[] swapped = [.. byId];
            _venues = venueSpecs.ToFrozenDictionary(StringComparer.Ordinal);
            _venueRows = venueRows.ToFrozenDictionary(StringComparer.Ordinal);
            _byId = swapped;
            _bySymbol = swapped.ToFrozenDictionary(i => i.Row.Symbol, StringComparer.OrdinalIgnoreCase);
        }
        return new ReferenceSync(changedVenues, added, replaced, leftOut);
    }

    private FxRates _fx = FxRates.Empty;

    /// <summary>
    /// The reference FX table (rates to USD and EUR with their as-of date), swapped whole: a reader on any thread sees one table or the
    /// next, never a mix. Taken again from <c>fx_rates</c> by <see cref="ReloadFxAsync"/> when the table's change counter moved.
    /// </summary>
    public FxRates Fx => Volatile.Read(ref _fx);

    /// <summary>
    /// Takes the FX table again from the database (a rate changed through PUT /api/v1/fx-rates/{currency}, <c>reference load</c> or an
    /// operator's SQL). Called by the order writer while it holds the reference data (the batch whose <c>fxrates</c> counter moved, and at
    /// the start of its term), and by the follower on a node whose writer does not hold it.
    /// </summary>
    public async Task ReloadFxAsync(TradSysDbContext db, CancellationToken cancellationToken) =>
        Volatile.Write(ref _fx, new FxRates(await db.FxRates.AsNoTracking().ToListAsync(cancellationToken)));

    /// <summary>Like <see cref="ReloadFxAsync"/>, on a node that does not write the books; false (nothing taken) when the writer holds the data.</summary>
    public async Task<bool> FollowFxAsync(TradSysDbContext db, CancellationToken cancellationToken)
    {
        if (HeldByWriter)
        {
            return false;
        }
        var rates = new FxRates(await db.FxRates.AsNoTracking().ToListAsync(cancellationToken));
        lock (_holder)
        {
            if (_writerHolds)
            {
                return false;
            }
            Volatile.Write(ref _fx, rates);
            return true;
        }
    }

    public async Task LoadAsync(TradSysDbContext db, CancellationToken cancellationToken)
    {
        var venues = await db.Venues.AsNoTracking().ToListAsync(cancellationToken);
        var instruments = await db.Instruments.AsNoTracking().OrderBy(i => i.Symbol).ToListAsync(cancellationToken);
        var venueSpecs = venues.ToDictionary(v => v.Code, v => (Row: v, Spec: BuildVenue(v)), StringComparer.Ordinal);
        var byId = new TradableInstrument[instruments.Count];
        for (var i = 0; i < instruments.Count; i++)
        {
            var row = instruments[i];
            var (venueRow, venueSpec) = venueSpecs[row.VenueCode];
            byId[i] = Build(new InstrumentId(i), row, venueRow, venueSpec);
        }
        _venues = venueSpecs.ToFrozenDictionary(kv => kv.Key, kv => kv.Value.Spec, StringComparer.Ordinal);
        _venueRows = venueSpecs.ToFrozenDictionary(kv => kv.Key, kv => kv.Value.Row, StringComparer.Ordinal);
        _byId = byId;
        _bySymbol = byId.ToFrozenDictionary(i => i.Row.Symbol, StringComparer.OrdinalIgnoreCase);
        await ReloadFxAsync(db, cancellationToken);
    }

    /// <summary>Builds the engine's venue spec from its row; a malformed row stops the start with a clear message.</summary>
    public static VenueSpec BuildVenue(Venue v)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(v.TimeZone);
        var bands = new List<TickBand>(v.TickTable.Count);
        foreach (var band in v.TickTable)
        {
            if (!Price.TryFromDecimal(band.From, v.PriceDecimals, out var from) ||
                !Price.TryFromDecimal(band.Tick, v.PriceDecimals, out var tick) || tick.Raw <= 0)
            {
                throw new InvalidOperationException(
                    $"Venue {v.Code}: tick band from {band.From} step {band.Tick} does not fit {v.PriceDecimals} price decimals.");
            }
            bands.Add(new TickBand(from, tick.Raw));
        }
        var phases = v.Sessions
            .Select(s => new SessionPhase(s.Start, s.End, Enum.Parse<MarketPhase>(s.Phase, ignoreCase: true)))
            .ToList();
        var schedule = new TradingSchedule(v.TradingDays, phases, v.Holidays, [.. v.HalfDays.Select(h => new HalfDay(h.Date, h.CloseAt))]);
        return new VenueSpec(v.Code, v.Mic, v.Currency, zone, new TickTable(bands),
            new PriceLimits(v.PriceLimitUpBps, v.PriceLimitDownBps), schedule)
        {
            MarketOrdersInAuctions = v.MarketOrdersInAuctions,
            VolatilityBandBasisPoints = v.VolatilityBandBps,
            SuspensionMinutes = v.SuspensionMinutes,
            ClosingVwapMinutes = v.ClosingVwapMinutes,
        };
    }
}

/// <summary>What bringing the reference data to the database changed.</summary>
/// <param name="Venues">The venues whose calendar was taken.</param>
/// <param name="Listed">The instruments that joined (new listings).</param>
/// <param name="Replaced">The instruments taken again under their id (edited, delisted, or a new reference price).</param>
/// <param name="LeftOut">Rows of a venue not loaded at start (a restart takes them).</param>
public sealed record ReferenceSync(IReadOnlyList<string> Venues, IReadOnlyList<string> Listed, IReadOnlyList<string> Replaced, IReadOnlyList<string> LeftOut)
{
    public bool Changed => Venues.Count > 0 || Listed.Count > 0 || Replaced.Count > 0;
}
