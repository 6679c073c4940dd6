namespace TradSys.Engine;

/// <summary>The life-cycle status of an order, as the host reports it.</summary>
public enum OrderStatus
{
    /// <summary>Received, not yet acknowledged by the engine.</summary>
    New,

    /// <summary>Accepted by the engine; nothing filled.</summary>
    Accepted,

    /// <summary>Some of the quantity has traded; the rest is live.</summary>
    PartiallyFilled,

    /// <summary>All of the quantity has traded.</summary>
    Filled,

    /// <summary>Canceled by request or, for a market order, its untraded remainder.</summary>
    Canceled,

    /// <summary>Rejected by validation, risk, a compliance rule pack or the engine.</summary>
    Rejected,

    /// <summary>
    /// Held by a workflow (a rule pack's Review outcome, or a large order needing approvals): the host holds it and the
    /// engine never sees it until people approve it; the trader can cancel it meanwhile.
    /// </summary>
    PendingReview,
}
