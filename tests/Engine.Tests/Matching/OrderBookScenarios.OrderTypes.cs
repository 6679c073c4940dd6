using TradSys.Engine.Commands;
using TradSys.Engine.Events;
using TradSys.Engine.Matching;
using TradSys.Engine.Tests.Support;

namespace TradSys.Engine.Tests.Matching;

/// <summary>Order types, time in force and instructions: IOC, FOK, market-to-limit, stops, icebergs, self-trade prevention, mass cancel.</summary>
public abstract partial class OrderBookScenarios
{
    private static readonly InstrumentId Other = new(1);

    private void Send(long id, Side side, OrderType type, TimeInForce tif, decimal price, long quantity, long account, decimal stop = 0m, long display = 0, long expireAt = 0, SelfTradePrevention stp = SelfTradePrevention.None) =>
        Engine.Submit(new SubmitOrder(id, Instrument, account, side, type, tif, Px(price), new Quantity(quantity), id, Px(stop), new Quantity(display), expireAt, stp));

    private static Price P(decimal value) => Px(value);

    private static Quantity Q(long value) => new(value);

    private void TradeAt(decimal price, long firstId)
    {
        Sell(firstId, 10, price, account: 90);
        Buy(firstId + 1, 10, price, account: 91);
    }

    private long[] Triggered() => [.. Sink.Of<OrderTriggered>().Select(t => t.OrderId)];

    // ---- IOC, FOK ----

    [Fact]
    public void Ioc_order_trades_what_it_can_and_cancels_the_remainder()
    {
        Sell(1, 100, 10.00m);
        Sell(2, 100, 10.20m);

        Send(3, Side.Buy, OrderType.Limit, TimeInForce.Ioc, 10.10m, 150, 1);

        Assert.Equal(["100 @ 10.00 3/1"], Trades());
        Assert.Equal(new OrderCanceled(3, Q(50), CancelReason.ImmediateOrCancelRemainder, 3), Sink.Events[^1]);
        AssertBook("ASK 100 @ 10.20 (1)");
        Assert.False(Engine.TryGetOrder(3, out _));
    }

    [Fact]
    public void Fok_order_that_cannot_fill_completely_is_accepted_then_killed_without_trades()
    {
        Sell(1, 100, 10.00m);
        Sell(2, 100, 10.20m);
        Sink.Clear();

        Send(3, Side.Buy, OrderType.Limit, TimeInForce.Fok, 10.10m, 150, 1);

        Assert.Equal(
            [
                new OrderAccepted(3, Instrument, 1, Side.Buy, OrderType.Limit, P(10.10m), Q(150), 3),
                new OrderCanceled(3, Q(150), CancelReason.FillOrKillNotFilled, 3),
            ],
            Sink.Events);
        AssertBook("ASK 100 @ 10.20 (1)", "ASK 100 @ 10.00 (1)");
    }

    [Fact]
    public void Fok_order_that_can_fill_completely_sweeps_levels_and_fills()
    {
        Sell(1, 100, 10.00m);
        Sell(2, 100, 10.20m);

        Send(3, Side.Buy, OrderType.Limit, TimeInForce.Fok, 10.20m, 150, 1);

        Assert.Equal(["100 @ 10.00 3/1", "50 @ 10.20 3/2"], Trades());
        Assert.Empty(Sink.Of<OrderCanceled>());
        AssertBook("ASK 50 @ 10.20 (1)");
    }

    [Fact]
    public void Fok_counts_only_what_self_trade_prevention_lets_it_execute()
    {
        Sell(1, 100, 10.00m, account: 7);
        Sell(2, 100, 10.00m, account: 8);

        // CancelResting would cancel order 1 rather than trade with it: only 100 is executable.
        Send(3, Side.Buy, OrderType.Limit, TimeInForce.Fok, 10.00m, 150, 7, stp: SelfTradePrevention.CancelResting);
        Assert.Equal(new OrderCanceled(3, Q(150), CancelReason.FillOrKillNotFilled, 3), Sink.Events[^1]);

        // CancelIncoming would stop at order 1, the head: nothing is executable.
        Send(4, Side.Buy, OrderType.Limit, TimeInForce.Fok, 10.00m, 50, 7, stp: SelfTradePrevention.CancelIncoming);
        Assert.Equal(new OrderCanceled(4, Q(50), CancelReason.FillOrKillNotFilled, 4), Sink.Events[^1]);
        AssertBook("ASK 200 @ 10.00 (2)");

        // 100 is enough: order 1 is canceled by prevention, order 2 fills the FOK.
        Send(5, Side.Buy, OrderType.Limit, TimeInForce.Fok, 10.00m, 100, 7, stp: SelfTradePrevention.CancelResting);
        Assert.Equal(["100 @ 10.00 5/2"], Trades());
        Assert.Contains(new OrderCanceled(1, Q(100), CancelReason.SelfTradePrevention, 5), Sink.Events);
        AssertBook();
    }

