using TradSys.Web.Ordering;

namespace TradSys.Web.Fix.Venues;

/// <summary>
/// Runs <see cref="VenueRouter"/>'s two queues: committed routed orders go out to their venues (one that cannot be sent, the
/// session having dropped since the order was committed, is rejected through the writer with the reason), and the venues'
/// reports go to the single writer one at a time, in the order they arrived. A report the writer cannot take (its journal
/// unavailable) is offered again, after 1 s doubling up to 30 s, until it is: a fill the venue has sent is never dropped here.
/// Each logon of a routed session (after a drop, or at the platform's start) reconciles its open orders: the writer sends an
/// OrderStatusRequest for each (<see cref="VenueReconcileCommand"/>) and applies the venue's answers like its other reports.
/// </summary>
internal sealed class VenueRouting(VenueRouter router, OrderWriter writer, ILogger<VenueRouting> log) : BackgroundService
{
    private static readonly TimeSpan Retry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxRetry = TimeSpan.FromSeconds(30);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        router.HasRoutes ? Task.WhenAll(SendLoop(stoppingToken), ApplyLoop(stoppingToken), ReconcileLoop(stoppingToken)) : Task.CompletedTask;

    private async Task SendLoop(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var (venue, request) in router.Outgoing.ReadAllAsync(stoppingToken))
            {
                if (await venue.SendAsync(request))
                {
                    continue;
                }
                if (request.Kind == VenueRequestKind.Status)
                {
                    // Nothing to undo: the session's next logon asks again for every order still open.
                    log.LogWarning("Order {OrderId}: status request {ClOrdId} not sent to {Venue}, its FIX session '{Session}' being {State}; the next logon reconciles it",
                        request.Order.OrderId, request.ClOrdId, venue.Code, venue.Route.Session, venue.State);
                    continue;
                }
                var what = request.Kind switch
                {
                    VenueRequestKind.Cancel => $"the cancel {request.ClOrdId}",
                    VenueRequestKind.Replace => $"the replace {request.ClOrdId}",
                    _ => "the order",
                };
                var reason = $"venue {venue.Code} is not reachable: its FIX session '{venue.Route.Session}' was {venue.State} when {what} was to be sent; " +
                             "it was not sent (nothing is queued: send it again once the venue is back)";
                log.LogWarning("Order {OrderId}: {Request} not sent to {Venue}: {Reason}", request.Order.OrderId, request.ClOrdId, venue.Code, reason);
                await ToWriterAsync(new VenueSendFailedCommand(venue.Route.Session, request.Order.OrderId, reason, request.Kind == VenueRequestKind.Place ? null : request.ClOrdId),
                    stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private async Task ApplyLoop(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var execution in router.Incoming.ReadAllAsync(stoppingToken))
            {
                var result = await ToWriterAsync(new VenueExecutionCommand(execution), stoppingToken);
                log.LogInformation("FIX session {Session}: report {ExecId} ({State}) for {ClOrdId}: {Outcome}", execution.Session, execution.ExecId,
                    execution.State, execution.ClOrdId, result.Outcome);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private async Task ReconcileLoop(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var session in router.LoggedOn.ReadAllAsync(stoppingToken))
            {
                var result = await ToWriterAsync(new VenueReconcileCommand(session), stoppingToken);
                log.LogInformation("FIX session {Session} logged on: reconciling {Count} open routed order(s) with order status requests: {OrderIds}", session,
                    result.Count, string.Join(", ", result.OrderIds ?? []));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private async Task<SequencerResult> ToWriterAsync(SequencerCommand command, CancellationToken stoppingToken)
    {
        // Waits double up to half a minute: a report whose batch keeps failing must not fail other callers' batches every second.
        var retry = Retry;
        while (true)
        {
            try
            {
                return await writer.SendAsync(command, stoppingToken);
            }
            catch (JournalUnavailableException ex) when (!stoppingToken.IsCancellationRequested)
            {
                log.LogError(ex, "The order writer could not take {Command}; offering it again in {Retry} s", command, retry.TotalSeconds);
                await Task.Delay(retry, stoppingToken);
                retry = TimeSpan.FromSeconds(Math.Min(MaxRetry.TotalSeconds, retry.TotalSeconds * 2));
            }
        }
    }
}
