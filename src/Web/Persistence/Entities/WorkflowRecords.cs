namespace TradSys.Web.Persistence.Entities;

/// <summary>
/// A published workflow definition version, kept forever (instances keep the version they began with). The highest
/// version of each definition is current.
/// </summary>
public sealed class WorkflowDefinitionRecord
{
    public long Id { get; set; }
    /// <summary>The definition id, e.g. compliance-review.</summary>
    public required string DefinitionId { get; set; }
    public int Version { get; set; }
    /// <summary>The JSON exactly as published.</summary>
    public required string Json { get; set; }
    public required string Sha256 { get; set; }
    public DateTime PublishedAt { get; set; }
    public required string PublishedBy { get; set; }
    public string? Comment { get; set; }
}

/// <summary>
/// A suspended (or finished) workflow instance: only orders held for review or approval and rule-pack changes have one;
/// the straight-through path stores nothing. <see cref="Version"/> is the optimistic-concurrency token.
/// </summary>
public sealed class WorkflowInstanceRecord
{
    public Guid Id { get; set; }
    public required string DefinitionId { get; set; }
    public int DefinitionVersion { get; set; }
    /// <summary>order or rulepack.</summary>
    public required string Subject { get; set; }
    /// <summary>The order id, or packId@version.</summary>
    public required string SubjectId { get; set; }
    /// <summary>The held order, for order instances.</summary>
    public long? OrderId { get; set; }
    public required string State { get; set; }
    public long Version { get; set; }
    /// <summary>The facts guards read (WorkflowContext), JSON.</summary>
    public required string FactsJson { get; set; }
    /// <summary>The subject's payload (a rule-pack change: its draft), JSON.</summary>
    public string? Payload { get; set; }
    /// <summary>Timers of the current state entry that already ran, comma-separated.</summary>
    public string FiredTimers { get; set; } = "";
    public int StateEnteredSequence { get; set; }
    public DateTime StateEnteredAt { get; set; }
    public int LastSequence { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? CompletedAt { get; set; }
}

/// <summary>A human task of an instance.</summary>
public sealed class WorkflowTaskRecord
{
    public Guid Id { get; set; }
    public Guid InstanceId { get; set; }
    public required string Name { get; set; }
    /// <summary>The state that opened it.</summary>
    public required string State { get; set; }
    public required string Role { get; set; }
    public int RequiredApprovals { get; set; }
    public bool FourEyes { get; set; }
    /// <summary>Open, Approved, Rejected or Closed.</summary>
    public required string Status { get; set; }
    public string? ClaimedBy { get; set; }
    /// <summary>Distinct approvers in order, comma-separated.</summary>
    public string Approvers { get; set; } = "";
    public string? RejectedBy { get; set; }
    public bool Escalated { get; set; }
    public DateTime OpenedAt { get; set; }
    public DateTime? ClosedAt { get; set; }
    public string? Comment { get; set; }
}

/// <summary>One entry of an instance's append-only transition log.</summary>
public sealed class WorkflowTransitionRecord
{
    public long Id { get; set; }
    public Guid InstanceId { get; set; }
    public int Sequence { get; set; }
    public required string FromState { get; set; }
    public required string ToState { get; set; }
    public required string Trigger { get; set; }
    public required string Actor { get; set; }
    public string? Comment { get; set; }
    public DateTime At { get; set; }
}
