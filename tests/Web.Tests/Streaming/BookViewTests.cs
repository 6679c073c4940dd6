using TradSys.Client;

namespace TradSys.Web.Tests.Streaming;

/// <summary>The client library's book: snapshot, updates in sequence, and a gap reported instead of guessed over.</summary>
public sealed class BookViewTests
{
    private static readonly Quote Quote = new(10m, 5, 11m, 7, null, 0, 0, 0, null, "Continuous", null, 0, DateTime.UnixEpoch);

    [Fact]
    public void Updates_apply_in_sequence_and_a_skipped_sequence_is_a_gap_that_changes_nothing()
    {
        var book = new BookView("COMI.INT");
        Assert.Equal(BookChange.NoSnapshot, book.Apply(Update(1, bids: [new(10m, 5, 1)])));

        book.Apply(new MarketDataSnapshot("COMI.INT", 5, false, [new(10m, 5, 1), new(9.9m, 3, 1)], [new(11m, 7, 2)], Quote));
        Assert.Equal(BookChange.Stale, book.Apply(Update(5, bids: [new(10m, 0, 0)])));
        Assert.Equal(BookChange.Gap, book.Apply(Update(7, bids: [new(10m, 0, 0)])));
        Assert.Equal(2, book.Bids.Count);

        Assert.Equal(BookChange.Applied, book.Apply(Update(6, bids: [new(10m, 0, 0), new(10.05m, 4, 1)], asks: [new(11m, 2, 1)])));
        Assert.Equal([new BookLevel(10.05m, 4, 1), new BookLevel(9.9m, 3, 1)], book.Bids);
        Assert.Equal([new BookLevel(11m, 2, 1)], book.Asks);
        Assert.Equal(6, book.Sequence);

        // A restarted server counts from 1 again: a gap, so the client subscribes again.
        Assert.Equal(BookChange.Gap, book.Apply(Update(1)));
    }

    [Fact]
    public void Levels_pushed_below_the_depth_the_server_describes_are_dropped()
    {
        var book = new BookView("COMI.INT", depth: 2);
        book.Apply(new MarketDataSnapshot("COMI.INT", 1, false, [new(10m, 5, 1), new(9m, 5, 1)], [], Quote));
        book.Apply(Update(2, bids: [new(10.5m, 1, 1)]));
        Assert.Equal([10.5m, 10m], book.Bids.Select(l => l.Price));
        Assert.Throws<ArgumentException>(() => book.Apply(Update(3) with { Symbol = "FAB.INT" }));
    }

    private static MarketDataUpdate Update(long sequence, BookLevel[]? bids = null, BookLevel[]? asks = null) =>
        new("COMI.INT", sequence, bids ?? [], asks ?? [], Quote, DateTime.UnixEpoch);
}
