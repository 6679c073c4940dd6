namespace TradSys.Engine;

/// <summary>
/// How one instrument's book treats orders: the engine's view of the venue phase (the host maps
/// <see cref="Reference.MarketPhase"/> to a mode with <c>SetTradingMode</c>). Kept per book and included in the state hash.
/// </summary>
public enum TradingMode
{
    /// <summary>Continuous price-time matching (the default). With a price band set, a trade beyond it suspends the instrument.</summary>
    Continuous = 0,

    /// <summary>
    /// Call auction (pre-open, closing auction, pre-close): orders are accepted and rest without matching, the book may be
    /// crossed, market orders wait for the uncross, stops do not trigger, IOC and FOK are canceled on arrival.
    /// </summary>
    Call = 1,

    /// <summary>
    /// Trading at one fixed price (EGX trade-at-close, ADX trade-at-last): only limit orders at that price are taken, and they
    /// match in time priority at that price.
    /// </summary>
    AtPrice = 2,

    /// <summary>
    /// Suspended by a volatility band breach (or by the host): like <see cref="Call"/> (entry, amend and cancel allowed, nothing
    /// matches) until the host uncrosses and resumes the instrument.
    /// </summary>
    Halted = 3,

    /// <summary>Closed: new orders and amends are rejected (SessionClosed); cancels still work, so the host can expire orders.</summary>
    Closed = 4,
}
