using TradSys.Engine.Commands;
using TradSys.Engine.Matching;
using TradSys.Engine.Tests.Support;

namespace TradSys.Engine.Tests.Matching;

/// <summary>
/// Steady-state trading allocates nothing: a byte count, not a timing. Each test measures several rounds of
/// 10,000 operations after a warm-up round and asserts that a whole round allocated nothing: a real allocation
/// on the engine's path shows in every round, while the runtime's own one-off work on the test thread (tiered
/// recompilation, type loading) does not repeat.
/// </summary>
public class AllocationTests
{
    private const int Operations = 10_000;
    private const int Rounds = 5;
    private static readonly InstrumentId Instrument = new(0);

    [Fact]
    public void Steady_state_submit_and_cancel_allocate_nothing()
    {
        var sink = new CountingSink();
        var engine = new MatchingEngine(sink, 1);
        engine.AddInstrument(Instrument);

        SubmitAndCancel(engine, 0);
        AssertARoundAllocatesNothing(round => SubmitAndCancel(engine, (round + 1) * Operations));
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
        AssertARoundAllocatesNothing(round => Trade(engine, (round + 1) * Operations));
        Assert.Equal(0, engine.RestingOrderCount);
    }

    [Fact]
    public void Steady_state_icebergs_stops_self_trade_prevention_and_immediate_orders_allocate_nothing()
    {
        var sink = new CountingSink();
        var engine = new MatchingEngine(sink, 1);
        engine.AddInstrument(Instrument);

        NewOrderTypes(engine, 0);
        AssertARoundAllocatesNothing(round => NewOrderTypes(engine, (round + 1) * 10 * Operations));
        Assert.Equal(0, engine.RestingOrderCount);
        Assert.Equal(0, engine.PendingStopCount);
    }

    private static void AssertARoundAllocatesNothing(Action<int> round)
    {
        var allocatedPerRound = new long[Rounds];
        for (int i = 0; i < Rounds; i++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            round(i);
            allocatedPerRound[i] = GC.GetAllocatedBytesForCurrentThread() - before;
            if (allocatedPerRound[i] == 0)
            {
                return;
            }
        }

        Assert.Fail($"every round of {Operations} operations allocated: {string.Join(", ", allocatedPerRound)} bytes");
    }

    private static void NewOrderTypes(MatchingEngine engine, long firstId)
    {
        for (long i = 0; i < Operations; i += 10)
        {
            long id = firstId + i + 1;

            // An iceberg (refreshes while a buyer sweeps it), a sell stop under the market and a buy stop above it.
            engine.Submit(new SubmitOrder(id, Instrument, 1, Side.Sell, OrderType.Limit, TimeInForce.Gtc, new Price(1000), new Quantity(100), id, DisplayQuantity: new Quantity(10)));
            engine.Submit(new SubmitOrder(id + 1, Instrument, 2, Side.Sell, OrderType.Limit, TimeInForce.Gtc, new Price(1000), new Quantity(10), id));
            engine.Submit(new SubmitOrder(id + 2, Instrument, 3, Side.Buy, OrderType.Stop, TimeInForce.Gtc, Price.Zero, new Quantity(20), id, StopPrice: new Price(1000)));
            engine.Submit(new SubmitOrder(id + 3, Instrument, 3, Side.Buy, OrderType.StopLimit, TimeInForce.Gtd, new Price(1000), new Quantity(5), id, StopPrice: new Price(1000), ExpireAt: id + 1));

            // Sweeps part of the iceberg (refreshes), trades at 10.00: both stops trigger and trade.
            engine.Submit(new SubmitOrder(id + 4, Instrument, 4, Side.Buy, OrderType.Limit, TimeInForce.Ioc, new Price(1000), new Quantity(45), id));

            // FOK killed, market-to-limit, self-trade prevention (cancel resting, then cancel incoming).
            engine.Submit(new SubmitOrder(id + 5, Instrument, 4, Side.Buy, OrderType.Limit, TimeInForce.Fok, new Price(1000), new Quantity(1000), id));
            engine.Submit(new SubmitOrder(id + 6, Instrument, 4, Side.Buy, OrderType.MarketToLimit, TimeInForce.Ioc, Price.Zero, new Quantity(5), id));
            engine.Submit(new SubmitOrder(id + 7, Instrument, 1, Side.Buy, OrderType.Limit, TimeInForce.Ioc, new Price(1000), new Quantity(5), id, SelfTradePrevention: SelfTradePrevention.CancelIncoming));
            engine.Submit(new SubmitOrder(id + 8, Instrument, 1, Side.Buy, OrderType.Market, TimeInForce.Day, Price.Zero, new Quantity(5), id, SelfTradePrevention: SelfTradePrevention.CancelResting));

            // Whatever is left goes in one mass cancel.
            engine.Submit(new SubmitOrder(id + 9, Instrument, 5, Side.Sell, OrderType.Stop, TimeInForce.Gtc, Price.Zero, new Quantity(5), id, StopPrice: new Price(900)));
            engine.MassCancel(new MassCancel(null, Instrument, id));
        }
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
