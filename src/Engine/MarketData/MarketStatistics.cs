namespace TradSys.Engine.MarketData;

/// <summary>
/// One instrument's level-1 statistics for the current session: best bid and ask, last trade, volume, traded
/// value, trade count, open, high, low and VWAP. Fed by the engine with every trade and every change of the
/// best prices; each update returns which fields changed so that the caller emits a <see cref="Level1Updated"/>
/// only when something did. Pure, integer-only and allocation-free; not thread-safe (one owner, like the book).
/// </summary>
/// <remarks>
/// Overflow: volume is a <see cref="long"/> of shares and a trade that would overflow it is refused with an
/// <see cref="ArgumentOutOfRangeException"/>, leaving the statistics unchanged. Traded value is an <see cref="Int128"/>
/// sum of raw price x quantity, bounded by max price x volume &lt; 2^63 x 2^63 = 2^126 &lt; <see cref="Int128.MaxValue"/>:
/// it cannot overflow while the volume fits, so it needs no check of its own.
/// </remarks>
public sealed class MarketStatistics
{
    /// <summary>Creates empty statistics for an instrument.</summary>
    /// <param name="instrument">The instrument.</param>
    public MarketStatistics(InstrumentId instrument) => Instrument = instrument;

    /// <summary>The instrument.</summary>
    public InstrumentId Instrument { get; }

    /// <summary>The best bid price; zero when there is no bid.</summary>
    public Price BestBid { get; private set; }

    /// <summary>The quantity at the best bid; zero when there is no bid.</summary>
    public Quantity BestBidQuantity { get; private set; }

    /// <summary>The best ask price; zero when there is no ask.</summary>
    public Price BestAsk { get; private set; }

    /// <summary>The quantity at the best ask; zero when there is no ask.</summary>
    public Quantity BestAskQuantity { get; private set; }

    /// <summary>The last trade's price; zero before the session's first trade.</summary>
    public Price LastPrice { get; private set; }

    /// <summary>The last trade's quantity; zero before the session's first trade.</summary>
    public Quantity LastQuantity { get; private set; }

    /// <summary>The session's cumulative traded quantity: the VWAP's denominator.</summary>
    public Quantity Volume { get; private set; }

    /// <summary>The session's traded value, the sum of raw price x quantity: the VWAP's numerator, exact.</summary>
    public Int128 TradedValue { get; private set; }

    /// <summary>How many trades the session has had.</summary>
    public long TradeCount { get; private set; }

    /// <summary>The session's first trade price; zero before it.</summary>
    public Price Open { get; private set; }

    /// <summary>The session's highest trade price; zero before the first trade.</summary>
    public Price High { get; private set; }

    /// <summary>The session's lowest trade price; zero before the first trade.</summary>
    public Price Low { get; private set; }

    /// <summary>True when the session has had a trade.</summary>
    public bool HasTrades => TradeCount > 0;

    /// <summary>The VWAP as an exact rational in raw price units: <see cref="TradedValue"/> / <see cref="Volume"/>.
    /// The denominator is zero before the session's first trade.</summary>
    public (Int128 Numerator, long Denominator) Vwap => (TradedValue, Volume.Raw);

    /// <summary>The VWAP rounded half to even to a raw price (banker's rounding: no bias over many sessions);
    /// <see cref="Price.Zero"/> before the session's first trade. Not rounded to the tick grid.</summary>
    public Price VwapRoundedHalfEven => Volume.Raw == 0 ? Price.Zero : DivideRoundHalfEven(TradedValue, Volume.Raw);

