using System.Globalization;
using TradSys.Web.Persistence;

namespace TradSys.Web.Tests.Persistence;

/// <summary>
/// The order writer formats decimals and date-times itself; the text must be exactly Microsoft.Data.Sqlite's (its format
/// strings below), or EF Core's comparisons on those TEXT columns would go wrong.
/// </summary>
public sealed class SqliteTextTests
{
    private const string DecimalFormat = "0.0###########################";
    private const string DateTimeFormat = @"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFF";

    public static TheoryData<decimal> Decimals => new()
    {
        0m, 1m, -1m, 80m, 80.0m, 80.05m, 80.050m, 80.500m, 100m, 1000000m, 0.00000001m, -0.5m, 12.5m, 2401.5000m,
        79228162514264337593543950335m, -79228162514264337593543950335m, 0.0000000000000000000000000001m, 7.9228162514264337593543950335m,
        1.0000000000000000000000000000m, 123456789.12345678m,
    };

    [Theory]
    [MemberData(nameof(Decimals))]
    public void A_decimal_is_written_as_Microsoft_Data_Sqlite_writes_it(decimal value)
    {
        Span<char> text = stackalloc char[64];
        Assert.Equal(value.ToString(DecimalFormat, CultureInfo.InvariantCulture), text[..SqliteText.Format(value, text)].ToString());
    }

    [Fact]
    public void Zero_at_any_scale_and_with_either_sign_is_written_as_Microsoft_Data_Sqlite_writes_it()
    {
        Span<char> text = stackalloc char[64];
        for (byte scale = 0; scale <= 28; scale++)
        {
            foreach (var negative in new[] { false, true })
            {
                var zero = new decimal(0, 0, 0, negative, scale);
                Assert.Equal(zero.ToString(DecimalFormat, CultureInfo.InvariantCulture), text[..SqliteText.Format(zero, text)].ToString());
            }
        }
    }

    [Fact]
    public void Random_decimals_of_every_scale_are_written_as_Microsoft_Data_Sqlite_writes_them()
    {
        var random = new Random(20261205);
        Span<char> text = stackalloc char[64];
        for (var i = 0; i < 20_000; i++)
        {
            var value = new decimal(random.Next(), random.Next(), random.Next(0, 4) == 0 ? random.Next() : 0, random.Next(2) == 0, (byte)random.Next(0, 29));
            Assert.Equal(value.ToString(DecimalFormat, CultureInfo.InvariantCulture), text[..SqliteText.Format(value, text)].ToString());
        }
    }

    [Fact]
    public void Date_times_are_written_as_Microsoft_Data_Sqlite_writes_them()
    {
        var random = new Random(20261205);
        Span<char> text = stackalloc char[64];
        DateTime[] fixedValues =
        [
            DateTime.MinValue, DateTime.MaxValue, new(2026, 11, 23, 9, 15, 30, DateTimeKind.Utc), new(2026, 11, 23, 9, 15, 30, 123, 456, DateTimeKind.Utc),
            new(2026, 1, 2, 3, 4, 5, 100, DateTimeKind.Utc), new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc).AddTicks(1), new(999, 12, 31, 23, 59, 59),
        ];
        var values = fixedValues.Concat(Enumerable.Range(0, 20_000).Select(_ => new DateTime(random.NextInt64(DateTime.MinValue.Ticks, DateTime.MaxValue.Ticks))));
        foreach (var value in values)
        {
            Assert.Equal(value.ToString(DateTimeFormat, CultureInfo.InvariantCulture), text[..SqliteText.Format(value, text)].ToString());
        }
    }
}
