// Trading modes other than plain continuous matching (see TradingMode), kept out of the hot path: OrderBook.Submit and
// Modify pay one branch (guarded) and come here only when the book is not in continuous trading or has a price band.
//
// Call (and Halted, a suspension)
// - Orders are accepted and rest WITHOUT matching; the book may be crossed. Market orders wait for the uncross in a level at a
//   sentinel price (bids: long.MaxValue, asks: 0), which makes them the first of their side in priority order, as in every
//   auction model; depth and best prices skip that level. IOC and FOK are accepted and canceled at once (they could never
//   trade before the uncross), market-to-limit is rejected (there is no price to take). Stops join their trigger list and
//   do not trigger. Amend re-queues (price change or quantity up) or keeps the place (quantity down) without matching.
// - Uncross: each side's levels are aggregated into reusable span buffers (an iceberg takes part with its FULL leaves, hidden
//   part included, as in Xetra), the held market quantity per side is added, AuctionPriceCalculator picks the price against
//   the reference price of the mode, AuctionUncrossing.Allocate fills each side in priority order (market, then price, then
//   queue position) and Pair turns the fills into trades, all at the one auction price. Events are those of a continuous
//   trade (TradeExecuted, then OrderFilled for the buy, then for the sell; no aggressor: AggressorSide is default(Side) = 0
//   and both fills have IsAggressor = false). An iceberg keeps its queue place; its slice is refreshed when the fill used it
//   up. Market orders left unexecuted are canceled (MarketOrderRemainder), as a market remainder never rests in this engine;
//   limit remainders stay for the next phase. The last trade price becomes the auction price. The book is left uncrossed.
//
// AtPrice (trade-at-close, trade-at-last)
// - Only limit orders at the mode's price are taken (others: OrderTypeNotAllowedInPhase / PriceNotAtClosingPrice). They match
//   in time priority against opposite orders at that price or better, and every trade prints at the mode's price.
//
// Continuous with a price band (EGX 10%)
// - An order's reach is capped at the band edge; when its remainder would still trade beyond it (a market order, or a limit
//   crossing the next opposite price) the book goes to Halted and InstrumentSuspended is raised. The aggressor's remainder
//   then rests (a limit order, possibly crossed: a halted book is a call) or is canceled (a market order's remainder, as usual).
//
// Closed
// - Submit and amend are rejected (SessionClosed); cancel works, so the host can expire DAY orders after the close.

using TradSys.Engine.Auctions;
using TradSys.Engine.Commands;
using TradSys.Engine.Events;

namespace TradSys.Engine.Matching;

internal sealed partial class OrderBook<TSink>
{
    /// <summary>The sentinel price of held market buy orders: above every limit price, so they come first.</summary>
    private const long HeldBuyPrice = long.MaxValue;

    /// <summary>The sentinel price of held market sell orders: below every limit price (asks sort by negated price).</summary>
    private const long HeldSellPrice = 0;

    private TradingMode mode;

    /// <summary>True unless the book is in plain continuous trading with no price band: what Submit and Modify branch on.</summary>
    private bool guarded;

    /// <summary>The reference price of a call or a suspension, or the fixed price of at-price trading.</summary>
    private long modePrice;

    private long bandLow;
    private long bandHigh;

    public TradingMode Mode => mode;

    public long ModePrice => modePrice;

    public long BandLow => bandLow;

    public long BandHigh => bandHigh;

    /// <summary>True in the modes where nothing matches and the book may be crossed.</summary>
    public bool IsCalling => mode is TradingMode.Call or TradingMode.Halted;

    public static long HeldMarketPrice(Side side) => side == Side.Buy ? HeldBuyPrice : HeldSellPrice;

    /// <summary>True for the level holding market orders waiting for an uncross.</summary>
    public static bool IsHeldLevel(BookLevel level, bool isBid) => level.Price == (isBid ? HeldBuyPrice : HeldSellPrice);

