using TradSys.Engine.Risk;
using TradSys.Engine.Risk.Portfolio;

namespace TradSys.Engine.Tests.Risk.Portfolio;

public class HistoricalVarTests
{
    // A hand-computed series: two instruments, exposures 1,000,000 and 500,000, 20 days of returns in percent. So 1%
    // on A is 10,000 and 1% on B is 5,000, and each day's P&L is worked out beside it.
    private static readonly double[] Exposures = [1_000_000, 500_000];

    private static readonly double[,] ReturnsPercent =
    {
        { 0.5, 0.2 },   //  1:   5,000 +  1,000 =   6,000
        { -1.0, 0.4 },  //  2: -10,000 +  2,000 =  -8,000
        { 0.3, -0.6 },  //  3:   3,000 -  3,000 =       0
        { -2.0, -1.0 }, //  4: -20,000 -  5,000 = -25,000  (worst)
        { 1.2, 0.8 },   //  5:  12,000 +  4,000 =  16,000
        { -0.4, -0.2 }, //  6:  -4,000 -  1,000 =  -5,000
        { 0.1, 0.1 },   //  7:   1,000 +    500 =   1,500
        { -1.5, 1.0 },  //  8: -15,000 +  5,000 = -10,000  (5th worst)
        { 0.7, -0.3 },  //  9:   7,000 -  1,500 =   5,500
        { -0.2, -2.4 }, // 10:  -2,000 - 12,000 = -14,000  (3rd worst)
        { 0.9, 0.5 },   // 11:   9,000 +  2,500 =  11,500
        { -0.6, -0.4 }, // 12:  -6,000 -  2,000 =  -8,000
        { 0.2, 0.0 },   // 13:   2,000 +      0 =   2,000
        { -3.0, 2.0 },  // 14: -30,000 + 10,000 = -20,000  (2nd worst)
        { 0.4, 0.6 },   // 15:   4,000 +  3,000 =   7,000
        { -0.8, -0.8 }, // 16:  -8,000 -  4,000 = -12,000  (4th worst)
        { 1.1, -0.2 },  // 17:  11,000 -  1,000 =  10,000
        { -0.1, 0.3 },  // 18:  -1,000 +  1,500 =     500
        { 0.0, -1.2 },  // 19:       0 -  6,000 =  -6,000
        { 0.6, 0.4 },   // 20:   6,000 +  2,000 =   8,000
    };

    private static ReturnHistory History()
    {
        var returns = new double[20, 2];
        for (int d = 0; d < 20; d++)
        {
            returns[d, 0] = ReturnsPercent[d, 0] / 100;
            returns[d, 1] = ReturnsPercent[d, 1] / 100;
        }

        return ReturnHistory.FromReturns(returns);
    }

    [Theory]
    // Losses from the worst: 25,000, 20,000, 14,000, 12,000, 10,000, 8,000, 8,000 ... k = floor(20 x (1 - c)).
    [InlineData(0.95, 1, 25_000, 25_000)]      // k = 1: the worst; ES its own mean
    [InlineData(0.90, 2, 20_000, 22_500)]      // k = 2: (25,000 + 20,000) / 2
    [InlineData(0.80, 4, 12_000, 17_750)]      // k = 4: (25,000 + 20,000 + 14,000 + 12,000) / 4 = 71,000 / 4
    [InlineData(0.75, 5, 10_000, 16_200)]      // k = 5: 81,000 / 5
    public void One_day_VaR_is_the_kth_worst_loss_and_ES_the_mean_of_the_k_worst(double confidence, int k, double var, double es)
    {
        var estimate = HistoricalVar.Estimate(Exposures, History(), confidence, days: 20);

        Assert.Equal(k, estimate.TailScenarios);
        Assert.Equal(20, estimate.Scenarios);
        Assert.Equal(var, estimate.ValueAtRisk, 6);
        Assert.Equal(es, estimate.ExpectedShortfall, 6);
        Assert.Equal(HorizonScaling.None, estimate.Scaling);
        Assert.Equal(VarMethod.Historical, estimate.Method);
    }

    [Fact]
    public void Ten_day_VaR_by_the_square_root_of_time_scales_the_one_day_figures()
    {
        var estimate = HistoricalVar.Estimate(Exposures, History(), 0.90, horizonDays: 10, days: 20);

        Assert.Equal(HorizonScaling.SquareRootOfTime, estimate.Scaling);
        Assert.Equal(20_000 * Math.Sqrt(10), estimate.ValueAtRisk, 6);   // 63,245.55
        Assert.Equal(22_500 * Math.Sqrt(10), estimate.ExpectedShortfall, 6);
    }

