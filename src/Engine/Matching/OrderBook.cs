// Invariants of the order book (one per instrument, single writer):
//
// Layout
// - Two sides, bids and asks. Each side is an array of price levels sorted from worst to best, so the
//   best level is the LAST element: consuming the best level is O(1), adding a level is a binary search
//   plus a shift. A price's existing level is found without searching, through a direct-mapped price ladder
//   (BookSide's slots, indexed by the price's low bits; the binary search is the fallback when two live prices
//   share a slot). A level exists only while it holds at least one order (empty levels go back to the pool).
// - Each level is an intrusive doubly-linked FIFO of pooled RestingOrder nodes, oldest at the head,
//   with a running TotalLeaves (= sum of its orders' Visible) and Count (= number of its orders).
// - The engine's id index (OrderIndex: open addressing, entries inline, backward-shift deletion) maps every live
//   order's id (resting or pending stop) to its node, and nothing else.
// - Every resting order is in exactly one level and in the engine's id index. Every resting order has a positive
//   price and Leaves > 0 (0 <= Filled < Quantity), and 0 < Visible <= Leaves: Visible = Leaves for a normal order,
//   what is left of the current slice for an iceberg. Resting orders are limit orders, market-to-limit remainders
//   (resting at the price they took) and triggered stop-limit remainders; market and stop orders never rest.
// - Pending stop and stop-limit orders are NOT in the book and not in depth: they wait in two trigger lists of the
//   same shape (BookSide of levels keyed by STOP price, FIFO by acceptance within a stop price) and in the id index.
//   Buy stops are kept lowest stop price first, sell stops highest first: the first to be reached is the "best".
// - Trading modes other than plain continuous matching (call auctions, at-price trading, suspension, closed, price bands) are
//   described and implemented in OrderBook.Auction.cs; Submit and Modify branch there once, on `guarded`. The rules below
//   are those of continuous trading: in a call or a suspension the book may be crossed until it is uncrossed.
// - At rest the book is never crossed: best bid < best ask. Matching runs until that holds again. At rest no pending
//   stop is triggered by the instrument's last trade price (triggering runs until none is).
// - The book keeps its instrument's last trade price (0 before the first trade): the stop trigger.
//
// Priority
// - Price-time: better price first; at the same price, earlier arrival first (FIFO head first).
// - Trades happen at the RESTING order's price; the incoming order is the aggressor.
// - Amend (ModifyOrder): a quantity decrease at the same price keeps the order's place (LostPriority =
//   false). A price change or a quantity increase moves the order to the back of its (new) level
//   (LostPriority = true); if the new price crosses, the order first matches as an aggressor (with its own
//   self-trade prevention mode). A pending stop keeps its place in the trigger list on a quantity decrease or a
//   limit price change alone; a stop price change or a quantity increase moves it to the back of its (new) stop price.
// - RestoreOrder appends at the back of its level (or its stop price) without matching: replaying resting orders
//   and pending stops in their original priority order (GetOrders, GetPendingStops) rebuilds the same queues.
//
// Order types and time in force
// - Limit: DAY, GTC, GTD rest their remainder; IOC cancels it (ImmediateOrCancelRemainder); FOK first counts the
//   quantity that would really execute at acceptable prices (orders that self-trade prevention would cancel do not
//   count; with CancelIncoming/CancelBoth the count stops at the first order of the same account, and icebergs ahead
//   of it count only their displayed slice, since their refreshed slices queue behind it). If that is less than the
//   quantity: OrderAccepted, OrderCanceled(FillOrKillNotFilled) with the whole quantity, no trades; else it fills
//   completely (equivalently: it fills iff a dry run of the matching below, on a copy of the book, fills it
//   completely). GTD's ExpireAt is kept (and hashed) but the engine reads no clock: the host expires DAY and GTD
//   orders with CancelOrder(Reason = Expired).
// - Market: trades at any price; the remainder is canceled (MarketOrderRemainder); FOK is honoured as above.
//   With no opposite liquidity at all: OrderRejected(NoLiquidity), not accepted.
// - Market-to-limit (Eurex / CME): takes the best opposite price on arrival as its limit, trades at that one
//   price only, and its remainder rests there as a limit order with its time in force (IOC/FOK apply as for a
//   limit). OrderAccepted carries that price. With no opposite liquidity: OrderRejected(MarketToLimitNoLiquidity).
// - Stop / stop-limit (DAY, GTC, GTD): accepted into the trigger list. A buy stop triggers when the last trade
//   price >= its stop price, a sell stop when the last trade price <= its stop price. A triggered order leaves the
//   list, OrderTriggered(last trade price) is raised, and it trades as a market order (stop: remainder canceled,
//   MarketOrderRemainder, even with no liquidity at all) or as a limit order at its price (stop-limit: remainder
//   rests at the back of its level, with its time in force). A stop whose stop price is already reached when it is
//   submitted (or amended) triggers at once, in the same command; before the instrument's first trade nothing triggers.
// - Trigger order: triggering is checked after a command's matching is done (submit, amend; a cancel trades
//   nothing), against the instrument's last trade price. Triggered stops are processed ONE AT A TIME: the buy
//   stop with the lowest stop price first (then the next lowest...), the sell stop with the highest stop price
//   first, ties by time of acceptance (an amend of the stop price or a quantity increase counts as a new
//   acceptance); after each one's matching the last trade price is read again and the next stop is chosen afresh
//   from those the NEW price reaches, so its trades can trigger more (a cascade) until none triggers, and a stop
//   that was reached before but no longer is stays pending. If buy and sell stops are triggered at once, buys go
//   first: with a last trade price that can only happen on the instrument's first trade (at rest all buy stops are
//   above the last price and all sell stops below it, and one price move reaches only one side).
// - Iceberg (limit order with DisplayQuantity, DAY/GTC/GTD only): only the current slice (Visible) sits in the
//   queue and shows in depth. When a slice is fully executed and leaves remain, a new slice of
//   min(display, leaves) goes to the BACK of the same level; the aggressor keeps matching the level (and reaches
//   the refreshed slice if nothing else is left before it). No event marks a refresh: depth (GetDepth) shows the
//   displayed total, and OrderFilled's cumulative/leaves are always for the whole order. An incoming iceberg
//   trades its full quantity as an aggressor; only its resting remainder is sliced. Amend of an iceberg: a
//   quantity decrease keeps the place and shrinks the current slice only if the leaves fall below it; a price
//   change or a quantity increase goes to the back with a fresh slice. The display quantity cannot be amended.
// - Self-trade prevention (the INCOMING order's mode; a self-trade is a would-be match of two orders of the same
//   account): CancelResting cancels the resting order (OrderCanceled SelfTradePrevention) and keeps matching;
//   CancelIncoming cancels the incoming remainder (OrderCanceled SelfTradePrevention) and stops; CancelBoth does
//   both, resting first. None trades normally.
//
// Event order (each trade is applied to the book before its events are raised; an accepted limit order
// joins the book only after its matching, when nothing of it is left to trade)
// - Submit: OrderRejected alone; or OrderAccepted, then per match TradeExecuted, OrderFilled(resting),
//   OrderFilled(aggressor) (a resting order canceled by self-trade prevention: its OrderCanceled, in place of a
//   match), then for a remainder that does not rest its OrderCanceled (reason: SelfTradePrevention, else
//   MarketOrderRemainder, else ImmediateOrCancelRemainder), then any triggered stops, each: OrderTriggered, its
//   matches, its OrderCanceled if its remainder does not rest.
// - Modify: ModifyRejected alone, with the first code that applies: UnknownOrder; for a resting order
//   StopPriceNotAllowed (a stop price given), QuantityNotAboveFilled, QuantityAboveMaximum, NonPositivePrice,
//   NothingToModify (same price and quantity); for a pending stop QuantityNotAboveFilled, QuantityAboveMaximum,
//   MarketOrderHasPrice (a stop with a non-zero price) or NonPositivePrice (a stop-limit without one), NonPositivePrice
//   (a negative stop price), NothingToModify (same price, quantity and stop price; a zero stop price means the
//   same). Or OrderModified, then matches as in Submit (no second OrderAccepted), then triggers.
// - Cancel: CancelRejected alone; or OrderCanceled(Requested, or the command's reason) with the leaves.
// - MassCancel: one OrderCanceled(Requested) per matching order: instruments in id order; in each, bids then asks
//   (best level first, queue order), then pending buy stops then sell stops (trigger order).
//
// Events go to the engine's sink through its type parameter TSink: with a sealed class or a struct sink the JIT
// calls (and can inline) it directly; the host's MatchingEngine uses the IEngineEventSink interface.
//
// Allocation: nodes and levels come from pools (an array stack of nodes and a free-list of levels, both pre-sized
// from the engine's order capacity; trigger lists start small and grow once); the hot path uses no LINQ, closures or boxing and never throws for business
// outcomes (reason codes instead).