    /// <summary>The best level with a limit price (skipping held market orders), or null.</summary>
    public static BookLevel? BestLimit(BookSide side, bool isBid)
    {
        if (side.Count == 0)
        {
            return null;
        }

        BookLevel best = side.LevelFromBest(0);
        if (!IsHeldLevel(best, isBid))
        {
            return best;
        }

        return side.Count > 1 ? side.LevelFromBest(1) : null;
    }

    /// <summary>True when the book holds market orders for an uncross or its best bid reaches its best ask.</summary>
    public bool NeedsUncross()
    {
        BookLevel? bid = bids.Best;
        BookLevel? ask = asks.Best;
        return (bid is not null && IsHeldLevel(bid, true))
            || (ask is not null && IsHeldLevel(ask, false))
            || (bid is not null && ask is not null && bid.Price >= ask.Price);
    }

    public void SetMode(in SetTradingMode cmd)
    {
        if ((uint)cmd.Mode > (uint)TradingMode.Closed)
        {
            ThrowHelper.ThrowArgument("The trading mode is not defined.", nameof(cmd));
        }

        if (cmd.Price.Raw < 0 || (cmd.Mode == TradingMode.AtPrice && cmd.Price.Raw == 0))
        {
            ThrowHelper.ThrowArgument("The mode's price must not be negative, and at-price trading needs a positive price.", nameof(cmd));
        }

        if (cmd.Mode is TradingMode.Continuous or TradingMode.AtPrice && IsCalling && NeedsUncross())
        {
            ThrowHelper.ThrowInvalidOperation("The book is crossed or holds market orders: uncross it before it matches again.");
        }

        mode = cmd.Mode;
        modePrice = cmd.Mode is TradingMode.Call or TradingMode.Halted or TradingMode.AtPrice ? cmd.Price.Raw : 0;
        guarded = mode != TradingMode.Continuous || bandHigh != 0;
        if (mode == TradingMode.Continuous)
        {
            // Stops reached by the auction price trigger when matching resumes.
            RunTriggers(cmd.Timestamp);
        }
    }

    public void SetBand(in SetPriceBand cmd)
    {
        bool none = cmd.Low.Raw == 0 && cmd.High.Raw == 0;
        if (!none && (cmd.Low.Raw < 0 || cmd.High.Raw <= 0 || cmd.Low.Raw > cmd.High.Raw))
        {
            ThrowHelper.ThrowArgument("A price band needs 0 <= low <= high and a positive high (both zero: no band).", nameof(cmd));
        }

        bandLow = cmd.Low.Raw;
        bandHigh = cmd.High.Raw;
        guarded = mode != TradingMode.Continuous || bandHigh != 0;
    }

    private void SubmitGuarded(in SubmitOrder cmd)
    {
        switch (mode)
        {
            case TradingMode.Call:
            case TradingMode.Halted:
                SubmitToCall(in cmd);
                return;
            case TradingMode.AtPrice:
                SubmitAtPrice(in cmd);
                return;
            case TradingMode.Closed:
                engine.Sink.On(new OrderRejected(cmd.OrderId, RejectCode.SessionClosed, cmd.Timestamp));
                return;
            default:
                SubmitBanded(in cmd);
                return;
        }
    }

