using Bunit;
using Microsoft.Extensions.DependencyInjection;
using TradSys.Web.Apis;
using TradSys.Web.Portal.Components.Shared;

namespace TradSys.Portal.Tests.Components;

/// <summary>bUnit tests of the backtest chart on the risk page: the SVG's bars, VaR line and exception marks, and its text alternative.</summary>
public sealed class BacktestChartTests : BunitContext
{
    public BacktestChartTests() => Services.AddLocalization();

    [Fact]
    public void Each_day_is_a_bar_the_VaR_a_dashed_line_the_exceptions_circled_and_listed_with_a_summary_in_words()
    {
        BacktestDayResponse[] days =
        [
            new(new DateOnly(2026, 11, 18), 120m, 300m, false),
            new(new DateOnly(2026, 11, 19), -450.5m, 310m, true),
            new(new DateOnly(2026, 11, 20), -200m, 305m, false),
        ];
        var backtest = new BacktestResponse(3, days[0].Date, days[^1].Date, 1, [days[1].Date], 0.03, 5.2, 0.02, "Green", days);
        var chart = Render<BacktestChart>(p => p.Add(c => c.AccountId, 1001).Add(c => c.Currency, "AED").Add(c => c.Backtest, backtest));

        var svg = chart.Find("svg");
        Assert.Equal("img", svg.GetAttribute("role"));
        Assert.Equal("backtest-chart-title backtest-chart-desc", svg.GetAttribute("aria-labelledby"));
        Assert.Equal(3, chart.FindAll("rect.pnl-bar").Count);
        Assert.Single(chart.FindAll("rect.exception"));
        Assert.Single(chart.FindAll("circle.exception-mark"));
        Assert.Equal(3, chart.Find("polyline.var-line").GetAttribute("points")!.Split(' ').Length);

        var summary = "3 days from 2026-11-18 to 2026-11-20: daily P&L from -450.50 to 120.00 AED, VaR from 300.00 to 310.00; " +
                      "the loss exceeded the VaR on 1 day(s) (0.03 expected).";
        Assert.Equal(summary, chart.Find("#backtest-chart-desc").TextContent);
        Assert.Equal(summary, chart.Find("#backtest-chart-summary").TextContent);
        var row = Assert.Single(chart.FindAll("#backtest-exceptions tbody tr"));
        Assert.Equal(["2026-11-19", "-450.50", "310.00"], row.QuerySelectorAll("td").Select(td => td.TextContent));
    }

    [Fact]
    public void A_backtest_without_days_says_so_instead_of_drawing()
    {
        var backtest = new BacktestResponse(0, new DateOnly(2026, 11, 20), new DateOnly(2026, 11, 20), 0, [], 0, 0, 1, "Green", []);
        var chart = Render<BacktestChart>(p => p.Add(c => c.AccountId, 1001).Add(c => c.Currency, "AED").Add(c => c.Backtest, backtest));
        Assert.Empty(chart.FindAll("svg"));
        Assert.Equal("No backtest: the history is too short.", chart.Find("#backtest-chart-empty").TextContent);
    }
}
