using TradSys.Rules.Computations;

namespace TradSys.Rules.Tests.Computations;

public class ShariaPurificationTests
{
    [Fact]
    public void Index_practice_is_dividend_times_non_permissible_share_of_revenue()
    {
        Assert.Equal(3.00m, ShariaPurification.Amount(100m, 30m, 1_000m));
        Assert.Equal(0.33m, ShariaPurification.Amount(10m, 1m, 30m));
    }

    [Fact]
    public void Nothing_to_purify_without_revenue_or_prohibited_income()
    {
        Assert.Equal(0m, ShariaPurification.Amount(100m, 30m, 0m));
        Assert.Equal(0m, ShariaPurification.Amount(100m, 0m, 1_000m));
    }

    [Fact]
    public void The_aaoifi_variant_is_prohibited_income_per_share_times_shares_held()
    {
        Assert.Equal(12.35m, ShariaPurification.AmountPerShare(0.0247m, 500));
    }

    [Fact]
    public void Negative_inputs_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ShariaPurification.Amount(-1m, 0m, 1m));
    }
}
