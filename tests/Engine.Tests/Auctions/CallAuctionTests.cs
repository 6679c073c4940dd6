using TradSys.Engine.Auctions;
using TradSys.Engine.Commands;
using TradSys.Engine.Events;
using TradSys.Engine.Matching;
using TradSys.Engine.Tests.Support;

namespace TradSys.Engine.Tests.Auctions;

/// <summary>
/// The engine's call auctions (OrderBook.Auction.cs): orders rest without matching during the call, the indicative price is
/// published, the uncross executes at one price in price-time priority and leaves the book uncrossed; at-price trading; the
/// volatility band's suspension. Books are written as L2 tables (prices with 2 decimals), figures worked out by hand.
/// </summary>
public class CallAuctionTests
{
    private const int Decimals = 2;
    private static readonly InstrumentId Instrument = new(0);

    private readonly RecordingSink sink = new();
    private readonly MatchingEngine engine;
    private long clock = 100;

    public CallAuctionTests()
    {
        engine = new MatchingEngine(sink, 1);
        engine.AddInstrument(Instrument);
    }

    private static Price Px(decimal value) => Price.FromDecimal(value, Decimals);

    private void Call(decimal reference = 0m) => engine.SetTradingMode(new SetTradingMode(Instrument, TradingMode.Call, ++clock, Px(reference)));

    private void Continuous() => engine.SetTradingMode(new SetTradingMode(Instrument, TradingMode.Continuous, ++clock));

    private AuctionEquilibrium Uncross() => engine.Uncross(new UncrossAuction(Instrument, ++clock));

    private void Submit(long id, Side side, long quantity, decimal price, OrderType type = OrderType.Limit, TimeInForce tif = TimeInForce.Day, long display = 0, long account = 0) =>
        engine.Submit(new SubmitOrder(id, Instrument, account == 0 ? id : account, side, type, tif, type is OrderType.Limit or OrderType.StopLimit ? Px(price) : Price.Zero,
            new Quantity(quantity), ++clock, type is OrderType.Stop or OrderType.StopLimit ? Px(price) : Price.Zero, new Quantity(display)));

    private void Buy(long id, long quantity, decimal price, long display = 0) => Submit(id, Side.Buy, quantity, price, display: display);

    private void Sell(long id, long quantity, decimal price, long display = 0) => Submit(id, Side.Sell, quantity, price, display: display);

    private void MarketBuy(long id, long quantity) => Submit(id, Side.Buy, quantity, 0m, OrderType.Market);

    private void MarketSell(long id, long quantity) => Submit(id, Side.Sell, quantity, 0m, OrderType.Market);

    private void AssertBook(params string[] expected) => Assert.Equal(expected, L2.Render(engine, Instrument, Decimals));

    private string[] Trades() =>
        [.. sink.Of<TradeExecuted>().Select(t => $"{t.Quantity.Raw} @ {t.Price.ToDecimal(Decimals):F2} {t.BuyOrderId}/{t.SellOrderId}")];

    [Fact]
    public void Orders_in_a_call_rest_crossed_without_trading_and_the_indicative_price_is_published()
    {
        Call(reference: 10.00m);
        Buy(1, 100, 10.10m);
        Sell(2, 100, 9.90m);

        Assert.Empty(sink.Of<TradeExecuted>());
        AssertBook(
            "ASK 100 @ 9.90 (1)",
            "BID 100 @ 10.10 (1)");

        // 9.90 and 10.10 both execute 100 with no surplus: the reference 10.00 lies between them, so it is the price.
        Assert.True(engine.TryGetIndicative(Instrument, out AuctionEquilibrium indicative));
        Assert.Equal(Px(10.00m), indicative.Price);
        Assert.Equal(100, indicative.ExecutableVolume.Raw);
        Assert.Equal(AuctionPriceRule.ReferencePrice, indicative.DecidedBy);
    }