    /// <summary>Divides a non-negative value by a positive quantity, rounding half to even: the VWAP of any set of trades.</summary>
    /// <param name="numerator">The sum of raw price x quantity; not negative.</param>
    /// <param name="denominator">The sum of quantities; positive.</param>
    /// <returns>The rounded quotient as a raw price.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The numerator is negative, the denominator is not positive, or the quotient does not fit a <see cref="long"/>.</exception>
    public static Price DivideRoundHalfEven(Int128 numerator, long denominator)
    {
        if (numerator < 0 || denominator <= 0)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(denominator), "The VWAP needs a non-negative value and a positive volume.");
        }

        Int128 quotient = Int128.DivRem(numerator, denominator).Quotient;
        Int128 twiceRemainder = 2 * (numerator - (quotient * denominator));
        if (twiceRemainder > denominator || (twiceRemainder == denominator && !Int128.IsEvenInteger(quotient)))
        {
            quotient++;
        }

        if (quotient > long.MaxValue)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(numerator), "The quotient does not fit a price.");
        }

        return new Price((long)quotient);
    }

    /// <summary>Records a trade of the session.</summary>
    /// <param name="price">The trade price; positive.</param>
    /// <param name="quantity">The traded quantity; positive.</param>
    /// <returns>The fields that changed: always <see cref="Level1Changes.Trade"/>, plus open, high and low when they moved.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The price or quantity is not positive, or the volume would overflow.</exception>
    public Level1Changes RecordTrade(Price price, Quantity quantity)
    {
        if (price.Raw <= 0)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(price), "A trade price must be positive.");
        }

        if (quantity.Raw <= 0)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(quantity), "A trade quantity must be positive.");
        }

        if (Volume.Raw > long.MaxValue - quantity.Raw)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(quantity), "The session volume would overflow.");
        }

        Level1Changes changes = Level1Changes.Trade;
        if (TradeCount == 0)
        {
            Open = price;
            High = price;
            Low = price;
            changes |= Level1Changes.Open | Level1Changes.High | Level1Changes.Low;
        }
        else if (price > High)
        {
            High = price;
            changes |= Level1Changes.High;
        }
        else if (price < Low)
        {
            Low = price;
            changes |= Level1Changes.Low;
        }

        LastPrice = price;
        LastQuantity = quantity;
        Volume += quantity;
        TradedValue += (Int128)price.Raw * quantity.Raw;
        TradeCount++;
        return changes;
    }

    /// <summary>Records the new best price and quantity of one side of the book.</summary>
    /// <param name="side">The side: <see cref="Side.Buy"/> for the bid, <see cref="Side.Sell"/> for the ask.</param>
    /// <param name="price">The new best price; ignored (stored as zero) when <paramref name="quantity"/> is zero.</param>
    /// <param name="quantity">The quantity at the new best price; zero when the side is now empty.</param>
    /// <returns><see cref="Level1Changes.BestBid"/> or <see cref="Level1Changes.BestAsk"/> when it changed, otherwise <see cref="Level1Changes.None"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The quantity is negative, or the price is not positive for a non-empty side.</exception>
    public Level1Changes UpdateBest(Side side, Price price, Quantity quantity)
    {
        if (quantity.Raw < 0)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(quantity), "A best quantity must not be negative.");
        }

        if (quantity.Raw == 0)
        {
            price = Price.Zero;
        }
        else if (price.Raw <= 0)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(price), "A best price must be positive.");
        }

        if (side == Side.Buy)
        {
            if (price == BestBid && quantity == BestBidQuantity)
            {
                return Level1Changes.None;
            }

            (BestBid, BestBidQuantity) = (price, quantity);
            return Level1Changes.BestBid;
        }

        if (price == BestAsk && quantity == BestAskQuantity)
        {
            return Level1Changes.None;
        }

        (BestAsk, BestAskQuantity) = (price, quantity);
        return Level1Changes.BestAsk;
    }

    /// <summary>
    /// Starts a new session: clears the last trade, volume, traded value, trade count, open, high, low and VWAP.
    /// The best bid and ask are kept: they describe the book, whose resting orders outlive the session.
    /// </summary>
    /// <returns><see cref="Level1Changes.SessionReset"/>.</returns>
    public Level1Changes ResetSession()
    {
        LastPrice = Price.Zero;
        LastQuantity = Quantity.Zero;
        Volume = Quantity.Zero;
        TradedValue = Int128.Zero;
        TradeCount = 0;
        Open = Price.Zero;
        High = Price.Zero;
        Low = Price.Zero;
        return Level1Changes.SessionReset;
    }

    /// <summary>The current level-1 state.</summary>
    /// <param name="timestamp">The time of the snapshot in UTC ticks, supplied by the caller (the engine reads no clock).</param>
    /// <returns>The snapshot.</returns>
    public Level1Snapshot Snapshot(long timestamp) => new(
        Instrument,
        BestBid,
        BestBidQuantity,
        BestAsk,
        BestAskQuantity,
        LastPrice,
        LastQuantity,
        Volume,
        TradedValue,
        TradeCount,
        Open,
        High,
        Low,
        VwapRoundedHalfEven,
        timestamp);
}