    private void SubmitToCall(in SubmitOrder cmd)
    {
        OrderType type = cmd.Type;
        if (type is OrderType.Stop or OrderType.StopLimit)
        {
            // Joins the trigger list; RunTriggers triggers nothing outside continuous trading.
            SubmitStop(in cmd);
            return;
        }

        ref TSink sink = ref engine.Sink;
        if (type == OrderType.MarketToLimit)
        {
            sink.On(new OrderRejected(cmd.OrderId, RejectCode.OrderTypeNotAllowedInPhase, cmd.Timestamp));
            return;
        }

        bool isMarket = type == OrderType.Market;
        sink.On(new OrderAccepted(cmd.OrderId, instrument, cmd.AccountId, cmd.Side, type, isMarket ? default : cmd.Price, cmd.Quantity, cmd.Timestamp));
        if (cmd.TimeInForce is TimeInForce.Ioc or TimeInForce.Fok)
        {
            CancelReason reason = cmd.TimeInForce == TimeInForce.Fok ? CancelReason.FillOrKillNotFilled : CancelReason.ImmediateOrCancelRemainder;
            sink.On(new OrderCanceled(cmd.OrderId, cmd.Quantity, reason, cmd.Timestamp));
            return;
        }

        RestNew(in cmd, isMarket ? HeldMarketPrice(cmd.Side) : cmd.Price.Raw, 0);
    }

    private void SubmitAtPrice(in SubmitOrder cmd)
    {
        ref TSink sink = ref engine.Sink;
        if (cmd.Type != OrderType.Limit)
        {
            sink.On(new OrderRejected(cmd.OrderId, RejectCode.OrderTypeNotAllowedInPhase, cmd.Timestamp));
            return;
        }

        long price = modePrice;
        if (cmd.Price.Raw != price)
        {
            sink.On(new OrderRejected(cmd.OrderId, RejectCode.PriceNotAtClosingPrice, cmd.Timestamp));
            return;
        }

        sink.On(new OrderAccepted(cmd.OrderId, instrument, cmd.AccountId, cmd.Side, OrderType.Limit, cmd.Price, cmd.Quantity, cmd.Timestamp));
        long quantity = cmd.Quantity.Raw;
        if (cmd.TimeInForce == TimeInForce.Fok && Executable(cmd.Side, false, price, cmd.AccountId, cmd.SelfTradePrevention, quantity) < quantity)
        {
            sink.On(new OrderCanceled(cmd.OrderId, cmd.Quantity, CancelReason.FillOrKillNotFilled, cmd.Timestamp));
            return;
        }

        stpStopped = false;
        long filled = MatchAt(cmd.OrderId, cmd.AccountId, cmd.Side, price, quantity, 0, cmd.SelfTradePrevention, cmd.Timestamp);
        FinishNew(in cmd, false, price, filled);
    }

    /// <summary>
    /// Acceptance of a market, market-to-limit or limit order: OrderRejected when a market or market-to-limit order finds no
    /// opposite liquidity (false), else OrderAccepted with the order's limit (a market-to-limit takes the best opposite
    /// price) and true. Shared by continuous trading and the banded path.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private bool Accept(in SubmitOrder cmd, bool isMarket, out long limit)
    {
        ref TSink sink = ref engine.Sink;
        limit = cmd.Price.Raw;
        if (isMarket || cmd.Type == OrderType.MarketToLimit)
        {
            BookLevel? best = Opposite(cmd.Side).Best;
            if (best is null)
            {
                sink.On(new OrderRejected(cmd.OrderId, isMarket ? RejectCode.NoLiquidity : RejectCode.MarketToLimitNoLiquidity, cmd.Timestamp));
                return false;
            }

            if (!isMarket)
            {
                limit = best.Price;
            }
        }

        sink.On(new OrderAccepted(cmd.OrderId, instrument, cmd.AccountId, cmd.Side, cmd.Type, new Price(limit), cmd.Quantity, cmd.Timestamp));
        return true;
    }

