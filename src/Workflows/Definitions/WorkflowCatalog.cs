using TradSys.Rules.Context;

namespace TradSys.Workflows.Definitions;

/// <summary>What publishing a definition version came to.</summary>
public enum WorkflowPublishOutcome
{
    /// <summary>Now current; running instances keep their own versions.</summary>
    Published,
    /// <summary>The version is not greater than the current one; nothing changed.</summary>
    VersionNotNewer,
}

/// <summary>
/// Every definition version known to this process, and the current one of each id. Instances look their own
/// version up (<see cref="Get"/>), new subjects are routed by the current versions (<see cref="Select"/>). A snapshot
/// is immutable and replaced by one reference write, so the single writer reads a whole catalogue without a lock.
/// </summary>
public sealed class WorkflowCatalog
{
    private readonly Lock _gate = new();
    private volatile Snapshot _snapshot = new([], new Dictionary<string, CompiledWorkflow>(StringComparer.Ordinal));

    /// <summary>The current version of each definition, by id.</summary>
    public IReadOnlyDictionary<string, CompiledWorkflow> Current => _snapshot.Current;

    /// <summary>Every version known, current or not.</summary>
    public IEnumerable<CompiledWorkflow> All => _snapshot.All.Values;

    /// <summary>Adds a version that is not current (an older stored one some instance may still run on).</summary>
    /// <param name="workflow">The version.</param>
    public void AddHistoric(CompiledWorkflow workflow)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        lock (_gate)
        {
            var all = new Dictionary<(string, int), CompiledWorkflow>(_snapshot.All) { [(workflow.Id, workflow.Version)] = workflow };
            _snapshot = new Snapshot(all, _snapshot.Current);
        }
    }

    /// <summary>Makes a version current if it is newer than the current one of its id.</summary>
    /// <param name="workflow">The version.</param>
    /// <returns>What happened.</returns>
    public WorkflowPublishOutcome Publish(CompiledWorkflow workflow)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        lock (_gate)
        {
            if (_snapshot.Current.TryGetValue(workflow.Id, out CompiledWorkflow? current) && current.Version >= workflow.Version)
            {
                return WorkflowPublishOutcome.VersionNotNewer;
            }

            var all = new Dictionary<(string, int), CompiledWorkflow>(_snapshot.All) { [(workflow.Id, workflow.Version)] = workflow };
            var currents = new Dictionary<string, CompiledWorkflow>(_snapshot.Current, StringComparer.Ordinal) { [workflow.Id] = workflow };
            _snapshot = new Snapshot(all, currents);
            return WorkflowPublishOutcome.Published;
        }
    }

    /// <summary>A specific version.</summary>
    /// <param name="id">Definition id.</param>
    /// <param name="version">Version.</param>
    /// <returns>The version, or null when unknown.</returns>
    public CompiledWorkflow? Get(string id, int version) => _snapshot.All.GetValueOrDefault((id, version));

    /// <summary>
    /// The definition a new subject runs: the current definitions of the subject by descending priority (then id),
    /// the first whose appliesWhen holds for <paramref name="facts"/>; one without appliesWhen is the fallback.
    /// </summary>
    /// <param name="subject">The subject kind.</param>
    /// <param name="facts">The subject's facts.</param>
    /// <returns>The definition, or null when none applies (no fallback published).</returns>
    public CompiledWorkflow? Select(WorkflowSubject subject, WorkflowContext facts)
    {
        CompiledWorkflow[] candidates = subject == WorkflowSubject.Order ? _snapshot.OrderFlows : _snapshot.RulePackFlows;
        for (int i = 0; i < candidates.Length; i++)
        {
            CompiledWorkflow w = candidates[i];
            if (w.AppliesWhen is null || w.AppliesWhen(facts))
            {
                return w;
            }
        }

        return null;
    }

    private sealed class Snapshot
    {
        public Snapshot(Dictionary<(string, int), CompiledWorkflow> all, Dictionary<string, CompiledWorkflow> current)
        {
            All = all;
            Current = current;
            OrderFlows = Ordered(current.Values, WorkflowSubject.Order);
            RulePackFlows = Ordered(current.Values, WorkflowSubject.RulePack);
        }

        public Dictionary<(string, int), CompiledWorkflow> All { get; }

        public Dictionary<string, CompiledWorkflow> Current { get; }

        public CompiledWorkflow[] OrderFlows { get; }

        public CompiledWorkflow[] RulePackFlows { get; }

        private static CompiledWorkflow[] Ordered(IEnumerable<CompiledWorkflow> flows, WorkflowSubject subject) =>
            [.. flows.Where(f => f.Subject == subject).OrderByDescending(f => f.Priority()).ThenBy(f => f.Id, StringComparer.Ordinal)];
    }
}

internal static class CompiledWorkflowOrdering
{
    // A fallback (no appliesWhen) is tried after every guarded definition whatever its priority.
    public static long Priority(this CompiledWorkflow w) => w.AppliesWhen is null ? long.MinValue + w.Document.Priority : w.Document.Priority;
}
