// Invariants of the order book (one per instrument, single writer):
//
// Layout
// - Two sides, bids and asks. Each side is an array of price levels sorted from worst to best, so the
//   best level is the LAST element: consuming the best level is O(1), adding a level is a binary search
//   plus a shift. A level exists only while it holds at least one order (empty levels go back to the pool).
// - Each level is an intrusive doubly-linked FIFO of pooled RestingOrder nodes, oldest at the head,
//   with a running TotalLeaves (= sum of its orders' leaves) and Count (= number of its orders).
// - Every resting order is in exactly one level and in the engine's id index; nothing else is. Every
//   resting order is a limit order with a positive price and Leaves > 0 (0 <= Filled < Quantity).
// - At rest the book is never crossed: best bid < best ask. Matching runs until that holds again.
//
// Priority
// - Price-time: better price first; at the same price, earlier arrival first (FIFO head first).
// - Trades happen at the RESTING order's price; the incoming order is the aggressor.
// - Amend (ModifyOrder): a quantity decrease at the same price keeps the order's place (LostPriority =
//   false). A price change or a quantity increase moves the order to the back of its (new) level
//   (LostPriority = true); if the new price crosses, the order first matches as an aggressor.
// - RestoreOrder appends at the back of its level without matching: replaying resting orders in their
//   original priority order rebuilds the same queues.
//
// Event order (each trade is applied to the book before its events are raised; an accepted limit order
// joins the book only after its matching, when nothing of it is left to trade)
// - Submit: OrderRejected alone; or OrderAccepted, then per match TradeExecuted, OrderFilled(resting),
//   OrderFilled(aggressor), then for a market order with a remainder OrderCanceled(MarketOrderRemainder).
//   A market order that finds no opposite liquidity at all is OrderRejected(NoLiquidity), not accepted.
// - Modify: ModifyRejected alone; or OrderModified, then matches as in Submit (no second OrderAccepted).
// - Cancel: CancelRejected alone; or OrderCanceled(Requested) with the leaves.
//
// Events go to the engine's sink through its type parameter TSink: with a sealed class or a struct sink the JIT
// calls (and can inline) it directly; the host's MatchingEngine uses the IEngineEventSink interface.
//
// Allocation: nodes and levels come from free-lists (levels pre-sized from the engine's order capacity); the hot path uses no LINQ, closures or boxing and
// never throws for business outcomes (reason codes instead).

using TradSys.Engine.Commands;
using TradSys.Engine.Events;

namespace TradSys.Engine.Matching;

