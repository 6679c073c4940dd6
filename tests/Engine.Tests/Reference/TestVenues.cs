using TradSys.Engine.Reference;

namespace TradSys.Engine.Tests.Reference;

/// <summary>
/// EGX and ADX reference data as test data (DOMAIN.md, "EGX vs ADX"). Prices carry 3 decimals.
/// In production these come from venue configuration, never from code.
/// </summary>
public static class TestVenues
{
    public const int Decimals = 3;

    public static Price P(decimal value) => Price.FromDecimal(value, Decimals);

    /// <summary>EGX: 0.001 below 2.00, 0.01 from 2.00.</summary>
    public static TickTable EgxTicks { get; } = new((P(0m), 1), (P(2.00m), 10));

    /// <summary>ADX: 0.001 below 1, 0.01 from 1, 0.02 from 10, 0.05 from 50, 0.10 from 100.</summary>
    public static TickTable AdxTicks { get; } = new(
        (P(0m), 1),
        (P(1m), 10),
        (P(10m), 20),
        (P(50m), 50),
        (P(100m), 100));

    /// <summary>A holiday on a Wednesday (a normal EGX trading day); the date itself is test data.</summary>
    public static DateOnly EgxHoliday { get; } = new(2025, 7, 23);

    /// <summary>A holiday on a Tuesday (a normal ADX trading day).</summary>
    public static DateOnly AdxHoliday { get; } = new(2025, 12, 2);

    public static TimeZoneInfo Cairo { get; } = TimeZoneInfo.FindSystemTimeZoneById("Africa/Cairo");

    public static TimeZoneInfo Dubai { get; } = TimeZoneInfo.FindSystemTimeZoneById("Asia/Dubai");

    /// <summary>EGX: Sunday to Thursday, continuous 10:00-14:15 Cairo time, limits +-20%.</summary>
    public static VenueSpec Egx { get; } = new(
        "EGX",
        "XCAI",
        "EGP",
        Cairo,
        EgxTicks,
        new PriceLimits(2000, 2000),
        new TradingSchedule(
            [DayOfWeek.Sunday, DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday],
            [new SessionPhase(new TimeOnly(10, 0), new TimeOnly(14, 15), MarketPhase.Continuous)],
            [EgxHoliday]));

    /// <summary>ADX: Monday to Friday, pre-open 09:30, continuous 10:00-14:45, pre-close, trade-at-last to 15:00 Dubai time, limits +15%/-10%.</summary>
    public static VenueSpec Adx { get; } = new(
        "ADX",
        "XADS",
        "AED",
        Dubai,
        AdxTicks,
        new PriceLimits(1500, 1000),
        new TradingSchedule(
            [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday],
            [
                new SessionPhase(new TimeOnly(9, 30), new TimeOnly(10, 0), MarketPhase.PreOpen),
                new SessionPhase(new TimeOnly(10, 0), new TimeOnly(14, 45), MarketPhase.Continuous),
                new SessionPhase(new TimeOnly(14, 45), new TimeOnly(14, 55), MarketPhase.PreClose),
                new SessionPhase(new TimeOnly(14, 55), new TimeOnly(15, 0), MarketPhase.TradeAtLast),
            ],
            [AdxHoliday]));

    /// <summary>Commercial International Bank on EGX: reference 80.250 EGP, lot 1.</summary>
    public static InstrumentSpec Comi(InstrumentId id) => new(id, "COMI", Egx, Decimals, 1, P(80.25m), true);

    /// <summary>First Abu Dhabi Bank on ADX: reference 14.000 AED, lot 100 (test data; sources conflict).</summary>
    public static InstrumentSpec Fab(InstrumentId id) => new(id, "FAB", Adx, Decimals, 100, P(14.00m), true);

    public static long Utc(int year, int month, int day, int hour, int minute) =>
        new DateTime(year, month, day, hour, minute, 0, DateTimeKind.Utc).Ticks;
}
