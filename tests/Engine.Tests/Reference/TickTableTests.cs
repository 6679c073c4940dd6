using TradSys.Engine.Reference;
using static TradSys.Engine.Tests.Reference.TestVenues;

namespace TradSys.Engine.Tests.Reference;

public class TickTableTests
{
    [Theory]
    [InlineData("0.001", 1)]
    [InlineData("1.999", 1)]
    [InlineData("2.000", 10)]
    [InlineData("80.250", 10)]
    public void Egx_tick_is_a_thousandth_below_two_and_a_hundredth_from_two(string price, long tick) =>
        Assert.Equal(tick, EgxTicks.TickAt(P(decimal.Parse(price, System.Globalization.CultureInfo.InvariantCulture))));

    [Theory]
    [InlineData("0.999", 1)]
    [InlineData("1.000", 10)]
    [InlineData("9.990", 10)]
    [InlineData("10.000", 20)]
    [InlineData("49.980", 20)]
    [InlineData("50.000", 50)]
    [InlineData("99.950", 50)]
    [InlineData("100.000", 100)]
    [InlineData("250.000", 100)]
    public void Adx_tick_steps_up_at_1_10_50_and_100(string price, long tick) =>
        Assert.Equal(tick, AdxTicks.TickAt(P(decimal.Parse(price, System.Globalization.CultureInfo.InvariantCulture))));

    [Theory]
    [InlineData(1999, true)]
    [InlineData(2000, true)]
    [InlineData(2001, false)]
    [InlineData(2010, true)]
    [InlineData(80255, false)]
    [InlineData(-10, false)]
    public void Egx_prices_are_on_tick_only_on_their_band_grid(long raw, bool onTick) =>
        Assert.Equal(onTick, EgxTicks.IsOnTick(new Price(raw)));

    [Theory]
    [InlineData(10010, false)]
    [InlineData(10020, true)]
    [InlineData(50020, false)]
    [InlineData(50050, true)]
    [InlineData(100050, false)]
    [InlineData(100100, true)]
    public void Adx_prices_are_on_tick_only_on_their_band_grid(long raw, bool onTick) =>
        Assert.Equal(onTick, AdxTicks.IsOnTick(new Price(raw)));

    [Theory]
    [InlineData(10013, 10000, 10020)]
    [InlineData(10020, 10020, 10020)]
    [InlineData(49999, 49980, 50000)]
    [InlineData(9995, 9990, 10000)]
    [InlineData(999, 999, 999)]
    [InlineData(0, 0, 0)]
    public void Adx_rounding_moves_to_the_nearest_tick_below_and_above(long raw, long down, long up)
    {
        Assert.Equal(new Price(down), AdxTicks.RoundDownToTick(new Price(raw)));
        Assert.Equal(new Price(up), AdxTicks.RoundUpToTick(new Price(raw)));
    }

    [Fact]
    public void Rounding_up_stops_at_the_next_band_start_when_the_grids_do_not_align()
    {
        // Ticks of 30 below 100 would round 95 up to 120, past the band start 100, which is itself on tick.
        var odd = new TickTable((new Price(0), 30), (new Price(100), 50));

        Assert.Equal(new Price(100), odd.RoundUpToTick(new Price(95)));
        Assert.Equal(new Price(90), odd.RoundDownToTick(new Price(95)));
    }

    [Fact]
    public void Rounding_a_negative_price_is_a_programming_error() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => EgxTicks.RoundDownToTick(new Price(-1)));

    [Fact]
    public void Table_without_bands_is_refused() =>
        Assert.Contains("at least one band", Assert.Throws<ArgumentException>(() => new TickTable(Array.Empty<TickBand>())).Message, StringComparison.Ordinal);

    [Fact]
    public void Table_whose_first_band_does_not_start_at_zero_is_refused() =>
        Assert.Contains("start at price 0", Assert.Throws<ArgumentException>(() => new TickTable((new Price(5), 1))).Message, StringComparison.Ordinal);

    [Fact]
    public void Table_with_unsorted_bands_is_refused() =>
        Assert.Contains("ascending", Assert.Throws<ArgumentException>(() => new TickTable((new Price(0), 1), (new Price(1000), 10), (new Price(1000), 20))).Message, StringComparison.Ordinal);

    [Fact]
    public void Table_with_a_non_positive_tick_is_refused() =>
        Assert.Contains("non-positive tick", Assert.Throws<ArgumentException>(() => new TickTable((new Price(0), 0))).Message, StringComparison.Ordinal);

    [Fact]
    public void Table_with_a_band_start_off_its_own_tick_is_refused() =>
        Assert.Contains("not a multiple", Assert.Throws<ArgumentException>(() => new TickTable((new Price(0), 1), (new Price(1005), 10))).Message, StringComparison.Ordinal);
}
