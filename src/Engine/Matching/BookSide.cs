namespace TradSys.Engine.Matching;

/// <summary>
/// One side of a book: its levels in an array sorted from worst to best, so the best level is the last
/// element and removing it is O(1). Levels are ordered by a sort key that is the price for bids and the
/// negated price for asks, so both sides sort ascending by "goodness". The keys are kept in their own array,
/// parallel to the levels, so a search reads one contiguous array instead of one level object per probe.
/// </summary>
/// <remarks>
/// Finding the level of a price does not search the sorted array in the common case: a direct-mapped price ladder
/// (<see cref="slots"/>, a power-of-two array indexed by the price's low bits) holds the level of every price it has room
/// for. Prices are ticks clustered around the market, so while the live prices span fewer ticks than the ladder has
/// slots, every live level has its own slot and a lookup is one array read and one compare, with no rebasing as the
/// market moves (the index wraps). Two live prices that share a slot (the book spans more ticks than the ladder) are
/// still correct: the slot keeps whichever level got it first and the other is found by the binary search, which the
/// ladder only ever short-cuts. Invariant: a non-null slot holds a level that is in this side at a price with the
/// slot's low bits. The sorted array stays the one source of order (best, n-th from best, iteration).
/// </remarks>
internal sealed class BookSide
{
    private const int MinSlots = 64;
    private const int MaxSlots = 1 << 14;

    private readonly bool isBid;
    private readonly BookLevel?[] slots;
    private readonly int slotMask;
    private BookLevel[] levels;
    private long[] keys;
    private int count;

    public BookSide(bool isBid, int initialCapacity)
    {
        this.isBid = isBid;
        levels = new BookLevel[Math.Max(4, initialCapacity)];
        keys = new long[levels.Length];

        // Twice the expected levels (a book's live prices are rarely a dense run of ticks), within [64, 16384] slots.
        int size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Clamp(2 * initialCapacity, MinSlots, MaxSlots));
        slots = new BookLevel?[size];
        slotMask = size - 1;
    }

    public int Count => count;

    public BookLevel? Best => count == 0 ? null : levels[count - 1];

    /// <summary>The level <paramref name="fromBest"/> places behind the best (0 = best).</summary>
    public BookLevel LevelFromBest(int fromBest) => levels[count - 1 - fromBest];

    /// <summary>The level at array position <paramref name="index"/> (0 = worst); lets a caller walk from the best down while removing levels.</summary>
    public BookLevel LevelAt(int index) => levels[index];

    public BookLevel GetOrAdd(long price, BookLevelPool pool)
    {
        ref BookLevel? slot = ref slots[(int)price & slotMask];
        BookLevel? cached = slot;
        if (cached is not null && cached.Price == price)
        {
            return cached;
        }

        BookLevel level = FindOrInsert(price, pool);
        slot ??= level;
        return level;
    }

    /// <summary>The slow path of <see cref="GetOrAdd"/>: binary search, inserting a new level where it belongs if absent.</summary>
    private BookLevel FindOrInsert(long price, BookLevelPool pool)
    {
        int index = Search(price);
        if (index >= 0)
        {
            return levels[index];
        }

        index = ~index;
        if (count == levels.Length)
        {
            Array.Resize(ref levels, levels.Length * 2);
            Array.Resize(ref keys, levels.Length);
        }

        if (index < count)
        {
            Array.Copy(levels, index, levels, index + 1, count - index);
            Array.Copy(keys, index, keys, index + 1, count - index);
        }

        BookLevel level = pool.Rent();
        level.Price = price;
        levels[index] = level;
        keys[index] = KeyOf(price);
        count++;
        return level;
    }

    public void RemoveLevel(BookLevel level)
    {
        ref BookLevel? slot = ref slots[(int)level.Price & slotMask];
        if (ReferenceEquals(slot, level))
        {
            slot = null;
        }

        if (count > 0 && ReferenceEquals(levels[count - 1], level))
        {
            count--;
            levels[count] = null!;
            return;
        }

        int index = Search(level.Price);
        if (index < 0 || !ReferenceEquals(levels[index], level))
        {
            ThrowHelper.ThrowInvalidOperation("Book corrupted: the level to remove is not in its side.");
        }

        Array.Copy(levels, index + 1, levels, index, count - index - 1);
        Array.Copy(keys, index + 1, keys, index, count - index - 1);
        count--;
        levels[count] = null!;
    }

    /// <summary>Binary search by sort key; the index of the level, or the complement of where it would go.</summary>
    private int Search(long price)
    {
        long key = KeyOf(price);
        ReadOnlySpan<long> sorted = keys.AsSpan(0, count);
        int lo = 0;
        int hi = sorted.Length - 1;
        while (lo <= hi)
        {
            int mid = lo + ((hi - lo) >> 1);
            long midKey = sorted[mid];
            if (midKey == key)
            {
                return mid;
            }

            if (midKey < key)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return ~lo;
    }

    private long KeyOf(long price) => isBid ? price : -price;
}