    [Fact]
    public void Overlapping_returns_sum_the_pnl_of_consecutive_days()
    {
        // 5-day losses of the 16 windows, days 1-5 to 16-20 (the daily losses above, summed five at a time):
        // 11,000  22,000  12,500  22,500  -8,000  22,000  5,500  15,000  3,000  28,500  7,500  31,000  13,000  14,500  500  -500
        // From the worst: 31,000 (days 12-16), 28,500, 22,500, 22,000, 22,000 ... At 80%, k = floor(16 x 0.2) = 3.
        var losses = HistoricalVar.OverlappingLosses(Exposures, History(), horizonDays: 5, days: 20);
        var estimate = HistoricalVar.Estimate(Exposures, History(), 0.80, horizonDays: 5, HorizonScaling.OverlappingReturns, days: 20);

        Assert.Equal(16, losses.Count);
        Assert.Equal(31_000, losses[0], 6);
        Assert.Equal(-8_000, losses[15], 6);
        Assert.Equal(3, estimate.TailScenarios);
        Assert.Equal(22_500, estimate.ValueAtRisk, 6);
        Assert.Equal((31_000 + 28_500 + 22_500) / 3.0, estimate.ExpectedShortfall, 6);
        Assert.Equal(HorizonScaling.OverlappingReturns, estimate.Scaling);
    }

    [Fact]
    public void The_window_is_the_most_recent_days()
    {
        // Days 11-20 only: the worst is day 14's 20,000, then day 16's 12,000.
        var estimate = HistoricalVar.Estimate(Exposures, History(), 0.80, days: 10);

        Assert.Equal(2, estimate.TailScenarios);
        Assert.Equal(12_000, estimate.ValueAtRisk, 6);
        Assert.Equal(16_000, estimate.ExpectedShortfall, 6);
    }

    [Fact]
    public void A_short_position_gains_when_the_price_falls()
    {
        // Short A only: the worst day is day 5's +1.2%, a loss of 12,000 on a -1,000,000 exposure.
        var estimate = HistoricalVar.Estimate([-1_000_000, 0], History(), 0.95, days: 20);

        Assert.Equal(12_000, estimate.ValueAtRisk, 6);
    }

    [Fact]
    public void Returns_from_prices_are_simple_returns()
    {
        var history = ReturnHistory.FromPrices(new double[,] { { 100, 50 }, { 101, 49 }, { 99.99, 49.49 } });

        Assert.Equal(2, history.Days);
        Assert.Equal(0.01, history[0, 0], 12);
        Assert.Equal(-0.02, history[0, 1], 12);
        Assert.Equal(-0.01, history[1, 0], 12);
        Assert.Equal(0.01, history[1, 1], 12);
    }

    [Fact]
    public void ES_is_never_below_VaR()
    {
        var random = new Random(7);
        var returns = new double[250, 5];
        for (int d = 0; d < 250; d++)
        {
            for (int i = 0; i < 5; i++)
            {
                returns[d, i] = (random.NextDouble() - 0.5) * 0.06;
            }
        }

        var losses = HistoricalVar.DailyLosses([1e6, -2e5, 3e5, 4e5, -5e5], ReturnHistory.FromReturns(returns));
        foreach (double c in new[] { 0.9, 0.95, 0.975, 0.99, 0.996 })
        {
            Assert.True(losses.ExpectedShortfall(c) >= losses.ValueAtRisk(c), $"confidence {c}");
        }
    }

    [Fact]
    public void Bad_inputs_are_each_named()
    {
        var history = History();

        var mismatch = Assert.Throws<RiskInputException>(() => HistoricalVar.Estimate([1.0, 2.0, 3.0], history, 1.5, horizonDays: 0, days: 21));
        Assert.Equal(["confidence", "horizonDays"], mismatch.Problems.Select(p => p.Field));

        var shape = Assert.Throws<RiskInputException>(() => HistoricalVar.Estimate([1.0, 2.0, 3.0], history, 0.99, days: 21));
        Assert.Equal(["exposures", "days"], shape.Problems.Select(p => p.Field));
        Assert.Contains("3 exposures for 2 instruments", shape.Message, StringComparison.Ordinal);
        Assert.Contains("between 1 and the 20 days of returns held, was 21", shape.Message, StringComparison.Ordinal);

        var tooFew = Assert.Throws<RiskInputException>(() => HistoricalVar.Estimate(Exposures, history, 0.99, days: 20));
        Assert.Equal("confidence", tooFew.ParamName);
        Assert.Contains("needs at least 100 scenarios", tooFew.Message, StringComparison.Ordinal);

        var empty = Assert.Throws<RiskInputException>(() => ReturnHistory.FromReturns(new double[0, 2]));
        Assert.Contains("at least one day", empty.Message, StringComparison.Ordinal);

        var badValues = Assert.Throws<RiskInputException>(() => ReturnHistory.FromReturns(new double[,] { { 0.01, double.NaN }, { -1.5, 0 } }));
        Assert.Equal(["returns[0, 1]", "returns[1, 0]"], badValues.Problems.Select(p => p.Field));

        var badPrices = Assert.Throws<RiskInputException>(() => ReturnHistory.FromPrices(new double[,] { { 100 }, { 0 } }));
        Assert.Equal("prices[1, 0]", badPrices.ParamName);

        var positions = Assert.Throws<RiskInputException>(() => PortfolioExposures.FromPositions([10, 20], [5]));
        Assert.Contains("1 prices for 2 quantities", positions.Message, StringComparison.Ordinal);
        Assert.Equal([50.0, -200.0], PortfolioExposures.FromPositions([10, -20], [5, 10]));
    }
}
