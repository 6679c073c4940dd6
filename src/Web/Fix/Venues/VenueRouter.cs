using System.Threading.Channels;
using TradSys.Engine.Fix;

namespace TradSys.Web.Fix.Venues;

/// <summary>
/// The venue routes (<c>Routing:Venues:CODE</c>, see <see cref="VenueRoute"/>) and their venues over the configured FIX sessions.
/// The single writer asks it where an order goes and whether the route's session is logged on, and hands it the routed orders
/// after each commit (<see cref="Send"/>); the sessions' ExecutionReports and OrderCancelRejects are read here, on the session's
/// thread, and queued for the writer; a routed session's logon is queued for reconciliation. <see cref="VenueRouting"/> runs the queues.
/// </summary>
public sealed class VenueRouter
{
    private readonly IReadOnlyDictionary<string, VenueRoute> _routes;
    private readonly Dictionary<string, FixVenue> _venues = new(StringComparer.Ordinal);
    private readonly FixSessions _sessions;
    private readonly ILogger<VenueRouter> _log;
    private readonly Channel<(FixVenue Venue, VenueRequest Request)> _outgoing = Channel.CreateUnbounded<(FixVenue, VenueRequest)>(new() { SingleReader = true });
    private readonly Channel<VenueExecution> _incoming = Channel.CreateUnbounded<VenueExecution>(new() { SingleReader = true });
    private readonly Channel<string> _loggedOn = Channel.CreateUnbounded<string>(new() { SingleReader = true });

    public VenueRouter(IConfiguration configuration, FixSessions sessions, TimeProvider clock, ILogger<VenueRouter> log)
    {
        _sessions = sessions;
        _log = log;
        _routes = VenueRoute.Read(configuration, [.. sessions.Names], out var problems);
        if (problems.Count > 0)
        {
            throw new InvalidOperationException("Routing:Venues is not valid: " + string.Join("; ", problems));
        }
        foreach (var route in _routes.Values)
        {
            _venues[route.Venue] = new FixVenue(route, sessions, clock);
        }
        if (_routes.Count > 0)
        {
            sessions.OnApplicationMessage(Received);
            sessions.OnLoggedOn(LoggedOnTo);
        }
    }

    /// <summary>False when no venue is routed (the default): every order matches internally.</summary>
    public bool HasRoutes => _routes.Count > 0;

    /// <summary>The venues reached over FIX, by code.</summary>
    public IReadOnlyDictionary<string, FixVenue> Venues => _venues;

    /// <summary>The route of a venue; null when its orders match internally.</summary>
    public VenueRoute? RouteFor(string venueCode) => _routes.GetValueOrDefault(venueCode);

    /// <summary>The route whose orders go out over a session; null when none does (any more).</summary>
    public VenueRoute? RouteOfSession(string session) => _routes.Values.FirstOrDefault(r => r.Session == session);

    /// <summary>Where a session is now.</summary>
    public FixSessionState StateOf(string session) => _sessions.StateOf(session);

    /// <summary>Queues a committed request (a routed order, its cancel or replace) for its venue (any thread; never blocks).</summary>
    public void Send(VenueRoute route, VenueRequest request) => _outgoing.Writer.TryWrite((_venues[route.Venue], request));

    /// <summary>Requests to send, in the order they were committed.</summary>
    internal ChannelReader<(FixVenue Venue, VenueRequest Request)> Outgoing => _outgoing.Reader;

    /// <summary>Venues' reports to apply, in the order they arrived.</summary>
    internal ChannelReader<VenueExecution> Incoming => _incoming.Reader;

    /// <summary>Routed sessions that have logged on, to reconcile (in the order they logged on).</summary>
    internal ChannelReader<string> LoggedOn => _loggedOn.Reader;

    private void LoggedOnTo(string session)
    {
        if (_routes.Values.Any(r => r.Session == session))
        {
            _loggedOn.Writer.TryWrite(session);
        }
    }

    private void Received(string session, FixMessage message)
    {
        if (!_routes.Values.Any(r => r.Session == session))
        {
            return;
        }
        if (message.MsgType is not ([(byte)'8'] or [(byte)'9']))
        {
            _log.LogInformation("FIX session {Session}: {MsgType} received and not applied (a venue route applies ExecutionReports and OrderCancelRejects)",
                session, System.Text.Encoding.ASCII.GetString(message.MsgType));
            return;
        }
        if (FixVenueMessages.TryReadExecution(session, message, out var execution, out var problem))
        {
            _incoming.Writer.TryWrite(execution!);
        }
        else
        {
            _log.LogError("FIX session {Session}: a report the platform cannot apply ({Problem}): {Message}", session, problem,
                System.Text.Encoding.ASCII.GetString(message.Raw).Replace('\u0001', '|'));
        }
    }
}
