using TradSys.Engine.Commands;
using TradSys.Engine.Events;
using TradSys.Engine.Matching;
using TradSys.Engine.Tests.Support;

namespace TradSys.Engine.Tests.Matching;

/// <summary>
/// The behaviour every order-book implementation must show, with the expected book written as an L2
/// table. Each implementation gets a concrete subclass that says how to build the engine.
/// Prices are written with 2 decimals (Raw 1000 = 10.00).
/// </summary>
public abstract partial class OrderBookScenarios
{
    protected const int Decimals = 2;
    protected static readonly InstrumentId Instrument = new(0);

    protected OrderBookScenarios()
    {
        Sink = new RecordingSink();
        Engine = CreateEngine(Sink, instrumentCapacity: 2);
        Engine.AddInstrument(Instrument);
    }

    protected RecordingSink Sink { get; }

    protected MatchingEngine Engine { get; }

    protected abstract MatchingEngine CreateEngine(IEngineEventSink sink, int instrumentCapacity, long nextTradeId = 1);

    protected static Price Px(decimal value) => Price.FromDecimal(value, Decimals);

    protected void Buy(long id, long quantity, decimal price, long account = 1) =>
        Engine.Submit(new SubmitOrder(id, Instrument, account, Side.Buy, OrderType.Limit, TimeInForce.Day, Px(price), new Quantity(quantity), id));

    protected void Sell(long id, long quantity, decimal price, long account = 2) =>
        Engine.Submit(new SubmitOrder(id, Instrument, account, Side.Sell, OrderType.Limit, TimeInForce.Day, Px(price), new Quantity(quantity), id));

    protected void MarketBuy(long id, long quantity, long account = 1) =>
        Engine.Submit(new SubmitOrder(id, Instrument, account, Side.Buy, OrderType.Market, TimeInForce.Day, Price.Zero, new Quantity(quantity), id));

    protected void MarketSell(long id, long quantity, long account = 2) =>
        Engine.Submit(new SubmitOrder(id, Instrument, account, Side.Sell, OrderType.Market, TimeInForce.Day, Price.Zero, new Quantity(quantity), id));

    protected void Amend(long id, decimal price, long quantity) =>
        Engine.Modify(new ModifyOrder(id, Px(price), new Quantity(quantity), 1000 + id));

    protected void Cancel(long id) => Engine.Cancel(new CancelOrder(id, 2000 + id));

    protected void AssertBook(params string[] expected) =>
        Assert.Equal(expected, L2.Render(Engine, Instrument, Decimals));

    /// <summary>The trades so far as "qty @ price buy/sell" strings.</summary>
    protected string[] Trades() =>
        [.. Sink.Of<TradeExecuted>().Select(t => $"{t.Quantity.Raw} @ {t.Price.ToDecimal(Decimals):F2} {t.BuyOrderId}/{t.SellOrderId}")];

    [Fact]
    public void Orders_that_do_not_cross_rest_on_their_side()
    {
        Buy(1, 100, 10.00m);
        Buy(2, 200, 9.90m);
        Sell(3, 300, 10.10m);
        Sell(4, 400, 10.20m);

        AssertBook(
            "ASK 400 @ 10.20 (1)",
            "ASK 300 @ 10.10 (1)",
            "BID 100 @ 10.00 (1)",
            "BID 200 @ 9.90 (1)");
        Assert.Empty(Sink.Of<TradeExecuted>());
    }

    [Fact]
    public void Orders_at_one_price_aggregate_into_one_level()
    {
        Buy(1, 100, 10.00m);
        Buy(2, 50, 10.00m);
        Sell(3, 70, 10.50m);
        Sell(4, 30, 10.50m);
        Sell(5, 10, 10.50m);

        AssertBook(
            "ASK 110 @ 10.50 (3)",
            "BID 150 @ 10.00 (2)");
    }

