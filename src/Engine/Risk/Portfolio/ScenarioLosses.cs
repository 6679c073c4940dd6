namespace TradSys.Engine.Risk.Portfolio;

/// <summary>
/// The losses of a portfolio under a set of equally likely scenarios (historical days or Monte Carlo paths), a loss
/// being the negated P&amp;L (a gain is a negative loss), held sorted from the worst.
/// <para>
/// Quantile convention: with n scenarios and confidence c, k = floor(n x (1 - c)) and the VaR is the k-th worst loss.
/// This is Hull's reading of historical simulation (Hull, <i>Options, Futures, and Other Derivatives</i>, 10th ed.,
/// Pearson 2018, ch. 22 "Value at Risk and Expected Shortfall", historical simulation: with 500 scenarios the one-day
/// 99% VaR is the fifth-worst loss). When n(1 - c) is not a whole number, rounding k down takes the larger loss (the
/// conservative side): 250 days at 99% give the 2nd-worst loss. The expected shortfall is the mean of the k worst
/// losses, the VaR included: the estimator of Acerbi and Tasche, "Expected Shortfall: a natural coherent alternative to
/// Value at Risk", Economic Notes 31(2), 2002, for whole n(1 - c). With k at least 1, ES is never below VaR.
/// </para>
/// </summary>
public sealed class ScenarioLosses
{
    /// <summary>Sorted from the worst (largest) loss.</summary>
    private readonly double[] sorted;

    /// <summary>Takes the scenarios' losses (positive = loss); the array is sorted in place and kept.</summary>
    internal ScenarioLosses(double[] losses)
    {
        sorted = losses;
        Array.Sort(sorted);
        Array.Reverse(sorted);
    }

    /// <summary>Number of scenarios.</summary>
    public int Count => sorted.Length;

    /// <summary>The i-th worst loss (0 = the worst).</summary>
    public double this[int worstFirst] => sorted[worstFirst];

    /// <summary>k = floor(n x (1 - confidence)): how many of the worst scenarios form the tail.</summary>
    /// <exception cref="RiskInputException">Confidence outside (0, 1), or too few scenarios for it (k would be 0).</exception>
    public int TailCount(double confidence)
    {
        var check = new RiskInputCheck();
        check.Confidence(confidence, nameof(confidence));
        check.ThrowIfAny();

        // 1e-9 absorbs binary rounding of 1 - c, so that a whole n(1 - c) never floors to the integer below it.
        int k = (int)Math.Floor((sorted.Length * (1 - confidence)) + 1e-9);
        if (k < 1)
        {
            check.Add(nameof(confidence), RiskInputCheck.Invariant(
                $"{confidence} needs at least {(int)Math.Ceiling((1 / (1 - confidence)) - 1e-9)} scenarios for one to lie in the tail; there are {sorted.Length}."));
            check.ThrowIfAny();
        }

        return k;
    }

    /// <summary>The k-th worst loss (see the class's remarks).</summary>
    public double ValueAtRisk(double confidence) => sorted[TailCount(confidence) - 1];

    /// <summary>The mean of the k worst losses (see the class's remarks).</summary>
    public double ExpectedShortfall(double confidence)
    {
        int k = TailCount(confidence);
        double sum = 0;
        for (int i = 0; i < k; i++)
        {
            sum += sorted[i];
        }

        return sum / k;
    }

    internal VarEstimate Estimate(VarMethod method, double confidence, int horizonDays, HorizonScaling scaling, double jitter)
    {
        int k = TailCount(confidence);
        double factor = scaling == HorizonScaling.SquareRootOfTime ? Math.Sqrt(horizonDays) : 1;
        return new VarEstimate(method, confidence, horizonDays, ValueAtRisk(confidence) * factor, ExpectedShortfall(confidence) * factor,
            scaling, Count, k, jitter);
    }
}
