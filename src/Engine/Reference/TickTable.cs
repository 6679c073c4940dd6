using System.Globalization;

namespace TradSys.Engine.Reference;

/// <summary>
/// A venue's tick-size table: price bands, each with its own tick. A price is on tick when it is a whole
/// multiple of its band's tick. Immutable; pure integer arithmetic.
/// </summary>
public sealed class TickTable
{
    private readonly TickBand[] bands;

    /// <summary>Creates a table from bands sorted ascending by <see cref="TickBand.FromPrice"/>.</summary>
    /// <param name="bands">The bands: at least one; the first starts at Raw 0; strictly ascending starts;
    /// every tick positive; every band start a multiple of its own tick.</param>
    /// <exception cref="ArgumentException">The bands break one of those rules.</exception>
    public TickTable(IEnumerable<TickBand> bands)
    {
        if (bands is null)
        {
            ThrowHelper.ThrowArgumentNull(nameof(bands));
        }

        TickBand[] copy = [.. bands];
        if (copy.Length == 0)
        {
            ThrowHelper.ThrowArgument("A tick table needs at least one band.", nameof(bands));
        }

        if (copy[0].FromPrice.Raw != 0)
        {
            ThrowHelper.ThrowArgument("The first tick band must start at price 0.", nameof(bands));
        }

        for (int i = 0; i < copy.Length; i++)
        {
            TickBand band = copy[i];
            if (band.TickRaw <= 0)
            {
                ThrowHelper.ThrowArgument(
                    string.Create(CultureInfo.InvariantCulture, $"Tick band {i} (from {band.FromPrice.Raw}) has a non-positive tick {band.TickRaw}."),
                    nameof(bands));
            }

            if (band.FromPrice.Raw % band.TickRaw != 0)
            {
                ThrowHelper.ThrowArgument(
                    string.Create(CultureInfo.InvariantCulture, $"Tick band {i} starts at {band.FromPrice.Raw}, which is not a multiple of its tick {band.TickRaw}."),
                    nameof(bands));
            }

            if (i > 0 && band.FromPrice.Raw <= copy[i - 1].FromPrice.Raw)
            {
                ThrowHelper.ThrowArgument(
                    string.Create(CultureInfo.InvariantCulture, $"Tick bands must be sorted by strictly ascending start price; band {i} starts at {band.FromPrice.Raw}, band {i - 1} at {copy[i - 1].FromPrice.Raw}."),
                    nameof(bands));
            }
        }

        this.bands = copy;
    }

    /// <summary>Creates a table from <c>(fromPrice, tickRaw)</c> pairs; see <see cref="TickTable(IEnumerable{TickBand})"/>.</summary>
    /// <param name="bands">The bands as pairs.</param>
    public TickTable(params (Price FromPrice, long TickRaw)[] bands)
        : this(ToBands(bands))
    {
    }

    /// <summary>A table with one tick everywhere.</summary>
    /// <param name="tickRaw">The tick in raw price units.</param>
    /// <returns>The table.</returns>
    public static TickTable Uniform(long tickRaw) => new([new TickBand(new Price(0), tickRaw)]);

    /// <summary>The bands, ascending.</summary>
    public IReadOnlyList<TickBand> Bands => bands;

    /// <summary>The tick that applies at <paramref name="price"/> (the tick of the band it falls in; the first band's for negative prices).</summary>
    /// <param name="price">The price.</param>
    /// <returns>The tick in raw price units.</returns>
    public long TickAt(Price price) => bands[BandIndex(price.Raw)].TickRaw;

    /// <summary>True when <paramref name="price"/> is non-negative and a whole multiple of its band's tick.</summary>
    /// <param name="price">The price.</param>
    /// <returns>Whether the price is on tick.</returns>
    public bool IsOnTick(Price price) => price.Raw >= 0 && price.Raw % TickAt(price) == 0;

    /// <summary>The highest on-tick price at or below <paramref name="price"/>.</summary>
    /// <param name="price">A non-negative price.</param>
    /// <returns>The rounded price.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="price"/> is negative.</exception>
    public Price RoundDownToTick(Price price)
    {
        RequireNonNegative(price);

        // Band starts are multiples of their tick, so flooring never leaves the band.
        long tick = TickAt(price);
        return new Price(price.Raw - (price.Raw % tick));
    }

    /// <summary>The lowest on-tick price at or above <paramref name="price"/>.</summary>
    /// <param name="price">A non-negative price.</param>
    /// <returns>The rounded price (<paramref name="price"/> itself when already on tick).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="price"/> is negative, or no on-tick price at or above it fits a <see cref="long"/>.</exception>
    public Price RoundUpToTick(Price price)
    {
        RequireNonNegative(price);
        int index = BandIndex(price.Raw);
        long tick = bands[index].TickRaw;
        long remainder = price.Raw % tick;
        if (remainder == 0)
        {
            return price;
        }

        long up = price.Raw - remainder;
        if (up > long.MaxValue - tick)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(price), "No on-tick price at or above this price fits a 64-bit integer.");
        }

        up += tick;

        // Rounding up can run past the next band's start; that start is itself on tick and is the lowest such price.
        if (index + 1 < bands.Length && up > bands[index + 1].FromPrice.Raw)
        {
            up = bands[index + 1].FromPrice.Raw;
        }

        return new Price(up);
    }

    private int BandIndex(long raw)
    {
        // Tables have a handful of bands: a backwards scan beats a binary search here.
        for (int i = bands.Length - 1; i > 0; i--)
        {
            if (raw >= bands[i].FromPrice.Raw)
            {
                return i;
            }
        }

        return 0;
    }

    private static void RequireNonNegative(Price price)
    {
        if (price.Raw < 0)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(price), "Tick rounding is defined for non-negative prices only.");
        }
    }

    private static TickBand[] ToBands((Price FromPrice, long TickRaw)[] pairs)
    {
        if (pairs is null)
        {
            ThrowHelper.ThrowArgumentNull(nameof(bands));
        }

        var result = new TickBand[pairs.Length];
        for (int i = 0; i < pairs.Length; i++)
        {
            result[i] = new TickBand(pairs[i].FromPrice, pairs[i].TickRaw);
        }

        return result;
    }
}
