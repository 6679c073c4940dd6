using TradSys.Workflows.Runtime;

namespace TradSys.Workflows;

// The ports the workflow library needs from its host. src/Web implements them (EF Core, Hangfire, the single writer);
// the library itself does no I/O, so its runtime can run inside the host's transaction.

/// <summary>Where suspended instances live.</summary>
public interface IWorkflowInstanceStore
{
    /// <summary>Reads an instance with its tasks (not its log).</summary>
    /// <param name="instanceId">The instance.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The instance, or null when unknown.</returns>
    Task<WorkflowInstance?> FindAsync(Guid instanceId, CancellationToken cancellationToken);

    /// <summary>
    /// Saves a changed instance, its tasks and its <see cref="WorkflowInstance.NewTransitions"/> (appended, never rewritten)
    /// if the stored version is still <paramref name="expectedVersion"/>.
    /// </summary>
    /// <param name="instance">The instance as changed by the runtime.</param>
    /// <param name="expectedVersion">The version it had when read.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>False when someone else changed it first (nothing was saved).</returns>
    Task<bool> SaveAsync(WorkflowInstance instance, long expectedVersion, CancellationToken cancellationToken);
}

/// <summary>Durable timers.</summary>
public interface IWorkflowTimers
{
    /// <summary>
    /// Schedules <paramref name="timer"/> for <paramref name="instance"/> at <paramref name="dueUtc"/>. The job must be safe
    /// to run twice and late: it re-reads the instance and calls <see cref="WorkflowRuntime.OnTimer"/>, which ignores a stale timer.
    /// </summary>
    /// <param name="instance">The instance.</param>
    /// <param name="timer">The timer.</param>
    /// <param name="dueUtc">When.</param>
    void Schedule(WorkflowInstance instance, ScheduleTimerEffect timer, DateTime dueUtc);
}

/// <summary>Tells people what happened.</summary>
public interface IWorkflowNotifier
{
    /// <summary>Delivers a notice about an instance.</summary>
    /// <param name="instance">The instance.</param>
    /// <param name="notice">The notice.</param>
    void Notify(WorkflowInstance instance, NotifyEffect notice);
}
