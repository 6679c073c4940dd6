namespace TradSys.Engine;

/// <summary>A quantity of an instrument in whole shares (units).</summary>
/// <param name="Raw">The number of shares.</param>
public readonly record struct Quantity(long Raw) : IComparable<Quantity>
{
    /// <summary>No shares.</summary>
    public static Quantity Zero => default;

    /// <summary>Compares two quantities by <see cref="Raw"/>.</summary>
    /// <param name="other">The quantity to compare with.</param>
    /// <returns>Negative, zero or positive as this quantity is below, equal to or above <paramref name="other"/>.</returns>
    public int CompareTo(Quantity other) => Raw.CompareTo(other.Raw);

    /// <summary>True when <paramref name="left"/> is below <paramref name="right"/>.</summary>
    /// <param name="left">The left quantity.</param>
    /// <param name="right">The right quantity.</param>
    public static bool operator <(Quantity left, Quantity right) => left.Raw < right.Raw;

    /// <summary>True when <paramref name="left"/> is above <paramref name="right"/>.</summary>
    /// <param name="left">The left quantity.</param>
    /// <param name="right">The right quantity.</param>
    public static bool operator >(Quantity left, Quantity right) => left.Raw > right.Raw;

    /// <summary>True when <paramref name="left"/> is at or below <paramref name="right"/>.</summary>
    /// <param name="left">The left quantity.</param>
    /// <param name="right">The right quantity.</param>
    public static bool operator <=(Quantity left, Quantity right) => left.Raw <= right.Raw;

    /// <summary>True when <paramref name="left"/> is at or above <paramref name="right"/>.</summary>
    /// <param name="left">The left quantity.</param>
    /// <param name="right">The right quantity.</param>
    public static bool operator >=(Quantity left, Quantity right) => left.Raw >= right.Raw;

    /// <summary>The sum of two quantities.</summary>
    /// <param name="left">The left quantity.</param>
    /// <param name="right">The right quantity.</param>
    public static Quantity operator +(Quantity left, Quantity right) => new(left.Raw + right.Raw);

    /// <summary>The difference of two quantities.</summary>
    /// <param name="left">The left quantity.</param>
    /// <param name="right">The right quantity.</param>
    public static Quantity operator -(Quantity left, Quantity right) => new(left.Raw - right.Raw);

    /// <summary>Converts a decimal number of shares to a quantity; false unless it is a whole number that fits a <see cref="long"/>. Not for the hot path.</summary>
    /// <param name="value">The number of shares.</param>
    /// <param name="quantity">The quantity when representable; otherwise <see cref="Zero"/>.</param>
    /// <returns>True when <paramref name="value"/> is a whole number of shares.</returns>
    public static bool TryFromDecimal(decimal value, out Quantity quantity)
    {
        if (DecimalScaling.TryScale(value, 0, out long raw))
        {
            quantity = new Quantity(raw);
            return true;
        }

        quantity = Zero;
        return false;
    }

    /// <summary>The quantity as a decimal number of shares. Not for the hot path.</summary>
    /// <returns>The number of shares.</returns>
    public decimal ToDecimal() => Raw;
}
