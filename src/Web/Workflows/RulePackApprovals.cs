using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TradSys.Rules.Compilation;
using TradSys.Rules.Context;
using TradSys.Rules.Packs;
using TradSys.Web.Auditing;
using TradSys.Web.Ordering;
using TradSys.Web.Persistence;
using TradSys.Web.RulePacks;
using TradSys.Workflows;
using TradSys.Workflows.Definitions;
using TradSys.Workflows.Runtime;

namespace TradSys.Web.Workflows;

/// <summary>What a rule-pack change request came to.</summary>
/// <param name="Instance">The instance waiting for a checker, when submitted.</param>
/// <param name="Outcome">Why not, when refused.</param>
public sealed record RulePackSubmission(WorkflowInstance? Instance, RulePackChangeOutcome Outcome = RulePackChangeOutcome.Done);

/// <summary>A submitted rule-pack change: publish (with the submitted JSON) or rollback (to a stored version), its comment and author.</summary>
public sealed record RulePackPendingChange(string Kind, string PackId, string Version, string? Json, string? Comment, string Maker);

/// <summary>What a decision on a rule-pack change's task came to.</summary>
/// <param name="Found">False when no rule-pack workflow has the task.</param>
/// <param name="Conflict">The instance changed meanwhile (or another officer decided first): nothing was done.</param>
/// <param name="Step">The runtime's result.</param>
/// <param name="Instance">The instance after the decision.</param>
/// <param name="Problem">Why the approved change could not go live (nothing was done).</param>
public sealed record RulePackDecision(bool Found, bool Conflict, WorkflowStepResult? Step, WorkflowInstance? Instance, string? Problem = null);

