using MathNet.Numerics.LinearAlgebra;

namespace TradSys.Engine.Risk.Portfolio;

/// <summary>
/// The covariance matrix of the instruments' daily simple returns, for the parametric and Monte Carlo methods:
/// symmetric, finite, with a non-negative diagonal. Positive definiteness is not required here; the Monte Carlo
/// method deals with a matrix that is only semi-definite (see <see cref="MonteCarloVar"/>).
/// </summary>
public sealed class CovarianceMatrix
{
    private CovarianceMatrix(Matrix<double> values) => Values = values;

    /// <summary>Instruments (rows and columns).</summary>
    public int Instruments => Values.RowCount;

    /// <summary>The covariance of the daily returns of instruments i and j.</summary>
    public double this[int i, int j] => Values[i, j];

    internal Matrix<double> Values { get; }

    /// <summary>
    /// The sample covariance (divisor n - 1, unbiased) of the most recent <paramref name="days"/> days of returns,
    /// each instrument's mean removed.
    /// </summary>
    /// <exception cref="RiskInputException">Fewer than 2 days asked for, or more than the history holds.</exception>
    public static CovarianceMatrix FromReturns(ReturnHistory history, int days = 250)
    {
        ArgumentNullException.ThrowIfNull(history);
        var check = new RiskInputCheck();
        check.AtLeast(days, 2, nameof(days));
        var window = check.HasProblems ? history.Returns : history.Window(days, check, nameof(days));
        check.ThrowIfAny();

        var means = window.ColumnSums() / window.RowCount;
        var centred = window.Clone();
        for (int i = 0; i < centred.ColumnCount; i++)
        {
            centred.SetColumn(i, centred.Column(i) - means[i]);
        }

        return new CovarianceMatrix(centred.TransposeThisAndMultiply(centred) / (window.RowCount - 1));
    }

    /// <summary>
    /// Covariance from daily volatilities and a correlation matrix: cov[i, j] = vol[i] x vol[j] x corr[i, j], the form
    /// in which textbooks state their examples.
    /// </summary>
    /// <exception cref="RiskInputException">A negative or non-finite volatility, a correlation matrix of the wrong size,
    /// not symmetric, without ones on its diagonal, or with an entry outside [-1, 1].</exception>
    public static CovarianceMatrix FromVolatilities(ReadOnlySpan<double> dailyVolatilities, double[,] correlations)
    {
        ArgumentNullException.ThrowIfNull(correlations);
        var check = new RiskInputCheck();
        int n = dailyVolatilities.Length;
        if (n == 0)
        {
            check.Add(nameof(dailyVolatilities), "must hold at least one volatility, was empty.");
        }

        for (int i = 0; i < n; i++)
        {
            double v = dailyVolatilities[i];
            if (!double.IsFinite(v) || v < 0)
            {
                check.Add(RiskInputCheck.Invariant($"{nameof(dailyVolatilities)}[{i}]"), RiskInputCheck.Invariant($"must be a finite number of at least 0, was {v}."));
            }
        }

        if (correlations.GetLength(0) != n || correlations.GetLength(1) != n)
        {
            check.Add(nameof(correlations), RiskInputCheck.Invariant($"must be {n} x {n} (one row and column per volatility), was {correlations.GetLength(0)} x {correlations.GetLength(1)}."));
        }
        else
        {
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    double c = correlations[i, j];
                    string field = RiskInputCheck.Invariant($"{nameof(correlations)}[{i}, {j}]");
                    if (!double.IsFinite(c) || c < -1 || c > 1)
                    {
                        check.Add(field, RiskInputCheck.Invariant($"must be a correlation between -1 and 1, was {c}."));
                    }
                    else if (i == j && c != 1)
                    {
                        check.Add(field, RiskInputCheck.Invariant($"must be 1 (an instrument's correlation with itself), was {c}."));
                    }
                    else if (j > i && c != correlations[j, i])
                    {
                        check.Add(field, RiskInputCheck.Invariant($"must equal {nameof(correlations)}[{j}, {i}] ({correlations[j, i]}), was {c}."));
                    }
                }
            }
        }

        check.ThrowIfAny();
        var values = Matrix<double>.Build.Dense(n, n);
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                values[i, j] = dailyVolatilities[i] * dailyVolatilities[j] * correlations[i, j];
            }
        }

        return new CovarianceMatrix(values);
    }

    /// <summary>A covariance matrix of daily returns as given.</summary>
    /// <exception cref="RiskInputException">Not square, empty, not symmetric, not finite, or a negative variance.</exception>
    public static CovarianceMatrix FromArray(double[,] covariance)
    {
        ArgumentNullException.ThrowIfNull(covariance);
        var check = new RiskInputCheck();
        int n = covariance.GetLength(0);
        if (n == 0 || covariance.GetLength(1) != n)
        {
            check.Add(nameof(covariance), RiskInputCheck.Invariant($"must be square and not empty, was {n} x {covariance.GetLength(1)}."));
            check.ThrowIfAny();
        }

        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double c = covariance[i, j];
                string field = RiskInputCheck.Invariant($"{nameof(covariance)}[{i}, {j}]");
                if (!double.IsFinite(c))
                {
                    check.Add(field, RiskInputCheck.Invariant($"must be a finite number, was {c}."));
                }
                else if (i == j && c < 0)
                {
                    check.Add(field, RiskInputCheck.Invariant($"is a variance and must be at least 0, was {c}."));
                }
                else if (j > i && c != covariance[j, i])
                {
                    check.Add(field, RiskInputCheck.Invariant($"must equal {nameof(covariance)}[{j}, {i}] ({covariance[j, i]}): a covariance matrix is symmetric; was {c}."));
                }
            }
        }

        check.ThrowIfAny();
        return new CovarianceMatrix(Matrix<double>.Build.DenseOfArray(covariance));
    }
}
