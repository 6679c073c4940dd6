using TradSys.Engine.Reference;
using static TradSys.Engine.Tests.Reference.TestVenues;

namespace TradSys.Engine.Tests.Reference;

public class PriceLimitsTests
{
    [Fact]
    public void Egx_band_is_twenty_percent_either_side_when_it_lands_on_tick() =>
        Assert.Equal((P(64.20m), P(96.30m)), Egx.Limits.Band(P(80.25m), EgxTicks));

    [Fact]
    public void Egx_band_rounds_inward_across_the_tick_break()
    {
        // 1.999 x 1.2 = 2.3988 -> tick 0.01 above 2.00 -> 2.39; 1.999 x 0.8 = 1.5992 -> 1.600.
        Assert.Equal((P(1.600m), P(2.39m)), Egx.Limits.Band(P(1.999m), EgxTicks));
    }

    [Fact]
    public void Egx_band_low_rounds_up_and_high_rounds_down()
    {
        // 1.234 x 0.8 = 0.9872 -> 0.988; 1.234 x 1.2 = 1.4808 -> 1.480.
        Assert.Equal((P(0.988m), P(1.480m)), Egx.Limits.Band(P(1.234m), EgxTicks));
    }

    [Fact]
    public void Adx_band_is_fifteen_percent_up_and_ten_percent_down_rounded_inward()
    {
        // 10.37 x 1.15 = 11.9255 -> tick 0.02 -> 11.92; 10.37 x 0.90 = 9.333 -> tick 0.01 -> 9.34.
        Assert.Equal((P(9.34m), P(11.92m)), Adx.Limits.Band(P(10.37m), AdxTicks));
    }

    [Fact]
    public void Adx_band_around_a_round_price_is_exact() =>
        Assert.Equal((P(90m), P(115m)), Adx.Limits.Band(P(100m), AdxTicks));

    [Fact]
    public void Zero_limits_mean_no_limits()
    {
        (Price low, Price high) = PriceLimits.None.Band(P(80.25m), EgxTicks);

        Assert.True(PriceLimits.None.IsUnlimited);
        Assert.Equal(new Price(0), low);
        Assert.Equal(new Price(long.MaxValue), high);
    }

    [Fact]
    public void Band_of_a_huge_reference_does_not_overflow()
    {
        (Price low, Price high) = new PriceLimits(2000, 2000).Band(new Price(long.MaxValue / 2), TickTable.Uniform(1));

        Assert.True(low < high);
        Assert.True(high.Raw > long.MaxValue / 2);
    }

    [Fact]
    public void Negative_limits_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PriceLimits(-1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PriceLimits(0, 10_001));
    }
}
