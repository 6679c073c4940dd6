using TradSys.Engine.Commands;
using TradSys.Engine.Events;
using TradSys.Engine.Matching;

namespace TradSys.Engine.Tests.Support;

/// <summary>
/// A deliberately simple reference model of the whole rule set, written from the specification (the invariants
/// header of src/Engine/Matching/OrderBook.cs and the XML docs of the commands, events and MatchingEngine), not from
/// the engine's code: one plain list of resting orders and one of pending stops, every match found by a linear scan
/// for the best price then the lowest sequence number, the next stop to trigger by a linear scan too, and fill-or-kill
/// decided by a dry run of the real matching on a copy of the book. Slow and obviously right; the property tests
/// check that the real engine emits exactly the same events and keeps the same queues.
/// Covers limit, market, market-to-limit, stop and stop-limit orders, DAY/GTC/GTD/IOC/FOK, icebergs, self-trade
/// prevention, amend (resting orders and pending stops), cancel and mass cancel, on one instrument. Assumes commands
/// that pass the host's validation (tick, lots, shapes by type): the engine's shape checks are not modelled.
/// </summary>
public sealed class NaiveBook(InstrumentId instrument, long nextTradeId = 1)
{
    private List<Order> resting = [];
    private readonly List<Order> stops = [];
    private long sequence;
    private long nextTradeId = nextTradeId;
    private long lastTradePrice;

    public List<object> Events { get; } = [];

    public void Submit(SubmitOrder c)
    {
        if (resting.Exists(o => o.Id == c.OrderId) || stops.Exists(o => o.Id == c.OrderId))
        {
            Events.Add(new OrderRejected(c.OrderId, RejectCode.DuplicateOrderId, c.Timestamp));
            return;
        }

        bool hasLiquidity = resting.Exists(o => o.Side != c.Side);
        if (c.Type == OrderType.Market && !hasLiquidity)
        {
            Events.Add(new OrderRejected(c.OrderId, RejectCode.NoLiquidity, c.Timestamp));
            return;
        }

        if (c.Type == OrderType.MarketToLimit && !hasLiquidity)
        {
            Events.Add(new OrderRejected(c.OrderId, RejectCode.MarketToLimitNoLiquidity, c.Timestamp));
            return;
        }

        // A market-to-limit order takes the best opposite price as its limit, and then behaves as a limit order.
        long price = c.Type == OrderType.MarketToLimit
            ? (c.Side == Side.Buy ? resting.Where(o => o.Side == Side.Sell).Min(o => o.Price) : resting.Where(o => o.Side == Side.Buy).Max(o => o.Price))
            : c.Price.Raw;
        var order = new Order
        {
            Id = c.OrderId,
            Account = c.AccountId,
            Side = c.Side,
            Type = c.Type,
            TimeInForce = c.TimeInForce,
            Price = price,
            Quantity = c.Quantity.Raw,
            StopPrice = c.StopPrice.Raw,
            Display = c.DisplayQuantity.Raw,
            ExpireAt = c.ExpireAt,
            Stp = c.SelfTradePrevention,
        };
        Events.Add(new OrderAccepted(c.OrderId, instrument, c.AccountId, c.Side, c.Type, new Price(price), c.Quantity, c.Timestamp));

        if (c.Type is OrderType.Stop or OrderType.StopLimit)
        {
            order.Sequence = ++sequence;
            stops.Add(order);
        }
        else
        {
            Enter(order, c.Timestamp);
        }

        TriggerStops(c.Timestamp);
    }

    public void Modify(ModifyOrder c)
    {
        Order? order = resting.Find(o => o.Id == c.OrderId);
        if (order is not null)
        {
            ModifyResting(order, c);
        }
        else if ((order = stops.Find(o => o.Id == c.OrderId)) is not null)
        {
            ModifyPendingStop(order, c);
        }
        else
        {
            Events.Add(new ModifyRejected(c.OrderId, RejectCode.UnknownOrder, c.Timestamp));
        }
    }

    public void Cancel(CancelOrder c)
    {
        Order? order = resting.Find(o => o.Id == c.OrderId) ?? stops.Find(o => o.Id == c.OrderId);
        if (order is null)
        {
            Events.Add(new CancelRejected(c.OrderId, RejectCode.UnknownOrder, c.Timestamp));
            return;
        }

        resting.Remove(order);
        stops.Remove(order);
        Events.Add(new OrderCanceled(order.Id, new Quantity(order.Leaves), c.Reason, c.Timestamp));
    }