    [Fact]
    public void Market_fok_is_killed_when_the_book_is_too_thin()
    {
        Sell(1, 100, 10.00m);

        Send(2, Side.Buy, OrderType.Market, TimeInForce.Fok, 0m, 150, 1);

        Assert.Empty(Trades());
        Assert.Equal(new OrderCanceled(2, Q(150), CancelReason.FillOrKillNotFilled, 2), Sink.Events[^1]);
        AssertBook("ASK 100 @ 10.00 (1)");
    }

    // ---- Market to limit ----

    [Fact]
    public void Market_to_limit_trades_at_the_best_price_only_and_rests_its_remainder_there()
    {
        Sell(1, 100, 10.00m);
        Sell(2, 100, 10.10m);
        Sink.Clear();

        Send(3, Side.Buy, OrderType.MarketToLimit, TimeInForce.Day, 0m, 150, 1);

        Assert.Equal(new OrderAccepted(3, Instrument, 1, Side.Buy, OrderType.MarketToLimit, P(10.00m), Q(150), 3), Sink.Events[0]);
        Assert.Equal(["100 @ 10.00 3/1"], Trades());
        AssertBook("ASK 100 @ 10.10 (1)", "BID 50 @ 10.00 (1)");
        Assert.True(Engine.TryGetOrder(3, out OrderView view));
        Assert.Equal(OrderType.MarketToLimit, view.Type);
        Assert.Equal(P(10.00m), view.Price);
    }

    [Fact]
    public void Market_to_limit_without_opposite_liquidity_is_rejected()
    {
        Buy(1, 100, 10.00m);

        Send(2, Side.Buy, OrderType.MarketToLimit, TimeInForce.Day, 0m, 100, 1);

        Assert.Equal(new OrderRejected(2, RejectCode.MarketToLimitNoLiquidity, 2), Sink.Events[^1]);
        AssertBook("BID 100 @ 10.00 (1)");
    }

    // ---- GTD, expiry ----

    [Fact]
    public void Gtd_order_rests_with_its_expiry_and_the_host_expires_it_with_a_cancel()
    {
        Send(1, Side.Buy, OrderType.Limit, TimeInForce.Gtd, 10.00m, 100, 1, expireAt: 5000);

        Assert.True(Engine.TryGetOrder(1, out OrderView view));
        Assert.Equal(5000, view.ExpireAt);
        AssertBook("BID 100 @ 10.00 (1)");

        Engine.Cancel(new CancelOrder(1, 5000, CancelReason.Expired));

        Assert.Equal(new OrderCanceled(1, Q(100), CancelReason.Expired, 5000), Sink.Events[^1]);
        AssertBook();
    }

    // ---- Stops ----

    [Fact]
    public void Stop_order_waits_outside_the_book_and_depth()
    {
        TradeAt(10.00m, 1);

        Send(10, Side.Buy, OrderType.Stop, TimeInForce.Gtc, 0m, 100, 1, stop: 10.50m);

        AssertBook();
        Assert.Equal(0, Engine.RestingOrderCount);
        Assert.Equal(1, Engine.PendingStopCount);
        Assert.True(Engine.TryGetOrder(10, out OrderView view));
        Assert.True(view.IsPendingStop);
        Assert.Equal(P(10.50m), view.StopPrice);
        Assert.Equal(Quantity.Zero, view.Displayed);
    }

