using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Random;

namespace TradSys.Engine.Risk.Portfolio;

/// <summary>
/// Monte Carlo VaR of a linear portfolio. Each path draws m independent standard normals z from a seeded
/// xoshiro256** generator; the instruments' daily returns are x = L z, L the lower Cholesky factor of the covariance
/// C (so x has covariance L L' = C), and the path's P&amp;L is e'x. That P&amp;L is computed as (L'e)'z, the same number
/// up to rounding, so a path costs O(m) rather than O(m^2). Losses are read with the convention of
/// <see cref="ScenarioLosses"/>; longer horizons by the square root of time. The same seed gives the same figures.
/// <para>
/// A covariance estimated from fewer days than instruments, or with two instruments moving in lockstep, is only
/// semi-definite and has no Cholesky factor. Then a small jitter is added to the diagonal, starting at 1e-12 of
/// the mean variance and growing tenfold up to 1e-6 of it, and reported in <see cref="VarEstimate.JitterAdded"/>;
/// beyond that the matrix is refused with an error (it is then not a covariance matrix, or a badly estimated one).
/// </para>
/// </summary>
public static class MonteCarloVar
{
    /// <summary>The default number of paths.</summary>
    public const int DefaultPaths = 10_000;

    private const double FirstJitter = 1e-12;
    private const double LastJitter = 1e-6;

    /// <summary>Simulates <paramref name="paths"/> one-day losses; read VaR and ES off the result with
    /// <see cref="MonteCarloSimulation.Estimate"/> for any confidence and horizon.</summary>
    /// <exception cref="RiskInputException">Exposures do not match the matrix, fewer than 1 path, or a matrix that no
    /// jitter up to 1e-6 of its mean variance makes positive definite.</exception>
    public static MonteCarloSimulation Simulate(ReadOnlySpan<double> exposures, CovarianceMatrix covariance, int seed, int paths = DefaultPaths)
    {
        ArgumentNullException.ThrowIfNull(covariance);
        var check = new RiskInputCheck();
        PortfolioExposures.Check(exposures, covariance.Instruments, "covariance matrix", check);
        check.AtLeast(paths, 1, nameof(paths));
        check.ThrowIfAny();

        var (lower, jitter) = Factor(covariance);
        int m = covariance.Instruments;
        var weights = lower.TransposeThisAndMultiply(Vector<double>.Build.DenseOfArray(exposures.ToArray()));

        var rng = new Xoshiro256StarStar(seed, threadSafe: false);
        var z = new double[m];
        var losses = new double[paths];
        for (int p = 0; p < paths; p++)
        {
            Normal.Samples(rng, z, 0, 1);
            double pnl = 0;
            for (int i = 0; i < m; i++)
            {
                pnl += weights[i] * z[i];
            }

            losses[p] = -pnl;
        }

        return new MonteCarloSimulation(new ScenarioLosses(losses), seed, jitter);
    }

    /// <summary>VaR and ES at one confidence and horizon (a fresh simulation).</summary>
    /// <exception cref="RiskInputException">Any input problem.</exception>
    public static VarEstimate Estimate(ReadOnlySpan<double> exposures, CovarianceMatrix covariance, double confidence, int horizonDays, int seed, int paths = DefaultPaths)
    {
        var check = new RiskInputCheck();
        check.Confidence(confidence, nameof(confidence));
        check.AtLeast(horizonDays, 1, nameof(horizonDays));
        check.ThrowIfAny();
        return Simulate(exposures, covariance, seed, paths).Estimate(confidence, horizonDays);
    }

    /// <summary>The lower Cholesky factor, with the least jitter on the diagonal that makes one exist.</summary>
    private static (Matrix<double> Lower, double Jitter) Factor(CovarianceMatrix covariance)
    {
        var c = covariance.Values;
        double meanVariance = c.Diagonal().Sum() / c.RowCount;
        if (meanVariance <= 0)
        {
            throw RiskInputCheck.Error(nameof(covariance), "has no variance at all (every diagonal element is 0): nothing to simulate.");
        }

        if (TryCholesky(c, out var lower))
        {
            return (lower, 0);
        }

        for (double relative = FirstJitter; relative <= LastJitter * 1.000001; relative *= 10)
        {
            double jitter = relative * meanVariance;
            var shifted = c + Matrix<double>.Build.DenseDiagonal(c.RowCount, c.RowCount, jitter);
            if (TryCholesky(shifted, out lower))
            {
                return (lower, jitter);
            }
        }

        throw RiskInputCheck.Error(nameof(covariance), RiskInputCheck.Invariant(
            $"is not positive semi-definite: no Cholesky factor even with {LastJitter} of the mean variance ({LastJitter * meanVariance}) added to the diagonal."));
    }

    private static bool TryCholesky(Matrix<double> matrix, out Matrix<double> lower)
    {
        // MathNet signals a matrix that is not positive definite with an ArgumentException, and nothing else with one
        // here (the matrix is square and finite, checked when the CovarianceMatrix was built).
        try
        {
            lower = matrix.Cholesky().Factor;
            return true;
        }
        catch (ArgumentException)
        {
            lower = null!;
            return false;
        }
    }
}

/// <summary>The one-day losses of a Monte Carlo run, with the seed and any jitter, to read figures from.</summary>
/// <param name="Losses">The simulated one-day losses.</param>
/// <param name="Seed">The seed that reproduces them.</param>
/// <param name="JitterAdded">Added to each diagonal element of the covariance; 0 when none was needed.</param>
public sealed record MonteCarloSimulation(ScenarioLosses Losses, int Seed, double JitterAdded)
{
    /// <summary>VaR and ES at a confidence, scaled to the horizon by sqrt(h).</summary>
    /// <exception cref="RiskInputException">Confidence outside (0, 1) or too extreme for the paths, or a horizon below 1.</exception>
    public VarEstimate Estimate(double confidence, int horizonDays = 1)
    {
        var check = new RiskInputCheck();
        check.Confidence(confidence, nameof(confidence));
        check.AtLeast(horizonDays, 1, nameof(horizonDays));
        check.ThrowIfAny();
        return Losses.Estimate(VarMethod.MonteCarlo, confidence, horizonDays,
            horizonDays == 1 ? HorizonScaling.None : HorizonScaling.SquareRootOfTime, JitterAdded);
    }
}
