using System.Diagnostics.CodeAnalysis;
using MassTransit;
using TradSys.Contracts;
using TradSys.Web.Cluster;
using TradSys.Web.Portal.Services;

namespace TradSys.Web.Streaming;

/// <summary>
/// A cluster node's view of every book as the node that writes them published it (issue 17's fan-out to every node): kept from the
/// bus's <see cref="MarketDataCommitted"/> messages, so the WebSocket gateway of a node that does not write the books serves the same
/// market data (snapshot first, then updates, with the writer's sequences) as the writer's own node. While this node does not lead,
/// each update applied is handed to its <see cref="MarketDataFeed"/> exactly as the writer's own updates are on the writer's node.
///
/// Each instrument's view starts from a <see cref="MarketDataSnapshot"/> and then applies updates only in sequence: an update that
/// does not follow on (a message lost, or another writer epoch, whose sequences start again) makes the view wait for a new snapshot,
/// keeping the updates that come meanwhile, and asks the writer for one (<see cref="MarketDataSnapshotRequested"/>). When a view
/// starts again the connections following the instrument get a new snapshot (<see cref="Restarted"/>). Everything is applied on
/// the bus consumer's one thread, in the order the writer's node published it; reads come from any thread.
/// </summary>
public sealed class FollowedMarketData(MarketDataFeed feed, IWriterLeadership leadership)
{
    /// <summary>Updates kept per instrument while its view waits for a snapshot; beyond that the oldest go (a new snapshot covers them).</summary>
    private const int MaxPending = 4096;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, View> _views = new(StringComparer.Ordinal);
    private int _wanted = 1;

    /// <summary>Raised with an instrument's symbol when its view started again from a snapshot, on the consumer's thread.</summary>
    public event Action<string>? Restarted;

    /// <summary>True when some view waits for a snapshot, or none was ever received: the node should ask the writer (any thread).</summary>
    public bool WantsSnapshot => Volatile.Read(ref _wanted) == 1;

    /// <summary>The instrument's view: its sequence, top levels (best first) and last quote; false when none was received yet.</summary>
    public bool TryGet(string symbol, out long sequence, out DepthLevelChange[] bids, out DepthLevelChange[] asks, out QuoteUpdated? quote)
    {
        lock (_gate)
        {
            if (_views.TryGetValue(symbol, out var view) && view.Quote is not null)
            {
                (sequence, bids, asks, quote) = (view.Sequence, [.. view.Bids.Values], [.. view.Asks.Values], view.Quote);
                return true;
            }
        }
        (sequence, bids, asks, quote) = (0, [], [], null);
        return false;
    }

    /// <summary>
    /// The instrument's levels (best first) as the writer of <paramref name="epoch"/> published them at <paramref name="sequence"/>;
    /// false when none was received yet, or the view waits for a snapshot (it lost track of the writer's updates).
    /// </summary>
    public bool TryGetDepth(string symbol, out long epoch, out long sequence, out DepthLevelChange[] bids, out DepthLevelChange[] asks)
    {
        lock (_gate)
        {
            if (_views.TryGetValue(symbol, out var view) && view.Quote is not null && !view.Waiting)
            {
                (epoch, sequence, bids, asks) = (view.Epoch, view.Sequence, [.. view.Bids.Values], [.. view.Asks.Values]);
                return true;
            }
        }
        (epoch, sequence, bids, asks) = (0, 0, [], []);
        return false;
    }

    /// <summary>
    /// The instrument's last level-1 message as the writer of <paramref name="epoch"/> published it at <paramref name="sequence"/>;
    /// false when none was received yet, or the view waits for a snapshot (it lost track of the writer's updates).
    /// </summary>
    public bool TryGetQuote(string symbol, out long epoch, out long sequence, [NotNullWhen(true)] out QuoteUpdated? quote)
    {
        lock (_gate)
        {
            if (_views.TryGetValue(symbol, out var view) && view.Quote is not null && !view.Waiting)
            {
                (epoch, sequence, quote) = (view.Epoch, view.Sequence, view.Quote);
                return true;
            }
        }
        (epoch, sequence, quote) = (0, 0, null);
        return false;
    }