    /// <summary>Bids then asks (best level first, queue order), then buy stops then sell stops (trigger order).</summary>
    public int MassCancel(MassCancel c)
    {
        if (c.Instrument is { } only && only != instrument)
        {
            return 0;
        }

        List<Order> victims =
        [
            .. InPriorityOrder(Side.Buy), .. InPriorityOrder(Side.Sell),
            .. InTriggerOrder(Side.Buy), .. InTriggerOrder(Side.Sell),
        ];
        int canceled = 0;
        foreach (Order order in victims.Where(o => c.AccountId is null || o.Account == c.AccountId))
        {
            resting.Remove(order);
            stops.Remove(order);
            Events.Add(new OrderCanceled(order.Id, new Quantity(order.Leaves), CancelReason.Requested, c.Timestamp));
            canceled++;
        }

        return canceled;
    }

    /// <summary>The L2 view: (price, total displayed, count), best first.</summary>
    public List<(long Price, long Quantity, int Count)> Depth(Side side) =>
        [.. resting.Where(o => o.Side == side)
            .GroupBy(o => o.Price)
            .OrderBy(g => side == Side.Buy ? -g.Key : g.Key)
            .Select(g => (g.Key, g.Sum(o => o.Visible), g.Count()))];

    /// <summary>The resting orders of a side in priority order, as <c>MatchingEngine.GetOrders</c> reports them.</summary>
    public List<OrderView> Orders(Side side) => [.. InPriorityOrder(side).Select(View)];

    /// <summary>The pending stops of a side in trigger order, as <c>MatchingEngine.GetPendingStops</c> reports them.</summary>
    public List<OrderView> PendingStops(Side side) => [.. InTriggerOrder(side).Select(View)];

    /// <summary>A new (or triggered, or amended-to-cross) order on its way in: fill-or-kill check, matching, then rest or cancel.</summary>
    private void Enter(Order order, long timestamp)
    {
        if (order.TimeInForce == TimeInForce.Fok && !WouldFillCompletely(order))
        {
            Events.Add(new OrderCanceled(order.Id, new Quantity(order.Leaves), CancelReason.FillOrKillNotFilled, timestamp));
            return;
        }

        bool stoppedBySelfTradePrevention = Match(order, timestamp, Events);
        if (order.Leaves == 0)
        {
            return;
        }

        CancelReason? reason =
            stoppedBySelfTradePrevention ? CancelReason.SelfTradePrevention
            : IsMarket(order) ? CancelReason.MarketOrderRemainder
            : order.TimeInForce is TimeInForce.Ioc or TimeInForce.Fok ? CancelReason.ImmediateOrCancelRemainder
            : null;
        if (reason is { } why)
        {
            Events.Add(new OrderCanceled(order.Id, new Quantity(order.Leaves), why, timestamp));
            return;
        }

        Rest(order, freshSlice: true);
    }

    /// <summary>
    /// The fill-or-kill rule, taken literally: the quantity that would really execute. Run the real matching on a copy
    /// of the book and see whether the order fills completely.
    /// </summary>
    private bool WouldFillCompletely(Order order)
    {
        List<Order> saved = resting;
        long savedTradeId = nextTradeId;
        long savedSequence = sequence;
        long savedLast = lastTradePrice;
        resting = [.. saved.Select(o => o.Clone())];
        Order copy = order.Clone();
        Match(copy, 0, []);
        resting = saved;
        nextTradeId = savedTradeId;
        sequence = savedSequence;
        lastTradePrice = savedLast;
        return copy.Leaves == 0;
    }