    [Fact]
    public void Stop_orders_trigger_in_a_cascade_with_exact_events()
    {
        Buy(1, 100, 10.00m, account: 1);
        Buy(2, 100, 9.90m, account: 1);
        Buy(3, 100, 9.80m, account: 1);
        Sell(4, 100, 10.00m, account: 2);
        Send(10, Side.Sell, OrderType.Stop, TimeInForce.Gtc, 0m, 100, 3, stop: 9.95m);
        Send(11, Side.Sell, OrderType.Stop, TimeInForce.Gtc, 0m, 50, 4, stop: 9.85m);
        Sink.Clear();

        Sell(13, 50, 9.90m, account: 2);

        Assert.Equal(
            [
                new OrderAccepted(13, Instrument, 2, Side.Sell, OrderType.Limit, P(9.90m), Q(50), 13),
                new TradeExecuted(2, Instrument, P(9.90m), Q(50), 2, 13, 1, 2, Side.Sell, 13),
                new OrderFilled(2, 2, P(9.90m), Q(50), Q(50), Q(50), false, 13),
                new OrderFilled(13, 2, P(9.90m), Q(50), Q(50), Q(0), true, 13),
                new OrderTriggered(10, P(9.90m), 13),
                new TradeExecuted(3, Instrument, P(9.90m), Q(50), 2, 10, 1, 3, Side.Sell, 13),
                new OrderFilled(2, 3, P(9.90m), Q(50), Q(100), Q(0), false, 13),
                new OrderFilled(10, 3, P(9.90m), Q(50), Q(50), Q(50), true, 13),
                new TradeExecuted(4, Instrument, P(9.80m), Q(50), 3, 10, 1, 3, Side.Sell, 13),
                new OrderFilled(3, 4, P(9.80m), Q(50), Q(50), Q(50), false, 13),
                new OrderFilled(10, 4, P(9.80m), Q(50), Q(100), Q(0), true, 13),
                new OrderTriggered(11, P(9.80m), 13),
                new TradeExecuted(5, Instrument, P(9.80m), Q(50), 3, 11, 1, 4, Side.Sell, 13),
                new OrderFilled(3, 5, P(9.80m), Q(50), Q(100), Q(0), false, 13),
                new OrderFilled(11, 5, P(9.80m), Q(50), Q(50), Q(0), true, 13),
            ],
            Sink.Events);
        AssertBook();
        Assert.Equal(0, Engine.PendingStopCount);
    }

    [Fact]
    public void Triggered_buy_stops_go_lowest_stop_price_first_then_by_time_of_acceptance()
    {
        TradeAt(10.00m, 1);
        Send(20, Side.Buy, OrderType.Stop, TimeInForce.Gtc, 0m, 10, 5, stop: 10.10m);
        Send(21, Side.Buy, OrderType.Stop, TimeInForce.Gtc, 0m, 10, 5, stop: 10.05m);
        Send(22, Side.Buy, OrderType.Stop, TimeInForce.Gtc, 0m, 10, 6, stop: 10.05m);
        Sell(30, 1000, 10.10m, account: 2);

        Buy(31, 10, 10.10m, account: 1);

        Assert.Equal([21L, 22L, 20L], Triggered());
        AssertBook("ASK 960 @ 10.10 (1)");
    }

    [Fact]
    public void Triggered_sell_stops_go_highest_stop_price_first()
    {
        TradeAt(10.00m, 1);
        Send(20, Side.Sell, OrderType.Stop, TimeInForce.Gtc, 0m, 10, 5, stop: 9.80m);
        Send(21, Side.Sell, OrderType.Stop, TimeInForce.Gtc, 0m, 10, 5, stop: 9.90m);
        Buy(30, 1000, 9.80m, account: 2);

        Sell(31, 10, 9.80m, account: 1);

        Assert.Equal([21L, 20L], Triggered());
    }

    [Fact]
    public void Stop_limit_triggers_and_rests_its_remainder_at_its_limit()
    {
        TradeAt(10.00m, 1);
        Sell(3, 100, 10.05m);
        Sell(4, 100, 10.10m);
        Sell(5, 100, 10.20m);
        Send(30, Side.Buy, OrderType.StopLimit, TimeInForce.Gtc, 10.10m, 300, 1, stop: 10.05m);

        Buy(7, 100, 10.05m);

        Assert.Equal([30L], Triggered());
        Assert.Equal(["10 @ 10.00 2/1", "100 @ 10.05 7/3", "100 @ 10.10 30/4"], Trades());
        AssertBook("ASK 100 @ 10.20 (1)", "BID 200 @ 10.10 (1)");
        Assert.True(Engine.TryGetOrder(30, out OrderView view));
        Assert.False(view.IsPendingStop);
        Assert.Equal(OrderType.StopLimit, view.Type);
    }