    [Fact]
    public void Worked_example_maximum_volume_with_a_market_order_executes_at_one_price_in_price_time_priority()
    {
        Call(reference: 10.00m);
        MarketBuy(1, 100);
        Buy(2, 200, 10.10m);
        Buy(3, 300, 10.05m);
        Buy(4, 100, 10.00m);
        Sell(5, 100, 9.95m);
        Sell(6, 300, 10.00m);
        Sell(7, 200, 10.05m);
        Sell(8, 300, 10.10m);

        // Cumulative demand B and supply S (market buy 100 counts at every price):
        //   price   B                    S                 executable
        //   9.95    100+200+300+100=700  100               100
        //   10.00   700                  100+300=400       400 (buy surplus 300)
        //   10.05   100+200+300=600      400+200=600       600 (no surplus)  <- highest volume, alone
        //   10.10   100+200=300          600+300=900       300
        AuctionEquilibrium eq = Uncross();
        Assert.Equal(Px(10.05m), eq.Price);
        Assert.Equal(600, eq.ExecutableVolume.Raw);
        Assert.Equal(AuctionPriceRule.MaximumVolume, eq.DecidedBy);

        // Buys in priority: market 1 (100), 2 (200), 3 (300); sells: 5 (100), 6 (300), 7 (200). Paired in that order.
        Assert.Equal(["100 @ 10.05 1/5", "200 @ 10.05 2/6", "100 @ 10.05 3/6", "200 @ 10.05 3/7"], Trades());
        AssertBook(
            "ASK 300 @ 10.10 (1)",
            "BID 100 @ 10.00 (1)");
        Assert.True(engine.TryGetLastTradePrice(Instrument, out Price last));
        Assert.Equal(Px(10.05m), last);

        // Auction trades are reported like continuous ones, without an aggressor.
        Assert.All(sink.Of<TradeExecuted>(), t => Assert.Equal(default, t.AggressorSide));
        Assert.All(sink.Of<OrderFilled>(), f => Assert.False(f.IsAggressor));
        Assert.Equal(8, sink.Of<OrderFilled>().Count());
    }

    [Fact]
    public void Equal_volume_and_surplus_on_the_buy_side_take_the_highest_price_by_market_pressure()
    {
        Call(reference: 9.00m);
        Buy(1, 400, 10.10m);
        Sell(2, 200, 10.00m);

        // 10.00 and 10.10 both execute 200 with a buy surplus of 200: demand presses the price up to 10.10.
        AuctionEquilibrium eq = Uncross();
        Assert.Equal(AuctionPriceRule.MarketPressure, eq.DecidedBy);
        Assert.Equal(["200 @ 10.10 1/2"], Trades());
        AssertBook("BID 200 @ 10.10 (1)");
    }

    [Theory]
    [InlineData(10.05, 10.05)]
    [InlineData(9.50, 10.00)]
    [InlineData(11.00, 10.10)]
    public void Without_surplus_the_price_nearest_the_reference_is_taken(decimal reference, decimal expected)
    {
        Call(reference);
        Buy(1, 200, 10.10m);
        Sell(2, 200, 10.00m);

        AuctionEquilibrium eq = Uncross();
        Assert.Equal(AuctionPriceRule.ReferencePrice, eq.DecidedBy);
        Assert.Equal(Px(expected), eq.Price);
        AssertBook();
    }

    [Fact]
    public void Unexecuted_market_orders_are_canceled_after_the_uncross_and_limit_remainders_stay()
    {
        Call(reference: 10.00m);
        MarketBuy(1, 300);
        MarketSell(2, 50);
        Sell(3, 100, 10.00m);
        Buy(4, 10, 9.00m);

        // Market orders never show in depth.
        AssertBook(
            "ASK 100 @ 10.00 (1)",
            "BID 10 @ 9.00 (1)");

        // 9.00: B = 300+10, S = 50 -> 50; 10.00: B = 300, S = 150 -> 150. The market buy takes all 150.
        AuctionEquilibrium eq = Uncross();
        Assert.Equal(150, eq.ExecutableVolume.Raw);
        Assert.Equal(["50 @ 10.00 1/2", "100 @ 10.00 1/3"], Trades());
        OrderCanceled canceled = Assert.Single(sink.Of<OrderCanceled>());
        Assert.Equal((1L, 150L, CancelReason.MarketOrderRemainder), (canceled.OrderId, canceled.CanceledQuantity.Raw, canceled.Reason));
        AssertBook("BID 10 @ 9.00 (1)");
        Continuous();
        Assert.Equal(TradingMode.Continuous, engine.GetTradingMode(Instrument));
    }