    private void SubmitBanded(in SubmitOrder cmd)
    {
        OrderType type = cmd.Type;
        if (type is OrderType.Stop or OrderType.StopLimit)
        {
            SubmitStop(in cmd);
            return;
        }

        ref TSink sink = ref engine.Sink;
        bool isMarket = type == OrderType.Market;
        if (!Accept(in cmd, isMarket, out long limit))
        {
            return;
        }

        long quantity = cmd.Quantity.Raw;

        // Fill-or-kill counts only what can execute inside the band: a breach never happens for an order that is killed.
        if (cmd.TimeInForce == TimeInForce.Fok
            && Executable(cmd.Side, false, Capped(cmd.Side, isMarket, limit), cmd.AccountId, cmd.SelfTradePrevention, quantity) < quantity)
        {
            sink.On(new OrderCanceled(cmd.OrderId, cmd.Quantity, CancelReason.FillOrKillNotFilled, cmd.Timestamp));
            return;
        }

        stpStopped = false;
        long filled = MatchBanded(cmd.OrderId, cmd.AccountId, cmd.Side, isMarket, limit, quantity, 0, cmd.SelfTradePrevention, cmd.Timestamp);
        FinishNew(in cmd, isMarket, limit, filled);
    }

    /// <summary>After a new order's matching: cancel a remainder that may not rest, or rest it; then run the triggers if it traded.</summary>
    private void FinishNew(in SubmitOrder cmd, bool isMarket, long limit, long filled)
    {
        long leaves = cmd.Quantity.Raw - filled;
        if (leaves != 0)
        {
            CancelReason reason = RemainderReason(isMarket, cmd.TimeInForce);
            if (reason != 0)
            {
                engine.Sink.On(new OrderCanceled(cmd.OrderId, new Quantity(leaves), reason, cmd.Timestamp));
            }
            else
            {
                RestNew(in cmd, limit, filled);
            }
        }

        if (filled != 0)
        {
            RunTriggers(cmd.Timestamp);
        }
    }

    private void RestNew(in SubmitOrder cmd, long price, long filled)
    {
        RestingOrder order = engine.OrderPool.Rent();
        order.Set(cmd.OrderId, instrument, cmd.AccountId, cmd.Side, cmd.TimeInForce, cmd.Type, cmd.SelfTradePrevention,
            price, cmd.Quantity.Raw, filled, stopPrice: 0, cmd.DisplayQuantity.Raw, cmd.ExpireAt, isPendingStop: false);
        SideOf(order.Side).GetOrAdd(order.Price, engine.LevelPool).Append(order);
        engine.Index(order);
    }

    /// <summary>The furthest price an order may reach under the band: its limit, or the band edge when the limit (or a market order) goes beyond it.</summary>
    private long Capped(Side side, bool isMarket, long limit)
    {
        if (bandHigh == 0)
        {
            return isMarket ? HeldMarketPrice(side) : limit;
        }

        long cap = side == Side.Buy ? bandHigh : bandLow;
        return isMarket || (side == Side.Buy ? limit > cap : limit < cap) ? cap : limit;
    }

    /// <summary>
    /// <see cref="Match"/> capped at the band; when the aggressor would still trade beyond the band, suspends the instrument.
    /// </summary>
    private long MatchBanded(long orderId, long accountId, Side side, bool isMarket, long limitPrice, long quantity, long filled, SelfTradePrevention stp, long timestamp)
    {
        if (bandHigh == 0)
        {
            return Match(orderId, accountId, side, isMarket, limitPrice, quantity, filled, stp, timestamp);
        }

        bool isBuy = side == Side.Buy;
        long cap = Capped(side, isMarket, limitPrice);
        long done = Match(orderId, accountId, side, false, cap, quantity, filled, stp, timestamp);
        bool capped = isMarket || cap != limitPrice;
        if (done < quantity && capped && !stpStopped)
        {
            BookLevel? best = Opposite(side).Best;
            if (best is not null && (isMarket || (isBuy ? best.Price <= limitPrice : best.Price >= limitPrice)))
            {
                mode = TradingMode.Halted;
                modePrice = lastTradePrice;
                guarded = true;
                engine.Sink.On(new InstrumentSuspended(instrument, new Price(best.Price), new Price(cap), timestamp));
            }
        }

        return done;
    }

