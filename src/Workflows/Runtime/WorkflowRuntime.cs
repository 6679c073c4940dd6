using Stateless;
using TradSys.Rules.Context;
using TradSys.Workflows.Definitions;

namespace TradSys.Workflows.Runtime;

/// <summary>
/// Runs instances of compiled definitions. Each call builds a Stateless machine over the instance's own state (external
/// state storage), with the definition's transitions as permits and its guards as guard functions, fires one trigger and
/// collects what entering the new state asks for as <see cref="WorkflowEffect"/>s; the host carries those out through its
/// ports and saves the instance. The runtime does no I/O and reads no clock (time is passed in), so one call can be part of
/// the host's transaction, and a call on a copy can be thrown away when an effect cannot be carried out.
/// </summary>
/// <remarks>
/// Human tasks: a task has a role; only holders of the role claim, approve or reject it; the subject's maker never does
/// (<see cref="WorkflowContext.Maker"/>); a four-eyes task fires <c>approve</c> only when it has its number of distinct
/// approvers. Not thread-safe for one instance: the host serialises changes to an instance (and its store checks
/// <see cref="WorkflowInstance.Version"/>).
/// </remarks>
public sealed class WorkflowRuntime(WorkflowCatalog catalog)
{
    /// <summary>The catalogue instances look their definition versions up in.</summary>
    public WorkflowCatalog Catalog => catalog;

    /// <summary>
    /// Starts <paramref name="definition"/> for a new subject. A straight-through definition returns at once without an
    /// instance (no allocation); otherwise an instance is created in the initial state and <c>start</c> fired.
    /// </summary>
    /// <param name="definition">The definition (from <see cref="WorkflowCatalog.Select"/>).</param>
    /// <param name="facts">The subject's facts (copied for the instance).</param>
    /// <param name="subjectId">The subject's key.</param>
    /// <param name="now">The host's time.</param>
    /// <param name="payload">Optional opaque payload kept with the instance.</param>
    /// <returns>The start.</returns>
    /// <exception cref="InvalidOperationException">The initial state's start transition is guarded and its guard does not hold.</exception>
    public WorkflowStart Start(CompiledWorkflow definition, WorkflowContext facts, string subjectId, DateTime now, string? payload = null)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(facts);
        if (definition.IsStraightThrough)
        {
            return new WorkflowStart(definition, null, []);
        }

        var copy = new WorkflowContext();
        copy.CopyFrom(facts);
        var instance = new WorkflowInstance
        {
            Id = Guid.CreateVersion7(new DateTimeOffset(now, TimeSpan.Zero)), DefinitionId = definition.Id, DefinitionVersion = definition.Version,
            Subject = definition.Subject, SubjectId = subjectId, State = definition.Document.InitialState, Facts = copy, Payload = payload,
            CreatedAt = now, UpdatedAt = now,
        };
        var effects = new List<WorkflowEffect>();
        string? refusal = Fire(definition, instance, WorkflowCompiler.StartTrigger, WorkflowActor.System, null, now, effects);
        if (refusal is not null)
        {
            throw new InvalidOperationException($"workflow '{definition.Id}' v{definition.Version} cannot start: {refusal}");
        }

