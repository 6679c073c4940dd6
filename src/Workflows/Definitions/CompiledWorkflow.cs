using TradSys.Rules.Context;

namespace TradSys.Workflows.Definitions;

/// <summary>A checked definition with its guards compiled; immutable, shared by every instance of its version.</summary>
public sealed class CompiledWorkflow
{
    private readonly Dictionary<string, CompiledState> _states;

    internal CompiledWorkflow(WorkflowDefinitionDocument document, string json, Func<WorkflowContext, bool>? appliesWhen, IReadOnlyList<CompiledState> states)
    {
        Document = document;
        Json = json;
        AppliesWhen = appliesWhen;
        States = states;
        _states = states.ToDictionary(s => s.Name, StringComparer.Ordinal);
        CompiledState initial = _states[document.InitialState];
        // Created and at once done with nothing but sending the order on: no task, no timer, nothing to persist.
        IsStraightThrough = document.Subject == WorkflowSubject.Order && initial.Transitions.Count == 1 && initial.Transitions[0] is { Guard: null } start &&
            _states[start.To] is { Final: true, Timers.Count: 0 } end && end.OnEntry.Count == 1 && end.OnEntry[0].Type == WorkflowActionType.SendToEngine;
    }

    /// <summary>The definition as written.</summary>
    public WorkflowDefinitionDocument Document { get; }

    /// <summary>Its JSON text.</summary>
    public string Json { get; }

    /// <summary>Id.</summary>
    public string Id => Document.Id;

    /// <summary>Version.</summary>
    public int Version => Document.Version;

    /// <summary>Subject.</summary>
    public WorkflowSubject Subject => Document.Subject;

    /// <summary>The selection guard; null for the subject's fallback.</summary>
    public Func<WorkflowContext, bool>? AppliesWhen { get; }

    /// <summary>The states in definition order.</summary>
    public IReadOnlyList<CompiledState> States { get; }

    /// <summary>
    /// The definition sends the order on at once (start leads unguarded to a final state whose only action is
    /// sendToEngine): the runtime decides it without building an instance, so the straight-through path allocates
    /// nothing and stores nothing.
    /// </summary>
    public bool IsStraightThrough { get; }

    /// <summary>A state by name.</summary>
    /// <param name="name">The state's name.</param>
    /// <returns>The state.</returns>
    /// <exception cref="KeyNotFoundException">No such state (an instance stored with a state its version lacks).</exception>
    public CompiledState State(string name) => _states[name];
}

/// <summary>A compiled state.</summary>
/// <param name="Name">Name.</param>
/// <param name="Final">The instance completes on entering it.</param>
/// <param name="OnEntry">Entry actions.</param>
/// <param name="Transitions">The ways out.</param>
/// <param name="Timers">Timers started on entry.</param>
/// <param name="Task">The task it opens, if any.</param>
public sealed record CompiledState(string Name, bool Final, IReadOnlyList<ActionDefinition> OnEntry, IReadOnlyList<CompiledTransition> Transitions,
    IReadOnlyList<CompiledTimer> Timers, TaskDefinition? Task);

/// <summary>A compiled transition.</summary>
/// <param name="Trigger">Trigger.</param>
/// <param name="To">Target state.</param>
/// <param name="GuardText">The guard as written.</param>
/// <param name="Guard">The compiled guard; null when unguarded.</param>
public sealed record CompiledTransition(string Trigger, string To, string? GuardText, Func<WorkflowContext, bool>? Guard);

/// <summary>A compiled timer.</summary>
/// <param name="Name">Name.</param>
/// <param name="After">Delay from entering the state, or null for <paramref name="AtSessionEnd"/>.</param>
/// <param name="AtSessionEnd">Due when the order's venue session ends.</param>
/// <param name="EscalateTo">Role the task escalates to.</param>
/// <param name="Fire">Trigger fired.</param>
public sealed record CompiledTimer(string Name, TimeSpan? After, bool AtSessionEnd, string? EscalateTo, string? Fire);
