using System.Xml;
using TradSys.Rules.Compilation;
using TradSys.Rules.Context;

namespace TradSys.Workflows.Definitions;

/// <summary>
/// Checks a parsed definition for everything the schema cannot say and compiles its guards. Refused, each with a
/// precise message naming definition, state, transition and field: duplicate or unknown states, a transition to an
/// unknown state, states unreachable from the initial one, a non-final state with no way out, a final state with
/// transitions or timers, guards that do not compile (with the position), ambiguous unguarded transitions, tasks
/// without a role, four-eyes with fewer than 2 approvals, timers with a bad duration or without exactly one of
/// after/at and escalateTo/fire, a timer firing a trigger the state does not handle, an escalation without a task.
/// </summary>
public static class WorkflowCompiler
{
    /// <summary>The trigger the runtime fires when an instance is created.</summary>
    public const string StartTrigger = "start";
    /// <summary>Fired when a task has all its approvals.</summary>
    public const string ApproveTrigger = "approve";
    /// <summary>Fired when a task is rejected.</summary>
    public const string RejectTrigger = "reject";
    /// <summary>Fired when the subject is withdrawn (the trader cancels a held order).</summary>
    public const string CancelTrigger = "cancel";

    private static readonly TimeSpan LongestTimer = TimeSpan.FromDays(31);

    /// <summary>Parses and compiles.</summary>
    /// <param name="json">The definition's JSON.</param>
    /// <param name="source">Where it came from, for messages.</param>
    /// <returns>The compiled definition.</returns>
    /// <exception cref="WorkflowDefinitionException">Every problem found.</exception>
    public static CompiledWorkflow Compile(string json, string source) => Compile(WorkflowDefinitionLoader.Parse(json, source), json, source);

    /// <summary>Compiles a parsed definition.</summary>
    /// <param name="document">The definition.</param>
    /// <param name="json">Its text (kept for storage and display).</param>
    /// <param name="source">Where it came from, for messages.</param>
    /// <returns>The compiled definition.</returns>
    /// <exception cref="WorkflowDefinitionException">Every problem found.</exception>
    public static CompiledWorkflow Compile(WorkflowDefinitionDocument document, string json, string source)
    {
        ArgumentNullException.ThrowIfNull(document);
        var errors = new List<WorkflowError>();
        void Error(string? state, string? transition, string location, int? position, string message) =>
            errors.Add(new WorkflowError(source, document.Id, document.Version, state, transition, location, null, position, message));

        IReadOnlyDictionary<string, object> parameters = GuardCompiler.BindParameters(document.Parameters,
            (name, problem) => Error(null, null, $"parameters.{name}.value", null, problem));

        Func<WorkflowContext, bool>? Guard(string text, string? state, string? transition, string location)
        {
            var problems = new List<GuardError>();
            Func<WorkflowContext, bool>? guard = GuardCompiler.Compile(text, parameters, problems);
            foreach (GuardError p in problems)
            {
                Error(state, transition, location, p.Position, "guard " + p.Message);
            }

            return guard;
        }

        Func<WorkflowContext, bool>? appliesWhen = document.AppliesWhen is { } aw ? Guard(aw, null, null, "appliesWhen") : null;

        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < document.States.Count; i++)
        {
            if (!index.TryAdd(document.States[i].Name, i))
            {
                Error(document.States[i].Name, null, $"states[{i}].name", null, "duplicate state name");
            }
        }

        if (!index.ContainsKey(document.InitialState))
        {
            Error(null, null, "initialState", null, $"initial state '{document.InitialState}' is not one of the states ({string.Join(", ", index.Keys)})");
        }

