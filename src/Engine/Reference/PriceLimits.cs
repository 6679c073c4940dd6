namespace TradSys.Engine.Reference;

/// <summary>
/// Daily price limits as basis points above and below a reference price (e.g. EGX +2000/-2000, ADX +1500/-1000).
/// Both zero means the instrument has no limits. Immutable; integer arithmetic only.
/// </summary>
public sealed record PriceLimits
{
    /// <summary>Creates limits.</summary>
    /// <param name="upBasisPoints">How far above the reference a price may go, in 1/100 of a percent (0 or more).</param>
    /// <param name="downBasisPoints">How far below the reference a price may go, in 1/100 of a percent (0 to 10 000).</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is negative, or the down limit exceeds 10 000.</exception>
    public PriceLimits(int upBasisPoints, int downBasisPoints)
    {
        if (upBasisPoints < 0)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(upBasisPoints), "The up limit must not be negative.");
        }

        if (downBasisPoints is < 0 or > BasisPointsPerUnit)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(downBasisPoints), "The down limit must be between 0 and 10000 basis points.");
        }

        UpBasisPoints = upBasisPoints;
        DownBasisPoints = downBasisPoints;
    }

    private const int BasisPointsPerUnit = 10_000;

    /// <summary>No daily limits: <see cref="Band"/> returns the whole price range.</summary>
    public static PriceLimits None { get; } = new(0, 0);

    /// <summary>How far above the reference a price may go, in basis points.</summary>
    public int UpBasisPoints { get; }

    /// <summary>How far below the reference a price may go, in basis points.</summary>
    public int DownBasisPoints { get; }

    /// <summary>True when both limits are zero: the instrument has no daily limits.</summary>
    public bool IsUnlimited => UpBasisPoints == 0 && DownBasisPoints == 0;

    /// <summary>
    /// The inclusive band of allowed prices around <paramref name="reference"/>, rounded inward to the tick grid:
    /// High is reference x (1 + up) rounded down to tick, Low is reference x (1 - down) rounded up to tick.
    /// When <see cref="IsUnlimited"/>, the band is <c>(0, long.MaxValue)</c>.
    /// </summary>
    /// <param name="reference">The reference price (usually the previous close); not negative.</param>
    /// <param name="ticks">The instrument's tick table.</param>
    /// <returns>The lowest and highest allowed prices.</returns>
    public (Price Low, Price High) Band(Price reference, TickTable ticks)
    {
        if (ticks is null)
        {
            ThrowHelper.ThrowArgumentNull(nameof(ticks));
        }

        if (IsUnlimited)
        {
            return (new Price(0), new Price(long.MaxValue));
        }

        if (reference.Raw < 0)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(reference), "The reference price must not be negative.");
        }

        // Int128 keeps reference x (10000 + up) exact for any long reference.
        Int128 highScaled = (Int128)reference.Raw * (BasisPointsPerUnit + UpBasisPoints);
        Int128 highFloor = highScaled / BasisPointsPerUnit;
        long highRaw = highFloor > long.MaxValue ? long.MaxValue : (long)highFloor;

        Int128 lowScaled = (Int128)reference.Raw * (BasisPointsPerUnit - DownBasisPoints);
        long lowRaw = (long)((lowScaled + (BasisPointsPerUnit - 1)) / BasisPointsPerUnit);

        return (ticks.RoundUpToTick(new Price(lowRaw)), ticks.RoundDownToTick(new Price(highRaw)));
    }
}