    private void ModifyGuarded(RestingOrder order, in ModifyOrder cmd)
    {
        ref TSink sink = ref engine.Sink;
        RejectCode code = mode switch
        {
            TradingMode.Closed => RejectCode.SessionClosed,
            _ when order.Type == OrderType.Market => RejectCode.MarketOrderCannotBeModified,
            TradingMode.AtPrice when cmd.NewPrice.Raw != modePrice => RejectCode.PriceNotAtClosingPrice,
            _ => RejectCode.None,
        };
        if (code != RejectCode.None)
        {
            sink.On(new ModifyRejected(order.OrderId, code, cmd.Timestamp));
            return;
        }

        long newPrice = cmd.NewPrice.Raw;
        long newQuantity = cmd.NewQuantity.Raw;
        BookLevel level = order.Level!;
        if (newPrice == order.Price && newQuantity <= order.Quantity)
        {
            long newLeaves = newQuantity - order.Filled;
            long newVisible = order.Display == 0 ? newLeaves : Math.Min(order.Visible, newLeaves);
            level.TotalLeaves -= order.Visible - newVisible;
            order.Visible = newVisible;
            order.Quantity = newQuantity;
            sink.On(new OrderModified(order.OrderId, cmd.NewPrice, cmd.NewQuantity, new Quantity(order.Leaves), false, cmd.Timestamp));
            return;
        }

        RemoveFromLevel(order, level);
        order.Price = newPrice;
        order.Quantity = newQuantity;
        if (IsCalling || !Crosses(order.Side, newPrice))
        {
            order.Visible = order.FreshSlice;
            SideOf(order.Side).GetOrAdd(newPrice, engine.LevelPool).Append(order);
            sink.On(new OrderModified(order.OrderId, cmd.NewPrice, cmd.NewQuantity, new Quantity(order.Leaves), true, cmd.Timestamp));
            return;
        }

        sink.On(new OrderModified(order.OrderId, cmd.NewPrice, cmd.NewQuantity, new Quantity(order.Leaves), true, cmd.Timestamp));
        stpStopped = false;
        long before = order.Filled;
        order.Filled = mode == TradingMode.AtPrice
            ? MatchAt(order.OrderId, order.AccountId, order.Side, newPrice, newQuantity, before, order.Stp, cmd.Timestamp)
            : MatchBanded(order.OrderId, order.AccountId, order.Side, false, newPrice, newQuantity, before, order.Stp, cmd.Timestamp);
        bool traded = order.Filled != before;
        FinishAggressor(order, false, cmd.Timestamp);
        if (traded)
        {
            RunTriggers(cmd.Timestamp);
        }
    }

    /// <summary>
    /// Like <see cref="Match"/> for a limit order at <paramref name="fixedPrice"/>, except that every trade prints at that price
    /// (opposite orders at a better price trade at it too): at-price trading.
    /// </summary>
    private long MatchAt(long orderId, long accountId, Side side, long fixedPrice, long quantity, long filled, SelfTradePrevention stp, long timestamp)
    {
        BookSide opposite = Opposite(side);
        ref TSink sink = ref engine.Sink;
        bool isBuy = side == Side.Buy;
        long remaining = quantity - filled;
        while (remaining > 0)
        {
            BookLevel? level = opposite.Best;
            if (level is null || (isBuy ? level.Price > fixedPrice : level.Price < fixedPrice))
            {
                break;
            }

            RestingOrder resting = level.Head!;
            if (stp != SelfTradePrevention.None && resting.AccountId == accountId)
            {
                if (stp == SelfTradePrevention.CancelIncoming)
                {
                    stpStopped = true;
                    break;
                }

                long canceledId = resting.OrderId;
                long canceledLeaves = resting.Leaves;
                RemoveFromLevel(resting, level);
                engine.Forget(resting);
                sink.On(new OrderCanceled(canceledId, new Quantity(canceledLeaves), CancelReason.SelfTradePrevention, timestamp));
                if (stp == SelfTradePrevention.CancelBoth)
                {
                    stpStopped = true;
                    break;
                }

                continue;
            }

            long fill = Math.Min(remaining, resting.Visible);
            remaining -= fill;
            filled += fill;
            long restingId = resting.OrderId;
            long restingAccount = resting.AccountId;
            ApplyFill(resting, fill, out long restingFilled, out long restingLeaves);
            Report(isBuy ? orderId : restingId, isBuy ? restingId : orderId, isBuy ? accountId : restingAccount, isBuy ? restingAccount : accountId,
                fixedPrice, fill, side, timestamp, out long tradeId);
            sink.On(new OrderFilled(restingId, tradeId, new Price(fixedPrice), new Quantity(fill), new Quantity(restingFilled), new Quantity(restingLeaves), false, timestamp));
            sink.On(new OrderFilled(orderId, tradeId, new Price(fixedPrice), new Quantity(fill), new Quantity(filled), new Quantity(remaining), true, timestamp));
        }

        return filled;
    }

