namespace TradSys.Rules.Computations;

/// <summary>
/// Dividend purification: the part of a dividend attributable to non-permissible income, to be given to charity.
/// Two practices exist (DOMAIN.md): index practice (dividend times the non-permissible share of revenue) and
/// an AAOIFI variant (prohibited income per share times shares held, UV).
/// </summary>
public static class ShariaPurification
{
    /// <summary>Index practice: dividend × (non-permissible income ÷ total revenue).</summary>
    /// <param name="dividend">Dividend received.</param>
    /// <param name="nonPermissibleIncome">The issuer's non-permissible income.</param>
    /// <param name="totalRevenue">The issuer's total revenue; the amount is 0 when it is not positive.</param>
    /// <returns>The amount to purify, rounded to 2 decimals away from zero.</returns>
    public static decimal Amount(decimal dividend, decimal nonPermissibleIncome, decimal totalRevenue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(dividend);
        ArgumentOutOfRangeException.ThrowIfNegative(nonPermissibleIncome);
        if (totalRevenue <= 0)
        {
            return 0m;
        }

        decimal ratio = Math.Min(1m, nonPermissibleIncome / totalRevenue);
        return Math.Round(dividend * ratio, 2, MidpointRounding.AwayFromZero);
    }

    /// <summary>AAOIFI variant (UV): prohibited income per share × shares held.</summary>
    /// <param name="prohibitedIncomePerShare">Non-permissible income per share.</param>
    /// <param name="sharesHeld">Shares held over the period.</param>
    /// <returns>The amount to purify, rounded to 2 decimals away from zero.</returns>
    public static decimal AmountPerShare(decimal prohibitedIncomePerShare, long sharesHeld)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(prohibitedIncomePerShare);
        ArgumentOutOfRangeException.ThrowIfNegative(sharesHeld);
        return Math.Round(prohibitedIncomePerShare * sharesHeld, 2, MidpointRounding.AwayFromZero);
    }
}
