using TradSys.Engine;
using TradSys.Web.Ordering.Rules;

namespace TradSys.Web.Tests.Ordering.Rules;

/// <summary>Day trades as FINRA 4210(f)(8)(B)(i) counts them: one per same-day round trip, with its overnight exceptions.</summary>
public sealed class DayTradingTests
{
    private static DayTrading Trades(long positionAtOpen, params Side[] sides)
    {
        var day = new DayTrading();
        var position = positionAtOpen;
        foreach (var side in sides)
        {
            day.Add(side, position);
            position += side == Side.Buy ? 100 : -100;
        }
        return day;
    }

    [Fact]
    public void Buy_buy_sell_is_one_day_trade()
    {
        Assert.Equal(1, Trades(0, Side.Buy, Side.Buy, Side.Sell).Completed);
    }

    [Fact]
    public void Buy_sell_buy_sell_is_two_day_trades_not_one_per_instrument_and_day()
    {
        Assert.Equal(2, Trades(0, Side.Buy, Side.Sell, Side.Buy, Side.Sell).Completed);
    }

    [Fact]
    public void A_sale_filled_in_several_trades_closes_one_round_trip()
    {
        Assert.Equal(1, Trades(0, Side.Buy, Side.Sell, Side.Sell).Completed);
    }

    [Fact]
    public void A_short_sale_covered_the_same_day_is_a_day_trade()
    {
        Assert.Equal(1, Trades(0, Side.Sell, Side.Buy).Completed);
    }

    [Fact]
    public void Selling_a_long_held_overnight_before_any_purchase_opens_nothing_but_a_purchase_after_it_does()
    {
        var day = Trades(500, Side.Sell, Side.Buy);
        Assert.Equal(0, day.Completed);
        Assert.True(day.WouldComplete(Side.Sell));
        Assert.False(day.WouldComplete(Side.Buy));
    }

    [Fact]
    public void Covering_a_short_held_overnight_before_any_sale_opens_nothing()
    {
        var day = Trades(-500, Side.Buy);
        Assert.False(day.WouldComplete(Side.Sell));
        Assert.False(day.WouldComplete(Side.Buy));
    }

    [Fact]
    public void Only_an_order_on_the_other_side_of_an_open_round_trip_would_complete_one()
    {
        var open = Trades(0, Side.Buy);
        Assert.True(open.WouldComplete(Side.Sell));
        Assert.False(open.WouldComplete(Side.Buy));
        var closed = Trades(0, Side.Buy, Side.Sell);
        Assert.False(closed.WouldComplete(Side.Sell));
        Assert.False(closed.WouldComplete(Side.Buy));
    }
}
