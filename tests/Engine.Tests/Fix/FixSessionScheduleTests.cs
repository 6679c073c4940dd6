using TradSys.Engine.Fix;

namespace TradSys.Engine.Tests.Fix;

public class FixSessionScheduleTests
{
    private static readonly TimeZoneInfo Dubai = TimeZoneInfo.CreateCustomTimeZone("ADX test", TimeSpan.FromHours(4), "ADX test", "ADX test");

    private static DateTime Utc(int day, int hour, int minute = 0) => new(2026, 12, day, hour, minute, 0, DateTimeKind.Utc);

    [Fact]
    public void A_daily_window_is_open_from_its_start_until_its_end_in_the_venue_time_zone()
    {
        var schedule = new FixSessionSchedule(Dubai, new TimeOnly(9, 30), new TimeOnly(15, 0));

        Assert.False(schedule.IsInSession(Utc(7, 5, 29)));
        Assert.Equal(Utc(7, 5, 30), schedule.SessionStartUtc(Utc(7, 5, 30)));
        Assert.Equal(Utc(7, 5, 30), schedule.SessionStartUtc(Utc(7, 10, 59)));
        Assert.False(schedule.IsInSession(Utc(7, 11, 0)));
    }

    [Fact]
    public void An_overnight_window_belongs_to_the_day_it_opened()
    {
        var schedule = new FixSessionSchedule(Dubai, new TimeOnly(22, 0), new TimeOnly(6, 0),
            [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday]);

        // Monday 7 December 2026, 23:00 and Tuesday 03:00 in Dubai: the window opened Monday 22:00 (18:00 UTC).
        Assert.Equal(Utc(7, 18), schedule.SessionStartUtc(Utc(7, 19)));
        Assert.Equal(Utc(7, 18), schedule.SessionStartUtc(Utc(7, 23)));
        Assert.False(schedule.IsInSession(Utc(8, 3)));
        // Sunday 6 December 22:00 in Dubai: no window opens on a Sunday, so Monday 03:00 is closed too.
        Assert.False(schedule.IsInSession(Utc(6, 19)));
        Assert.False(schedule.IsInSession(Utc(6, 23)));
    }

    [Fact]
    public void Trading_days_close_the_weekend()
    {
        var schedule = new FixSessionSchedule(Dubai, new TimeOnly(9, 30), new TimeOnly(15, 0),
            [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday]);

        Assert.True(schedule.IsInSession(Utc(11, 7)));  // Friday
        Assert.False(schedule.IsInSession(Utc(12, 7))); // Saturday
        Assert.False(schedule.IsInSession(Utc(13, 7))); // Sunday
    }
}

public class FixValueTests
{
    [Theory]
    [InlineData("20261207-09:00:00", 0)]
    [InlineData("20261207-09:00:00.123", 1_230_000)]
    [InlineData("20261207-09:00:00.123456", 1_234_560)]
    public void Reads_utc_timestamps_with_0_3_or_6_decimals(string text, long extraTicks)
    {
        Assert.True(FixValue.TryParseUtcTimestamp(System.Text.Encoding.ASCII.GetBytes(text), out var value));
        Assert.Equal(new DateTime(2026, 12, 7, 9, 0, 0, DateTimeKind.Utc).AddTicks(extraTicks), value);
        Assert.Equal(DateTimeKind.Utc, value.Kind);
    }

    [Theory]
    [InlineData("20260230-09:00:00")]
    [InlineData("20261207 09:00:00")]
    [InlineData("20261207-24:00:00")]
    [InlineData("20261207-09:00:00.12")]
    [InlineData("2026120-09:00:00")]
    [InlineData("")]
    public void Refuses_malformed_timestamps(string text) =>
        Assert.False(FixValue.TryParseUtcTimestamp(System.Text.Encoding.ASCII.GetBytes(text), out _));

    [Theory]
    [InlineData("81.25", true)]
    [InlineData("-0.5", true)]
    [InlineData("002000.00", true)]
    [InlineData("1e5", false)]
    [InlineData("1.2.3", false)]
    [InlineData(".", false)]
    [InlineData("", false)]
    public void Recognises_fix_floats(string text, bool valid) =>
        Assert.Equal(valid, FixValue.TryParseDecimal(System.Text.Encoding.ASCII.GetBytes(text), out _));

    [Theory]
    [InlineData("123456789", true)]
    [InlineData("1234567890", false)]
    [InlineData("-7", true)]
    [InlineData("7a", false)]
    public void Reads_ints_that_fit(string text, bool valid) =>
        Assert.Equal(valid, FixValue.TryParseInt(System.Text.Encoding.ASCII.GetBytes(text), out _));
}