/// <summary>The book of one instrument and the matching that keeps it uncrossed. Used only by <see cref="MatchingEngine{TSink}"/>.</summary>
internal sealed class OrderBook<TSink>
    where TSink : IEngineEventSink
{
    private readonly InstrumentId instrument;
    private readonly BookSide bids;
    private readonly BookSide asks;
    private readonly MatchingEngine<TSink> engine;

    public OrderBook(InstrumentId instrument, MatchingEngine<TSink> engine, int initialLevels)
    {
        this.instrument = instrument;
        this.engine = engine;
        bids = new BookSide(isBid: true, initialLevels);
        asks = new BookSide(isBid: false, initialLevels);
    }

    public InstrumentId Instrument => instrument;

    public BookSide Bids => bids;

    public BookSide Asks => asks;

    public BookSide SideOf(Side side) => side == Side.Buy ? bids : asks;

    public BookSide Opposite(Side side) => side == Side.Buy ? asks : bids;

    /// <summary>Submits a new order already checked for shape and duplicates by the engine.</summary>
    public void Submit(in SubmitOrder cmd)
    {
        bool isMarket = cmd.Type == OrderType.Market;
        ref TSink sink = ref engine.Sink;
        if (isMarket && Opposite(cmd.Side).Count == 0)
        {
            sink.On(new OrderRejected(cmd.OrderId, RejectCode.NoLiquidity, cmd.Timestamp));
            return;
        }

        sink.On(new OrderAccepted(cmd.OrderId, instrument, cmd.AccountId, cmd.Side, cmd.Type, cmd.Price, cmd.Quantity, cmd.Timestamp));

        long filled = Match(cmd.OrderId, cmd.AccountId, cmd.Side, isMarket, cmd.Price.Raw, cmd.Quantity.Raw, 0, cmd.Timestamp);
        long leaves = cmd.Quantity.Raw - filled;
        if (leaves == 0)
        {
            return;
        }

        if (isMarket)
        {
            sink.On(new OrderCanceled(cmd.OrderId, new Quantity(leaves), CancelReason.MarketOrderRemainder, cmd.Timestamp));
            return;
        }

        RestingOrder order = engine.OrderPool.Rent();
        order.OrderId = cmd.OrderId;
        order.Instrument = instrument;
        order.AccountId = cmd.AccountId;
        order.Side = cmd.Side;
        order.TimeInForce = cmd.TimeInForce;
        order.Price = cmd.Price.Raw;
        order.Quantity = cmd.Quantity.Raw;
        order.Filled = filled;
        Rest(order);
    }

    /// <summary>Modifies a resting order of this book; the engine has found it and checked the quantity against filled.</summary>
    public void Modify(RestingOrder order, in ModifyOrder cmd)
    {
        long newPrice = cmd.NewPrice.Raw;
        long newQuantity = cmd.NewQuantity.Raw;
        BookLevel level = order.Level!;
        ref TSink sink = ref engine.Sink;

        if (newPrice == order.Price && newQuantity <= order.Quantity)
        {
            // Quantity down at the same price: keep the place in the queue.
            level.TotalLeaves -= order.Quantity - newQuantity;
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
            SideOf(order.Side).GetOrAdd(newPrice, engine.LevelPool).Append(order);
            sink.On(new OrderModified(order.OrderId, cmd.NewPrice, cmd.NewQuantity, new Quantity(order.Leaves), true, cmd.Timestamp));
            return;
        }

        sink.On(new OrderModified(order.OrderId, cmd.NewPrice, cmd.NewQuantity, new Quantity(order.Leaves), true, cmd.Timestamp));
        order.Filled = Match(order.OrderId, order.AccountId, order.Side, false, newPrice, newQuantity, order.Filled, cmd.Timestamp);
        if (order.Leaves == 0)
        {
            engine.Forget(order);
            return;
        }

        SideOf(order.Side).GetOrAdd(order.Price, engine.LevelPool).Append(order);
    }

    /// <summary>Cancels a resting order of this book; the engine has already removed it from its id index.</summary>
    public void Cancel(RestingOrder order, in CancelOrder cmd)
    {
        long leaves = order.Leaves;
        long orderId = order.OrderId;
        RemoveFromLevel(order, order.Level!);
        engine.Release(order);
        engine.Sink.On(new OrderCanceled(orderId, new Quantity(leaves), CancelReason.Requested, cmd.Timestamp));
    }

    /// <summary>Appends a restored order at the back of its level, without matching; the engine has checked it.</summary>
    public void Restore(RestingOrder order)
    {
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

    private void Rest(RestingOrder order)
    {
        SideOf(order.Side).GetOrAdd(order.Price, engine.LevelPool).Append(order);
        engine.Index(order);
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

    /// <summary>
    /// Matches an aggressor against the opposite side in price-time priority until it is filled, the
    /// opposite side is empty, or (for a limit) the best opposite price no longer crosses.
    /// </summary>
    /// <returns>The aggressor's cumulative filled quantity.</returns>
    private long Match(long orderId, long accountId, Side side, bool isMarket, long limitPrice, long quantity, long filled, long timestamp)
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
            long fill = Math.Min(remaining, resting.Leaves);
            long tradeId = engine.TakeTradeId();

            resting.Filled += fill;
            level.TotalLeaves -= fill;
            remaining -= fill;
            filled += fill;

            long restingId = resting.OrderId;
            long restingAccount = resting.AccountId;
            long restingFilled = resting.Filled;
            long restingLeaves = resting.Leaves;
            if (restingLeaves == 0)
            {
                RemoveFromLevel(resting, level);
                engine.Forget(resting);
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