    [Fact]
    public void Incoming_order_that_matches_exactly_empties_both_sides()
    {
        Sell(1, 100, 10.00m);
        Buy(2, 100, 10.00m);

        AssertBook();
        Assert.Equal(["100 @ 10.00 2/1"], Trades());
        Assert.False(Engine.TryGetOrder(1, out _));
        Assert.False(Engine.TryGetOrder(2, out _));
    }

    [Fact]
    public void Incoming_order_sweeps_several_levels_and_rests_its_remainder()
    {
        Sell(1, 100, 10.00m);
        Sell(2, 100, 10.10m);
        Sell(3, 100, 10.20m);
        Sell(4, 100, 10.30m);

        Buy(5, 350, 10.20m);

        Assert.Equal(["100 @ 10.00 5/1", "100 @ 10.10 5/2", "100 @ 10.20 5/3"], Trades());
        AssertBook(
            "ASK 100 @ 10.30 (1)",
            "BID 50 @ 10.20 (1)");
    }

    [Fact]
    public void Incoming_order_partially_fills_the_last_resting_order_it_reaches()
    {
        Buy(1, 100, 10.00m);
        Buy(2, 100, 10.00m);
        Buy(3, 100, 9.90m);

        Sell(4, 250, 9.90m);

        Assert.Equal(["100 @ 10.00 1/4", "100 @ 10.00 2/4", "50 @ 9.90 3/4"], Trades());
        AssertBook("BID 50 @ 9.90 (1)");
        Assert.True(Engine.TryGetOrder(3, out OrderView view));
        Assert.Equal(new Quantity(50), view.Filled);
        Assert.Equal(new Quantity(50), view.Leaves);
        Assert.Equal(OrderStatus.PartiallyFilled, view.Status);
    }

    [Fact]
    public void Incoming_order_crosses_several_levels_with_several_orders_each_in_price_time_order()
    {
        Sell(1, 100, 10.10m);
        Sell(2, 50, 10.00m);
        Sell(3, 200, 10.10m);
        Sell(4, 70, 10.00m);
        Sell(5, 30, 10.20m);
        Sell(6, 40, 10.00m);
        AssertBook(
            "ASK 30 @ 10.20 (1)",
            "ASK 300 @ 10.10 (2)",
            "ASK 160 @ 10.00 (3)");

        Buy(7, 400, 10.10m);

        Assert.Equal(["50 @ 10.00 7/2", "70 @ 10.00 7/4", "40 @ 10.00 7/6", "100 @ 10.10 7/1", "140 @ 10.10 7/3"], Trades());
        AssertBook(
            "ASK 30 @ 10.20 (1)",
            "ASK 60 @ 10.10 (1)");
    }

    [Fact]
    public void Orders_at_the_same_price_fill_in_arrival_order()
    {
        Sell(1, 100, 10.00m);
        Sell(2, 100, 10.00m);
        Sell(3, 100, 10.00m);

        Buy(4, 150, 10.00m);

        Assert.Equal(["100 @ 10.00 4/1", "50 @ 10.00 4/2"], Trades());
        AssertBook("ASK 150 @ 10.00 (2)");
        Assert.True(Engine.TryGetOrder(2, out OrderView second));
        Assert.Equal(new Quantity(50), second.Leaves);
    }

    [Fact]
    public void Better_price_fills_before_earlier_arrival()
    {
        Sell(1, 100, 10.10m);
        Sell(2, 100, 10.00m);

        Buy(3, 100, 10.10m);

        Assert.Equal(["100 @ 10.00 3/2"], Trades());
        AssertBook("ASK 100 @ 10.10 (1)");
    }

    [Fact]
    public void Trades_happen_at_the_resting_order_price()
    {
        Buy(1, 100, 10.00m);
        Sell(2, 100, 9.50m);

        Sell(3, 100, 11.00m);
        Buy(4, 100, 12.00m);

        Assert.Equal(["100 @ 10.00 1/2", "100 @ 11.00 4/3"], Trades());
        AssertBook();
    }

