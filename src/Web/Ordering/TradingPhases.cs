using TradSys.Web.Ordering.Journal;
using TradSys.Engine.Auctions;
using TradSys.Web.Auditing;
using TradSys.Web.Persistence;
using TradSys.Web.ReferenceData;

namespace TradSys.Web.Ordering;

/// <summary>
/// Drives each instrument's engine <see cref="TradingMode"/> from its venue's phase, on the single writer's thread, so a
/// phase change, the uncross and its trades are journaled and committed in one batch like any command.
///
/// At the start of every batch (the <see cref="SessionWatcher"/> sends one every few seconds, and every request is one) the
/// venue phase at the batch's time is mapped to a mode: pre-open, closing auction, pre-close: call; continuous: continuous
/// (with the venue's volatility band around the reference price); trade-at-close, trade-at-last: at the closing price; closed:
/// closed. Leaving a call uncrosses the book first. The closing price is the closing auction's price, else the VWAP of the
/// venue's last <see cref="VenueSpec.ClosingVwapMinutes"/> minutes (EGX 30), else the last trade (ADX), else the reference;
/// it is stored on the instrument and becomes its reference price (the daily limits' base) when the session closes.
///
/// A volatility suspension (the engine halts the book itself when a trade would print beyond the band) lasts the venue's
/// <see cref="VenueSpec.SuspensionMinutes"/>; the instrument then reopens through an uncross of what was collected meanwhile
/// (a short call, as Xetra's volatility interruption), and the band is re-centred on the reopening price.
/// </summary>
internal sealed class TradingPhases(ReferenceDataCache referenceData)
{
    private MarketPhase?[] _phase = [];
    private long[] _fixedPrice = [];
    private long[] _bandCentre = [];
    private readonly HashSet<int> _dirty = [];

    /// <summary>How many instruments changed mode in the last <see cref="Sync"/>.</summary>
    public int LastTransitions { get; private set; }

    /// <summary>Forget the applied phases: after a (re)build of the books, which are restored in a call, the next sync re-establishes every mode from the clock.</summary>
    public void Reset()
    {
        var count = referenceData.Instruments.Count;
        _phase = new MarketPhase?[count];
        _fixedPrice = new long[count];
        _bandCentre = new long[count];
        _dirty.Clear();
    }

    /// <summary>The closing (last) price every order must carry in trade-at-close or trade-at-last; zero otherwise. Safe from any thread.</summary>
    public Price FixedPrice(InstrumentId id) =>
        (uint)id.Value < (uint)_fixedPrice.Length ? new Price(Volatile.Read(ref _fixedPrice[id.Value])) : Price.Zero;

    /// <summary>The phase the instrument's book was last set to (null before the first sync). The writer's thread only.</summary>
    public MarketPhase? PhaseOf(InstrumentId id) => (uint)id.Value < (uint)_phase.Length ? _phase[id.Value] : null;

    /// <summary>
    /// Forgets the instrument's dynamic band centre (a price of the day in old shares, after a split), so the band is centred on its
    /// reference price again until its next trade. The writer's thread only.
    /// </summary>
    public void Recentre(InstrumentId id)
    {
        if ((uint)id.Value < (uint)_bandCentre.Length)
        {
            _bandCentre[id.Value] = 0;
        }
    }

