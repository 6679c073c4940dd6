using System.Net;
using Microsoft.Extensions.DependencyInjection;
using TradSys.Web.Tests.Ordering.Rules;
using TradSys.Web.Tests.Support;
using TradSys.Web.Workflows;
using static TradSys.Web.Tests.Workflows.WorkflowScenarios;

namespace TradSys.Web.Tests.Workflows;

/// <summary>The order flows through the REST API: review, four-eyes, rejection, cancel, escalation, restart, racing approvers.</summary>
public sealed class WorkflowApiTests
{
    [Fact]
    public async Task An_order_held_for_review_is_approved_by_an_officer_and_trades()
    {
        await using var platform = new PlatformFactory();
        var trader1 = await platform.ClientForAsync("trader1");
        var trader2 = await platform.ClientForAsync("trader2");
        var compliance1 = await platform.ClientForAsync("compliance1");
        var held = await HeldForReviewAsync(platform, trader1);
        var review = Review(held);
        Assert.Contains("FATCA.ENHANCED_REVIEW", review["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("compliance-review", review["definition"]!.GetValue<string>());
        Assert.Equal("PendingReview", review["state"]!.GetValue<string>());
        Assert.Equal("compliance", review["openTask"]!["role"]!.GetValue<string>());

        var inbox = (await compliance1.GetAsync("/api/v1/tasks")).Expect(HttpStatusCode.OK).Json.AsArray();
        var task = Assert.Single(inbox)!;
        Assert.Equal(held.OrderId, task["orderId"]!.GetValue<long>());
        Assert.Equal("trader1", task["maker"]!.GetValue<string>());
        // The compliance review's SLA (PT30M, rulesets/workflows/compliance-review.json) runs from when the order was held.
        Assert.Equal("senior_compliance", task["escalatesTo"]!.GetValue<string>());
        Assert.Equal(TimeSpan.FromMinutes(30), task["slaDueAt"]!.GetValue<DateTime>() - task["openedAt"]!.GetValue<DateTime>());

        var approved = (await ApproveAsync(compliance1, TaskOf(held))).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("Done", approved["outcome"]!.GetValue<string>());
        Assert.Equal("Accepted", approved["order"]!["status"]!.GetValue<string>());
        Assert.Equal("Approved", approved["task"]!["state"]!.GetValue<string>());

        var sell = (await trader2.SubmitAsync(2001, "COMI.INT", "Sell", 80m, 10)).Expect(HttpStatusCode.Created);
        Assert.Equal("Filled", sell.Str("status"));
        var order = (await trader1.GetAsync($"/api/v1/orders/{held.OrderId}")).Json;
        Assert.Equal("Filled", order["status"]!.GetValue<string>());
        Assert.Equal("Approved", order["review"]!["state"]!.GetValue<string>());
        var kinds = (await trader1.GetAsync($"/api/v1/orders/{held.OrderId}/events")).Json.AsArray().Select(e => e!["kind"]!.GetValue<string>()).ToList();
        Assert.Equal(["HeldForReview", "Released", "Accepted"], kinds.Take(3));
        Assert.Empty((await compliance1.GetAsync("/api/v1/tasks")).Json.AsArray());

        var history = (await compliance1.GetAsync($"/api/v1/workflows/instances/{review["instanceId"]!.GetValue<string>()}")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(["start", "approve"], history["transitions"]!.AsArray().Select(t => t!["trigger"]!.GetValue<string>()));
        Assert.Equal("compliance1", history["transitions"]![1]!["actor"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_large_order_needs_two_different_approvers()
    {
        await using var platform = new PlatformFactory();
        platform.Clock.Fixed = RuleCaseRun.MarketTime;
        var trader1 = await platform.ClientForAsync("trader1");
        var compliance1 = await platform.ClientForAsync("compliance1");
        var compliance2 = await platform.ClientForAsync("compliance2");
        var held = await LargeOrderAsync(trader1);
        Assert.Equal("four-eyes-large-orders", Review(held)["definition"]!.GetValue<string>());
        var task = TaskOf(held);

        var first = (await ApproveAsync(compliance1, task)).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("ApprovalRecorded", first["outcome"]!.GetValue<string>());
        Assert.Equal("PendingReview", (await trader1.GetAsync($"/api/v1/orders/{held.OrderId}")).Str("status"));

        var again = (await ApproveAsync(compliance1, task)).Expect(HttpStatusCode.Conflict);
        Assert.Contains("different people", again.Body, StringComparison.Ordinal);

        var second = (await ApproveAsync(compliance2, task)).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("Done", second["outcome"]!.GetValue<string>());
        Assert.Equal(["compliance1", "compliance2"], second["task"]!["approvers"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal("Accepted", second["order"]!["status"]!.GetValue<string>());
        var bid = (await trader1.GetAsync("/api/v1/instruments/FAB/depth")).Json["bids"]!.AsArray().Single()!;
        Assert.Equal(2_000_000, bid["quantity"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_rejection_needs_a_reason_and_the_trader_sees_it_on_the_order()
    {
        await using var platform = new PlatformFactory();
        var trader1 = await platform.ClientForAsync("trader1");
        var compliance1 = await platform.ClientForAsync("compliance1");
        var held = await HeldForReviewAsync(platform, trader1);
        var task = TaskOf(held);

        var noReason = (await compliance1.PostJsonAsync($"/api/v1/tasks/{task}/reject", new { })).Expect(HttpStatusCode.BadRequest);
        Assert.NotEmpty(noReason.Errors("comment"));
        Assert.Equal("PendingReview", (await trader1.GetAsync($"/api/v1/orders/{held.OrderId}")).Str("status"));

        var rejected = (await compliance1.PostJsonAsync($"/api/v1/tasks/{task}/reject", new { comment = "enhanced review outstanding" }))
            .Expect(HttpStatusCode.OK).Json;
        // The trader sees a rejection, with the reviewer's reason, on the order and in its journal (not a cancel nobody asked for).
        Assert.Equal("Rejected", rejected["order"]!["status"]!.GetValue<string>());
        var order = (await trader1.GetAsync($"/api/v1/orders/{held.OrderId}")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("Rejected", order["status"]!.GetValue<string>());
        Assert.Equal(4003, order["rejectCode"]!.GetValue<int>());
        Assert.Equal("rejected in compliance review by compliance1: enhanced review outstanding", order["rejectReason"]!.GetValue<string>());
        var last = (await trader1.GetAsync($"/api/v1/orders/{held.OrderId}/events")).Json.AsArray().Last()!;
        Assert.Equal("Rejected", last["kind"]!.GetValue<string>());
        Assert.Equal(4003, last["reasonCode"]!.GetValue<int>());
        Assert.Contains("enhanced review outstanding", last["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        (await ApproveAsync(compliance1, task)).Expect(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task The_trader_cancels_while_it_waits_and_the_task_closes()
    {
        await using var platform = new PlatformFactory();
        var trader1 = await platform.ClientForAsync("trader1");
        var compliance1 = await platform.ClientForAsync("compliance1");
        var held = await HeldForReviewAsync(platform, trader1);

        (await trader1.DeleteAsync($"/api/v1/orders/{held.OrderId}")).Expect(HttpStatusCode.OK);

        Assert.Empty((await compliance1.GetAsync("/api/v1/tasks")).Json.AsArray());
        var order = (await trader1.GetAsync($"/api/v1/orders/{held.OrderId}")).Json;
        Assert.Equal("Canceled", order["review"]!["state"]!.GetValue<string>());
        (await ApproveAsync(compliance1, TaskOf(held))).Expect(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task The_sla_timer_escalates_the_task_to_senior_compliance_and_a_second_run_does_nothing()
    {
        await using var platform = new PlatformFactory();
        var start = DateTimeOffset.UtcNow;
        platform.Clock.Fixed = start;
        var trader1 = await platform.ClientForAsync("trader1");
        var compliance1 = await platform.ClientForAsync("compliance1");
        var compliance2 = await platform.ClientForAsync("compliance2");
        var held = await HeldForReviewAsync(platform, trader1);
        var instance = Guid.Parse(Review(held)["instanceId"]!.GetValue<string>());
        var history = (await compliance1.GetAsync($"/api/v1/workflows/instances/{instance}")).Json;
        var entry = history["transitions"]![0]!["sequence"]!.GetValue<int>();

        // Not due yet: the job puts itself back and nothing changes.
        await RunTimerAsync(platform, instance, "sla", entry, start.UtcDateTime.AddMinutes(30));
        Assert.Equal("compliance", (await compliance1.GetAsync($"/api/v1/tasks/{TaskOf(held)}")).Str("role"));

        platform.Clock.Fixed = start.AddMinutes(31);
        await RunTimerAsync(platform, instance, "sla", entry, start.UtcDateTime.AddMinutes(30));
        var task = (await compliance2.GetAsync($"/api/v1/tasks/{TaskOf(held)}")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("senior_compliance", task["role"]!.GetValue<string>());
        Assert.True(task["escalated"]!.GetValue<bool>());
        var version = task["version"]!.GetValue<long>();

        await RunTimerAsync(platform, instance, "sla", entry, start.UtcDateTime.AddMinutes(30));
        Assert.Equal(version, (await compliance2.GetAsync($"/api/v1/tasks/{TaskOf(held)}")).Json["version"]!.GetValue<long>());

        Assert.Empty((await compliance1.GetAsync("/api/v1/tasks")).Json.AsArray());
        (await ApproveAsync(compliance1, TaskOf(held))).Expect(HttpStatusCode.Forbidden);
        Assert.Single((await compliance2.GetAsync("/api/v1/tasks")).Json.AsArray());
        (await ApproveAsync(compliance2, TaskOf(held))).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_instance_survives_a_restart_mid_flow()
    {
        string database;
        long orderId;
        string task;
        {
            await using var before = new PlatformFactory();
            before.Clock.Fixed = RuleCaseRun.MarketTime;
            var trader1 = await before.ClientForAsync("trader1");
            var compliance1 = await before.ClientForAsync("compliance1");
            var held = await LargeOrderAsync(trader1);
            orderId = held.OrderId;
            task = TaskOf(held);
            (await ApproveAsync(compliance1, task)).Expect(HttpStatusCode.OK);
            database = before.DatabasePath;
        }

        await using var after = new PlatformFactory { DatabasePath = database };
        after.Clock.Fixed = RuleCaseRun.MarketTime.AddMinutes(5);
        var compliance2 = await after.ClientForAsync("compliance2");
        var again = await after.ClientForAsync("compliance1");
        (await ApproveAsync(again, task)).Expect(HttpStatusCode.Conflict);
        var done = (await ApproveAsync(compliance2, task)).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("Accepted", done["order"]!["status"]!.GetValue<string>());
        Assert.Equal(orderId, done["order"]!["orderId"]!.GetValue<long>());
    }

    [Fact]
    public async Task Two_approvers_racing_exactly_one_wins()
    {
        await using var platform = new PlatformFactory();
        var trader1 = await platform.ClientForAsync("trader1");
        var compliance1 = await platform.ClientForAsync("compliance1");
        var compliance2 = await platform.ClientForAsync("compliance2");
        var held = await HeldForReviewAsync(platform, trader1);
        var task = TaskOf(held);

        var replies = await Task.WhenAll(ApproveAsync(compliance1, task), ApproveAsync(compliance2, task));

        Assert.Single(replies, r => r.Status == HttpStatusCode.OK);
        Assert.Single(replies, r => r.Status == HttpStatusCode.Conflict);
        var events = (await trader1.GetAsync($"/api/v1/orders/{held.OrderId}/events")).Json.AsArray();
        Assert.Single(events, e => e!["kind"]!.GetValue<string>() == "Released");
    }

    [Fact]
    public async Task A_stale_version_is_refused_and_changes_nothing()
    {
        await using var platform = new PlatformFactory();
        var trader1 = await platform.ClientForAsync("trader1");
        var compliance1 = await platform.ClientForAsync("compliance1");
        var held = await HeldForReviewAsync(platform, trader1);
        var task = TaskOf(held);
        var version = Review(held)["openTask"]!["version"]!.GetValue<long>();
        (await compliance1.PostJsonAsync($"/api/v1/tasks/{task}/claim", new { version })).Expect(HttpStatusCode.OK);

        var stale = (await ApproveAsync(compliance1, task, new { version })).Expect(HttpStatusCode.Conflict);
        Assert.Contains($"not {version}", stale.Body, StringComparison.Ordinal);
        Assert.Equal("PendingReview", (await trader1.GetAsync($"/api/v1/orders/{held.OrderId}")).Str("status"));
        (await ApproveAsync(compliance1, task, new { version = version + 1 })).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_claimed_task_is_decided_by_its_claimant_or_reassigned()
    {
        await using var platform = new PlatformFactory();
        var trader1 = await platform.ClientForAsync("trader1");
        var compliance1 = await platform.ClientForAsync("compliance1");
        var compliance2 = await platform.ClientForAsync("compliance2");
        var held = await HeldForReviewAsync(platform, trader1);
        var task = TaskOf(held);
        (await compliance1.PostJsonAsync($"/api/v1/tasks/{task}/claim", new { })).Expect(HttpStatusCode.OK);

        (await ApproveAsync(compliance2, task)).Expect(HttpStatusCode.Conflict);
        (await compliance1.PostJsonAsync($"/api/v1/tasks/{task}/reassign", new { user = "nobody" })).Expect(HttpStatusCode.BadRequest);
        (await compliance1.PostJsonAsync($"/api/v1/tasks/{task}/reassign", new { user = "trader2" })).Expect(HttpStatusCode.BadRequest);
        (await compliance1.PostJsonAsync($"/api/v1/tasks/{task}/reassign", new { user = "compliance2", role = "compliance" })).Expect(HttpStatusCode.BadRequest);
        (await compliance1.PostJsonAsync($"/api/v1/tasks/{task}/reassign", new { user = "compliance2", comment = "on leave" })).Expect(HttpStatusCode.OK);
        (await ApproveAsync(compliance1, task)).Expect(HttpStatusCode.Conflict);
        (await ApproveAsync(compliance2, task)).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_reassignment_sent_again_changes_nothing_and_another_assignee_is_a_new_reassignment()
    {
        await using var platform = new PlatformFactory();
        var trader1 = await platform.ClientForAsync("trader1");
        var compliance1 = await platform.ClientForAsync("compliance1");
        var admin = await platform.ClientForAsync("admin");
        var held = await HeldForReviewAsync(platform, trader1);
        var task = TaskOf(held);
        var instance = Review(held)["instanceId"]!.GetValue<string>();
        (await compliance1.PostJsonAsync($"/api/v1/tasks/{task}/claim", new { })).Expect(HttpStatusCode.OK);

        var first = (await compliance1.PostJsonAsync($"/api/v1/tasks/{task}/reassign", new { user = "compliance2", comment = "on leave" })).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("Done", first["outcome"]!.GetValue<string>());
        var version = first["task"]!["version"]!.GetValue<long>();
        // The same request again (a resend after "outcome unknown"): the task as it is, nothing recorded.
        var again = (await compliance1.PostJsonAsync($"/api/v1/tasks/{task}/reassign", new { user = "compliance2", comment = "on leave" })).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("Unchanged", again["outcome"]!.GetValue<string>());
        Assert.Contains("already assigned to compliance2", again["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("compliance2", again["task"]!["claimedBy"]!.GetValue<string>());
        Assert.Equal(version, again["task"]!["version"]!.GetValue<long>());

        async Task<(List<string> Transitions, int Audit)> HistoryAsync()
        {
            var history = (await compliance1.GetAsync($"/api/v1/workflows/instances/{instance}")).Expect(HttpStatusCode.OK).Json;
            var audit = (await admin.GetAsync($"/api/v1/audit?subject=workflow/{instance}&action=workflow.task.reassign")).Expect(HttpStatusCode.OK);
            return ([.. history["transitions"]!.AsArray().Select(t => t!["trigger"]!.GetValue<string>())], audit.Json["items"]!.AsArray().Count);
        }
        var (transitions, audit) = await HistoryAsync();
        Assert.Equal(["start", "claim", "reassign"], transitions);
        Assert.Equal(1, audit);

        // To a role, twice: the second changes nothing, although its sender no longer holds the task's role.
        Assert.Equal("Done", (await compliance1.PostJsonAsync($"/api/v1/tasks/{task}/reassign", new { role = "senior_compliance" }))
            .Expect(HttpStatusCode.OK).Json["outcome"]!.GetValue<string>());
        var roleAgain = (await compliance1.PostJsonAsync($"/api/v1/tasks/{task}/reassign", new { role = "senior_compliance" })).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("Unchanged", roleAgain["outcome"]!.GetValue<string>());
        Assert.Equal("senior_compliance", roleAgain["task"]!["role"]!.GetValue<string>());
        Assert.Null(roleAgain["task"]!["claimedBy"]);
        (transitions, audit) = await HistoryAsync();
        Assert.Equal(["start", "claim", "reassign", "reassign"], transitions);
        Assert.Equal(2, audit);
    }

    private static async Task RunTimerAsync(PlatformFactory platform, Guid instance, string timer, int entry, DateTime due)
    {
        await using var scope = platform.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<WorkflowTimerJob>().RunAsync(instance, timer, entry, due, CancellationToken.None);
    }
}
