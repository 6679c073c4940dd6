using TradSys.Engine.Risk.PreTrade;

namespace TradSys.Engine.Tests.Risk.PreTrade;

/// <summary>The pure pre-trade checks: each status and limit at its edge, both ways.</summary>
public sealed class PreTradeRiskTests
{
    private static PreTradeOrder Order(Side side = Side.Buy, long quantity = 100, decimal price = 10m, decimal reference = 10m, long position = 0,
        int openOrders = 0, decimal openNotional = 0m) =>
        new(side, quantity, price, (price > 0 ? price : reference) * quantity, reference, position, openOrders, openNotional);

    [Fact]
    public void Active_passes_and_halted_refuses_everything()
    {
        Assert.True(PreTradeRisk.Status(TradingStatus.Active, Side.Buy, 1_000_000, 0).Passed);
        var halted = PreTradeRisk.Status(TradingStatus.Halted, Side.Sell, 10, 500);
        Assert.Equal(RejectCode.TradingHalted, halted.Code);
        Assert.Equal(RiskLimitKind.TradingStatus, halted.Limit);
    }

    [Theory]
    [InlineData(Side.Sell, 100, 100, true)]   // closes a long exactly
    [InlineData(Side.Sell, 40, 100, true)]    // reduces a long
    [InlineData(Side.Sell, 101, 100, false)]  // would flip the long into a short
    [InlineData(Side.Buy, 10, 100, false)]    // adds to a long
    [InlineData(Side.Buy, 50, -50, true)]     // covers a short exactly
    [InlineData(Side.Buy, 51, -50, false)]    // would flip the short into a long
    [InlineData(Side.Sell, 10, -50, false)]   // adds to a short
    [InlineData(Side.Sell, 10, 0, false)]     // flat: nothing to reduce
    [InlineData(Side.Buy, 10, 0, false)]
    public void Reducing_only_takes_only_orders_that_bring_the_position_closer_to_flat(Side side, long quantity, long position, bool passes)
    {
        var verdict = PreTradeRisk.Status(TradingStatus.ReducingOnly, side, quantity, position);
        Assert.Equal(passes, verdict.Passed);
        Assert.Equal(passes ? RejectCode.None : RejectCode.ReducingOnly, verdict.Code);
    }

    [Fact]
    public void No_limits_pass_anything()
    {
        Assert.True(new RiskLimits().IsEmpty);
        Assert.True(PreTradeRisk.Limits(new RiskLimits(), Order(quantity: long.MaxValue / 1000, price: 1_000_000m)).Passed);
    }

    [Fact]
    public void Maximum_order_quantity_is_inclusive()
    {
        var limits = new RiskLimits(MaxOrderQuantity: 1000);
        Assert.True(PreTradeRisk.Limits(limits, Order(quantity: 1000)).Passed);
        var verdict = PreTradeRisk.Limits(limits, Order(quantity: 1001));
        Assert.Equal((RejectCode.MaxOrderQuantityExceeded, RiskLimitKind.MaxOrderQuantity, 1000m, 1001m),
            (verdict.Code, verdict.Limit, verdict.LimitValue, verdict.OrderValue));
    }

    [Fact]
    public void Maximum_order_notional_compares_quantity_times_price()
    {
        var limits = new RiskLimits(MaxOrderNotional: 10_000m);
        Assert.True(PreTradeRisk.Limits(limits, Order(quantity: 1000, price: 10m)).Passed);
        var verdict = PreTradeRisk.Limits(limits, Order(quantity: 1000, price: 10.01m));
        Assert.Equal(RejectCode.MaxOrderNotionalExceeded, verdict.Code);
        Assert.Equal(10_010m, verdict.OrderValue);
    }

    [Theory]
    [InlineData(10.50, true)]   // exactly 5% above
    [InlineData(9.50, true)]    // exactly 5% below
    [InlineData(10.51, false)]
    [InlineData(9.49, false)]
    public void The_price_collar_is_a_percentage_of_the_reference_price_both_ways(double price, bool passes)
    {
        var verdict = PreTradeRisk.Limits(new RiskLimits(PriceCollarPct: 5m), Order(price: (decimal)price, reference: 10m));
        Assert.Equal(passes, verdict.Passed);
        if (!passes)
        {
            Assert.Equal(RejectCode.PriceCollarBreached, verdict.Code);
            Assert.Equal(5.1m, verdict.OrderValue);
        }
    }

