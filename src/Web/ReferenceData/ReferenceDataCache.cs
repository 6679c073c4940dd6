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
}

/// <summary>
/// Venues and instruments loaded from the database into engine specs. Loaded once at start (the
/// engine indexes books by <see cref="InstrumentId"/>, so the set of instruments is fixed for the
/// life of the process in this version; a reload path comes with the admin screens).
/// </summary>
public sealed class ReferenceDataCache
{
    private FrozenDictionary<string, TradableInstrument> _bySymbol = FrozenDictionary<string, TradableInstrument>.Empty;
    private TradableInstrument[] _byId = [];
    private FrozenDictionary<string, VenueSpec> _venues = FrozenDictionary<string, VenueSpec>.Empty;

    public IReadOnlyList<TradableInstrument> Instruments => _byId;

    public bool TryGet(string symbol, out TradableInstrument instrument) =>
        _bySymbol.TryGetValue(symbol, out instrument!);

    public TradableInstrument Get(InstrumentId id) => _byId[id.Value];

    public TradableInstrument Get(string symbol) =>
        _bySymbol.TryGetValue(symbol, out var i) ? i : throw new KeyNotFoundException($"unknown instrument {symbol}");

    public VenueSpec Venue(string code) => _venues[code];

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
            if (!Price.TryFromDecimal(row.ReferencePrice, venueRow.PriceDecimals, out var reference))
            {
                throw new InvalidOperationException(
                    $"Instrument {row.Symbol}: reference price {row.ReferencePrice} has more than {venueRow.PriceDecimals} decimals.");
            }
            var spec = new InstrumentSpec(new InstrumentId(i), row.Symbol, venueSpec, venueRow.PriceDecimals,
                row.LotSize, reference, row.Status == InstrumentStatus.Trading);
            byId[i] = new TradableInstrument(row, venueRow, spec);
        }
        _byId = byId;
        _bySymbol = byId.ToFrozenDictionary(i => i.Row.Symbol, StringComparer.OrdinalIgnoreCase);
        _venues = venueSpecs.ToFrozenDictionary(kv => kv.Key, kv => kv.Value.Spec, StringComparer.Ordinal);
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
        var schedule = new TradingSchedule(v.TradingDays, phases, v.Holidays);
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
