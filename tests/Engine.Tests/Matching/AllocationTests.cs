using TradSys.Engine.Commands;
using TradSys.Engine.Matching;
using TradSys.Engine.Tests.Support;

namespace TradSys.Engine.Tests.Matching;

/// <summary>Steady-state trading allocates nothing: a byte count, not a timing.</summary>
public class AllocationTests
{
    private const int Operations = 10_000;
    private static readonly InstrumentId Instrument = new(0);

    [Fact]
    public void Steady_state_submit_and_cancel_allocate_nothing()
    {
        var sink = new CountingSink();
        var engine = new MatchingEngine(sink, 1);
        engine.AddInstrument(Instrument);

        SubmitAndCancel(engine, 0);
        long before = GC.GetAllocatedBytesForCurrentThread();
        SubmitAndCancel(engine, Operations);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(0, engine.RestingOrderCount);
        Assert.True(sink.Count >= 4 * Operations);
    }

    [Fact]
    public void Steady_state_matching_and_amending_allocate_nothing()
    {
        var sink = new CountingSink();
        var engine = new MatchingEngine(sink, 1);
        engine.AddInstrument(Instrument);

        Trade(engine, 0);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Trade(engine, Operations);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(0, engine.RestingOrderCount);
    }

    private static void SubmitAndCancel(MatchingEngine engine, long firstId)
    {
        // Orders spread over a few price levels on both sides, then all canceled: levels and nodes recycle.
        for (long i = 0; i < Operations; i++)
        {
            long id = firstId + i + 1;
            Side side = (i & 1) == 0 ? Side.Buy : Side.Sell;
            long price = side == Side.Buy ? 1000 - (i % 8) : 1010 + (i % 8);
            engine.Submit(new SubmitOrder(id, Instrument, 1, side, OrderType.Limit, TimeInForce.Day, new Price(price), new Quantity(10), id));
            if (i % 4 == 3)
            {
                for (long j = id - 3; j <= id; j++)
                {
                    engine.Cancel(new CancelOrder(j, id));
                }
            }
        }
    }

    private static void Trade(MatchingEngine engine, long firstId)
    {
        for (long i = 0; i < Operations; i += 4)
        {
            long id = firstId + i + 1;
            engine.Submit(new SubmitOrder(id, Instrument, 1, Side.Sell, OrderType.Limit, TimeInForce.Day, new Price(1000 + (i % 5)), new Quantity(30), id));
            engine.Modify(new ModifyOrder(id, new Price(1001 + (i % 5)), new Quantity(40), id));
            engine.Submit(new SubmitOrder(id + 1, Instrument, 2, Side.Buy, OrderType.Limit, TimeInForce.Day, new Price(1010), new Quantity(25), id));
            engine.Submit(new SubmitOrder(id + 2, Instrument, 2, Side.Buy, OrderType.Market, TimeInForce.Day, Price.Zero, new Quantity(15), id));
        }
    }
}