    /// <summary>
    /// Applies a fill to a resting order in place (it keeps its queue position; an iceberg whose slice is used up shows a fresh
    /// one), and removes and forgets it when it is filled. The caller raises the events.
    /// </summary>
    private void ApplyFill(RestingOrder order, long fill, out long cumulative, out long leaves)
    {
        BookLevel level = order.Level!;
        order.Filled += fill;
        leaves = order.Leaves;
        cumulative = order.Filled;
        long visible = leaves == 0 ? 0
            : order.Display == 0 ? leaves
            : fill < order.Visible ? order.Visible - fill
            : Math.Min(order.Display, leaves);
        level.TotalLeaves += visible - order.Visible;
        order.Visible = visible;
        if (leaves == 0)
        {
            RemoveFromLevel(order, level);
            engine.Forget(order);
        }
    }

    /// <summary>Takes a trade id, sets the last trade price and raises TradeExecuted.</summary>
    private void Report(long buyId, long sellId, long buyAccount, long sellAccount, long price, long quantity, Side aggressor, long timestamp, out long tradeId)
    {
        tradeId = engine.TakeTradeId();
        lastTradePrice = price;
        engine.Sink.On(new TradeExecuted(tradeId, instrument, new Price(price), new Quantity(quantity), buyId, sellId, buyAccount, sellAccount, aggressor, timestamp));
    }

    /// <summary>The indicative auction price and volume of the book now (a call or a suspension); allocation-free.</summary>
    public AuctionEquilibrium Indicative()
    {
        AuctionScratch scratch = engine.Scratch;
        int bidCount = Gather(bids, true, scratch, withOrders: false, out long marketBuy);
        int askCount = Gather(asks, false, scratch, withOrders: false, out long marketSell);
        return AuctionPriceCalculator.Compute(
            scratch.BidLevels.AsSpan(0, bidCount), scratch.AskLevels.AsSpan(0, askCount),
            new Quantity(marketBuy), new Quantity(marketSell), new Price(modePrice));
    }

