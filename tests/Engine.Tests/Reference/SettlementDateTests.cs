using TradSys.Engine.Reference;
using static TradSys.Engine.Tests.Reference.TestVenues;

namespace TradSys.Engine.Tests.Reference;

/// <summary>
/// Settlement dates: T+n counts trading days after the trade date, so weekends (Friday and Saturday on EGX, Saturday and Sunday on
/// ADX) and holidays push it out; a cycle of 0 settles on the trade date.
/// </summary>
public class SettlementDateTests
{
    [Theory]
    // EGX trades Sunday to Thursday: a Monday trade settles on Wednesday; a Wednesday trade on Sunday; a Thursday trade on Monday.
    [InlineData("2025-06-02", 2, "2025-06-04")]
    [InlineData("2025-06-04", 2, "2025-06-08")]
    [InlineData("2025-06-05", 2, "2025-06-09")]
    [InlineData("2025-06-05", 1, "2025-06-08")]
    [InlineData("2025-06-05", 0, "2025-06-05")]
    public void Egx_counts_trading_days_after_the_trade_date(string trade, int cycle, string settles) =>
        Assert.Equal(DateOnly.Parse(settles, System.Globalization.CultureInfo.InvariantCulture),
            Egx.Schedule.SettlementDate(DateOnly.Parse(trade, System.Globalization.CultureInfo.InvariantCulture), cycle));

    [Theory]
    // ADX trades Monday to Friday: a Thursday trade settles on Monday, a Friday trade on Tuesday.
    [InlineData("2025-06-05", 2, "2025-06-09")]
    [InlineData("2025-06-06", 2, "2025-06-10")]
    public void Adx_skips_its_own_weekend(string trade, int cycle, string settles) =>
        Assert.Equal(DateOnly.Parse(settles, System.Globalization.CultureInfo.InvariantCulture),
            Adx.Schedule.SettlementDate(DateOnly.Parse(trade, System.Globalization.CultureInfo.InvariantCulture), cycle));

    [Fact]
    public void A_holiday_in_the_cycle_is_skipped()
    {
        var dayBefore = EgxHoliday.AddDays(-1);
        while (!Egx.Schedule.IsTradingDay(dayBefore))
        {
            dayBefore = dayBefore.AddDays(-1);
        }
        var settles = Egx.Schedule.SettlementDate(dayBefore, 1);
        Assert.True(settles > EgxHoliday);
        Assert.True(Egx.Schedule.IsTradingDay(settles));
    }

    [Fact]
    public void A_negative_cycle_or_a_schedule_without_trading_days_is_refused()
    {
        Assert.Throws<ArgumentException>(() => Egx.Schedule.SettlementDate(new DateOnly(2025, 6, 2), -1));
        var never = new TradingSchedule([], [new SessionPhase(new TimeOnly(10, 0), new TimeOnly(14, 0), MarketPhase.Continuous)], []);
        Assert.Throws<ArgumentException>(() => never.SettlementDate(new DateOnly(2025, 6, 2), 2));
    }
}
