using TradSys.Engine.Reference;
using static TradSys.Engine.Tests.Reference.TestVenues;

namespace TradSys.Engine.Tests.Reference;

/// <summary>
/// Calendars: half days, holidays, the next phase change the host schedules, and Cairo's daylight saving time.
/// Egypt's DST (tz database, Africa/Cairo) started at 00:00 on Friday 25 April 2025 and ended at 24:00 on
/// Thursday 30 October 2025, both between two EGX trading weeks.
/// </summary>
public class TradingCalendarTests
{
    private static readonly DateOnly EgxHalfDay = new(2025, 6, 4);

    /// <summary>
    /// EGX with its auctions (DOMAIN.md): pre-open 09:30-10:00, continuous 10:00-14:15, closing auction from 14:15,
    /// trade-at-close to 14:30. The 14:25 end of the closing auction is test data (UV). A half day closes at 12:00.
    /// </summary>
    private static TradingSchedule EgxFull { get; } = new(
        [DayOfWeek.Sunday, DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday],
        [
            new SessionPhase(new TimeOnly(9, 30), new TimeOnly(10, 0), MarketPhase.PreOpen),
            new SessionPhase(new TimeOnly(10, 0), new TimeOnly(14, 15), MarketPhase.Continuous),
            new SessionPhase(new TimeOnly(14, 15), new TimeOnly(14, 25), MarketPhase.ClosingAuction),
            new SessionPhase(new TimeOnly(14, 25), new TimeOnly(14, 30), MarketPhase.TradeAtClose),
        ],
        [EgxHoliday],
        [new HalfDay(EgxHalfDay, new TimeOnly(12, 0))]);

    private static VenueSpec EgxWithAuctions { get; } = Egx with { Schedule = EgxFull };

    private static (DateTime At, MarketPhase Phase) NextChange(TradingSchedule schedule, DateTime from)
    {
        Assert.True(schedule.TryGetNextPhaseChange(from, out DateTime at, out MarketPhase next));
        return (at, next);
    }

    [Theory]
    [InlineData(7, 59, MarketPhase.PreOpen)]
    [InlineData(8, 0, MarketPhase.Continuous)]
    [InlineData(12, 14, MarketPhase.Continuous)]
    [InlineData(12, 15, MarketPhase.ClosingAuction)]
    [InlineData(12, 30, MarketPhase.Closed)]
    public void Egx_trades_continuously_from_ten_to_quarter_past_two_cairo_time_on_a_winter_sunday(int utcHour, int utcMinute, MarketPhase expected) =>
        Assert.Equal(expected, EgxWithAuctions.PhaseAt(Utc(2025, 11, 23, utcHour, utcMinute)));

    [Fact]
    public void A_half_day_truncates_the_session_at_its_close_and_drops_the_later_phases()
    {
        Span<SessionPhase> phases = stackalloc SessionPhase[EgxFull.Phases.Count];

        int n = EgxFull.GetPhases(EgxHalfDay, phases);

        Assert.Equal(
            [
                new SessionPhase(new TimeOnly(9, 30), new TimeOnly(10, 0), MarketPhase.PreOpen),
                new SessionPhase(new TimeOnly(10, 0), new TimeOnly(12, 0), MarketPhase.Continuous),
            ],
            phases[..n].ToArray());
        Assert.True(EgxFull.IsHalfDay(EgxHalfDay, out TimeOnly closeAt));
        Assert.Equal(new TimeOnly(12, 0), closeAt);
    }

    [Theory]
    [InlineData(11, 59, MarketPhase.Continuous)]
    [InlineData(12, 0, MarketPhase.Closed)]
    [InlineData(14, 20, MarketPhase.Closed)]
    public void A_half_day_is_closed_from_its_early_close(int hour, int minute, MarketPhase expected) =>
        Assert.Equal(expected, EgxFull.PhaseAt(EgxHalfDay.ToDateTime(new TimeOnly(hour, minute))));

