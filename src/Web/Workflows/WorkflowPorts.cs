using Hangfire;
using Microsoft.EntityFrameworkCore;
using TradSys.Web.Ordering;
using TradSys.Web.Persistence;
using TradSys.Workflows;
using TradSys.Workflows.Runtime;

namespace TradSys.Web.Workflows;

/// <summary>
/// Workflow timers as Hangfire delayed jobs (<see cref="WorkflowTimerJob"/>), due by the market clock. Scheduling happens
/// after the instance's change is committed, so a failure here must not undo or fail that change (nor stop the single
/// writer): it is logged, and the order workflows' timers are scheduled again at every start (<c>RecoverAsync</c>).
/// </summary>
internal sealed class HangfireWorkflowTimers(IBackgroundJobClient jobs, MarketClock clock, ILogger<HangfireWorkflowTimers> log) : IWorkflowTimers
{
    public void Schedule(WorkflowInstance instance, ScheduleTimerEffect timer, DateTime dueUtc)
    {
        var delay = dueUtc - clock.UtcNow;
        try
        {
            jobs.Schedule<WorkflowTimerJob>(j => j.RunAsync(instance.Id, timer.Timer, timer.StateEnteredSequence, dueUtc, CancellationToken.None),
                delay < TimeSpan.Zero ? TimeSpan.Zero : delay);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            log.LogError(ex, "Workflow timer {Timer} of instance {Instance} (due {Due:O}) could not be scheduled; it is scheduled again at the next start",
                timer.Timer, instance.Id, dueUtc);
        }
    }
}

/// <summary>
/// Notices go to the log (structured: instance, role, message). Delivery to people's screens comes with the portal and the
/// WebSocket streams, which are not built yet; the inbox (<c>GET /api/v1/tasks</c>) is how officers see their work today, and
/// traders see their held orders' outcomes as order updates.
/// </summary>
internal sealed class LoggingWorkflowNotifier(ILogger<LoggingWorkflowNotifier> log) : IWorkflowNotifier
{
    public void Notify(WorkflowInstance instance, NotifyEffect notice) =>
        log.LogInformation("Workflow notice for {Role}: {Message} ({Definition} v{Version}, instance {Instance}, subject {Subject})",
            notice.Role ?? "the maker", notice.Message, instance.DefinitionId, instance.DefinitionVersion, instance.Id, instance.SubjectId);
}

/// <summary>Instances in the database (EF Core), for the workflows the single writer does not own (rule-pack changes).</summary>
internal sealed class EfWorkflowInstanceStore(IServiceScopeFactory scopes) : IWorkflowInstanceStore
{
    public async Task<WorkflowInstance?> FindAsync(Guid instanceId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TradSysDbContext>();
        return await LoadAsync(db, instanceId, cancellationToken);
    }

    public async Task<bool> SaveAsync(WorkflowInstance instance, long expectedVersion, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TradSysDbContext>();
        await WorkflowMapping.StageAsync(db, instance, null, expectedVersion, cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            return false;
        }
    }

    public static async Task<WorkflowInstance?> LoadAsync(TradSysDbContext db, Guid instanceId, CancellationToken cancellationToken)
    {
        var record = await db.WorkflowInstances.AsNoTracking().SingleOrDefaultAsync(i => i.Id == instanceId, cancellationToken);
        if (record is null)
        {
            return null;
        }
        var tasks = await db.WorkflowTasks.AsNoTracking().Where(t => t.InstanceId == instanceId).ToListAsync(cancellationToken);
        return WorkflowMapping.ToInstance(record, tasks);
    }
}

/// <summary>
/// Runs a workflow timer. Safe to run twice, late, or after the instance moved on: the order writer (or the rule-pack
/// approvals) re-reads the instance and its state entry, and the runtime ignores a timer that no longer applies. A timer
/// whose due time (by the market clock) has not come yet is put back.
/// </summary>
public sealed class WorkflowTimerJob(OrderWriter writer, RulePackApprovals approvals, MarketClock clock, IBackgroundJobClient jobs,
    ILogger<WorkflowTimerJob> log)
{
    /// <summary>Runs the timer.</summary>
    [AutomaticRetry(Attempts = 5)]
    public async Task RunAsync(Guid instanceId, string timer, int stateEnteredSequence, DateTime dueUtc, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow;
        if (now < dueUtc)
        {
            jobs.Schedule<WorkflowTimerJob>(j => j.RunAsync(instanceId, timer, stateEnteredSequence, dueUtc, CancellationToken.None), dueUtc - now);
            return;
        }
        var result = await writer.SendAsync(new WorkflowTimerCommand("system", instanceId, timer, stateEnteredSequence), cancellationToken);
        var step = result.Outcome == SequencerOutcome.WorkflowNotFound
            ? await approvals.OnTimerAsync(instanceId, timer, stateEnteredSequence, cancellationToken)
            : result.Workflow;
        log.LogInformation("Workflow timer {Timer} of instance {Instance}: {Outcome} ({Message})", timer, instanceId,
            step?.Outcome.ToString() ?? "no open instance", step?.Message ?? "finished or unknown");
    }
}
