using System.Text.Json;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using TradSys.Rules.Compilation;
using TradSys.Rules.Context;
using TradSys.Rules.Evaluation;
using TradSys.Web.Auditing;
using TradSys.Web.Ordering.Rules;
using TradSys.Web.Persistence;
using TradSys.Web.Persistence.Entities;

namespace TradSys.Web.RulePacks;

/// <summary>
/// Replays a draft rule pack over the stored orders of a run's range, as a Hangfire job, off the order path: it reads
/// the published rule set once (the baseline) and builds a copy with the draft in place of the pack with the same id
/// (or added), each run by the job's own <see cref="RuleEvaluator"/>s; the published evaluator and the single writer
/// are never touched. Every order's stored context (<see cref="RuleDecisionRecord.ContextJson"/>) is evaluated by both;
/// the decision changes when the outcome or the set of fired rules (pack, rule id) differs, or a rule throws in one
/// and not the other. Orders without a stored context are counted as skipped, with the reason, never as unchanged.
/// </summary>
/// <remarks>
/// Orders are read in pages, keyset by order id up to the highest id in the range when the run started, so memory
/// stays flat and orders arriving later do not move the total. Each page's changes, counters and cursor are saved in
/// one transaction: a retry (Hangfire's, or the same job run twice) continues after the last saved page and never
/// duplicates a change row; if the published set changed meanwhile, the run restarts from the beginning so that every
/// order is compared with one baseline.
/// </remarks>
public sealed class RulePackReplayJob(TradSysDbContext db, RuleEvaluator published, TimeProvider clock, IConfiguration configuration,
    ILogger<RulePackReplayJob> log)
{
    /// <summary>Orders per page unless <c>Rules:ReplayPageSize</c> says otherwise.</summary>
    public const int DefaultPageSize = 500;

    private static readonly JsonSerializerOptions RulesJson = new(JsonSerializerDefaults.Web);

    /// <summary>Queues the job of every replay still Queued or Running again (see <see cref="Jobs.UnfinishedJobRecovery"/>).</summary>
    internal static async Task<int> RequeueUnfinishedAsync(TradSysDbContext db, IBackgroundJobClient jobs, CancellationToken cancellationToken)
    {
        var unfinished = await db.RulePackReplays.AsNoTracking()
            .Where(r => r.Status == ReplayStatus.Queued || r.Status == ReplayStatus.Running)
            .Select(r => r.Id).ToListAsync(cancellationToken);
        foreach (var id in unfinished)
        {
            jobs.Enqueue<RulePackReplayJob>(j => j.RunAsync(id, CancellationToken.None));
        }
        return unfinished.Count;
    }

    /// <summary>Runs (or continues) the replay <paramref name="replayId"/>.</summary>
    /// <param name="replayId">The run stored by the API.</param>
    /// <param name="cancellationToken">Hangfire's shutdown token.</param>
    [AutomaticRetry(Attempts = 2, OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    public async Task RunAsync(Guid replayId, CancellationToken cancellationToken)
    {
        var run = await db.RulePackReplays.SingleOrDefaultAsync(r => r.Id == replayId, cancellationToken);
        if (run is null)
        {
            log.LogWarning("Replay {Id} does not exist; nothing to run", replayId);
            return;
        }
        if (run.Status == ReplayStatus.Completed)
        {
            return;
        }
        try
        {
            await ExecuteAsync(run, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            log.LogError(ex, "Replay {Id} failed after {Processed} of {Total} orders", run.Id, run.Processed, run.Total);
            db.ChangeTracker.Clear();
            var failed = await db.RulePackReplays.SingleAsync(r => r.Id == replayId, CancellationToken.None);
            failed.Status = ReplayStatus.Failed;
            failed.FinishedAt = Now();
            failed.Error = Limit($"{ex.GetType().Name}: {ex.Message}", 1024);
            await db.SaveChangesAsync(CancellationToken.None);
            throw;
        }
    }

    private async Task ExecuteAsync(RulePackReplay run, CancellationToken cancellationToken)
    {
        var baseline = published.RuleSet;
        var draft = RulePackStore.Compile(run.DraftJson, $"draft of {run.PackId} (replay {run.Id})");
        var withDraft = baseline.With(draft);
        var baselineVersions = string.Join(", ", baseline.Packs.Select(p => $"{p.Id} {p.Version}"));

        if (run.StartedAt is null || !string.Equals(run.BaselineVersions, baselineVersions, StringComparison.Ordinal))
        {
            await StartAsync(run, baselineVersions, cancellationToken);
        }
        else
        {
            run.Status = ReplayStatus.Running;
            run.Error = null;
            run.FinishedAt = null;
            await db.SaveChangesAsync(cancellationToken);
        }

        var pageSize = Math.Max(1, configuration.GetValue("Rules:ReplayPageSize", DefaultPageSize));
        var baselineEvaluator = new RuleEvaluator(baseline);
        var draftEvaluator = new RuleEvaluator(withDraft);
        var baselineDecision = new RuleDecision();
        var draftDecision = new RuleDecision();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var orders = await InRange(run).Where(o => o.Id > run.Cursor).OrderBy(o => o.Id).Take(pageSize)
                .Select(o => new { o.Id, o.AccountId, o.Symbol, o.Side, o.Quantity, o.Price, o.CreatedAt })
                .ToListAsync(cancellationToken);
            var ids = orders.Select(o => o.Id).ToList();
            var decisions = await db.RuleDecisions.AsNoTracking().Where(d => ids.Contains(d.OrderId))
                .ToDictionaryAsync(d => d.OrderId, cancellationToken);
            // Each stored context whole again: the decision's own views with the account's and instrument's snapshots.
            var contexts = await StoredContext.ReadAsync(db, decisions.Values, cancellationToken);
            var page = orders.Select(o => decisions.GetValueOrDefault(o.Id) is { } d
                ? new StoredOrder(o.Id, o.AccountId, o.Symbol, o.Side, o.Quantity, o.Price, o.CreatedAt, d.Outcome, contexts.GetValueOrDefault(o.Id),
                    d.ContextJson == null ? d.Json : null)
                : new StoredOrder(o.Id, o.AccountId, o.Symbol, o.Side, o.Quantity, o.Price, o.CreatedAt, null, null, null)).ToList();
            if (page.Count == 0)
            {
                break;
            }
            foreach (var order in page)
            {
                if (order.ContextJson is null)
                {
                    // Refused: the order was blocked before any pack could run (StoredDecision.Refused applies no pack).
                    if (order.DecisionJson is not null && JsonSerializer.Deserialize<StoredDecision>(order.DecisionJson, RulesJson) is { Packs.Count: 0, Fault: not null })
                    {
                        run.SkippedRefused++;
                    }
                    else
                    {
                        run.SkippedNoContext++;
                    }
                    continue;
                }
                var context = OrderContextJson.Deserialize(order.ContextJson);
                baselineEvaluator.Evaluate(context, baselineDecision);
                draftEvaluator.Evaluate(context, draftDecision);
                if (!string.Equals(baselineDecision.Outcome.ToString(), order.StoredOutcome, StringComparison.Ordinal))
                {
                    run.BaselineDiffersFromStored++;
                }
                if (Differs(baselineDecision, draftDecision))
                {
                    run.Changed++;
                    db.RulePackReplayChanges.Add(ChangeOf(run.Id, order, context, baselineDecision, draftDecision));
                }
            }
            run.Processed += page.Count;
            run.Cursor = page[^1].OrderId;
            // Changes, counters and cursor in one transaction: a retry continues after this page and never repeats it.
            await db.SaveChangesAsync(cancellationToken);
            foreach (var entry in db.ChangeTracker.Entries<RulePackReplayChange>().ToList())
            {
                entry.State = EntityState.Detached;
            }
        }

        run.Status = ReplayStatus.Completed;
        run.FinishedAt = Now();
        await db.SaveChangesAsync(cancellationToken);
        log.LogInformation("Replay {Id} of {Pack} {Version}: {Processed} orders, {Changed} would change, {Skipped} skipped",
            run.Id, run.PackId, run.DraftVersion, run.Processed, run.Changed, run.SkippedNoContext + run.SkippedRefused);
    }

    /// <summary>First start, or a restart against another baseline: fixes the order set, clears earlier results.</summary>
    private async Task StartAsync(RulePackReplay run, string baselineVersions, CancellationToken cancellationToken)
    {
        await db.RulePackReplayChanges.Where(c => c.ReplayId == run.Id).ExecuteDeleteAsync(cancellationToken);
        var inRange = InRange(run);
        run.LastOrderIdInRange = await inRange.MaxAsync(o => (long?)o.Id, cancellationToken) ?? 0;
        run.Total = await inRange.CountAsync(o => o.Id <= run.LastOrderIdInRange, cancellationToken);
        run.Processed = run.Changed = run.SkippedNoContext = run.SkippedRefused = run.BaselineDiffersFromStored = 0;
        run.Cursor = 0;
        run.BaselineVersions = baselineVersions;
        run.Status = ReplayStatus.Running;
        run.StartedAt = Now();
        run.FinishedAt = null;
        run.Error = null;
        await db.SaveChangesAsync(cancellationToken);
    }

    private IQueryable<OrderRecord> InRange(RulePackReplay run)
    {
        var orders = db.Orders.AsNoTracking().Where(o => o.CreatedAt >= run.From && o.CreatedAt < run.To);
        if (run.StartedAt is not null)
        {
            var last = run.LastOrderIdInRange;
            orders = orders.Where(o => o.Id <= last);
        }
        if (run.AccountId is { } account)
        {
            orders = orders.Where(o => o.AccountId == account);
        }
        if (run.Symbol is { } symbol)
        {
            orders = orders.Where(o => o.Symbol == symbol);
        }
        return orders;
    }

    /// <summary>A decision changes when the outcome differs, the set of fired rules (pack, rule id) differs, or the faults differ.</summary>
    internal static bool Differs(RuleDecision a, RuleDecision b)
    {
        if (a.Outcome != b.Outcome || a.FiredCount != b.FiredCount || (a.FaultedRule is null) != (b.FaultedRule is null))
        {
            return true;
        }
        for (var i = 0; i < a.FiredCount; i++)
        {
            if (!Fired(b, a.FiredRule(i)))
            {
                return true;
            }
        }
        return false;
    }

    private static bool Fired(RuleDecision decision, CompiledRule rule)
    {
        for (var i = 0; i < decision.FiredCount; i++)
        {
            var other = decision.FiredRule(i);
            if (string.Equals(other.Pack.Id, rule.Pack.Id, StringComparison.Ordinal) && string.Equals(other.Id, rule.Id, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }

    private static RulePackReplayChange ChangeOf(Guid replayId, StoredOrder order, OrderContext context, RuleDecision baseline, RuleDecision draft)
    {
        var b = baseline.Explain(context);
        var d = draft.Explain(context);
        return new RulePackReplayChange
        {
            ReplayId = replayId, OrderId = order.OrderId, AccountId = order.AccountId, Symbol = order.Symbol, Side = order.Side,
            Quantity = order.Quantity, Price = order.Price, CreatedAt = order.CreatedAt,
            StoredOutcome = order.StoredOutcome ?? "",
            BaselineOutcome = b.Outcome.ToString(), DraftOutcome = d.Outcome.ToString(),
            NewlyFiredJson = JsonSerializer.Serialize(Minus(d.FiredRules, b.FiredRules), RulesJson),
            NoLongerFiredJson = JsonSerializer.Serialize(Minus(b.FiredRules, d.FiredRules), RulesJson),
            BaselineFault = b.Fault is null ? null : Limit(b.Fault, 1024),
            DraftFault = d.Fault is null ? null : Limit(d.Fault, 1024),
        };
    }

    private static List<ReplayRule> Minus(IReadOnlyList<FiredRule> these, IReadOnlyList<FiredRule> those) =>
        [.. these.Where(r => !those.Any(o => o.PackId == r.PackId && o.RuleId == r.RuleId))
            .Select(r => new ReplayRule(r.PackId, r.PackVersion, r.RuleId, r.Outcome.ToString(), r.ReasonCode, r.Message))];

    private DateTime Now() => AuditTrail.Truncate(clock.GetUtcNow().UtcDateTime);

    private static string Limit(string text, int max) => text.Length <= max ? text : text[..(max - 3)] + "...";

    private sealed record StoredOrder(long OrderId, long AccountId, string Symbol, Side Side, long Quantity, decimal? Price, DateTime CreatedAt,
        string? StoredOutcome, string? ContextJson, string? DecisionJson);
}

/// <summary>A rule that newly fires, or no longer fires, under a replayed draft.</summary>
/// <param name="PackId">Pack id.</param>
/// <param name="PackVersion">The version that fired it (the draft's for a newly firing rule of the draft's pack).</param>
/// <param name="RuleId">Rule id.</param>
/// <param name="Outcome">Block, Review, Report or Warn.</param>
/// <param name="ReasonCode">Reason code.</param>
/// <param name="Message">The rendered message on the stored context.</param>
public sealed record ReplayRule(string PackId, string PackVersion, string RuleId, string Outcome, string ReasonCode, string Message);