    [Fact]
    public void Stop_already_reached_at_submission_triggers_at_once()
    {
        TradeAt(10.00m, 1);
        Sell(3, 100, 10.10m);
        Sink.Clear();

        Send(10, Side.Buy, OrderType.Stop, TimeInForce.Day, 0m, 40, 1, stop: 9.90m);

        Assert.Equal(new OrderAccepted(10, Instrument, 1, Side.Buy, OrderType.Stop, Price.Zero, Q(40), 10), Sink.Events[0]);
        Assert.Equal(new OrderTriggered(10, P(10.00m), 10), Sink.Events[1]);
        Assert.Equal(["40 @ 10.10 10/3"], Trades());
        AssertBook("ASK 60 @ 10.10 (1)");
    }

    [Fact]
    public void Stop_does_not_trigger_before_the_first_trade()
    {
        Sell(3, 100, 10.10m);

        Send(10, Side.Buy, OrderType.Stop, TimeInForce.Day, 0m, 40, 1, stop: 9.90m);

        Assert.Empty(Triggered());
        Assert.Equal(1, Engine.PendingStopCount);
    }

    [Fact]
    public void Triggered_stop_without_liquidity_cancels_its_remainder()
    {
        TradeAt(10.00m, 1);
        Send(10, Side.Sell, OrderType.Stop, TimeInForce.Day, 0m, 40, 1, stop: 9.90m);
        Sell(3, 50, 9.90m, account: 4);
        Buy(4, 50, 9.90m, account: 5);

        Assert.Equal([10L], Triggered());
        Assert.Equal(new OrderCanceled(10, Q(40), CancelReason.MarketOrderRemainder, 4), Sink.Events[^1]);
        Assert.Equal(0, Engine.PendingStopCount);
    }

    [Fact]
    public void Pending_stop_can_be_canceled()
    {
        Send(10, Side.Sell, OrderType.Stop, TimeInForce.Day, 0m, 40, 1, stop: 9.90m);

        Cancel(10);

        Assert.Equal(new OrderCanceled(10, Q(40), CancelReason.Requested, 2010), Sink.Events[^1]);
        Assert.Equal(0, Engine.PendingStopCount);
        Assert.False(Engine.TryGetOrder(10, out _));
    }

    [Fact]
    public void Amending_a_stop_price_to_one_already_reached_triggers_it()
    {
        TradeAt(10.00m, 1);
        Sell(3, 100, 10.10m);
        Send(10, Side.Buy, OrderType.StopLimit, TimeInForce.Gtc, 10.10m, 40, 1, stop: 10.50m);
        Sink.Clear();

        Engine.Modify(new ModifyOrder(10, P(10.10m), Q(30), 77, P(10.00m)));

        Assert.Equal(new OrderModified(10, P(10.10m), Q(30), Q(30), true, 77, P(10.00m)), Sink.Events[0]);
        Assert.Equal(new OrderTriggered(10, P(10.00m), 77), Sink.Events[1]);
        AssertBook("ASK 70 @ 10.10 (1)");
    }

    [Fact]
    public void Amending_a_pending_stop_quantity_down_keeps_its_trigger_priority()
    {
        TradeAt(10.00m, 1);
        Send(20, Side.Buy, OrderType.Stop, TimeInForce.Gtc, 0m, 10, 5, stop: 10.05m);
        Send(21, Side.Buy, OrderType.Stop, TimeInForce.Gtc, 0m, 10, 5, stop: 10.05m);
        Engine.Modify(new ModifyOrder(20, Price.Zero, Q(5), 50));
        Assert.Equal(new OrderModified(20, Price.Zero, Q(5), Q(5), false, 50, P(10.05m)), Sink.Events[^1]);
        Engine.Modify(new ModifyOrder(21, Price.Zero, Q(5), 51, P(10.05m)));
        Assert.Equal(new OrderModified(21, Price.Zero, Q(5), Q(5), false, 51, P(10.05m)), Sink.Events[^1]);
        Sell(30, 1000, 10.05m, account: 2);

        Buy(31, 10, 10.05m, account: 1);

        Assert.Equal([20L, 21L], Triggered());
    }

