namespace TradSys.Engine.Reference;

/// <summary>
/// A venue's weekly timetable: its trading days, the phases of a trading day in local venue time, its holidays
/// and its half days (early closes, see <see cref="HalfDay"/>). Immutable; every query is a pure function of the
/// local venue time passed in: the host converts instants with the venue's time zone (which is where daylight
/// saving time, e.g. Cairo's, is handled) and schedules phase transitions with <see cref="TryGetNextPhaseChange"/>.
/// </summary>
public sealed class TradingSchedule
{
    /// <summary>How many days ahead <see cref="TryGetNextPhaseChange"/> and <see cref="TryGetNextOpen"/> search by default.</summary>
    public const int DefaultSearchDays = 14;

    private readonly bool[] tradingDays = new bool[7];
    private readonly SessionPhase[] phases;
    private readonly HashSet<DateOnly> holidays;
    private readonly Dictionary<DateOnly, TimeOnly> halfDays;

    /// <summary>Creates a schedule.</summary>
    /// <param name="tradingDays">The days of the week the venue trades.</param>
    /// <param name="phases">The phases of a trading day; each must start before it ends (or end at
    /// <see cref="SessionPhase.EndOfDay"/>), and they must not overlap.</param>
    /// <param name="holidays">Dates (local venue calendar) on which the venue is closed.</param>
    /// <exception cref="ArgumentException">A phase is empty, or two phases overlap.</exception>
    public TradingSchedule(IReadOnlyList<DayOfWeek> tradingDays, IReadOnlyList<SessionPhase> phases, IReadOnlyCollection<DateOnly> holidays)
        : this(tradingDays, phases, holidays, [])
    {
    }

    /// <summary>Creates a schedule with half days.</summary>
    /// <param name="tradingDays">The days of the week the venue trades.</param>
    /// <param name="phases">The phases of a trading day; each must start before it ends (or end at
    /// <see cref="SessionPhase.EndOfDay"/>), and they must not overlap.</param>
    /// <param name="holidays">Dates (local venue calendar) on which the venue is closed.</param>
    /// <param name="halfDays">Dates on which the venue closes early; at most one per date. A holiday wins over a half day.</param>
    /// <exception cref="ArgumentException">A phase is empty, two phases overlap, or a date has two half days.</exception>
    public TradingSchedule(
        IReadOnlyList<DayOfWeek> tradingDays,
        IReadOnlyList<SessionPhase> phases,
        IReadOnlyCollection<DateOnly> holidays,
        IReadOnlyCollection<HalfDay> halfDays)
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

        if (halfDays is null)
        {
            ThrowHelper.ThrowArgumentNull(nameof(halfDays));
        }

