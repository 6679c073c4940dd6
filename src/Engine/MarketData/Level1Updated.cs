namespace TradSys.Engine.MarketData;

/// <summary>
/// An incremental level-1 update: which fields changed and the resulting level-1 state. Emitted by the engine
/// integration after a trade, a change of the best bid or ask, or a session reset.
/// </summary>
/// <param name="Changed">The fields that changed; never <see cref="Level1Changes.None"/>.</param>
/// <param name="Current">The level-1 state after the change, with the event's timestamp.</param>
public readonly record struct Level1Updated(Level1Changes Changed, Level1Snapshot Current);
