
namespace TradSys.Web.Persistence.Entities;

/// <summary>
/// The current state of an order: a projection of its journal (<see cref="OrderEventRecord"/>),
/// updated in the same transaction as the events that change it.
/// </summary>
public sealed class OrderRecord
{
    public long Id { get; set; }
    public required string ClientOrderId { get; set; }
    public long AccountId { get; set; }
    /// <summary>The user who submitted it.</summary>
    public long UserId { get; set; }
    public required string Symbol { get; set; }
    public Side Side { get; set; }
    public OrderType Type { get; set; }
    public TimeInForce TimeInForce { get; set; }
    /// <summary>Limit price; null for market, stop and market-to-limit orders (until a market-to-limit order rests).</summary>
    public decimal? Price { get; set; }
    /// <summary>Trigger price of a stop or stop-limit order.</summary>
    public decimal? StopPrice { get; set; }
    /// <summary>Iceberg: the quantity shown in the book at a time (null for a fully displayed order).</summary>
    public long? DisplayQuantity { get; set; }
    /// <summary>Iceberg: what is left of the slice now shown (restored on restart so the book is rebuilt exactly).</summary>
    public long? DisplayedQuantity { get; set; }
    /// <summary>Good-till-date: when the order expires (UTC).</summary>
    public DateTime? ExpireAt { get; set; }
    /// <summary>When a stop order was triggered; null while it waits (or for other types).</summary>
    public DateTime? TriggeredAt { get; set; }
    public long Quantity { get; set; }
    public long FilledQuantity { get; set; }
    public long LeavesQuantity { get; set; }
    /// <summary>Sum of price x quantity over fills: exact, so the average price is exact too.</summary>
    public decimal FilledNotional { get; set; }
    public OrderStatus Status { get; set; }
    public int? RejectCode { get; set; }
    public string? RejectReason { get; set; }
    /// <summary>
    /// Why the order was canceled when nobody asked for it (the engine's reason: an IOC's or a market order's remainder, a FOK
    /// that could not fill, self-trade prevention; an expiry; an auction's unexecuted market order); null for a cancel on request.
    /// </summary>
    public string? CancelReason { get; set; }
    /// <summary>
    /// The <c>Idempotency-Key</c> of the last amendment carried out (PATCH /api/v1/orders/{id}), null when it had none: the same
    /// amendment sent again (a balancer's resend after the node that carried it out died, a client's retry after a lost answer) is
    /// answered with the order as it stands instead of being refused or applied twice.
    /// </summary>
    public string? AmendKey { get; set; }
    /// <summary>Journal sequence at which the order last took its place in the queue (time priority).</summary>
    public long PrioritySequence { get; set; }
    /// <summary>Reg SHO / RTS 22 marking of a sell: Long, Short or ShortExempt (None for buys).</summary>
    public ShortMarking ShortMarking { get; set; }
    /// <summary>The locate or borrow reference given with a short sale.</summary>
    public string? LocateId { get; set; }
    /// <summary>The order uses margin (borrowed money).</summary>
    public bool UsesMargin { get; set; }
    /// <summary>The order results from advice or a discretionary mandate (not execution-only).</summary>
    public bool IsAdvised { get; set; }
    /// <summary>The other counterparty's LEI (OTC, derivatives).</summary>
    public string? CounterpartyLei { get; set; }
    /// <summary>A pre-agreed UTI given with the order.</summary>
    public string? Uti { get; set; }
    /// <summary>The trade will be cleared by a CCP.</summary>
    public bool IsCleared { get; set; }
    /// <summary>Mark-up over the execution price, basis points.</summary>
    public decimal MarkupBps { get; set; }
    /// <summary>The mark-up was disclosed to the client before the order.</summary>
    public bool MarkupDisclosed { get; set; }
    /// <summary>The rule packs' outcome for this order (Pass, Warn, Report, Review, Block); null for orders from before the rules stage.</summary>
    public string? RuleOutcome { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    /// <summary>
    /// The fingerprint of the terms the order was submitted with (<see cref="Ordering.ClientOrderIds.SubmissionOf"/>): a resend
    /// of the same submission gets this order back even after it was amended. Null for orders stored before it existed.
    /// </summary>
    public long? SubmissionHash { get; set; }

    /// <summary>
    /// The configured FIX session (<c>Fix:Sessions:N:Name</c>) the order was routed to, its venue's route (<c>Routing:Venues</c>);
    /// null for an order matched by the platform's own engine. A routed order never enters the engine's books.
    /// </summary>
    public string? RoutedSession { get; set; }

    /// <summary>The exchange's own id of a routed order (OrderID, tag 37), once it has answered.</summary>
    public string? VenueOrderId { get; set; }

    /// <summary>
    /// The ClOrdID the venue knows a routed order by now: null while it is the first one (<c>TS{id}</c>); a replace's once the venue
    /// has confirmed it (the OrigClOrdID of the next cancel or replace).
    /// </summary>
    public string? VenueClOrdId { get; set; }

    /// <summary>How many cancel and replace requests the order has sent to its venue (each one's ClOrdID counts on from it).</summary>
    public int VenueRequests { get; set; }

    /// <summary>A cancel or replace sent to the venue and not yet answered: PendingCancel or PendingReplace; null when none.</summary>
    public string? VenuePending { get; set; }

    /// <summary>The ClOrdID of the request <see cref="VenuePending"/> waits for.</summary>
    public string? VenuePendingClOrdId { get; set; }

    /// <summary>A pending replace's new limit price (null for a market order's).</summary>
    public decimal? VenuePendingPrice { get; set; }

    /// <summary>A pending replace's new total quantity.</summary>
    public long? VenuePendingQuantity { get; set; }

    public decimal? AveragePrice => FilledQuantity == 0 ? null : FilledNotional / FilledQuantity;
    public bool IsWorking => Status is OrderStatus.Accepted or OrderStatus.PartiallyFilled;

    /// <summary>Held by the host for review (a rule pack said Review); not in the engine's book.</summary>
    public bool IsHeld => Status == OrderStatus.PendingReview;

    /// <summary>A stop or stop-limit order still waiting for its trigger (not in the book).</summary>
    public bool IsPendingStop => IsWorking && Type is OrderType.Stop or OrderType.StopLimit && TriggeredAt is null;

    /// <summary>A copy of the state as it is now (the order writer keeps mutating the live record).</summary>
    public OrderRecord Snapshot() => (OrderRecord)MemberwiseClone();
}
