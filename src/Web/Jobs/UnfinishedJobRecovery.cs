using Hangfire;
using TradSys.Web.Hosting;
using TradSys.Web.Persistence;
using TradSys.Web.Reports;
using TradSys.Web.RulePacks;

namespace TradSys.Web.Jobs;

/// <summary>
/// A rule-pack replay or a report run answered 202 is an acknowledgement: it must not be lost with the process. Hangfire's
/// in-memory storage (the embedded mode) forgets its jobs on a restart, so at start-up this queues again every replay and
/// every report run still Queued or Running; each job continues from what it saved (a replay after its last page, a report
/// run from the start; one that already succeeded is skipped). With PostgreSQL storage Hangfire keeps (and resumes) the jobs
/// itself, and queuing them again could run one twice at once, so nothing is done there.
/// </summary>
/// <remarks>Runs once every hosted service has started, and resolves the job client only then: Hangfire's storage is
/// set up by its own hosted service, and a client resolved earlier could bind to a stale <see cref="JobStorage.Current"/>.</remarks>
public sealed class UnfinishedJobRecovery(IServiceScopeFactory scopes, IConfiguration configuration, ILogger<UnfinishedJobRecovery> log)
    : IHostedLifecycleService
{
    /// <inheritdoc />
    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        if (PlatformOptions.From(configuration).Jobs != JobStorageKind.InMemory)
        {
            return;
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TradSysDbContext>();
        var jobs = scope.ServiceProvider.GetRequiredService<IBackgroundJobClient>();
        var replays = await RulePackReplayJob.RequeueUnfinishedAsync(db, jobs, cancellationToken);
        var reports = await ReportRuns.RequeueUnfinishedAsync(db, jobs, cancellationToken);
        if (replays + reports > 0)
        {
            log.LogInformation("Queued again {Replays} rule-pack replays and {Reports} report runs lost with the in-memory job storage",
                replays, reports);
        }
    }

    /// <inheritdoc />
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
