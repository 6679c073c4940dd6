using TradSys.Engine.Fix;

namespace TradSys.Web.Fix.Venues;

/// <summary>
/// An exchange the platform sends orders to. Each call sends one request and returns whether it went out (false when the venue
/// is not connected: nothing is queued); the venue's answers come back as <see cref="VenueExecution"/>s through
/// <see cref="VenueRouter"/> and the single writer.
/// </summary>
public interface IVenue
{
    /// <summary>The venue code (EGX, ADX).</summary>
    string Code { get; }

    /// <summary>Where its connection is: only <see cref="FixSessionState.Active"/> takes requests.</summary>
    FixSessionState State { get; }

    /// <summary>Sends a new order.</summary>
    Task<bool> PlaceAsync(VenueOrder order);

    /// <summary>Asks to cancel an order's remaining quantity: request <paramref name="clOrdId"/>, the order known as <paramref name="origClOrdId"/>.</summary>
    Task<bool> CancelAsync(VenueOrder order, string clOrdId, string origClOrdId, string? venueOrderId);

    /// <summary>Asks to amend an order to <paramref name="amended"/>'s price and quantity: request <paramref name="clOrdId"/>, the order known as <paramref name="origClOrdId"/>.</summary>
    Task<bool> AmendAsync(VenueOrder amended, string clOrdId, string origClOrdId, string? venueOrderId);

    /// <summary>Asks where an order known as <paramref name="clOrdId"/> is (the answer is an ExecutionReport with ExecType I, Order Status).</summary>
    Task<bool> RequestStatusAsync(VenueOrder order, string clOrdId, string? venueOrderId);
}

/// <summary>A venue reached over a configured FIX 4.4 session (<see cref="FixSessions"/>), with its route's names and ids.</summary>
public sealed class FixVenue(VenueRoute route, FixSessions sessions, TimeProvider clock) : IVenue
{
    /// <inheritdoc/>
    public string Code => route.Venue;

    /// <summary>The route this venue is reached by.</summary>
    public VenueRoute Route => route;

    /// <inheritdoc/>
    public FixSessionState State => sessions.StateOf(route.Session);

    /// <inheritdoc/>
    public Task<bool> PlaceAsync(VenueOrder order)
    {
        var body = new byte[FixVenueMessages.MaxBody];
        var length = FixVenueMessages.NewOrderSingle(order, route, Now, body);
        return SendAsync("D"u8.ToArray(), body.AsMemory(0, length));
    }

    /// <inheritdoc/>
    public Task<bool> CancelAsync(VenueOrder order, string clOrdId, string origClOrdId, string? venueOrderId)
    {
        var body = new byte[FixVenueMessages.MaxBody];
        var length = FixVenueMessages.OrderCancelRequest(order, clOrdId, origClOrdId, venueOrderId, route, Now, body);
        return SendAsync("F"u8.ToArray(), body.AsMemory(0, length));
    }

    /// <inheritdoc/>
    public Task<bool> AmendAsync(VenueOrder amended, string clOrdId, string origClOrdId, string? venueOrderId)
    {
        var body = new byte[FixVenueMessages.MaxBody];
        var length = FixVenueMessages.OrderCancelReplaceRequest(amended, clOrdId, origClOrdId, venueOrderId, route, Now, body);
        return SendAsync("G"u8.ToArray(), body.AsMemory(0, length));
    }

    /// <inheritdoc/>
    public Task<bool> RequestStatusAsync(VenueOrder order, string clOrdId, string? venueOrderId)
    {
        var body = new byte[FixVenueMessages.MaxBody];
        var length = FixVenueMessages.OrderStatusRequest(order, clOrdId, venueOrderId, route, body);
        return SendAsync("H"u8.ToArray(), body.AsMemory(0, length));
    }

    /// <summary>Sends one request of <see cref="VenueRouting"/>'s queue.</summary>
    public Task<bool> SendAsync(VenueRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Kind switch
        {
            VenueRequestKind.Place => PlaceAsync(request.Order),
            VenueRequestKind.Cancel => CancelAsync(request.Order, request.ClOrdId, request.OrigClOrdId!, request.VenueOrderId),
            VenueRequestKind.Replace => AmendAsync(request.Order, request.ClOrdId, request.OrigClOrdId!, request.VenueOrderId),
            VenueRequestKind.Status => RequestStatusAsync(request.Order, request.ClOrdId, request.VenueOrderId),
            _ => throw new ArgumentOutOfRangeException(nameof(request), request.Kind, "no such venue request"),
        };
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    private async Task<bool> SendAsync(ReadOnlyMemory<byte> msgType, ReadOnlyMemory<byte> body) =>
        await sessions.SendAsync(route.Session, msgType, body) > 0;
}
