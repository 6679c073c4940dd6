using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using TradSys.Web.Http;
using TradSys.Web.Persistence.Entities;

namespace TradSys.Web.Apis;

/// <summary>A session phase of a venue's trading day as sent: venue-local times "HH:mm" or "HH:mm:ss" ("24:00" for midnight at the end).</summary>
public sealed record VenueSessionRequest(string? Start, string? End, string? Phase);

/// <summary>An exchange holiday as sent: a venue-local date (yyyy-MM-dd) and its name.</summary>
public sealed record VenueHolidayRequest(string? Date, string? Name);

/// <summary>A half day as sent: a venue-local date (yyyy-MM-dd), the early close (HH:mm) and its name.</summary>
public sealed record VenueHalfDayRequest(string? Date, string? CloseAt, string? Name);

/// <summary>
/// A venue's whole calendar, as PUT /api/v1/venues/{code}/calendar takes it (every field, as GET .../calendar answers it) and the
/// reason for the change. Dates and times are venue-local, in <see cref="TimeZone"/>. The read-only fields of
/// <see cref="VenueCalendarResponse"/> (code, name, version, phaseNow, localTimeNow) may be sent back as read and are ignored, so a
/// GET body, edited, is a valid PUT body.
/// </summary>
public sealed record VenueCalendarRequest(string? TimeZone, IReadOnlyList<string?>? TradingDays, IReadOnlyList<VenueSessionRequest?>? Sessions,
    IReadOnlyList<VenueHolidayRequest?>? Holidays, IReadOnlyList<VenueHalfDayRequest?>? HalfDays, string? Reason,
    string? Code = null, string? Name = null, int? Version = null, string? PhaseNow = null, DateTime? LocalTimeNow = null);

/// <summary>A venue's calendar with its version (the ETag), phase now and local time, as GET /api/v1/venues/{code}/calendar answers it.</summary>
public sealed record VenueCalendarResponse(string Code, string Name, int Version, string TimeZone, IReadOnlyList<string> TradingDays,
    IReadOnlyList<VenueSessionRequest> Sessions, IReadOnlyList<VenueHolidayRequest> Holidays, IReadOnlyList<VenueHalfDayRequest> HalfDays,
    string PhaseNow, DateTime LocalTimeNow);

/// <summary>One version of a venue's calendar: who changed what, when and why, the calendar before and after.</summary>
public sealed record VenueVersionResponse(int Version, DateTime ChangedAt, string ChangedBy, string Reason, IReadOnlyList<string> ChangedFields,
    JsonElement Before, JsonElement After);

/// <summary>
/// The checks and the mapping of a venue calendar change (issue 14): every field's problem at once, keyed by field
/// (<c>sessions[1].end</c>, <c>holidays[0].date</c>), so that the API and the portal show each one beside its field and nothing is
/// stored when any is wrong. What is refused: an unknown time zone; no trading day, an unknown or repeated day; no session, a time
/// that is not HH:mm[:ss], a session that does not start before it ends, sessions that overlap, an unknown phase (Closed is the time
/// outside every session, not a session); a date that is not yyyy-MM-dd or outside 2000-2100, the same date twice, a holiday or
/// half day on a day the venue does not trade anyway, a date that is both a holiday and a half day, a half day whose close is not
/// inside the trading day (after the first session starts, before the last one ends); a missing name or reason.
/// </summary>
public static class VenueCalendarForm
{
    public const int MaxName = 128;
    public const int MaxReason = 512;
    public const int MaxEntries = 400;
    private static readonly TimeOnly EndOfDay = TimeOnly.MaxValue;
    private static readonly string[] TimeFormats = ["HH:mm", "HH:mm:ss"];
    private static readonly string[] Phases = [.. Enum.GetNames<MarketPhase>().Where(p => p != nameof(MarketPhase.Closed))];

    /// <summary>Every problem of a request, by field; empty when it can be applied.</summary>
    public static Dictionary<string, List<string>> Check(VenueCalendarRequest r)
    {
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var zone = FieldProblems.Clean(r.TimeZone);
        if (zone is null)
        {
            FieldProblems.Add(errors, "timeZone", "is required: the venue's IANA time zone, e.g. Africa/Cairo");
        }
        else if (!TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _))
        {
            FieldProblems.Add(errors, "timeZone", $"'{zone}' is not a known time zone (an IANA id, e.g. Africa/Cairo or Asia/Dubai)");
        }

