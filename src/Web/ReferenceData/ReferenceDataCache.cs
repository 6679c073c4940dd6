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
/// </summary>
public sealed class ReferenceDataCache
{
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

    /// <summary>The reference FX table (rates to USD and EUR with their as-of date).</summary>
    public FxRates Fx { get; private set; } = FxRates.Empty;

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
        Fx = new FxRates(await db.FxRates.AsNoTracking().ToListAsync(cancellationToken));
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