    [Fact]
    public void Limit_order_stops_at_its_limit_price()
    {
        Sell(1, 100, 10.00m);
        Sell(2, 100, 10.50m);

        Buy(3, 300, 10.20m);

        Assert.Equal(["100 @ 10.00 3/1"], Trades());
        AssertBook(
            "ASK 100 @ 10.50 (1)",
            "BID 200 @ 10.20 (1)");
    }

    [Fact]
    public void Market_order_partially_fills_and_its_remainder_is_canceled()
    {
        Sell(1, 100, 10.00m);
        Sell(2, 100, 10.50m);

        MarketBuy(3, 250);

        Assert.Equal(["100 @ 10.00 3/1", "100 @ 10.50 3/2"], Trades());
        OrderCanceled canceled = Assert.Single(Sink.Of<OrderCanceled>());
        Assert.Equal(new OrderCanceled(3, new Quantity(50), CancelReason.MarketOrderRemainder, 3), canceled);
        AssertBook();
        Assert.False(Engine.TryGetOrder(3, out _));
    }

    [Fact]
    public void Market_order_that_is_filled_leaves_no_remainder()
    {
        Buy(1, 100, 10.00m);
        Buy(2, 100, 9.00m);

        MarketSell(3, 150);

        Assert.Equal(["100 @ 10.00 1/3", "50 @ 9.00 2/3"], Trades());
        Assert.Empty(Sink.Of<OrderCanceled>());
        AssertBook("BID 50 @ 9.00 (1)");
    }

    [Fact]
    public void Market_order_without_opposite_liquidity_is_rejected_and_not_accepted()
    {
        Buy(1, 100, 10.00m);
        Sink.Clear();

        MarketBuy(2, 100);

        Assert.Equal([new OrderRejected(2, RejectCode.NoLiquidity, 2)], Sink.Events);
        AssertBook("BID 100 @ 10.00 (1)");
    }

    [Fact]
    public void Amend_that_lowers_quantity_keeps_priority()
    {
        Sell(1, 100, 10.00m);
        Sell(2, 100, 10.00m);

        Amend(1, 10.00m, 60);
        Buy(3, 60, 10.00m);

        OrderModified modified = Assert.Single(Sink.Of<OrderModified>());
        Assert.False(modified.LostPriority);
        Assert.Equal(["60 @ 10.00 3/1"], Trades());
        AssertBook("ASK 100 @ 10.00 (1)");
    }

    [Fact]
    public void Amend_that_raises_quantity_loses_priority()
    {
        Sell(1, 100, 10.00m);
        Sell(2, 100, 10.00m);

        Amend(1, 10.00m, 150);
        AssertBook("ASK 250 @ 10.00 (2)");
        Buy(3, 100, 10.00m);

        Assert.True(Assert.Single(Sink.Of<OrderModified>()).LostPriority);
        Assert.Equal(["100 @ 10.00 3/2"], Trades());
        AssertBook("ASK 150 @ 10.00 (1)");
    }

    [Fact]
    public void Amend_that_changes_price_loses_priority_at_the_new_level()
    {
        Sell(1, 100, 10.10m);
        Sell(2, 100, 10.00m);

        Amend(1, 10.00m, 100);
        AssertBook("ASK 200 @ 10.00 (2)");
        Buy(3, 100, 10.00m);

        Assert.Equal(["100 @ 10.00 3/2"], Trades());
        AssertBook("ASK 100 @ 10.00 (1)");
        Assert.True(Engine.TryGetOrder(1, out OrderView view));
        Assert.Equal(Px(10.00m), view.Price);
    }

    [Fact]
    public void Amend_of_a_partially_filled_order_keeps_its_filled_quantity()
    {
        Sell(1, 100, 10.00m);
        Buy(2, 40, 10.00m);

        Amend(1, 10.20m, 70);

        Assert.True(Engine.TryGetOrder(1, out OrderView view));
        Assert.Equal(new OrderView(1, Instrument, 2, Side.Sell, Px(10.20m), new Quantity(70), new Quantity(40), new Quantity(30)) { Type = OrderType.Limit, Displayed = new Quantity(30) }, view with { TimeInForce = default });
        AssertBook("ASK 30 @ 10.20 (1)");
    }

