namespace TradSys.Engine.Tests.Support;

/// <summary>
/// A deliberately simple price-time matcher for gen-orders streams (GTC limit places and cancels, one
/// instrument, no self-trade prevention): sorted price levels of FIFO queues and a map of live ids.
/// Slow and obviously right; the replay tool and the differential test compare the engine's counts with it.
/// </summary>
public sealed class ReferenceMatcher
{
    private sealed class Order(long id, long price, long leaves)
    {
        public long Id { get; } = id;

        public long Price { get; } = price;

        public long Leaves { get; set; } = leaves;
    }

    // Best level first on both sides.
    private readonly SortedDictionary<long, LinkedList<Order>> bids = new(Comparer<long>.Create((a, b) => b.CompareTo(a)));
    private readonly SortedDictionary<long, LinkedList<Order>> asks = new();
    private readonly Dictionary<long, (bool IsBuy, LinkedListNode<Order> Node)> live = [];
    private long trades;
    private long volume;
    private long cancelOk;
    private long cancelMiss;

    public ReplayCheck Check => new(trades, volume, cancelOk, cancelMiss, live.Count);

    public static ReplayCheck Run(ReadOnlySpan<ReplayOp> ops)
    {
        var matcher = new ReferenceMatcher();
        foreach (ReplayOp op in ops)
        {
            matcher.Apply(op);
        }

        return matcher.Check;
    }

    public void Apply(in ReplayOp op)
    {
        if (op.IsCancel)
        {
            Cancel(op.OrderId);
        }
        else
        {
            Place(op.OrderId, op.IsBuy, op.Price, op.Quantity);
        }
    }

    private void Place(long id, bool isBuy, long price, long quantity)
    {
        SortedDictionary<long, LinkedList<Order>> opposite = isBuy ? asks : bids;
        long remaining = quantity;
        while (remaining > 0 && opposite.Count > 0)
        {
            KeyValuePair<long, LinkedList<Order>> best = opposite.First();
            bool crosses = isBuy ? best.Key <= price : best.Key >= price;
            if (!crosses)
            {
                break;
            }

            Order resting = best.Value.First!.Value;
            long fill = Math.Min(remaining, resting.Leaves);
            trades++;
            volume += fill;
            remaining -= fill;
            resting.Leaves -= fill;
            if (resting.Leaves == 0)
            {
                best.Value.RemoveFirst();
                live.Remove(resting.Id);
                if (best.Value.Count == 0)
                {
                    opposite.Remove(best.Key);
                }
            }
        }

        if (remaining == 0)
        {
            return;
        }

        SortedDictionary<long, LinkedList<Order>> own = isBuy ? bids : asks;
        if (!own.TryGetValue(price, out LinkedList<Order>? queue))
        {
            queue = new LinkedList<Order>();
            own.Add(price, queue);
        }

        live.Add(id, (isBuy, queue.AddLast(new Order(id, price, remaining))));
    }

    private void Cancel(long id)
    {
        if (!live.Remove(id, out (bool IsBuy, LinkedListNode<Order> Node) entry))
        {
            cancelMiss++;
            return;
        }

        cancelOk++;
        LinkedList<Order> queue = entry.Node.List!;
        queue.Remove(entry.Node);
        if (queue.Count == 0)
        {
            (entry.IsBuy ? bids : asks).Remove(entry.Node.Value.Price);
        }
    }
}
