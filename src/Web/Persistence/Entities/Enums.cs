namespace TradSys.Web.Persistence.Entities;

// ClientCategory, Jurisdiction, FatcaStatus and UsIndicia are the rules library's (TradSys.Rules.Context),
// aliased in Web.csproj: the rule packs read the same values the database holds.

/// <summary>Trading state of an instrument.</summary>
public enum InstrumentStatus
{
    Trading = 1,
    Halted = 2,
    Suspended = 3,
    /// <summary>Delisted through POST /api/v1/instruments/{symbol}/delist: takes no orders; its working orders were canceled.</summary>
    Delisted = 4,
}

/// <summary>What an order journal entry records.</summary>
public enum OrderEventKind
{
    Accepted = 1,
    Rejected = 2,
    PartiallyFilled = 3,
    Filled = 4,
    Modified = 5,
    Canceled = 6,
    /// <summary>A stop or stop-limit order's trigger price was reached; it now trades as a market or limit order.</summary>
    Triggered = 7,
    /// <summary>A rule pack held the order for review: the host keeps it out of the engine until people decide.</summary>
    HeldForReview = 8,
    /// <summary>A held order was released to the engine (the workflow's approval).</summary>
    Released = 9,
    /// <summary>The order was sent to an exchange over FIX (pending new until the venue answers); the reason names the venue and session.</summary>
    Routed = 10,
    /// <summary>A cancel of a routed order was sent to its exchange (pending cancel until the venue answers); the reason names the ClOrdID.</summary>
    CancelRequested = 11,
    /// <summary>An amendment of a routed order was sent to its exchange as a replace (pending replace until the venue answers).</summary>
    ReplaceRequested = 12,
    /// <summary>The exchange refused a cancel or replace (OrderCancelReject, 35=9), or it could not be sent: the order keeps its terms.</summary>
    CancelRejected = 13,
}