    [Fact]
    public void Price_amend_that_crosses_trades_as_aggressor_and_rests_the_remainder()
    {
        Sell(1, 100, 10.10m);
        Sell(2, 50, 10.20m);
        Buy(3, 200, 10.00m);

        Amend(3, 10.10m, 200);

        Assert.Equal(["100 @ 10.10 3/1"], Trades());
        Assert.All(Sink.Of<OrderFilled>().Where(f => f.OrderId == 3), f => Assert.True(f.IsAggressor));
        Assert.Equal(Side.Buy, Assert.Single(Sink.Of<TradeExecuted>()).AggressorSide);
        AssertBook(
            "ASK 50 @ 10.20 (1)",
            "BID 100 @ 10.10 (1)");
    }

    [Fact]
    public void Price_amend_that_crosses_and_fills_removes_the_order()
    {
        Buy(1, 100, 10.00m);
        Sell(2, 100, 10.10m);

        Amend(2, 9.90m, 100);

        Assert.Equal(["100 @ 10.00 1/2"], Trades());
        AssertBook();
        Assert.False(Engine.TryGetOrder(2, out _));
    }

    [Fact]
    public void Amend_to_quantity_at_or_below_filled_is_rejected()
    {
        Sell(1, 100, 10.00m);
        Buy(2, 40, 10.00m);
        Sink.Clear();

        Amend(1, 10.00m, 40);

        Assert.Equal([new ModifyRejected(1, RejectCode.QuantityNotAboveFilled, 1001)], Sink.Events);
        AssertBook("ASK 60 @ 10.00 (1)");
    }

    [Fact]
    public void Amend_that_changes_nothing_is_rejected()
    {
        Sell(1, 100, 10.00m);
        Sink.Clear();

        Amend(1, 10.00m, 100);

        Assert.Equal([new ModifyRejected(1, RejectCode.NothingToModify, 1001)], Sink.Events);
    }

    [Fact]
    public void Amend_of_an_unknown_order_is_rejected()
    {
        Amend(42, 10.00m, 100);

        Assert.Equal([new ModifyRejected(42, RejectCode.UnknownOrder, 1042)], Sink.Events);
    }

    [Fact]
    public void Amend_to_a_non_positive_price_is_rejected_and_changes_nothing()
    {
        Sell(1, 100, 10.00m);
        Sink.Clear();

        Amend(1, 0m, 100);

        Assert.Equal([new ModifyRejected(1, RejectCode.NonPositivePrice, 1001)], Sink.Events);
        AssertBook("ASK 100 @ 10.00 (1)");
    }

    [Fact]
    public void Amend_above_the_maximum_quantity_is_rejected_and_changes_nothing()
    {
        Sell(1, 100, 10.00m);
        Sink.Clear();

        Amend(1, 10.00m, MatchingEngine.MaxOrderQuantity + 1);

        Assert.Equal([new ModifyRejected(1, RejectCode.QuantityAboveMaximum, 1001)], Sink.Events);
        AssertBook("ASK 100 @ 10.00 (1)");
    }

    [Fact]
    public void Cancel_removes_the_order_and_reports_its_leaves()
    {
        Sell(1, 100, 10.00m);
        Sell(2, 100, 10.00m);
        Buy(3, 30, 10.00m);
        Sink.Clear();

        Cancel(1);

        Assert.Equal([new OrderCanceled(1, new Quantity(70), CancelReason.Requested, 2001)], Sink.Events);
        AssertBook("ASK 100 @ 10.00 (1)");
        Assert.False(Engine.TryGetOrder(1, out _));
    }