    /// <summary>One message from the writer's node (the bus consumer's thread, one message at a time, in order).</summary>
    public void Apply(MarketDataCommitted message)
    {
        List<string>? restarted = null;
        List<object>? applied = null;
        lock (_gate)
        {
            if (leadership.Current.Leads)
            {
                // This node writes the books and serves them itself: the views are of no use until it stops leading, and by then
                // another writer's epoch has begun, so they will start again from its snapshots.
                foreach (var stale in _views.Values)
                {
                    stale.Wait();
                    stale.TakePending();
                }
                Volatile.Write(ref _wanted, 1);
                return;
            }
            foreach (var snapshot in message.Snapshots)
            {
                if (Start(snapshot, message.Epoch))
                {
                    (restarted ??= []).Add(snapshot.Symbol);
                }
            }
            foreach (var quote in message.Quotes)
            {
                var depth = message.Depth.FirstOrDefault(d => d.Symbol == quote.Symbol && d.Sequence == quote.Sequence);
                var view = ViewOf(quote.Symbol);
                if (view.Waiting)
                {
                    view.Keep(message.Epoch, depth, quote);
                }
                else if (view.Epoch == message.Epoch && quote.Sequence == view.Sequence + 1)
                {
                    view.Apply(depth, quote);
                    applied ??= [];
                    if (depth is not null)
                    {
                        applied.Add(depth);
                    }
                    applied.Add(quote);
                }
                else if (view.Epoch == message.Epoch && quote.Sequence <= view.Sequence)
                {
                    // Already in the view (a message delivered again, or one a snapshot already covered).
                }
                else
                {
                    view.Wait();
                    view.Keep(message.Epoch, depth, quote);
                    Volatile.Write(ref _wanted, 1);
                }
            }
            Volatile.Write(ref _wanted, _views.Count == 0 || _views.Values.Any(v => v.Waiting) ? 1 : 0);
        }
        if (applied is not null)
        {
            feed.Publish(applied);
        }
        foreach (var symbol in restarted ?? [])
        {
            Restarted?.Invoke(symbol);
            // The portal's views read the REST depth and quote, which this node now answers from the new view.
            feed.Refresh(symbol);
        }
    }

    /// <summary>Starts the view from a snapshot if it waits for one (or has none); true when it did.</summary>
    private bool Start(MarketDataSnapshot snapshot, long epoch)
    {
        var view = ViewOf(snapshot.Symbol);
        if (!view.Waiting)
        {
            return false; // in step with the writer already: the snapshot answers another node's request
        }
        view.Reset(epoch, snapshot);
        var kept = view.TakePending();
        for (var i = 0; i < kept.Count; i++)
        {
            var (keptEpoch, depth, quote) = kept[i];
            if (keptEpoch != epoch || quote.Sequence <= view.Sequence)
            {
                continue; // from another writer, or covered by the snapshot
            }
            if (quote.Sequence != view.Sequence + 1)
            {
                // An update is missing between the snapshot and those kept: wait for another snapshot, keeping these.
                view.Wait();
                for (var j = i; j < kept.Count; j++)
                {
                    view.Keep(kept[j].Epoch, kept[j].Depth, kept[j].Quote);
                }
                Volatile.Write(ref _wanted, 1);
                return false;
            }
            view.Apply(depth, quote);
        }
        return true;
    }

    private View ViewOf(string symbol)
    {
        if (!_views.TryGetValue(symbol, out var view))
        {
            view = new View();
            _views[symbol] = view;
            Volatile.Write(ref _wanted, 1);
        }
        return view;
    }

    /// <summary>One instrument's view: the levels by price (bids best first), its sequence and epoch, and what waits for a snapshot.</summary>
    private sealed class View
    {
        private List<(long Epoch, DepthUpdated? Depth, QuoteUpdated Quote)> _pending = [];

        public SortedDictionary<decimal, DepthLevelChange> Bids { get; } = new(Comparer<decimal>.Create((a, b) => b.CompareTo(a)));
        public SortedDictionary<decimal, DepthLevelChange> Asks { get; } = new();
        public long Sequence { get; private set; }
        public long Epoch { get; private set; }
        public QuoteUpdated? Quote { get; private set; }
        public bool Waiting { get; private set; } = true;

        public void Reset(long epoch, MarketDataSnapshot snapshot)
        {
            (Epoch, Sequence, Quote, Waiting) = (epoch, snapshot.Sequence, snapshot.Quote, false);
            Bids.Clear();
            Asks.Clear();
            foreach (var level in snapshot.Bids)
            {
                Bids[level.Price] = level;
            }
            foreach (var level in snapshot.Asks)
            {
                Asks[level.Price] = level;
            }
        }

