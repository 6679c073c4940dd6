using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

namespace TradSys.Engine.Risk.Portfolio;

/// <summary>
/// Variance-covariance (delta-normal) VaR: the portfolio's one-day P&amp;L is taken as normal with mean zero and
/// standard deviation sigma = sqrt(e' C e) (e the exposures, C the covariance of daily returns), as in Hull's
/// model-building approach (<i>Options, Futures, and Other Derivatives</i>, 10th ed., ch. 22). Over h days,
/// sigma x sqrt(h). With z = N^-1(c):
/// VaR = z x sigma x sqrt(h), ES = sigma x sqrt(h) x phi(z) / (1 - c) (phi the standard normal density).
/// The zero mean is the textbook's and Basel's simplification for short horizons.
/// </summary>
public static class ParametricVar
{
    /// <summary>The one-day standard deviation of the portfolio's P&amp;L, sqrt(e' C e).</summary>
    /// <exception cref="RiskInputException">Exposures do not match the matrix.</exception>
    public static double DailyStandardDeviation(ReadOnlySpan<double> exposures, CovarianceMatrix covariance)
    {
        ArgumentNullException.ThrowIfNull(covariance);
        var check = new RiskInputCheck();
        PortfolioExposures.Check(exposures, covariance.Instruments, "covariance matrix", check);
        check.ThrowIfAny();
        var e = Vector<double>.Build.DenseOfArray(exposures.ToArray());

        // e' C e of a semi-definite C is >= 0 but can come out a hair below 0 in floating point.
        return Math.Sqrt(Math.Max(0, e.DotProduct(covariance.Values * e)));
    }

    /// <summary>VaR and ES at one confidence and horizon.</summary>
    /// <exception cref="RiskInputException">Any input problem, listed together.</exception>
    public static VarEstimate Estimate(ReadOnlySpan<double> exposures, CovarianceMatrix covariance, double confidence, int horizonDays = 1)
    {
        var check = new RiskInputCheck();
        check.Confidence(confidence, nameof(confidence));
        check.AtLeast(horizonDays, 1, nameof(horizonDays));
        check.ThrowIfAny();
        double sigma = DailyStandardDeviation(exposures, covariance) * Math.Sqrt(horizonDays);
        double z = Normal.InvCDF(0, 1, confidence);
        double es = sigma * Normal.PDF(0, 1, z) / (1 - confidence);
        return new VarEstimate(VarMethod.Parametric, confidence, horizonDays, z * sigma, es,
            horizonDays == 1 ? HorizonScaling.None : HorizonScaling.SquareRootOfTime, 0, 0, 0);
    }

    /// <summary>VaR and ES with the covariance estimated from the last <paramref name="days"/> days of returns.</summary>
    /// <exception cref="RiskInputException">Any input problem.</exception>
    public static VarEstimate Estimate(ReadOnlySpan<double> exposures, ReturnHistory history, double confidence, int horizonDays = 1, int days = HistoricalVar.DefaultDays) =>
        Estimate(exposures, CovarianceMatrix.FromReturns(history, days), confidence, horizonDays);
}
