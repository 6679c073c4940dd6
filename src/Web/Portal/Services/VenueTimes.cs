using System.Globalization;
using TradSys.Web.Apis;

namespace TradSys.Web.Portal.Services;

/// <summary>
/// Each instrument's venue and the venue's time zone, from the reference-data API, so a page shows an order's or a trade's
/// times as the venue's clock read them (Cairo for EGX, Dubai for ADX). An instrument or zone it does not know shows UTC.
/// </summary>
public sealed class VenueTimes
{
    private readonly Dictionary<string, string> _venues;
    private readonly Dictionary<string, TimeZoneInfo> _zones;

    private VenueTimes(Dictionary<string, string> venues, Dictionary<string, TimeZoneInfo> zones)
    {
        _venues = venues;
        _zones = zones;
    }

    /// <summary>No venues known: every time in UTC.</summary>
    public static VenueTimes None { get; } = new([], []);

    public static async Task<VenueTimes> LoadAsync(PortalApi api)
    {
        var instruments = await api.GetAsync<List<InstrumentResponse>>("/api/v1/instruments");
        var venues = await api.GetAsync<List<VenueResponse>>("/api/v1/venues");
        var zones = new Dictionary<string, TimeZoneInfo>(StringComparer.Ordinal);
        foreach (var venue in venues.Value ?? [])
        {
            if (TimeZoneInfo.TryFindSystemTimeZoneById(venue.TimeZone, out var zone))
            {
                zones[venue.Code] = zone;
            }
        }
        return new VenueTimes((instruments.Value ?? []).ToDictionary(i => i.Symbol, i => i.Venue, StringComparer.Ordinal), zones);
    }

    /// <summary>The instrument's venue code, or an empty string.</summary>
    public string VenueOf(string symbol) => _venues.GetValueOrDefault(symbol, "");

    /// <summary>The zone the instrument's venue keeps.</summary>
    public TimeZoneInfo ZoneOf(string symbol) =>
        _venues.TryGetValue(symbol, out var venue) && _zones.TryGetValue(venue, out var zone) ? zone : TimeZoneInfo.Utc;

    /// <summary>The time on the instrument's venue's clock, "yyyy-MM-dd HH:mm:ss".</summary>
    public string Format(string symbol, DateTime utc) => Format(ZoneOf(symbol), utc);

    /// <summary>For a list: "HH:mm:ss" if it is the venue's today at <paramref name="nowUtc"/>, else the venue's date "yyyy-MM-dd".</summary>
    public string Short(string symbol, DateTime utc, DateTime nowUtc)
    {
        var zone = ZoneOf(symbol);
        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone);
        var today = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(nowUtc, DateTimeKind.Utc), zone).Date;
        return local.ToString(local.Date == today ? "HH:mm:ss" : "yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    public static string Format(TimeZoneInfo zone, DateTime utc) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
