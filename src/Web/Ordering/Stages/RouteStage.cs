using TradSys.Web.Fix.Venues;
using TradSys.Web.Persistence.Entities;
using TradSys.Web.ReferenceData;

namespace TradSys.Web.Ordering.Stages;

/// <summary>
/// The route stage, in the match stage's place for an order whose venue is routed over FIX (<c>Routing:Venues:CODE:Session</c>;
/// no route, the default, keeps the order on the internal engine). The order is journalled pending new (status New, event
/// Routed, <see cref="OrderRecord.RoutedSession"/> set) and its NewOrderSingle is handed to the venue only after the writer's
/// commit (<see cref="Committed"/>): nothing that is not durable goes out. If the route's session is not logged on the order is
/// rejected at once (<see cref="RejectCode.VenueUnavailable"/>, naming the venue and the session's state): never queued. A trader's
/// cancel or amendment of a routed order becomes an OrderCancelRequest or OrderCancelReplaceRequest the same way (<see cref="Cancel"/>,
/// <see cref="Replace"/>).
/// </summary>
internal sealed class RouteStage(OrderBooks books, VenueRouter router, VenueExecutions executions, ReferenceDataCache referenceData)
{
    /// <summary><see cref="OrderRecord.VenuePending"/> while a cancel waits for the venue's answer.</summary>
    public const string PendingCancel = "PendingCancel";

    /// <summary><see cref="OrderRecord.VenuePending"/> while a replace (amendment) waits for the venue's answer.</summary>
    public const string PendingReplace = "PendingReplace";

    private readonly List<(VenueRoute Route, VenueRequest Request)> _outgoing = [];

    /// <summary>The route of the order's venue; null when it matches internally.</summary>
    public VenueRoute? RouteOf(OrderRecord order) =>
        router.HasRoutes && referenceData.TryGet(order.Symbol, out var instrument) ? router.RouteFor(instrument.VenueRow.Code) : null;

    /// <summary>
    /// Routes an order that passed every stage: pending new, or rejected at once. A new order counts as open for the rules from
    /// now on (<paramref name="isNew"/>); a held one released after review was counted while it was held.
    /// </summary>
    public void Submit(OrderRecord order, VenueRoute route, DateTime now, bool isNew)
    {
        var timestamp = now.Ticks;
        if (isNew)
        {
            books.Aggregates.OrderEntered(order, books.CreditCurrency(order.AccountId), now);
        }
        var state = router.StateOf(route.Session);
        if (state != Engine.Fix.FixSessionState.Active)
        {
            books.Recorder.RecordHostRejection(order, RejectCode.VenueUnavailable,
                $"venue {route.Venue} is not reachable: its FIX session '{route.Session}' is {state}, not logged on; the order was not sent " +
                "(nothing is queued: send it again once the venue is back)", timestamp);
            return;
        }
        if (!FixVenueMessages.CanRoute(order.Type, order.TimeInForce))
        {
            books.Recorder.RecordHostRejection(order, RejectCode.InvalidOrderType,
                $"venue {route.Venue} is reached over FIX, which takes market and limit orders (DAY, GTC, IOC, FOK, GTD) only, not {order.Type} {order.TimeInForce}",
                timestamp);
            return;
        }
        order.RoutedSession = route.Session;
        books.Recorder.RecordRouted(order, $"routed to {route.Venue} over FIX session '{route.Session}' as ClOrdID {FixVenueMessages.ClOrdIdOf(order.Id)}", timestamp);
        executions.Track(order);
        _outgoing.Add((route, new VenueRequest(VenueRequestKind.Place, VenueOrderOf(order, order.Price, order.Quantity), FixVenueMessages.ClOrdIdOf(order.Id))));
    }

    /// <summary>A routed order still open with its venue (pending new or working there); null for any other order.</summary>
    public OrderRecord? Routed(long orderId) => executions.Open(orderId);