    [Fact]
    public void An_order_without_a_limit_price_or_without_a_reference_is_not_collared()
    {
        var limits = new RiskLimits(PriceCollarPct: 1m);
        Assert.True(PreTradeRisk.Limits(limits, Order(price: 0m, reference: 10m)).Passed);
        Assert.True(PreTradeRisk.Limits(limits, Order(price: 50m, reference: 0m)).Passed);
    }

    [Fact]
    public void Open_orders_and_open_notional_count_this_order()
    {
        var limits = new RiskLimits(MaxOpenOrders: 3, MaxOpenNotional: 5_000m);
        Assert.True(PreTradeRisk.Limits(limits, Order(quantity: 100, price: 10m, openOrders: 2, openNotional: 4_000m)).Passed);
        var count = PreTradeRisk.Limits(limits, Order(quantity: 100, price: 10m, openOrders: 3, openNotional: 0m));
        Assert.Equal((RejectCode.MaxOpenOrdersExceeded, 4m), (count.Code, count.OrderValue));
        var notional = PreTradeRisk.Limits(limits, Order(quantity: 100, price: 10m, openOrders: 0, openNotional: 4_000.01m));
        Assert.Equal((RejectCode.MaxOpenNotionalExceeded, 5_000.01m), (notional.Code, notional.OrderValue));
    }

    [Fact]
    public void Position_limits_look_at_the_position_if_the_whole_order_executed()
    {
        var limits = new RiskLimits(MaxLongPosition: 500, MaxShortPosition: 200);
        Assert.True(PreTradeRisk.Limits(limits, Order(Side.Buy, 100, position: 400)).Passed);
        var longer = PreTradeRisk.Limits(limits, Order(Side.Buy, 101, position: 400));
        Assert.Equal((RejectCode.PositionLimitExceeded, RiskLimitKind.MaxLongPosition, 501m), (longer.Code, longer.Limit, longer.OrderValue));
        Assert.True(PreTradeRisk.Limits(limits, Order(Side.Sell, 300, position: 100)).Passed);
        var shorter = PreTradeRisk.Limits(limits, Order(Side.Sell, 301, position: 100));
        Assert.Equal((RejectCode.PositionLimitExceeded, RiskLimitKind.MaxShortPosition, 201m), (shorter.Code, shorter.Limit, shorter.OrderValue));
        // A sell never breaks the long limit, a buy never the short one.
        Assert.True(PreTradeRisk.Limits(limits, Order(Side.Sell, 10, position: 900)).Passed);
        Assert.True(PreTradeRisk.Limits(limits, Order(Side.Buy, 10, position: -900)).Passed);
    }

    [Fact]
    public void The_first_limit_broken_in_the_fixed_order_is_the_one_reported()
    {
        var limits = new RiskLimits(MaxOrderQuantity: 10, MaxOrderNotional: 1m, PriceCollarPct: 1m);
        Assert.Equal(RejectCode.MaxOrderQuantityExceeded, PreTradeRisk.Limits(limits, Order(quantity: 100, price: 20m)).Code);
    }

    [Theory]
    [InlineData(10_000, 10_000, true)]     // exactly the buying power: accepted
    [InlineData(10_000, 10_000.01, false)] // a cent above: refused
    [InlineData(-500, 0, true)]            // a sell of shares held uses nothing, even with negative buying power
    [InlineData(0, 1, false)]
    public void Buying_power_refuses_only_what_it_cannot_pay_for(double buyingPower, double required, bool passes)
    {
        var verdict = PreTradeRisk.BuyingPower((decimal)buyingPower, (decimal)required);
        Assert.Equal(passes, verdict.Passed);
        if (!passes)
        {
            Assert.Equal((RejectCode.InsufficientBuyingPower, RiskLimitKind.BuyingPower, (decimal)buyingPower, (decimal)required),
                (verdict.Code, verdict.Limit, verdict.LimitValue, verdict.OrderValue));
        }
    }

    private static PreTradeOrder Held(Side side, long quantity, long position, decimal valueAfter, decimal portfolio, long issuerHolding = 0,
        long outstanding = 0) =>
        new(side, quantity, 10m, 10m * quantity, 10m, position, 0, 0m, valueAfter, portfolio, issuerHolding, outstanding);

    [Fact]
    public void Concentration_is_the_position_after_the_order_over_the_portfolio_value_and_is_inclusive()
    {
        var limits = new RiskLimits(MaxConcentrationPct: 10m);
        // 100 shares bought at 10 on top of 900 held: 10,000 of a 100,000 portfolio is 10%, at the limit.
        Assert.True(PreTradeRisk.Limits(limits, Held(Side.Buy, 100, 900, 10_000m, 100_000m)).Passed);
        var verdict = PreTradeRisk.Limits(limits, Held(Side.Buy, 110, 900, 10_100m, 100_000m));
        Assert.Equal((RejectCode.ConcentrationLimitExceeded, RiskLimitKind.MaxConcentrationPct, 10m, 10.1m),
            (verdict.Code, verdict.Limit, verdict.LimitValue, verdict.OrderValue));
    }

