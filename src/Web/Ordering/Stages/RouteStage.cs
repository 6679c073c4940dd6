using TradSys.Web.Fix.Venues;
using TradSys.Web.Persistence.Entities;
using TradSys.Web.ReferenceData;

namespace TradSys.Web.Ordering.Stages;

/// <summary>
/// The route stage, in the match stage's place for an order whose venue is routed over FIX (<c>Routing:Venues:CODE:Session</c>;
/// no route, the default, keeps the order on the internal engine). The order is journalled pending new (status New, event
/// Routed, <see cref="OrderRecord.RoutedSession"/> set) and its NewOrderSingle is handed to the venue only after the writer's
/// commit (<see cref="Committed"/>): nothing that is not durable goes out. If the route's session is not logged on the order is
/// rejected at once (<see cref="RejectCode.VenueUnavailable"/>, naming the venue and the session's state): never queued.
/// </summary>
internal sealed class RouteStage(OrderBooks books, VenueRouter router, VenueExecutions executions, ReferenceDataCache referenceData)
{
    private readonly List<(VenueRoute Route, VenueOrder Order)> _outgoing = [];

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
        var instrument = referenceData.Get(order.Symbol);
        _outgoing.Add((route, new VenueOrder(order.Id, order.AccountId, order.Symbol, instrument.Row.Isin, order.Side, order.Type, order.TimeInForce,
            order.Price, order.Quantity, order.ExpireAt)));
    }

    /// <summary>After the commit: the batch's routed orders go out (in the order they were routed).</summary>
    public void Committed()
    {
        if (_outgoing.Count == 0)
        {
            return;
        }
        foreach (var (route, order) in _outgoing)
        {
            router.Send(route, order);
        }
        _outgoing.Clear();
    }

    /// <summary>The batch was not committed: nothing of it goes out.</summary>
    public void Discard() => _outgoing.Clear();
}