        var days = new HashSet<DayOfWeek>();
        if (r.TradingDays is not { Count: > 0 })
        {
            FieldProblems.Add(errors, "tradingDays", "is required: at least one day of the week (Sunday ... Saturday)");
        }
        else
        {
            for (var i = 0; i < r.TradingDays.Count; i++)
            {
                var field = Indexed("tradingDays", i);
                if (!TryDay(r.TradingDays[i], out var day))
                {
                    FieldProblems.Add(errors, field, $"'{r.TradingDays[i]}' is not a day of the week (Sunday, Monday, ... Saturday)");
                }
                else if (!days.Add(day))
                {
                    FieldProblems.Add(errors, field, $"{day} is listed twice");
                }
            }
        }

        var sessions = CheckSessions(r.Sessions, errors);
        var tradingDayKnown = !errors.Keys.Any(k => k.StartsWith("tradingDays", StringComparison.Ordinal));
        var holidays = new Dictionary<DateOnly, int>();
        if (r.Holidays is { } hs)
        {
            TooMany(errors, "holidays", hs.Count);
            for (var i = 0; i < hs.Count; i++)
            {
                var h = hs[i];
                var field = Indexed("holidays", i);
                if (Date(errors, field + ".date", h?.Date) is { } date)
                {
                    if (holidays.TryGetValue(date, out var first))
                    {
                        FieldProblems.Add(errors, field + ".date", string.Create(CultureInfo.InvariantCulture, $"{date:yyyy-MM-dd} is holiday {first + 1} already"));
                    }
                    else
                    {
                        holidays[date] = i;
                        if (tradingDayKnown && !days.Contains(date.DayOfWeek))
                        {
                            FieldProblems.Add(errors, field + ".date", string.Create(CultureInfo.InvariantCulture,
                                $"{date:yyyy-MM-dd} is a {date.DayOfWeek}, not a trading day: the venue is closed anyway (drop it, or add the day to tradingDays)"));
                        }
                    }
                }
                Name(errors, field + ".name", h?.Name, "e.g. 'Coptic Christmas'");
            }
        }

        var halfDays = new HashSet<DateOnly>();
        if (r.HalfDays is { } hds)
        {
            TooMany(errors, "halfDays", hds.Count);
            for (var i = 0; i < hds.Count; i++)
            {
                var h = hds[i];
                var field = Indexed("halfDays", i);
                if (Date(errors, field + ".date", h?.Date) is { } date)
                {
                    if (!halfDays.Add(date))
                    {
                        FieldProblems.Add(errors, field + ".date", string.Create(CultureInfo.InvariantCulture, $"{date:yyyy-MM-dd} is a half day already"));
                    }
                    else if (holidays.ContainsKey(date))
                    {
                        FieldProblems.Add(errors, field + ".date", string.Create(CultureInfo.InvariantCulture,
                            $"{date:yyyy-MM-dd} is a holiday: a day is either closed or closes early, not both"));
                    }
                    else if (tradingDayKnown && !days.Contains(date.DayOfWeek))
                    {
                        FieldProblems.Add(errors, field + ".date", string.Create(CultureInfo.InvariantCulture,
                            $"{date:yyyy-MM-dd} is a {date.DayOfWeek}, not a trading day: it cannot close early"));
                    }
                }
                if (Time(errors, field + ".closeAt", h?.CloseAt, allowEndOfDay: false) is { } close && sessions is { Count: > 0 })
                {
                    var open = sessions.Min(s => s.Start);
                    var end = sessions.Max(s => s.End);
                    if (close <= open || close >= end)
                    {
                        FieldProblems.Add(errors, field + ".closeAt", $"{Format(close)} is not inside the trading day ({Format(open)}-{Format(end)}): an early close " +
                            "falls after the first session starts and before the last one ends");
                    }
                }
                Name(errors, field + ".name", h?.Name, "e.g. 'Eve of Eid al-Adha'");
            }
        }

