namespace TradSys.Engine.Auctions;

/// <summary>
/// Call-auction price determination (pre-open, closing and volatility auctions), independent of how the
/// order book stores its orders: the caller passes the aggregated limit levels of each side and the market
/// order quantities. Pure, integer-only and allocation-free: one merge sweep over both sides plus one pass
/// to measure the chosen price, O(bids + asks).
/// </summary>
/// <remarks>
/// <para>
/// The rule implemented is the one of the Xetra market model ("Auction price determination", Deutsche Börse
/// T7 Market Model for the trading venue Xetra) and of Euronext's uncrossing, which most order-driven venues
/// follow. At each candidate price p, cumulative demand B(p) is the market buys plus every bid at or above p,
/// cumulative supply S(p) the market sells plus every ask at or below p, the executable volume min(B, S) and
/// the surplus |B - S| (on the buy side when B &gt; S).
/// </para>
/// <list type="number">
/// <item><description>Candidates are the limit prices present on either side; the price with the highest
/// executable volume wins (<see cref="AuctionPriceRule.MaximumVolume"/>).</description></item>
/// <item><description>Among equal volumes, the lowest surplus (<see cref="AuctionPriceRule.MinimumSurplus"/>).</description></item>
/// <item><description>Market pressure: if every remaining price leaves a surplus on the buy side, the highest of
/// them; if every one leaves it on the sell side, the lowest (<see cref="AuctionPriceRule.MarketPressure"/>).
/// Some venues (and BNB Beacon Chain's variant) cap this with a band around the reference price; that is not
/// done here.</description></item>
/// <item><description>Otherwise (surplus on both sides, or none): the price nearest the reference price. As in
/// Xetra, when the reference lies between the lowest and the highest remaining price the reference price itself
/// is the auction price (it executes the same volume with no more surplus, because the remaining prices form one
/// contiguous run); above them, the highest; below them, the lowest (<see cref="AuctionPriceRule.ReferencePrice"/>).
/// A reference of zero (none known) therefore yields the lowest remaining price.</description></item>
/// <item><description>When no limit price exists and market orders are present on both sides, the auction price
/// is the reference price (<see cref="AuctionPriceRule.MarketOrdersOnly"/>); with no reference (zero), no price.</description></item>
/// </list>
/// <para>
/// No executable volume (the book does not cross, or a side is empty) gives <see cref="AuctionEquilibrium.None"/>:
/// no indicative price is published. Whether market orders are accepted in an auction at all is a venue rule
/// (ADX refuses them) enforced at order entry, not here.
/// </para>
/// </remarks>
public static class AuctionPriceCalculator
{
    /// <summary>Determines the auction price, the executable volume and the surplus.</summary>
    /// <param name="bids">Aggregated bid levels, best first (strictly descending prices), every price and quantity positive.</param>
    /// <param name="asks">Aggregated ask levels, best first (strictly ascending prices), every price and quantity positive.</param>
    /// <param name="marketBuy">The total quantity of market buy orders (highest priority, any price); not negative.</param>
    /// <param name="marketSell">The total quantity of market sell orders; not negative.</param>
    /// <param name="reference">The reference price (previous close or static reference); zero when none is known.</param>
    /// <returns>The equilibrium, or <see cref="AuctionEquilibrium.None"/> when nothing is executable.</returns>
    /// <exception cref="ArgumentException">A side is out of order, a level is not positive, a market quantity is
    /// negative, or a side's total quantity does not fit a <see cref="long"/>.</exception>
    public static AuctionEquilibrium Compute(
        ReadOnlySpan<AuctionLevel> bids,
        ReadOnlySpan<AuctionLevel> asks,
        Quantity marketBuy,
        Quantity marketSell,
        Price reference)
    {
        long buyTotal = SideTotal(bids, marketBuy, descending: true, nameof(bids));
        long sellTotal = SideTotal(asks, marketSell, descending: false, nameof(asks));

        // Sweep every candidate price in ascending order: asks from the front, bids from the back.
        // sellCumulative = market sells + asks at or below p; buyBelow = bids strictly below p.
        long sellCumulative = marketSell.Raw;
        long buyBelow = 0;
        int a = 0;
        int b = bids.Length - 1;

        long bestVolume = 0;
        long bestSurplus = long.MaxValue;
        int volumeTies = 0;
        int surplusTies = 0;
        long low = 0;
        long high = 0;
        bool anyBuySurplus = false;
        bool anySellSurplus = false;

        while (a < asks.Length || b >= 0)
        {
            long p = b < 0 || (a < asks.Length && asks[a].Price.Raw <= bids[b].Price.Raw)
                ? asks[a].Price.Raw
                : bids[b].Price.Raw;

            if (a < asks.Length && asks[a].Price.Raw == p)
            {
                sellCumulative += asks[a].Quantity.Raw;
                a++;
            }

            long buyCumulative = buyTotal - buyBelow;
            if (b >= 0 && bids[b].Price.Raw == p)
            {
                buyBelow += bids[b].Quantity.Raw;
                b--;
            }

            long volume = Math.Min(buyCumulative, sellCumulative);
            if (volume == 0 || volume < bestVolume)
            {
                continue;
            }

            long signedSurplus = buyCumulative - sellCumulative;
            long surplus = Math.Abs(signedSurplus);
            if (volume > bestVolume)
            {
                bestVolume = volume;
                volumeTies = 0;
                bestSurplus = long.MaxValue;
            }

            volumeTies++;
            if (surplus > bestSurplus)
            {
                continue;
            }

            if (surplus < bestSurplus)
            {
                bestSurplus = surplus;
                surplusTies = 0;
                low = p;
                anyBuySurplus = false;
                anySellSurplus = false;
            }

            // Ascending sweep: the latest tie is the highest.
            surplusTies++;
            high = p;
            anyBuySurplus |= signedSurplus > 0;
            anySellSurplus |= signedSurplus < 0;
        }

        if (bestVolume == 0)
        {
            // Only possible with both market quantities positive when there is no limit price at all.
            return marketBuy.Raw > 0 && marketSell.Raw > 0 && reference.Raw > 0 && bids.IsEmpty && asks.IsEmpty
                ? Measure(bids, asks, marketBuy, marketSell, reference, AuctionPriceRule.MarketOrdersOnly)
                : AuctionEquilibrium.None;
        }

        long price;
        AuctionPriceRule rule;
        if (volumeTies == 1)
        {
            (price, rule) = (low, AuctionPriceRule.MaximumVolume);
        }
        else if (surplusTies == 1)
        {
            (price, rule) = (low, AuctionPriceRule.MinimumSurplus);
        }
        else if (anyBuySurplus && !anySellSurplus)
        {
            (price, rule) = (high, AuctionPriceRule.MarketPressure);
        }
        else if (anySellSurplus && !anyBuySurplus)
        {
            (price, rule) = (low, AuctionPriceRule.MarketPressure);
        }
        else
        {
            (price, rule) = (Math.Clamp(reference.Raw, low, high), AuctionPriceRule.ReferencePrice);
        }

        return Measure(bids, asks, marketBuy, marketSell, new Price(price), rule);
    }

