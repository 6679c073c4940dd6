namespace TradSys.Engine.Fix;

/// <summary>
/// When a FIX session runs, in the venue's time zone: a daily window from <see cref="Start"/> to <see cref="End"/> local
/// time (overnight when End is before Start, all day when they are equal) on the listed days. Given as data; the session
/// decides in or out of session from the time passed in, and a new window means new sequence numbers (FIX's daily reset).
/// </summary>
public sealed class FixSessionSchedule
{
    private readonly bool[] days = new bool[7];

    /// <summary>Creates a schedule.</summary>
    /// <param name="zone">The venue's time zone (e.g. Africa/Cairo for EGX, Asia/Dubai for ADX).</param>
    /// <param name="start">Local start time.</param>
    /// <param name="end">Local end time.</param>
    /// <param name="tradingDays">The days a window may start on; every day when null.</param>
    public FixSessionSchedule(TimeZoneInfo zone, TimeOnly start, TimeOnly end, IEnumerable<DayOfWeek>? tradingDays = null)
    {
        ArgumentNullException.ThrowIfNull(zone);
        Zone = zone;
        Start = start;
        End = end;
        foreach (var day in tradingDays ?? Enum.GetValues<DayOfWeek>())
        {
            days[(int)day] = true;
        }
    }

    /// <summary>The venue's time zone.</summary>
    public TimeZoneInfo Zone { get; }

    /// <summary>Local start time.</summary>
    public TimeOnly Start { get; }

    /// <summary>Local end time.</summary>
    public TimeOnly End { get; }

    /// <summary>Whether a moment is within a session window.</summary>
    /// <param name="utc">The moment, UTC.</param>
    public bool IsInSession(DateTime utc) => SessionStartUtc(utc) is not null;

    /// <summary>The UTC start of the window containing a moment, or null when the moment is outside every window.</summary>
    /// <param name="utc">The moment, UTC.</param>
    public DateTime? SessionStartUtc(DateTime utc)
    {
        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Zone);
        var time = TimeOnly.FromDateTime(local);
        DateTime startDate;
        if (Start < End)
        {
            if (time < Start || time >= End)
            {
                return null;
            }

            startDate = local.Date;
        }
        else
        {
            // Overnight (or all day when Start == End): a time before the start belongs to the window opened yesterday.
            if (Start > End && time >= End && time < Start)
            {
                return null;
            }

            startDate = time >= Start ? local.Date : local.Date.AddDays(-1);
        }

        if (!days[(int)startDate.DayOfWeek])
        {
            return null;
        }

        var start = DateTime.SpecifyKind(startDate + Start.ToTimeSpan(), DateTimeKind.Unspecified);
        while (Zone.IsInvalidTime(start))
        {
            start = start.AddMinutes(30);
        }

        return TimeZoneInfo.ConvertTimeToUtc(start, Zone);
    }
}
