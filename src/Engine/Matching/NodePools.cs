namespace TradSys.Engine.Matching;

/// <summary>A free-list of <see cref="RestingOrder"/> nodes: steady-state trading allocates none.</summary>
internal sealed class RestingOrderPool
{
    private RestingOrder? free;

    public RestingOrderPool(int preallocate)
    {
        for (int i = 0; i < preallocate; i++)
        {
            Return(new RestingOrder());
        }
    }

    public RestingOrder Rent()
    {
        RestingOrder? node = free;
        if (node is null)
        {
            return new RestingOrder();
        }

        free = node.Next;
        node.Next = null;
        return node;
    }

    public void Return(RestingOrder node)
    {
        node.Clear();
        node.Next = free;
        free = node;
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
