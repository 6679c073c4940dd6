using TradSys.Engine.Commands;
using TradSys.Engine.Matching;
using TradSys.Engine.Reference;
using TradSys.Engine.Validation;
using static TradSys.Engine.Tests.Reference.TestVenues;

namespace TradSys.Engine.Tests.Validation;

public class OrderValidatorTests
{
    private static readonly InstrumentId Id = new(3);
    private static readonly InstrumentSpec Comi = Tests.Reference.TestVenues.Comi(Id);
    private static readonly InstrumentSpec Fab = Tests.Reference.TestVenues.Fab(Id);

    private static SubmitOrder Limit(decimal price, long quantity = 100, Side side = Side.Buy) =>
        new(1, Id, 9, side, OrderType.Limit, TimeInForce.Day, P(price), new Quantity(quantity), 0);

    private static SubmitOrder Market(long quantity = 100, long priceRaw = 0) =>
        new(1, Id, 9, Side.Sell, OrderType.Market, TimeInForce.Day, new Price(priceRaw), new Quantity(quantity), 0);

    private static RejectCode Validate(SubmitOrder order, InstrumentSpec? instrument = null, MarketPhase phase = MarketPhase.Continuous) =>
        OrderValidator.Validate(order, instrument ?? Comi, phase);

    [Fact]
    public void Valid_limit_order_passes() => Assert.Equal(RejectCode.None, Validate(Limit(80.25m)));

    [Fact]
    public void Valid_market_order_passes() => Assert.Equal(RejectCode.None, Validate(Market()));

    [Fact]
    public void Order_for_another_instrument_is_unknown_instrument() =>
        Assert.Equal(RejectCode.UnknownInstrument, Validate(Limit(80.25m) with { Instrument = new InstrumentId(4) }));

    [Fact]
    public void Order_for_a_suspended_instrument_is_rejected() =>
        Assert.Equal(RejectCode.InstrumentNotTrading, Validate(Limit(80.25m), Comi with { IsTrading = false }));

    [Theory]
    [InlineData(0)]
    [InlineData(-100)]
    public void Zero_or_negative_quantity_is_rejected(long quantity) =>
        Assert.Equal(RejectCode.NonPositiveQuantity, Validate(Limit(80.25m, quantity)));

    [Fact]
    public void Quantity_above_the_engine_maximum_is_rejected() =>
        Assert.Equal(RejectCode.QuantityAboveMaximum, Validate(Limit(80.25m, MatchingEngine.MaxOrderQuantity + 1)));

    [Fact]
    public void Quantity_that_is_not_whole_lots_is_rejected()
    {
        Assert.Equal(RejectCode.QuantityNotWholeLots, Validate(Limit(14.00m, 150), Fab));
        Assert.Equal(RejectCode.None, Validate(Limit(14.00m, 300), Fab));
    }

    [Fact]
    public void Price_off_tick_is_rejected()
    {
        Assert.Equal(RejectCode.PriceOffTick, Validate(Limit(80.255m)));
        Assert.Equal(RejectCode.PriceOffTick, Validate(Limit(14.01m, 100), Fab));
    }

    [Fact]
    public void Price_outside_the_daily_band_is_rejected()
    {
        Assert.Equal(RejectCode.PriceOutsideDailyLimits, Validate(Limit(96.31m)));
        Assert.Equal(RejectCode.PriceOutsideDailyLimits, Validate(Limit(64.19m)));
        Assert.Equal(RejectCode.None, Validate(Limit(96.30m)));
        Assert.Equal(RejectCode.None, Validate(Limit(64.20m)));
    }

    [Fact]
    public void Order_when_the_venue_is_closed_is_session_closed() =>
        Assert.Equal(RejectCode.SessionClosed, Validate(Limit(80.25m), phase: MarketPhase.Closed));

