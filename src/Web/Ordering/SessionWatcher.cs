namespace TradSys.Web.Ordering;

/// <summary>
/// Drives the trading day. Every few seconds (Trading:DayOrderExpirySeconds, default 5) it asks the single writer to bring
/// the instruments' trading phases up to date (the uncross at the end of a call, trade-at-close, the close, the end of a
/// volatility suspension: see <see cref="TradingPhases"/>) and to expire DAY orders whose trading day is over, so all of it
/// is journalled, audited and published like any other state change, and a platform that was down catches up at start.
/// On a standby of a cluster (issue 18) it skips its turns: the node that writes the books drives the day.
/// </summary>
public sealed class SessionWatcher(OrderWriter writer, IConfiguration configuration, ILogger<SessionWatcher> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var seconds = configuration.GetValue("Trading:DayOrderExpirySeconds", 5);
        if (seconds <= 0)
        {
            log.LogWarning("DAY-order expiry and the phase timer are switched off (phases still advance with every request) (Trading:DayOrderExpirySeconds = {Seconds}); for tests and tools only", seconds);
            return;
        }
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(seconds));
        do
        {
            if (!writer.Leads)
            {
                continue;
            }
            try
            {
                var phases = await writer.SendAsync(new AdvancePhasesCommand("system"), stoppingToken);
                if (phases.Count > 0)
                {
                    log.LogInformation("{Count} instruments changed trading phase", phases.Count);
                }
                var result = await writer.SendAsync(new ExpireDayOrdersCommand("system"), stoppingToken);
                if (result.Count > 0)
                {
                    log.LogInformation("Expired {Count} DAY orders whose trading day is over", result.Count);
                }
            }
            catch (JournalUnavailableException ex)
            {
                log.LogWarning(ex, "Phase changes or DAY-order expiry could not be journalled; trying again in {Seconds} s", seconds);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
