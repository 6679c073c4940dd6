using TradSys.Contracts;
using TradSys.Web.Portal.Services;

namespace TradSys.Web.Tests.Streaming;

/// <summary>
/// The node's order-update feed hands each journal entry and trade on once, in order, though a cluster node can hear them twice (from
/// the bus and from its own outbox when leadership moves to it, or a message delivered again).
/// </summary>
public class OrderUpdateFeedTests
{
    [Fact]
    public void An_entry_or_trade_heard_again_or_behind_one_handed_on_is_dropped()
    {
        var feed = new OrderUpdateFeed();
        var updates = new List<long>();
        var trades = new List<long>();
        feed.Updated += u => updates.Add(u.Sequence);
        feed.Traded += t => trades.Add(t.TradeId);

        foreach (var sequence in new long[] { 1, 2, 2, 1, 3, 5, 4, 6 })
        {
            feed.Publish(Update(sequence));
        }
        foreach (var id in new long[] { 10, 10, 11, 9, 12 })
        {
            feed.Publish(Trade(id));
        }

        Assert.Equal([1, 2, 3, 5, 6], updates);
        Assert.Equal([10, 11, 12], trades);
    }

    private static OrderUpdated Update(long sequence) =>
        new(sequence, 7, "c-7", 1001, "COMI.INT", "Buy", "Limit", "Working", 80m, 100, 0, 100, null, null, null, null, DateTime.UnixEpoch);

    private static TradeExecuted Trade(long id) =>
        new(id, "COMI.INT", 80m, 10, "EGP", 1, 2, 1001, 2001, "Buy", DateTime.UnixEpoch);
}
