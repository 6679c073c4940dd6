namespace TradSys.Engine.Matching;

/// <summary>
/// The free <see cref="RestingOrder"/> nodes: steady-state trading allocates none. A stack of references in an array, not
/// a list linked through the nodes: renting a node then reads only the array (whose top is in cache), never the node
/// itself, which may be cold (the order that used it left long ago, or it has never been used); the new order's writes
/// to it go through the store buffer without stalling. Preallocated nodes are pushed so that they come out in
/// allocation order (ascending addresses), which the hardware prefetcher follows while fresh nodes last.
/// </summary>
internal sealed class RestingOrderPool
{
    private RestingOrder[] free;
    private int count;

    public RestingOrderPool(int preallocate)
    {
        free = new RestingOrder[Math.Max(16, preallocate)];

        // Filled from the top down: the first node allocated is the first rented.
        for (int i = preallocate - 1; i >= 0; i--)
        {
            free[i] = new RestingOrder();
        }

        count = preallocate;
    }

    public RestingOrder Rent()
    {
        if (count == 0)
        {
            return new RestingOrder();
        }

        RestingOrder node = free[--count];
        free[count] = null!;
        return node;
    }

    /// <summary>
    /// Takes back a node that is in no level and no index. Only its references are cleared (so a pooled node keeps no
    /// other node alive); its values stay until <see cref="RestingOrder.Set"/>, the one way a rented node is filled,
    /// overwrites every one of them.
    /// </summary>
    public void Return(RestingOrder node)
    {
        node.Level = null;
        node.Prev = null;
        node.Next = null;
        if (count == free.Length)
        {
            Array.Resize(ref free, free.Length * 2);
        }

        free[count++] = node;
    }
}

/// <summary>A free-list of <see cref="BookLevel"/> objects.</summary>
internal sealed class BookLevelPool
{
    private BookLevel? free;

    public BookLevelPool(int preallocate)
    {
        for (int i = 0; i < preallocate; i++)
        {
            Return(new BookLevel());
        }
    }

    public BookLevel Rent()
    {
        BookLevel? level = free;
        if (level is null)
        {
            return new BookLevel();
        }

        free = level.NextFree;
        level.NextFree = null;
        return level;
    }

    public void Return(BookLevel level)
    {
        level.Clear();
        level.NextFree = free;
        free = level;
    }
}
