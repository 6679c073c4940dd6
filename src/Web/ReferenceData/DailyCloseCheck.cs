using System.Globalization;
using TradSys.Web.Persistence.Entities;

namespace TradSys.Web.ReferenceData;

/// <summary>
/// The one check of an instrument's close (reference price) of a day before it goes to the one store of daily closes
/// (<see cref="ReferencePriceDay"/>), shared by both ways of storing one by hand: PUT /api/v1/reference-prices/{date} (a problem keyed by
/// its field) and the risk CSV import POST /api/v1/risk/price-history (a problem keyed by its line and column). The day: not after today
/// on the venue's clock, and a trading day of the venue's calendar (its week and its holidays, as the order path decides it:
/// <see cref="TradingSchedule.IsTradingDay"/>). The price: above 0, at most the venue's price decimals and within what the store holds.
/// The venue's tick table is not applied: a venue's official close may be off the tick grid (EGX's is a VWAP) and a close of an earlier
/// year was on the tick table of its time, which the platform does not keep.
/// </summary>
public static class DailyCloseCheck
{
    /// <summary>The largest close the store holds: 20 digits before the point (numeric(28, 8)).</summary>
    public const decimal MaxPrice = 99_999_999_999_999_999_999.99999999m;

    /// <summary>What the check needs of a listed instrument: its symbol, currency and venue, the venue's price decimals, calendar
    /// (<paramref name="Schedule"/> decides a trading day; <paramref name="TradingDays"/> and <paramref name="Holidays"/> say why a day is
    /// not one) and the venue's own today.</summary>
    public sealed record Listing(string Symbol, string Currency, string Venue, int PriceDecimals, TradingSchedule Schedule,
        IReadOnlyCollection<DayOfWeek> TradingDays, IReadOnlyCollection<VenueHoliday> Holidays, DateOnly VenueToday);

    /// <summary>The listed instrument <paramref name="symbol"/> (exact case: a close stored under another spelling would be read by no
    /// one), with its venue's today at <paramref name="utcNow"/>; null when there is none.</summary>
    public static Listing? Find(ReferenceDataCache referenceData, string symbol, DateTime utcNow)
    {
        if (!referenceData.TryGet(symbol, out var i) || !string.Equals(i.Row.Symbol, symbol, StringComparison.Ordinal))
        {
            return null;
        }
        var venue = i.Spec.Venue;
        return new Listing(i.Row.Symbol, i.Row.Currency, i.VenueRow.Code, i.Decimals, venue.Schedule, i.VenueRow.TradingDays,
            i.VenueRow.HolidayNames, DateOnly.FromDateTime(venue.ToVenueLocal(utcNow.Ticks)));
    }

    /// <summary>What is wrong with <paramref name="day"/> for a close of <paramref name="listing"/>, or null.</summary>
    public static string? DayProblem(Listing listing, DateOnly day)
    {
        if (day > listing.VenueToday)
        {
            return Invariant($"{day:yyyy-MM-dd} is after today on {listing.Venue}'s clock ({listing.VenueToday:yyyy-MM-dd}): a close is of a day that has ended or is ending");
        }
        if (listing.Schedule.IsTradingDay(day))
        {
            return null;
        }
        if (!listing.TradingDays.Contains(day.DayOfWeek))
        {
            var week = string.Join(", ", Enum.GetValues<DayOfWeek>().Where(listing.TradingDays.Contains));
            return Invariant($"{day:yyyy-MM-dd} is a {day.DayOfWeek}, not a trading day of {listing.Venue} (it trades {week}): {listing.Symbol} has no close that day");
        }
        var name = listing.Holidays.FirstOrDefault(h => h.Date == day)?.Name;
        return Invariant($"{day:yyyy-MM-dd} is a holiday of {listing.Venue}'s calendar{(string.IsNullOrWhiteSpace(name) ? "" : $" ({name})")}: {listing.Symbol} has no close that day");
    }

    /// <summary>What is wrong with <paramref name="price"/> as a close of <paramref name="listing"/> (in its currency), or null; of an
    /// instrument that is not listed (null), only what is wrong with any price.</summary>
    public static string? PriceProblem(Listing? listing, decimal price)
    {
        if (price <= 0)
        {
            return Invariant($"{price} is not above 0");
        }
        if (price > MaxPrice)
        {
            return Invariant($"{price} is too large: at most 20 digits before the decimal point");
        }
        if (listing is not null && decimal.Round(price, listing.PriceDecimals) != price)
        {
            return Invariant($"{price} has more than {listing.PriceDecimals} decimals, {listing.Venue}'s prices");
        }
        return null;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
