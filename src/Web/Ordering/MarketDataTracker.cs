using TradSys.Web.Ordering.Journal;
using TradSys.Contracts;
using TradSys.Web.ReferenceData;

namespace TradSys.Web.Ordering;

/// <summary>
/// Derives the market-data updates of a batch on the single writer's thread: for each instrument the
/// batch touched, the level-1 snapshot and the level-2 levels (top <see cref="Levels"/>) whose totals
/// changed since the last published update. The caller publishes them, and calls <see cref="Commit"/>, only
/// after the batch is committed; after a failed commit it calls <see cref="Discard"/>, so the baseline stays
/// what consumers have actually seen. <see cref="Commit"/> also hands the batch's level-1 snapshots to the
/// quote read model (<see cref="CommittedQuotes"/>), with each instrument's top levels and level 1 at that sequence (the
/// snapshot a WebSocket subscriber starts from). After a rebuild of the books the baseline is the rebuilt books, so the next
/// update's changes apply to the snapshot taken then.
/// </summary>
internal sealed class MarketDataTracker(ReferenceDataCache referenceData, CommittedQuotes quotes)
{
    public const int Levels = 10;

    private readonly Dictionary<int, (DepthLevel[] Bids, DepthLevel[] Asks)> _published = [];
    private readonly Dictionary<int, long> _sequence = [];
    private readonly List<(InstrumentId Id, DepthLevel[] Bids, DepthLevel[] Asks, long Sequence, CommittedQuote Quote, QuoteUpdated Message)> _pending = [];

    /// <summary>The batch was committed: its updates become the baseline, and its quotes what the quote read model answers.</summary>
    public void Commit()
    {
        foreach (var (id, bids, asks, sequence, quote, message) in _pending)
        {
            _published[id.Value] = (bids, asks);
            _sequence[id.Value] = sequence;
            quotes.Set(id, quote);
            quotes.SetBook(id, new CommittedBook(sequence, bids, asks, message));
        }
        _pending.Clear();
    }

    /// <summary>After a rebuild of the books: every instrument's quote as the books now stand.</summary>
    public void Rebuilt(MatchingEngine engine, JournalRecorder recorder, long timestamp)
    {
        Span<DepthLevel> buffer = stackalloc DepthLevel[Levels];
        foreach (var instrument in referenceData.Instruments)
        {
            var id = instrument.Spec.Id;
            var quote = CommittedQuote.Read(instrument, engine, recorder, timestamp);
            quotes.Set(id, quote);
            // The rebuilt books become the baseline: the next update's changes are relative to them, as is the snapshot here.
            var bids = buffer[..engine.GetDepth(id, Side.Buy, buffer)].ToArray();
            var asks = buffer[..engine.GetDepth(id, Side.Sell, buffer)].ToArray();
            _published[id.Value] = (bids, asks);
            var sequence = _sequence.GetValueOrDefault(id.Value);
            quotes.SetBook(id, new CommittedBook(sequence, bids, asks, QuoteMessage(instrument, quote, sequence, timestamp)));
        }
        quotes.RaiseRebuilt();
    }

    /// <summary>The batch failed: forget its updates.</summary>
    public void Discard() => _pending.Clear();

    /// <summary>The updates for <paramref name="instruments"/>, reading the engine's books and statistics now.</summary>
    public List<object> Updates(IEnumerable<InstrumentId> instruments, MatchingEngine engine, JournalRecorder recorder, long timestamp)
    {
        var messages = new List<object>();
        Span<DepthLevel> buffer = stackalloc DepthLevel[Levels];
        foreach (var id in instruments)
        {
            var instrument = referenceData.Get(id);
            var bids = buffer[..engine.GetDepth(id, Side.Buy, buffer)].ToArray();
            var asks = buffer[..engine.GetDepth(id, Side.Sell, buffer)].ToArray();
            var (oldBids, oldAsks) = _published.GetValueOrDefault(id.Value, ([], []));
            var bidChanges = Diff(oldBids, bids, instrument);
            var askChanges = Diff(oldAsks, asks, instrument);

            var quote = CommittedQuote.Read(instrument, engine, recorder, timestamp);
            var sequence = _sequence.GetValueOrDefault(id.Value) + 1;
            var at = new DateTime(timestamp, DateTimeKind.Utc);
            var symbol = instrument.Row.Symbol;
            if (bidChanges.Count > 0 || askChanges.Count > 0)
            {
                messages.Add(new DepthUpdated(symbol, sequence, bidChanges, askChanges, at));
            }
            var message = QuoteMessage(instrument, quote, sequence, timestamp);
            _pending.Add((id, bids, asks, sequence, quote, message));
            messages.Add(message);
        }
        return messages;
    }

    /// <summary>The level-1 message of an instrument's quote at <paramref name="sequence"/>.</summary>
    private static QuoteUpdated QuoteMessage(TradableInstrument instrument, CommittedQuote quote, long sequence, long timestamp)
    {
        var q = quote.Quote;
        var traded = q.TradeCount > 0;
        var indicative = quote.Indicative;
        return new QuoteUpdated(instrument.Row.Symbol, sequence, q.HasBid ? instrument.ToDecimal(q.BestBid) : null, q.BestBidQuantity.Raw,
            q.BestAskQuantity.Raw > 0 ? instrument.ToDecimal(q.BestAsk) : null, q.BestAskQuantity.Raw,
            traded ? instrument.ToDecimal(q.LastPrice) : null, q.LastQuantity.Raw, q.Volume.Raw, q.TradeCount,
            traded ? instrument.ToDecimal(q.Vwap) : null, new DateTime(timestamp, DateTimeKind.Utc), quote.PhaseName(instrument, timestamp),
            indicative is { } i ? instrument.ToDecimal(i.Price) : null, indicative?.ExecutableVolume.Raw ?? 0,
            traded ? instrument.ToDecimal(q.Open) : null, traded ? instrument.ToDecimal(q.High) : null,
            traded ? instrument.ToDecimal(q.Low) : null, instrument.ToTurnover(q.TradedValue));
    }

    /// <summary>Levels whose total or order count changed, and levels that disappeared (quantity 0).</summary>
    public static List<DepthLevelChange> Diff(DepthLevel[] before, DepthLevel[] after, TradableInstrument instrument)
    {
        var changes = new List<DepthLevelChange>();
        foreach (var level in after)
        {
            var old = Array.Find(before, l => l.Price == level.Price);
            if (old.Quantity != level.Quantity || old.OrderCount != level.OrderCount)
            {
                changes.Add(new DepthLevelChange(instrument.ToDecimal(level.Price), level.Quantity.Raw, level.OrderCount));
            }
        }
        foreach (var level in before)
        {
            if (Array.FindIndex(after, l => l.Price == level.Price) < 0)
            {
                changes.Add(new DepthLevelChange(instrument.ToDecimal(level.Price), 0, 0));
            }
        }
        return changes;
    }
}