    /// <summary>Brings every instrument's mode in line with its venue's phase at <paramref name="now"/>.</summary>
    /// <returns>The instruments whose mode changed (their market data is republished).</returns>
    public List<InstrumentId> Sync(MatchingEngine engine, JournalRecorder recorder, DateTime now, List<AuditEntry> audit)
    {
        var changed = new List<InstrumentId>();
        var ticks = now.Ticks;
        // One time-zone conversion per venue and batch, not per instrument.
        var phases = new Dictionary<VenueSpec, MarketPhase>(ReferenceEqualityComparer.Instance);
        foreach (var instrument in referenceData.Instruments)
        {
            var id = instrument.Spec.Id;
            var i = id.Value;
            var venue = instrument.Spec.Venue;
            if (!phases.TryGetValue(venue, out var phase))
            {
                phase = venue.PhaseAt(ticks);
                phases[venue] = phase;
            }
            var row = instrument.Row;
            var suspended = phase == MarketPhase.Continuous && row.SuspendedUntil is { } until && until > now;
            var desired = suspended ? TradingMode.Halted : ModeOf(phase);
            var current = engine.GetTradingMode(id);
            if (_phase[i] == phase && current == desired)
            {
                continue;
            }

            var previous = _phase[i];
            changed.Add(id);
            AuctionEquilibrium uncross = default;
            if (current is TradingMode.Call or TradingMode.Halted && desired is not (TradingMode.Call or TradingMode.Halted))
            {
                recorder.CancelReasonOverride = "market order not executed in the auction: a market order does not rest after the uncross";
                try
                {
                    uncross = engine.Uncross(new UncrossAuction(id, ticks));
                }
                finally
                {
                    recorder.CancelReasonOverride = null;
                }
                if (current == TradingMode.Halted)
                {
                    row.SuspendedUntil = null;
                    _dirty.Add(i);
                    _bandCentre[i] = uncross.HasPrice ? uncross.Price.Raw : LastToday(recorder, id, ticks).Raw;
                }
            }

            var local = DateOnly.FromDateTime(venue.ToVenueLocal(ticks));
            long fixedPrice = 0;
            switch (desired)
            {
                case TradingMode.Continuous:
                {
                    var centre = _bandCentre[i] != 0 ? new Price(_bandCentre[i]) : instrument.Spec.ReferencePrice;
                    var (low, high) = venue.VolatilityBandBasisPoints > 0 && centre.Raw > 0
                        ? new PriceLimits(venue.VolatilityBandBasisPoints, Math.Min(venue.VolatilityBandBasisPoints, 10_000)).Band(centre, venue.Ticks)
                        : (Price.Zero, Price.Zero);
                    engine.SetPriceBand(new SetPriceBand(id, low, high));
                    engine.SetTradingMode(new SetTradingMode(id, TradingMode.Continuous, ticks));
                    break;
                }
                case TradingMode.Call:
                case TradingMode.Halted:
                {
                    // The reference of the price determination: today's last trade (the closing auction), else the previous close.
                    var last = LastToday(recorder, id, ticks);
                    var reference = last.Raw > 0 ? last : instrument.Spec.ReferencePrice;
                    engine.SetTradingMode(new SetTradingMode(id, desired, ticks, reference));
                    if (phase == MarketPhase.PreOpen)
                    {
                        _bandCentre[i] = 0;
                    }
                    break;
                }
                case TradingMode.AtPrice:
                {
                    var closing = row.ClosingPrice is { } stored && row.ClosingPriceOn == local &&
                                  Price.TryFromDecimal(stored, instrument.Decimals, out var storedPrice)
                        ? storedPrice
                        : ClosingPrice(recorder, instrument, uncross, ticks);
                    if (row.ClosingPriceOn != local || row.ClosingPrice != instrument.ToDecimal(closing))
                    {
                        row.ClosingPrice = instrument.ToDecimal(closing);
                        row.ClosingPriceOn = local;
                        _dirty.Add(i);
                    }
                    engine.SetTradingMode(new SetTradingMode(id, TradingMode.AtPrice, ticks, closing));
                    fixedPrice = closing.Raw;
                    break;
                }
                default:
                    engine.SetTradingMode(new SetTradingMode(id, TradingMode.Closed, ticks));
                    break;
            }

            // The closing price becomes the next session's reference once its day is over (or the platform missed the close).
            if ((desired == TradingMode.Closed || row.ClosingPriceOn < local) && row.ClosingPrice is { } close &&
                close != row.ReferencePrice && Price.TryFromDecimal(close, instrument.Decimals, out var closePrice))
            {
                audit.Add(new AuditEntry(now, "system", "instrument.reference_price", $"instrument/{row.Symbol}", AuditTrail.Serialize(new
                {
                    from = row.ReferencePrice, to = close, closedOn = row.ClosingPriceOn,
                })));
                row.ReferencePrice = close;
                referenceData.SetReferencePrice(id, closePrice);
                _dirty.Add(i);
            }

            Volatile.Write(ref _fixedPrice[i], fixedPrice);
            _phase[i] = phase;
            if (previous is not null || uncross.HasPrice)
            {
                audit.Add(new AuditEntry(now, "system", "instrument.phase", $"instrument/{row.Symbol}", AuditTrail.Serialize(new
                {
                    from = previous?.ToString() ?? "restart", to = phase.ToString(), mode = desired.ToString(),
                    auctionPrice = uncross.HasPrice ? instrument.ToDecimal(uncross.Price) : (decimal?)null,
                    auctionVolume = uncross.ExecutableVolume.Raw, decidedBy = uncross.DecidedBy.ToString(),
                    fixedPrice = fixedPrice > 0 ? instrument.ToDecimal(new Price(fixedPrice)) : (decimal?)null,
                })));
            }
        }
        LastTransitions = changed.Count;
        return changed;
    }

