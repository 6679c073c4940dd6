namespace TradSys.Web.Persistence.Entities;

/// <summary>
/// A trading venue's reference data. Every market rule is data here so an administrator can
/// change it without a release: tick table, lot size, daily limits, sessions, calendar.
/// </summary>
public sealed class Venue
{
    /// <summary>Short code used in the API: EGX, ADX, INTERNAL.</summary>
    public required string Code { get; set; }
    /// <summary>ISO 10383 market identifier code (XCAI, XADS; XOFF for the internal venue).</summary>
    public required string Mic { get; set; }
    public required string Name { get; set; }
    /// <summary>ISO 3166 alpha-2 country of the venue.</summary>
    public string Country { get; set; } = "";
    /// <summary>In the EEA: a MiFID II trading venue (the MiFID and EMIR packs apply to orders sent to it).</summary>
    public bool IsEea { get; set; }
    public required string Currency { get; set; }
    /// <summary>IANA time zone id, e.g. Africa/Cairo.</summary>
    public required string TimeZone { get; set; }
    public long DefaultLotSize { get; set; }
    public int PriceDecimals { get; set; }
    public int PriceLimitUpBps { get; set; }
    public int PriceLimitDownBps { get; set; }
    /// <summary>Tick bands: [{"from": 0, "tick": 0.001}, {"from": 2, "tick": 0.01}].</summary>
    public List<VenueTickBand> TickTable { get; set; } = [];
    /// <summary>Trading days in the venue's week.</summary>
    public List<DayOfWeek> TradingDays { get; set; } = [];
    /// <summary>Session phases in venue-local time.</summary>
    public List<SessionDefinition> Sessions { get; set; } = [];
    /// <summary>Exchange holidays (closed all day).</summary>
    public List<DateOnly> Holidays { get; set; } = [];
    /// <summary>The names of the <see cref="Holidays"/> (one per date; a holiday loaded without a name has none).</summary>
    public List<VenueHoliday> HolidayNames { get; set; } = [];
    /// <summary>Half days: trading days on which the venue closes early, at <see cref="VenueHalfDay.CloseAt"/> venue-local time.</summary>
    public List<VenueHalfDay> HalfDays { get; set; } = [];
    /// <summary>Whether market orders are taken during call auctions (ADX: no, "Market (Day, not in auctions)").</summary>
    public bool MarketOrdersInAuctions { get; set; } = true;
    /// <summary>Volatility band around the reference price in basis points; a trade beyond it suspends the instrument (EGX 1000; 0 = none).</summary>
    public int VolatilityBandBps { get; set; }
    /// <summary>How long a volatility suspension lasts, in minutes (EGX 10).</summary>
    public int SuspensionMinutes { get; set; }
    /// <summary>Closing price when the closing auction executes nothing: VWAP of the last N minutes (EGX 30); 0 = last trade (ADX).</summary>
    public int ClosingVwapMinutes { get; set; }
    /// <summary>
    /// Decimal places of a second the venue stamps its trades with (RTS 25 granularity; RTS 22 field 28 is reported at it):
    /// 0 = seconds, 3 = milliseconds, 6 = microseconds.
    /// </summary>
    public int TimestampDecimals { get; set; }
    /// <summary>
    /// The settlement cycle in trading days after the trade date: a trade's cash settles then (T+2 on EGX and ADX; 0 = at once,
    /// the internal venue).
    /// </summary>
    public int SettlementDays { get; set; }
    /// <summary>Where the figures came from; unverified ones are marked so.</summary>
    public required string Source { get; set; }
}

/// <summary>One row of a tick table: from this price (inclusive) upwards, prices move in steps of <see cref="Tick"/>.</summary>
public sealed record VenueTickBand(decimal From, decimal Tick);

/// <summary>A session phase, venue-local, start inclusive and end exclusive ("24:00" is written as 23:59:59.9999999).</summary>
public sealed record SessionDefinition(TimeOnly Start, TimeOnly End, string Phase);

/// <summary>A named exchange holiday (venue-local date).</summary>
public sealed record VenueHoliday(DateOnly Date, string Name);

/// <summary>A half day: the venue closes early on <see cref="Date"/> at <see cref="CloseAt"/> (venue-local); every phase after it is dropped.</summary>
public sealed record VenueHalfDay(DateOnly Date, TimeOnly CloseAt, string Name);
