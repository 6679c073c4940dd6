using TradSys.Engine.Commands;
using TradSys.Engine.Events;

namespace TradSys.Engine.Tests.Support;

/// <summary>
/// A deliberately simple reference model of the matching rules: one list of resting orders, every match
/// found by scanning for the best price then the lowest arrival sequence. Slow and obviously right; the
/// property tests check the real engine emits exactly the same events. Assumes well-formed commands on one instrument.
/// </summary>
public sealed class NaiveBook(InstrumentId instrument, long nextTradeId = 1)
{
    private readonly List<Resting> resting = [];
    private long sequence;
    private long nextTradeId = nextTradeId;

    public List<object> Events { get; } = [];

    public void Submit(SubmitOrder c)
    {
        if (resting.Exists(o => o.Id == c.OrderId))
        {
            Events.Add(new OrderRejected(c.OrderId, RejectCode.DuplicateOrderId, c.Timestamp));
            return;
        }

        bool isMarket = c.Type == OrderType.Market;
        if (isMarket && !resting.Exists(o => o.Side != c.Side))
        {
            Events.Add(new OrderRejected(c.OrderId, RejectCode.NoLiquidity, c.Timestamp));
            return;
        }

        Events.Add(new OrderAccepted(c.OrderId, instrument, c.AccountId, c.Side, c.Type, c.Price, c.Quantity, c.Timestamp));
        var order = new Resting(c.OrderId, c.AccountId, c.Side, c.Price.Raw, c.Quantity.Raw, 0, 0);
        Match(order, isMarket, c.Timestamp);
        long leaves = order.Quantity - order.Filled;
        if (leaves == 0)
        {
            return;
        }

        if (isMarket)
        {
            Events.Add(new OrderCanceled(c.OrderId, new Quantity(leaves), CancelReason.MarketOrderRemainder, c.Timestamp));
            return;
        }

        order.Sequence = ++sequence;
        resting.Add(order);
    }

    public void Modify(ModifyOrder c)
    {
        Resting? order = resting.Find(o => o.Id == c.OrderId);
        RejectCode code =
            order is null ? RejectCode.UnknownOrder
            : c.NewQuantity.Raw <= order.Filled ? RejectCode.QuantityNotAboveFilled
            : c.NewPrice.Raw <= 0 ? RejectCode.NonPositivePrice
            : c.NewPrice.Raw == order.Price && c.NewQuantity.Raw == order.Quantity ? RejectCode.NothingToModify
            : RejectCode.None;
        if (code != RejectCode.None)
        {
            Events.Add(new ModifyRejected(c.OrderId, code, c.Timestamp));
            return;
        }

        bool keepsPriority = c.NewPrice.Raw == order!.Price && c.NewQuantity.Raw < order.Quantity;
        order.Price = c.NewPrice.Raw;
        order.Quantity = c.NewQuantity.Raw;
        Events.Add(new OrderModified(order.Id, c.NewPrice, c.NewQuantity, new Quantity(order.Quantity - order.Filled), !keepsPriority, c.Timestamp));
        if (keepsPriority)
        {
            return;
        }

        resting.Remove(order);
        Match(order, false, c.Timestamp);
        if (order.Quantity > order.Filled)
        {
            order.Sequence = ++sequence;
            resting.Add(order);
        }
    }

    public void Cancel(CancelOrder c)
    {
        Resting? order = resting.Find(o => o.Id == c.OrderId);
        if (order is null)
        {
            Events.Add(new CancelRejected(c.OrderId, RejectCode.UnknownOrder, c.Timestamp));
            return;
        }

        resting.Remove(order);
        Events.Add(new OrderCanceled(order.Id, new Quantity(order.Quantity - order.Filled), CancelReason.Requested, c.Timestamp));
    }

    /// <summary>The L2 view: (price, total leaves, count), best first.</summary>
    public List<(long Price, long Quantity, int Count)> Depth(Side side) =>
        [.. resting.Where(o => o.Side == side)
            .GroupBy(o => o.Price)
            .OrderBy(g => side == Side.Buy ? -g.Key : g.Key)
            .Select(g => (g.Key, g.Sum(o => o.Quantity - o.Filled), g.Count()))];

    private void Match(Resting aggressor, bool isMarket, long timestamp)
    {
        while (aggressor.Quantity > aggressor.Filled)
        {
            Resting? best = null;
            foreach (Resting o in resting)
            {
                if (o.Side == aggressor.Side)
                {
                    continue;
                }

                bool crosses = isMarket || (aggressor.Side == Side.Buy ? o.Price <= aggressor.Price : o.Price >= aggressor.Price);
                if (!crosses)
                {
                    continue;
                }

                if (best is null || Better(o, best))
                {
                    best = o;
                }
            }

            if (best is null)
            {
                return;
            }

            long fill = Math.Min(aggressor.Quantity - aggressor.Filled, best.Quantity - best.Filled);
            long tradeId = nextTradeId++;
            best.Filled += fill;
            aggressor.Filled += fill;
            bool buy = aggressor.Side == Side.Buy;
            Events.Add(new TradeExecuted(
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
            Events.Add(new OrderFilled(best.Id, tradeId, new Price(best.Price), new Quantity(fill), new Quantity(best.Filled), new Quantity(best.Quantity - best.Filled), false, timestamp));
            Events.Add(new OrderFilled(aggressor.Id, tradeId, new Price(best.Price), new Quantity(fill), new Quantity(aggressor.Filled), new Quantity(aggressor.Quantity - aggressor.Filled), true, timestamp));
            if (best.Quantity == best.Filled)
            {
                resting.Remove(best);
            }
        }
    }

    private static bool Better(Resting a, Resting b)
    {
        if (a.Price != b.Price)
        {
            return a.Side == Side.Buy ? a.Price > b.Price : a.Price < b.Price;
        }

        return a.Sequence < b.Sequence;
    }

    private sealed class Resting(long id, long account, Side side, long price, long quantity, long filled, long sequence)
    {
        public long Id { get; } = id;

        public long Account { get; } = account;

        public Side Side { get; } = side;

        public long Price { get; set; } = price;

        public long Quantity { get; set; } = quantity;

        public long Filled { get; set; } = filled;

        public long Sequence { get; set; } = sequence;
    }
}
