using TradSys.Engine.Risk.Portfolio;

namespace TradSys.Engine.Tests.Risk.Portfolio;

/// <summary>
/// The firm-wide VaR of the daily risk report: the accounts' positions netted per instrument (<see cref="FirmPositions"/>), then the
/// same historical VaR as per account, checked against the per-account figures on a seeded price history of three instruments.
/// </summary>
public class FirmVarTests
{
    private static readonly string[] Symbols = ["AAA", "BBB", "CCC"];

    /// <summary>301 aligned closes (300 returns) of three instruments: seeded random walks, BBB partly following AAA.</summary>
    private static (DateOnly[] Dates, double[,] Prices) History()
    {
        var random = new Random(20261123);
        const int days = 301;
        var dates = new DateOnly[days];
        var prices = new double[days, Symbols.Length];
        double a = 100, b = 50, c = 20;
        for (var d = 0; d < days; d++)
        {
            dates[d] = new DateOnly(2025, 9, 1).AddDays(d);
            prices[d, 0] = a;
            prices[d, 1] = b;
            prices[d, 2] = c;
            var shock = random.NextDouble() - 0.5;
            a *= 1 + (0.03 * shock);
            b *= 1 + (0.02 * shock) + (0.02 * (random.NextDouble() - 0.5));
            c *= 1 + (0.04 * (random.NextDouble() - 0.5));
        }
        return (dates, prices);
    }

    /// <summary>The VaR of some positions: their instruments' columns of the history, the method the report uses.</summary>
    private static PositionVarResult Var(string[] symbols, double[] exposures)
    {
        var (dates, all) = History();
        var prices = new double[dates.Length, symbols.Length];
        for (var i = 0; i < symbols.Length; i++)
        {
            var column = Array.IndexOf(Symbols, symbols[i]);
            for (var d = 0; d < dates.Length; d++)
            {
                prices[d, i] = all[d, column];
            }
        }
        return PositionVar.Compute(exposures, dates, prices, VarMethod.Historical, 0.99, 1);
    }

    private static PositionVarResult Firm(params (string Symbol, double Value)[][] accounts)
    {
        var (symbols, exposures) = FirmPositions.Net(accounts.SelectMany(a => a));
        return Var(symbols, exposures);
    }

    private static readonly (string Symbol, double Value)[] AccountA = [("AAA", 1_000_000), ("BBB", -400_000)];
    private static readonly (string Symbol, double Value)[] AccountB = [("CCC", 300_000), ("BBB", 700_000)];

    [Fact]
    public void A_single_account_firm_has_that_accounts_VaR_ES_and_backtest()
    {
        var account = Var(["AAA", "BBB"], [1_000_000, -400_000]);
        var firm = Firm(AccountA);
        Assert.True(account.Estimate.ValueAtRisk > 0);
        Assert.Equal(account.Estimate.ValueAtRisk, firm.Estimate.ValueAtRisk, 9);
        Assert.Equal(account.Estimate.ExpectedShortfall, firm.Estimate.ExpectedShortfall, 9);
        Assert.Equal(account.Backtest!.Exceptions, firm.Backtest!.Exceptions);
    }

    [Fact]
    public void The_firms_historical_VaR_is_no_more_than_the_sum_of_its_accounts_VaRs_and_nets_longs_against_shorts()
    {
        var a = Var(["AAA", "BBB"], [1_000_000, -400_000]).Estimate.ValueAtRisk;
        var b = Var(["BBB", "CCC"], [700_000, 300_000]).Estimate.ValueAtRisk;
        var firm = Firm(AccountA, AccountB).Estimate.ValueAtRisk;
        Assert.True(firm > 0);
        Assert.True(firm <= a + b, $"firm VaR {firm} should not exceed the sum of the accounts' {a} + {b}");
        // The firm holds 300,000 of BBB net (700,000 long, 400,000 short): the same VaR as holding that net position in one account.
        Assert.Equal(Var(["AAA", "BBB", "CCC"], [1_000_000, 300_000, 300_000]).Estimate.ValueAtRisk, firm, 9);
    }

    [Fact]
    public void Positions_are_netted_per_instrument_in_symbol_order_and_an_instrument_netting_to_zero_is_left_out()
    {
        var (symbols, exposures) = FirmPositions.Net([("ZZZ", 10), ("AAA", 5), ("ZZZ", -10), ("MMM", -3), ("AAA", 2.5)]);
        Assert.Equal(["AAA", "MMM"], symbols);
        Assert.Equal([7.5, -3], exposures);
        var (none, nothing) = FirmPositions.Net([]);
        Assert.Empty(none);
        Assert.Empty(nothing);
    }
}
