namespace TradSys.Engine.Reference;

/// <summary>
/// A shortened trading day (early close), e.g. the eve of a holiday. On <paramref name="Date"/> the day's phases
/// are truncated at <paramref name="CloseAt"/>: a phase that starts at or after it is dropped, a phase that spans it
/// ends at it, and the venue is <see cref="MarketPhase.Closed"/> from it to midnight. Nothing is shifted: a venue
/// that still runs its closing auction on a half day configures that as data (an earlier <paramref name="CloseAt"/>
/// cannot move a phase).
/// </summary>
/// <param name="Date">The local venue date.</param>
/// <param name="CloseAt">The local venue time from which the venue is closed that day.</param>
public readonly record struct HalfDay(DateOnly Date, TimeOnly CloseAt);
