using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using TradSys.Engine.Auctions;

namespace TradSys.Engine.Tests.Auctions;

/// <summary>
/// Invariants of auction price determination over random books with a narrow price range (so that they cross
/// often), checked against a brute-force evaluation of every candidate price.
/// </summary>
public class AuctionPriceCalculatorProperties
{
    /// <summary>A random auction book: levels as (price, quantity) with distinct prices, market quantities, a reference.</summary>
    public sealed record Book(AuctionLevel[] Bids, AuctionLevel[] Asks, long MarketBuy, long MarketSell, long Reference)
    {
        public override string ToString() =>
            $"bids [{string.Join(", ", Bids.Select(l => $"{l.Price.Raw}x{l.Quantity.Raw}"))}] asks [{string.Join(", ", Asks.Select(l => $"{l.Price.Raw}x{l.Quantity.Raw}"))}] mb {MarketBuy} ms {MarketSell} ref {Reference}";
    }

    private static Gen<AuctionLevel[]> SideGen(bool isBid, int lowPrice, int highPrice, Gen<int> quantityGen) =>
        from prices in Gen.Frequency(
            (1, Gen.Constant<IEnumerable<int>>([])),
            (8, Gen.ListOf(Gen.Choose(lowPrice, highPrice)).Select(l => (IEnumerable<int>)l)))
        from quantities in Gen.ArrayOf(quantityGen, 11)
        select ToLevels(prices, quantities, isBid);

    // Round quantities half of the time, so that equal volumes and surpluses (steps 2 to 4) come up often.
    private static Gen<int> QuantityGen { get; } = Gen.Frequency(
        (1, Gen.Choose(1, 40)),
        (1, Gen.Elements(10, 20, 30)));

    private static AuctionLevel[] ToLevels(IEnumerable<int> prices, int[] quantities, bool isBid)
    {
        int[] distinct = [.. prices.Distinct()];
        IEnumerable<int> ordered = isBid ? distinct.OrderByDescending(p => p) : distinct.OrderBy(p => p);
        return [.. ordered.Select((p, i) => new AuctionLevel(new Price(p), new Quantity(quantities[i % quantities.Length])))];
    }

    private static Gen<Book> BookGen(int lowPrice, int highPrice, Gen<int> quantityGen) =>
        from bids in SideGen(isBid: true, lowPrice, highPrice, quantityGen)
        from asks in SideGen(isBid: false, lowPrice, highPrice, quantityGen)
        from marketBuy in Gen.Frequency((3, Gen.Constant(0)), (1, quantityGen))
        from marketSell in Gen.Frequency((3, Gen.Constant(0)), (1, quantityGen))
        from reference in Gen.Frequency((1, Gen.Constant(0)), (5, Gen.Choose(lowPrice - 5, highPrice + 5)))
        select new Book(bids, asks, marketBuy, marketSell, reference);

    // Wide books exercise the volume and surplus steps; tiny books with two quantities hit market pressure and
    // the reference-price step often (equal cumulative volumes at several prices).
    private static Arbitrary<Book> Books { get; } = Arb.From(Gen.Frequency(
        (3, BookGen(95, 105, QuantityGen)),
        (2, BookGen(99, 102, Gen.Elements(10, 20)))));

    private static AuctionEquilibrium Compute(Book book) =>
        AuctionPriceCalculator.Compute(book.Bids, book.Asks, new Quantity(book.MarketBuy), new Quantity(book.MarketSell), new Price(book.Reference));

    private static long Buy(Book book, long price) => book.MarketBuy + book.Bids.Where(l => l.Price.Raw >= price).Sum(l => l.Quantity.Raw);

    private static long Sell(Book book, long price) => book.MarketSell + book.Asks.Where(l => l.Price.Raw <= price).Sum(l => l.Quantity.Raw);

    private static IEnumerable<long> Candidates(Book book) => book.Bids.Concat(book.Asks).Select(l => l.Price.Raw).Distinct();

