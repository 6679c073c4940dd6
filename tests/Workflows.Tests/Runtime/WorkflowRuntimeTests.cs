using System.Text.Json.Nodes;
using TradSys.Rules.Context;
using TradSys.Workflows.Definitions;
using TradSys.Workflows.Runtime;
using TradSys.Workflows.Tests.Support;

namespace TradSys.Workflows.Tests.Runtime;

public class WorkflowRuntimeTests
{
    private static readonly DateTime T0 = Shipped.T0;
    private readonly WorkflowRuntime _runtime = Shipped.Runtime();

    private WorkflowInstance Started(WorkflowContext facts, out IReadOnlyList<WorkflowEffect> effects)
    {
        CompiledWorkflow definition = _runtime.Catalog.Select(WorkflowSubject.Order, facts)!;
        WorkflowStart start = _runtime.Start(definition, facts, "42", T0);
        effects = start.Effects;
        return start.Instance!;
    }

    [Fact]
    public void Straight_through_creates_no_instance_and_no_effects()
    {
        WorkflowStart start = _runtime.Start(_runtime.Catalog.Select(WorkflowSubject.Order, Shipped.Order())!, Shipped.Order(), "1", T0);
        Assert.True(start.IsStraightThrough);
        Assert.Empty(start.Effects);
    }

    [Fact]
    public void A_review_suspends_in_PendingReview_with_a_compliance_task_and_its_timers()
    {
        WorkflowInstance instance = Started(Shipped.Order("Review"), out var effects);

        Assert.Equal("PendingReview", instance.State);
        Assert.Equal(1, instance.Version);
        Assert.False(instance.IsCompleted);
        var task = Assert.Single(instance.Tasks);
        Assert.Equal(("review", "compliance", 1), (task.Name, task.Role, task.RequiredApprovals));
        Assert.Contains(effects, e => e is TaskOpenedEffect);
        var timers = effects.OfType<ScheduleTimerEffect>().ToList();
        Assert.Equal(TimeSpan.FromMinutes(30), timers.Single(t => t.Timer == "sla").After);
        Assert.True(timers.Single(t => t.Timer == "session-end").AtSessionEnd);
        Assert.All(timers, t => Assert.Equal(instance.StateEnteredSequence, t.StateEnteredSequence));
        var log = Assert.Single(instance.NewTransitions);
        Assert.Equal(("Received", "PendingReview", "start"), (log.From, log.To, log.Trigger));
    }

    [Fact]
    public void An_officer_approves_and_the_order_is_sent_to_the_engine()
    {
        WorkflowInstance instance = Started(Shipped.Order("Review"), out _);
        Guid task = instance.Tasks[0].Id;

        var result = _runtime.Approve(instance, task, Shipped.Officer("compliance1"), "checked with the desk", T0.AddMinutes(5));

        Assert.Equal(WorkflowStepOutcome.Done, result.Outcome);
        Assert.Equal("Approved", instance.State);
        Assert.True(instance.IsCompleted);
        Assert.Equal(WorkflowTaskStatus.Approved, instance.Tasks[0].Status);
        var send = Assert.Single(result.Effects.OfType<SendToEngineEffect>());
        Assert.Contains("compliance1", send.Reason, StringComparison.Ordinal);
        Assert.Equal(2, instance.Version);
    }

    [Fact]
    public void A_rejection_needs_a_reason_and_carries_it_to_the_order()
    {
        WorkflowInstance instance = Started(Shipped.Order("Review"), out _);
        Guid task = instance.Tasks[0].Id;

        Assert.Equal(WorkflowStepOutcome.ReasonRequired, _runtime.Reject(instance, task, Shipped.Officer("compliance1"), " ", T0).Outcome);
        Assert.Equal("PendingReview", instance.State);

        var result = _runtime.Reject(instance, task, Shipped.Officer("compliance1"), "client not suitable", T0);
        Assert.Equal("Rejected", instance.State);
        Assert.Equal("client not suitable", Assert.Single(result.Effects.OfType<RejectEffect>()).Reason);
        Assert.Equal(WorkflowTaskStatus.Rejected, instance.Tasks[0].Status);
    }

