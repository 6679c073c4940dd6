using TradSys.Rules.Packs;
using TradSys.Web.Ordering.Rules;
using TradSys.Web.Persistence.Entities;
using TradSys.Web.ReferenceData;
using TradSys.Web.Workflows;
using TradSys.Workflows.Definitions;
using TradSys.Workflows.Runtime;

namespace TradSys.Web.Ordering.Stages;

/// <summary>
/// The workflow stage of the order path, and everything the writer does with orders a workflow holds.
///
/// A new order the rule packs did not block goes through the published order workflow (<see cref="OrderWorkflowStage"/>):
/// straight through to the engine (nothing stored beyond the order's journal), rejected by the workflow, or held
/// (PendingReview) outside the engine with a workflow instance stored in the same transaction (a Review outcome, a large
/// order). A Review outcome is never sent on without a person: if no definition holds it, it is held without a workflow and
/// logged. Held orders are then released (re-validated at the writer's timestamp), rejected, canceled by their trader or
/// expired here, and the task decisions and timers of their workflows run here, so the order's change and the instance's
/// change are one transaction and, of two racing decisions, the one queued first wins.
/// </summary>
internal sealed class WorkflowStep(OrderBooks books, OrderWorkflowStage workflows, ValidateStage validate, RiskStage risk, MatchStage match,
    ReferenceDataCache referenceData, ILogger log)
{
    /// <summary>What the workflow stage did with a new order.</summary>
    public enum Route
    {
        /// <summary>Straight through: the caller sends it to the engine.</summary>
        ToEngine,
        /// <summary>Held for review or approval (PendingReview), outside the engine.</summary>
        Held,
        /// <summary>The workflow rejected it (journalled Rejected).</summary>
        Rejected,
    }

    public OrderWorkflowStage Workflows => workflows;

    /// <summary>Runs the order workflow for a new order the packs did not block.</summary>
    public Route Decide(SubmitCommand s, OrderRecord order, StoredDecision decision, Account? account, Instrument? row, WriterBatch batch)
    {
        var review = decision.Outcome == nameof(RuleOutcome.Review);
        WorkflowStart? start = account is not null && row is not null ? workflows.Start(order, decision, account, row, s.Actor, batch.Now) : null;
        if (start is { Instance: { IsCompleted: false } instance } suspended)
        {
            Hold(order, HeldReason(decision, suspended), batch);
            workflows.Started(instance, suspended.Effects);
            return Route.Held;
        }
        if (start?.Effects.OfType<RejectEffect>().FirstOrDefault() is { } rejected)
        {
            books.Recorder.RecordHostRejection(order, RejectCode.BlockedByRule, $"rejected by workflow {start.Value.Definition.Id}: {rejected.Reason}",
                batch.Timestamp);
            return Route.Rejected;
        }
        if (review || start is null)
        {
            if (review)
            {
                log.LogError("Order {OrderId} has a Review outcome but no workflow holds it ({Definition}); held without a workflow",
                    order.Id, start?.Definition.Id ?? "no order workflow published");
            }
            else
            {
                log.LogError("No order workflow is published; order {OrderId} is held until one is", order.Id);
            }
            Hold(order, review ? decision.ReviewSummary() : "held: no order workflow is published", batch);
            return Route.Held;
        }
        return Route.ToEngine;
    }

    /// <summary>The trader cancels a held order (the engine never saw it).</summary>
    public SequencerResult Cancel(OrderRecord held, CancelCommand c, WriterBatch batch)
    {
        books.Recorder.RecordHeldCanceled(held, "canceled on request while held for review", batch.Timestamp);
        books.Held.Remove(held.Id);
        CloseWorkflow(held.Id, WorkflowCompiler.CancelTrigger, c.Actor, "the trader canceled the order", batch.Now);
        batch.Record(c.Actor, "order.canceled", $"order/{held.Id}", new { held.FilledQuantity, status = held.Status.ToString(), heldForReview = true });
        return new SequencerResult(SequencerOutcome.Canceled, held.Snapshot(), []);
    }

    /// <summary>A mass cancel also cancels the accounts' held orders (of the instrument, when one is named).</summary>
    public void MassCancel(MassCancelCommand mc, string? symbol, WriterBatch batch)
    {
        foreach (var held in books.Held.Values.Where(h => mc.AccountIds.Contains(h.AccountId) && (symbol is null || h.Symbol == symbol)).ToList())
        {
            books.Recorder.RecordHeldCanceled(held, "canceled on request (mass cancel) while held for review", batch.Timestamp);
            books.Held.Remove(held.Id);
            CloseWorkflow(held.Id, WorkflowCompiler.CancelTrigger, mc.Actor, "the trader canceled the order (mass cancel)", batch.Now);
        }
    }

    /// <summary>
    /// A corporate action (a split, a symbol change) ends the held orders of its lines as it cancels their working ones: their prices and
    /// quantities were entered for the shares or the symbol before it. Each is canceled with <paramref name="reason"/>, its workflow
    /// closed and an <c>order.canceled</c> audit record written; the ids canceled, in order.
    /// </summary>
    public List<long> CancelForCorporateAction(IReadOnlySet<string> symbols, string reason, string actor, WriterBatch batch)
    {
        var canceled = new List<long>();
        foreach (var held in books.Held.Values.Where(h => symbols.Contains(h.Symbol)).OrderBy(h => h.Id).ToList())
        {
            books.Recorder.RecordHeldCanceled(held, reason, batch.Timestamp);
            // The order says why it ended, as an order the engine canceled without its owner asking does.
            held.CancelReason = reason;
            books.Held.Remove(held.Id);
            CloseWorkflow(held.Id, WorkflowCompiler.CancelTrigger, actor, reason, batch.Now);
            batch.Record(actor, "order.canceled", $"order/{held.Id}", new { held.FilledQuantity, status = held.Status.ToString(), heldForReview = true, reason });
            canceled.Add(held.Id);
        }
        return canceled;
    }

    /// <summary>Held DAY and GTD orders expire with their validity like working ones.</summary>
    public void Expire(ExpireDayOrdersCommand command, WriterBatch batch)
    {
        var now = batch.Now;
        var nowTicks = now.Ticks;
        foreach (var order in books.Held.Values.ToList())
        {
            var venue = referenceData.Get(order.Symbol).Spec.Venue;
            var over = order.TimeInForce == TimeInForce.Day
                ? venue.PhaseAt(nowTicks) == MarketPhase.Closed ||
                  DateOnly.FromDateTime(venue.ToVenueLocal(nowTicks)) != DateOnly.FromDateTime(venue.ToVenueLocal(order.CreatedAt.Ticks))
                : order.TimeInForce == TimeInForce.Gtd && order.ExpireAt <= now;
            if (over)
            {
                var reason = $"expired while held for review: its {order.TimeInForce} validity ended";
                books.Recorder.RecordHeldCanceled(order, reason, nowTicks);
                order.CancelReason = reason;
                books.Held.Remove(order.Id);
                CloseWorkflow(order.Id, "expire", command.Actor, reason, now);
                batch.Record(command.Actor, "order.expired", $"order/{order.Id}", new { order.AccountId, order.Symbol, order.FilledQuantity, reason });
            }
        }
    }

    /// <summary>Rejects a held order outside its workflow (<see cref="RejectHeldOrderCommand"/>).</summary>
    public SequencerResult Reject(RejectHeldOrderCommand r, WriterBatch batch)
    {
        var rejected = RejectHeld(r.OrderId, r.Actor, r.Reason, batch);
        if (rejected.Outcome == SequencerOutcome.RejectedInReview)
        {
            CloseWorkflow(r.OrderId, WorkflowCompiler.CancelTrigger, r.Actor, $"rejected in review: {r.Reason}", batch.Now);
        }
        return rejected;
    }

    /// <summary>Releases a held order outside its workflow (<see cref="ReleaseHeldOrderCommand"/>).</summary>
    public SequencerResult Release(ReleaseHeldOrderCommand r, WriterBatch batch)
    {
        var released = ReleaseHeld(r, batch);
        if (released.Outcome == SequencerOutcome.Released)
        {
            CloseWorkflow(r.OrderId, WorkflowCompiler.CancelTrigger, r.Actor, $"released outside the workflow: {r.Reason}", batch.Now);
        }
        return released;
    }

    /// <summary>A person's decision on a task of an order's workflow.</summary>
    public SequencerResult Task(WorkflowTaskCommand w, WriterBatch batch)
    {
        if (workflows.ForTask(w.TaskId) is not { } live)
        {
            return new SequencerResult(SequencerOutcome.WorkflowNotFound, null, []);
        }
        if (w.ExpectedVersion is { } expected && expected != live.Version)
        {
            return new SequencerResult(SequencerOutcome.WorkflowConflict, null, [], Instance: live);
        }
        var work = live.Clone();
        var runtime = workflows.Runtime;
        var now = batch.Now;
        var step = w.Action switch
        {
            WorkflowTaskAction.Claim => runtime.Claim(work, w.TaskId, w.By, now),
            WorkflowTaskAction.Approve => runtime.Approve(work, w.TaskId, w.By, w.Comment, now),
            WorkflowTaskAction.Reject => runtime.Reject(work, w.TaskId, w.By, w.Comment, now),
            _ => runtime.Reassign(work, w.TaskId, w.By, w.ToUser, w.ToRole, w.Comment, now),
        };
        return Settle(live, work, step, w.Actor, "workflow.task." + w.Action.ToString().ToLowerInvariant(), batch);
    }

    /// <summary>A workflow timer of an order instance is due; a stale one does nothing.</summary>
    public SequencerResult Timer(WorkflowTimerCommand t, WriterBatch batch)
    {
        if (workflows.Find(t.InstanceId) is not { } live)
        {
            return new SequencerResult(SequencerOutcome.WorkflowNotFound, null, []);
        }
        var work = live.Clone();
        return Settle(live, work, workflows.Runtime.OnTimer(work, t.Timer, t.StateEnteredSequence, batch.Now), t.Actor, "workflow.timer", batch);
    }

    /// <summary>The held order a workflow task decides on, if any (its rows are read for the batch: a release is re-validated).</summary>
    public OrderRecord? HeldOrderOf(WorkflowTaskCommand task) =>
        workflows.ForTask(task.TaskId) is { } instance && books.Held.TryGetValue(OrderWorkflowStage.OrderIdOf(instance), out var held) ? held : null;

    /// <summary>Holds a new order out of the engine (PendingReview); it counts as open for the rules from now on.</summary>
    private void Hold(OrderRecord order, string reason, WriterBatch batch)
    {
        books.Recorder.RecordHeld(order, reason, batch.Timestamp);
        books.Held[order.Id] = order;
        books.Aggregates.OrderEntered(order, books.CreditCurrency(order.AccountId), batch.Now);
    }

    private static string HeldReason(StoredDecision decision, WorkflowStart start)
    {
        var task = start.Instance!.OpenTask;
        var waiting = task is null
            ? $"held by workflow {start.Definition.Id}"
            : $"waiting for {task.RequiredApprovals} approval{(task.RequiredApprovals == 1 ? "" : "s")} by {task.Role} ({start.Definition.Document.Title})";
        var text = decision.Outcome == nameof(RuleOutcome.Review) ? decision.ReviewSummary() + "; " + waiting : "held for approval: " + waiting;
        return text.Length <= 512 ? text : text[..509] + "...";
    }

    /// <summary>Ends the workflow of a held order that left review another way (its trader canceled it, it expired, it was rejected).</summary>
    private void CloseWorkflow(long orderId, string trigger, string actor, string reason, DateTime now)
    {
        if (workflows.ForOrder(orderId) is not { } live)
        {
            return;
        }
        var work = live.Clone();
        var by = new WorkflowActor(actor, []);
        var step = workflows.Runtime.FireTrigger(work, trigger, by, reason, now);
        if (!step.Changed && trigger != WorkflowCompiler.CancelTrigger)
        {
            step = workflows.Runtime.FireTrigger(work, WorkflowCompiler.CancelTrigger, by, reason, now);
        }
        if (step.Changed)
        {
            // The order is already dealt with: only the instance's own bookkeeping (log, tasks, notices) remains.
            workflows.Changed(live, work, [.. step.Effects.Where(e => e is not SendToEngineEffect and not RejectEffect)]);
        }
        else
        {
            log.LogWarning("Workflow {Instance} of order {OrderId} accepts neither '{Trigger}' nor 'cancel' in state {State}; left open",
                live.Id, orderId, trigger, live.State);
        }
    }

    /// <summary>
    /// Carries out a step's effects on the held order (release to the engine, re-validated now; or reject) and records the
    /// instance's change. If the order cannot be released now (the session closed, the price left today's limits, it is no
    /// longer held) nothing changes: the task stays open and the caller hears why.
    /// </summary>
    private SequencerResult Settle(WorkflowInstance live, WorkflowInstance work, WorkflowStepResult step, string actor, string action, WriterBatch batch)
    {
        var orderId = OrderWorkflowStage.OrderIdOf(work);
        if (!step.Changed)
        {
            return new SequencerResult(SequencerOutcome.WorkflowStep, books.Held.GetValueOrDefault(orderId)?.Snapshot(), [], Workflow: step, Instance: live);
        }
        SequencerResult? effect = null;
        foreach (var e in step.Effects)
        {
            if (e is SendToEngineEffect send)
            {
                effect = ReleaseHeld(new ReleaseHeldOrderCommand(actor, orderId, send.Reason), batch);
                if (effect.Outcome != SequencerOutcome.Released)
                {
                    var why = effect.Code == RejectCode.OrderNotActive ? "it is no longer held"
                        : effect.Decision is { Rules.Count: > 0 } refusal ? refusal.Rules[0].Message
                        : RejectReasons.Describe(effect.Code);
                    return effect with
                    {
                        Workflow = new WorkflowStepResult(WorkflowStepOutcome.NotPermitted, $"order {orderId} cannot be released now: {why}; nothing was changed", []),
                        Instance = live,
                    };
                }
            }
            else if (e is RejectEffect reject)
            {
                effect = RejectHeld(orderId, actor, reject.Reason, batch);
            }
        }
        workflows.Changed(live, work, step.Effects);
        batch.Record(actor, action, $"workflow/{work.Id}", new
        {
            definition = work.DefinitionId, definitionVersion = work.DefinitionVersion, state = work.State, version = work.Version, orderId, step.Message,
        });
        return new SequencerResult(SequencerOutcome.WorkflowStep, effect?.Order ?? books.Held.GetValueOrDefault(orderId)?.Snapshot(), effect?.Trades ?? [],
            Workflow: step, Instance: work);
    }

    /// <summary>Rejects a held order: it ends Rejected (RejectedInReview) with the reviewer's reason and never reaches the engine.</summary>
    private SequencerResult RejectHeld(long orderId, string actor, string reason, WriterBatch batch)
    {
        if (!books.Held.TryGetValue(orderId, out var held))
        {
            return new SequencerResult(SequencerOutcome.Refused, null, [], RejectCode.OrderNotActive);
        }
        books.Recorder.RecordHostRejection(held, RejectCode.RejectedInReview, $"rejected in compliance review by {actor}: {reason}", batch.Timestamp);
        books.Held.Remove(held.Id);
        batch.Record(actor, "order.review_rejected", $"order/{held.Id}", new { reason });
        return new SequencerResult(SequencerOutcome.RejectedInReview, held.Snapshot(), []);
    }

    /// <summary>Releases a held order to the engine (the workflow's approval), re-validated at the writer's timestamp.</summary>
    private SequencerResult ReleaseHeld(ReleaseHeldOrderCommand r, WriterBatch batch)
    {
        if (!books.Held.TryGetValue(r.OrderId, out var order))
        {
            return new SequencerResult(SequencerOutcome.Refused, null, [], RejectCode.OrderNotActive);
        }
        var account = batch.Accounts.GetValueOrDefault(order.AccountId);
        var refusal = validate.Release(order, account?.SelfTradePrevention ?? SelfTradePrevention.CancelIncoming, batch.Timestamp, out var submit);
        if (refusal != RejectCode.None)
        {
            // Still held: the reviewers may release it when the venue trades again.
            return new SequencerResult(SequencerOutcome.Invalid, order.Snapshot(), [], refusal);
        }
        // The order reaches the market only now: the trading statuses and limits in force now decide, as for a new order (a
        // kill switch set while it waited for review keeps it out). Still held when refused.
        if (account is not null && risk.CheckExisting(order, account, order.LeavesQuantity, order.Price, batch.Now) is { } riskRefusal)
        {
            return new SequencerResult(SequencerOutcome.Invalid, order.Snapshot(), [], RiskStage.CodeOf(riskRefusal), Decision: riskRefusal);
        }
        books.Held.Remove(order.Id);
        books.Recorder.RecordReleased(order, $"released after review: {r.Reason}", batch.Timestamp);
        match.Release(order, submit);
        batch.Record(r.Actor, "order.released", $"order/{order.Id}", new { reason = r.Reason, status = order.Status.ToString() });
        return new SequencerResult(SequencerOutcome.Released, order.Snapshot(), [.. books.Recorder.CommandTrades]);
    }
}
