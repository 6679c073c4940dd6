using TradSys.Engine.Auctions;
using static TradSys.Engine.Tests.Reference.TestVenues;

namespace TradSys.Engine.Tests.Auctions;

/// <summary>
/// Worked examples of auction price determination. Each test shows the cumulative table computed by hand:
/// B = market buys + bids at or above the price, S = market sells + asks at or below it, volume = min(B, S).
/// </summary>
public class AuctionPriceCalculatorTests
{
    private static AuctionLevel L(decimal price, long quantity) => new(P(price), new Quantity(quantity));

    private static Quantity Q(long raw) => new(raw);

    private static AuctionEquilibrium Compute(AuctionLevel[] bids, AuctionLevel[] asks, long marketBuy = 0, long marketSell = 0, decimal reference = 0m) =>
        AuctionPriceCalculator.Compute(bids, asks, Q(marketBuy), Q(marketSell), P(reference));

    [Fact]
    public void The_price_with_the_highest_executable_volume_wins()
    {
        //  price   B    S    volume
        //  9.90   600  100   100
        // 10.00   600  300   300
        // 10.10   500  600   500  <- unique maximum; 100 left over on the sell side
        // 10.20   300  700   300
        AuctionEquilibrium result = Compute(
            [L(10.20m, 300), L(10.10m, 200), L(10.00m, 100)],
            [L(9.90m, 100), L(10.00m, 200), L(10.10m, 300), L(10.20m, 100)],
            reference: 10.00m);

        Assert.Equal(
            new AuctionEquilibrium(true, P(10.10m), Q(500), Q(100), Side.Sell, Q(500), Q(600), AuctionPriceRule.MaximumVolume),
            result);
    }

    [Fact]
    public void Among_equal_volumes_the_lowest_surplus_wins()
    {
        //  price   B    S    volume  surplus
        // 10.00   350  300   300     50 buy   <- same volume, smaller surplus
        // 10.10   300  500   300    200 sell
        AuctionEquilibrium result = Compute(
            [L(10.10m, 300), L(10.00m, 50)],
            [L(10.00m, 300), L(10.10m, 200)],
            reference: 10.10m);

        Assert.Equal(
            new AuctionEquilibrium(true, P(10.00m), Q(300), Q(50), Side.Buy, Q(350), Q(300), AuctionPriceRule.MinimumSurplus),
            result);
    }

    [Fact]
    public void Surplus_on_the_buy_side_at_every_remaining_price_takes_the_highest_price()
    {
        //  price   B    S    volume  surplus
        // 10.00   500  300   300    200 buy
        // 10.10   500  300   300    200 buy   <- demand pressure pushes the price up
        AuctionEquilibrium result = Compute([L(10.10m, 500)], [L(10.00m, 300)], reference: 9.00m);

        Assert.Equal(
            new AuctionEquilibrium(true, P(10.10m), Q(300), Q(200), Side.Buy, Q(500), Q(300), AuctionPriceRule.MarketPressure),
            result);
    }

    [Fact]
    public void Surplus_on_the_sell_side_at_every_remaining_price_takes_the_lowest_price()
    {
        //  price   B    S    volume  surplus
        // 10.00   300  500   300    200 sell  <- supply pressure pushes the price down
        // 10.10   300  500   300    200 sell
        AuctionEquilibrium result = Compute([L(10.10m, 300)], [L(10.00m, 500)], reference: 11.00m);

        Assert.Equal(
            new AuctionEquilibrium(true, P(10.00m), Q(300), Q(200), Side.Sell, Q(300), Q(500), AuctionPriceRule.MarketPressure),
            result);
    }