    [Fact]
    public void Cancel_of_the_last_order_removes_its_level()
    {
        Sell(1, 100, 10.00m);
        Sell(2, 100, 10.10m);
        Buy(3, 100, 9.90m);

        Cancel(1);
        Cancel(3);

        AssertBook("ASK 100 @ 10.10 (1)");
        Assert.True(Engine.TryGetBestAsk(Instrument, out Price ask));
        Assert.Equal(Px(10.10m), ask);
        Assert.False(Engine.TryGetBestBid(Instrument, out _));
    }

    [Fact]
    public void Cancel_of_an_unknown_order_is_rejected()
    {
        Cancel(42);

        Assert.Equal([new CancelRejected(42, RejectCode.UnknownOrder, 2042)], Sink.Events);
    }

    [Fact]
    public void Cancel_of_a_filled_order_is_rejected_as_unknown()
    {
        Sell(1, 100, 10.00m);
        Buy(2, 100, 10.00m);
        Sink.Clear();

        Cancel(1);

        Assert.Equal([new CancelRejected(1, RejectCode.UnknownOrder, 2001)], Sink.Events);
    }

    [Fact]
    public void Duplicate_live_order_id_is_rejected_and_changes_nothing()
    {
        Buy(1, 100, 10.00m);
        Sink.Clear();

        Sell(1, 100, 10.00m);

        Assert.Equal([new OrderRejected(1, RejectCode.DuplicateOrderId, 1)], Sink.Events);
        AssertBook("BID 100 @ 10.00 (1)");
    }

    [Fact]
    public void Order_for_an_instrument_without_a_book_is_rejected()
    {
        Engine.Submit(new SubmitOrder(1, new InstrumentId(1), 1, Side.Buy, OrderType.Limit, TimeInForce.Day, Px(10m), new Quantity(1), 5));
        Engine.Submit(new SubmitOrder(2, new InstrumentId(-1), 1, Side.Buy, OrderType.Limit, TimeInForce.Day, Px(10m), new Quantity(1), 6));
        Engine.Submit(new SubmitOrder(3, new InstrumentId(99), 1, Side.Buy, OrderType.Limit, TimeInForce.Day, Px(10m), new Quantity(1), 7));

        Assert.Equal(
            [
                new OrderRejected(1, RejectCode.UnknownInstrument, 5),
                new OrderRejected(2, RejectCode.UnknownInstrument, 6),
                new OrderRejected(3, RejectCode.UnknownInstrument, 7),
            ],
            Sink.Events);
    }

    [Theory]
    [InlineData(0, 1000, OrderType.Limit, Side.Buy, TimeInForce.Day, RejectCode.NonPositiveQuantity)]
    [InlineData(-5, 1000, OrderType.Limit, Side.Buy, TimeInForce.Day, RejectCode.NonPositiveQuantity)]
    [InlineData(1_000_000_000_001, 1000, OrderType.Limit, Side.Buy, TimeInForce.Day, RejectCode.QuantityAboveMaximum)]
    [InlineData(long.MaxValue, 0, OrderType.Market, Side.Buy, TimeInForce.Day, RejectCode.QuantityAboveMaximum)]
    [InlineData(10, 0, OrderType.Limit, Side.Buy, TimeInForce.Day, RejectCode.LimitOrderNeedsPrice)]
    [InlineData(10, -1000, OrderType.Limit, Side.Buy, TimeInForce.Day, RejectCode.NonPositivePrice)]
    [InlineData(10, 1000, OrderType.Limit, (Side)0, TimeInForce.Day, RejectCode.InvalidSide)]
    [InlineData(10, 1000, (OrderType)7, Side.Buy, TimeInForce.Day, RejectCode.InvalidOrderType)]
    [InlineData(10, 1000, OrderType.Limit, Side.Sell, (TimeInForce)9, RejectCode.InvalidTimeInForce)]
    public void Malformed_order_is_rejected_without_touching_the_book(long quantity, long priceRaw, OrderType type, Side side, TimeInForce tif, RejectCode expected)
    {
        Sell(1, 100, 10.00m);
        Sink.Clear();

        Engine.Submit(new SubmitOrder(9, Instrument, 1, side, type, tif, new Price(priceRaw), new Quantity(quantity), 77));

        Assert.Equal([new OrderRejected(9, expected, 77)], Sink.Events);
        AssertBook("ASK 100 @ 10.00 (1)");
    }