    /// <summary>Cumulative demand at <paramref name="price"/>: market buys plus every bid at or above it.</summary>
    /// <param name="bids">Bid levels, best first.</param>
    /// <param name="marketBuy">Market buy quantity.</param>
    /// <param name="price">The price.</param>
    /// <returns>The cumulative buy quantity (the caller guarantees the side total fits a <see cref="long"/>).</returns>
    public static Quantity CumulativeBuy(ReadOnlySpan<AuctionLevel> bids, Quantity marketBuy, Price price)
    {
        long sum = marketBuy.Raw;
        for (int i = 0; i < bids.Length && bids[i].Price >= price; i++)
        {
            sum += bids[i].Quantity.Raw;
        }

        return new Quantity(sum);
    }

    /// <summary>Cumulative supply at <paramref name="price"/>: market sells plus every ask at or below it.</summary>
    /// <param name="asks">Ask levels, best first.</param>
    /// <param name="marketSell">Market sell quantity.</param>
    /// <param name="price">The price.</param>
    /// <returns>The cumulative sell quantity.</returns>
    public static Quantity CumulativeSell(ReadOnlySpan<AuctionLevel> asks, Quantity marketSell, Price price)
    {
        long sum = marketSell.Raw;
        for (int i = 0; i < asks.Length && asks[i].Price <= price; i++)
        {
            sum += asks[i].Quantity.Raw;
        }

        return new Quantity(sum);
    }

    private static AuctionEquilibrium Measure(
        ReadOnlySpan<AuctionLevel> bids,
        ReadOnlySpan<AuctionLevel> asks,
        Quantity marketBuy,
        Quantity marketSell,
        Price price,
        AuctionPriceRule rule)
    {
        Quantity buy = CumulativeBuy(bids, marketBuy, price);
        Quantity sell = CumulativeSell(asks, marketSell, price);
        Side? surplusSide = buy > sell ? Side.Buy : sell > buy ? Side.Sell : null;
        return new AuctionEquilibrium(
            HasPrice: true,
            Price: price,
            ExecutableVolume: buy < sell ? buy : sell,
            Surplus: new Quantity(Math.Abs(buy.Raw - sell.Raw)),
            SurplusSide: surplusSide,
            BuyVolume: buy,
            SellVolume: sell,
            DecidedBy: rule);
    }

    private static long SideTotal(ReadOnlySpan<AuctionLevel> levels, Quantity market, bool descending, string paramName)
    {
        if (market.Raw < 0)
        {
            ThrowHelper.ThrowArgument("A market order quantity must not be negative.", paramName);
        }

        long total = market.Raw;
        for (int i = 0; i < levels.Length; i++)
        {
            AuctionLevel level = levels[i];
            if (level.Price.Raw <= 0 || level.Quantity.Raw <= 0)
            {
                ThrowHelper.ThrowArgument("Every auction level needs a positive price and a positive quantity.", paramName);
            }

            if (i > 0 && (descending ? level.Price >= levels[i - 1].Price : level.Price <= levels[i - 1].Price))
            {
                ThrowHelper.ThrowArgument(
                    descending ? "Bid levels must be in strictly descending price order." : "Ask levels must be in strictly ascending price order.",
                    paramName);
            }

            if (total > long.MaxValue - level.Quantity.Raw)
            {
                ThrowHelper.ThrowArgument("The side's total quantity does not fit a 64-bit integer.", paramName);
            }

            total += level.Quantity.Raw;
        }

        return total;
    }
}
