namespace TradSys.Engine.Reference;

/// <summary>
/// A venue's weekly timetable: its trading days, the phases of a trading day in local venue time, and
/// its holidays. Immutable; <see cref="PhaseAt"/> is a pure function of the local time passed in.
/// </summary>
public sealed class TradingSchedule
{
    private readonly bool[] tradingDays = new bool[7];
    private readonly SessionPhase[] phases;
    private readonly HashSet<DateOnly> holidays;

    /// <summary>Creates a schedule.</summary>
    /// <param name="tradingDays">The days of the week the venue trades.</param>
    /// <param name="phases">The phases of a trading day; each must start before it ends (or end at
    /// <see cref="SessionPhase.EndOfDay"/>), and they must not overlap.</param>
    /// <param name="holidays">Dates (local venue calendar) on which the venue is closed.</param>
    /// <exception cref="ArgumentException">A phase is empty, or two phases overlap.</exception>
    public TradingSchedule(IReadOnlyList<DayOfWeek> tradingDays, IReadOnlyList<SessionPhase> phases, IReadOnlyCollection<DateOnly> holidays)
    {
        if (tradingDays is null)
        {
            ThrowHelper.ThrowArgumentNull(nameof(tradingDays));
        }

        if (phases is null)
        {
            ThrowHelper.ThrowArgumentNull(nameof(phases));
        }

        if (holidays is null)
        {
            ThrowHelper.ThrowArgumentNull(nameof(holidays));
        }

        for (int i = 0; i < tradingDays.Count; i++)
        {
            DayOfWeek day = tradingDays[i];
            if ((uint)day > (uint)DayOfWeek.Saturday)
            {
                ThrowHelper.ThrowArgument("A trading day is not a valid day of the week.", nameof(tradingDays));
            }

            this.tradingDays[(int)day] = true;
        }

        var sorted = new SessionPhase[phases.Count];
        for (int i = 0; i < sorted.Length; i++)
        {
            SessionPhase phase = phases[i];
            if (!phase.EndsAtEndOfDay && phase.End <= phase.Start)
            {
                ThrowHelper.ThrowArgument($"Phase {phase.Phase} must start before it ends.", nameof(phases));
            }

            sorted[i] = phase;
        }

        Array.Sort(sorted, static (a, b) => a.Start.CompareTo(b.Start));
        for (int i = 1; i < sorted.Length; i++)
        {
            if (sorted[i - 1].EndsAtEndOfDay || sorted[i - 1].End > sorted[i].Start)
            {
                ThrowHelper.ThrowArgument($"Phases {sorted[i - 1].Phase} and {sorted[i].Phase} overlap.", nameof(phases));
            }
        }

        this.phases = sorted;
        this.holidays = [.. holidays];
    }

    /// <summary>Every day of the week, continuous trading from 00:00 to 24:00, no holidays: for the internal venue and tests.</summary>
    public static TradingSchedule AlwaysOpen { get; } = new(
        [DayOfWeek.Sunday, DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday],
        [new SessionPhase(TimeOnly.MinValue, SessionPhase.EndOfDay, MarketPhase.Continuous)],
        []);

    /// <summary>The phases of a trading day, sorted by start time.</summary>
    public IReadOnlyList<SessionPhase> Phases => phases;

    /// <summary>True when <paramref name="date"/> is a trading day of the week and not a holiday.</summary>
    /// <param name="date">A local venue date.</param>
    /// <returns>Whether the venue trades that day.</returns>
    public bool IsTradingDay(DateOnly date) => tradingDays[(int)date.DayOfWeek] && !holidays.Contains(date);

    /// <summary>The phase in force at a local venue time: <see cref="MarketPhase.Closed"/> on non-trading days,
    /// holidays and outside every phase.</summary>
    /// <param name="venueLocalTime">The local venue date and time (its <see cref="DateTime.Kind"/> is ignored).</param>
    /// <returns>The phase.</returns>
    public MarketPhase PhaseAt(DateTime venueLocalTime)
    {
        if (!IsTradingDay(DateOnly.FromDateTime(venueLocalTime)))
        {
            return MarketPhase.Closed;
        }

        TimeOnly time = TimeOnly.FromDateTime(venueLocalTime);
        for (int i = 0; i < phases.Length; i++)
        {
            if (phases[i].Contains(time))
            {
                return phases[i].Phase;
            }
        }

        return MarketPhase.Closed;
    }
}