    /// <summary>
    /// A trader's cancel of a routed order: an OrderCancelRequest (35=F) with a new ClOrdID, OrigClOrdID the one the venue knows the
    /// order by, goes out after the commit, and the order shows PendingCancel until the venue's ExecutionReport or OrderCancelReject is
    /// applied. Refused, saying why, while the venue has not acknowledged the order, while another request waits, and when the
    /// venue's session is not logged on (nothing is queued).
    /// </summary>
    public SequencerResult Cancel(OrderRecord order, string actor, WriterBatch batch)
    {
        if (Refusal(order, "cancel", out var route) is { } refused)
        {
            return refused;
        }
        var clOrdId = FixVenueMessages.CancelClOrdIdOf(order.Id, ++order.VenueRequests);
        var orig = order.VenueClOrdId ?? FixVenueMessages.ClOrdIdOf(order.Id);
        order.VenuePending = PendingCancel;
        order.VenuePendingClOrdId = clOrdId;
        books.Recorder.RecordVenueRequest(order, OrderEventKind.CancelRequested,
            $"cancel sent to {route.Venue} as ClOrdID {clOrdId} (OrigClOrdID {orig}); pending cancel until the venue answers", batch.Timestamp);
        batch.Record(actor, "order.cancel_requested", $"order/{order.Id}", new { venue = route.Venue, session = route.Session, clOrdId, origClOrdId = orig });
        _outgoing.Add((route, new VenueRequest(VenueRequestKind.Cancel, VenueOrderOf(order, order.Price, order.Quantity), clOrdId, orig, order.VenueOrderId)));
        return new SequencerResult(SequencerOutcome.VenueRequestPending, order.Snapshot(), []);
    }

    /// <summary>
    /// A trader's amendment of a routed order, after the same checks as an internal one: an OrderCancelReplaceRequest (35=G) with
    /// the new price and total quantity goes out after the commit, and the order shows PendingReplace (its terms unchanged) until
    /// the venue's Replaced report (the new terms) or OrderCancelReject (the old ones stay) is applied. Refused like a cancel.
    /// </summary>
    public SequencerResult Replace(OrderRecord order, ModifyCommand m, WriterBatch batch)
    {
        var decimals = referenceData.Get(order.Symbol).Decimals;
        var price = m.NewPrice.Raw != 0 ? m.NewPrice.ToDecimal(decimals) : order.Price;
        var quantity = m.NewQuantity.Raw;
        if (quantity <= order.FilledQuantity)
        {
            return new SequencerResult(SequencerOutcome.Refused, order.Snapshot(), [], RejectCode.QuantityNotAboveFilled);
        }
        if (price == order.Price && quantity == order.Quantity)
        {
            return new SequencerResult(SequencerOutcome.Refused, order.Snapshot(), [], RejectCode.NothingToModify);
        }
        if (Refusal(order, "amendment", out var route) is { } refused)
        {
            return refused;
        }
        var clOrdId = FixVenueMessages.ReplaceClOrdIdOf(order.Id, ++order.VenueRequests);
        var orig = order.VenueClOrdId ?? FixVenueMessages.ClOrdIdOf(order.Id);
        order.VenuePending = PendingReplace;
        order.VenuePendingClOrdId = clOrdId;
        order.VenuePendingPrice = price;
        order.VenuePendingQuantity = quantity;
        order.AmendKey = m.AmendKey;
        books.Recorder.RecordVenueRequest(order, OrderEventKind.ReplaceRequested,
            $"replace sent to {route.Venue} as ClOrdID {clOrdId} (OrigClOrdID {orig}): price {price}, quantity {quantity}; pending replace until the venue answers",
            batch.Timestamp);
        batch.Record(m.Actor, "order.replace_requested", $"order/{order.Id}",
            new { venue = route.Venue, session = route.Session, clOrdId, origClOrdId = orig, price, quantity });
        _outgoing.Add((route, new VenueRequest(VenueRequestKind.Replace, VenueOrderOf(order, price, quantity), clOrdId, orig, order.VenueOrderId)));
        return new SequencerResult(SequencerOutcome.VenueRequestPending, order.Snapshot(), []);
    }