    /// <summary>Matches an aggressor against the book; returns true when self-trade prevention stopped it.</summary>
    private bool Match(Order aggressor, long timestamp, List<object> events)
    {
        while (aggressor.Leaves > 0)
        {
            Order? best = null;
            foreach (Order o in resting)
            {
                if (o.Side != aggressor.Side && Acceptable(aggressor, o.Price) && (best is null || Better(o, best)))
                {
                    best = o;
                }
            }

            if (best is null)
            {
                return false;
            }

            if (best.Account == aggressor.Account && aggressor.Stp != SelfTradePrevention.None)
            {
                if (aggressor.Stp is SelfTradePrevention.CancelResting or SelfTradePrevention.CancelBoth)
                {
                    resting.Remove(best);
                    events.Add(new OrderCanceled(best.Id, new Quantity(best.Leaves), CancelReason.SelfTradePrevention, timestamp));
                }

                if (aggressor.Stp is SelfTradePrevention.CancelIncoming or SelfTradePrevention.CancelBoth)
                {
                    return true;
                }

                continue;
            }

            long fill = Math.Min(aggressor.Leaves, best.Visible);
            long tradeId = nextTradeId++;
            best.Filled += fill;
            best.Visible -= fill;
            aggressor.Filled += fill;
            lastTradePrice = best.Price;
            if (best.Leaves == 0)
            {
                resting.Remove(best);
            }
            else if (best.Visible == 0)
            {
                // An iceberg's slice is used up: a new slice goes to the back of the same level.
                Rest(best, freshSlice: true);
            }

            bool buy = aggressor.Side == Side.Buy;
            events.Add(new TradeExecuted(
                tradeId,
                instrument,
                new Price(best.Price),
                new Quantity(fill),
                buy ? aggressor.Id : best.Id,
                buy ? best.Id : aggressor.Id,
                buy ? aggressor.Account : best.Account,
                buy ? best.Account : aggressor.Account,
                aggressor.Side,
                timestamp));
            events.Add(new OrderFilled(best.Id, tradeId, new Price(best.Price), new Quantity(fill), new Quantity(best.Filled), new Quantity(best.Leaves), false, timestamp));
            events.Add(new OrderFilled(aggressor.Id, tradeId, new Price(best.Price), new Quantity(fill), new Quantity(aggressor.Filled), new Quantity(aggressor.Leaves), true, timestamp));
        }

        return false;
    }

    /// <summary>
    /// After a command's matching: while the last trade price reaches a pending stop, take the first one (buy stops
    /// before sell stops, then trigger order), trigger it and let it trade; then look again.
    /// </summary>
    private void TriggerStops(long timestamp)
    {
        while (lastTradePrice != 0)
        {
            Order? next = InTriggerOrder(Side.Buy).FirstOrDefault(o => lastTradePrice >= o.StopPrice)
                ?? InTriggerOrder(Side.Sell).FirstOrDefault(o => lastTradePrice <= o.StopPrice);
            if (next is null)
            {
                return;
            }

            stops.Remove(next);
            Events.Add(new OrderTriggered(next.Id, new Price(lastTradePrice), timestamp));
            Enter(next, timestamp);
        }
    }

    private void ModifyResting(Order order, ModifyOrder c)
    {
        RejectCode code =
            c.NewStopPrice.Raw != 0 ? RejectCode.StopPriceNotAllowed
            : c.NewQuantity.Raw <= order.Filled ? RejectCode.QuantityNotAboveFilled
            : c.NewQuantity.Raw > MatchingEngine.MaxOrderQuantity ? RejectCode.QuantityAboveMaximum
            : c.NewPrice.Raw <= 0 ? RejectCode.NonPositivePrice
            : c.NewPrice.Raw == order.Price && c.NewQuantity.Raw == order.Quantity ? RejectCode.NothingToModify
            : RejectCode.None;
        if (code != RejectCode.None)
        {
            Events.Add(new ModifyRejected(c.OrderId, code, c.Timestamp));
            return;
        }

        bool keepsPriority = c.NewPrice.Raw == order.Price && c.NewQuantity.Raw < order.Quantity;
        order.Price = c.NewPrice.Raw;
        order.Quantity = c.NewQuantity.Raw;
        Events.Add(new OrderModified(order.Id, c.NewPrice, c.NewQuantity, new Quantity(order.Leaves), !keepsPriority, c.Timestamp));
        if (keepsPriority)
        {
            // Keeps its place; an iceberg's slice shrinks only if the leaves fell below it.
            order.Visible = Math.Min(order.Visible, order.Leaves);
            return;
        }

        // Out of the book, in again as an aggressor at its new terms (it cannot be fill-or-kill: only resting orders get here).
        resting.Remove(order);
        Enter(order, c.Timestamp);
        TriggerStops(c.Timestamp);
    }

