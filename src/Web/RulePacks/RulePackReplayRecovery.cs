using Hangfire;
using Microsoft.EntityFrameworkCore;
using TradSys.Web.Hosting;
using TradSys.Web.Persistence;
using TradSys.Web.Persistence.Entities;

namespace TradSys.Web.RulePacks;

/// <summary>
/// A replay run answered 202 is an acknowledgement: it must not be lost with the process. Hangfire's in-memory storage
/// (the embedded mode) forgets its jobs on a restart, so at start-up this re-enqueues every run still Queued or Running;
/// the job continues after its last saved page. With PostgreSQL storage Hangfire keeps (and resumes) the jobs itself,
/// and enqueuing them again could run one run twice at once, so nothing is done there.
/// </summary>
/// <remarks>Runs once every hosted service has started, and resolves the job client only then: Hangfire's storage is
/// set up by its own hosted service, and a client resolved earlier could bind to a stale <see cref="JobStorage.Current"/>.</remarks>
public sealed class RulePackReplayRecovery(IServiceScopeFactory scopes, IConfiguration configuration, ILogger<RulePackReplayRecovery> log)
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
        var unfinished = await db.RulePackReplays.AsNoTracking()
            .Where(r => r.Status == ReplayStatus.Queued || r.Status == ReplayStatus.Running)
            .Select(r => r.Id).ToListAsync(cancellationToken);
        foreach (var id in unfinished)
        {
            jobs.Enqueue<RulePackReplayJob>(j => j.RunAsync(id, CancellationToken.None));
        }
        if (unfinished.Count > 0)
        {
            log.LogInformation("Re-enqueued {Count} unfinished rule-pack replays lost with the in-memory job storage", unfinished.Count);
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