    [Fact]
    public void Id_of_a_finished_order_is_not_a_duplicate()
    {
        Sell(1, 100, 10.00m);
        Buy(2, 100, 10.00m);
        Sink.Clear();

        Buy(1, 50, 9.00m);

        Assert.IsType<OrderAccepted>(Assert.Single(Sink.Events));
        AssertBook("BID 50 @ 9.00 (1)");
    }

    [Fact]
    public void Books_of_different_instruments_never_match_each_other_but_share_trade_ids()
    {
        var other = new InstrumentId(1);
        Engine.AddInstrument(other);
        Sell(1, 100, 10.00m);
        Engine.Submit(new SubmitOrder(2, other, 5, Side.Buy, OrderType.Limit, TimeInForce.Day, Px(11.00m), new Quantity(100), 2));
        Engine.Submit(new SubmitOrder(3, other, 6, Side.Sell, OrderType.Limit, TimeInForce.Day, Px(11.00m), new Quantity(40), 3));
        Buy(4, 100, 10.00m);

        Assert.Equal(["40 @ 11.00 2/3", "100 @ 10.00 4/1"], Trades());
        Assert.Equal([1L, 2L], Sink.Of<TradeExecuted>().Select(t => t.TradeId));
        Assert.Equal([other, Instrument], Sink.Of<TradeExecuted>().Select(t => t.Instrument));
        AssertBook();
        Assert.Equal(["BID 60 @ 11.00 (1)"], L2.Render(Engine, other, Decimals));
    }

    [Fact]
    public void Adding_an_instrument_twice_or_beyond_capacity_is_a_programming_error()
    {
        Assert.Throws<ArgumentException>(() => Engine.AddInstrument(Instrument));
        Assert.Throws<ArgumentOutOfRangeException>(() => Engine.AddInstrument(new InstrumentId(2)));
        Assert.True(Engine.HasInstrument(Instrument));
        Assert.False(Engine.HasInstrument(new InstrumentId(1)));
    }

    [Fact]
    public void Trade_ids_increase_by_one_from_the_configured_start()
    {
        var sink = new RecordingSink();
        MatchingEngine engine = CreateEngine(sink, 1);
        engine.AddInstrument(Instrument);
        Assert.Equal(1, engine.NextTradeId);

        engine.Submit(new SubmitOrder(1, Instrument, 1, Side.Sell, OrderType.Limit, TimeInForce.Gtc, Px(10m), new Quantity(10), 1));
        engine.Submit(new SubmitOrder(2, Instrument, 1, Side.Sell, OrderType.Limit, TimeInForce.Gtc, Px(10m), new Quantity(10), 1));
        engine.Submit(new SubmitOrder(3, Instrument, 2, Side.Buy, OrderType.Market, TimeInForce.Day, Price.Zero, new Quantity(20), 1));

        Assert.Equal([1L, 2L], sink.Of<TradeExecuted>().Select(t => t.TradeId));
        Assert.Equal(3, engine.NextTradeId);
    }

    [Fact]
    public void Depth_lists_levels_best_first_and_stops_at_the_destination_length()
    {
        Buy(1, 10, 9.00m);
        Buy(2, 20, 9.50m);
        Buy(3, 30, 9.20m);
        Sell(4, 40, 11.00m);
        Sell(5, 50, 10.50m);

        var two = new DepthLevel[2];
        Assert.Equal(2, Engine.GetDepth(Instrument, Side.Buy, two));
        Assert.Equal([new DepthLevel(Px(9.50m), new Quantity(20), 1), new DepthLevel(Px(9.20m), new Quantity(30), 1)], two);

        var all = new DepthLevel[8];
        Assert.Equal(2, Engine.GetDepth(Instrument, Side.Sell, all));
        Assert.Equal(new DepthLevel(Px(10.50m), new Quantity(50), 1), all[0]);
        Assert.Equal(0, Engine.GetDepth(new InstrumentId(1), Side.Sell, all));
    }