    /// <summary>Records the batch's volatility suspensions: each lasts the venue's suspension time from its trade's time.</summary>
    /// <returns>The suspended instruments.</returns>
    public List<InstrumentId> OnSuspensions(JournalRecorder recorder, List<AuditEntry> audit)
    {
        var suspended = new List<InstrumentId>();
        foreach (var e in recorder.Suspensions)
        {
            var instrument = referenceData.Get(e.Instrument);
            var at = new DateTime(e.Timestamp, DateTimeKind.Utc);
            var until = at.AddMinutes(instrument.Spec.Venue.SuspensionMinutes);
            instrument.Row.SuspendedUntil = until;
            _dirty.Add(e.Instrument.Value);
            suspended.Add(e.Instrument);
            audit.Add(new AuditEntry(at, "system", "instrument.suspended", $"instrument/{instrument.Row.Symbol}", AuditTrail.Serialize(new
            {
                wouldBePrice = instrument.ToDecimal(e.WouldBePrice), bandLimit = instrument.ToDecimal(e.BandLimit), until,
                rule = $"{instrument.VenueRow.Code}: a move of {instrument.Spec.Venue.VolatilityBandBasisPoints / 100m}% suspends for {instrument.Spec.Venue.SuspensionMinutes} minutes",
            })));
        }
        recorder.Suspensions.Clear();
        return suspended;
    }

    /// <summary>Writes the changed instrument state (closing price, reference price, suspension) into the batch's transaction.</summary>
    public async Task PersistAsync(TradSysDbContext db, CancellationToken cancellationToken)
    {
        foreach (var i in _dirty)
        {
            var cached = referenceData.Get(new InstrumentId(i)).Row;
            var row = await db.Instruments.FindAsync([cached.Symbol], cancellationToken)
                      ?? throw new InvalidOperationException($"instrument {cached.Symbol} is not in the database");
            row.ClosingPrice = cached.ClosingPrice;
            row.ClosingPriceOn = cached.ClosingPriceOn;
            row.ReferencePrice = cached.ReferencePrice;
            row.SuspendedUntil = cached.SuspendedUntil;
        }
    }

    /// <summary>The batch is committed: its instrument changes are durable.</summary>
    public void Committed() => _dirty.Clear();

    private static TradingMode ModeOf(MarketPhase phase) => phase switch
    {
        MarketPhase.Continuous => TradingMode.Continuous,
        _ when VenueSpec.IsCall(phase) => TradingMode.Call,
        _ when VenueSpec.IsAtPrice(phase) => TradingMode.AtPrice,
        _ => TradingMode.Closed,
    };

    /// <summary>The last trade price of the venue-local day of <paramref name="ticks"/>; zero before its first trade.</summary>
    private static Price LastToday(JournalRecorder recorder, InstrumentId id, long ticks)
    {
        var snapshot = recorder.StatisticsFor(id, ticks).Snapshot(ticks);
        return snapshot.TradeCount > 0 ? snapshot.LastPrice : Price.Zero;
    }

    /// <summary>The closing auction's price, else the venue's fallback: VWAP of the last N minutes, else last trade, else the reference.</summary>
    private static Price ClosingPrice(JournalRecorder recorder, TradableInstrument instrument, AuctionEquilibrium uncross, long ticks)
    {
        if (uncross.HasPrice)
        {
            return uncross.Price;
        }
        var venue = instrument.Spec.Venue;
        if (venue.ClosingVwapMinutes > 0 && recorder.RecentVwap(instrument.Spec.Id, ticks, venue.ClosingVwapMinutes) is { } vwap)
        {
            // The nearest price on the tick grid (down on a tie).
            var down = venue.Ticks.RoundDownToTick(vwap);
            var up = venue.Ticks.RoundUpToTick(vwap);
            return up.Raw - vwap.Raw < vwap.Raw - down.Raw ? up : down;
        }
        var last = LastToday(recorder, instrument.Spec.Id, ticks);
        return last.Raw > 0 ? last : instrument.Spec.ReferencePrice;
    }
}
