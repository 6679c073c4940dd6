using TradSys.Engine.Risk;
using TradSys.Engine.Risk.Portfolio;

namespace TradSys.Engine.Tests.Risk.Portfolio;

public class VarBacktestTests
{
    [Fact]
    public void Kupiec_statistic_for_10_exceptions_in_250_days_at_99_percent()
    {
        // Worked by hand, n = 250, x = 10, p = 0.01, observed rate x/n = 0.04:
        //   ln L0 = 240 ln 0.99 + 10 ln 0.01 = 240 x (-0.0100503) + 10 x (-4.6051702) = -2.4120811 - 46.0517019 = -48.4637830
        //   ln L1 = 240 ln 0.96 + 10 ln 0.04 = 240 x (-0.0408220) + 10 x (-3.2188758) = -9.7972798 - 32.1887582 = -41.9860369
        //   LR = -2 (ln L0 - ln L1) = -2 x (-6.4777461) = 12.9555
        // p-value = P(chi-square(1) >= 12.9555) = erfc(sqrt(12.9555 / 2)) = 0.000319: rejected at any usual level.
        Assert.Equal(12.9555, VarBacktest.KupiecStatistic(250, 10, 0.01), 4);
    }

    [Fact]
    public void Kupiec_statistic_with_no_exceptions_and_with_the_expected_count()
    {
        // x = 0: LR = -2 x 250 x ln 0.99 = 5.0252 (0 ln 0 = 0). x = n p exactly: the observed rate is p and LR = 0.
        Assert.Equal(5.0252, VarBacktest.KupiecStatistic(250, 0, 0.01), 4);
        Assert.Equal(0, VarBacktest.KupiecStatistic(500, 5, 0.01), 9);
    }

    [Fact]
    public void Backtest_counts_exceptions_strictly_above_VaR_and_reports_Kupiec_and_the_zone()
    {
        // 250 days of a 99% VaR of 100: ten losses of 150 exceed it; a loss of exactly 100 does not.
        var var = Enumerable.Repeat(100.0, 250).ToArray();
        var pnl = new double[250];
        for (int d = 0; d < 250; d++)
        {
            pnl[d] = d % 2 == 0 ? 20 : -30;
        }

        int[] exceptionDays = [3, 27, 51, 80, 99, 130, 161, 190, 222, 249];
        foreach (int d in exceptionDays)
        {
            pnl[d] = -150;
        }

        pnl[100] = -100;

        var result = VarBacktest.Run(var, pnl, 0.99);

        Assert.Equal(250, result.Observations);
        Assert.Equal(10, result.Exceptions);
        Assert.Equal(exceptionDays, result.ExceptionDays);
        Assert.Equal(2.5, result.ExpectedExceptions, 12);
        Assert.Equal(12.9555, result.KupiecStatistic, 4);
        Assert.Equal(0.000319, result.PValue, 6);
        Assert.Equal(TrafficLightZone.Red, result.Zone);
    }

    [Theory]
    // Basel Committee, "Supervisory framework for the use of backtesting ...", January 1996, Table 2 (250 observations):
    // green 0-4 (cumulative probability 4: 89.22%), yellow 5-9 (5: 95.88%, 9: 99.97%), red 10 and more (10: 99.99%).
    [InlineData(0, TrafficLightZone.Green)]
    [InlineData(4, TrafficLightZone.Green)]
    [InlineData(5, TrafficLightZone.Yellow)]
    [InlineData(9, TrafficLightZone.Yellow)]
    [InlineData(10, TrafficLightZone.Red)]
    [InlineData(25, TrafficLightZone.Red)]
    public void Basel_traffic_light_zones_for_250_days(int exceptions, TrafficLightZone zone) =>
        Assert.Equal(zone, VarBacktest.Zone(250, exceptions, 0.99));

    [Fact]
    public void The_traffic_light_applies_to_99_percent_VaR_only()
    {
        var result = VarBacktest.Run([1.0, 1.0], [0.0, -2.0], 0.95);

        Assert.Equal(TrafficLightZone.NotApplicable, result.Zone);
        Assert.Equal(1, result.Exceptions);
    }

    [Fact]
    public void Bad_inputs_are_each_named()
    {
        var e = Assert.Throws<RiskInputException>(() => VarBacktest.Run([1.0, double.NaN], [0.0], 0));
        Assert.Equal(["confidence", "realisedPnl", "dailyVar[1]"], e.Problems.Select(p => p.Field));
        Assert.Contains("1 P&L figures for 2 VaR figures", e.Message, StringComparison.Ordinal);

        var empty = Assert.Throws<RiskInputException>(() => VarBacktest.Run([], [], 0.99));
        Assert.Equal("dailyVar", empty.ParamName);

        var count = Assert.Throws<RiskInputException>(() => VarBacktest.KupiecStatistic(10, 11, 0.01));
        Assert.Equal("exceptions", count.ParamName);
    }
}
