namespace TradSys.Workflows.Runtime;

/// <summary>Something the runtime asks the outside world to do; the host carries it out through its ports.</summary>
public abstract record WorkflowEffect;

/// <summary>Send the held order on to the engine (the host re-checks price limits and the session then).</summary>
/// <param name="Reason">Why, for the order's journal.</param>
public sealed record SendToEngineEffect(string Reason) : WorkflowEffect;

/// <summary>Reject the held order.</summary>
/// <param name="Reason">Why, for the order's journal and the trader.</param>
public sealed record RejectEffect(string Reason) : WorkflowEffect;

/// <summary>Make the rule-pack change live.</summary>
public sealed record PublishEffect : WorkflowEffect;

/// <summary>Tell people something.</summary>
/// <param name="Role">The role told, or null for the subject's maker.</param>
/// <param name="Message">The text.</param>
public sealed record NotifyEffect(string? Role, string Message) : WorkflowEffect;

/// <summary>A task was opened.</summary>
/// <param name="Task">The task.</param>
public sealed record TaskOpenedEffect(WorkflowTask Task) : WorkflowEffect;

/// <summary>Schedule a timer; when it runs, the host calls the runtime's OnTimer with the same name and sequence.</summary>
/// <param name="Timer">The timer's name in the state.</param>
/// <param name="After">Delay from now, or null when due at the session's end.</param>
/// <param name="AtSessionEnd">Due when the order's venue session ends (the host computes when).</param>
/// <param name="StateEnteredSequence">The state entry it belongs to: once the instance moved on, the timer is stale.</param>
public sealed record ScheduleTimerEffect(string Timer, TimeSpan? After, bool AtSessionEnd, int StateEnteredSequence) : WorkflowEffect;

/// <summary>An SLA timer moved the task to another role.</summary>
/// <param name="Task">The task.</param>
/// <param name="Role">The role it now waits for.</param>
public sealed record TaskEscalatedEffect(WorkflowTask Task, string Role) : WorkflowEffect;
