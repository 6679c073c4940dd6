using TradSys.Engine.Reference;
using static TradSys.Engine.Tests.Reference.TestVenues;

namespace TradSys.Engine.Tests.Reference;

public class TradingScheduleTests
{
    // 2025-11-23 is a Sunday, 2025-11-24 a Monday, 2025-11-28 a Friday.

    [Theory]
    [InlineData(9, 59, MarketPhase.Closed)]
    [InlineData(10, 0, MarketPhase.Continuous)]
    [InlineData(14, 14, MarketPhase.Continuous)]
    [InlineData(14, 15, MarketPhase.Closed)]
    public void Egx_trades_continuously_from_ten_to_quarter_past_two_on_sunday(int hour, int minute, MarketPhase expected) =>
        Assert.Equal(expected, Egx.Schedule.PhaseAt(new DateTime(2025, 11, 23, hour, minute, 0)));

    [Theory]
    [InlineData(28)]
    [InlineData(29)]
    public void Egx_is_closed_on_friday_and_saturday(int day) =>
        Assert.Equal(MarketPhase.Closed, Egx.Schedule.PhaseAt(new DateTime(2025, 11, day, 11, 0, 0)));

    [Theory]
    [InlineData(9, 29, MarketPhase.Closed)]
    [InlineData(9, 30, MarketPhase.PreOpen)]
    [InlineData(10, 0, MarketPhase.Continuous)]
    [InlineData(14, 44, MarketPhase.Continuous)]
    [InlineData(14, 45, MarketPhase.PreClose)]
    [InlineData(14, 55, MarketPhase.TradeAtLast)]
    [InlineData(15, 0, MarketPhase.Closed)]
    public void Adx_phases_follow_its_timetable_on_monday(int hour, int minute, MarketPhase expected) =>
        Assert.Equal(expected, Adx.Schedule.PhaseAt(new DateTime(2025, 11, 24, hour, minute, 0)));

    [Fact]
    public void Adx_trades_on_friday_but_not_on_sunday()
    {
        Assert.Equal(MarketPhase.Continuous, Adx.Schedule.PhaseAt(new DateTime(2025, 11, 28, 11, 0, 0)));
        Assert.Equal(MarketPhase.Closed, Adx.Schedule.PhaseAt(new DateTime(2025, 11, 23, 11, 0, 0)));
    }

    [Fact]
    public void Holidays_are_closed_all_day()
    {
        Assert.Equal(MarketPhase.Closed, Egx.Schedule.PhaseAt(EgxHoliday.ToDateTime(new TimeOnly(11, 0))));
        Assert.Equal(MarketPhase.Closed, Adx.Schedule.PhaseAt(AdxHoliday.ToDateTime(new TimeOnly(11, 0))));
        Assert.Equal(MarketPhase.Continuous, Egx.Schedule.PhaseAt(EgxHoliday.AddDays(-1).ToDateTime(new TimeOnly(11, 0))));
    }

    [Theory]
    [InlineData(0, 0, 0, 0)]
    [InlineData(12, 0, 0, 0)]
    [InlineData(23, 59, 59, 999)]
    public void Always_open_is_continuous_through_the_last_millisecond_of_the_day(int hour, int minute, int second, int millisecond) =>
        Assert.Equal(MarketPhase.Continuous, TradingSchedule.AlwaysOpen.PhaseAt(new DateTime(2025, 11, 29, hour, minute, second, millisecond)));

    [Fact]
    public void Overlapping_phases_are_refused() =>
        Assert.Throws<ArgumentException>(() => new TradingSchedule(
            [DayOfWeek.Monday],
            [
                new SessionPhase(new TimeOnly(10, 0), new TimeOnly(12, 0), MarketPhase.Continuous),
                new SessionPhase(new TimeOnly(11, 0), new TimeOnly(13, 0), MarketPhase.PreClose),
            ],
            []));

    [Fact]
    public void Phase_that_ends_before_it_starts_is_refused() =>
        Assert.Throws<ArgumentException>(() => new TradingSchedule(
            [DayOfWeek.Monday],
            [new SessionPhase(new TimeOnly(12, 0), new TimeOnly(10, 0), MarketPhase.Continuous)],
            []));
}