    [Fact]
    public void Stop_price_on_a_modify_of_a_resting_order_is_rejected()
    {
        Buy(1, 100, 10.00m);

        Engine.Modify(new ModifyOrder(1, P(10.00m), Q(50), 9, P(9.00m)));

        Assert.Equal(new ModifyRejected(1, RejectCode.StopPriceNotAllowed, 9), Sink.Events[^1]);
    }

    // ---- Icebergs ----

    [Fact]
    public void Iceberg_shows_only_its_display_quantity()
    {
        Send(10, Side.Sell, OrderType.Limit, TimeInForce.Gtc, 10.00m, 500, 2, display: 100);
        Sell(11, 50, 10.00m, account: 5);

        AssertBook("ASK 150 @ 10.00 (2)");
        Assert.True(Engine.TryGetOrder(10, out OrderView view));
        Assert.Equal(Q(500), view.Leaves);
        Assert.Equal(Q(100), view.Displayed);
        Assert.Equal(Q(100), view.DisplayQuantity);
    }

    [Fact]
    public void Iceberg_refresh_goes_to_the_back_of_its_level_and_the_aggressor_keeps_matching()
    {
        Send(10, Side.Sell, OrderType.Limit, TimeInForce.Gtc, 10.00m, 500, 2, display: 100);
        Sell(11, 50, 10.00m, account: 5);

        Buy(12, 150, 10.00m);

        // The slice trades, the refreshed slice queues behind order 11, which trades next.
        Assert.Equal(["100 @ 10.00 12/10", "50 @ 10.00 12/11"], Trades());
        AssertBook("ASK 100 @ 10.00 (1)");

        Sell(13, 50, 10.00m, account: 6);
        Sink.Clear();
        Buy(14, 200, 10.00m);

        // Slice of 10, then 13 (ahead of 10's refresh), then 10's next slice: the refreshed slice is reached when still best.
        Assert.Equal(["100 @ 10.00 14/10", "50 @ 10.00 14/13", "50 @ 10.00 14/10"], Trades());
        OrderFilled last = Sink.Of<OrderFilled>().Last(f => f.OrderId == 10);
        Assert.Equal(Q(250), last.CumulativeFilled);
        Assert.Equal(Q(250), last.Leaves);
        AssertBook("ASK 50 @ 10.00 (1)");
        Assert.True(Engine.TryGetOrder(10, out OrderView view));
        Assert.Equal(Q(50), view.Displayed);
    }

    [Fact]
    public void Iceberg_last_slice_is_what_is_left()
    {
        Send(10, Side.Sell, OrderType.Limit, TimeInForce.Gtc, 10.00m, 250, 2, display: 100);

        Buy(11, 200, 10.00m);

        AssertBook("ASK 50 @ 10.00 (1)");
        Buy(12, 60, 10.00m);
        AssertBook("BID 10 @ 10.00 (1)");
        Assert.False(Engine.TryGetOrder(10, out _));
    }

    [Fact]
    public void Iceberg_amend_down_keeps_priority_and_shrinks_the_slice_only_below_it()
    {
        Send(10, Side.Sell, OrderType.Limit, TimeInForce.Gtc, 10.00m, 500, 2, display: 100);
        Sell(11, 50, 10.00m, account: 5);

        Amend(10, 10.00m, 300);
        AssertBook("ASK 150 @ 10.00 (2)");
        Amend(10, 10.00m, 60);
        AssertBook("ASK 110 @ 10.00 (2)");

        Buy(12, 60, 10.00m);
        Assert.Equal(["60 @ 10.00 12/10"], Trades());
    }

