namespace TradSys.Web.Fix.Venues;

/// <summary>An order's state as an exchange reports it (OrdStatus, tag 39).</summary>
public enum VenueOrderState
{
    PendingNew,
    New,
    PartiallyFilled,
    Filled,
    Canceled,
    Replaced,
    Rejected,
    Expired,
    PendingCancel,
    PendingReplace,
    /// <summary>Any other OrdStatus (done for day, stopped, suspended, calculated...): recorded, not applied.</summary>
    Other,
}

/// <summary>
/// What an exchange said about a routed order: an ExecutionReport (35=8) or an OrderCancelReject (35=9), read out of the FIX
/// message (which lives only during the session's callback) by <see cref="FixVenueMessages.TryReadExecution"/>.
/// </summary>
/// <param name="Session">The configured session it came in on.</param>
/// <param name="IsCancelReject">True for an OrderCancelReject (35=9): the order keeps its state; it has no ExecID.</param>
/// <param name="ExecId">ExecID (17); empty for a cancel reject.</param>
/// <param name="ClOrdId">ClOrdID (11): the platform's id of the request this answers.</param>
/// <param name="OrigClOrdId">OrigClOrdID (41) of a cancel or replace, if any.</param>
/// <param name="VenueOrderId">The venue's OrderID (37).</param>
/// <param name="ExecType">ExecType (150); '\0' for a cancel reject.</param>
/// <param name="State">OrdStatus (39).</param>
/// <param name="LastQuantity">LastQty (32) of a fill; zero otherwise.</param>
/// <param name="LastPrice">LastPx (31) of a fill; zero otherwise.</param>
/// <param name="CumQuantity">CumQty (14).</param>
/// <param name="LeavesQuantity">LeavesQty (151).</param>
/// <param name="PossDup">PossDupFlag (43) was Y: the venue says it may have sent this before.</param>
/// <param name="Text">Text (58), e.g. why it was rejected.</param>
/// <param name="OrderQuantity">OrderQty (38) of a report, if given: a Replaced report's new total quantity.</param>
/// <param name="Price">Price (44) of a report, if given: a Replaced report's new limit price.</param>
/// <param name="AveragePrice">AvgPx (6), if given: the average price of all the order's fills (what reconciliation books a missed fill by).</param>
/// <param name="RejectReason">OrdRejReason (103) of a report, if given: 5 (Unknown order) answers a status request for an order the venue does
/// not have; CxlRejReason (102) of an OrderCancelReject (0 too late, 1 unknown order, ...), relayed to a FIX client whose request it answers.</param>
public sealed record VenueExecution(string Session, bool IsCancelReject, string ExecId, string ClOrdId, string? OrigClOrdId, string? VenueOrderId,
    char ExecType, VenueOrderState State, decimal LastQuantity, decimal LastPrice, decimal CumQuantity, decimal LeavesQuantity, bool PossDup, string? Text,
    decimal? OrderQuantity = null, decimal? Price = null, decimal? AveragePrice = null, int? RejectReason = null)
{
    /// <summary>OrdRejReason 5: the venue does not know the order.</summary>
    public const int UnknownOrder = 5;

    /// <summary>A fill (ExecType Trade, F) with a positive LastQty.</summary>
    public bool IsFill => !IsCancelReject && ExecType == 'F' && LastQuantity > 0;

    /// <summary>An Order Status report (ExecType I): the answer to an OrderStatusRequest, the order as the venue has it now.</summary>
    public bool IsStatus => !IsCancelReject && ExecType == 'I';
}

/// <summary>A platform order as it goes to an exchange (what <see cref="FixVenueMessages.NewOrderSingle"/> encodes).</summary>
/// <param name="OrderId">The platform's order id: the ClOrdID is made from it, so it is the same on every resend.</param>
/// <param name="AccountId">The platform account (sent as Account, tag 1, unless the route names one).</param>
/// <param name="Symbol">The platform symbol.</param>
/// <param name="Isin">The instrument's ISIN (sent as SecurityID when the route says so).</param>
/// <param name="Side">Buy or sell.</param>
/// <param name="Type">Market or limit (the types a venue route takes).</param>
/// <param name="TimeInForce">Day, IOC, FOK, GTC or GTD.</param>
/// <param name="Price">The limit price (null for a market order).</param>
/// <param name="Quantity">The quantity in shares.</param>
/// <param name="ExpireAt">A GTD order's expiry (UTC).</param>
public sealed record VenueOrder(long OrderId, long AccountId, string Symbol, string Isin, Side Side, OrderType Type, TimeInForce TimeInForce,
    decimal? Price, long Quantity, DateTime? ExpireAt);

/// <summary>What a venue request asks: a new order (35=D), a cancel (35=F), a replace (35=G) or the order's status (35=H, reconciliation).</summary>
public enum VenueRequestKind
{
    Place,
    Cancel,
    Replace,
    Status,
}

/// <summary>
/// A request for a venue, committed by the single writer before it goes out (<see cref="VenueRouter.Send"/>).
/// </summary>
/// <param name="Kind">New order, cancel or replace.</param>
/// <param name="Order">The order; for a replace, with its new price and quantity.</param>
/// <param name="ClOrdId">The request's ClOrdID (the order's own for a new order; for a status request, the one the venue knows the order by).</param>
/// <param name="OrigClOrdId">A cancel's or replace's OrigClOrdID: the id the venue knows the order by now.</param>
/// <param name="VenueOrderId">The venue's OrderID, once it has answered.</param>
public sealed record VenueRequest(VenueRequestKind Kind, VenueOrder Order, string ClOrdId, string? OrigClOrdId = null, string? VenueOrderId = null);
