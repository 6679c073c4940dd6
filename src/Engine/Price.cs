namespace TradSys.Engine;

/// <summary>
/// A price as an integer count of the instrument's smallest price unit: <see cref="Raw"/> is in units of
/// 10^-decimals of the instrument's currency, where decimals is <c>InstrumentSpec.PriceDecimals</c>
/// (80.25 EGP with 3 decimals is Raw 80250). The engine only ever compares and copies it.
/// </summary>
/// <param name="Raw">The price in units of 10^-decimals of the currency.</param>
public readonly record struct Price(long Raw) : IComparable<Price>
{
    /// <summary>The zero price: the price carried by market orders.</summary>
    public static Price Zero => default;

    /// <summary>Compares two prices by <see cref="Raw"/>.</summary>
    /// <param name="other">The price to compare with.</param>
    /// <returns>Negative, zero or positive as this price is below, equal to or above <paramref name="other"/>.</returns>
    public int CompareTo(Price other) => Raw.CompareTo(other.Raw);

    /// <summary>True when <paramref name="left"/> is below <paramref name="right"/>.</summary>
    /// <param name="left">The left price.</param>
    /// <param name="right">The right price.</param>
    public static bool operator <(Price left, Price right) => left.Raw < right.Raw;

    /// <summary>True when <paramref name="left"/> is above <paramref name="right"/>.</summary>
    /// <param name="left">The left price.</param>
    /// <param name="right">The right price.</param>
    public static bool operator >(Price left, Price right) => left.Raw > right.Raw;

    /// <summary>True when <paramref name="left"/> is at or below <paramref name="right"/>.</summary>
    /// <param name="left">The left price.</param>
    /// <param name="right">The right price.</param>
    public static bool operator <=(Price left, Price right) => left.Raw <= right.Raw;

    /// <summary>True when <paramref name="left"/> is at or above <paramref name="right"/>.</summary>
    /// <param name="left">The left price.</param>
    /// <param name="right">The right price.</param>
    public static bool operator >=(Price left, Price right) => left.Raw >= right.Raw;

    /// <summary>
    /// Converts a decimal amount to a price with <paramref name="decimals"/> decimal places, exactly.
    /// For the edges of the system (APIs, reference data); never on the hot path.
    /// </summary>
    /// <param name="value">The amount in currency units, e.g. 80.25.</param>
    /// <param name="decimals">The instrument's price decimals, 0 to 18.</param>
    /// <param name="price">The price when representable; otherwise <see cref="Zero"/>.</param>
    /// <returns>False when <paramref name="value"/> has more decimal places than <paramref name="decimals"/>,
    /// does not fit a <see cref="long"/>, or <paramref name="decimals"/> is outside 0 to 18.</returns>
    public static bool TryFromDecimal(decimal value, int decimals, out Price price)
    {
        if (DecimalScaling.TryScale(value, decimals, out long raw))
        {
            price = new Price(raw);
            return true;
        }

        price = Zero;
        return false;
    }

    /// <summary>
    /// Converts a decimal amount to a price, throwing when it is not exactly representable.
    /// Prefer <see cref="TryFromDecimal(decimal, int, out Price)"/> for untrusted input.
    /// </summary>
    /// <param name="value">The amount in currency units.</param>
    /// <param name="decimals">The instrument's price decimals, 0 to 18.</param>
    /// <returns>The price.</returns>
    /// <exception cref="ArgumentException">The value is not representable with <paramref name="decimals"/> places.</exception>
    public static Price FromDecimal(decimal value, int decimals)
    {
        if (!TryFromDecimal(value, decimals, out Price price))
        {
            ThrowHelper.ThrowArgument(
                string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{value} is not representable as a price with {decimals} decimals."),
                nameof(value));
        }

        return price;
    }

    /// <summary>Converts the price back to a decimal amount in currency units. Not for the hot path.</summary>
    /// <param name="decimals">The instrument's price decimals, 0 to 18.</param>
    /// <returns>The amount, e.g. 80.250 for Raw 80250 with 3 decimals.</returns>
    public decimal ToDecimal(int decimals) => DecimalScaling.Unscale(Raw, decimals);
}