    [Fact]
    public void Concentration_lets_an_order_that_makes_the_position_smaller_pass_and_counts_a_short_by_its_size()
    {
        var limits = new RiskLimits(MaxConcentrationPct: 10m);
        // Already 50% in the instrument: selling part of it always passes, however concentrated what remains.
        Assert.True(PreTradeRisk.Limits(limits, Held(Side.Sell, 100, 5_000, 49_000m, 100_000m)).Passed);
        // A short of 2,000 worth 20,000 is 20% of the portfolio.
        var shortVerdict = PreTradeRisk.Limits(limits, Held(Side.Sell, 2_000, 0, 20_000m, 100_000m));
        Assert.Equal((RejectCode.ConcentrationLimitExceeded, 20m), (shortVerdict.Code, shortVerdict.OrderValue));
    }

    [Fact]
    public void Concentration_refuses_any_new_position_when_the_portfolio_is_worth_nothing()
    {
        var verdict = PreTradeRisk.Limits(new RiskLimits(MaxConcentrationPct: 100m), Held(Side.Buy, 1, 0, 10m, 0m));
        Assert.Equal(RejectCode.ConcentrationLimitExceeded, verdict.Code);
        Assert.Equal(decimal.MaxValue, verdict.OrderValue);
    }

    [Fact]
    public void Issuer_holding_is_the_net_holding_after_the_order_over_the_shares_outstanding_and_is_inclusive()
    {
        var limits = new RiskLimits(MaxIssuerHoldingPct: 5m);
        // 40,000 held (in any listing) + 10,000 bought = 50,000 of 1,000,000: 5%, at the limit.
        Assert.True(PreTradeRisk.Limits(limits, Held(Side.Buy, 10_000, 0, 0m, 1m, issuerHolding: 40_000, outstanding: 1_000_000)).Passed);
        var verdict = PreTradeRisk.Limits(limits, Held(Side.Buy, 10_001, 0, 0m, 1m, issuerHolding: 40_000, outstanding: 1_000_000));
        Assert.Equal((RejectCode.IssuerHoldingLimitExceeded, RiskLimitKind.MaxIssuerHoldingPct, 5m, 5.0001m),
            (verdict.Code, verdict.Limit, verdict.LimitValue, verdict.OrderValue));
        // Selling down a holding above the limit passes; going short beyond it does not.
        Assert.True(PreTradeRisk.Limits(limits, Held(Side.Sell, 10_000, 0, 0m, 1m, issuerHolding: 60_000, outstanding: 1_000_000)).Passed);
        Assert.False(PreTradeRisk.Limits(limits, Held(Side.Sell, 60_001, 0, 0m, 1m, issuerHolding: 10_000, outstanding: 1_000_000)).Passed);
    }

    [Fact]
    public void Issuer_holding_refuses_a_larger_holding_when_the_shares_outstanding_are_unknown()
    {
        var verdict = PreTradeRisk.Limits(new RiskLimits(MaxIssuerHoldingPct: 100m), Held(Side.Buy, 1, 0, 0m, 1m, outstanding: 0));
        Assert.Equal(RejectCode.IssuerHoldingLimitExceeded, verdict.Code);
    }

    [Fact]
    public void The_volume_collar_compares_the_quantity_with_the_average_daily_volume_and_is_inclusive()
    {
        var limits = new RiskLimits(MaxAdvPct: 10m);
        PreTradeOrder Sized(Side side, long quantity, long adv) => new(side, quantity, 10m, 10m * quantity, 10m, 0, 0, 0m, AverageDailyVolume: adv);
        Assert.True(PreTradeRisk.Limits(limits, Sized(Side.Buy, 100_000, 1_000_000)).Passed);
        var verdict = PreTradeRisk.Limits(limits, Sized(Side.Sell, 100_001, 1_000_000));
        Assert.Equal((RejectCode.AdvCollarBreached, RiskLimitKind.MaxAdvPct, 10m, 10.0001m), (verdict.Code, verdict.Limit, verdict.LimitValue, verdict.OrderValue));
        // No known volume: no room for any order under a collar.
        Assert.Equal(RejectCode.AdvCollarBreached, PreTradeRisk.Limits(limits, Sized(Side.Buy, 1, 0)).Code);
    }
}