/// <summary>
/// Maker-checker for rule packs: a new version or a rollback is submitted as a <c>rulepack</c> workflow instance (the draft
/// kept with it); it goes live only when the definition's approve step runs, which publishes (or rolls back) through
/// <see cref="RulePackStore"/> in the same transaction as the instance's change, so an approval either makes the change
/// live and completes the instance or does neither. The author is the instance's maker and can never approve it.
/// Instances are saved with optimistic concurrency: of two officers deciding at once, one wins and the other hears 409.
/// </summary>
public sealed class RulePackApprovals(WorkflowRuntime runtime, RulePackStore store, IWorkflowInstanceStore instances, IServiceScopeFactory scopes,
    AuditTrail audit, MarketClock clock, IWorkflowTimers timers, IWorkflowNotifier notifier, ILogger<RulePackApprovals> log)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// The change a rule-pack instance carries (publish with the submitted JSON, or rollback to a stored version), so an
    /// approver can see what they approve; null when the instance does not exist or is not a rule-pack change.
    /// </summary>
    public async Task<RulePackPendingChange?> ChangeOfAsync(Guid instanceId, CancellationToken cancellationToken)
    {
        var instance = await instances.FindAsync(instanceId, cancellationToken);
        if (instance?.Payload is null || instance.Subject != TradSys.Workflows.Definitions.WorkflowSubject.RulePack)
        {
            return null;
        }
        var payload = JsonSerializer.Deserialize<RulePackChangePayload>(instance.Payload, Json);
        return payload is null ? null : new RulePackPendingChange(payload.Kind, payload.PackId, payload.Version, payload.Json, payload.Comment, instance.Facts.Maker);
    }

    /// <summary>Submits a compiled draft as a new version waiting for a checker.</summary>
    public async Task<RulePackSubmission> SubmitPublishAsync(CompiledPack pack, string json, string maker, string? comment, CancellationToken cancellationToken)
    {
        if (await store.VersionExistsAsync(pack.Id, pack.Version, cancellationToken))
        {
            return new RulePackSubmission(null, RulePackChangeOutcome.VersionExists);
        }
        var payload = new RulePackChangePayload("publish", pack.Id, pack.Version, json, comment);
        return await StartAsync(payload, maker, $"{pack.Id}@{pack.Version}", cancellationToken);
    }

    /// <summary>Submits a rollback to a stored version, waiting for a checker.</summary>
    public async Task<RulePackSubmission> SubmitRollbackAsync(string packId, string version, string maker, string? comment, CancellationToken cancellationToken)
    {
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TradSysDbContext>();
            var head = await db.RulePackHeads.AsNoTracking().Include(h => h.CurrentVersion).SingleOrDefaultAsync(h => h.PackId == packId, cancellationToken);
            if (head is null)
            {
                return new RulePackSubmission(null, RulePackChangeOutcome.PackNotFound);
            }
            if (!await db.RulePackVersions.AsNoTracking().AnyAsync(v => v.PackId == packId && v.Version == version, cancellationToken))
            {
                return new RulePackSubmission(null, RulePackChangeOutcome.VersionNotFound);
            }
            if (head.CurrentVersion!.Version == version)
            {
                return new RulePackSubmission(null, RulePackChangeOutcome.AlreadyCurrent);
            }
        }
        return await StartAsync(new RulePackChangePayload("rollback", packId, version, null, comment), maker, $"{packId}@{version}:rollback", cancellationToken);
    }

    private async Task<RulePackSubmission> StartAsync(RulePackChangePayload payload, string maker, string subjectId, CancellationToken cancellationToken)
    {
        var facts = new WorkflowContext { Subject = "rulepack", PackId = payload.PackId, Maker = maker };
        var definition = runtime.Catalog.Select(WorkflowSubject.RulePack, facts)
            ?? throw new InvalidOperationException("no rule-pack workflow is published (rulesets/workflows/rulepack-publication.json)");
        var now = clock.UtcNow;
        var start = runtime.Start(definition, facts, subjectId, now, JsonSerializer.Serialize(payload, Json));
        var instance = start.Instance ?? throw new InvalidOperationException($"workflow '{definition.Id}' does not wait for a checker");
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TradSysDbContext>();
        await WorkflowMapping.StageAsync(db, instance, null, null, cancellationToken);
        List<AuditEntry> entries =
        [
            new AuditEntry(now, maker, "rulepack.submitted", $"rulepack/{payload.PackId}", AuditTrail.Serialize(new
            {
                pack = payload.PackId, version = payload.Version, kind = payload.Kind, instance = instance.Id, comment = payload.Comment,
            })),
        ];
        // The maker's saved draft of exactly this text has become the submission: it goes with it (one transaction), so the
        // editor does not reopen a draft that is now under review. A draft that differs from what was submitted is kept.
        if (payload.Json is { } submitted &&
            await db.RulePackDrafts.SingleOrDefaultAsync(d => d.PackId == payload.PackId && d.Author == maker, cancellationToken) is { } draft &&
            string.Equals(draft.Json, submitted, StringComparison.Ordinal))
        {
            db.RulePackDrafts.Remove(draft);
            entries.Add(new AuditEntry(now, maker, "rulepack.draft_discarded", $"rulepack/{payload.PackId}", AuditTrail.Serialize(new
            {
                pack = payload.PackId, basedOnVersion = draft.BasedOnVersion, revision = draft.Revision, sha256 = RulePackStore.Sha256Of(draft.Json),
                submitted = instance.Id,
            })));
        }
        await audit.SaveWithAsync(db, entries, cancellationToken);
        AfterCommit(instance, start.Effects);
        return new RulePackSubmission(instance);
    }

    /// <summary>Start-up: schedules the current timers of every open rule-pack instance again (running one twice is harmless).</summary>
    public async Task<int> RescheduleTimersAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TradSysDbContext>();
        var ids = await db.WorkflowInstances.AsNoTracking().Where(i => i.Subject == "rulepack" && i.CompletedAt == null).Select(i => i.Id)
            .ToListAsync(cancellationToken);
        foreach (var id in ids)
        {
            if (await instances.FindAsync(id, cancellationToken) is { } instance &&
                runtime.Catalog.Get(instance.DefinitionId, instance.DefinitionVersion) is { } definition)
            {
                foreach (var timer in definition.State(instance.State).Timers)
                {
                    if (timer.After is { } after && !instance.FiredTimers.Contains(timer.Name, StringComparer.Ordinal))
                    {
                        timers.Schedule(instance, new ScheduleTimerEffect(timer.Name, after, false, instance.StateEnteredSequence), instance.StateEnteredAt + after);
                    }
                }
            }
        }
        return ids.Count;
    }

    /// <summary>Whether a task belongs to a rule-pack workflow instance (else it is an order's, decided by the writer).</summary>
    public static async Task<Guid?> InstanceOfTaskAsync(TradSysDbContext db, Guid taskId, CancellationToken cancellationToken) =>
        await (from t in db.WorkflowTasks.AsNoTracking()
               join i in db.WorkflowInstances.AsNoTracking() on t.InstanceId equals i.Id
               where t.Id == taskId && i.Subject == "rulepack"
               select (Guid?)i.Id).SingleOrDefaultAsync(cancellationToken);

    /// <summary>A person's decision on a rule-pack change's task.</summary>
    public async Task<RulePackDecision> ActAsync(Guid taskId, WorkflowTaskAction action, WorkflowActor by, string? comment, string? toUser, string? toRole,
        long? expectedVersion, CancellationToken cancellationToken)
    {
        Guid? id;
        await using (var scope = scopes.CreateAsyncScope())
        {
            id = await InstanceOfTaskAsync(scope.ServiceProvider.GetRequiredService<TradSysDbContext>(), taskId, cancellationToken);
        }
        var instance = id is null ? null : await instances.FindAsync(id.Value, cancellationToken);
        if (instance is null)
        {
            return new RulePackDecision(false, false, null, null);
        }
        if (expectedVersion is { } v && v != instance.Version)
        {
            return new RulePackDecision(true, true, null, instance);
        }
        var now = clock.UtcNow;
        var expected = instance.Version;
        var step = action switch
        {
            WorkflowTaskAction.Claim => runtime.Claim(instance, taskId, by, now),
            WorkflowTaskAction.Approve => runtime.Approve(instance, taskId, by, comment, now),
            WorkflowTaskAction.Reject => runtime.Reject(instance, taskId, by, comment, now),
            _ => runtime.Reassign(instance, taskId, by, toUser, toRole, comment, now),
        };
        return await SettleAsync(instance, expected, step, by.UserName, "workflow.task." + action.ToString().ToLowerInvariant(), now, cancellationToken);
    }

    /// <summary>A rule-pack workflow's timer is due (from <see cref="WorkflowTimerJob"/>); stale timers do nothing.</summary>
    public async Task<WorkflowStepResult?> OnTimerAsync(Guid instanceId, string timer, int stateEnteredSequence, CancellationToken cancellationToken)
    {
        var instance = await instances.FindAsync(instanceId, cancellationToken);
        if (instance is null)
        {
            return null;
        }
        var now = clock.UtcNow;
        var decision = await SettleAsync(instance, instance.Version, runtime.OnTimer(instance, timer, stateEnteredSequence, now), "system", "workflow.timer", now, cancellationToken);
        return decision.Step;
    }

    private async Task<RulePackDecision> SettleAsync(WorkflowInstance instance, long expected, WorkflowStepResult step, string actor, string action, DateTime now,
        CancellationToken cancellationToken)
    {
        if (!step.Changed)
        {
            return new RulePackDecision(true, false, step, instance);
        }
        var entry = new AuditEntry(now, actor, action, $"workflow/{instance.Id}", AuditTrail.Serialize(new
        {
            definition = instance.DefinitionId, definitionVersion = instance.DefinitionVersion, state = instance.State, version = instance.Version,
            subject = instance.SubjectId, step.Message,
        }));
        Task Alongside(TradSysDbContext db, CancellationToken ct) => WorkflowMapping.StageAsync(db, instance, null, expected, ct);
        try
        {
            if (step.Effects.OfType<PublishEffect>().Any())
            {
                var payload = JsonSerializer.Deserialize<RulePackChangePayload>(instance.Payload ?? "{}", Json)
                    ?? throw new InvalidOperationException($"workflow instance {instance.Id} has no rule-pack change");
                var approvedBy = instance.Tasks.LastOrDefault()?.Approvers is { Count: > 0 } a ? string.Join(" and ", a) : actor;
                var note = $"{payload.Comment}{(string.IsNullOrWhiteSpace(payload.Comment) ? "" : "; ")}approved by {approvedBy}";
                RulePackChange change;
                if (payload.Kind == "rollback")
                {
                    change = await store.RollbackAsync(payload.PackId, payload.Version, instance.Facts.Maker, note, cancellationToken, Alongside);
                }
                else
                {
                    CompiledPack pack;
                    try
                    {
                        pack = RulePackStore.Compile(payload.Json!, $"{payload.PackId}@{payload.Version} (submitted)");
                    }
                    catch (RulePackException ex)
                    {
                        return new RulePackDecision(true, false, step, instance, "the submitted draft no longer compiles: " + ex.Errors[0]);
                    }
                    change = await store.PublishAsync(pack, payload.Json!, instance.Facts.Maker, note, cancellationToken, Alongside);
                }
                if (change.Outcome != RulePackChangeOutcome.Done)
                {
                    return new RulePackDecision(true, false, step, instance, change.Outcome switch
                    {
                        RulePackChangeOutcome.VersionExists => $"pack '{payload.PackId}' already has a version {payload.Version} (published since this change was submitted)",
                        RulePackChangeOutcome.AlreadyCurrent => $"version {payload.Version} of pack '{payload.PackId}' is already current",
                        _ => $"the change cannot be made: {change.Outcome}",
                    });
                }
                await using var scope = scopes.CreateAsyncScope();
                await audit.SaveWithAsync(scope.ServiceProvider.GetRequiredService<TradSysDbContext>(), [entry], cancellationToken);
            }
            else
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<TradSysDbContext>();
                await Alongside(db, cancellationToken);
                await audit.SaveWithAsync(db, [entry], cancellationToken);
            }
        }
        catch (DbUpdateConcurrencyException)
        {
            log.LogInformation("Workflow instance {Instance} changed meanwhile; {Action} by {Actor} not applied", instance.Id, action, actor);
            return new RulePackDecision(true, true, step, instance);
        }
        AfterCommit(instance, step.Effects);
        return new RulePackDecision(true, false, step, instance);
    }

    private void AfterCommit(WorkflowInstance instance, IReadOnlyList<WorkflowEffect> effects)
    {
        foreach (var effect in effects)
        {
            switch (effect)
            {
                case ScheduleTimerEffect timer when timer.After is { } after:
                    timers.Schedule(instance, timer, instance.StateEnteredAt + after);
                    break;
                case NotifyEffect notice:
                    notifier.Notify(instance, notice);
                    break;
                default:
                    break;
            }
        }
    }

    /// <summary>The change an instance carries: a draft to publish, or a version to roll back to.</summary>
    private sealed record RulePackChangePayload(string Kind, string PackId, string Version, string? Json, string? Comment);
}
