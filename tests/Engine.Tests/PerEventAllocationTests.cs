using TradSys.Engine.Auctions;
using TradSys.Engine.MarketData;
using static TradSys.Engine.Tests.Reference.TestVenues;

namespace TradSys.Engine.Tests;

/// <summary>The per-event calculations of auctions, calendars and market data allocate nothing once warm.</summary>
public class PerEventAllocationTests
{
    private static readonly AuctionLevel[] Bids = [new(P(10.20m), new Quantity(300)), new(P(10.10m), new Quantity(200)), new(P(10.00m), new Quantity(100))];
    private static readonly AuctionLevel[] Asks = [new(P(9.90m), new Quantity(100)), new(P(10.00m), new Quantity(200)), new(P(10.10m), new Quantity(300))];

    private static long AllocatedBy(Action action) => Allocations.LeastOf(action);

    [Fact]
    public void Auction_price_determination_and_uncrossing_allocate_nothing()
    {
        AuctionOrder[] orders = [new(1, true, Price.Zero, new Quantity(100)), new(2, false, P(10.10m), new Quantity(500))];
        var fills = new AuctionFill[2];
        var matches = new AuctionMatch[3];

        long allocated = AllocatedBy(() =>
        {
            for (int i = 0; i < 1000; i++)
            {
                AuctionEquilibrium result = AuctionPriceCalculator.Compute(Bids, Asks, new Quantity(50), new Quantity(20), P(10.00m));
                int n = AuctionUncrossing.Allocate(Side.Buy, orders, result.Price, new Quantity(300), fills);
                AuctionUncrossing.Pair(fills.AsSpan(0, n), fills.AsSpan(0, n), matches);
            }
        });

        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Market_statistics_updates_and_snapshots_allocate_nothing()
    {
        var stats = new MarketStatistics(new InstrumentId(0));

        long allocated = AllocatedBy(() =>
        {
            for (int i = 0; i < 1000; i++)
            {
                stats.RecordTrade(new Price(10_000 + (i % 7)), new Quantity(10));
                stats.UpdateBest(Side.Buy, new Price(9_990 + (i % 3)), new Quantity(100));
                _ = stats.Snapshot(i);
            }

            stats.ResetSession();
        });

        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Schedule_queries_allocate_nothing()
    {
        var from = new DateTime(2025, 11, 27, 18, 0, 0);
        var phases = new TradSys.Engine.Reference.SessionPhase[4];

        long allocated = AllocatedBy(() =>
        {
            for (int i = 0; i < 100; i++)
            {
                Adx.Schedule.TryGetNextPhaseChange(from, out _, out _);
                Adx.Schedule.TryGetNextOpen(from, out _, out _);
                Adx.Schedule.GetPhases(new DateOnly(2025, 11, 24), phases);
            }
        });

        Assert.Equal(0, allocated);
    }
}