    [Fact]
    public void A_half_day_close_inside_the_closing_auction_cuts_the_auction_short()
    {
        var schedule = new TradingSchedule([DayOfWeek.Wednesday], EgxFull.Phases, [], [new HalfDay(EgxHalfDay, new TimeOnly(14, 20))]);
        Span<SessionPhase> phases = stackalloc SessionPhase[4];

        int n = schedule.GetPhases(EgxHalfDay, phases);

        Assert.Equal(new SessionPhase(new TimeOnly(14, 15), new TimeOnly(14, 20), MarketPhase.ClosingAuction), phases[n - 1]);
        Assert.Equal(3, n);
    }

    [Fact]
    public void The_next_change_on_a_half_day_is_its_early_close() =>
        Assert.Equal(
            (EgxHalfDay.ToDateTime(new TimeOnly(12, 0)), MarketPhase.Closed),
            NextChange(EgxFull, EgxHalfDay.ToDateTime(new TimeOnly(11, 0))));

    [Fact]
    public void The_full_day_phases_are_unchanged_on_a_normal_day()
    {
        Span<SessionPhase> phases = stackalloc SessionPhase[4];

        int n = EgxFull.GetPhases(new DateOnly(2025, 11, 23), phases);

        Assert.Equal(EgxFull.Phases, phases[..n].ToArray());
        Assert.False(EgxFull.IsHalfDay(new DateOnly(2025, 11, 23), out _));
    }

    [Fact]
    public void A_holiday_has_no_phases_and_the_next_change_skips_it()
    {
        // EgxHoliday is Wednesday 2025-07-23: from Tuesday evening the next change is Thursday's pre-open.
        Assert.Equal(0, EgxFull.GetPhases(EgxHoliday, new SessionPhase[4]));
        Assert.Equal(
            (new DateTime(2025, 7, 24, 9, 30, 0), MarketPhase.PreOpen),
            NextChange(EgxFull, new DateTime(2025, 7, 22, 18, 0, 0)));
    }

    [Fact]
    public void From_thursday_evening_egx_next_opens_with_sundays_pre_open() =>
        Assert.Equal(
            (new DateTime(2025, 11, 30, 9, 30, 0), MarketPhase.PreOpen),
            NextChange(EgxFull, new DateTime(2025, 11, 27, 18, 0, 0)));

    [Fact]
    public void From_friday_evening_adx_next_opens_with_mondays_pre_open_and_from_thursday_evening_with_fridays()
    {
        Assert.Equal(
            (new DateTime(2025, 12, 1, 9, 30, 0), MarketPhase.PreOpen),
            NextChange(Adx.Schedule, new DateTime(2025, 11, 28, 18, 0, 0)));
        Assert.Equal(
            (new DateTime(2025, 11, 28, 9, 30, 0), MarketPhase.PreOpen),
            NextChange(Adx.Schedule, new DateTime(2025, 11, 27, 18, 0, 0)));
    }

    [Theory]
    [InlineData(9, 30, 10, 0, MarketPhase.Continuous)]
    [InlineData(10, 0, 14, 15, MarketPhase.ClosingAuction)]
    [InlineData(14, 15, 14, 25, MarketPhase.TradeAtClose)]
    [InlineData(14, 29, 14, 30, MarketPhase.Closed)]
    public void Each_phase_change_of_the_day_is_found_in_turn(int hour, int minute, int nextHour, int nextMinute, MarketPhase next) =>
        Assert.Equal(
            (new DateTime(2025, 11, 23, nextHour, nextMinute, 0), next),
            NextChange(EgxFull, new DateTime(2025, 11, 23, hour, minute, 0)));

    [Fact]
    public void The_next_open_during_a_session_is_the_next_trading_days_first_phase()
    {
        Assert.True(EgxFull.TryGetNextOpen(new DateTime(2025, 11, 27, 11, 0, 0), out DateTime at, out MarketPhase phase));
        Assert.Equal((new DateTime(2025, 11, 30, 9, 30, 0), MarketPhase.PreOpen), (at, phase));
    }