        var reason = FieldProblems.Clean(r.Reason);
        if (reason is null)
        {
            FieldProblems.Add(errors, "reason", "is required: say why (e.g. 'EGX holidays 2027, notice 2026/311')");
        }
        else if (reason.Length > MaxReason)
        {
            FieldProblems.Add(errors, "reason", string.Create(CultureInfo.InvariantCulture, $"is {reason.Length} characters; at most {MaxReason}"));
        }
        return errors;
    }

    /// <summary>Sets the calendar of <paramref name="v"/> from a request that <see cref="Check"/> accepted (sorted by date and time).</summary>
    public static void Apply(VenueCalendarRequest r, Venue v)
    {
        v.TimeZone = r.TimeZone!.Trim();
        v.TradingDays = [.. r.TradingDays!.Select(d => TryDay(d, out var day) ? day : throw new ArgumentException($"unchecked day {d}")).Order()];
        v.Sessions = [.. r.Sessions!.Select(s => new SessionDefinition(ParseTime(s!.Start!, true), ParseTime(s.End!, true),
            Enum.Parse<MarketPhase>(s.Phase!.Trim(), ignoreCase: true).ToString())).OrderBy(s => s.Start)];
        var holidays = (r.Holidays ?? []).Select(h => new VenueHoliday(ParseDate(h!.Date!), h.Name!.Trim())).OrderBy(h => h.Date).ToList();
        v.Holidays = [.. holidays.Select(h => h.Date)];
        v.HolidayNames = holidays;
        v.HalfDays = [.. (r.HalfDays ?? []).Select(h => new VenueHalfDay(ParseDate(h!.Date!), ParseTime(h.CloseAt!, false), h.Name!.Trim())).OrderBy(h => h.Date)];
    }

    /// <summary>Copies a venue's calendar fields.</summary>
    public static void CopyCalendar(Venue from, Venue to)
    {
        to.TimeZone = from.TimeZone;
        to.TradingDays = [.. from.TradingDays];
        to.Sessions = [.. from.Sessions];
        to.Holidays = [.. from.Holidays];
        to.HolidayNames = [.. from.HolidayNames];
        to.HalfDays = [.. from.HalfDays];
    }

    /// <summary>A detached copy of a venue row.</summary>
    public static Venue Clone(Venue v)
    {
        var copy = new Venue
        {
            Code = v.Code, Mic = v.Mic, Name = v.Name, Country = v.Country, IsEea = v.IsEea, Currency = v.Currency, TimeZone = v.TimeZone,
            DefaultLotSize = v.DefaultLotSize, PriceDecimals = v.PriceDecimals, PriceLimitUpBps = v.PriceLimitUpBps,
            PriceLimitDownBps = v.PriceLimitDownBps, TickTable = [.. v.TickTable], MarketOrdersInAuctions = v.MarketOrdersInAuctions,
            VolatilityBandBps = v.VolatilityBandBps, SuspensionMinutes = v.SuspensionMinutes, ClosingVwapMinutes = v.ClosingVwapMinutes,
            TimestampDecimals = v.TimestampDecimals, SettlementDays = v.SettlementDays, Source = v.Source,
        };
        CopyCalendar(v, copy);
        return copy;
    }

    /// <summary>The calendar as answered (and as a version stores it, without version, phase and time).</summary>
    public static VenueCalendarResponse Response(Venue v, int version, string phaseNow, DateTime localNow)
    {
        var names = v.HolidayNames.GroupBy(h => h.Date).ToDictionary(g => g.Key, g => g.First().Name);
        return new(v.Code, v.Name, version, v.TimeZone, [.. v.TradingDays.Order().Select(d => d.ToString())],
            [.. v.Sessions.OrderBy(s => s.Start).Select(s => new VenueSessionRequest(Format(s.Start), Format(s.End), s.Phase))],
            [.. v.Holidays.Order().Select(d => new VenueHolidayRequest(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), names.GetValueOrDefault(d, "")))],
            [.. v.HalfDays.OrderBy(h => h.Date).Select(h => new VenueHalfDayRequest(h.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Format(h.CloseAt), h.Name))],
            phaseNow, localNow);
    }

    /// <summary>The calendar as a version stores it.</summary>
    public static JsonObject Snapshot(Venue v)
    {
        var json = JsonSerializer.SerializeToNode(Response(v, 0, "", default), VersionSnapshots.Json)!.AsObject();
        json.Remove("version");
        json.Remove("phaseNow");
        json.Remove("localTimeNow");
        json.Remove("code");
        json.Remove("name");
        return json;
    }

    /// <summary>A venue-local time as the API writes it: HH:mm (HH:mm:ss when it has seconds), "24:00" for the end of the day.</summary>
    public static string Format(TimeOnly t) =>
        t >= new TimeOnly(23, 59, 59, 999) ? "24:00" : t.ToString(t.Second == 0 ? "HH:mm" : "HH:mm:ss", CultureInfo.InvariantCulture);

    private static List<SessionDefinition>? CheckSessions(IReadOnlyList<VenueSessionRequest?>? sessions, Dictionary<string, List<string>> errors)
    {
        if (sessions is not { Count: > 0 })
        {
            FieldProblems.Add(errors, "sessions", "is required: at least one session (start, end, phase) in the venue's local time");
            return null;
        }
        TooMany(errors, "sessions", sessions.Count);
        var parsed = new List<(int Index, SessionDefinition Session)>();
        for (var i = 0; i < sessions.Count; i++)
        {
            var s = sessions[i];
            var field = Indexed("sessions", i);
            var start = Time(errors, field + ".start", s?.Start, allowEndOfDay: false);
            var end = Time(errors, field + ".end", s?.End, allowEndOfDay: true);
            var phase = FieldProblems.Clean(s?.Phase);
            var phaseOk = phase is not null && Phases.Contains(phase, StringComparer.OrdinalIgnoreCase);
            if (!phaseOk)
            {
                FieldProblems.Add(errors, field + ".phase", phase is null
                    ? "is required: one of " + string.Join(", ", Phases)
                    : $"'{phase}' is not a session phase: one of {string.Join(", ", Phases)} (the time outside every session is Closed)");
            }
            if (start is { } a && end is { } b)
            {
                if (b <= a)
                {
                    FieldProblems.Add(errors, field + ".end", $"{Format(b)} is not after the start {Format(a)}: a session starts before it ends");
                }
                else if (phaseOk)
                {
                    parsed.Add((i, new SessionDefinition(a, b, phase!)));
                }
            }
        }
        var sorted = parsed.OrderBy(p => p.Session.Start).ToList();
        for (var k = 1; k < sorted.Count; k++)
        {
            var (prevIndex, prev) = sorted[k - 1];
            var (index, current) = sorted[k];
            if (prev.End > current.Start)
            {
                FieldProblems.Add(errors, Indexed("sessions", index) + ".start", string.Create(CultureInfo.InvariantCulture,
                    $"{Format(current.Start)} is before session {prevIndex + 1} ends ({Format(prev.End)}): sessions must not overlap"));
            }
        }
        return parsed.Count == sessions.Count ? [.. parsed.Select(p => p.Session)] : null;
    }

    private static string Indexed(string field, int i) => string.Create(CultureInfo.InvariantCulture, $"{field}[{i}]");

    private static void TooMany(Dictionary<string, List<string>> errors, string field, int count)
    {
        if (count > MaxEntries)
        {
            FieldProblems.Add(errors, field, string.Create(CultureInfo.InvariantCulture, $"has {count} entries; at most {MaxEntries}"));
        }
    }

    private static void Name(Dictionary<string, List<string>> errors, string field, string? value, string example)
    {
        var name = FieldProblems.Clean(value);
        if (name is null)
        {
            FieldProblems.Add(errors, field, $"is required: its name ({example})");
        }
        else if (name.Length > MaxName)
        {
            FieldProblems.Add(errors, field, string.Create(CultureInfo.InvariantCulture, $"is {name.Length} characters; at most {MaxName}"));
        }
    }

    private static DateOnly? Date(Dictionary<string, List<string>> errors, string field, string? value)
    {
        var text = FieldProblems.Clean(value);
        if (text is null)
        {
            FieldProblems.Add(errors, field, "is required: a date, yyyy-MM-dd (venue-local)");
            return null;
        }
        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            FieldProblems.Add(errors, field, $"'{text}' is not a date: yyyy-MM-dd, e.g. 2027-01-07");
            return null;
        }
        if (date.Year is < 2000 or > 2100)
        {
            FieldProblems.Add(errors, field, $"'{text}' is outside 2000-2100");
            return null;
        }
        return date;
    }

    private static TimeOnly? Time(Dictionary<string, List<string>> errors, string field, string? value, bool allowEndOfDay)
    {
        var text = FieldProblems.Clean(value);
        if (text is null)
        {
            FieldProblems.Add(errors, field, "is required: a venue-local time, HH:mm");
            return null;
        }
        if (text == "24:00")
        {
            if (allowEndOfDay)
            {
                return EndOfDay;
            }
            FieldProblems.Add(errors, field, "'24:00' is the end of the day: a time of day here is 00:00-23:59");
            return null;
        }
        if (!TimeOnly.TryParseExact(text, TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            FieldProblems.Add(errors, field, $"'{text}' is not a time: HH:mm (24-hour, venue-local), e.g. 10:00{(allowEndOfDay ? ", or 24:00 for midnight" : "")}");
            return null;
        }
        return time;
    }

    private static TimeOnly ParseTime(string text, bool allowEndOfDay) =>
        allowEndOfDay && text.Trim() == "24:00" ? EndOfDay : TimeOnly.ParseExact(text.Trim(), TimeFormats, CultureInfo.InvariantCulture);

    private static DateOnly ParseDate(string text) => DateOnly.ParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static bool TryDay(string? text, out DayOfWeek day)
    {
        day = default;
        var t = FieldProblems.Clean(text);
        return t is not null && !int.TryParse(t, out _) && Enum.TryParse(t, ignoreCase: true, out day) && Enum.IsDefined(day);
    }
}
