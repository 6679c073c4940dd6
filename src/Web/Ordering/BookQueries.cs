using TradSys.Web.ReferenceData;

namespace TradSys.Web.Ordering;

/// <summary>Reads of the books in sequence with the writes (the engine is single-threaded by design): level 1 and depth.</summary>
internal sealed class BookQueries(OrderBooks books, TradingPhases phases, ReferenceDataCache referenceData)
{
    /// <summary>Level 1 now: best bid and ask from the book, the trading day's statistics, the phase and any indicative uncross.</summary>
    public SequencerResult Quote(QuoteQuery q, WriterBatch batch)
    {
        var instrument = referenceData.Get(q.Instrument);
        var quote = CommittedQuote.Read(instrument, books.Engine, books.Recorder, batch.Timestamp);
        return new SequencerResult(SequencerOutcome.QuoteRead, null, [], Quote: quote.Quote, Phase: quote.PhaseName(instrument, batch.Timestamp),
            Indicative: quote.Indicative);
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