    [Fact]
    public void An_iceberg_takes_part_with_its_full_hidden_quantity_and_keeps_showing_a_slice()
    {
        Call(reference: 10.00m);
        Sell(1, 1000, 10.00m, display: 100);
        Buy(2, 600, 10.00m);

        AssertBook(
            "ASK 100 @ 10.00 (1)",
            "BID 600 @ 10.00 (1)");
        Assert.True(engine.TryGetIndicative(Instrument, out AuctionEquilibrium indicative));
        Assert.Equal(600, indicative.ExecutableVolume.Raw);

        Uncross();
        Assert.Equal(["600 @ 10.00 2/1"], Trades());
        AssertBook("ASK 100 @ 10.00 (1)");
        Assert.True(engine.TryGetOrder(1, out OrderView iceberg));
        Assert.Equal((600L, 400L, 100L), (iceberg.Filled.Raw, iceberg.Leaves.Raw, iceberg.Displayed.Raw));
    }

    [Fact]
    public void A_call_takes_no_immediate_or_market_to_limit_orders_and_triggers_no_stops()
    {
        Buy(1, 10, 10.00m);
        Sell(2, 10, 10.00m);
        Assert.Single(sink.Of<TradeExecuted>());
        Call(reference: 10.00m);
        sink.Clear();

        Submit(3, Side.Buy, 10, 10.50m, tif: TimeInForce.Ioc);
        Submit(4, Side.Buy, 10, 0m, OrderType.MarketToLimit);
        Submit(5, Side.Buy, 10, 9.00m, OrderType.Stop); // stop price 9.00, already below the last trade 10.00

        Assert.Equal(CancelReason.ImmediateOrCancelRemainder, Assert.Single(sink.Of<OrderCanceled>()).Reason);
        Assert.Equal(RejectCode.OrderTypeNotAllowedInPhase, Assert.Single(sink.Of<OrderRejected>()).Code);
        Assert.Empty(sink.Of<OrderTriggered>());
        Assert.Equal(1, engine.PendingStopCount);

        // When continuous trading resumes the reached stop triggers (and finds no liquidity).
        Uncross();
        Continuous();
        Assert.Single(sink.Of<OrderTriggered>());
    }

    [Fact]
    public void Amend_in_a_call_moves_the_order_without_matching()
    {
        Call(reference: 10.00m);
        Buy(1, 100, 9.00m);
        Sell(2, 100, 10.00m);
        engine.Modify(new ModifyOrder(1, Px(10.50m), new Quantity(100), ++clock));

        Assert.Empty(sink.Of<TradeExecuted>());
        Assert.True(Assert.Single(sink.Of<OrderModified>()).LostPriority);
        AssertBook(
            "ASK 100 @ 10.00 (1)",
            "BID 100 @ 10.50 (1)");
    }

    [Fact]
    public void Leaving_a_crossed_call_without_an_uncross_is_refused()
    {
        Call();
        Buy(1, 100, 10.10m);
        Sell(2, 100, 9.90m);
        Assert.Throws<InvalidOperationException>(Continuous);
        Uncross();
        Continuous();
        AssertBook();
    }

    [Fact]
    public void A_crossed_book_restored_mid_call_hashes_equal_and_uncrosses_identically()
    {
        Call(reference: 10.00m);
        MarketBuy(1, 50);
        Buy(2, 200, 10.10m);
        Sell(3, 100, 9.90m, display: 20);
        Sell(4, 100, 10.05m);

        var restoredSink = new RecordingSink();
        var restored = new MatchingEngine(restoredSink, 1, engine.NextTradeId);
        restored.AddInstrument(Instrument);
        Snapshots.Restore(engine, restored, Instrument);
        Assert.Equal(engine.StateHash(), restored.StateHash());

        sink.Clear();
        AuctionEquilibrium original = engine.Uncross(new UncrossAuction(Instrument, 999));
        AuctionEquilibrium again = restored.Uncross(new UncrossAuction(Instrument, 999));
        Assert.Equal(original, again);
        Assert.Equal(sink.Events, restoredSink.Events);
        Assert.Equal(engine.StateHash(), restored.StateHash());
        Assert.NotEmpty(sink.Of<TradeExecuted>());
    }