    [Fact]
    public void The_maker_can_never_approve_their_own_order()
    {
        WorkflowInstance instance = Started(Shipped.Order("Review", maker: "compliance1"), out _);
        var result = _runtime.Approve(instance, instance.Tasks[0].Id, Shipped.Officer("compliance1"), null, T0);
        Assert.Equal(WorkflowStepOutcome.MakerCannotAct, result.Outcome);
        Assert.Equal("PendingReview", instance.State);
        Assert.Equal(1, instance.Version);
    }

    [Fact]
    public void Only_holders_of_the_tasks_role_may_act()
    {
        WorkflowInstance instance = Started(Shipped.Order("Review"), out _);
        var result = _runtime.Approve(instance, instance.Tasks[0].Id, new WorkflowActor("trader2", ["trader"]), null, T0);
        Assert.Equal(WorkflowStepOutcome.RoleRequired, result.Outcome);
        Assert.Contains("'compliance'", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_claimed_task_belongs_to_its_claimant()
    {
        WorkflowInstance instance = Started(Shipped.Order("Review"), out _);
        Guid task = instance.Tasks[0].Id;
        Assert.Equal(WorkflowStepOutcome.Done, _runtime.Claim(instance, task, Shipped.Officer("compliance1"), T0).Outcome);
        Assert.Equal(WorkflowStepOutcome.Unchanged, _runtime.Claim(instance, task, Shipped.Officer("compliance1"), T0).Outcome);

        Assert.Equal(WorkflowStepOutcome.ClaimedByOther, _runtime.Claim(instance, task, Shipped.Officer("compliance2"), T0).Outcome);
        Assert.Equal(WorkflowStepOutcome.ClaimedByOther, _runtime.Approve(instance, task, Shipped.Officer("compliance2"), null, T0).Outcome);
        Assert.Equal(WorkflowStepOutcome.Done, _runtime.Approve(instance, task, Shipped.Officer("compliance1"), null, T0).Outcome);
    }

    [Fact]
    public void A_large_order_needs_two_different_approvers()
    {
        WorkflowInstance instance = Started(Shipped.Order(notionalUsd: 1_000_000m), out _);
        Assert.Equal("PendingApproval", instance.State);
        Guid task = instance.Tasks[0].Id;

        var first = _runtime.Approve(instance, task, Shipped.Officer("compliance1"), null, T0);
        Assert.Equal(WorkflowStepOutcome.ApprovalRecorded, first.Outcome);
        Assert.Equal("PendingApproval", instance.State);
        Assert.Empty(first.Effects.OfType<SendToEngineEffect>());

        var again = _runtime.Approve(instance, task, Shipped.Officer("compliance1"), null, T0);
        Assert.Equal(WorkflowStepOutcome.AlreadyApproved, again.Outcome);
        Assert.Single(instance.Tasks[0].Approvers);

        var second = _runtime.Approve(instance, task, Shipped.Officer("compliance2"), null, T0);
        Assert.Equal(WorkflowStepOutcome.Done, second.Outcome);
        Assert.Equal("Approved", instance.State);
        Assert.Equal(["compliance1", "compliance2"], instance.Tasks[0].Approvers);
        Assert.Contains("compliance1 and compliance2", second.Effects.OfType<SendToEngineEffect>().Single().Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_sla_timer_escalates_the_task_to_senior_compliance_once()
    {
        WorkflowInstance instance = Started(Shipped.Order("Review"), out var effects);
        var sla = effects.OfType<ScheduleTimerEffect>().Single(t => t.Timer == "sla");
        Assert.Equal(WorkflowStepOutcome.Done, _runtime.Claim(instance, instance.Tasks[0].Id, Shipped.Officer("compliance1"), T0).Outcome);

        var result = _runtime.OnTimer(instance, "sla", sla.StateEnteredSequence, T0.AddMinutes(30));

        Assert.Equal(WorkflowStepOutcome.Done, result.Outcome);
        Assert.Equal("senior_compliance", instance.Tasks[0].Role);
        Assert.True(instance.Tasks[0].Escalated);
        Assert.Null(instance.Tasks[0].ClaimedBy);
        Assert.Contains(result.Effects, e => e is TaskEscalatedEffect { Role: "senior_compliance" });
        long version = instance.Version;

        Assert.Equal(WorkflowStepOutcome.Stale, _runtime.OnTimer(instance, "sla", sla.StateEnteredSequence, T0.AddMinutes(31)).Outcome);
        Assert.Equal(version, instance.Version);

        // Now only senior compliance may act.
        Assert.Equal(WorkflowStepOutcome.RoleRequired, _runtime.Approve(instance, instance.Tasks[0].Id, Shipped.Officer("compliance1"), null, T0).Outcome);
        Assert.Equal(WorkflowStepOutcome.Done,
            _runtime.Approve(instance, instance.Tasks[0].Id, Shipped.Officer("compliance2", "compliance", "senior_compliance"), null, T0).Outcome);
    }

    [Fact]
    public void A_timer_of_a_state_already_left_does_nothing()
    {
        WorkflowInstance instance = Started(Shipped.Order("Review"), out var effects);
        int entry = effects.OfType<ScheduleTimerEffect>().First().StateEnteredSequence;
        _runtime.Approve(instance, instance.Tasks[0].Id, Shipped.Officer("compliance1"), null, T0);
        long version = instance.Version;

        var result = _runtime.OnTimer(instance, "session-end", entry, T0.AddHours(8));

        Assert.Equal(WorkflowStepOutcome.Stale, result.Outcome);
        Assert.Equal(version, instance.Version);
        Assert.Equal("Approved", instance.State);
    }

    [Fact]
    public void The_session_end_timer_expires_the_review_and_rejects_the_order()
    {
        WorkflowInstance instance = Started(Shipped.Order("Review"), out var effects);
        int entry = effects.OfType<ScheduleTimerEffect>().First().StateEnteredSequence;

        var result = _runtime.OnTimer(instance, "session-end", entry, T0.AddHours(8));

        Assert.Equal("Expired", instance.State);
        Assert.Contains("end of the venue's session", Assert.Single(result.Effects.OfType<RejectEffect>()).Reason, StringComparison.Ordinal);
        Assert.Equal(WorkflowTaskStatus.Closed, instance.Tasks[0].Status);
    }

    [Fact]
    public void The_traders_cancel_ends_the_flow_without_effects_on_the_engine()
    {
        WorkflowInstance instance = Started(Shipped.Order("Review"), out _);
        var result = _runtime.Cancel(instance, new WorkflowActor("trader1", ["trader"]), "canceled by the trader", T0);
        Assert.Equal("Canceled", instance.State);
        Assert.True(instance.IsCompleted);
        Assert.DoesNotContain(result.Effects, e => e is SendToEngineEffect or RejectEffect);
        Assert.Equal(WorkflowStepOutcome.TaskClosed, _runtime.Approve(instance, instance.Tasks[0].Id, Shipped.Officer("compliance1"), null, T0).Outcome);
    }

    [Fact]
    public void A_closed_task_takes_no_more_decisions()
    {
        WorkflowInstance instance = Started(Shipped.Order("Review"), out _);
        Guid task = instance.Tasks[0].Id;
        _runtime.Reject(instance, task, Shipped.Officer("compliance1"), "no", T0);
        Assert.Equal(WorkflowStepOutcome.TaskClosed, _runtime.Approve(instance, task, Shipped.Officer("compliance2"), null, T0).Outcome);
        Assert.Equal(WorkflowStepOutcome.TaskNotFound, _runtime.Approve(instance, Guid.NewGuid(), Shipped.Officer("compliance2"), null, T0).Outcome);
    }

    [Fact]
    public void Reassigning_to_a_person_lets_only_them_act_and_never_the_maker()
    {
        WorkflowInstance instance = Started(Shipped.Order("Review"), out _);
        Guid task = instance.Tasks[0].Id;
        Assert.Equal(WorkflowStepOutcome.MakerCannotAct, _runtime.Reassign(instance, task, Shipped.Officer("compliance1"), "trader1", null, null, T0).Outcome);
        Assert.Equal(WorkflowStepOutcome.Invalid, _runtime.Reassign(instance, task, Shipped.Officer("compliance1"), null, null, null, T0).Outcome);

        Assert.Equal(WorkflowStepOutcome.Done, _runtime.Reassign(instance, task, Shipped.Officer("compliance1"), "compliance2", null, "on leave", T0).Outcome);
        Assert.Equal(WorkflowStepOutcome.ClaimedByOther, _runtime.Approve(instance, task, Shipped.Officer("compliance1"), null, T0).Outcome);
        Assert.Equal(WorkflowStepOutcome.Done, _runtime.Approve(instance, task, Shipped.Officer("compliance2"), null, T0).Outcome);
    }

    [Fact]
    public void Reassigning_to_whom_or_the_role_a_task_is_assigned_to_already_changes_nothing()
    {
        WorkflowInstance instance = Started(Shipped.Order("Review"), out _);
        Guid task = instance.Tasks[0].Id;
        var role = instance.Tasks[0].Role;
        var version = instance.Version;
        // The task is with its role, unclaimed: reassigning it there is no change.
        Assert.Equal(WorkflowStepOutcome.Unchanged, _runtime.Reassign(instance, task, Shipped.Officer("compliance1"), null, role, null, T0).Outcome);
        Assert.Equal(WorkflowStepOutcome.Done, _runtime.Reassign(instance, task, Shipped.Officer("compliance1"), "compliance2", null, "on leave", T0).Outcome);
        var after = instance.Version;
        var transitions = instance.NewTransitions.Count;
        var again = _runtime.Reassign(instance, task, Shipped.Officer("compliance1"), "compliance2", null, "on leave", T0);
        Assert.Equal(WorkflowStepOutcome.Unchanged, again.Outcome);
        Assert.False(again.Changed);
        Assert.Empty(again.Effects);
        Assert.Equal((after, transitions), (instance.Version, instance.NewTransitions.Count));
        Assert.Equal(version + 1, after);
        // Another assignee is a reassignment.
        Assert.Equal(WorkflowStepOutcome.Done, _runtime.Reassign(instance, task, Shipped.Officer("compliance2"), "compliance1", null, null, T0).Outcome);
        Assert.Equal("compliance1", instance.Tasks[0].ClaimedBy);
    }

    [Fact]
    public void The_transition_log_is_append_only_and_numbered()
    {
        WorkflowInstance instance = Started(Shipped.Order(notionalUsd: 1_000_000m), out _);
        Guid task = instance.Tasks[0].Id;
        _runtime.Claim(instance, task, Shipped.Officer("compliance1"), T0);
        _runtime.Approve(instance, task, Shipped.Officer("compliance1"), "ok", T0);
        _runtime.Approve(instance, task, Shipped.Officer("compliance2"), "ok too", T0);

        Assert.Equal([1, 2, 3, 4], instance.NewTransitions.Select(t => t.Sequence));
        Assert.Equal(["start", "claim", "approval", "approve"], instance.NewTransitions.Select(t => t.Trigger));
        Assert.Equal(["system", "compliance1", "compliance1", "compliance2"], instance.NewTransitions.Select(t => t.Actor));
        Assert.Equal(4, instance.Version);
    }

    [Fact]
    public void A_running_instance_keeps_its_definition_version_when_a_new_one_is_published()
    {
        WorkflowInstance instance = Started(Shipped.Order(notionalUsd: 1_000_000m), out _);
        JsonNode v2 = JsonNode.Parse(Shipped.Json("four-eyes-large-orders"))!;
        v2["version"] = 2;
        v2["states"]![1]!["onEntry"]![0]!["task"]!["approvals"] = 3;
        _runtime.Catalog.Publish(WorkflowCompiler.Compile(v2.ToJsonString(), "v2"));

        _runtime.Approve(instance, instance.Tasks[0].Id, Shipped.Officer("compliance1"), null, T0);
        var second = _runtime.Approve(instance, instance.Tasks[0].Id, Shipped.Officer("compliance2"), null, T0);

        Assert.Equal(1, instance.DefinitionVersion);
        Assert.Equal("Approved", instance.State);
        Assert.Contains(second.Effects, e => e is SendToEngineEffect);
        Assert.Equal(3, _runtime.Start(_runtime.Catalog.Current["four-eyes-large-orders"], Shipped.Order(notionalUsd: 1_000_000m), "43", T0)
            .Instance!.Tasks[0].RequiredApprovals);
    }

    [Fact]
    public void A_guard_that_does_not_hold_refuses_the_trigger_and_undoes_the_approval()
    {
        JsonNode doc = JsonNode.Parse(Shipped.Json("compliance-review"))!;
        doc["id"] = "guarded-review";
        doc["parameters"] = JsonNode.Parse("""{ "maxUsd": { "type": "number", "value": 5000, "description": "cap" } }""");
        doc["states"]![1]!["transitions"]![0]!["guard"] = "NotionalUsd <= @maxUsd";
        var catalog = new WorkflowCatalog();
        catalog.Publish(WorkflowCompiler.Compile(doc.ToJsonString(), "guarded"));
        var runtime = new WorkflowRuntime(catalog);
        WorkflowInstance instance = runtime.Start(catalog.Current["guarded-review"], Shipped.Order("Review", 10_000m), "7", T0).Instance!;

        var result = runtime.Approve(instance, instance.Tasks[0].Id, Shipped.Officer("compliance1"), null, T0);

        Assert.Equal(WorkflowStepOutcome.NotPermitted, result.Outcome);
        Assert.Contains("does not accept 'approve'", result.Message, StringComparison.Ordinal);
        Assert.Empty(instance.Tasks[0].Approvers);
        Assert.Equal("PendingReview", instance.State);
    }

    [Fact]
    public void A_clone_is_independent_of_the_original()
    {
        WorkflowInstance instance = Started(Shipped.Order("Review"), out _);
        WorkflowInstance copy = instance.Clone();
        _runtime.Approve(instance, instance.Tasks[0].Id, Shipped.Officer("compliance1"), null, T0);
        Assert.Equal("PendingReview", copy.State);
        Assert.Equal(WorkflowTaskStatus.Open, copy.Tasks[0].Status);
        Assert.Equal(1, copy.Version);
    }

    [Fact]
    public void Rule_pack_maker_checker_publishes_on_a_second_officers_approval()
    {
        var facts = new WorkflowContext { Subject = "rulepack", PackId = "sca", Maker = "compliance1" };
        CompiledWorkflow definition = _runtime.Catalog.Select(WorkflowSubject.RulePack, facts)!;
        WorkflowInstance instance = _runtime.Start(definition, facts, "sca@1.1.0", T0, payload: "{}").Instance!;

        Assert.Equal(WorkflowStepOutcome.MakerCannotAct, _runtime.Approve(instance, instance.Tasks[0].Id, Shipped.Officer("compliance1"), null, T0).Outcome);
        var result = _runtime.Approve(instance, instance.Tasks[0].Id, Shipped.Officer("compliance2"), null, T0);
        Assert.Equal("Published", instance.State);
        Assert.Contains(result.Effects, e => e is PublishEffect);
    }
}

public class StraightThroughAllocationTests
{
    [Fact]
    public void Selecting_and_starting_the_straight_through_flow_allocates_nothing_per_order()
    {
        WorkflowRuntime runtime = Shipped.Runtime();
        WorkflowContext facts = Shipped.Order();
        bool StraightThrough() => runtime.Start(runtime.Catalog.Select(WorkflowSubject.Order, facts)!, facts, "1", Shipped.T0).IsStraightThrough;
        for (int i = 0; i < 50_000; i++)
        {
            Assert.True(StraightThrough());
        }

        // Measured after warm-up: the JIT's own tier-up work is not the stage's.
        long before = GC.GetAllocatedBytesForCurrentThread();
        int straight = 0;
        for (int i = 0; i < 10_000; i++)
        {
            straight += StraightThrough() ? 1 : 0;
        }

        Assert.Equal(10_000, straight);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1_000, $"{GC.GetAllocatedBytesForCurrentThread() - before} bytes for 10 000 orders");
    }
}
