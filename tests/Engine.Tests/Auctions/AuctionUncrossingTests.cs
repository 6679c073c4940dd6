using TradSys.Engine.Auctions;
using static TradSys.Engine.Tests.Reference.TestVenues;

namespace TradSys.Engine.Tests.Auctions;

public class AuctionUncrossingTests
{
    private static AuctionOrder Limit(long id, decimal price, long leaves) => new(id, false, P(price), new Quantity(leaves));

    private static AuctionOrder Market(long id, long leaves) => new(id, true, Price.Zero, new Quantity(leaves));

    [Fact]
    public void Orders_fill_in_priority_order_and_the_last_one_partially()
    {
        // Auction at 10.10 for 350: the market buy (100) and the first 10.10 bid (200) fill in full,
        // the second 10.10 bid gets the last 50, the 10.00 bid is below the price and does not trade.
        AuctionOrder[] buys = [Market(1, 100), Limit(2, 10.10m, 200), Limit(3, 10.10m, 100), Limit(4, 10.00m, 50)];
        var fills = new AuctionFill[buys.Length];

        int n = AuctionUncrossing.Allocate(Side.Buy, buys, P(10.10m), new Quantity(350), fills);

        Assert.Equal(
            [new AuctionFill(1, new Quantity(100)), new AuctionFill(2, new Quantity(200)), new AuctionFill(3, new Quantity(50))],
            fills[..n]);
    }

    [Fact]
    public void Buy_and_sell_fills_pair_into_trades_in_priority_order()
    {
        AuctionFill[] buys = [new(1, new Quantity(100)), new(2, new Quantity(200)), new(3, new Quantity(50))];
        AuctionFill[] sells = [new(10, new Quantity(150)), new(11, new Quantity(200))];
        var matches = new AuctionMatch[buys.Length + sells.Length - 1];

        int n = AuctionUncrossing.Pair(buys, sells, matches);

        Assert.Equal(
            [
                new AuctionMatch(1, 10, new Quantity(100)),
                new AuctionMatch(2, 10, new Quantity(50)),
                new AuctionMatch(2, 11, new Quantity(150)),
                new AuctionMatch(3, 11, new Quantity(50)),
            ],
            matches[..n]);
    }

    [Fact]
    public void Sells_above_the_auction_price_never_fill_even_when_volume_remains()
    {
        AuctionOrder[] sells = [Limit(1, 10.00m, 100), Limit(2, 10.20m, 500)];
        var fills = new AuctionFill[sells.Length];

        Assert.Throws<ArgumentException>(() => AuctionUncrossing.Allocate(Side.Sell, sells, P(10.10m), new Quantity(300), fills));
    }

    [Fact]
    public void Orders_out_of_priority_order_are_refused()
    {
        AuctionOrder[] buys = [Limit(1, 10.00m, 100), Market(2, 100)];
        var fills = new AuctionFill[buys.Length];

        Assert.Throws<ArgumentException>(() => AuctionUncrossing.Allocate(Side.Buy, buys, P(10.00m), new Quantity(200), fills));
    }

    [Fact]
    public void Fills_that_do_not_add_up_on_both_sides_are_refused()
    {
        AuctionFill[] buys = [new(1, new Quantity(100))];
        AuctionFill[] sells = [new(2, new Quantity(60))];

        Assert.Throws<ArgumentException>(() => AuctionUncrossing.Pair(buys, sells, new AuctionMatch[4]));
    }
}