        var states = new CompiledState[document.States.Count];
        for (int i = 0; i < document.States.Count; i++)
        {
            StateDefinition s = document.States[i];
            string at = $"states[{i}]";
            var transitions = new List<CompiledTransition>();
            if (s.Final && s.Transitions.Count > 0)
            {
                Error(s.Name, null, $"{at}.transitions", null, "a final state has no transitions");
            }

            if (s.Final && s.Timers.Count > 0)
            {
                Error(s.Name, null, $"{at}.timers", null, "a final state has no timers");
            }

            if (!s.Final && s.Transitions.Count == 0)
            {
                Error(s.Name, null, $"{at}.transitions", null, "a state that is not final needs at least one transition (or mark it final)");
            }

            for (int t = 0; t < s.Transitions.Count; t++)
            {
                TransitionDefinition tr = s.Transitions[t];
                string name = $"transition '{tr.Trigger} -> {tr.To}'";
                if (!index.ContainsKey(tr.To))
                {
                    Error(s.Name, name, $"{at}.transitions[{t}].to", null, $"transition to unknown state '{tr.To}'");
                }

                Func<WorkflowContext, bool>? guard = tr.Guard is { } g ? Guard(g, s.Name, name, $"{at}.transitions[{t}].guard") : null;
                transitions.Add(new CompiledTransition(tr.Trigger, tr.To, tr.Guard, guard));
            }

            foreach (IGrouping<string, TransitionDefinition> same in s.Transitions.GroupBy(x => x.Trigger, StringComparer.Ordinal).Where(g => g.Count() > 1))
            {
                if (same.Any(x => x.Guard is null))
                {
                    Error(s.Name, $"trigger '{same.Key}'", $"{at}.transitions", null,
                        $"trigger '{same.Key}' has {same.Count()} transitions and at least one has no guard: every one of them needs a guard, and the guards must exclude each other");
                }
            }

            TaskDefinition? task = null;
            for (int a = 0; a < s.OnEntry.Count; a++)
            {
                ActionDefinition action = s.OnEntry[a];
                string location = $"{at}.onEntry[{a}]";
                switch (action.Type)
                {
                    case WorkflowActionType.OpenTask when action.Task is null:
                        Error(s.Name, null, $"{location}.task", null, "openTask needs a task (name, role, approvals)");
                        break;
                    case WorkflowActionType.OpenTask:
                        if (string.IsNullOrWhiteSpace(action.Task!.Role))
                        {
                            Error(s.Name, $"task '{action.Task.Name}'", $"{location}.task.role", null, "a task needs the role whose holders may approve or reject it");
                        }

                        if (action.Task.FourEyes && action.Task.Approvals < 2)
                        {
                            Error(s.Name, $"task '{action.Task.Name}'", $"{location}.task.approvals", null,
                                $"four-eyes needs at least 2 distinct approvals, this task asks for {action.Task.Approvals}");
                        }

                        if (s.Final)
                        {
                            Error(s.Name, $"task '{action.Task.Name}'", location, null, "a final state cannot open a task: nobody could act on it");
                        }
                        else if (task is not null)
                        {
                            Error(s.Name, $"task '{action.Task.Name}'", location, null, "a state opens at most one task");
                        }
                        else
                        {
                            task = action.Task;
                            if (!s.Transitions.Any(x => x.Trigger == ApproveTrigger) || !s.Transitions.Any(x => x.Trigger == RejectTrigger))
                            {
                                Error(s.Name, $"task '{action.Task.Name}'", $"{at}.transitions", null,
                                    "a state with a task needs an 'approve' and a 'reject' transition (the task's two outcomes)");
                            }
                        }

                        break;
                    case WorkflowActionType.Notify when string.IsNullOrWhiteSpace(action.Message):
                        Error(s.Name, null, $"{location}.message", null, "notify needs a message");
                        break;
                    case WorkflowActionType.SendToEngine or WorkflowActionType.Reject when document.Subject != WorkflowSubject.Order:
                        Error(s.Name, null, $"{location}.type", null, $"{action.Type} applies to orders only; this definition's subject is {document.Subject}");
                        break;
                    case WorkflowActionType.Publish when document.Subject != WorkflowSubject.RulePack:
                        Error(s.Name, null, $"{location}.type", null, $"publish applies to rule-pack changes only; this definition's subject is {document.Subject}");
                        break;
                    default:
                        break;
                }
            }

            var timers = new List<CompiledTimer>();
            var timerNames = new HashSet<string>(StringComparer.Ordinal);
            for (int m = 0; m < s.Timers.Count; m++)
            {
                TimerDefinition timer = s.Timers[m];
                string location = $"{at}.timers[{m}]";
                string name = $"timer '{timer.Name}'";
                if (!timerNames.Add(timer.Name))
                {
                    Error(s.Name, name, $"{location}.name", null, "duplicate timer name in this state");
                }

                TimeSpan? after = null;
                if ((timer.After is null) == (timer.At is null))
                {
                    Error(s.Name, name, location, null, "a timer needs exactly one of 'after' (an ISO 8601 duration) and 'at' (sessionEnd)");
                }
                else if (timer.After is { } text)
                {
                    after = ParseDuration(text, out string? problem);
                    if (problem is not null)
                    {
                        Error(s.Name, name, $"{location}.after", null, problem);
                    }
                }

                if ((timer.EscalateTo is null) == (timer.Fire is null))
                {
                    Error(s.Name, name, location, null, "a timer needs exactly one of 'escalateTo' (a role) and 'fire' (a trigger)");
                }
                else if (timer.EscalateTo is { } role)
                {
                    if (string.IsNullOrWhiteSpace(role))
                    {
                        Error(s.Name, name, $"{location}.escalateTo", null, "escalateTo needs a role");
                    }
                    else if (task is null)
                    {
                        Error(s.Name, name, $"{location}.escalateTo", null, "escalation needs a task opened in this state (onEntry openTask)");
                    }
                }
                else if (!s.Transitions.Any(x => x.Trigger == timer.Fire))
                {
                    Error(s.Name, name, $"{location}.fire", null, $"the state has no transition on trigger '{timer.Fire}'");
                }

                if (timer.At is not null && document.Subject != WorkflowSubject.Order)
                {
                    Error(s.Name, name, $"{location}.at", null, "sessionEnd is an order's venue session: it applies to order workflows only");
                }

                timers.Add(new CompiledTimer(timer.Name, after, timer.At is not null, timer.EscalateTo, timer.Fire));
            }

            states[i] = new CompiledState(s.Name, s.Final, s.OnEntry, transitions, timers, task);
        }