    [Theory]
    [InlineData(10.05, 10.05)] // within the range: the reference price itself
    [InlineData(10.00, 10.00)]
    [InlineData(9.50, 10.00)]  // below the range: the lowest price
    [InlineData(11.00, 10.10)] // above the range: the highest price
    public void Without_surplus_the_price_nearest_the_reference_wins(decimal reference, decimal expected)
    {
        //  price   B    S    volume  surplus
        // 10.00   300  300   300     0
        // 10.10   300  300   300     0
        AuctionEquilibrium result = Compute([L(10.10m, 300)], [L(10.00m, 300)], reference: reference);

        Assert.Equal(
            new AuctionEquilibrium(true, P(expected), Q(300), Q(0), null, Q(300), Q(300), AuctionPriceRule.ReferencePrice),
            result);
    }

    [Fact]
    public void Surplus_on_both_sides_takes_the_reference_price_which_leaves_no_surplus()
    {
        //  price   B    S    volume  surplus
        // 10.00   400  300   300    100 buy
        // 10.05   300  300   300      0      (not a limit price: the reference)
        // 10.10   300  400   300    100 sell
        AuctionEquilibrium result = Compute(
            [L(10.10m, 300), L(10.00m, 100)],
            [L(10.00m, 300), L(10.10m, 100)],
            reference: 10.05m);

        Assert.Equal(
            new AuctionEquilibrium(true, P(10.05m), Q(300), Q(0), null, Q(300), Q(300), AuctionPriceRule.ReferencePrice),
            result);
    }

    [Fact]
    public void Only_market_orders_on_both_sides_trade_at_the_reference_price()
    {
        AuctionEquilibrium result = Compute([], [], marketBuy: 500, marketSell: 300, reference: 10.00m);

        Assert.Equal(
            new AuctionEquilibrium(true, P(10.00m), Q(300), Q(200), Side.Buy, Q(500), Q(300), AuctionPriceRule.MarketOrdersOnly),
            result);
    }

    [Fact]
    public void Only_market_orders_and_no_reference_price_give_no_price() =>
        Assert.Equal(AuctionEquilibrium.None, Compute([], [], marketBuy: 500, marketSell: 300));

    [Fact]
    public void Market_buys_against_limit_sells_take_the_limit_that_executes_most()
    {
        //  price   B    S    volume  surplus
        // 10.00   200  100   100    100 buy
        // 10.10   200  400   200    200 sell  <- market buys execute in full at the higher limit
        AuctionEquilibrium result = Compute([], [L(10.00m, 100), L(10.10m, 300)], marketBuy: 200, reference: 10.00m);

        Assert.Equal(
            new AuctionEquilibrium(true, P(10.10m), Q(200), Q(200), Side.Sell, Q(200), Q(400), AuctionPriceRule.MaximumVolume),
            result);
    }

    [Fact]
    public void A_book_that_does_not_cross_has_no_price() =>
        Assert.Equal(AuctionEquilibrium.None, Compute([L(9.90m, 100)], [L(10.00m, 100)], reference: 10.00m));

    [Fact]
    public void One_empty_side_has_no_price()
    {
        Assert.Equal(AuctionEquilibrium.None, Compute([L(10.00m, 100), L(9.90m, 100)], [], marketBuy: 50, reference: 10.00m));
        Assert.Equal(AuctionEquilibrium.None, Compute([], [L(10.00m, 100)], marketSell: 50, reference: 10.00m));
        Assert.Equal(AuctionEquilibrium.None, Compute([], [], reference: 10.00m));
    }

    [Fact]
    public void Bids_out_of_order_are_refused() =>
        Assert.Throws<ArgumentException>(() => Compute([L(9.90m, 100), L(10.00m, 100)], [L(9.00m, 100)]));

    [Fact]
    public void Asks_with_a_repeated_price_are_refused() =>
        Assert.Throws<ArgumentException>(() => Compute([L(10.00m, 100)], [L(9.00m, 100), L(9.00m, 100)]));

    [Fact]
    public void A_level_without_quantity_is_refused() =>
        Assert.Throws<ArgumentException>(() => Compute([L(10.00m, 0)], [L(9.00m, 100)]));

    [Fact]
    public void A_side_whose_total_overflows_is_refused() =>
        Assert.Throws<ArgumentException>(() => Compute([L(10.00m, long.MaxValue)], [L(9.00m, 100)], marketBuy: 1));
}
