namespace TradSys.Rules.Computations;

/// <summary>
/// FATCA withholding certificates. A Form W-8BEN stays valid from the day it is signed until the last day of the third
/// calendar year after the year of signing (Treas. Reg. §1.1441-1(e)(4)(ii)(A)), unless a change in circumstances makes it
/// unreliable earlier: signed 15 March 2025, it expires on 31 December 2028.
/// </summary>
public static class FatcaForms
{
    /// <summary>The last day a W-8BEN signed on <paramref name="signedOn"/> is valid: 31 December of the third calendar year after.</summary>
    /// <param name="signedOn">The date the beneficial owner signed the form.</param>
    /// <returns>The expiry date (the form is valid on that day and not after).</returns>
    /// <exception cref="ArgumentOutOfRangeException">The signing year is so late that the expiry is not a representable date.</exception>
    public static DateOnly W8BenExpiresOn(DateOnly signedOn)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(signedOn.Year, DateOnly.MaxValue.Year - 3, nameof(signedOn));
        return new DateOnly(signedOn.Year + 3, 12, 31);
    }
}
