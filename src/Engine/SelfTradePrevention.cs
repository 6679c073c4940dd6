namespace TradSys.Engine;

/// <summary>
/// What the engine does when an incoming order would trade with a resting order of the same account. The mode is the
/// incoming order's (the host passes its account's setting); it stays with the order, so it also applies when an amend
/// makes the order cross or when a stop order triggers.
/// </summary>
public enum SelfTradePrevention
{
    /// <summary>No prevention: the two orders trade.</summary>
    None = 0,

    /// <summary>Cancel the resting order (OrderCanceled with <see cref="CancelReason.SelfTradePrevention"/>) and keep matching.</summary>
    CancelResting = 1,

    /// <summary>Cancel the incoming order's remainder and stop matching; the resting order stays.</summary>
    CancelIncoming = 2,

    /// <summary>Cancel the resting order, then the incoming order's remainder.</summary>
    CancelBoth = 3,
}
