using TradSys.Engine.Auctions;
using TradSys.Engine.MarketData;
using TradSys.Web.ReferenceData;

namespace TradSys.Web.Ordering;

/// <summary>
/// Level 1 of every book as the last commit left it, readable from any thread: <c>GET /api/v1/instruments/{symbol}/quote</c>
/// answers from here without queueing behind the orders in the single writer. The writer replaces an instrument's entry
/// after each batch that touched it (a trade, an order resting or leaving, a phase change), before it answers anyone, and
/// sets every instrument's at recovery; the quote's timestamp is the time of that last change. It is a read model: the
/// engine, which the writer owns, stays the truth, and an instrument without an entry is read through the writer.
/// </summary>
public sealed class CommittedQuotes
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, CommittedQuote> _quotes = new();

    /// <summary>The instrument's level 1, suspension and indicative uncross as of the last batch that changed them.</summary>
    public bool TryGet(InstrumentId instrument, out CommittedQuote quote) => _quotes.TryGetValue(instrument.Value, out quote!);

    /// <summary>The writer's thread, after a batch or a rebuild of the books.</summary>
    internal void Set(InstrumentId instrument, CommittedQuote quote) => _quotes[instrument.Value] = quote;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, CommittedBook> _books = new();

    /// <summary>
    /// The instrument's top levels and level-1 message at its last market-data sequence: set by the writer after the commit and
    /// before the batch's updates are handed to the publisher, so it is never behind the updates anyone has received.
    /// </summary>
    public bool TryGetBook(InstrumentId instrument, out CommittedBook book) => _books.TryGetValue(instrument.Value, out book!);

    /// <summary>The writer's thread, after a batch or a rebuild of the books.</summary>
    internal void SetBook(InstrumentId instrument, CommittedBook book) => _books[instrument.Value] = book;

    /// <summary>
    /// Raised on the writer's thread once every book has been set again after a rebuild of the books (at start, after recovery, on
    /// a new term of a cluster's writer): whoever started a view from an earlier book takes a new snapshot. Handlers must not block.
    /// </summary>
    public event Action? Rebuilt;

    /// <summary>The writer's thread, after <see cref="SetBook"/> for every instrument of a rebuild.</summary>
    internal void RaiseRebuilt() => Rebuilt?.Invoke();
}

/// <summary>
/// An instrument's market data as of its market-data sequence <see cref="Sequence"/>: the top levels of each side (best
/// first, as the <see cref="Contracts.DepthUpdated"/> changes are computed against) and the level-1 message of that sequence.
/// </summary>
public sealed record CommittedBook(long Sequence, DepthLevel[] Bids, DepthLevel[] Asks, Contracts.QuoteUpdated Quote);

/// <summary>
/// What a quote shows: the book's level 1 and the day's statistics, whether the instrument is suspended, an auction's
/// indicative uncross, and the venue's phase and local trading date when the writer last brought the instrument up to date.
/// </summary>
public sealed record CommittedQuote(Level1Snapshot Quote, bool Suspended, AuctionEquilibrium? Indicative, MarketPhase Phase, DateOnly VenueDay)
{
    /// <summary>An instrument's quote from the books at <paramref name="timestamp"/> (the writer's thread).</summary>
    internal static CommittedQuote Read(TradableInstrument instrument, MatchingEngine engine, Journal.JournalRecorder recorder, long timestamp)
    {
        var id = instrument.Spec.Id;
        var venue = instrument.Spec.Venue;
        var indicative = engine.TryGetIndicative(id, out var equilibrium) ? equilibrium : (AuctionEquilibrium?)null;
        return new CommittedQuote(recorder.Level1(id, engine, timestamp), engine.GetTradingMode(id) == TradingMode.Halted, indicative,
            venue.PhaseAt(timestamp), DateOnly.FromDateTime(venue.ToVenueLocal(timestamp)));
    }

    /// <summary>The phase to show: Suspended while a volatility suspension holds the instrument, else its venue's phase.</summary>
    public string PhaseName(TradableInstrument instrument, long timestamp) =>
        Suspended ? "Suspended" : instrument.Spec.Venue.PhaseAt(timestamp).ToString();

    /// <summary>
    /// The quote's phase name if the entry still says what the writer would say now: false once the venue's phase or its
    /// trading day has moved on since (the writer has an uncross, a close or a new day's statistics to apply first, at its
    /// next batch) or while the instrument is suspended (the suspension ends by time); the caller then asks the writer.
    /// </summary>
    public bool IsCurrent(TradableInstrument instrument, long nowTicks, out string phase)
    {
        var venue = instrument.Spec.Venue;
        var local = venue.ToVenueLocal(nowTicks);
        var now = venue.Schedule.PhaseAt(local);
        phase = now.ToString();
        return !Suspended && now == Phase && DateOnly.FromDateTime(local) == VenueDay;
    }
}