    [Fact]
    public void Restoring_a_crossed_order_outside_a_call_is_still_refused()
    {
        Buy(1, 100, 10.10m);
        Assert.Throws<ArgumentException>(() => engine.Restore(new RestoreOrder(9, Instrument, 9, Side.Sell, TimeInForce.Day, Px(10.00m), new Quantity(10), Quantity.Zero, 1)));
    }

    [Fact]
    public void At_price_trading_matches_only_at_the_fixed_price_in_time_priority()
    {
        Sell(1, 50, 10.00m);
        Sell(2, 100, 10.05m);
        Sell(3, 100, 10.05m);
        engine.SetTradingMode(new SetTradingMode(Instrument, TradingMode.AtPrice, ++clock, Px(10.05m)));

        Buy(4, 100, 10.10m);
        Assert.Equal(RejectCode.PriceNotAtClosingPrice, Assert.Single(sink.Of<OrderRejected>()).Code);
        MarketBuy(5, 100);
        Assert.Equal(RejectCode.OrderTypeNotAllowedInPhase, sink.Of<OrderRejected>().Last().Code);

        // The ask at 10.00 is better than the closing price: it trades first, but at 10.05, then order 2 before order 3.
        Buy(6, 120, 10.05m);
        Assert.Equal(["50 @ 10.05 6/1", "70 @ 10.05 6/2"], Trades());
        AssertBook("ASK 130 @ 10.05 (2)");
    }

    [Fact]
    public void Closed_refuses_submits_and_amends_but_cancels_work()
    {
        Buy(1, 100, 10.00m);
        engine.SetTradingMode(new SetTradingMode(Instrument, TradingMode.Closed, ++clock));
        Buy(2, 100, 10.00m);
        engine.Modify(new ModifyOrder(1, Px(9.00m), new Quantity(100), ++clock));
        engine.Cancel(new CancelOrder(1, ++clock, CancelReason.Expired));

        Assert.Equal(RejectCode.SessionClosed, Assert.Single(sink.Of<OrderRejected>()).Code);
        Assert.Equal(RejectCode.SessionClosed, Assert.Single(sink.Of<ModifyRejected>()).Code);
        Assert.Equal(CancelReason.Expired, Assert.Single(sink.Of<OrderCanceled>()).Reason);
    }

    [Fact]
    public void A_trade_exactly_at_the_band_prints_and_the_next_one_beyond_it_suspends_the_instrument()
    {
        engine.SetPriceBand(new SetPriceBand(Instrument, Px(9.00m), Px(11.00m)));
        Sell(1, 100, 11.00m);
        Sell(2, 100, 11.01m);
        Buy(3, 200, 11.50m);

        Assert.Equal(["100 @ 11.00 3/1"], Trades());
        InstrumentSuspended suspended = Assert.Single(sink.Of<InstrumentSuspended>());
        Assert.Equal((Px(11.01m), Px(11.00m)), (suspended.WouldBePrice, suspended.BandLimit));
        Assert.Equal(TradingMode.Halted, engine.GetTradingMode(Instrument));

        // The remainder rests: the halted book is a call, crossed until it is uncrossed.
        AssertBook(
            "ASK 100 @ 11.01 (1)",
            "BID 100 @ 11.50 (1)");
        Sell(4, 10, 11.20m);
        Assert.Single(sink.Of<TradeExecuted>());

        // Reopening: 11.01: B = 100, S = 100 -> 100, no surplus; 11.20: B = 100, S = 110 -> 100, sell surplus 10; 11.50: the same.
        // Three prices execute 100; 11.01 alone leaves no surplus: minimum surplus.
        sink.Clear();
        AuctionEquilibrium eq = Uncross();
        Assert.Equal((Px(11.01m), AuctionPriceRule.MinimumSurplus), (eq.Price, eq.DecidedBy));
        Assert.Equal(["100 @ 11.01 3/2"], Trades());
        engine.SetPriceBand(new SetPriceBand(Instrument, Px(9.90m), Px(12.11m)));
        Continuous();
        AssertBook("ASK 10 @ 11.20 (1)");
    }

