namespace TradSys.Client;

/// <summary>What applying a market-data message to a <see cref="BookView"/> did.</summary>
public enum BookChange
{
    /// <summary>The book now reflects the message.</summary>
    Applied,
    /// <summary>An update at or below the book's sequence (already reflected): ignored.</summary>
    Stale,
    /// <summary>An update that skips a sequence (or a restarted server's sequence 1): the book is out of date; subscribe again for a new snapshot.</summary>
    Gap,
    /// <summary>An update before any snapshot: subscribe first.</summary>
    NoSnapshot,
}

/// <summary>
/// One symbol's book as the <c>market_data</c> channel describes it: the snapshot's levels, then each update's changed levels
/// (quantity 0: gone) applied in sequence. A skipped sequence is reported as <see cref="BookChange.Gap"/> rather than guessed over.
/// Not thread-safe: feed it from the loop that reads the stream.
/// </summary>
public sealed class BookView(string symbol, int depth = 10)
{
    private readonly SortedDictionary<decimal, BookLevel> _bids = new(Comparer<decimal>.Create((a, b) => b.CompareTo(a)));
    private readonly SortedDictionary<decimal, BookLevel> _asks = new();

    /// <summary>The symbol this book follows.</summary>
    public string Symbol { get; } = symbol;

    /// <summary>The sequence of the last message applied; 0 before the first snapshot.</summary>
    public long Sequence { get; private set; }

    /// <summary>Level 1 as of <see cref="Sequence"/>.</summary>
    public Quote? Quote { get; private set; }

    /// <summary>Whether the last snapshot applied was one the server sent because this client fell behind.</summary>
    public bool Conflated { get; private set; }

    /// <summary>The bid levels, best (highest) first.</summary>
    public IReadOnlyList<BookLevel> Bids => [.. _bids.Values];

    /// <summary>The ask levels, best (lowest) first.</summary>
    public IReadOnlyList<BookLevel> Asks => [.. _asks.Values];

    /// <summary>Replaces the book with <paramref name="snapshot"/>.</summary>
    public BookChange Apply(MarketDataSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        Check(snapshot.Symbol);
        _bids.Clear();
        _asks.Clear();
        foreach (var level in snapshot.Bids)
        {
            _bids[level.Price] = level;
        }
        foreach (var level in snapshot.Asks)
        {
            _asks[level.Price] = level;
        }
        Sequence = snapshot.Sequence;
        Quote = snapshot.Quote;
        Conflated = snapshot.Conflated;
        return BookChange.Applied;
    }

    /// <summary>Applies <paramref name="update"/> when it is the next sequence; otherwise says why not and changes nothing.</summary>
    public BookChange Apply(MarketDataUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        Check(update.Symbol);
        if (Quote is null)
        {
            return BookChange.NoSnapshot;
        }
        if (update.Sequence <= Sequence && update.Sequence != 1)
        {
            return BookChange.Stale;
        }
        if (update.Sequence != Sequence + 1)
        {
            return BookChange.Gap;
        }
        Change(_bids, update.Bids);
        Change(_asks, update.Asks);
        Sequence = update.Sequence;
        Quote = update.Quote;
        return BookChange.Applied;
    }

    private void Change(SortedDictionary<decimal, BookLevel> side, IReadOnlyList<BookLevel> levels)
    {
        foreach (var level in levels)
        {
            if (level.Quantity == 0)
            {
                side.Remove(level.Price);
            }
            else
            {
                side[level.Price] = level;
            }
        }
        // The server sends the top levels only: a level pushed below them is no longer described, so it is not kept.
        while (side.Count > depth)
        {
            side.Remove(side.Keys.Last());
        }
    }

    private void Check(string symbol)
    {
        if (!string.Equals(symbol, Symbol, StringComparison.Ordinal))
        {
            throw new ArgumentException($"a message of {symbol} applied to the book of {Symbol}", nameof(symbol));
        }
    }
}