    // What each phase takes: a call collects limit, stop and (where the venue allows) market orders; at-price phases only limits
    // at the fixed price. Columns: phase, type, time in force, expected.
    [Theory]
    [InlineData(MarketPhase.PreOpen, OrderType.Limit, TimeInForce.Day, RejectCode.None)]
    [InlineData(MarketPhase.ClosingAuction, OrderType.Limit, TimeInForce.Gtc, RejectCode.None)]
    [InlineData(MarketPhase.PreClose, OrderType.Limit, TimeInForce.Day, RejectCode.None)]
    [InlineData(MarketPhase.PreOpen, OrderType.Market, TimeInForce.Day, RejectCode.None)]
    [InlineData(MarketPhase.PreOpen, OrderType.Limit, TimeInForce.Ioc, RejectCode.ImmediateOrderNotAllowedInAuction)]
    [InlineData(MarketPhase.ClosingAuction, OrderType.Limit, TimeInForce.Fok, RejectCode.ImmediateOrderNotAllowedInAuction)]
    [InlineData(MarketPhase.PreOpen, OrderType.MarketToLimit, TimeInForce.Day, RejectCode.OrderTypeNotAllowedInPhase)]
    [InlineData(MarketPhase.TradeAtClose, OrderType.Limit, TimeInForce.Day, RejectCode.None)]
    [InlineData(MarketPhase.TradeAtClose, OrderType.Market, TimeInForce.Day, RejectCode.OrderTypeNotAllowedInPhase)]
    [InlineData(MarketPhase.TradeAtLast, OrderType.Limit, TimeInForce.Ioc, RejectCode.None)]
    public void Each_phase_takes_its_own_order_types(MarketPhase phase, OrderType type, TimeInForce timeInForce, RejectCode expected)
    {
        SubmitOrder order = type == OrderType.Limit ? Limit(80.25m) : Market() with { Type = type };
        Assert.Equal(expected, Validate(order with { TimeInForce = timeInForce }, phase: phase));
    }

    [Fact]
    public void ADX_refuses_market_orders_in_its_auctions_but_takes_them_in_continuous_trading()
    {
        InstrumentSpec fab = Fab with { Venue = Fab.Venue with { MarketOrdersInAuctions = false } };
        Assert.Equal(RejectCode.MarketOrderNotAllowedInAuction, Validate(Market(), fab, MarketPhase.PreOpen));
        Assert.Equal(RejectCode.MarketOrderNotAllowedInAuction, Validate(Market(), fab, MarketPhase.PreClose));
        Assert.Equal(RejectCode.None, Validate(Market(), fab, MarketPhase.Continuous));
    }

    [Fact]
    public void Trade_at_close_takes_only_the_closing_price_when_it_is_known()
    {
        Assert.Equal(RejectCode.PriceNotAtClosingPrice, OrderValidator.Validate(Limit(80.25m), Comi, MarketPhase.TradeAtClose, P(80.30m)));
        Assert.Equal(RejectCode.None, OrderValidator.Validate(Limit(80.30m), Comi, MarketPhase.TradeAtClose, P(80.30m)));
        Assert.Equal(RejectCode.PriceNotAtClosingPrice, OrderValidator.ValidateModify(P(80.25m), new Quantity(5), Comi, MarketPhase.TradeAtClose, P(80.30m)));
    }

    [Fact]
    public void Limit_order_without_a_price_is_rejected() =>
        Assert.Equal(RejectCode.LimitOrderNeedsPrice, Validate(Limit(0m)));

    [Fact]
    public void Market_order_with_a_price_is_rejected() =>
        Assert.Equal(RejectCode.MarketOrderHasPrice, Validate(Market(priceRaw: 80250)));

    [Fact]
    public void Negative_limit_price_is_rejected() =>
        Assert.Equal(RejectCode.NonPositivePrice, Validate(Limit(-1m)));

    [Fact]
    public void Undefined_side_is_rejected() =>
        Assert.Equal(RejectCode.InvalidSide, Validate(Limit(80.25m) with { Side = (Side)3 }));

    [Fact]
    public void Undefined_order_type_is_rejected() =>
        Assert.Equal(RejectCode.InvalidOrderType, Validate(Limit(80.25m) with { Type = (OrderType)99 }));

