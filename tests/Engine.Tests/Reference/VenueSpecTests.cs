using TradSys.Engine.Reference;
using static TradSys.Engine.Tests.Reference.TestVenues;

namespace TradSys.Engine.Tests.Reference;

public class VenueSpecTests
{
    // Egypt observes daylight saving again since 2023; it starts on the last Friday of April (25 April 2025):
    // UTC+2 on Thursday 24 April, UTC+3 from Sunday 27 April (both EGX trading days).

    [Fact]
    public void Cairo_local_time_moves_an_hour_across_the_daylight_saving_switch()
    {
        Assert.Equal(new DateTime(2025, 4, 24, 10, 30, 0), Egx.ToVenueLocal(Utc(2025, 4, 24, 8, 30)));
        Assert.Equal(new DateTime(2025, 4, 27, 11, 30, 0), Egx.ToVenueLocal(Utc(2025, 4, 27, 8, 30)));
    }

    [Fact]
    public void Egx_phases_follow_local_time_across_the_daylight_saving_switch()
    {
        // 07:30Z is 09:30 before the switch (closed) and 10:30 after it (continuous).
        Assert.Equal(MarketPhase.Closed, Egx.PhaseAt(Utc(2025, 4, 24, 7, 30)));
        Assert.Equal(MarketPhase.Continuous, Egx.PhaseAt(Utc(2025, 4, 27, 7, 30)));

        // 12:00Z is 14:00 before the switch (continuous) and 15:00 after it (closed).
        Assert.Equal(MarketPhase.Continuous, Egx.PhaseAt(Utc(2025, 4, 24, 12, 0)));
        Assert.Equal(MarketPhase.Closed, Egx.PhaseAt(Utc(2025, 4, 27, 12, 0)));

        // 08:30Z is continuous on both days.
        Assert.Equal(MarketPhase.Continuous, Egx.PhaseAt(Utc(2025, 4, 24, 8, 30)));
        Assert.Equal(MarketPhase.Continuous, Egx.PhaseAt(Utc(2025, 4, 27, 8, 30)));
    }

    [Fact]
    public void Dubai_is_four_hours_ahead_of_utc_all_year()
    {
        Assert.Equal(new DateTime(2025, 1, 6, 10, 0, 0), Adx.ToVenueLocal(Utc(2025, 1, 6, 6, 0)));
        Assert.Equal(new DateTime(2025, 7, 7, 10, 0, 0), Adx.ToVenueLocal(Utc(2025, 7, 7, 6, 0)));
    }

    [Fact]
    public void Adx_phase_at_a_utc_instant_uses_dubai_time()
    {
        Assert.Equal(MarketPhase.PreOpen, Adx.PhaseAt(Utc(2025, 11, 24, 5, 45)));
        Assert.Equal(MarketPhase.Continuous, Adx.PhaseAt(Utc(2025, 11, 24, 6, 0)));
        Assert.Equal(MarketPhase.Closed, Adx.PhaseAt(Utc(2025, 11, 24, 11, 0)));
    }

    [Fact]
    public void Instrument_daily_band_uses_its_venue_limits_and_ticks() =>
        Assert.Equal((P(64.20m), P(96.30m)), Comi(new InstrumentId(0)).DailyBand());
}