    [Fact]
    public void Iceberg_amend_up_goes_to_the_back_with_a_fresh_slice()
    {
        Send(10, Side.Sell, OrderType.Limit, TimeInForce.Gtc, 10.00m, 500, 2, display: 100);
        Sell(11, 50, 10.00m, account: 5);
        Buy(12, 30, 10.00m);

        Amend(10, 10.00m, 600);

        AssertBook("ASK 150 @ 10.00 (2)");
        Buy(13, 50, 10.00m);
        Assert.Equal(["30 @ 10.00 12/10", "50 @ 10.00 13/11"], Trades());
    }

    // ---- Self-trade prevention ----

    [Fact]
    public void Without_self_trade_prevention_an_account_trades_with_itself()
    {
        Sell(1, 100, 10.00m, account: 7);
        Send(3, Side.Buy, OrderType.Limit, TimeInForce.Day, 10.00m, 100, 7);

        Assert.Equal(["100 @ 10.00 3/1"], Trades());
    }

    [Fact]
    public void Cancel_resting_cancels_the_own_order_and_keeps_matching()
    {
        Sell(1, 100, 10.00m, account: 7);
        Sell(2, 100, 10.00m, account: 8);
        Sink.Clear();

        Send(3, Side.Buy, OrderType.Limit, TimeInForce.Day, 10.00m, 150, 7, stp: SelfTradePrevention.CancelResting);

        Assert.Equal(
            [
                new OrderAccepted(3, Instrument, 7, Side.Buy, OrderType.Limit, P(10.00m), Q(150), 3),
                new OrderCanceled(1, Q(100), CancelReason.SelfTradePrevention, 3),
                new TradeExecuted(1, Instrument, P(10.00m), Q(100), 3, 2, 7, 8, Side.Buy, 3),
                new OrderFilled(2, 1, P(10.00m), Q(100), Q(100), Q(0), false, 3),
                new OrderFilled(3, 1, P(10.00m), Q(100), Q(100), Q(50), true, 3),
            ],
            Sink.Events);
        AssertBook("BID 50 @ 10.00 (1)");
    }

    [Fact]
    public void Cancel_incoming_cancels_the_incoming_remainder_and_leaves_the_resting_order()
    {
        Sell(1, 100, 10.00m, account: 8);
        Sell(2, 100, 10.00m, account: 7);
        Sink.Clear();

        Send(3, Side.Buy, OrderType.Limit, TimeInForce.Day, 10.00m, 150, 7, stp: SelfTradePrevention.CancelIncoming);

        Assert.Equal(["100 @ 10.00 3/1"], Trades());
        Assert.Equal(new OrderCanceled(3, Q(50), CancelReason.SelfTradePrevention, 3), Sink.Events[^1]);
        AssertBook("ASK 100 @ 10.00 (1)");
        Assert.True(Engine.TryGetOrder(2, out _));
    }

    [Fact]
    public void Cancel_both_cancels_the_resting_order_then_the_incoming_one()
    {
        Sell(1, 100, 10.00m, account: 7);
        Sell(2, 100, 10.00m, account: 8);
        Sink.Clear();

        Send(3, Side.Buy, OrderType.Limit, TimeInForce.Day, 10.00m, 150, 7, stp: SelfTradePrevention.CancelBoth);

        Assert.Equal(
            [
                new OrderAccepted(3, Instrument, 7, Side.Buy, OrderType.Limit, P(10.00m), Q(150), 3),
                new OrderCanceled(1, Q(100), CancelReason.SelfTradePrevention, 3),
                new OrderCanceled(3, Q(150), CancelReason.SelfTradePrevention, 3),
            ],
            Sink.Events);
        AssertBook("ASK 100 @ 10.00 (1)");
    }

    [Fact]
    public void Self_trade_prevention_applies_to_an_amend_that_crosses()
    {
        Sell(1, 100, 10.00m, account: 7);
        Send(2, Side.Buy, OrderType.Limit, TimeInForce.Day, 9.90m, 100, 7, stp: SelfTradePrevention.CancelIncoming);

        Amend(2, 10.00m, 100);

        Assert.Empty(Trades());
        Assert.Equal(new OrderCanceled(2, Q(100), CancelReason.SelfTradePrevention, 1002), Sink.Events[^1]);
        AssertBook("ASK 100 @ 10.00 (1)");
    }

    // ---- Mass cancel ----