    /// <summary>Executes the call at one auction price (see the top of this file) and returns the equilibrium used.</summary>
    public AuctionEquilibrium Uncross(long timestamp)
    {
        if (!IsCalling)
        {
            ThrowHelper.ThrowInvalidOperation("Only a book in a call or a suspension can be uncrossed.");
        }

        AuctionScratch scratch = engine.Scratch;
        int bidCount = Gather(bids, true, scratch, withOrders: true, out long marketBuy);
        int askCount = Gather(asks, false, scratch, withOrders: true, out long marketSell);
        AuctionEquilibrium eq = AuctionPriceCalculator.Compute(
            scratch.BidLevels.AsSpan(0, bidCount), scratch.AskLevels.AsSpan(0, askCount),
            new Quantity(marketBuy), new Quantity(marketSell), new Price(modePrice));

        if (eq.HasPrice)
        {
            int buyFills = AuctionUncrossing.Allocate(Side.Buy, scratch.BuyOrders.AsSpan(0, scratch.BuyCount), eq.Price, eq.ExecutableVolume, scratch.BuyFills);
            int sellFills = AuctionUncrossing.Allocate(Side.Sell, scratch.SellOrders.AsSpan(0, scratch.SellCount), eq.Price, eq.ExecutableVolume, scratch.SellFills);
            int matches = AuctionUncrossing.Pair(scratch.BuyFills.AsSpan(0, buyFills), scratch.SellFills.AsSpan(0, sellFills), scratch.Matches);
            Execute(scratch, matches, eq.Price.Raw, timestamp);
        }

        CancelHeld(bids, true, timestamp);
        CancelHeld(asks, false, timestamp);
        scratch.ClearNodes();
        return eq;
    }

    /// <summary>Turns the paired fills into trades; the fills' orders are the first ones of each side's gathered list, in order.</summary>
    private void Execute(AuctionScratch scratch, int matchCount, long price, long timestamp)
    {
        ref TSink sink = ref engine.Sink;
        int b = 0;
        int s = 0;
        long buyLeft = scratch.BuyFills[0].Quantity.Raw;
        long sellLeft = scratch.SellFills[0].Quantity.Raw;
        for (int m = 0; m < matchCount; m++)
        {
            AuctionMatch match = scratch.Matches[m];
            RestingOrder buy = scratch.BuyNodes[b];
            RestingOrder sell = scratch.SellNodes[s];
            if (buy.OrderId != match.BuyOrderId || sell.OrderId != match.SellOrderId)
            {
                ThrowHelper.ThrowInvalidOperation("Book corrupted: the uncross pairing does not follow the allocation.");
            }

            long quantity = match.Quantity.Raw;
            long buyId = buy.OrderId;
            long sellId = sell.OrderId;
            long buyAccount = buy.AccountId;
            long sellAccount = sell.AccountId;
            ApplyFill(buy, quantity, out long buyFilled, out long buyLeaves);
            ApplyFill(sell, quantity, out long sellFilled, out long sellLeaves);
            Report(buyId, sellId, buyAccount, sellAccount, price, quantity, default, timestamp, out long tradeId);
            sink.On(new OrderFilled(buyId, tradeId, new Price(price), match.Quantity, new Quantity(buyFilled), new Quantity(buyLeaves), false, timestamp));
            sink.On(new OrderFilled(sellId, tradeId, new Price(price), match.Quantity, new Quantity(sellFilled), new Quantity(sellLeaves), false, timestamp));

            buyLeft -= quantity;
            sellLeft -= quantity;
            if (buyLeft == 0 && m + 1 < matchCount)
            {
                buyLeft = scratch.BuyFills[++b].Quantity.Raw;
            }

            if (sellLeft == 0 && m + 1 < matchCount)
            {
                sellLeft = scratch.SellFills[++s].Quantity.Raw;
            }
        }
    }

    /// <summary>Cancels the market orders still held after an uncross (MarketOrderRemainder), oldest first.</summary>
    private void CancelHeld(BookSide side, bool isBid, long timestamp)
    {
        BookLevel? best = side.Best;
        if (best is null || !IsHeldLevel(best, isBid))
        {
            return;
        }

        RestingOrder? order = best.Head;
        while (order is not null)
        {
            RestingOrder? next = order.Next;
            long orderId = order.OrderId;
            long leaves = order.Leaves;
            Unlink(order);
            engine.Forget(order);
            engine.Sink.On(new OrderCanceled(orderId, new Quantity(leaves), CancelReason.MarketOrderRemainder, timestamp));
            order = next;
        }
    }