    [Fact]
    public void Restore_order_reproduces_priority_and_state()
    {
        Sell(1, 100, 10.00m, account: 7);
        Sell(2, 100, 10.00m, account: 8);
        Sell(3, 100, 10.10m, account: 9);
        Buy(4, 100, 9.90m, account: 10);
        Buy(5, 130, 10.00m, account: 11);
        Sell(6, 50, 10.00m, account: 12);

        var sink = new RecordingSink();
        MatchingEngine restored = CreateEngine(sink, 2, Engine.NextTradeId);
        restored.AddInstrument(Instrument);
        RestoreFrom(Engine, restored);

        Assert.Equal(Engine.StateHash(), restored.StateHash());
        Assert.Equal(L2.Render(Engine, Instrument, Decimals), L2.Render(restored, Instrument, Decimals));
        Assert.Empty(sink.Events);

        Sink.Clear();
        var sweep = new SubmitOrder(20, Instrument, 3, Side.Buy, OrderType.Market, TimeInForce.Day, Price.Zero, new Quantity(500), 99);
        Engine.Submit(sweep);
        restored.Submit(sweep);

        Assert.Equal(Sink.Events, sink.Events);
        Assert.Equal(Engine.StateHash(), restored.StateHash());
    }

    [Fact]
    public void Restore_refuses_an_order_that_would_cross_or_duplicate()
    {
        Sell(1, 100, 10.00m);

        Assert.Throws<ArgumentException>(() =>
            Engine.Restore(new RestoreOrder(2, Instrument, 1, Side.Buy, TimeInForce.Day, Px(10.00m), new Quantity(10), Quantity.Zero, 0)));
        Assert.Throws<ArgumentException>(() =>
            Engine.Restore(new RestoreOrder(1, Instrument, 1, Side.Sell, TimeInForce.Day, Px(10.00m), new Quantity(10), Quantity.Zero, 0)));
        Assert.Throws<ArgumentException>(() =>
            Engine.Restore(new RestoreOrder(3, Instrument, 1, Side.Sell, TimeInForce.Day, Px(10.00m), new Quantity(10), new Quantity(10), 0)));
        AssertBook("ASK 100 @ 10.00 (1)");
    }

    [Fact]
    public void State_hash_sees_time_priority()
    {
        Sell(1, 100, 10.00m);
        Sell(2, 100, 10.00m);

        var sink = new RecordingSink();
        MatchingEngine other = CreateEngine(sink, 2);
        other.AddInstrument(Instrument);
        other.Submit(new SubmitOrder(2, Instrument, 2, Side.Sell, OrderType.Limit, TimeInForce.Day, Px(10.00m), new Quantity(100), 2));
        other.Submit(new SubmitOrder(1, Instrument, 2, Side.Sell, OrderType.Limit, TimeInForce.Day, Px(10.00m), new Quantity(100), 1));

        Assert.Equal(L2.Render(Engine, Instrument, Decimals), L2.Render(other, Instrument, Decimals));
        Assert.NotEqual(Engine.StateHash(), other.StateHash());
    }

    /// <summary>
    /// Copies <paramref name="source"/>'s snapshot into <paramref name="target"/>: every resting order and every pending stop,
    /// each side in priority order, and the last trade price.
    /// </summary>
    protected static void RestoreFrom(MatchingEngine source, MatchingEngine target) => Snapshots.Restore(source, target, Instrument);
}

/// <summary>The scenario suite against the array-of-levels, linked-FIFO book.</summary>
public sealed class MatchingEngineScenarioTests : OrderBookScenarios
{
    protected override MatchingEngine CreateEngine(IEngineEventSink sink, int instrumentCapacity, long nextTradeId = 1) =>
        new(sink, instrumentCapacity, nextTradeId);
}