    private void Populate()
    {
        Engine.AddInstrument(Other);
        Buy(1, 100, 9.90m, account: 7);
        Buy(2, 100, 9.90m, account: 8);
        Sell(3, 100, 10.10m, account: 7);
        Send(4, Side.Sell, OrderType.Stop, TimeInForce.Gtc, 0m, 10, 7, stop: 9.00m);
        Engine.Submit(new SubmitOrder(5, Other, 7, Side.Buy, OrderType.Limit, TimeInForce.Day, Px(5.00m), Q(10), 5));
        Engine.Submit(new SubmitOrder(6, Other, 8, Side.Sell, OrderType.Limit, TimeInForce.Day, Px(6.00m), Q(10), 6));
        Sink.Clear();
    }

    [Fact]
    public void Mass_cancel_by_account_cancels_its_orders_and_pending_stops_in_every_instrument()
    {
        Populate();

        int canceled = Engine.MassCancel(new MassCancel(7, null, 99));

        Assert.Equal(4, canceled);
        Assert.Equal([1L, 3L, 4L, 5L], Sink.Of<OrderCanceled>().Select(c => c.OrderId));
        Assert.All(Sink.Of<OrderCanceled>(), c => Assert.Equal(CancelReason.Requested, c.Reason));
        AssertBook("BID 100 @ 9.90 (1)");
        Assert.Equal(0, Engine.PendingStopCount);
        Assert.True(Engine.TryGetOrder(6, out _));
    }

    [Fact]
    public void Mass_cancel_by_instrument_cancels_every_account()
    {
        Populate();

        Assert.Equal(4, Engine.MassCancel(new MassCancel(null, Instrument, 99)));

        AssertBook();
        Assert.Equal(0, Engine.PendingStopCount);
        Assert.Equal(2, Engine.RestingOrderCount);
    }

    [Fact]
    public void Mass_cancel_by_account_and_instrument_cancels_only_both()
    {
        Populate();

        Assert.Equal(1, Engine.MassCancel(new MassCancel(8, Instrument, 99)));

        Assert.Equal([2L], Sink.Of<OrderCanceled>().Select(c => c.OrderId));
        AssertBook("ASK 100 @ 10.10 (1)", "BID 100 @ 9.90 (1)");
    }

    [Fact]
    public void Mass_cancel_without_a_filter_is_refused() =>
        Assert.Throws<ArgumentException>(() => Engine.MassCancel(new MassCancel(null, null, 1)));

    // ---- Snapshot ----

    [Fact]
    public void Restore_reproduces_icebergs_pending_stops_and_the_last_trade_price()
    {
        TradeAt(10.00m, 1);
        Send(10, Side.Sell, OrderType.Limit, TimeInForce.Gtd, 10.10m, 500, 2, display: 100, expireAt: 1_000_000);
        Buy(11, 30, 10.10m);
        Sell(14, 10, 10.20m, account: 5);
        Send(12, Side.Buy, OrderType.Stop, TimeInForce.Gtc, 0m, 50, 3, stop: 10.20m, stp: SelfTradePrevention.CancelBoth);
        Send(13, Side.Sell, OrderType.StopLimit, TimeInForce.Gtc, 9.80m, 50, 3, stop: 9.90m);

        var sink = new RecordingSink();
        MatchingEngine restored = CreateEngine(sink, 2, Engine.NextTradeId);
        restored.AddInstrument(Instrument);
        RestoreFrom(Engine, restored);

        Assert.Equal(Engine.StateHash(), restored.StateHash());
        Assert.Equal(2, restored.PendingStopCount);
        Assert.Equal(L2.Render(Engine, Instrument, Decimals), L2.Render(restored, Instrument, Decimals));
        Assert.Empty(sink.Events);

        // The iceberg's partly used slice, its refreshes and the stop's trigger all replay the same way.
        Sink.Clear();
        var next = new SubmitOrder(20, Instrument, 4, Side.Buy, OrderType.Limit, TimeInForce.Day, Px(10.20m), Q(600), 20);
        Engine.Submit(next);
        restored.Submit(next);
        Assert.Equal([12L], Triggered());
        Assert.Equal(Sink.Events, sink.Events);
        Assert.Equal(Engine.StateHash(), restored.StateHash());
        AssertBook("BID 120 @ 10.20 (1)");
    }
}