    [Fact]
    public void A_venue_that_is_always_open_never_changes_phase() =>
        Assert.False(TradingSchedule.AlwaysOpen.TryGetNextPhaseChange(new DateTime(2025, 11, 23, 12, 0, 0), out _, out _));

    [Fact]
    public void A_session_that_runs_to_midnight_before_a_holiday_closes_at_midnight()
    {
        var schedule = new TradingSchedule(
            [DayOfWeek.Monday, DayOfWeek.Tuesday],
            [new SessionPhase(new TimeOnly(20, 0), SessionPhase.EndOfDay, MarketPhase.Continuous)],
            [new DateOnly(2025, 11, 25)]);

        Assert.Equal(
            (new DateTime(2025, 11, 25, 0, 0, 0), MarketPhase.Closed),
            NextChange(schedule, new DateTime(2025, 11, 24, 21, 0, 0)));
    }

    [Fact]
    public void Two_half_days_on_one_date_are_refused() =>
        Assert.Throws<ArgumentException>(() => new TradingSchedule(
            [DayOfWeek.Monday],
            [new SessionPhase(new TimeOnly(10, 0), new TimeOnly(14, 0), MarketPhase.Continuous)],
            [],
            [new HalfDay(new DateOnly(2025, 11, 24), new TimeOnly(12, 0)), new HalfDay(new DateOnly(2025, 11, 24), new TimeOnly(13, 0))]));

    [Theory]
    [InlineData(2025, 4, 17, 8, 7)]   // spring: Sunday 20 April on EET (UTC+2), Sunday 27 April on EEST (UTC+3)
    [InlineData(2025, 10, 23, 7, 8)]  // autumn: Sunday 26 October on EEST, Sunday 2 November on EET
    public void The_utc_instant_of_sundays_open_moves_by_one_hour_across_the_cairo_dst_switch(int year, int month, int thursday, int utcHourBefore, int utcHourAfter)
    {
        // The host's loop: local next change from Thursday evening, converted with the venue's time zone.
        DateTime firstThursday = new(year, month, thursday, 18, 0, 0);
        (DateTime openBefore, _) = NextChange(EgxFull, firstThursday);
        (DateTime continuousBefore, _) = NextChange(EgxFull, openBefore);
        (DateTime openAfter, _) = NextChange(EgxFull, firstThursday.AddDays(7));
        (DateTime continuousAfter, _) = NextChange(EgxFull, openAfter);

        DateTime utcBefore = TimeZoneInfo.ConvertTimeToUtc(continuousBefore, Cairo);
        DateTime utcAfter = TimeZoneInfo.ConvertTimeToUtc(continuousAfter, Cairo);

        Assert.Equal((DayOfWeek.Sunday, new TimeOnly(10, 0)), (continuousBefore.DayOfWeek, TimeOnly.FromDateTime(continuousBefore)));
        Assert.Equal(continuousBefore.AddDays(7), continuousAfter);
        Assert.Equal(utcHourBefore, utcBefore.Hour);
        Assert.Equal(utcHourAfter, utcAfter.Hour);
        Assert.Equal(TimeSpan.FromDays(7) + TimeSpan.FromHours(utcHourAfter - utcHourBefore), utcAfter - utcBefore);
        Assert.Equal(MarketPhase.Continuous, EgxWithAuctions.PhaseAt(utcAfter.Ticks));
        Assert.Equal(MarketPhase.Continuous, EgxWithAuctions.PhaseAt(utcBefore.Ticks));
    }

    [Fact]
    public void Dubai_has_no_daylight_saving_so_adx_opens_at_the_same_utc_hour_all_year()
    {
        DateTime april = TimeZoneInfo.ConvertTimeToUtc(new DateTime(2025, 4, 21, 10, 0, 0), Dubai);
        DateTime november = TimeZoneInfo.ConvertTimeToUtc(new DateTime(2025, 11, 24, 10, 0, 0), Dubai);

        Assert.Equal((6, 6), (april.Hour, november.Hour));
    }
}
