using System.Text.Json.Serialization;
using TradSys.Rules.Packs;

namespace TradSys.Workflows.Definitions;

/// <summary>A workflow definition as written in <c>rulesets/workflows/*.json</c> (see <c>workflow.schema.json</c>).</summary>
public sealed record WorkflowDefinitionDocument
{
    /// <summary>Stable identifier, e.g. <c>compliance-review</c>.</summary>
    public required string Id { get; init; }
    /// <summary>Whole-number version; each new one is greater than the current.</summary>
    public required int Version { get; init; }
    /// <summary>One line for people.</summary>
    public required string Title { get; init; }
    /// <summary>What the flow does and why.</summary>
    public string Description { get; init; } = "";
    /// <summary>What an instance is about.</summary>
    public required WorkflowSubject Subject { get; init; }
    /// <summary>Guard choosing this definition for a new subject; null for the subject's fallback.</summary>
    public string? AppliesWhen { get; init; }
    /// <summary>Higher is tried first.</summary>
    public int Priority { get; init; }
    /// <summary>Named values guards read as <c>@name</c> (thresholds live here, as in the rule packs).</summary>
    public IReadOnlyDictionary<string, RuleParameter> Parameters { get; init; } = new Dictionary<string, RuleParameter>();
    /// <summary>The state a new instance starts in; the runtime fires <c>start</c> from it at once.</summary>
    public required string InitialState { get; init; }
    /// <summary>The states.</summary>
    public required IReadOnlyList<StateDefinition> States { get; init; }
}

/// <summary>What a workflow instance is about.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<WorkflowSubject>))]
public enum WorkflowSubject
{
    /// <summary>A new order, after the rule packs and before the engine.</summary>
    [JsonStringEnumMemberName("order")] Order = 1,
    /// <summary>A rule-pack change (a new version or a rollback) waiting for a checker.</summary>
    [JsonStringEnumMemberName("rulepack")] RulePack = 2,
}

/// <summary>One state.</summary>
public sealed record StateDefinition
{
    /// <summary>Unique within the definition.</summary>
    public required string Name { get; init; }
    /// <summary>For people.</summary>
    public string Description { get; init; } = "";
    /// <summary>The instance completes on entering it.</summary>
    public bool Final { get; init; }
    /// <summary>Actions run on entering the state, in order.</summary>
    public IReadOnlyList<ActionDefinition> OnEntry { get; init; } = [];
    /// <summary>The ways out.</summary>
    public IReadOnlyList<TransitionDefinition> Transitions { get; init; } = [];
    /// <summary>Timers started on entering the state; a timer is void once the state is left.</summary>
    public IReadOnlyList<TimerDefinition> Timers { get; init; } = [];
}

/// <summary>A transition: on <see cref="Trigger"/>, when <see cref="Guard"/> holds, go to <see cref="To"/>.</summary>
public sealed record TransitionDefinition
{
    /// <summary>The trigger.</summary>
    public required string Trigger { get; init; }
    /// <summary>The target state.</summary>
    public required string To { get; init; }
    /// <summary>Optional guard in the rule packs' expression language over the workflow's facts.</summary>
    public string? Guard { get; init; }
}

/// <summary>What an action does.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<WorkflowActionType>))]
public enum WorkflowActionType
{
    /// <summary>Send the order on to the matching engine (price limits and session re-checked then).</summary>
    [JsonStringEnumMemberName("sendToEngine")] SendToEngine = 1,
    /// <summary>Reject the subject (a held order ends Canceled with the reason).</summary>
    [JsonStringEnumMemberName("reject")] Reject = 2,
    /// <summary>Tell a role (or the subject's maker) something.</summary>
    [JsonStringEnumMemberName("notify")] Notify = 3,
    /// <summary>Open a human task.</summary>
    [JsonStringEnumMemberName("openTask")] OpenTask = 4,
    /// <summary>Make a rule-pack change live.</summary>
    [JsonStringEnumMemberName("publish")] Publish = 5,
}

/// <summary>An action run on entering a state.</summary>
public sealed record ActionDefinition
{
    /// <summary>What it does.</summary>
    public required WorkflowActionType Type { get; init; }
    /// <summary>Notify: the text; reject: the reason used when the trigger carries no comment.</summary>
    public string? Message { get; init; }
    /// <summary>Notify: the role told (none: the maker).</summary>
    public string? Role { get; init; }
    /// <summary>OpenTask: the task.</summary>
    public TaskDefinition? Task { get; init; }
}

/// <summary>A human task: people holding <see cref="Role"/> claim it and approve or reject.</summary>
public sealed record TaskDefinition
{
    /// <summary>Name, e.g. <c>review</c>.</summary>
    public required string Name { get; init; }
    /// <summary>The role required to claim, approve or reject it.</summary>
    public string? Role { get; init; }
    /// <summary>Distinct approvals needed before <c>approve</c> fires.</summary>
    public int Approvals { get; init; } = 1;
    /// <summary>Two or more distinct approvers required.</summary>
    public bool FourEyes { get; init; }
}

/// <summary>A timer started on entering a state: after a duration or at an anchor, escalate the task or fire a trigger.</summary>
public sealed record TimerDefinition
{
    /// <summary>Unique within the state.</summary>
    public required string Name { get; init; }
    /// <summary>ISO 8601 duration from entering the state.</summary>
    public string? After { get; init; }
    /// <summary><c>sessionEnd</c>: when the order's venue session ends.</summary>
    public string? At { get; init; }
    /// <summary>Escalate the state's open task to this role.</summary>
    public string? EscalateTo { get; init; }
    /// <summary>Fire this trigger.</summary>
    public string? Fire { get; init; }
}