    [Fact]
    public void Undefined_time_in_force_is_rejected() =>
        Assert.Equal(RejectCode.InvalidTimeInForce, Validate(Limit(80.25m) with { TimeInForce = (TimeInForce)99 }));

    [Fact]
    public void Checks_run_in_the_documented_order()
    {
        // Everything wrong at once: the instrument check wins, then each fix reveals the next check.
        SubmitOrder bad = Limit(80.255m, 150) with { Instrument = new InstrumentId(4) };
        InstrumentSpec suspended = Fab with { IsTrading = false };

        Assert.Equal(RejectCode.UnknownInstrument, Validate(bad, suspended, MarketPhase.Closed));
        bad = bad with { Instrument = Id };
        Assert.Equal(RejectCode.InstrumentNotTrading, Validate(bad, suspended, MarketPhase.Closed));
        Assert.Equal(RejectCode.QuantityNotWholeLots, Validate(bad, Fab, MarketPhase.Closed));
        bad = bad with { Quantity = new Quantity(100), Price = P(200m) };
        Assert.Equal(RejectCode.PriceOutsideDailyLimits, Validate(bad, Fab, MarketPhase.Closed));
        bad = bad with { Price = P(14.02m) };
        Assert.Equal(RejectCode.SessionClosed, Validate(bad, Fab, MarketPhase.Closed));
        Assert.Equal(RejectCode.None, Validate(bad, Fab, MarketPhase.Continuous));
    }

    [Fact]
    public void Modify_runs_the_same_price_quantity_and_phase_checks()
    {
        Assert.Equal(RejectCode.None, OrderValidator.ValidateModify(P(80.30m), new Quantity(5), Comi, MarketPhase.Continuous));
        Assert.Equal(RejectCode.InstrumentNotTrading, OrderValidator.ValidateModify(P(80.30m), new Quantity(5), Comi with { IsTrading = false }, MarketPhase.Continuous));
        Assert.Equal(RejectCode.NonPositiveQuantity, OrderValidator.ValidateModify(P(80.30m), Quantity.Zero, Comi, MarketPhase.Continuous));
        Assert.Equal(RejectCode.QuantityNotWholeLots, OrderValidator.ValidateModify(P(14.02m), new Quantity(50), Fab, MarketPhase.Continuous));
        Assert.Equal(RejectCode.NonPositivePrice, OrderValidator.ValidateModify(Price.Zero, new Quantity(5), Comi, MarketPhase.Continuous));
        Assert.Equal(RejectCode.PriceOffTick, OrderValidator.ValidateModify(P(80.301m), new Quantity(5), Comi, MarketPhase.Continuous));
        Assert.Equal(RejectCode.PriceOutsideDailyLimits, OrderValidator.ValidateModify(P(100m), new Quantity(5), Comi, MarketPhase.Continuous));
        Assert.Equal(RejectCode.None, OrderValidator.ValidateModify(P(80.30m), new Quantity(5), Comi, MarketPhase.PreOpen));
        Assert.Equal(RejectCode.SessionClosed, OrderValidator.ValidateModify(P(80.30m), new Quantity(5), Comi, MarketPhase.Closed));
    }

