using TradSys.Contracts;
using TradSys.Web.Cluster;
using TradSys.Web.Portal.Services;
using TradSys.Web.Streaming;

namespace TradSys.Web.Tests.Streaming;

/// <summary>
/// A cluster node's view of the writer's books from the bus (issue 17): it starts from a snapshot, applies updates only in sequence and
/// epoch, keeps what comes while it waits for a snapshot, and hands on to its feed exactly what it applied.
/// </summary>
public class FollowedMarketDataTests
{
    private const string Symbol = "COMI.INT";
    private readonly Leadership _leadership = new();
    private readonly MarketDataFeed _feed = new();
    private readonly List<object> _handedOn = [];
    private readonly List<string> _restarted = [];
    private readonly FollowedMarketData _view;

    public FollowedMarketDataTests()
    {
        _view = new FollowedMarketData(_feed, _leadership);
        _feed.BatchPublished += batch => _handedOn.AddRange(batch);
        _view.Restarted += _restarted.Add;
    }

    [Fact]
    public void Updates_before_the_first_snapshot_are_kept_and_those_after_it_applied_to_it()
    {
        Assert.True(_view.WantsSnapshot);
        Assert.False(_view.TryGet(Symbol, out _, out _, out _, out _));
        _view.Apply(Batch(1, Update(5, ask: (80.00m, 100)), Update(6, ask: (80.10m, 50)), Update(7, ask: (80.00m, 0))));
        Assert.True(_view.WantsSnapshot);
        Assert.Empty(_handedOn);

        _view.Apply(Snapshot(1, 5, asks: [(80.00m, 100)]));

        Assert.False(_view.WantsSnapshot);
        Assert.Equal([Symbol], _restarted);
        Assert.Empty(_handedOn); // the connections take a new snapshot, which holds 6 and 7
        Assert.True(_view.TryGet(Symbol, out var sequence, out var bids, out var asks, out var quote));
        Assert.Equal(7, sequence);
        Assert.Empty(bids);
        Assert.Equal([new DepthLevelChange(80.10m, 50, 1)], asks);
        Assert.Equal(7, quote!.Sequence);
    }

    [Fact]
    public void In_step_an_update_is_applied_and_handed_on_with_its_depth_and_a_repeat_is_dropped()
    {
        _view.Apply(Snapshot(1, 10, asks: [(80.00m, 100)]));
        var (depth, quote) = Update(11, bid: (79.90m, 30));
        _view.Apply(Batch(1, (depth, quote)));
        _view.Apply(Batch(1, (depth, quote)));

        Assert.Equal([depth!, quote], _handedOn);
        Assert.True(_view.TryGet(Symbol, out var sequence, out var bids, out var asks, out _));
        Assert.Equal(11, sequence);
        Assert.Equal([new DepthLevelChange(79.90m, 30, 1)], bids);
        Assert.Equal([new DepthLevelChange(80.00m, 100, 1)], asks);
        Assert.False(_view.WantsSnapshot);
    }

    [Fact]
    public void A_gap_makes_the_view_wait_for_a_snapshot_and_a_snapshot_for_a_view_in_step_changes_nothing()
    {
        _view.Apply(Snapshot(1, 10, asks: [(80.00m, 100)]));
        _view.Apply(Snapshot(1, 3, asks: [(81.00m, 5)])); // answers another node: this view is ahead of it
        Assert.True(_view.TryGet(Symbol, out var sequence, out _, out var asks, out _));
        Assert.Equal((10L, 80.00m), (sequence, Assert.Single(asks).Price));

        _view.Apply(Batch(1, Update(12, ask: (80.20m, 10)))); // 11 was lost
        Assert.True(_view.WantsSnapshot);
        Assert.Empty(_handedOn);

        _view.Apply(Snapshot(1, 11, asks: [(80.00m, 100), (80.30m, 7)]));
        Assert.True(_view.TryGet(Symbol, out sequence, out _, out asks, out _));
        Assert.Equal(12, sequence);
        Assert.Equal([80.00m, 80.20m, 80.30m], asks.Select(l => l.Price));
        Assert.False(_view.WantsSnapshot);
    }

    [Fact]
    public void A_new_writer_epoch_starts_the_view_again_from_its_snapshot_though_its_sequences_are_lower()
    {
        _view.Apply(Snapshot(3, 500, asks: [(80.00m, 100)]));
        _view.Apply(Batch(4, Update(1, ask: (80.00m, 60))));
        Assert.True(_view.WantsSnapshot);

        _view.Apply(Snapshot(4, 0, asks: [(80.00m, 100)]));

        Assert.True(_view.TryGet(Symbol, out var sequence, out _, out var asks, out _));
        Assert.Equal(1, sequence);
        Assert.Equal(60, Assert.Single(asks).Quantity);
        Assert.Equal([Symbol, Symbol], _restarted);
    }

