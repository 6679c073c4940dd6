using TradSys.Engine.MarketData;
using static TradSys.Engine.Tests.Reference.TestVenues;

namespace TradSys.Engine.Tests.MarketData;

public class MarketDataEventsTests
{
    [Fact]
    public void A_level1_update_carries_the_changes_and_the_snapshot_after_them()
    {
        var stats = new MarketStatistics(new InstrumentId(1));
        Level1Changes changes = stats.RecordTrade(P(10m), new Quantity(5));

        var update = new Level1Updated(changes, stats.Snapshot(99));

        Assert.True(update.Changed.HasFlag(Level1Changes.Open));
        Assert.Equal((new Quantity(5), 99L), (update.Current.Volume, update.Current.Timestamp));
    }

    [Fact]
    public void A_removed_depth_level_has_no_quantity_and_no_orders()
    {
        var removed = new DepthLevelChanged(new InstrumentId(1), Side.Sell, P(10.10m), Quantity.Zero, 0, 5);

        Assert.Equal(new DepthLevelChanged(new InstrumentId(1), Side.Sell, P(10.10m), new Quantity(0), 0, 5), removed);
    }
}
