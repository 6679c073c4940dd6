using TradSys.Web.Streaming;

namespace TradSys.Web.Tests.Streaming;

/// <summary>The send queue's back-pressure rules, on their own.</summary>
public sealed class OutboundQueueTests
{
    private static Outbound Update(string symbol, long sequence) => new(OutboundKind.MarketData, [1], symbol, sequence);

    private static Outbound Order(long sequence) => new(OutboundKind.OrderUpdate, [1], "COMI.INT", sequence);

    [Fact]
    public void Market_data_fills_half_the_queue_then_its_symbol_is_conflated_until_there_is_room()
    {
        var queue = new OutboundQueue(4);
        Assert.True(queue.OfferMarketData(Update("COMI.INT", 1)));
        Assert.True(queue.OfferMarketData(Update("COMI.INT", 2)));
        Assert.False(queue.OfferMarketData(Update("COMI.INT", 3)));
        Assert.True(queue.IsConflated("COMI.INT"));
        // Still half full: nothing to send instead yet, and later updates of the symbol are not queued behind.
        Assert.False(queue.TryTakeConflated(out _));
        Assert.True(queue.TryRead(out var first));
        Assert.Equal(1, first.Sequence);
        Assert.False(queue.OfferMarketData(Update("COMI.INT", 4)));
        Assert.Equal(1, queue.Count);

        Assert.True(queue.TryTakeConflated(out var symbol));
        Assert.Equal("COMI.INT", symbol);
        Assert.False(queue.IsConflated("COMI.INT"));
        Assert.True(queue.OfferMarketData(Update("COMI.INT", 5)));
    }

    [Fact]
    public void Order_updates_use_the_whole_queue_and_are_refused_only_when_it_is_full()
    {
        var queue = new OutboundQueue(4);
        Assert.True(queue.OfferMarketData(Update("FAB.INT", 1)));
        Assert.True(queue.OfferMarketData(Update("FAB.INT", 2)));
        Assert.True(queue.TryEssential(Order(10)));
        Assert.True(queue.TryEssential(Order(11)));
        Assert.False(queue.TryEssential(Order(12)));
        var sequences = new List<long>();
        while (queue.TryRead(out var message))
        {
            sequences.Add(message.Sequence);
        }
        Assert.Equal([1L, 2, 10, 11], sequences);
    }
}
