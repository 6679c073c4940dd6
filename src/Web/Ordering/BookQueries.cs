using TradSys.Engine.Auctions;
using TradSys.Web.ReferenceData;

namespace TradSys.Web.Ordering;

/// <summary>Reads of the books in sequence with the writes (the engine is single-threaded by design): level 1 and depth.</summary>
internal sealed class BookQueries(OrderBooks books, TradingPhases phases, ReferenceDataCache referenceData)
{
    /// <summary>Level 1 now: best bid and ask from the book, the trading day's statistics, the phase and any indicative uncross.</summary>
    public SequencerResult Quote(QuoteQuery q, WriterBatch batch)
    {
        var indicative = books.Engine.TryGetIndicative(q.Instrument, out var equilibrium) ? equilibrium : (AuctionEquilibrium?)null;
        return new SequencerResult(SequencerOutcome.QuoteRead, null, [], Quote: books.Recorder.Level1(q.Instrument, books.Engine, batch.Timestamp),
            Phase: TradingPhases.PhaseName(books.Engine, referenceData.Get(q.Instrument), batch.Timestamp), Indicative: indicative);
    }

    /// <summary>An instrument's level 1, suspension and indicative uncross at <paramref name="timestamp"/> (the writer's thread).</summary>
    public CommittedQuote Level1(InstrumentId instrument, long timestamp)
    {
        var indicative = books.Engine.TryGetIndicative(instrument, out var equilibrium) ? equilibrium : (AuctionEquilibrium?)null;
        var venue = referenceData.Get(instrument).Spec.Venue;
        return new CommittedQuote(books.Recorder.Level1(instrument, books.Engine, timestamp),
            books.Engine.GetTradingMode(instrument) == TradingMode.Halted, indicative, venue.PhaseAt(timestamp),
            DateOnly.FromDateTime(venue.ToVenueLocal(timestamp)));
    }

    /// <summary>Both sides of a book, best first, up to 100 levels.</summary>
    public SequencerResult Depth(DepthQuery d)
    {
        var levels = Math.Clamp(d.Levels, 1, 100);
        var bids = new DepthLevel[levels];
        var asks = new DepthLevel[levels];
        var bidCount = books.Engine.GetDepth(d.Instrument, Side.Buy, bids);
        var askCount = books.Engine.GetDepth(d.Instrument, Side.Sell, asks);
        return new SequencerResult(SequencerOutcome.DepthRead, null, [], Depth: new DepthView(bids[..bidCount], asks[..askCount]));
    }

    /// <summary>The answer to <see cref="AdvancePhasesCommand"/>: how many instruments changed mode at the start of the batch.</summary>
    public SequencerResult PhasesAdvanced() => new(SequencerOutcome.PhasesAdvanced, null, [], Count: phases.LastTransitions);
}
