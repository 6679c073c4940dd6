using TradSys.Workflows.Definitions;

namespace TradSys.Workflows.Runtime;

/// <summary>What a runtime call came to.</summary>
public enum WorkflowStepOutcome
{
    /// <summary>Done: the instance changed (see the effects).</summary>
    Done,
    /// <summary>An approval was recorded; the task waits for more (four-eyes).</summary>
    ApprovalRecorded,
    /// <summary>Nothing to do: the request asked for what is already so (claiming one's own claim, reassigning a task to
    /// whom or the role it is assigned to already).</summary>
    Unchanged,
    /// <summary>A timer that no longer applies (the instance moved on, completed, or the timer already ran): nothing done.</summary>
    Stale,
    /// <summary>The instance has no such task.</summary>
    TaskNotFound,
    /// <summary>The task is no longer open.</summary>
    TaskClosed,
    /// <summary>The actor does not hold the task's role.</summary>
    RoleRequired,
    /// <summary>The actor made the subject (entered the order, authored the pack change): the maker is never a checker.</summary>
    MakerCannotAct,
    /// <summary>The actor already approved this task: four-eyes needs a different person.</summary>
    AlreadyApproved,
    /// <summary>Someone else claimed the task (or it was assigned to someone else).</summary>
    ClaimedByOther,
    /// <summary>A rejection needs a reason.</summary>
    ReasonRequired,
    /// <summary>The definition has no transition for the trigger in this state (or its guard does not hold).</summary>
    NotPermitted,
    /// <summary>The request is malformed (e.g. a reassignment naming neither user nor role).</summary>
    Invalid,
}

/// <summary>The result of a runtime call.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="Message">For people: what happened or why not.</param>
/// <param name="Effects">What the host must now do, in order.</param>
public sealed record WorkflowStepResult(WorkflowStepOutcome Outcome, string Message, IReadOnlyList<WorkflowEffect> Effects)
{
    /// <summary>True when the instance changed and must be saved.</summary>
    public bool Changed => Outcome is WorkflowStepOutcome.Done or WorkflowStepOutcome.ApprovalRecorded;

    internal static WorkflowStepResult Refused(WorkflowStepOutcome outcome, string message) => new(outcome, message, []);
}

/// <summary>
/// A new subject's workflow: either straight through (the definition sends it on at once: no instance, nothing stored)
/// or an instance that suspended (or completed) with the effects of its first steps.
/// </summary>
/// <param name="Definition">The definition that applied.</param>
/// <param name="Instance">The instance; null when straight through.</param>
/// <param name="Effects">Effects of the first steps; empty when straight through.</param>
public readonly record struct WorkflowStart(CompiledWorkflow Definition, WorkflowInstance? Instance, IReadOnlyList<WorkflowEffect> Effects)
{
    /// <summary>The subject goes on at once and nothing is stored.</summary>
    public bool IsStraightThrough => Instance is null;
}