        if (index.TryGetValue(document.InitialState, out int initial))
        {
            var reached = new HashSet<string>(StringComparer.Ordinal) { document.InitialState };
            var queue = new Queue<StateDefinition>([document.States[initial]]);
            while (queue.Count > 0)
            {
                foreach (TransitionDefinition tr in queue.Dequeue().Transitions)
                {
                    if (index.TryGetValue(tr.To, out int next) && reached.Add(tr.To))
                    {
                        queue.Enqueue(document.States[next]);
                    }
                }
            }

            for (int i = 0; i < document.States.Count; i++)
            {
                if (!reached.Contains(document.States[i].Name))
                {
                    Error(document.States[i].Name, null, $"states[{i}]", null, $"state '{document.States[i].Name}' is unreachable from the initial state '{document.InitialState}'");
                }
            }

            StateDefinition first = document.States[initial];
            if (first.Final || !first.Transitions.Any(t => t.Trigger == StartTrigger))
            {
                Error(first.Name, null, $"states[{initial}].transitions", null,
                    $"the initial state needs a '{StartTrigger}' transition: the runtime fires it when an instance is created");
            }
        }

        if (errors.Count > 0)
        {
            throw new WorkflowDefinitionException(errors);
        }

        return new CompiledWorkflow(document, json, appliesWhen, states);
    }

    /// <summary>An ISO 8601 duration (PT30M, P1D), positive and at most 31 days.</summary>
    private static TimeSpan? ParseDuration(string text, out string? problem)
    {
        problem = null;
        TimeSpan value;
        try
        {
            value = XmlConvert.ToTimeSpan(text);
        }
        catch (FormatException)
        {
            problem = $"'{text}' is not an ISO 8601 duration (e.g. PT30M, PT2H, P1D)";
            return null;
        }
        catch (OverflowException)
        {
            problem = $"'{text}' is longer than {LongestTimer.TotalDays} days";
            return null;
        }

        if (value <= TimeSpan.Zero)
        {
            problem = $"'{text}' is not a positive duration";
            return null;
        }

        if (value > LongestTimer)
        {
            problem = $"'{text}' is longer than {LongestTimer.TotalDays} days";
            return null;
        }

        return value;
    }
}