    private void ModifyPendingStop(Order order, ModifyOrder c)
    {
        long newStop = c.NewStopPrice.Raw == 0 ? order.StopPrice : c.NewStopPrice.Raw;
        RejectCode code =
            c.NewQuantity.Raw <= 0 ? RejectCode.QuantityNotAboveFilled
            : c.NewQuantity.Raw > MatchingEngine.MaxOrderQuantity ? RejectCode.QuantityAboveMaximum
            : order.Type == OrderType.Stop && c.NewPrice.Raw != 0 ? RejectCode.MarketOrderHasPrice
            : order.Type == OrderType.StopLimit && c.NewPrice.Raw <= 0 ? RejectCode.NonPositivePrice
            : c.NewStopPrice.Raw < 0 ? RejectCode.NonPositivePrice
            : c.NewPrice.Raw == order.Price && c.NewQuantity.Raw == order.Quantity && newStop == order.StopPrice ? RejectCode.NothingToModify
            : RejectCode.None;
        if (code != RejectCode.None)
        {
            Events.Add(new ModifyRejected(c.OrderId, code, c.Timestamp));
            return;
        }

        // A new stop price or a bigger quantity counts as a new acceptance; the limit price alone keeps the place.
        bool losesPriority = newStop != order.StopPrice || c.NewQuantity.Raw > order.Quantity;
        order.Price = c.NewPrice.Raw;
        order.Quantity = c.NewQuantity.Raw;
        order.StopPrice = newStop;
        if (losesPriority)
        {
            order.Sequence = ++sequence;
        }

        Events.Add(new OrderModified(order.Id, c.NewPrice, c.NewQuantity, new Quantity(order.Leaves), losesPriority, c.Timestamp, new Price(newStop)));
        TriggerStops(c.Timestamp);
    }

    private void Rest(Order order, bool freshSlice)
    {
        if (freshSlice)
        {
            order.Visible = order.Display > 0 ? Math.Min(order.Display, order.Leaves) : order.Leaves;
        }

        order.Sequence = ++sequence;
        if (!resting.Contains(order))
        {
            resting.Add(order);
        }
    }

    private IEnumerable<Order> InPriorityOrder(Side side) =>
        resting.Where(o => o.Side == side).OrderBy(o => side == Side.Buy ? -o.Price : o.Price).ThenBy(o => o.Sequence).ToList();

    /// <summary>Buy stops lowest stop price first, sell stops highest first; oldest acceptance first at one stop price.</summary>
    private IEnumerable<Order> InTriggerOrder(Side side) =>
        stops.Where(o => o.Side == side).OrderBy(o => side == Side.Buy ? o.StopPrice : -o.StopPrice).ThenBy(o => o.Sequence).ToList();

    private static bool IsMarket(Order order) => order.Type is OrderType.Market or OrderType.Stop;

    private static bool Acceptable(Order aggressor, long restingPrice) =>
        IsMarket(aggressor) || (aggressor.Side == Side.Buy ? restingPrice <= aggressor.Price : restingPrice >= aggressor.Price);

    private static bool Better(Order a, Order b)
    {
        if (a.Price != b.Price)
        {
            return a.Side == Side.Buy ? a.Price > b.Price : a.Price < b.Price;
        }

        return a.Sequence < b.Sequence;
    }

    private OrderView View(Order o) => new(o.Id, instrument, o.Account, o.Side, new Price(o.Price), new Quantity(o.Quantity), new Quantity(o.Filled), new Quantity(o.Leaves))
    {
        TimeInForce = o.TimeInForce,
        Type = o.Type,
        StopPrice = new Price(o.StopPrice),
        IsPendingStop = stops.Contains(o),
        DisplayQuantity = new Quantity(o.Display),
        Displayed = new Quantity(stops.Contains(o) ? 0 : o.Visible),
        ExpireAt = o.ExpireAt,
        SelfTradePrevention = o.Stp,
    };

    private sealed class Order
    {
        public long Id { get; init; }

        public long Account { get; init; }

        public Side Side { get; init; }

        public OrderType Type { get; init; }

        public TimeInForce TimeInForce { get; init; }

        public long Price { get; set; }

        public long Quantity { get; set; }

        public long Filled { get; set; }

        public long StopPrice { get; set; }

        /// <summary>An iceberg's slice size; zero for a normal order.</summary>
        public long Display { get; init; }

        /// <summary>What is left of the current slice (the leaves for a normal order) while resting.</summary>
        public long Visible { get; set; }

        public long ExpireAt { get; init; }

        public SelfTradePrevention Stp { get; init; }

        /// <summary>Time priority: queue position in the book, acceptance order in the trigger list.</summary>
        public long Sequence { get; set; }

        public long Leaves => Quantity - Filled;

        public Order Clone() => (Order)MemberwiseClone();
    }
}