using TradSys.Engine.Commands;
using TradSys.Engine.Events;

namespace TradSys.Engine.Matching;

/// <summary>The book of one instrument and the matching that keeps it uncrossed. Used only by <see cref="MatchingEngine{TSink}"/>.</summary>
internal sealed partial class OrderBook<TSink>
    where TSink : IEngineEventSink
{
    private const int InitialStopLevels = 16;

    private readonly InstrumentId instrument;
    private readonly BookSide bids;
    private readonly BookSide asks;

    // Trigger lists: the "best" stop level is the first the last trade price reaches.
    private readonly BookSide buyStops;
    private readonly BookSide sellStops;
    private readonly MatchingEngine<TSink> engine;

    /// <summary>The last trade price; 0 before the first trade.</summary>
    private long lastTradePrice;

    /// <summary>Set by <see cref="Match"/> when self-trade prevention stopped the aggressor.</summary>
    private bool stpStopped;

    public OrderBook(InstrumentId instrument, MatchingEngine<TSink> engine, int initialLevels)
    {
        this.instrument = instrument;
        this.engine = engine;
        bids = new BookSide(isBid: true, initialLevels);
        asks = new BookSide(isBid: false, initialLevels);
        buyStops = new BookSide(isBid: false, InitialStopLevels);
        sellStops = new BookSide(isBid: true, InitialStopLevels);
    }

    public InstrumentId Instrument => instrument;

    public BookSide Bids => bids;

    public BookSide Asks => asks;

    public BookSide BuyStops => buyStops;

    public BookSide SellStops => sellStops;

    public long LastTradePrice
    {
        get => lastTradePrice;
        set => lastTradePrice = value;
    }

    public BookSide SideOf(Side side) => side == Side.Buy ? bids : asks;

    public BookSide Opposite(Side side) => side == Side.Buy ? asks : bids;

    public BookSide StopsOf(Side side) => side == Side.Buy ? buyStops : sellStops;

    /// <summary>Submits a new order already checked for shape and duplicates by the engine.</summary>
    public void Submit(in SubmitOrder cmd)
    {
        // The one branch the plain continuous path pays for auctions, at-price trading, suspension and price bands.
        if (guarded)
        {
            SubmitGuarded(in cmd);
            return;
        }

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
        if (cmd.TimeInForce == TimeInForce.Fok && Executable(cmd.Side, isMarket, limit, cmd.AccountId, cmd.SelfTradePrevention, quantity) < quantity)
        {
            sink.On(new OrderCanceled(cmd.OrderId, cmd.Quantity, CancelReason.FillOrKillNotFilled, cmd.Timestamp));
            return;
        }

        // Most limit orders do not cross: they skip the matching loop's call (its first test is this one).
        stpStopped = false;
        long filled = isMarket || Crosses(cmd.Side, limit)
            ? Match(cmd.OrderId, cmd.AccountId, cmd.Side, isMarket, limit, quantity, 0, cmd.SelfTradePrevention, cmd.Timestamp)
            : 0;
        long leaves = quantity - filled;
        if (leaves != 0)
        {
            CancelReason reason = RemainderReason(isMarket, cmd.TimeInForce);
            if (reason != 0)
            {
                sink.On(new OrderCanceled(cmd.OrderId, new Quantity(leaves), reason, cmd.Timestamp));
            }
            else
            {
                RestingOrder order = engine.OrderPool.Rent();
                order.Set(cmd.OrderId, instrument, cmd.AccountId, cmd.Side, cmd.TimeInForce, type, cmd.SelfTradePrevention,
                    limit, quantity, filled, stopPrice: 0, cmd.DisplayQuantity.Raw, cmd.ExpireAt, isPendingStop: false);
                SideOf(order.Side).GetOrAdd(order.Price, engine.LevelPool).Append(order);
                engine.Index(order);
            }
        }

        if (filled != 0)
        {
            RunTriggers(cmd.Timestamp);
        }
    }

    /// <summary>Modifies a resting order or a pending stop of this book; the engine has found it and checked the request.</summary>
    public void Modify(RestingOrder order, in ModifyOrder cmd)
    {
        if (order.IsPendingStop)
        {
            ModifyStop(order, in cmd);
            return;
        }

        if (guarded)
        {
            ModifyGuarded(order, in cmd);
            return;
        }

        long newPrice = cmd.NewPrice.Raw;
        long newQuantity = cmd.NewQuantity.Raw;
        BookLevel level = order.Level!;
        ref TSink sink = ref engine.Sink;

        if (newPrice == order.Price && newQuantity <= order.Quantity)
        {
            // Quantity down at the same price: keep the place in the queue (an iceberg's slice shrinks only if the leaves do).
            long newLeaves = newQuantity - order.Filled;
            long newVisible = order.Display == 0 ? newLeaves : Math.Min(order.Visible, newLeaves);
            level.TotalLeaves -= order.Visible - newVisible;
            order.Visible = newVisible;
            order.Quantity = newQuantity;
            sink.On(new OrderModified(order.OrderId, cmd.NewPrice, cmd.NewQuantity, new Quantity(order.Leaves), false, cmd.Timestamp));
            return;
        }

        // Price change or quantity up: leave the queue, then re-enter at the back (after matching if it crosses).
        RemoveFromLevel(order, level);
        order.Price = newPrice;
        order.Quantity = newQuantity;

        if (!Crosses(order.Side, newPrice))
        {
            order.Visible = order.FreshSlice;
            SideOf(order.Side).GetOrAdd(newPrice, engine.LevelPool).Append(order);
            sink.On(new OrderModified(order.OrderId, cmd.NewPrice, cmd.NewQuantity, new Quantity(order.Leaves), true, cmd.Timestamp));
            return;
        }

        sink.On(new OrderModified(order.OrderId, cmd.NewPrice, cmd.NewQuantity, new Quantity(order.Leaves), true, cmd.Timestamp));
        stpStopped = false;
        long before = order.Filled;
        order.Filled = Match(order.OrderId, order.AccountId, order.Side, false, newPrice, newQuantity, before, order.Stp, cmd.Timestamp);
        bool traded = order.Filled != before;
        FinishAggressor(order, false, cmd.Timestamp);
        if (traded)
        {
            RunTriggers(cmd.Timestamp);
        }
    }

    /// <summary>Cancels a resting order or a pending stop of this book; the engine has already removed it from its id index.</summary>
    public void Cancel(RestingOrder order, in CancelOrder cmd)
    {
        long leaves = order.Leaves;
        long orderId = order.OrderId;
        Unlink(order);
        engine.Release(order);
        engine.Sink.On(new OrderCanceled(orderId, new Quantity(leaves), cmd.Reason, cmd.Timestamp));
    }

    /// <summary>Cancels every resting order and pending stop of this book (of one account, or of all when <paramref name="accountId"/> is null).</summary>
    /// <returns>How many orders were canceled.</returns>
    public int CancelAll(long? accountId, long timestamp) =>
        CancelAll(bids, accountId, timestamp)
        + CancelAll(asks, accountId, timestamp)
        + CancelAll(buyStops, accountId, timestamp)
        + CancelAll(sellStops, accountId, timestamp);

    /// <summary>Appends a restored order at the back of its level (or its stop price), without matching; the engine has checked it.</summary>
    public void Restore(RestingOrder order)
    {
        if (order.Type == OrderType.Market)
        {
            // A market order held for the uncross (restored mid-call) waits at its side's sentinel price.
            order.Price = HeldMarketPrice(order.Side);
        }

        if (order.IsPendingStop)
        {
            StopsOf(order.Side).GetOrAdd(order.StopPrice, engine.LevelPool).Append(order);
            engine.PendingStops++;
            return;
        }

        SideOf(order.Side).GetOrAdd(order.Price, engine.LevelPool).Append(order);
    }

    /// <summary>True when a limit order at <paramref name="price"/> on <paramref name="side"/> would trade against the opposite best.</summary>
    public bool Crosses(Side side, long price)
    {
        BookLevel? best = Opposite(side).Best;
        if (best is null)
        {
            return false;
        }

        return side == Side.Buy ? best.Price <= price : best.Price >= price;
    }

    private CancelReason RemainderReason(bool isMarket, TimeInForce timeInForce) =>
        stpStopped ? CancelReason.SelfTradePrevention
        : isMarket ? CancelReason.MarketOrderRemainder
        : timeInForce is TimeInForce.Ioc or TimeInForce.Fok ? CancelReason.ImmediateOrCancelRemainder
        : 0;

    private void SubmitStop(in SubmitOrder cmd)
    {
        engine.Sink.On(new OrderAccepted(cmd.OrderId, instrument, cmd.AccountId, cmd.Side, cmd.Type, cmd.Price, cmd.Quantity, cmd.Timestamp));

        // A stop is never an iceberg (the validator refuses one): its slice is its whole quantity.
        RestingOrder order = engine.OrderPool.Rent();
        order.Set(cmd.OrderId, instrument, cmd.AccountId, cmd.Side, cmd.TimeInForce, cmd.Type, cmd.SelfTradePrevention,
            cmd.Price.Raw, cmd.Quantity.Raw, filled: 0, cmd.StopPrice.Raw, display: 0, cmd.ExpireAt, isPendingStop: true);
        StopsOf(order.Side).GetOrAdd(order.StopPrice, engine.LevelPool).Append(order);
        engine.PendingStops++;
        engine.Index(order);

        // A stop whose stop price is already reached triggers at once.
        RunTriggers(cmd.Timestamp);
    }

    private void ModifyStop(RestingOrder order, in ModifyOrder cmd)
    {
        long newStop = cmd.NewStopPrice.Raw == 0 ? order.StopPrice : cmd.NewStopPrice.Raw;
        long newQuantity = cmd.NewQuantity.Raw;

        // The limit price of a stop-limit does not take part in trigger priority: changing it alone keeps the place.
        bool keepsPriority = newStop == order.StopPrice && newQuantity <= order.Quantity;
        order.Price = cmd.NewPrice.Raw;
        if (keepsPriority)
        {
            order.Level!.TotalLeaves -= order.Quantity - newQuantity;
            order.Quantity = newQuantity;
            order.Visible = newQuantity;
        }
        else
        {
            Unlink(order);
            order.Quantity = newQuantity;
            order.StopPrice = newStop;
            order.Visible = newQuantity;
            StopsOf(order.Side).GetOrAdd(newStop, engine.LevelPool).Append(order);
            engine.PendingStops++;
        }

        engine.Sink.On(new OrderModified(order.OrderId, cmd.NewPrice, cmd.NewQuantity, new Quantity(order.Leaves), !keepsPriority, cmd.Timestamp,
            new Price(order.StopPrice)));

        // The new stop price may already be reached.
        RunTriggers(cmd.Timestamp);
    }

    /// <summary>Triggers pending stops, one at a time in the documented order, until none is reached by the last trade price.</summary>
    private void RunTriggers(long timestamp)
    {
        long last = lastTradePrice;
        while (last != 0)
        {
            RestingOrder? next = null;
            BookLevel? buy = buyStops.Best;
            if (buy is not null && buy.Price <= last)
            {
                next = buy.Head;
            }
            else
            {
                BookLevel? sell = sellStops.Best;
                if (sell is not null && sell.Price >= last)
                {
                    next = sell.Head;
                }
            }

            // Stops trigger only in continuous trading (not during a call, a suspension or at-price trading).
            if (next is null || mode != TradingMode.Continuous)
            {
                return;
            }

            Trigger(next, last, timestamp);
            last = lastTradePrice;
        }
    }

    private void Trigger(RestingOrder order, long last, long timestamp)
    {
        Unlink(order);
        order.IsPendingStop = false;
        engine.Sink.On(new OrderTriggered(order.OrderId, new Price(last), timestamp));

        bool isMarket = order.Type == OrderType.Stop;
        stpStopped = false;
        order.Filled = guarded
            ? MatchBanded(order.OrderId, order.AccountId, order.Side, isMarket, order.Price, order.Quantity, order.Filled, order.Stp, timestamp)
            : Match(order.OrderId, order.AccountId, order.Side, isMarket, order.Price, order.Quantity, order.Filled, order.Stp, timestamp);
        FinishAggressor(order, isMarket, timestamp);
    }

    /// <summary>After an order already in the id index has aggressed: forget it if filled, cancel a remainder that may not rest, or rest it.</summary>
    private void FinishAggressor(RestingOrder order, bool isMarket, long timestamp)
    {
        long leaves = order.Leaves;
        if (leaves == 0)
        {
            engine.Forget(order);
            return;
        }

        CancelReason reason = RemainderReason(isMarket, order.TimeInForce);
        if (reason != 0)
        {
            long orderId = order.OrderId;
            engine.Forget(order);
            engine.Sink.On(new OrderCanceled(orderId, new Quantity(leaves), reason, timestamp));
            return;
        }

        order.Visible = order.FreshSlice;
        SideOf(order.Side).GetOrAdd(order.Price, engine.LevelPool).Append(order);
    }

    /// <summary>Takes an order out of its level (book or trigger list), returning the level to the pool when it empties.</summary>
    private void Unlink(RestingOrder order)
    {
        BookLevel level = order.Level!;
        level.Remove(order);
        if (level.IsEmpty)
        {
            (order.IsPendingStop ? StopsOf(order.Side) : SideOf(order.Side)).RemoveLevel(level);
            engine.LevelPool.Return(level);
        }

        if (order.IsPendingStop)
        {
            engine.PendingStops--;
        }
    }

    private void RemoveFromLevel(RestingOrder order, BookLevel level)
    {
        level.Remove(order);
        if (level.IsEmpty)
        {
            SideOf(order.Side).RemoveLevel(level);
            engine.LevelPool.Return(level);
        }
    }

    private int CancelAll(BookSide side, long? accountId, long timestamp)
    {
        int canceled = 0;

        // Best level first. Array positions are walked downwards: removing level i shifts only levels above i, already walked.
        for (int i = side.Count - 1; i >= 0; i--)
        {
            RestingOrder? order = side.LevelAt(i).Head;
            while (order is not null)
            {
                RestingOrder? next = order.Next;
                if (accountId is null || order.AccountId == accountId.GetValueOrDefault())
                {
                    long orderId = order.OrderId;
                    long leaves = order.Leaves;
                    Unlink(order);
                    engine.Forget(order);
                    engine.Sink.On(new OrderCanceled(orderId, new Quantity(leaves), CancelReason.Requested, timestamp));
                    canceled++;
                }

                order = next;
            }
        }

        return canceled;
    }

    /// <summary>
    /// What a fill-or-kill order would really execute (stopping once <paramref name="needed"/> is reached): every order at an
    /// acceptable price, except those self-trade prevention would cancel, and none from the first order of the same account
    /// on when prevention would stop the incoming order there (icebergs before it count only their displayed slice).
    /// </summary>
    private long Executable(Side side, bool isMarket, long limitPrice, long accountId, SelfTradePrevention stp, long needed)
    {
        BookSide opposite = Opposite(side);
        bool isBuy = side == Side.Buy;
        bool stopsAtSelf = stp is SelfTradePrevention.CancelIncoming or SelfTradePrevention.CancelBoth;
        long total = 0;
        for (int i = 0; i < opposite.Count; i++)
        {
            BookLevel level = opposite.LevelFromBest(i);
            if (!isMarket && (isBuy ? level.Price > limitPrice : level.Price < limitPrice))
            {
                break;
            }

            long shown = 0;
            long all = 0;
            for (RestingOrder? order = level.Head; order is not null; order = order.Next)
            {
                if (stp != SelfTradePrevention.None && order.AccountId == accountId)
                {
                    if (stopsAtSelf)
                    {
                        return total + shown;
                    }

                    continue;
                }

                shown += order.Visible;
                all += order.Leaves;
            }

            total += all;
            if (total >= needed)
            {
                break;
            }
        }

        return total;
    }

    /// <summary>
    /// Matches an aggressor against the opposite side in price-time priority until it is filled, the
    /// opposite side is empty, (for a limit) the best opposite price no longer crosses, or self-trade prevention
    /// stops it (then <see cref="stpStopped"/> is set).
    /// </summary>
    /// <returns>The aggressor's cumulative filled quantity.</returns>
    private long Match(long orderId, long accountId, Side side, bool isMarket, long limitPrice, long quantity, long filled, SelfTradePrevention stp, long timestamp)
    {
        BookSide opposite = Opposite(side);
        ref TSink sink = ref engine.Sink;
        bool isBuy = side == Side.Buy;
        long remaining = quantity - filled;

        while (remaining > 0)
        {
            BookLevel? level = opposite.Best;
            if (level is null)
            {
                break;
            }

            long price = level.Price;
            if (!isMarket && (isBuy ? price > limitPrice : price < limitPrice))
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
            long tradeId = engine.TakeTradeId();

            resting.Filled += fill;
            resting.Visible -= fill;
            level.TotalLeaves -= fill;
            remaining -= fill;
            filled += fill;
            lastTradePrice = price;

            long restingId = resting.OrderId;
            long restingAccount = resting.AccountId;
            long restingFilled = resting.Filled;
            long restingLeaves = resting.Leaves;
            if (resting.Visible == 0)
            {
                if (restingLeaves == 0)
                {
                    RemoveFromLevel(resting, level);
                    engine.Forget(resting);
                }
                else
                {
                    // Iceberg refresh: a new slice goes to the back of the same level.
                    level.Remove(resting);
                    resting.Visible = Math.Min(resting.Display, restingLeaves);
                    level.Append(resting);
                }
            }

            sink.On(new TradeExecuted(
                tradeId,
                instrument,
                new Price(price),
                new Quantity(fill),
                isBuy ? orderId : restingId,
                isBuy ? restingId : orderId,
                isBuy ? accountId : restingAccount,
                isBuy ? restingAccount : accountId,
                side,
                timestamp));
            sink.On(new OrderFilled(restingId, tradeId, new Price(price), new Quantity(fill), new Quantity(restingFilled), new Quantity(restingLeaves), false, timestamp));
            sink.On(new OrderFilled(orderId, tradeId, new Price(price), new Quantity(fill), new Quantity(filled), new Quantity(remaining), true, timestamp));
        }

        return filled;
    }
}