    /// <summary>
    /// The routed part of a mass cancel: each routed order of the accounts (of the symbol, when given) gets its OrderCancelRequest as
    /// a trader's cancel would (<see cref="Cancel"/>: pending cancel, canceled when its venue confirms). One that cannot be sent now
    /// (pending new, another request waiting, its venue's session down) is listed with the reason and keeps its state.
    /// </summary>
    public (List<long> Sent, List<string> NotSent) MassCancel(IReadOnlyCollection<long> accountIds, string? symbol, string actor, WriterBatch batch)
    {
        var sent = new List<long>();
        var notSent = new List<string>();
        if (!router.HasRoutes)
        {
            return (sent, notSent);
        }
        foreach (var order in executions.OpenOf(accountIds, symbol))
        {
            var result = Cancel(order, actor, batch);
            if (result.Outcome == SequencerOutcome.VenueRequestPending)
            {
                sent.Add(order.Id);
            }
            else
            {
                notSent.Add($"order {order.Id} ({order.Symbol}, routed to its venue) was not canceled: {result.Reason ?? RejectReasons.Describe(result.Code)}");
            }
        }
        return (sent, notSent);
    }

    /// <summary>
    /// Reconciliation after a venue session logs on: an OrderStatusRequest (35=H) for each routed order still open on the session
    /// (pending new included: the venue may never have had it), by the ClOrdID the venue knows it by, goes out after the commit, so
    /// after any request committed before. The answers are applied by <see cref="VenueExecutions"/> as Order Status reports.
    /// </summary>
    public SequencerResult Reconcile(string session)
    {
        var route = router.RouteOfSession(session);
        if (route is null)
        {
            return new SequencerResult(SequencerOutcome.VenueReconcileRequested, null, [], Count: 0, OrderIds: []);
        }
        var ids = new List<long>();
        foreach (var order in executions.OpenOn(session))
        {
            ids.Add(order.Id);
            var clOrdId = order.VenueClOrdId ?? FixVenueMessages.ClOrdIdOf(order.Id);
            _outgoing.Add((route, new VenueRequest(VenueRequestKind.Status, VenueOrderOf(order, order.Price, order.Quantity), clOrdId, null, order.VenueOrderId)));
        }
        return new SequencerResult(SequencerOutcome.VenueReconcileRequested, null, [], Count: ids.Count, OrderIds: [.. ids]);
    }

    /// <summary>Why a cancel or replace of a routed order cannot go out now; null (and its route) when it can.</summary>
    private SequencerResult? Refusal(OrderRecord order, string what, out VenueRoute route)
    {
        route = null!;
        if (order.Status == OrderStatus.New)
        {
            return new SequencerResult(SequencerOutcome.Refused, order.Snapshot(), [], RejectCode.VenueNotAcknowledged,
                Reason: $"the {what} was not sent: the venue has not acknowledged the order yet (pending new); try again once it shows Accepted");
        }
        if (!order.IsWorking)
        {
            return new SequencerResult(SequencerOutcome.Refused, order.Snapshot(), [], RejectCode.OrderNotActive);
        }
        if (order.VenuePending is { } pending)
        {
            return new SequencerResult(SequencerOutcome.Refused, order.Snapshot(), [], RejectCode.VenueRequestPending,
                Reason: $"the {what} was not sent: the order is {pending} ({order.VenuePendingClOrdId}) until the venue answers; one request at a time");
        }
        var found = router.RouteOfSession(order.RoutedSession!);
        var state = router.StateOf(order.RoutedSession!);
        if (found is null || state != Engine.Fix.FixSessionState.Active)
        {
            return new SequencerResult(SequencerOutcome.Refused, order.Snapshot(), [], RejectCode.VenueUnavailable,
                Reason: found is null
                    ? $"the {what} was not sent: the order was routed over FIX session '{order.RoutedSession}', which no route (Routing:Venues) names now"
                    : $"the {what} was not sent: venue {found.Venue} is not reachable, its FIX session '{found.Session}' is {state}, not logged on " +
                      "(nothing is queued: the order stays as it is at the venue; try again once the session is back)");
        }
        route = found;
        return null;
    }

    private VenueOrder VenueOrderOf(OrderRecord order, decimal? price, long quantity) =>
        new(order.Id, order.AccountId, order.Symbol, referenceData.Get(order.Symbol).Row.Isin, order.Side, order.Type, order.TimeInForce,
            price, quantity, order.ExpireAt);

    /// <summary>After the commit: the batch's routed orders go out (in the order they were routed).</summary>
    public void Committed()
    {
        if (_outgoing.Count == 0)
        {
            return;
        }
        foreach (var (route, request) in _outgoing)
        {
            router.Send(route, request);
        }
        _outgoing.Clear();
    }

    /// <summary>The batch was not committed: nothing of it goes out.</summary>
    public void Discard() => _outgoing.Clear();
}