    [Fact]
    public void A_snapshot_that_leaves_a_hole_before_the_kept_updates_is_not_enough()
    {
        _view.Apply(Batch(1, Update(9, ask: (80.00m, 100)), Update(10, ask: (80.10m, 20))));
        _view.Apply(Snapshot(1, 7, asks: []));

        Assert.True(_view.WantsSnapshot);
        Assert.Empty(_restarted);
        _view.Apply(Snapshot(1, 8, asks: []));
        Assert.True(_view.TryGet(Symbol, out var sequence, out _, out var asks, out _));
        Assert.Equal(10, sequence); // both kept updates, the second too, applied after the second snapshot
        Assert.Equal([(80.00m, 100L), (80.10m, 20L)], asks.Select(l => (l.Price, l.Quantity)));
    }

    [Fact]
    public void While_this_node_leads_nothing_is_handed_on_and_the_view_waits_for_the_next_writer()
    {
        _view.Apply(Snapshot(1, 10, asks: [(80.00m, 100)]));
        _leadership.Leads = true;
        _view.Apply(Batch(1, Update(11, ask: (80.00m, 50))));
        Assert.Empty(_handedOn);

        _leadership.Leads = false;
        Assert.True(_view.WantsSnapshot);
        _view.Apply(Batch(2, Update(1, ask: (80.00m, 40))));
        Assert.Empty(_handedOn);
    }

    [Fact]
    public void The_quote_is_read_with_its_epoch_and_sequence_only_while_the_view_is_in_step_and_a_start_has_the_portals_views_read_again()
    {
        var refreshed = new List<string>();
        _feed.QuoteChanged += refreshed.Add;
        _feed.DepthChanged += refreshed.Add;
        Assert.False(_view.TryGetQuote(Symbol, out _, out _, out _));

        _view.Apply(Snapshot(2, 10, asks: [(80.00m, 100)]));
        Assert.Equal([Symbol, Symbol], refreshed); // the depth ladder and the quote header, with no message for the gateway
        Assert.Empty(_handedOn);
        _view.Apply(Batch(2, Update(11, ask: (80.00m, 40))));
        Assert.True(_view.TryGetQuote(Symbol, out var epoch, out var sequence, out var quote));
        Assert.Equal((2L, 11L, 11L), (epoch, sequence, quote.Sequence));

        _view.Apply(Batch(2, Update(13, ask: (80.00m, 30)))); // 12 was lost: the view waits, and has no quote to answer with
        Assert.False(_view.TryGetQuote(Symbol, out _, out _, out _));
        Assert.True(_view.TryGet(Symbol, out _, out _, out _, out _)); // the gateway's snapshot still comes from it
    }

    private static MarketDataCommitted Batch(long epoch, params (DepthUpdated? Depth, QuoteUpdated Quote)[] updates) =>
        new(epoch, [.. updates.Where(u => u.Depth is not null).Select(u => u.Depth!)], [.. updates.Select(u => u.Quote)], []);

    private static MarketDataCommitted Snapshot(long epoch, long sequence, (decimal Price, long Quantity)[] asks) =>
        new(epoch, [], [], [new MarketDataSnapshot(Symbol, sequence, [], [.. asks.Select(a => new DepthLevelChange(a.Price, a.Quantity, 1))], Quote(sequence))]);

    private static (DepthUpdated? Depth, QuoteUpdated Quote) Update(long sequence, (decimal Price, long Quantity)? bid = null,
        (decimal Price, long Quantity)? ask = null)
    {
        DepthLevelChange[] Side((decimal Price, long Quantity)? level) =>
            level is { } l ? [new DepthLevelChange(l.Price, l.Quantity, l.Quantity == 0 ? 0 : 1)] : [];
        return (new DepthUpdated(Symbol, sequence, Side(bid), Side(ask), DateTime.UnixEpoch), Quote(sequence));
    }

    private static QuoteUpdated Quote(long sequence) =>
        new(Symbol, sequence, null, 0, null, 0, null, 0, 0, 0, null, DateTime.UnixEpoch.AddSeconds(sequence));

    private sealed class Leadership : IWriterLeadership
    {
        public bool Leads { get; set; }

        public WriterTerm Current => new(Leads, ClusterOptions.DefaultShard, 1, Fenced: true, Leader: Leads ? null : "node-a");

        public void Lost(long epoch, string reason) => Leads = false;
    }
}
