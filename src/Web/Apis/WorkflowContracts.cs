using TradSys.Web.Persistence.Entities;
using TradSys.Workflows.Definitions;
using TradSys.Workflows.Runtime;

namespace TradSys.Web.Apis;

/// <summary>
/// A task in the inbox. <c>Version</c> is its instance's optimistic-concurrency version: send it back with a decision to
/// be told (409) when someone else changed the instance since you read it. <c>SlaDueAt</c> and <c>EscalatesTo</c>: when
/// an open task not yet escalated escalates, and to which role (its state's SLA timer); null when it has none.
/// </summary>
public sealed record TaskResponse(Guid TaskId, Guid InstanceId, string Name, string Role, string Status, int RequiredApprovals, bool FourEyes,
    IReadOnlyList<string> Approvers, string? ClaimedBy, string? RejectedBy, bool Escalated, DateTime OpenedAt, DateTime? ClosedAt, string? Comment,
    string Definition, int DefinitionVersion, string Subject, string SubjectId, long? OrderId, string State, long Version, string Maker,
    string Outcome, string ReasonCodes, decimal Notional, string Currency, decimal NotionalUsd, string? PackId, DateTime? SlaDueAt = null,
    string? EscalatesTo = null)
{
    public static TaskResponse From(WorkflowTask t, WorkflowInstance i, long? orderId, WorkflowCatalog? catalog = null)
    {
        var sla = t.Status == WorkflowTaskStatus.Open && !t.Escalated
            ? catalog?.Get(i.DefinitionId, i.DefinitionVersion)?.States.FirstOrDefault(s => s.Name == i.State)?.Timers
                .FirstOrDefault(timer => timer.EscalateTo is not null && timer.After is not null && !i.FiredTimers.Contains(timer.Name))
            : null;
        return new(t.Id, i.Id, t.Name, t.Role, t.Status.ToString(),
            t.RequiredApprovals, t.FourEyes, t.Approvers, t.ClaimedBy, t.RejectedBy, t.Escalated, t.OpenedAt, t.ClosedAt, t.Comment,
            i.DefinitionId, i.DefinitionVersion, i.Subject == WorkflowSubject.Order ? "order" : "rulepack", i.SubjectId, orderId, i.State, i.Version,
            i.Facts.Maker, i.Facts.Outcome, i.Facts.ReasonCodes, i.Facts.Notional, i.Facts.Currency, i.Facts.NotionalUsd,
            string.IsNullOrEmpty(i.Facts.PackId) ? null : i.Facts.PackId,
            sla is null ? null : i.StateEnteredAt + sla.After!.Value, sla?.EscalateTo);
    }
}

/// <summary>What a decision on a task came to: the task and instance after it, and the held order when one was affected.</summary>
public sealed record TaskDecisionResponse(string Outcome, string Message, TaskResponse Task, OrderResponse? Order);

/// <summary>Claim, approve, reject or reassign. <c>Comment</c>: required to reject (the reason). <c>Version</c>: optional concurrency check.</summary>
public sealed record TaskDecisionRequest(string? Comment = null, long? Version = null);

/// <summary>Reassign to a user (who then holds the task) or to a role (unclaimed). Exactly one of the two.</summary>
public sealed record TaskReassignRequest(string? User = null, string? Role = null, string? Comment = null, long? Version = null);

/// <summary>An instance with its tasks and its whole transition log.</summary>
public sealed record WorkflowInstanceResponse(Guid InstanceId, string Definition, int DefinitionVersion, string Subject, string SubjectId, long? OrderId,
    string State, long Version, DateTime CreatedAt, DateTime UpdatedAt, DateTime? CompletedAt, Rules.Context.WorkflowContext Facts,
    IReadOnlyList<TaskResponse> Tasks, IReadOnlyList<WorkflowTransitionResponse> Transitions);

/// <summary>One entry of the transition log.</summary>
public sealed record WorkflowTransitionResponse(int Sequence, string FromState, string ToState, string Trigger, string Actor, string? Comment, DateTime At)
{
    public static WorkflowTransitionResponse Of(WorkflowTransitionRecord t) => new(t.Sequence, t.FromState, t.ToState, t.Trigger, t.Actor, t.Comment, t.At);
}

/// <summary>A definition version.</summary>
public sealed record WorkflowDefinitionResponse(string Id, int Version, string Title, string Subject, int Priority, string? AppliesWhen, bool Current,
    DateTime PublishedAt, string PublishedBy, string Sha256, string? Comment);

/// <summary>A held order's review: why it is held and where its workflow is.</summary>
public sealed record OrderReviewResponse(string? Reason, Guid? InstanceId, string? Definition, int? DefinitionVersion, string? State,
    TaskResponse? OpenTask);

/// <summary>A workflow definition's problem, as for rule packs: where and what.</summary>
public sealed record WorkflowErrorResponse(string? Definition, int? Version, string? State, string? Transition, string Location, int? Line, int? Position, string Message)
{
    public static WorkflowErrorResponse From(WorkflowError e) => new(e.DefinitionId, e.Version, e.State, e.Transition, e.Location, e.Line, e.Position, e.Message);
}

/// <summary>A submitted rule-pack change waiting for a checker (maker-checker).</summary>
public sealed record RulePackSubmissionResponse(string PackId, string Version, string Kind, string State, Guid InstanceId, TaskResponse Task);

/// <summary>A draft definition that satisfies every check (<c>POST /api/v1/workflows/definitions/validate</c>); nothing is stored.</summary>
public sealed record WorkflowValidationResponse(bool Valid, string Id, int Version, int States);

/// <summary>A published definition version, now the current one for new subjects.</summary>
public sealed record WorkflowPublishedResponse(string Id, int Version, bool Current);