    [Fact]
    public void Modify_of_a_waiting_stop_checks_the_limit_price_by_type_and_a_new_stop_price_on_tick()
    {
        Quantity five = new(5);
        Assert.Equal(RejectCode.None, OrderValidator.ValidateStopModify(OrderType.Stop, Price.Zero, five, P(80.30m), Comi, MarketPhase.Continuous));
        Assert.Equal(RejectCode.None, OrderValidator.ValidateStopModify(OrderType.Stop, Price.Zero, five, Price.Zero, Comi, MarketPhase.Continuous));
        Assert.Equal(RejectCode.None, OrderValidator.ValidateStopModify(OrderType.StopLimit, P(80.50m), five, P(80.30m), Comi, MarketPhase.Continuous));
        Assert.Equal(RejectCode.MarketOrderHasPrice, OrderValidator.ValidateStopModify(OrderType.Stop, P(80.50m), five, P(80.30m), Comi, MarketPhase.Continuous));
        Assert.Equal(RejectCode.NonPositivePrice, OrderValidator.ValidateStopModify(OrderType.StopLimit, Price.Zero, five, P(80.30m), Comi, MarketPhase.Continuous));
        Assert.Equal(RejectCode.PriceOutsideDailyLimits, OrderValidator.ValidateStopModify(OrderType.StopLimit, P(100m), five, P(80.30m), Comi, MarketPhase.Continuous));
        Assert.Equal(RejectCode.StopPriceOffTick, OrderValidator.ValidateStopModify(OrderType.Stop, Price.Zero, five, P(80.301m), Comi, MarketPhase.Continuous));
        Assert.Equal(RejectCode.NonPositivePrice, OrderValidator.ValidateStopModify(OrderType.Stop, Price.Zero, five, P(-1m), Comi, MarketPhase.Continuous));
        Assert.Equal(RejectCode.NonPositiveQuantity, OrderValidator.ValidateStopModify(OrderType.Stop, Price.Zero, Quantity.Zero, P(80.30m), Comi, MarketPhase.Continuous));
        Assert.Equal(RejectCode.InstrumentNotTrading, OrderValidator.ValidateStopModify(OrderType.Stop, Price.Zero, five, P(80.30m), Comi with { IsTrading = false }, MarketPhase.Continuous));
        Assert.Equal(RejectCode.SessionClosed, OrderValidator.ValidateStopModify(OrderType.Stop, Price.Zero, five, P(80.30m), Comi, MarketPhase.Closed));
        Assert.Equal(RejectCode.None, OrderValidator.ValidateStopModify(OrderType.Stop, Price.Zero, five, P(80.30m), Comi, MarketPhase.PreOpen));
        Assert.Equal(RejectCode.OrderTypeNotAllowedInPhase, OrderValidator.ValidateStopModify(OrderType.Stop, Price.Zero, five, P(80.30m), Comi, MarketPhase.TradeAtClose));
        Assert.Equal(RejectCode.StopPriceNotAllowed, OrderValidator.ValidateStopModify(OrderType.Limit, P(80.50m), five, P(80.30m), Comi, MarketPhase.Continuous));
    }

    private static SubmitOrder Stop(decimal stopPrice, OrderType type = OrderType.Stop, decimal price = 0m) =>
        new(1, Id, 9, Side.Sell, type, TimeInForce.Gtc, P(price), new Quantity(100), 1_000, StopPrice: P(stopPrice));

    private static SubmitOrder Iceberg(long quantity, long display, TimeInForce timeInForce = TimeInForce.Gtc) =>
        Limit(80.25m, quantity) with { TimeInForce = timeInForce, DisplayQuantity = new Quantity(display) };

    [Fact]
    public void Valid_new_order_types_pass()
    {
        Assert.Equal(RejectCode.None, Validate(Stop(80.00m)));
        Assert.Equal(RejectCode.None, Validate(Stop(80.00m, OrderType.StopLimit, 79.90m)));
        Assert.Equal(RejectCode.None, Validate(Market() with { Type = OrderType.MarketToLimit }));
        Assert.Equal(RejectCode.None, Validate(Iceberg(1000, 100)));
        Assert.Equal(RejectCode.None, Validate(Limit(80.25m) with { TimeInForce = TimeInForce.Ioc }));
        Assert.Equal(RejectCode.None, Validate(Limit(80.25m) with { TimeInForce = TimeInForce.Fok, SelfTradePrevention = SelfTradePrevention.CancelBoth }));
        Assert.Equal(RejectCode.None, Validate(Limit(80.25m) with { TimeInForce = TimeInForce.Gtd, Timestamp = 10, ExpireAt = 11 }));
    }

    [Fact]
    public void Stop_price_outside_the_daily_band_passes_because_it_is_a_trigger_not_a_trade_price() =>
        Assert.Equal(RejectCode.None, Validate(Stop(200.00m)));

