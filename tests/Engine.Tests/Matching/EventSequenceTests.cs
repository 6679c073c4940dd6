using TradSys.Engine.Commands;
using TradSys.Engine.Events;
using TradSys.Engine.Matching;
using TradSys.Engine.Tests.Support;

namespace TradSys.Engine.Tests.Matching;

/// <summary>The exact events, in order, that each command produces.</summary>
public class EventSequenceTests
{
    private static readonly InstrumentId Instrument = new(0);
    private readonly RecordingSink sink = new();
    private readonly MatchingEngine engine;

    public EventSequenceTests()
    {
        engine = new MatchingEngine(sink, 1, nextTradeId: 500);
        engine.AddInstrument(Instrument);
    }

    private static SubmitOrder Limit(long id, Side side, long price, long quantity, long account, long ts) =>
        new(id, Instrument, account, side, OrderType.Limit, TimeInForce.Gtc, new Price(price), new Quantity(quantity), ts);

    [Fact]
    public void Resting_order_produces_only_an_acceptance()
    {
        engine.Submit(Limit(1, Side.Buy, 1000, 100, 11, 7));

        Assert.Equal([new OrderAccepted(1, Instrument, 11, Side.Buy, OrderType.Limit, new Price(1000), new Quantity(100), 7)], sink.Events);
    }

    [Fact]
    public void Crossing_order_is_accepted_then_each_match_reports_trade_resting_fill_and_aggressor_fill()
    {
        engine.Submit(Limit(1, Side.Sell, 1000, 30, 11, 1));
        engine.Submit(Limit(2, Side.Sell, 1010, 50, 12, 2));
        sink.Clear();

        engine.Submit(Limit(3, Side.Buy, 1010, 100, 13, 3));

        Assert.Equal(
            [
                new OrderAccepted(3, Instrument, 13, Side.Buy, OrderType.Limit, new Price(1010), new Quantity(100), 3),
                new TradeExecuted(500, Instrument, new Price(1000), new Quantity(30), 3, 1, 13, 11, Side.Buy, 3),
                new OrderFilled(1, 500, new Price(1000), new Quantity(30), new Quantity(30), Quantity.Zero, false, 3),
                new OrderFilled(3, 500, new Price(1000), new Quantity(30), new Quantity(30), new Quantity(70), true, 3),
                new TradeExecuted(501, Instrument, new Price(1010), new Quantity(50), 3, 2, 13, 12, Side.Buy, 3),
                new OrderFilled(2, 501, new Price(1010), new Quantity(50), new Quantity(50), Quantity.Zero, false, 3),
                new OrderFilled(3, 501, new Price(1010), new Quantity(50), new Quantity(80), new Quantity(20), true, 3),
            ],
            sink.Events);
        Assert.Equal(502, engine.NextTradeId);
    }

    [Fact]
    public void Fill_status_is_filled_only_when_nothing_is_left()
    {
        engine.Submit(Limit(1, Side.Sell, 1000, 30, 11, 1));
        engine.Submit(Limit(2, Side.Buy, 1000, 50, 12, 2));

        OrderFilled[] fills = [.. sink.Of<OrderFilled>()];
        Assert.Equal(OrderStatus.Filled, fills[0].Status);
        Assert.Equal(OrderStatus.PartiallyFilled, fills[1].Status);
    }

    [Fact]
    public void Sell_aggressor_is_the_seller_in_the_trade()
    {
        engine.Submit(Limit(1, Side.Buy, 1000, 10, 11, 1));
        sink.Clear();

        engine.Submit(Limit(2, Side.Sell, 990, 10, 12, 2));

        TradeExecuted trade = Assert.Single(sink.Of<TradeExecuted>());
        Assert.Equal(new TradeExecuted(500, Instrument, new Price(1000), new Quantity(10), 1, 2, 11, 12, Side.Sell, 2), trade);
    }

    [Fact]
    public void Market_order_remainder_is_canceled_after_its_fills()
    {
        engine.Submit(Limit(1, Side.Buy, 1000, 40, 11, 1));
        sink.Clear();

        engine.Submit(new SubmitOrder(2, Instrument, 12, Side.Sell, OrderType.Market, TimeInForce.Day, Price.Zero, new Quantity(100), 9));

        Assert.Equal(
            [
                new OrderAccepted(2, Instrument, 12, Side.Sell, OrderType.Market, Price.Zero, new Quantity(100), 9),
                new TradeExecuted(500, Instrument, new Price(1000), new Quantity(40), 1, 2, 11, 12, Side.Sell, 9),
                new OrderFilled(1, 500, new Price(1000), new Quantity(40), new Quantity(40), Quantity.Zero, false, 9),
                new OrderFilled(2, 500, new Price(1000), new Quantity(40), new Quantity(40), new Quantity(60), true, 9),
                new OrderCanceled(2, new Quantity(60), CancelReason.MarketOrderRemainder, 9),
            ],
            sink.Events);
    }

    [Fact]
    public void Amend_down_reports_the_new_leaves_and_keeps_priority()
    {
        engine.Submit(Limit(1, Side.Buy, 1000, 100, 11, 1));
        engine.Submit(Limit(2, Side.Sell, 1000, 30, 12, 2));
        sink.Clear();

        engine.Modify(new ModifyOrder(1, new Price(1000), new Quantity(50), 3));

        Assert.Equal([new OrderModified(1, new Price(1000), new Quantity(50), new Quantity(20), false, 3)], sink.Events);
    }