        public void Apply(DepthUpdated? depth, QuoteUpdated quote)
        {
            if (depth is not null)
            {
                Change(Bids, depth.Bids);
                Change(Asks, depth.Asks);
            }
            (Sequence, Quote) = (quote.Sequence, quote);
        }

        private static void Change(SortedDictionary<decimal, DepthLevelChange> side, IReadOnlyList<DepthLevelChange> changes)
        {
            foreach (var change in changes)
            {
                if (change.Quantity == 0)
                {
                    side.Remove(change.Price);
                }
                else
                {
                    side[change.Price] = change;
                }
            }
        }

        public void Wait() => Waiting = true;

        public void Keep(long epoch, DepthUpdated? depth, QuoteUpdated quote)
        {
            if (_pending.Count == MaxPending)
            {
                _pending.RemoveAt(0);
            }
            _pending.Add((epoch, depth, quote));
        }

        public List<(long Epoch, DepthUpdated? Depth, QuoteUpdated Quote)> TakePending()
        {
            var pending = _pending;
            _pending = [];
            return pending;
        }
    }
}

/// <summary>Every cluster node's consumer of the writer's <see cref="MarketDataCommitted"/> messages (one at a time, in order).</summary>
public sealed class MarketDataCommittedConsumer(FollowedMarketData view) : IConsumer<MarketDataCommitted>
{
    /// <inheritdoc />
    public Task Consume(ConsumeContext<MarketDataCommitted> context)
    {
        view.Apply(context.Message);
        return Task.CompletedTask;
    }
}

/// <summary>
/// Every cluster node's consumer of <see cref="MarketDataSnapshotRequested"/>: the node that writes the books answers with every
/// instrument's snapshot, through the market-data publisher so that it goes out in order with the updates; the others ignore it.
/// </summary>
public sealed class MarketDataSnapshotRequestedConsumer(IWriterLeadership leadership, Ordering.CommittedQuotes books,
    ReferenceData.ReferenceDataCache referenceData, Messaging.MarketDataPublisher publisher) : IConsumer<MarketDataSnapshotRequested>
{
    /// <inheritdoc />
    public Task Consume(ConsumeContext<MarketDataSnapshotRequested> context)
    {
        if (!leadership.Current.Leads)
        {
            return Task.CompletedTask;
        }
        var snapshots = new List<MarketDataSnapshot>();
        foreach (var instrument in referenceData.Instruments)
        {
            if (books.TryGetBook(instrument.Spec.Id, out var book))
            {
                snapshots.Add(new MarketDataSnapshot(instrument.Row.Symbol, book.Sequence, Levels(book.Bids, instrument),
                    Levels(book.Asks, instrument), book.Quote));
            }
        }
        publisher.EnqueueSnapshots(snapshots);
        return Task.CompletedTask;
    }

    private static DepthLevelChange[] Levels(Engine.Matching.DepthLevel[] levels, ReferenceData.TradableInstrument instrument) =>
        [.. levels.Select(l => new DepthLevelChange(instrument.ToDecimal(l.Price), l.Quantity.Raw, l.OrderCount))];
}

/// <summary>
/// Asks the writer's node for snapshots while this node's views want one (at start, after a gap or a new writer epoch), at most
/// once a second, while this node does not lead (the node that leads serves its own books).
/// </summary>
public sealed class MarketDataFollower(FollowedMarketData view, IWriterLeadership leadership, ClusterOptions cluster, IBus bus,
    ILogger<MarketDataFollower> log) : BackgroundService
{
    private static readonly TimeSpan AskEvery = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        long lastAsked = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (stoppingToken.IsCancellationRequested || leadership.Current.Leads || !view.WantsSnapshot ||
                Environment.TickCount64 - lastAsked < AskEvery.TotalMilliseconds)
            {
                continue;
            }
            lastAsked = Environment.TickCount64;
            try
            {
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                attempt.CancelAfter(TimeSpan.FromSeconds(5));
                await bus.Publish(new MarketDataSnapshotRequested(cluster.NodeName, DateTime.UtcNow), attempt.Token);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                log.LogWarning(ex, "Could not ask the writer's node for market-data snapshots; asking again in {Seconds} s", AskEvery.TotalSeconds);
            }
        }
    }
}