    [Fact]
    public void Stop_order_without_a_stop_price_is_rejected()
    {
        Assert.Equal(RejectCode.StopPriceRequired, Validate(Stop(0m)));
        Assert.Equal(RejectCode.StopPriceRequired, Validate(Stop(0m, OrderType.StopLimit, 79.90m)));
    }

    [Fact]
    public void Stop_price_on_an_order_that_is_not_a_stop_is_rejected()
    {
        Assert.Equal(RejectCode.StopPriceNotAllowed, Validate(Limit(80.25m) with { StopPrice = P(80.00m) }));
        Assert.Equal(RejectCode.StopPriceNotAllowed, Validate(Market() with { StopPrice = P(80.00m) }));
        Assert.Equal(RejectCode.StopPriceNotAllowed, Validate(Market() with { Type = OrderType.MarketToLimit, StopPrice = P(80.00m) }));
    }

    [Fact]
    public void Stop_price_off_tick_is_rejected() =>
        Assert.Equal(RejectCode.StopPriceOffTick, Validate(Stop(80.005m)));

    [Fact]
    public void Negative_stop_price_is_rejected() =>
        Assert.Equal(RejectCode.NonPositivePrice, Validate(Stop(-1m)));

    [Fact]
    public void Stop_order_with_a_limit_price_is_rejected_as_a_market_order_with_a_price() =>
        Assert.Equal(RejectCode.MarketOrderHasPrice, Validate(Stop(80.00m, OrderType.Stop, 79.90m)));

    [Fact]
    public void Stop_limit_order_without_a_limit_price_is_rejected() =>
        Assert.Equal(RejectCode.LimitOrderNeedsPrice, Validate(Stop(80.00m, OrderType.StopLimit)));

    [Theory]
    [InlineData(TimeInForce.Ioc)]
    [InlineData(TimeInForce.Fok)]
    public void Stop_orders_take_only_day_gtc_or_gtd(TimeInForce timeInForce)
    {
        Assert.Equal(RejectCode.InvalidTimeInForce, Validate(Stop(80.00m) with { TimeInForce = timeInForce }));
        Assert.Equal(RejectCode.InvalidTimeInForce, Validate(Stop(80.00m, OrderType.StopLimit, 79.90m) with { TimeInForce = timeInForce }));
    }

    [Fact]
    public void Market_to_limit_order_with_a_price_is_rejected() =>
        Assert.Equal(RejectCode.MarketOrderHasPrice, Validate(Market(priceRaw: 80250) with { Type = OrderType.MarketToLimit }));

    [Theory]
    [InlineData(1000, 0 - 100)]
    [InlineData(1000, 1000)]
    [InlineData(1000, 1500)]
    public void Display_quantity_not_positive_or_not_below_the_quantity_is_invalid(long quantity, long display) =>
        Assert.Equal(RejectCode.DisplayQuantityInvalid, Validate(Iceberg(quantity, display)));

    [Fact]
    public void Display_quantity_that_is_not_whole_lots_is_invalid()
    {
        Assert.Equal(RejectCode.DisplayQuantityInvalid, Validate(Iceberg(1000, 150) with { Price = P(14.00m) }, Fab));
        Assert.Equal(RejectCode.None, Validate(Iceberg(1000, 200) with { Price = P(14.00m) }, Fab));
    }

    [Fact]
    public void Iceberg_is_only_for_limit_orders_that_rest()
    {
        Assert.Equal(RejectCode.IcebergNotAllowed, Validate(Iceberg(1000, 100, TimeInForce.Ioc)));
        Assert.Equal(RejectCode.IcebergNotAllowed, Validate(Iceberg(1000, 100, TimeInForce.Fok)));
        Assert.Equal(RejectCode.IcebergNotAllowed, Validate(Market() with { DisplayQuantity = new Quantity(10) }));
        Assert.Equal(RejectCode.IcebergNotAllowed, Validate(Stop(80.00m, OrderType.StopLimit, 79.90m) with { DisplayQuantity = new Quantity(10) }));
        Assert.Equal(RejectCode.None, Validate(Iceberg(1000, 100, TimeInForce.Day)));
    }

