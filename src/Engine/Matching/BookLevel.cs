namespace TradSys.Engine.Matching;

/// <summary>
/// One price level of one side: an intrusive doubly-linked FIFO of <see cref="RestingOrder"/> nodes
/// (head = oldest = first to trade) with its running total of displayed leaves and order count. Pooled.
/// </summary>
internal sealed class BookLevel
{
    public long Price;
    public RestingOrder? Head;
    public RestingOrder? Tail;

    /// <summary>The sum of what the level's orders show (<see cref="RestingOrder.Visible"/>: leaves, or an iceberg's current slice).</summary>
    public long TotalLeaves;
    public int Count;

    /// <summary>The free-list link while pooled.</summary>
    public BookLevel? NextFree;

    public bool IsEmpty => Count == 0;

    public void Append(RestingOrder order)
    {
        order.Level = this;
        order.Next = null;
        order.Prev = Tail;
        if (Tail is null)
        {
            Head = order;
        }
        else
        {
            Tail.Next = order;
        }

        Tail = order;
        TotalLeaves += order.Visible;
        Count++;
    }

    public void Remove(RestingOrder order)
    {
        if (order.Prev is null)
        {
            Head = order.Next;
        }
        else
        {
            order.Prev.Next = order.Next;
        }

        if (order.Next is null)
        {
            Tail = order.Prev;
        }
        else
        {
            order.Next.Prev = order.Prev;
        }

        TotalLeaves -= order.Visible;
        Count--;
        order.Level = null;
        order.Prev = null;
        order.Next = null;
    }

    public void Clear()
    {
        Price = 0;
        Head = null;
        Tail = null;
        TotalLeaves = 0;
        Count = 0;
        NextFree = null;
    }
}
