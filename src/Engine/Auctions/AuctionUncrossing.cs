namespace TradSys.Engine.Auctions;

/// <summary>
/// Plans the uncrossing at the end of a call: which orders execute, and how much, at the auction price chosen
/// by <see cref="AuctionPriceCalculator"/>. Pure and allocation-free; it knows nothing of the book's storage.
/// </summary>
/// <remarks>
/// <para>The contract the order book implements around it:</para>
/// <list type="number">
/// <item><description>During the call, orders are accepted and rest without matching; the book may be crossed.
/// After each change the book may publish the indicative <see cref="AuctionEquilibrium"/>.</description></item>
/// <item><description>At the end of the call the book lists each side's orders in priority order: market orders
/// first (in time order), then limit orders best price first, time order within a price. It passes them to
/// <see cref="Allocate"/> with the equilibrium's price and <see cref="AuctionEquilibrium.ExecutableVolume"/>.</description></item>
/// <item><description><see cref="Allocate"/> fills orders in that order while they are market orders or limits at
/// or better than the auction price (bids at or above, asks at or below), each in full, until the volume is
/// used up: the last order filled may be partial. On the side without surplus every eligible order fills in
/// full; on the surplus side, orders at the auction price (and possibly market orders) are left over.</description></item>
/// <item><description><see cref="Pair"/> turns the two sides' fills into trades by walking both lists in
/// priority order, so the number of trades is at most buys + sells - 1.</description></item>
/// <item><description>The book applies the fills, emits one trade per match at the auction price, and keeps the
/// remainders for continuous trading (or expires them, as the venue's rules and the time in force say).</description></item>
/// </list>
/// </remarks>
public static class AuctionUncrossing
{
    /// <summary>Allocates <paramref name="volume"/> to one side's orders in priority order at <paramref name="auctionPrice"/>.</summary>
    /// <param name="side">The side the orders are on.</param>
    /// <param name="ordersInPriority">The side's orders, market orders first, then by price (best first) and time.</param>
    /// <param name="auctionPrice">The auction price.</param>
    /// <param name="volume">The volume to execute (the equilibrium's executable volume); not negative.</param>
    /// <param name="destination">Where the fills are written; room for <paramref name="ordersInPriority"/>.Length always suffices.</param>
    /// <returns>How many fills were written.</returns>
    /// <exception cref="ArgumentException">The orders are not in priority order, an order's leaves are not positive,
    /// the eligible orders hold less than <paramref name="volume"/>, or <paramref name="destination"/> is too short.</exception>
    public static int Allocate(
        Side side,
        ReadOnlySpan<AuctionOrder> ordersInPriority,
        Price auctionPrice,
        Quantity volume,
        Span<AuctionFill> destination)
    {
        if (volume.Raw < 0)
        {
            ThrowHelper.ThrowArgument("The volume must not be negative.", nameof(volume));
        }

        long remaining = volume.Raw;
        int count = 0;
        for (int i = 0; i < ordersInPriority.Length && remaining > 0; i++)
        {
            AuctionOrder order = ordersInPriority[i];
            if (order.Leaves.Raw <= 0)
            {
                ThrowHelper.ThrowArgument("Every order must have positive leaves.", nameof(ordersInPriority));
            }

            if (i > 0 && !InPriorityOrder(side, ordersInPriority[i - 1], order))
            {
                ThrowHelper.ThrowArgument("The orders are not in priority order (market first, then best price first).", nameof(ordersInPriority));
            }

            // Sorted by priority: the first order worse than the auction price ends the executable run.
            if (!order.IsMarket && (side == Side.Buy ? order.Price < auctionPrice : order.Price > auctionPrice))
            {
                break;
            }

            if (count == destination.Length)
            {
                ThrowHelper.ThrowArgument("The destination is too short for the fills.", nameof(destination));
            }

            long fill = Math.Min(order.Leaves.Raw, remaining);
            destination[count++] = new AuctionFill(order.OrderId, new Quantity(fill));
            remaining -= fill;
        }

        if (remaining > 0)
        {
            ThrowHelper.ThrowArgument("The orders at or better than the auction price hold less than the volume.", nameof(ordersInPriority));
        }

        return count;
    }

    /// <summary>Pairs the buy fills with the sell fills, both in priority order, into trades.</summary>
    /// <param name="buys">The buy side's fills from <see cref="Allocate"/>.</param>
    /// <param name="sells">The sell side's fills from <see cref="Allocate"/>.</param>
    /// <param name="destination">Where the matches are written; room for buys + sells - 1 always suffices.</param>
    /// <returns>How many matches were written.</returns>
    /// <exception cref="ArgumentException">The two sides' totals differ, a fill is not positive, or <paramref name="destination"/> is too short.</exception>
    public static int Pair(ReadOnlySpan<AuctionFill> buys, ReadOnlySpan<AuctionFill> sells, Span<AuctionMatch> destination)
    {
        int b = 0;
        int s = 0;
        long buyLeft = 0;
        long sellLeft = 0;
        int count = 0;
        while (true)
        {
            if (buyLeft == 0 && b < buys.Length)
            {
                buyLeft = RequirePositive(buys[b++].Quantity.Raw, nameof(buys));
            }

            if (sellLeft == 0 && s < sells.Length)
            {
                sellLeft = RequirePositive(sells[s++].Quantity.Raw, nameof(sells));
            }

            if (buyLeft == 0 || sellLeft == 0)
            {
                break;
            }

            if (count == destination.Length)
            {
                ThrowHelper.ThrowArgument("The destination is too short for the matches.", nameof(destination));
            }

            long quantity = Math.Min(buyLeft, sellLeft);
            destination[count++] = new AuctionMatch(buys[b - 1].OrderId, sells[s - 1].OrderId, new Quantity(quantity));
            buyLeft -= quantity;
            sellLeft -= quantity;
        }

        if (buyLeft != 0 || sellLeft != 0 || b != buys.Length || s != sells.Length)
        {
            ThrowHelper.ThrowArgument("The buy and sell fills must add up to the same volume.", nameof(sells));
        }

        return count;
    }

    private static bool InPriorityOrder(Side side, AuctionOrder previous, AuctionOrder current)
    {
        if (current.IsMarket)
        {
            return previous.IsMarket;
        }

        return previous.IsMarket || (side == Side.Buy ? previous.Price >= current.Price : previous.Price <= current.Price);
    }

    private static long RequirePositive(long quantity, string paramName)
    {
        if (quantity <= 0)
        {
            ThrowHelper.ThrowArgument("Every fill must have a positive quantity.", paramName);
        }

        return quantity;
    }
}
