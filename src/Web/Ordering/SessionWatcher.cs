namespace TradSys.Web.Ordering;

/// <summary>
/// Ends DAY orders when their trading day is over. Every few seconds (Trading:DayOrderExpirySeconds,
/// default 5) it asks the single writer to expire them, so expiries are journalled, audited and
/// published like any other state change, and a platform that was down at the close catches up at start.
/// </summary>
public sealed class SessionWatcher(OrderSequencer sequencer, IConfiguration configuration, ILogger<SessionWatcher> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var seconds = configuration.GetValue("Trading:DayOrderExpirySeconds", 5);
        if (seconds <= 0)
        {
            log.LogWarning("DAY-order expiry is switched off (Trading:DayOrderExpirySeconds = {Seconds}); for tests and tools only", seconds);
            return;
        }
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(seconds));
        do
        {
            try
            {
                var result = await sequencer.SendAsync(new ExpireDayOrdersCommand("system"), stoppingToken);
                if (result.Count > 0)
                {
                    log.LogInformation("Expired {Count} DAY orders whose trading day is over", result.Count);
                }
            }
            catch (JournalUnavailableException ex)
            {
                log.LogWarning(ex, "DAY-order expiry could not be journalled; trying again in {Seconds} s", seconds);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