    /// <summary>
    /// Aggregates a side into the scratch buffers, best first: limit levels (every order's full leaves, icebergs included) and the
    /// held market quantity; with <paramref name="withOrders"/>, also the side's orders in priority order and their nodes.
    /// </summary>
    /// <returns>How many limit levels were written.</returns>
    private static int Gather(BookSide side, bool isBid, AuctionScratch scratch, bool withOrders, out long market)
    {
        market = 0;
        int levels = 0;
        int orders = 0;
        scratch.EnsureLevels(isBid, side.Count);
        AuctionLevel[] levelBuffer = isBid ? scratch.BidLevels : scratch.AskLevels;
        for (int i = 0; i < side.Count; i++)
        {
            BookLevel level = side.LevelFromBest(i);
            bool held = IsHeldLevel(level, isBid);
            long total = 0;
            if (withOrders)
            {
                scratch.EnsureOrders(isBid, orders + level.Count);
            }

            for (RestingOrder? order = level.Head; order is not null; order = order.Next)
            {
                long leaves = order.Leaves;
                total += leaves;
                if (withOrders)
                {
                    (isBid ? scratch.BuyOrders : scratch.SellOrders)[orders] = new AuctionOrder(order.OrderId, held, new Price(held ? 0 : level.Price), new Quantity(leaves));
                    (isBid ? scratch.BuyNodes : scratch.SellNodes)[orders] = order;
                    orders++;
                }
            }

            if (held)
            {
                market = total;
            }
            else
            {
                levelBuffer[levels++] = new AuctionLevel(new Price(level.Price), new Quantity(total));
            }
        }

        if (withOrders)
        {
            if (isBid)
            {
                scratch.BuyCount = orders;
            }
            else
            {
                scratch.SellCount = orders;
            }
        }

        return levels;
    }
}

/// <summary>
/// Reusable buffers of the uncross and the indicative price, one set per engine (the engine is single-threaded): they grow to the
/// largest book seen and are then reused, so a call allocates nothing in steady state.
/// </summary>
internal sealed class AuctionScratch
{
    public AuctionLevel[] BidLevels = [];
    public AuctionLevel[] AskLevels = [];
    public AuctionOrder[] BuyOrders = [];
    public AuctionOrder[] SellOrders = [];
    public RestingOrder[] BuyNodes = [];
    public RestingOrder[] SellNodes = [];
    public AuctionFill[] BuyFills = [];
    public AuctionFill[] SellFills = [];
    public AuctionMatch[] Matches = [];
    public int BuyCount;
    public int SellCount;

    public void EnsureLevels(bool isBid, int count)
    {
        ref AuctionLevel[] levels = ref isBid ? ref BidLevels : ref AskLevels;
        if (levels.Length < count)
        {
            levels = new AuctionLevel[Grow(levels.Length, count)];
        }
    }

    public void EnsureOrders(bool isBid, int count)
    {
        ref AuctionOrder[] orders = ref isBid ? ref BuyOrders : ref SellOrders;
        ref RestingOrder[] nodes = ref isBid ? ref BuyNodes : ref SellNodes;
        ref AuctionFill[] fills = ref isBid ? ref BuyFills : ref SellFills;
        if (orders.Length < count)
        {
            int size = Grow(orders.Length, count);
            Array.Resize(ref orders, size);
            Array.Resize(ref nodes, size);
            fills = new AuctionFill[size];
        }

        // Pairing writes at most buys + sells - 1 matches.
        int matches = BuyOrders.Length + SellOrders.Length;
        if (Matches.Length < matches)
        {
            Matches = new AuctionMatch[matches];
        }
    }

    /// <summary>Drops the node references so pooled orders are not kept reachable from here.</summary>
    public void ClearNodes()
    {
        Array.Clear(BuyNodes, 0, BuyCount);
        Array.Clear(SellNodes, 0, SellCount);
        BuyCount = 0;
        SellCount = 0;
    }

    private static int Grow(int current, int needed) => Math.Max(needed, Math.Max(16, current * 2));
}
