using MathNet.Numerics.LinearAlgebra;

namespace TradSys.Engine.Risk.Portfolio;

/// <summary>
/// Daily simple returns of a set of instruments, one row a day (oldest first), one column an instrument, in the same
/// order as the exposures a VaR method is given. A simple return is <c>P(t) / P(t-1) - 1</c>: a portfolio's P&amp;L on
/// a day is then exactly the sum of each exposure times its instrument's return (the linear, delta-normal
/// portfolio of Hull's model-building approach; options would need full revaluation, which is not done here).
/// </summary>
public sealed class ReturnHistory
{
    private ReturnHistory(Matrix<double> returns) => Returns = returns;

    /// <summary>Trading days of returns held (rows).</summary>
    public int Days => Returns.RowCount;

    /// <summary>Instruments (columns).</summary>
    public int Instruments => Returns.ColumnCount;

    /// <summary>The return of an instrument on a day (0 = oldest).</summary>
    public double this[int day, int instrument] => Returns[day, instrument];

    internal Matrix<double> Returns { get; }

    /// <summary>
    /// Takes daily simple returns as given: <paramref name="returns"/>[day, instrument], oldest day first. Each must be a
    /// finite number above -1 (a simple return cannot lose more than everything).
    /// </summary>
    /// <exception cref="RiskInputException">The series is empty or holds a value that is not a return.</exception>
    public static ReturnHistory FromReturns(double[,] returns)
    {
        ArgumentNullException.ThrowIfNull(returns);
        var check = new RiskInputCheck();
        int days = returns.GetLength(0), instruments = returns.GetLength(1);
        if (days == 0 || instruments == 0)
        {
            check.Add(nameof(returns), RiskInputCheck.Invariant($"must hold at least one day and one instrument, has {days} days and {instruments} instruments."));
        }

        for (int d = 0; d < days; d++)
        {
            for (int i = 0; i < instruments; i++)
            {
                double r = returns[d, i];
                if (!double.IsFinite(r) || r <= -1)
                {
                    check.Add(RiskInputCheck.Invariant($"{nameof(returns)}[{d}, {i}]"), RiskInputCheck.Invariant($"must be a finite simple return above -1, was {r}."));
                }
            }
        }

        check.ThrowIfAny();
        return new ReturnHistory(Matrix<double>.Build.DenseOfArray(returns));
    }

    /// <summary>
    /// Daily simple returns from daily closing prices: <paramref name="prices"/>[day, instrument], oldest day first,
    /// every price finite and above 0. N days of prices give N - 1 days of returns.
    /// </summary>
    /// <exception cref="RiskInputException">Fewer than two days, or a price that is not a positive number.</exception>
    public static ReturnHistory FromPrices(double[,] prices)
    {
        ArgumentNullException.ThrowIfNull(prices);
        var check = new RiskInputCheck();
        int days = prices.GetLength(0), instruments = prices.GetLength(1);
        if (days < 2 || instruments == 0)
        {
            check.Add(nameof(prices), RiskInputCheck.Invariant($"must hold at least two days and one instrument, has {days} days and {instruments} instruments."));
        }

        for (int d = 0; d < days; d++)
        {
            for (int i = 0; i < instruments; i++)
            {
                check.Positive(prices[d, i], RiskInputCheck.Invariant($"{nameof(prices)}[{d}, {i}]"));
            }
        }

        check.ThrowIfAny();
        var returns = Matrix<double>.Build.Dense(days - 1, instruments);
        for (int i = 0; i < instruments; i++)
        {
            for (int d = 1; d < days; d++)
            {
                returns[d - 1, i] = (prices[d, i] / prices[d - 1, i]) - 1;
            }
        }

        return new ReturnHistory(returns);
    }

    /// <summary>The most recent <paramref name="days"/> rows, checked against what is held.</summary>
    internal Matrix<double> Window(int days, RiskInputCheck check, string field)
    {
        if (days < 1 || days > Days)
        {
            check.Add(field, RiskInputCheck.Invariant($"must be between 1 and the {Days} days of returns held, was {days}."));
            return Returns;
        }

        return days == Days ? Returns : Returns.SubMatrix(Days - days, days, 0, Instruments);
    }
}