        instance.Version = 1;
        return new WorkflowStart(definition, instance, effects);
    }

    /// <summary>Claims an open task for the actor.</summary>
    /// <param name="instance">The instance.</param>
    /// <param name="taskId">The task.</param>
    /// <param name="actor">Who.</param>
    /// <param name="now">When.</param>
    /// <returns>The result.</returns>
    public WorkflowStepResult Claim(WorkflowInstance instance, Guid taskId, WorkflowActor actor, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(actor);
        if (CheckActor(instance, taskId, actor, out WorkflowTask? task) is { } refused)
        {
            return refused;
        }

        if (string.Equals(task!.ClaimedBy, actor.UserName, StringComparison.Ordinal))
        {
            return WorkflowStepResult.Refused(WorkflowStepOutcome.Unchanged, $"task '{task.Name}' is already claimed by {actor.UserName}");
        }

        task.ClaimedBy = actor.UserName;
        Log(instance, "claim", actor, null, now);
        return new WorkflowStepResult(WorkflowStepOutcome.Done, $"task '{task.Name}' claimed by {actor.UserName}", []);
    }

    /// <summary>Records an approval; when the task has all its distinct approvals, fires <c>approve</c>.</summary>
    /// <param name="instance">The instance.</param>
    /// <param name="taskId">The task.</param>
    /// <param name="actor">Who.</param>
    /// <param name="comment">Optional note.</param>
    /// <param name="now">When.</param>
    /// <returns>The result.</returns>
    public WorkflowStepResult Approve(WorkflowInstance instance, Guid taskId, WorkflowActor actor, string? comment, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(actor);
        if (CheckActor(instance, taskId, actor, out WorkflowTask? task) is { } refused)
        {
            return refused;
        }

        CompiledWorkflow definition = DefinitionOf(instance);
        task!.Approvers.Add(actor.UserName);
        instance.Facts.Approvals = task.Approvers.Count;
        if (task.Approvers.Count < task.RequiredApprovals)
        {
            task.ClaimedBy = null;
            task.Comment = comment;
            Log(instance, "approval", actor, $"approval {task.Approvers.Count} of {task.RequiredApprovals}" + Note(comment), now);
            return new WorkflowStepResult(WorkflowStepOutcome.ApprovalRecorded,
                $"approval {task.Approvers.Count} of {task.RequiredApprovals} recorded; a different person must give the next",
                [new NotifyEffect(task.Role, $"task '{task.Name}' has {task.Approvers.Count} of {task.RequiredApprovals} approvals")]);
        }

        var effects = new List<WorkflowEffect>();
        string? notPermitted = Fire(definition, instance, WorkflowCompiler.ApproveTrigger, actor, comment, now, effects);
        if (notPermitted is not null)
        {
            task.Approvers.RemoveAt(task.Approvers.Count - 1);
            instance.Facts.Approvals = task.Approvers.Count;
            return WorkflowStepResult.Refused(WorkflowStepOutcome.NotPermitted, notPermitted);
        }

        task.Comment = comment;
        return new WorkflowStepResult(WorkflowStepOutcome.Done, $"approved by {string.Join(" and ", task.Approvers)}; now {instance.State}", effects);
    }

    /// <summary>Rejects the task (a reason is required) and fires <c>reject</c>.</summary>
    /// <param name="instance">The instance.</param>
    /// <param name="taskId">The task.</param>
    /// <param name="actor">Who.</param>
    /// <param name="reason">Why (required).</param>
    /// <param name="now">When.</param>
    /// <returns>The result.</returns>
    public WorkflowStepResult Reject(WorkflowInstance instance, Guid taskId, WorkflowActor actor, string? reason, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(actor);
        if (string.IsNullOrWhiteSpace(reason))
        {
            return WorkflowStepResult.Refused(WorkflowStepOutcome.ReasonRequired, "a rejection needs a reason (comment)");
        }

        if (CheckActor(instance, taskId, actor, out WorkflowTask? task) is { } refused)
        {
            return refused;
        }

        var effects = new List<WorkflowEffect>();
        string? notPermitted = Fire(DefinitionOf(instance), instance, WorkflowCompiler.RejectTrigger, actor, reason.Trim(), now, effects);
        if (notPermitted is not null)
        {
            return WorkflowStepResult.Refused(WorkflowStepOutcome.NotPermitted, notPermitted);
        }

        task!.RejectedBy = actor.UserName;
        task.Comment = reason.Trim();
        return new WorkflowStepResult(WorkflowStepOutcome.Done, $"rejected by {actor.UserName}; now {instance.State}", effects);
    }

    /// <summary>
    /// Hands an open task to another user (who then holds it as if claimed) or another role (unclaimed). The actor must hold
    /// the task's role; the host checks that a named user exists and holds the role. A reassignment to what the task already is
    /// (the user who holds it; the role it is with, unclaimed) is <see cref="WorkflowStepOutcome.Unchanged"/> and changes nothing, so a
    /// request sent again is not recorded twice.
    /// </summary>
    /// <param name="instance">The instance.</param>
    /// <param name="taskId">The task.</param>
    /// <param name="actor">Who.</param>
    /// <param name="toUser">The new assignee, or null.</param>
    /// <param name="toRole">The new role, or null.</param>
    /// <param name="comment">Why.</param>
    /// <param name="now">When.</param>
    /// <returns>The result.</returns>
    public WorkflowStepResult Reassign(WorkflowInstance instance, Guid taskId, WorkflowActor actor, string? toUser, string? toRole, string? comment, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(actor);
        if (string.IsNullOrWhiteSpace(toUser) == string.IsNullOrWhiteSpace(toRole))
        {
            return WorkflowStepResult.Refused(WorkflowStepOutcome.Invalid, "name exactly one of user and role to reassign to");
        }

        WorkflowTask? task = instance.Tasks.Find(t => t.Id == taskId);
        if (task is null)
        {
            return WorkflowStepResult.Refused(WorkflowStepOutcome.TaskNotFound, $"the instance has no task {taskId}");
        }

        if (task.Status != WorkflowTaskStatus.Open)
        {
            return WorkflowStepResult.Refused(WorkflowStepOutcome.TaskClosed, $"task '{task.Name}' is {task.Status}, not open");
        }

        // Checked before the role: whoever sent a task to another role no longer holds the task's role, and their request sent
        // again must find it done, not be refused.
        if (toUser is null && string.Equals(task.Role, toRole, StringComparison.Ordinal) && task.ClaimedBy is null)
        {
            return WorkflowStepResult.Refused(WorkflowStepOutcome.Unchanged, $"task '{task.Name}' is already with role {toRole}, unclaimed");
        }

        if (!actor.Holds(task.Role))
        {
            return WorkflowStepResult.Refused(WorkflowStepOutcome.RoleRequired, $"task '{task.Name}' can be reassigned only by holders of the role '{task.Role}'");
        }

        if (toUser is { } user)
        {
            if (string.Equals(user, instance.Facts.Maker, StringComparison.Ordinal))
            {
                return WorkflowStepResult.Refused(WorkflowStepOutcome.MakerCannotAct, $"{user} made this {instance.Subject.ToString().ToLowerInvariant()} and can never be its checker");
            }

            if (task.Approvers.Contains(user, StringComparer.Ordinal))
            {
                return WorkflowStepResult.Refused(WorkflowStepOutcome.AlreadyApproved, $"{user} already approved this task; four-eyes needs a different person");
            }

            if (string.Equals(task.ClaimedBy, user, StringComparison.Ordinal))
            {
                return WorkflowStepResult.Refused(WorkflowStepOutcome.Unchanged, $"task '{task.Name}' is already assigned to {user}");
            }

            task.ClaimedBy = user;
        }
        else
        {
            task.Role = toRole!;
            task.ClaimedBy = null;
        }

        Log(instance, "reassign", actor, $"to {(toUser is null ? "role " + toRole : toUser)}" + Note(comment), now);
        return new WorkflowStepResult(WorkflowStepOutcome.Done, $"task '{task.Name}' reassigned to {toUser ?? "role " + toRole}",
            [new NotifyEffect(toRole ?? task.Role, $"task '{task.Name}' was reassigned to {toUser ?? "role " + toRole}")]);
    }

    /// <summary>Withdraws the subject (the trader canceled the held order): fires <c>cancel</c>.</summary>
    /// <param name="instance">The instance.</param>
    /// <param name="actor">Who.</param>
    /// <param name="reason">Why.</param>
    /// <param name="now">When.</param>
    /// <returns>The result.</returns>
    public WorkflowStepResult Cancel(WorkflowInstance instance, WorkflowActor actor, string reason, DateTime now) =>
        FireTrigger(instance, WorkflowCompiler.CancelTrigger, actor, reason, now);

    /// <summary>Fires any trigger the definition handles in the current state (e.g. <c>expire</c> when the host expires the subject).</summary>
    /// <param name="instance">The instance.</param>
    /// <param name="trigger">The trigger.</param>
    /// <param name="actor">Who.</param>
    /// <param name="comment">Why.</param>
    /// <param name="now">When.</param>
    /// <returns>The result.</returns>
    public WorkflowStepResult FireTrigger(WorkflowInstance instance, string trigger, WorkflowActor actor, string? comment, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(actor);
        if (instance.IsCompleted)
        {
            return WorkflowStepResult.Refused(WorkflowStepOutcome.NotPermitted, $"the instance completed in state {instance.State}");
        }

        var effects = new List<WorkflowEffect>();
        string? notPermitted = Fire(DefinitionOf(instance), instance, trigger, actor, comment, now, effects);
        return notPermitted is null
            ? new WorkflowStepResult(WorkflowStepOutcome.Done, $"{trigger}: now {instance.State}", effects)
            : WorkflowStepResult.Refused(WorkflowStepOutcome.NotPermitted, notPermitted);
    }

    /// <summary>
    /// A timer is due. It applies only if the instance is still in the state entry that scheduled it
    /// (<paramref name="stateEnteredSequence"/>) and the timer has not run for that entry yet; otherwise nothing happens,
    /// so a timer job that runs twice, or late, is harmless.
    /// </summary>
    /// <param name="instance">The instance, freshly read.</param>
    /// <param name="timer">The timer's name.</param>
    /// <param name="stateEnteredSequence">The state entry it was scheduled for.</param>
    /// <param name="now">When.</param>
    /// <returns>The result (<see cref="WorkflowStepOutcome.Stale"/> when it no longer applies).</returns>
    public WorkflowStepResult OnTimer(WorkflowInstance instance, string timer, int stateEnteredSequence, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(instance);
        if (instance.IsCompleted || instance.StateEnteredSequence != stateEnteredSequence || instance.FiredTimers.Contains(timer, StringComparer.Ordinal))
        {
            return WorkflowStepResult.Refused(WorkflowStepOutcome.Stale, $"timer '{timer}' no longer applies (instance in {instance.State}, entry {instance.StateEnteredSequence})");
        }

        CompiledWorkflow definition = DefinitionOf(instance);
        CompiledTimer? compiled = null;
        foreach (CompiledTimer t in definition.State(instance.State).Timers)
        {
            if (string.Equals(t.Name, timer, StringComparison.Ordinal))
            {
                compiled = t;
            }
        }

        if (compiled is null)
        {
            return WorkflowStepResult.Refused(WorkflowStepOutcome.Stale, $"state {instance.State} has no timer '{timer}'");
        }

        if (compiled.EscalateTo is { } role)
        {
            WorkflowTask? task = instance.OpenTask;
            if (task is null)
            {
                return WorkflowStepResult.Refused(WorkflowStepOutcome.Stale, $"timer '{timer}': no open task to escalate");
            }

            instance.FiredTimers.Add(timer);
            task.Role = role;
            task.Escalated = true;
            task.ClaimedBy = null;
            instance.Facts.Escalated = true;
            Log(instance, $"timer:{timer}", WorkflowActor.System, $"task '{task.Name}' escalated to {role}", now);
            return new WorkflowStepResult(WorkflowStepOutcome.Done, $"task '{task.Name}' escalated to {role}",
                [new TaskEscalatedEffect(task, role), new NotifyEffect(role, $"task '{task.Name}' was escalated to {role} after its SLA")]);
        }

        var effects = new List<WorkflowEffect>();
        instance.FiredTimers.Add(timer);
        string? notPermitted = Fire(definition, instance, compiled.Fire!, WorkflowActor.System, $"timer {timer}", now, effects);
        if (notPermitted is not null)
        {
            instance.FiredTimers.Remove(timer);
            return WorkflowStepResult.Refused(WorkflowStepOutcome.NotPermitted, notPermitted);
        }

        return new WorkflowStepResult(WorkflowStepOutcome.Done, $"timer '{timer}': now {instance.State}", effects);
    }

    private CompiledWorkflow DefinitionOf(WorkflowInstance instance) =>
        catalog.Get(instance.DefinitionId, instance.DefinitionVersion)
        ?? throw new InvalidOperationException($"workflow '{instance.DefinitionId}' v{instance.DefinitionVersion} (instance {instance.Id}) is not loaded");

    private static WorkflowStepResult? CheckActor(WorkflowInstance instance, Guid taskId, WorkflowActor actor, out WorkflowTask? task)
    {
        task = instance.Tasks.Find(t => t.Id == taskId);
        if (task is null)
        {
            return WorkflowStepResult.Refused(WorkflowStepOutcome.TaskNotFound, $"the instance has no task {taskId}");
        }

        if (task.Status != WorkflowTaskStatus.Open)
        {
            return WorkflowStepResult.Refused(WorkflowStepOutcome.TaskClosed, $"task '{task.Name}' is {task.Status}, not open");
        }

        if (!actor.Holds(task.Role))
        {
            return WorkflowStepResult.Refused(WorkflowStepOutcome.RoleRequired, $"task '{task.Name}' needs the role '{task.Role}'");
        }

        if (string.Equals(actor.UserName, instance.Facts.Maker, StringComparison.Ordinal))
        {
            return WorkflowStepResult.Refused(WorkflowStepOutcome.MakerCannotAct,
                $"{actor.UserName} made this {instance.Subject.ToString().ToLowerInvariant()} and can never be its checker");
        }

        if (task.Approvers.Contains(actor.UserName, StringComparer.Ordinal))
        {
            return WorkflowStepResult.Refused(WorkflowStepOutcome.AlreadyApproved,
                $"{actor.UserName} already approved task '{task.Name}'; its {task.RequiredApprovals} approvals must come from different people");
        }

        if (task.ClaimedBy is { } holder && !string.Equals(holder, actor.UserName, StringComparison.Ordinal))
        {
            return WorkflowStepResult.Refused(WorkflowStepOutcome.ClaimedByOther, $"task '{task.Name}' is claimed by {holder}");
        }

        return null;
    }

    private static void Log(WorkflowInstance instance, string what, WorkflowActor actor, string? comment, DateTime now)
    {
        instance.NewTransitions.Add(new TransitionRecord(++instance.LastSequence, instance.State, instance.State, what, actor.UserName, comment, now));
        instance.Version++;
        instance.UpdatedAt = now;
    }

    private static string Note(string? comment) => string.IsNullOrWhiteSpace(comment) ? "" : ": " + comment.Trim();

    /// <summary>Fires one trigger through a Stateless machine bound to the instance; returns why not, or null when done.</summary>
    private static string? Fire(CompiledWorkflow definition, WorkflowInstance instance, string trigger, WorkflowActor actor, string? comment, DateTime now,
        List<WorkflowEffect> effects)
    {
        var machine = new StateMachine<string, string>(() => instance.State, s => instance.State = s);
        foreach (CompiledState state in definition.States)
        {
            StateMachine<string, string>.StateConfiguration configure = machine.Configure(state.Name);
            foreach (CompiledTransition t in state.Transitions)
            {
                Func<WorkflowContext, bool>? guard = t.Guard;
                Func<bool> holds = guard is null ? static () => true : () => guard(instance.Facts);
                if (string.Equals(t.To, state.Name, StringComparison.Ordinal))
                {
                    configure.PermitReentryIf(t.Trigger, holds, t.GuardText ?? "");
                }
                else
                {
                    configure.PermitIf(t.Trigger, t.To, holds, t.GuardText ?? "");
                }
            }

            CompiledState entered = state;
            configure.OnEntry(transition => Entered(entered, instance, transition, actor, comment, now, effects));
        }

        if (!machine.CanFire(trigger))
        {
            string[] permitted = [.. definition.State(instance.State).Transitions
                .Where(t => t.Guard is null || t.Guard(instance.Facts)).Select(t => t.Trigger).Distinct(StringComparer.Ordinal)];
            return $"state {instance.State} of workflow '{definition.Id}' v{definition.Version} does not accept '{trigger}' now" +
                   (permitted.Length > 0 ? $" (it accepts: {string.Join(", ", permitted)})" : "");
        }

        try
        {
            machine.Fire(trigger);
        }
        catch (InvalidOperationException ex)
        {
            // Two guards of one trigger hold at once: the definition is ambiguous for these facts.
            return $"'{trigger}' in state {instance.State} is ambiguous: {ex.Message}";
        }

        instance.Version++;
        instance.UpdatedAt = now;
        return null;
    }

    private static void Entered(CompiledState state, WorkflowInstance instance, StateMachine<string, string>.Transition transition, WorkflowActor actor,
        string? comment, DateTime now, List<WorkflowEffect> effects)
    {
        int sequence = ++instance.LastSequence;
        instance.NewTransitions.Add(new TransitionRecord(sequence, transition.Source, transition.Destination, transition.Trigger, actor.UserName, comment, now));
        WorkflowTaskStatus closedAs = transition.Trigger switch
        {
            WorkflowCompiler.ApproveTrigger => WorkflowTaskStatus.Approved,
            WorkflowCompiler.RejectTrigger => WorkflowTaskStatus.Rejected,
            _ => WorkflowTaskStatus.Closed,
        };
        string approvers = "";
        foreach (WorkflowTask open in instance.Tasks)
        {
            if (open.Status == WorkflowTaskStatus.Open)
            {
                open.Status = closedAs;
                open.ClosedAt = now;
                open.ClaimedBy = null;
                approvers = string.Join(" and ", open.Approvers);
            }
        }

        instance.StateEnteredSequence = sequence;
        instance.StateEnteredAt = now;
        instance.FiredTimers.Clear();
        foreach (ActionDefinition action in state.OnEntry)
        {
            switch (action.Type)
            {
                case WorkflowActionType.SendToEngine:
                    effects.Add(new SendToEngineEffect(approvers.Length > 0 ? $"approved by {approvers}" + Note(comment) : comment ?? transition.Trigger));
                    break;
                case WorkflowActionType.Reject:
                    effects.Add(new RejectEffect(transition.Trigger == WorkflowCompiler.RejectTrigger && !string.IsNullOrWhiteSpace(comment)
                        ? comment : action.Message ?? comment ?? transition.Trigger));
                    break;
                case WorkflowActionType.Notify:
                    effects.Add(new NotifyEffect(action.Role, action.Message!));
                    break;
                case WorkflowActionType.Publish:
                    effects.Add(new PublishEffect());
                    break;
                case WorkflowActionType.OpenTask:
                    TaskDefinition definition = action.Task!;
                    var task = new WorkflowTask
                    {
                        Id = Guid.CreateVersion7(new DateTimeOffset(now, TimeSpan.Zero)), Name = definition.Name, State = state.Name, Role = definition.Role!,
                        RequiredApprovals = definition.Approvals, FourEyes = definition.FourEyes, OpenedAt = now,
                    };
                    instance.Tasks.Add(task);
                    instance.Facts.Approvals = 0;
                    instance.Facts.Escalated = false;
                    effects.Add(new TaskOpenedEffect(task));
                    break;
                default:
                    throw new InvalidOperationException($"unknown action {action.Type}");
            }
        }

        foreach (CompiledTimer timer in state.Timers)
        {
            effects.Add(new ScheduleTimerEffect(timer.Name, timer.After, timer.AtSessionEnd, sequence));
        }

        if (state.Final)
        {
            instance.CompletedAt = now;
        }
    }
}
