namespace TradSys.Engine.Reference;

/// <summary>A trading venue's reference data. The host resolves <paramref name="TimeZone"/>; converting with it is pure computation.</summary>
/// <param name="Code">The venue's short code, e.g. "EGX".</param>
/// <param name="Mic">The ISO 10383 market identifier code, e.g. "XCAI".</param>
/// <param name="Currency">The ISO 4217 trading currency, e.g. "EGP".</param>
/// <param name="TimeZone">The venue's time zone, e.g. Africa/Cairo.</param>
/// <param name="Ticks">The tick-size table.</param>
/// <param name="Limits">The daily price limits.</param>
/// <param name="Schedule">The trading timetable in local venue time.</param>
public sealed record VenueSpec(
    string Code,
    string Mic,
    string Currency,
    TimeZoneInfo TimeZone,
    TickTable Ticks,
    PriceLimits Limits,
    TradingSchedule Schedule)
{
    /// <summary>Converts a UTC instant to local venue time.</summary>
    /// <param name="utcTicks">UTC ticks, as carried by commands.</param>
    /// <returns>The local venue date and time.</returns>
    public DateTime ToVenueLocal(long utcTicks) =>
        TimeZoneInfo.ConvertTimeFromUtc(new DateTime(utcTicks, DateTimeKind.Utc), TimeZone);

    /// <summary>The phase the venue is in at a UTC instant.</summary>
    /// <param name="utcTicks">UTC ticks, as carried by commands.</param>
    /// <returns>The phase.</returns>
    public MarketPhase PhaseAt(long utcTicks) => Schedule.PhaseAt(ToVenueLocal(utcTicks));
}
