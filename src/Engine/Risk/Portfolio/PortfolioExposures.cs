namespace TradSys.Engine.Risk.Portfolio;

/// <summary>
/// A portfolio as the VaR methods see it: one exposure per instrument, its market value (quantity x price) in the one
/// currency the VaR is reported in, negative for a short position. Converting other currencies first is the caller's job.
/// </summary>
public static class PortfolioExposures
{
    /// <summary>Exposure i = quantities[i] x prices[i].</summary>
    /// <exception cref="RiskInputException">Lengths differ, the portfolio is empty, a quantity is not finite or a price is not positive.</exception>
    public static double[] FromPositions(ReadOnlySpan<double> quantities, ReadOnlySpan<double> prices)
    {
        var check = new RiskInputCheck();
        if (quantities.Length == 0)
        {
            check.Add(nameof(quantities), "must hold at least one position, was empty.");
        }

        if (quantities.Length != prices.Length)
        {
            check.Add(nameof(prices), RiskInputCheck.Invariant($"must hold one price per position: {prices.Length} prices for {quantities.Length} quantities."));
        }

        int n = Math.Min(quantities.Length, prices.Length);
        for (int i = 0; i < n; i++)
        {
            check.Finite(quantities[i], RiskInputCheck.Invariant($"{nameof(quantities)}[{i}]"));
            check.Positive(prices[i], RiskInputCheck.Invariant($"{nameof(prices)}[{i}]"));
        }

        check.ThrowIfAny();
        var exposures = new double[n];
        for (int i = 0; i < n; i++)
        {
            exposures[i] = quantities[i] * prices[i];
        }

        return exposures;
    }

    /// <summary>Checks exposures against the number of instruments a history or covariance matrix has.</summary>
    internal static void Check(ReadOnlySpan<double> exposures, int instruments, string instrumentsSource, RiskInputCheck check)
    {
        if (exposures.Length == 0)
        {
            check.Add(nameof(exposures), "must hold at least one exposure, was empty.");
        }
        else if (exposures.Length != instruments)
        {
            check.Add(nameof(exposures), RiskInputCheck.Invariant($"must hold one exposure per instrument of the {instrumentsSource}: {exposures.Length} exposures for {instruments} instruments."));
        }

        for (int i = 0; i < exposures.Length; i++)
        {
            check.Finite(exposures[i], RiskInputCheck.Invariant($"{nameof(exposures)}[{i}]"));
        }
    }
}
