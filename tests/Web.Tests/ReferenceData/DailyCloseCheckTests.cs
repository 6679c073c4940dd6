using TradSys.Engine.Reference;
using TradSys.Web.Persistence.Entities;
using TradSys.Web.ReferenceData;

namespace TradSys.Web.Tests.ReferenceData;

/// <summary>
/// The one check of a day's close shared by PUT /api/v1/reference-prices/{date} and the risk CSV import, on its own: the venue's today
/// (not the UTC date), its week and its holidays (named or not), the venue's decimals and the store's largest price.
/// </summary>
public sealed class DailyCloseCheckTests
{
    private static readonly DayOfWeek[] SundayToThursday = [DayOfWeek.Sunday, DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday];

    private static DailyCloseCheck.Listing Egx(DateOnly venueToday, params VenueHoliday[] holidays) =>
        new("COMI", "EGP", "EGX", 3,
            new TradingSchedule(SundayToThursday, [new SessionPhase(new TimeOnly(10, 0), new TimeOnly(14, 30), MarketPhase.Continuous)],
                [.. holidays.Select(h => h.Date)]),
            SundayToThursday, holidays, venueToday);

    [Fact]
    public void The_day_is_a_trading_day_of_the_venues_calendar_not_after_the_venues_today()
    {
        var listing = Egx(new DateOnly(2026, 11, 24), new VenueHoliday(new DateOnly(2026, 11, 17), "Named closure"), new VenueHoliday(new DateOnly(2026, 11, 18), ""));
        Assert.Null(DailyCloseCheck.DayProblem(listing, new DateOnly(2026, 11, 24)));
        Assert.Null(DailyCloseCheck.DayProblem(listing, new DateOnly(2026, 11, 22))); // a Sunday: EGX trades
        Assert.Equal("2026-11-25 is after today on EGX's clock (2026-11-24): a close is of a day that has ended or is ending",
            DailyCloseCheck.DayProblem(listing, new DateOnly(2026, 11, 25)));
        Assert.Equal("2026-11-17 is a holiday of EGX's calendar (Named closure): COMI has no close that day",
            DailyCloseCheck.DayProblem(listing, new DateOnly(2026, 11, 17)));
        Assert.Equal("2026-11-18 is a holiday of EGX's calendar: COMI has no close that day", DailyCloseCheck.DayProblem(listing, new DateOnly(2026, 11, 18)));
        Assert.Equal("2026-11-21 is a Saturday, not a trading day of EGX (it trades Sunday, Monday, Tuesday, Wednesday, Thursday): COMI has no close that day",
            DailyCloseCheck.DayProblem(listing, new DateOnly(2026, 11, 21)));
    }

    [Fact]
    public void The_price_is_above_0_within_the_venues_decimals_and_what_the_store_holds()
    {
        var listing = Egx(new DateOnly(2026, 11, 24));
        Assert.Null(DailyCloseCheck.PriceProblem(listing, 81.125m));
        Assert.Null(DailyCloseCheck.PriceProblem(listing, 81.1250000m)); // trailing zeros are not decimals
        Assert.Equal("0 is not above 0", DailyCloseCheck.PriceProblem(listing, 0m));
        Assert.Equal("81.1234 has more than 3 decimals, EGX's prices", DailyCloseCheck.PriceProblem(listing, 81.1234m));
        Assert.Equal("100000000000000000000 is too large: at most 20 digits before the decimal point",
            DailyCloseCheck.PriceProblem(listing, 100_000_000_000_000_000_000m));
        // Not listed: only what is wrong with any price.
        Assert.Null(DailyCloseCheck.PriceProblem(null, 81.1234m));
        Assert.Equal("-1 is not above 0", DailyCloseCheck.PriceProblem(null, -1m));
    }
}