        this.phases = sorted;
        this.holidays = [.. holidays];
        this.halfDays = new Dictionary<DateOnly, TimeOnly>(halfDays.Count);
        foreach (HalfDay halfDay in halfDays)
        {
            if (!this.halfDays.TryAdd(halfDay.Date, halfDay.CloseAt))
            {
                ThrowHelper.ThrowArgument(
                    string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{halfDay.Date:yyyy-MM-dd} has more than one half day."),
                    nameof(halfDays));
            }
        }
    }

    /// <summary>Every day of the week, continuous trading from 00:00 to 24:00, no holidays: for the internal venue and tests.</summary>
    public static TradingSchedule AlwaysOpen { get; } = new(
        [DayOfWeek.Sunday, DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday],
        [new SessionPhase(TimeOnly.MinValue, SessionPhase.EndOfDay, MarketPhase.Continuous)],
        []);

    /// <summary>The phases of a normal (full) trading day, sorted by start time.</summary>
    public IReadOnlyList<SessionPhase> Phases => phases;

    /// <summary>True when <paramref name="date"/> is a trading day of the week and not a holiday.</summary>
    /// <param name="date">A local venue date.</param>
    /// <returns>Whether the venue trades that day.</returns>
    public bool IsTradingDay(DateOnly date) => tradingDays[(int)date.DayOfWeek] && !holidays.Contains(date);

    /// <summary>
    /// The settlement date of a trade: <paramref name="cycleDays"/> trading days after <paramref name="tradeDate"/> (T+2 is the second
    /// trading day after the trade date, skipping weekends and holidays); the trade date itself when the cycle is 0.
    /// </summary>
    /// <param name="tradeDate">The trade's local venue date.</param>
    /// <param name="cycleDays">The settlement cycle in trading days; not negative.</param>
    /// <returns>The local venue date on which the trade settles.</returns>
    public DateOnly SettlementDate(DateOnly tradeDate, int cycleDays)
    {
        if (cycleDays < 0)
        {
            ThrowHelper.ThrowArgument("The settlement cycle cannot be negative.", nameof(cycleDays));
        }
        var date = tradeDate;
        for (var counted = 0; counted < cycleDays;)
        {
            date = date.AddDays(1);
            if (IsTradingDay(date))
            {
                counted++;
            }
            else if (date.DayNumber - tradeDate.DayNumber > 366 * (cycleDays + 1))
            {
                ThrowHelper.ThrowArgument("The schedule has no trading day to settle on.", nameof(cycleDays));
            }
        }
        return date;
    }

    /// <summary>True when <paramref name="date"/> is a trading day on which the venue closes early.</summary>
    /// <param name="date">A local venue date.</param>
    /// <param name="closeAt">The early close when it is one; otherwise <see cref="TimeOnly.MinValue"/>.</param>
    /// <returns>Whether the date is a trading half day.</returns>
    public bool IsHalfDay(DateOnly date, out TimeOnly closeAt)
    {
        if (IsTradingDay(date) && halfDays.TryGetValue(date, out closeAt))
        {
            return true;
        }

        closeAt = TimeOnly.MinValue;
        return false;
    }

    /// <summary>
    /// The phases in force on <paramref name="date"/>, sorted by start: none on a non-trading day or holiday, the
    /// normal phases truncated at the close on a half day (see <see cref="HalfDay"/>), the normal phases otherwise.
    /// </summary>
    /// <param name="date">A local venue date.</param>
    /// <param name="destination">Where the phases are written; room for <see cref="Phases"/>.Count always suffices.</param>
    /// <returns>How many phases were written.</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    public int GetPhases(DateOnly date, Span<SessionPhase> destination)
    {
        if (!IsTradingDay(date))
        {
            return 0;
        }

        bool isHalfDay = halfDays.TryGetValue(date, out TimeOnly closeAt);
        int count = 0;
        for (int i = 0; i < phases.Length; i++)
        {
            SessionPhase phase = phases[i];
            if (isHalfDay)
            {
                if (phase.Start >= closeAt)
                {
                    break;
                }

                if (phase.EndsAtEndOfDay || phase.End > closeAt)
                {
                    phase = phase with { End = closeAt };
                }
            }

            if (count == destination.Length)
            {
                ThrowHelper.ThrowArgument("The destination is too short for the day's phases.", nameof(destination));
            }

            destination[count++] = phase;
        }

        return count;
    }

    /// <summary>The phase in force at a local venue time: <see cref="MarketPhase.Closed"/> on non-trading days,
    /// holidays, after a half day's early close and outside every phase.</summary>
    /// <param name="venueLocalTime">The local venue date and time (its <see cref="DateTime.Kind"/> is ignored).</param>
    /// <returns>The phase.</returns>
    public MarketPhase PhaseAt(DateTime venueLocalTime)
    {
        DateOnly date = DateOnly.FromDateTime(venueLocalTime);
        if (!IsTradingDay(date))
        {
            return MarketPhase.Closed;
        }

        TimeOnly time = TimeOnly.FromDateTime(venueLocalTime);
        if (halfDays.TryGetValue(date, out TimeOnly closeAt) && time >= closeAt)
        {
            return MarketPhase.Closed;
        }

        for (int i = 0; i < phases.Length; i++)
        {
            if (phases[i].Contains(time))
            {
                return phases[i].Phase;
            }
        }

        return MarketPhase.Closed;
    }

    /// <summary>
    /// The next instant strictly after <paramref name="venueLocalTime"/> at which the phase in force changes, and the
    /// phase that starts then: what the host schedules its next transition on. Trading days, holidays and half days
    /// are honoured; a boundary between two phases of the same kind is not a change. Allocation-free.
    /// </summary>
    /// <param name="venueLocalTime">The local venue date and time to search from (exclusive).</param>
    /// <param name="atLocal">The local venue time of the change; <see cref="DateTime.MinValue"/> when none is found.</param>
    /// <param name="next">The phase in force from <paramref name="atLocal"/>.</param>
    /// <param name="searchDays">How many calendar days after <paramref name="venueLocalTime"/>'s date to search, 1 or more.</param>
    /// <returns>False when the phase does not change within the search window (e.g. a venue that is always open).</returns>
    /// <remarks>Local times are wall-clock times: the host converts <paramref name="atLocal"/> to UTC with the venue's
    /// time zone. A change that falls in a skipped daylight-saving hour is the host's to resolve (venues do not put
    /// phase boundaries there).</remarks>
    public bool TryGetNextPhaseChange(DateTime venueLocalTime, out DateTime atLocal, out MarketPhase next, int searchDays = DefaultSearchDays)
    {
        if (searchDays < 1)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(searchDays), "Search at least one day ahead.");
        }

        MarketPhase current = PhaseAt(venueLocalTime);
        DateOnly firstDay = DateOnly.FromDateTime(venueLocalTime);
        for (int day = 0; day <= searchDays; day++)
        {
            DateOnly date = firstDay.AddDays(day);
            DateTime midnight = date.ToDateTime(TimeOnly.MinValue);

            // Midnight is a boundary too: a holiday or non-trading day can follow a phase that runs to 24:00.
            if (IsChange(midnight, venueLocalTime, current, out next))
            {
                atLocal = midnight;
                return true;
            }

            if (!IsTradingDay(date))
            {
                continue;
            }

            bool isHalfDay = halfDays.TryGetValue(date, out TimeOnly closeAt);
            for (int i = 0; i < phases.Length; i++)
            {
                SessionPhase phase = phases[i];
                if (isHalfDay && phase.Start >= closeAt)
                {
                    break;
                }

                DateTime start = date.ToDateTime(phase.Start);
                if (IsChange(start, venueLocalTime, current, out next))
                {
                    atLocal = start;
                    return true;
                }

                bool cut = isHalfDay && (phase.EndsAtEndOfDay || phase.End > closeAt);
                if (cut || !phase.EndsAtEndOfDay)
                {
                    DateTime end = date.ToDateTime(cut ? closeAt : phase.End);
                    if (IsChange(end, venueLocalTime, current, out next))
                    {
                        atLocal = end;
                        return true;
                    }
                }
            }
        }

        atLocal = DateTime.MinValue;
        next = current;
        return false;
    }

    /// <summary>
    /// The next instant strictly after <paramref name="venueLocalTime"/> at which the venue leaves
    /// <see cref="MarketPhase.Closed"/> (the start of the next trading day's first phase), and that phase.
    /// </summary>
    /// <param name="venueLocalTime">The local venue date and time to search from (exclusive).</param>
    /// <param name="atLocal">The local venue time of the opening; <see cref="DateTime.MinValue"/> when none is found.</param>
    /// <param name="phase">The phase the venue opens into (e.g. <see cref="MarketPhase.PreOpen"/>).</param>
    /// <param name="searchDays">How many calendar days after <paramref name="venueLocalTime"/>'s date to search, 1 or more.</param>
    /// <returns>False when the venue does not open within the search window.</returns>
    public bool TryGetNextOpen(DateTime venueLocalTime, out DateTime atLocal, out MarketPhase phase, int searchDays = DefaultSearchDays)
    {
        DateOnly lastDay = DateOnly.FromDateTime(venueLocalTime).AddDays(searchDays);
        DateTime from = venueLocalTime;
        MarketPhase before = PhaseAt(from);
        while (TryGetNextPhaseChange(from, out atLocal, out phase, searchDays) && DateOnly.FromDateTime(atLocal) <= lastDay)
        {
            if (before == MarketPhase.Closed)
            {
                return true;
            }

            before = phase;
            from = atLocal;
        }

        atLocal = DateTime.MinValue;
        phase = MarketPhase.Closed;
        return false;
    }

    private bool IsChange(DateTime candidate, DateTime after, MarketPhase current, out MarketPhase phase)
    {
        phase = current;
        if (candidate <= after)
        {
            return false;
        }

        phase = PhaseAt(candidate);
        return phase != current;
    }
}
