using TradSys.Rules.Context;
using TradSys.Workflows.Definitions;

namespace TradSys.Workflows.Runtime;

/// <summary>
/// A running (suspended) workflow: its definition version, state, facts, tasks and the transitions made since it was
/// loaded. Every change the runtime makes raises <see cref="Version"/> by one; a store saves only when the stored
/// version is still the one it loaded (optimistic concurrency), so of two racing changes exactly one lands.
/// </summary>
public sealed class WorkflowInstance
{
    /// <summary>Identity.</summary>
    public Guid Id { get; init; }
    /// <summary>The definition's id.</summary>
    public required string DefinitionId { get; init; }
    /// <summary>The definition version it began with and keeps.</summary>
    public required int DefinitionVersion { get; init; }
    /// <summary>What it is about.</summary>
    public required WorkflowSubject Subject { get; init; }
    /// <summary>The subject's key: the order id, or <c>packId@version</c>.</summary>
    public required string SubjectId { get; init; }
    /// <summary>The current state.</summary>
    public required string State { get; set; }
    /// <summary>Optimistic-concurrency version: 1 when created, +1 on every change.</summary>
    public long Version { get; set; }
    /// <summary>What guards read.</summary>
    public required WorkflowContext Facts { get; init; }
    /// <summary>Optional subject payload kept with the instance (a rule-pack draft's JSON); opaque to the runtime.</summary>
    public string? Payload { get; set; }
    /// <summary>When it was created.</summary>
    public DateTime CreatedAt { get; init; }
    /// <summary>When it last changed.</summary>
    public DateTime UpdatedAt { get; set; }
    /// <summary>When it reached a final state.</summary>
    public DateTime? CompletedAt { get; set; }
    /// <summary>The transition-log sequence of the last state entry: a timer scheduled then is stale once this moves on.</summary>
    public int StateEnteredSequence { get; set; }
    /// <summary>When the current state was entered (timers count from here).</summary>
    public DateTime StateEnteredAt { get; set; }
    /// <summary>The last transition-log sequence used.</summary>
    public int LastSequence { get; set; }
    /// <summary>Timers of the current state entry that already ran (running one twice does nothing the second time).</summary>
    public List<string> FiredTimers { get; init; } = [];
    /// <summary>Every task it opened.</summary>
    public List<WorkflowTask> Tasks { get; init; } = [];
    /// <summary>Transitions made since it was loaded (append-only: a store adds them and clears this list).</summary>
    public List<TransitionRecord> NewTransitions { get; } = [];

    /// <summary>True once it reached a final state.</summary>
    public bool IsCompleted => CompletedAt is not null;

    /// <summary>The open task, if any.</summary>
    public WorkflowTask? OpenTask => Tasks.Find(t => t.Status == WorkflowTaskStatus.Open);

    /// <summary>A deep copy, to restore when an effect of a change cannot be carried out.</summary>
    /// <returns>The copy.</returns>
    public WorkflowInstance Clone()
    {
        var facts = new WorkflowContext();
        facts.CopyFrom(Facts);
        var copy = new WorkflowInstance
        {
            Id = Id, DefinitionId = DefinitionId, DefinitionVersion = DefinitionVersion, Subject = Subject, SubjectId = SubjectId, State = State,
            Version = Version, Facts = facts, Payload = Payload, CreatedAt = CreatedAt, UpdatedAt = UpdatedAt, CompletedAt = CompletedAt,
            StateEnteredSequence = StateEnteredSequence, StateEnteredAt = StateEnteredAt, LastSequence = LastSequence, FiredTimers = [.. FiredTimers],
            Tasks = Tasks.ConvertAll(t => t.Clone()),
        };
        copy.NewTransitions.AddRange(NewTransitions);
        return copy;
    }
}

/// <summary>Where a task is.</summary>
public enum WorkflowTaskStatus
{
    /// <summary>Waiting for people (claimed or not).</summary>
    Open = 1,
    /// <summary>Got all its approvals.</summary>
    Approved = 2,
    /// <summary>Rejected.</summary>
    Rejected = 3,
    /// <summary>Closed without an outcome (the state was left another way: canceled, expired).</summary>
    Closed = 4,
}

/// <summary>A human task.</summary>
public sealed class WorkflowTask
{
    /// <summary>Identity.</summary>
    public Guid Id { get; init; }
    /// <summary>The task's name in the definition.</summary>
    public required string Name { get; init; }
    /// <summary>The state that opened it.</summary>
    public required string State { get; init; }
    /// <summary>The role whose holders may act on it (changes on escalation or reassignment).</summary>
    public required string Role { get; set; }
    /// <summary>Distinct approvals needed.</summary>
    public int RequiredApprovals { get; init; } = 1;
    /// <summary>Two or more distinct approvers required.</summary>
    public bool FourEyes { get; init; }
    /// <summary>Status.</summary>
    public WorkflowTaskStatus Status { get; set; } = WorkflowTaskStatus.Open;
    /// <summary>Who is working on it now (claimed or assigned); only they may act while it is set.</summary>
    public string? ClaimedBy { get; set; }
    /// <summary>Distinct approvers so far, in order.</summary>
    public List<string> Approvers { get; init; } = [];
    /// <summary>Who rejected it.</summary>
    public string? RejectedBy { get; set; }
    /// <summary>True once an SLA timer escalated it.</summary>
    public bool Escalated { get; set; }
    /// <summary>When it was opened.</summary>
    public DateTime OpenedAt { get; init; }
    /// <summary>When it was closed.</summary>
    public DateTime? ClosedAt { get; set; }
    /// <summary>The last comment (a rejection's reason, an approval's note).</summary>
    public string? Comment { get; set; }

    /// <summary>A copy.</summary>
    /// <returns>The copy.</returns>
    public WorkflowTask Clone() => new()
    {
        Id = Id, Name = Name, State = State, Role = Role, RequiredApprovals = RequiredApprovals, FourEyes = FourEyes, Status = Status,
        ClaimedBy = ClaimedBy, Approvers = [.. Approvers], RejectedBy = RejectedBy, Escalated = Escalated, OpenedAt = OpenedAt, ClosedAt = ClosedAt,
        Comment = Comment,
    };
}

/// <summary>One entry of an instance's append-only transition log (state changes, approvals, claims, escalations).</summary>
/// <param name="Sequence">1-based within the instance.</param>
/// <param name="From">State before.</param>
/// <param name="To">State after (the same for claims, single approvals, escalations).</param>
/// <param name="Trigger">What happened: a trigger, or <c>claim</c>, <c>approval</c>, <c>reassign</c>, <c>timer:NAME</c>.</param>
/// <param name="Actor">Who (a user name, or <c>system</c> for timers).</param>
/// <param name="Comment">The person's comment or what the runtime did.</param>
/// <param name="At">When.</param>
public sealed record TransitionRecord(int Sequence, string From, string To, string Trigger, string Actor, string? Comment, DateTime At);

/// <summary>Who acts: a user name and the roles they hold.</summary>
/// <param name="UserName">The user.</param>
/// <param name="Roles">Their roles.</param>
public sealed record WorkflowActor(string UserName, IReadOnlyCollection<string> Roles)
{
    /// <summary>The actor recorded for timers.</summary>
    public static WorkflowActor System { get; } = new("system", []);

    /// <summary>Whether the actor holds <paramref name="role"/>.</summary>
    /// <param name="role">The role.</param>
    /// <returns>True when held.</returns>
    public bool Holds(string role) => Roles.Contains(role, StringComparer.Ordinal);
}
