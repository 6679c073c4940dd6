namespace TradSys.Engine.Tests;

public class PriceTests
{
    [Fact]
    public void Decimal_price_converts_to_raw_units_of_the_instrument_decimals()
    {
        Assert.True(Price.TryFromDecimal(80.25m, 3, out Price price));
        Assert.Equal(new Price(80250), price);
        Assert.Equal(80.250m, price.ToDecimal(3));
    }

    [Theory]
    [InlineData(80.2505, 3)]
    [InlineData(0.1, 0)]
    [InlineData(1, 19)]
    [InlineData(1, -1)]
    [InlineData(1e19, 0)]
    public void Decimal_price_that_is_not_representable_is_refused(double value, int decimals)
    {
        decimal amount = (decimal)value;

        Assert.False(Price.TryFromDecimal(amount, decimals, out Price price));
        Assert.Equal(Price.Zero, price);
        Assert.Throws<ArgumentException>(() => Price.FromDecimal(amount, decimals));
    }

    [Fact]
    public void Largest_decimal_is_refused_without_overflowing() =>
        Assert.False(Price.TryFromDecimal(decimal.MaxValue, 18, out _));

    [Fact]
    public void Prices_compare_by_raw_value()
    {
        Price low = new(100);
        Price high = new(200);

        Assert.True(low < high);
        Assert.True(high > low);
        Assert.True(low <= new Price(100));
        Assert.True(high >= low);
        Assert.True(low.CompareTo(high) < 0);
    }

    [Fact]
    public void Quantity_converts_only_from_whole_shares()
    {
        Assert.True(Quantity.TryFromDecimal(300m, out Quantity q));
        Assert.Equal(new Quantity(300), q);
        Assert.False(Quantity.TryFromDecimal(1.5m, out _));
        Assert.Equal(300m, q.ToDecimal());
        Assert.Equal(new Quantity(350), q + new Quantity(50));
        Assert.Equal(new Quantity(250), q - new Quantity(50));
        Assert.True(new Quantity(1) < q);
    }
}
