namespace TradSys.Engine.Reference;

/// <summary>
/// One phase of a trading day in local venue time: from <paramref name="Start"/> (inclusive) to
/// <paramref name="End"/> (exclusive). An <paramref name="End"/> of 00:00 (<see cref="EndOfDay"/>) means
/// midnight at the end of the day, so a phase can run to 24:00.
/// </summary>
/// <param name="Start">The first instant of the phase, local venue time.</param>
/// <param name="End">The first instant after the phase, local venue time; 00:00 for the end of the day.</param>
/// <param name="Phase">The market phase in force.</param>
public readonly record struct SessionPhase(TimeOnly Start, TimeOnly End, MarketPhase Phase)
{
    /// <summary>The <see cref="End"/> value that stands for 24:00 (midnight at the end of the day).</summary>
    public static TimeOnly EndOfDay => TimeOnly.MinValue;

    /// <summary>True when the phase runs to the end of the day.</summary>
    public bool EndsAtEndOfDay => End == EndOfDay;

    /// <summary>True when <paramref name="time"/> falls in <c>[Start, End)</c>.</summary>
    /// <param name="time">A local venue time of day.</param>
    /// <returns>Whether the phase is in force at that time.</returns>
    public bool Contains(TimeOnly time) => time >= Start && (EndsAtEndOfDay || time < End);
}