    [Fact]
    public void A_market_order_breaching_the_band_suspends_and_its_remainder_is_canceled()
    {
        engine.SetPriceBand(new SetPriceBand(Instrument, Px(9.00m), Px(11.00m)));
        Buy(1, 100, 10.00m);
        Buy(2, 100, 8.50m);
        MarketSell(3, 150);

        Assert.Equal(["100 @ 10.00 1/3"], Trades());
        Assert.Equal(Px(9.00m), Assert.Single(sink.Of<InstrumentSuspended>()).BandLimit);
        OrderCanceled remainder = Assert.Single(sink.Of<OrderCanceled>());
        Assert.Equal((3L, 50L, CancelReason.MarketOrderRemainder), (remainder.OrderId, remainder.CanceledQuantity.Raw, remainder.Reason));
    }

    [Fact]
    public void A_struct_sink_without_a_suspension_handler_gets_the_default_and_the_engine_still_halts()
    {
        var structEngine = new MatchingEngine<CheckSink>(default, 1);
        structEngine.AddInstrument(Instrument);
        structEngine.SetPriceBand(new SetPriceBand(Instrument, Px(9.00m), Px(11.00m)));
        structEngine.Submit(new SubmitOrder(1, Instrument, 1, Side.Sell, OrderType.Limit, TimeInForce.Day, Px(11.50m), new Quantity(10), 1));
        structEngine.Submit(new SubmitOrder(2, Instrument, 2, Side.Buy, OrderType.Limit, TimeInForce.Day, Px(12.00m), new Quantity(10), 2));

        Assert.Equal(TradingMode.Halted, structEngine.GetTradingMode(Instrument));
        Assert.Equal(0, structEngine.Sink.Trades);
    }

    [Fact]
    public void An_order_inside_the_band_trades_normally_with_a_band_set()
    {
        engine.SetPriceBand(new SetPriceBand(Instrument, Px(9.00m), Px(11.00m)));
        Sell(1, 100, 10.00m);
        Buy(2, 40, 10.50m);
        Assert.Equal(["40 @ 10.00 2/1"], Trades());
        Assert.Empty(sink.Of<InstrumentSuspended>());
        Assert.Equal(TradingMode.Continuous, engine.GetTradingMode(Instrument));
    }

    [Fact]
    public void The_trading_state_is_part_of_the_state_hash()
    {
        long before = engine.StateHash();
        Call(10.00m);
        long calling = engine.StateHash();
        Assert.NotEqual(before, calling);
        Uncross();
        Continuous();
        Assert.Equal(before, engine.StateHash());
        engine.SetPriceBand(new SetPriceBand(Instrument, Px(9.00m), Px(11.00m)));
        Assert.NotEqual(before, engine.StateHash());
    }

    [Fact]
    public void Indicative_price_and_uncross_allocate_nothing_in_steady_state()
    {
        var counting = new CountingSink();
        var quiet = new MatchingEngine(counting, 1);
        quiet.AddInstrument(Instrument);
        long id = 1;
        void Round()
        {
            quiet.SetTradingMode(new SetTradingMode(Instrument, TradingMode.Call, id, Px(10.00m)));
            for (int i = 0; i < 50; i++)
            {
                quiet.Submit(new SubmitOrder(id++, Instrument, 1, Side.Buy, OrderType.Limit, TimeInForce.Day, Px(10.00m + (i % 5) * 0.01m), new Quantity(10), id));
                quiet.Submit(new SubmitOrder(id++, Instrument, 2, Side.Sell, OrderType.Limit, TimeInForce.Day, Px(9.98m + (i % 5) * 0.01m), new Quantity(10), id));
                quiet.TryGetIndicative(Instrument, out _);
            }

            quiet.Submit(new SubmitOrder(id++, Instrument, 1, Side.Buy, OrderType.Market, TimeInForce.Day, Price.Zero, new Quantity(5), id));
            quiet.Uncross(new UncrossAuction(Instrument, id));
            quiet.MassCancel(new MassCancel(null, Instrument, id));
            quiet.SetTradingMode(new SetTradingMode(Instrument, TradingMode.Continuous, id));
        }

        Round();
        var allocated = new long[5];
        for (int r = 0; r < allocated.Length; r++)
        {
            long start = GC.GetAllocatedBytesForCurrentThread();
            Round();
            allocated[r] = GC.GetAllocatedBytesForCurrentThread() - start;
            if (allocated[r] == 0)
            {
                break;
            }
        }

        Assert.Contains(0L, allocated);
        Assert.Equal(0, quiet.RestingOrderCount);
    }
}