    [Property(MaxTest = 500)]
    public Property The_chosen_price_maximises_executable_volume_over_every_candidate_price() =>
        Prop.ForAll(Books, book =>
        {
            AuctionEquilibrium result = Compute(book);
            long best = Candidates(book).Select(p => Math.Min(Buy(book, p), Sell(book, p))).DefaultIfEmpty(0).Max();

            Assert.Equal(best, result.HasPrice && result.DecidedBy != AuctionPriceRule.MarketOrdersOnly ? result.ExecutableVolume.Raw : 0);
            if (result.HasPrice)
            {
                Assert.Equal(Math.Min(Buy(book, result.Price.Raw), Sell(book, result.Price.Raw)), result.ExecutableVolume.Raw);
            }
        });

    [Property(MaxTest = 500)]
    public Property The_surplus_is_the_lowest_among_the_prices_with_the_highest_volume() =>
        Prop.ForAll(Books, book =>
        {
            AuctionEquilibrium result = Compute(book);
            if (result.HasPrice && result.DecidedBy != AuctionPriceRule.MarketOrdersOnly)
            {
                long lowest = Candidates(book)
                    .Where(p => Math.Min(Buy(book, p), Sell(book, p)) == result.ExecutableVolume.Raw)
                    .Min(p => Math.Abs(Buy(book, p) - Sell(book, p)));
                Assert.True(result.Surplus.Raw <= lowest, $"surplus {result.Surplus.Raw} above the lowest candidate surplus {lowest}");
            }
        });

    [Property(MaxTest = 500)]
    public Property Executable_volume_never_exceeds_either_side_and_the_surplus_is_the_difference() =>
        Prop.ForAll(Books, book =>
        {
            AuctionEquilibrium result = Compute(book);
            long buyTotal = book.MarketBuy + book.Bids.Sum(l => l.Quantity.Raw);
            long sellTotal = book.MarketSell + book.Asks.Sum(l => l.Quantity.Raw);

            Assert.True(result.ExecutableVolume.Raw <= buyTotal && result.ExecutableVolume.Raw <= sellTotal);
            Assert.Equal(Math.Min(result.BuyVolume.Raw, result.SellVolume.Raw), result.ExecutableVolume.Raw);
            Assert.Equal(Math.Abs(result.BuyVolume.Raw - result.SellVolume.Raw), result.Surplus.Raw);
            Assert.Equal(result.HasPrice, result.ExecutableVolume.Raw > 0);
        });

    [Property(MaxTest = 300)]
    public Property The_result_is_deterministic() =>
        Prop.ForAll(Books, book => Assert.Equal(Compute(book), Compute(book with { Bids = [.. book.Bids], Asks = [.. book.Asks] })));

    [Property(MaxTest = 300)]
    public Property Uncrossing_executes_exactly_the_executable_volume_on_both_sides() =>
        Prop.ForAll(Books, book =>
        {
            AuctionEquilibrium result = Compute(book);
            if (!result.HasPrice)
            {
                return;
            }

            // One order per level, market order first, as the book would list them.
            AuctionOrder[] Orders(AuctionLevel[] levels, long market) =>
                [.. (market > 0 ? [new AuctionOrder(0, true, Price.Zero, new Quantity(market))] : Array.Empty<AuctionOrder>())
                    .Concat(levels.Select(l => new AuctionOrder(l.Price.Raw, false, l.Price, l.Quantity)))];

            AuctionOrder[] buyOrders = Orders(book.Bids, book.MarketBuy);
            AuctionOrder[] sellOrders = Orders(book.Asks, book.MarketSell);
            var buyFills = new AuctionFill[buyOrders.Length];
            var sellFills = new AuctionFill[sellOrders.Length];
            int nb = AuctionUncrossing.Allocate(Side.Buy, buyOrders, result.Price, result.ExecutableVolume, buyFills);
            int ns = AuctionUncrossing.Allocate(Side.Sell, sellOrders, result.Price, result.ExecutableVolume, sellFills);
            var matches = new AuctionMatch[nb + ns];
            int nm = AuctionUncrossing.Pair(buyFills.AsSpan(0, nb), sellFills.AsSpan(0, ns), matches);

            Assert.Equal(result.ExecutableVolume.Raw, matches.Take(nm).Sum(m => m.Quantity.Raw));
            Assert.True(nm <= nb + ns - 1);
        });
}
