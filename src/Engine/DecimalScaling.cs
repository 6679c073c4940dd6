namespace TradSys.Engine;

/// <summary>Exact conversions between decimal amounts and scaled integers, for the edges of the system.</summary>
internal static class DecimalScaling
{
    public const int MaxDecimals = 18;

    public static bool TryScale(decimal value, int decimals, out long raw)
    {
        raw = 0;
        if ((uint)decimals > MaxDecimals)
        {
            return false;
        }

        decimal factor = Pow10(decimals);

        // Bound the magnitude before multiplying so the multiplication itself cannot overflow.
        if (decimal.Abs(value) > long.MaxValue / factor)
        {
            return false;
        }

        decimal scaled = value * factor;
        if (scaled != decimal.Truncate(scaled) || scaled > long.MaxValue || scaled < long.MinValue)
        {
            return false;
        }

        raw = (long)scaled;
        return true;
    }

    public static decimal Unscale(long raw, int decimals)
    {
        if ((uint)decimals > MaxDecimals)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(decimals), "Decimals must be between 0 and 18.");
        }

        return new decimal(raw) / Pow10(decimals);
    }

    private static decimal Pow10(int decimals)
    {
        decimal factor = 1m;
        for (int i = 0; i < decimals; i++)
        {
            factor *= 10m;
        }

        return factor;
    }
}