    [Fact]
    public void Crossing_amend_reports_the_modification_then_trades_without_a_second_acceptance()
    {
        engine.Submit(Limit(1, Side.Sell, 1010, 40, 11, 1));
        engine.Submit(Limit(2, Side.Buy, 1000, 100, 12, 2));
        sink.Clear();

        engine.Modify(new ModifyOrder(2, new Price(1010), new Quantity(100), 5));

        Assert.Equal(
            [
                new OrderModified(2, new Price(1010), new Quantity(100), new Quantity(100), true, 5),
                new TradeExecuted(500, Instrument, new Price(1010), new Quantity(40), 2, 1, 12, 11, Side.Buy, 5),
                new OrderFilled(1, 500, new Price(1010), new Quantity(40), new Quantity(40), Quantity.Zero, false, 5),
                new OrderFilled(2, 500, new Price(1010), new Quantity(40), new Quantity(40), new Quantity(60), true, 5),
            ],
            sink.Events);
        Assert.True(engine.TryGetOrder(2, out OrderView view));
        Assert.Equal(new Quantity(60), view.Leaves);
    }

    [Fact]
    public void Cancel_reports_the_leaves_with_the_request_timestamp()
    {
        engine.Submit(Limit(1, Side.Sell, 1010, 40, 11, 1));
        sink.Clear();

        engine.Cancel(new CancelOrder(1, 123));

        Assert.Equal([new OrderCanceled(1, new Quantity(40), CancelReason.Requested, 123)], sink.Events);
    }

    [Fact]
    public void Restore_emits_nothing()
    {
        engine.Restore(new RestoreOrder(1, Instrument, 11, Side.Buy, TimeInForce.Gtc, new Price(1000), new Quantity(100), new Quantity(25), 0));

        Assert.Empty(sink.Events);
        Assert.True(engine.TryGetOrder(1, out OrderView view));
        Assert.Equal(new OrderView(1, Instrument, 11, Side.Buy, new Price(1000), new Quantity(100), new Quantity(25), new Quantity(75)) { TimeInForce = TimeInForce.Gtc, Type = OrderType.Limit, Displayed = new Quantity(75) }, view);
    }

    [Fact]
    public void Sink_that_queries_the_engine_sees_each_trade_already_applied()
    {
        var probe = new ProbeSink();
        var probed = new MatchingEngine(probe, 1);
        probe.Engine = probed;
        probed.AddInstrument(Instrument);

        probed.Submit(Limit(1, Side.Sell, 1000, 10, 11, 1));
        probed.Submit(Limit(2, Side.Buy, 1000, 10, 12, 2));

        // Order 1 is not in the book at its own acceptance (it rests after matching), is at order 2's
        // acceptance, and has already left the book when its final fill is reported.
        Assert.Equal([false, true, false], probe.RestingSeenAtFill);
    }

    [Fact]
    public void Command_sent_from_inside_a_sink_callback_is_refused_and_the_engine_stays_usable()
    {
        var reentrant = new ReentrantSink();
        var engine = new MatchingEngine(reentrant, 1);
        reentrant.Engine = engine;
        engine.AddInstrument(Instrument);

        Assert.Throws<InvalidOperationException>(() => engine.Submit(Limit(1, Side.Buy, 1000, 10, 11, 1)));

        reentrant.Engine = null;
        engine.Submit(Limit(2, Side.Sell, 1000, 10, 12, 2));
        Assert.False(engine.TryGetOrder(1, out _));
        Assert.True(engine.TryGetOrder(2, out _));
    }

    private sealed class ReentrantSink : IEngineEventSink
    {
        public MatchingEngine? Engine { get; set; }

        public void On(in OrderAccepted e) => Engine?.Cancel(new CancelOrder(e.OrderId, e.Timestamp));

        public void On(in OrderRejected e)
        {
        }

        public void On(in TradeExecuted e)
        {
        }

        public void On(in OrderFilled e)
        {
        }

        public void On(in OrderCanceled e)
        {
        }

        public void On(in OrderModified e)
        {
        }

        public void On(in ModifyRejected e)
        {
        }

        public void On(in CancelRejected e)
        {
        }

        public void On(in OrderTriggered e)
        {
        }
    }

    private sealed class ProbeSink : IEngineEventSink
    {
        public MatchingEngine? Engine { get; set; }

        public List<bool> RestingSeenAtFill { get; } = [];

        public void On(in OrderAccepted e) => RestingSeenAtFill.Add(Engine!.TryGetOrder(1, out _));

        public void On(in OrderRejected e)
        {
        }

        public void On(in TradeExecuted e)
        {
        }

        public void On(in OrderFilled e)
        {
            if (!e.IsAggressor)
            {
                RestingSeenAtFill.Add(Engine!.TryGetOrder(e.OrderId, out _));
            }
        }

        public void On(in OrderCanceled e)
        {
        }

        public void On(in OrderModified e)
        {
        }

        public void On(in ModifyRejected e)
        {
        }

        public void On(in CancelRejected e)
        {
        }

        public void On(in OrderTriggered e)
        {
        }
    }
}