    [Fact]
    public void Gtd_order_without_an_expiry_is_rejected() =>
        Assert.Equal(RejectCode.ExpireAtRequired, Validate(Limit(80.25m) with { TimeInForce = TimeInForce.Gtd }));

    [Theory]
    [InlineData(10)]
    [InlineData(9)]
    public void Gtd_order_expiring_at_or_before_its_timestamp_is_rejected(long expireAt) =>
        Assert.Equal(RejectCode.ExpireAtInPast, Validate(Limit(80.25m) with { TimeInForce = TimeInForce.Gtd, Timestamp = 10, ExpireAt = expireAt }));

    [Fact]
    public void Expiry_on_an_order_that_is_not_gtd_is_rejected() =>
        Assert.Equal(RejectCode.ExpireAtNotAllowed, Validate(Limit(80.25m) with { TimeInForce = TimeInForce.Gtc, ExpireAt = 5 }));

    [Fact]
    public void Undefined_self_trade_prevention_mode_is_rejected() =>
        Assert.Equal(RejectCode.InvalidSelfTradePrevention, Validate(Limit(80.25m) with { SelfTradePrevention = (SelfTradePrevention)9 }));

    [Fact]
    public void Engine_refuses_the_same_shapes_the_validator_refuses()
    {
        // The engine repeats the shape checks (not tick, lots, band or phase): a host that skips validation cannot corrupt a book.
        SubmitOrder[] bad =
        [
            Stop(0m) with { Instrument = new InstrumentId(0) },
            Limit(80.25m) with { Instrument = new InstrumentId(0), StopPrice = P(80.00m) },
            Iceberg(1000, 1000) with { Instrument = new InstrumentId(0) },
            Iceberg(1000, 100, TimeInForce.Ioc) with { Instrument = new InstrumentId(0) },
            Limit(80.25m) with { Instrument = new InstrumentId(0), TimeInForce = TimeInForce.Gtd },
            Limit(80.25m) with { Instrument = new InstrumentId(0), TimeInForce = TimeInForce.Gtd, Timestamp = 10, ExpireAt = 10 },
            Limit(80.25m) with { Instrument = new InstrumentId(0), ExpireAt = 10 },
            Limit(80.25m) with { Instrument = new InstrumentId(0), SelfTradePrevention = (SelfTradePrevention)9 },
            Stop(80.00m) with { Instrument = new InstrumentId(0), TimeInForce = TimeInForce.Ioc },
        ];
        RejectCode[] expected =
        [
            RejectCode.StopPriceRequired, RejectCode.StopPriceNotAllowed, RejectCode.DisplayQuantityInvalid, RejectCode.IcebergNotAllowed,
            RejectCode.ExpireAtRequired, RejectCode.ExpireAtInPast, RejectCode.ExpireAtNotAllowed, RejectCode.InvalidSelfTradePrevention,
            RejectCode.InvalidTimeInForce,
        ];

        var sink = new Support.RecordingSink();
        var engine = new MatchingEngine(sink, 1);
        engine.AddInstrument(new InstrumentId(0));
        foreach (SubmitOrder order in bad)
        {
            engine.Submit(order);
        }

        Assert.Equal(expected, sink.Of<Events.OrderRejected>().Select(r => r.Code));
        Assert.Equal(0, engine.RestingOrderCount + engine.PendingStopCount);
    }

    [Fact]
    public void Every_reject_code_sits_in_its_stage_range()
    {
        foreach (RejectCode code in Enum.GetValues<RejectCode>())
        {
            int value = (int)code;
            Assert.True(value == 0 || value is >= 1000 and < 6000, $"{code} = {value}");
        }

        Assert.Equal(1001, (int)RejectCode.UnknownInstrument);
        Assert.Equal(1010, (int)RejectCode.NonPositivePrice);
        Assert.Equal(3001, (int)RejectCode.UnknownOrder);
        Assert.Equal(3007, (int)RejectCode.NothingToModify);
        Assert.Equal(4001, (int)RejectCode.BlockedByRule);
        Assert.Equal(5001, (int)RejectCode.VenueUnavailable);
    }
}
