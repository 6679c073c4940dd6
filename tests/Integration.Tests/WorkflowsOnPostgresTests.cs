using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using TradSys.Web.Tests.Support;
using TradSys.Web.Workflows;

namespace TradSys.Integration.Tests;

/// <summary>
/// The "done when", end to end through the REST API on PostgreSQL (and Hangfire on PostgreSQL): an order held
/// for review is approved and trades; a large order needs two different approvers; a rule-pack change goes live only
/// after a second officer approves it; an instance survives a restart mid-flow; a timer escalates; two approvers race and
/// exactly one wins.
/// </summary>
[Collection(ProductionCollection.Name)]
public sealed class WorkflowsOnPostgresTests : IAsyncLifetime
{
    private readonly ProductionPlatformFactory _platform = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _platform.DisposeAsync();

    [Fact]
    public async Task An_order_held_for_review_is_approved_by_an_officer_and_trades()
    {
        var trader1 = await _platform.ClientForAsync("trader1");
        var trader2 = await _platform.ClientForAsync("trader2");
        var compliance1 = await _platform.ClientForAsync("compliance1");
        var held = await HeldForReviewAsync(_platform, trader1);

        var approved = (await compliance1.PostJsonAsync($"/api/v1/tasks/{TaskOf(held)}/approve", new { comment = "checked" })).Expect(HttpStatusCode.OK);
        Assert.Equal("Accepted", approved.Json["order"]!["status"]!.GetValue<string>());
        var sell = (await trader2.SubmitAsync(2001, "COMI.INT", "Sell", 80m, 10)).Expect(HttpStatusCode.Created);
        Assert.Equal("Filled", sell.Str("status"));

        await using var db = new NpgsqlConnection(_platform.ConnectionString);
        await db.OpenAsync();
        var instance = Review(held)["instanceId"]!.GetValue<string>();
        Assert.Equal("Approved|2", await ScalarAsync(db, $"SELECT \"State\" || '|' || \"Version\" FROM workflow_instances WHERE \"Id\" = '{instance}'"));
        Assert.Equal("start,approve", await ScalarAsync(db,
            $"SELECT string_agg(\"Trigger\", ',' ORDER BY \"Sequence\") FROM workflow_transitions WHERE \"InstanceId\" = '{instance}'"));
        Assert.Equal("Filled", await ScalarAsync(db, $"SELECT \"Status\" FROM orders WHERE \"Id\" = {held.OrderId}"));
    }

    [Fact]
    public async Task A_large_order_needs_two_different_approvers()
    {
        var trader1 = await _platform.ClientForAsync("trader1");
        var compliance1 = await _platform.ClientForAsync("compliance1");
        var compliance2 = await _platform.ClientForAsync("compliance2");
        // The shipped retail threshold is USD 250,000; a version 2 published through the API lowers it so a small order on
        // retail account 1002 (on the internal venue, open around the clock) is "large".
        var v2 = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(RepoRoot(), "rulesets", "workflows", "four-eyes-large-orders.json")))!;
        v2["version"] = 2;
        v2["parameters"]!["retailThresholdUsd"]!["value"] = 10;
        (await compliance1.PostRawAsync("/api/v1/workflows/definitions/four-eyes-large-orders/publish", v2.ToJsonString())).Expect(HttpStatusCode.Created);

        var held = (await trader1.SubmitAsync(1002, "COMI.INT", "Buy", 80m, 10)).Expect(HttpStatusCode.Created);
        Assert.Equal("PendingReview", held.Str("status"));
        Assert.Equal("four-eyes-large-orders", Review(held)["definition"]!.GetValue<string>());
        var task = TaskOf(held);

        Assert.Equal("ApprovalRecorded", (await compliance1.PostJsonAsync($"/api/v1/tasks/{task}/approve", new { })).Expect(HttpStatusCode.OK)
            .Json["outcome"]!.GetValue<string>());
        Assert.Equal("PendingReview", (await trader1.GetAsync($"/api/v1/orders/{held.OrderId}")).Str("status"));
        (await compliance1.PostJsonAsync($"/api/v1/tasks/{task}/approve", new { })).Expect(HttpStatusCode.Conflict);
        var done = (await compliance2.PostJsonAsync($"/api/v1/tasks/{task}/approve", new { })).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("Accepted", done["order"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_rule_pack_change_goes_live_only_after_a_second_officer_approves_it()
    {
        var compliance1 = await _platform.ClientForAsync("compliance1");
        var compliance2 = await _platform.ClientForAsync("compliance2");
        var submitted = (await compliance1.PostRawAsync("/api/v1/rulepacks/sca/publish", RulePackSamples.ScaWithUpperLimit("1.1.0", 25)))
            .Expect(HttpStatusCode.Accepted);
        var task = submitted.Json["task"]!["taskId"]!.GetValue<string>();
        Assert.Equal("1.0.0", (await compliance1.GetAsync("/api/v1/rulepacks/sca")).Str("version"));
        (await compliance1.PostJsonAsync($"/api/v1/tasks/{task}/approve", new { })).Expect(HttpStatusCode.Forbidden);
        Assert.Equal("1.0.0", (await compliance1.GetAsync("/api/v1/rulepacks/sca")).Str("version"));

        (await compliance2.PostJsonAsync($"/api/v1/tasks/{task}/approve", new { comment = "band confirmed" })).Expect(HttpStatusCode.OK);
        Assert.Equal("1.1.0", (await compliance1.GetAsync("/api/v1/rulepacks/sca")).Str("version"));
    }

    [Fact]
    public async Task An_instance_survives_a_restart_mid_flow_and_a_timer_escalates_it()
    {
        var start = DateTimeOffset.UtcNow;
        _platform.Clock.Fixed = start;
        string task;
        long orderId;
        Guid instance;
        {
            var first = new ProductionPlatformFactory(_platform.DatabaseName) { DropDatabaseOnDispose = false };
            await using (first)
            {
                first.Clock.Fixed = start;
                var trader1 = await first.ClientForAsync("trader1");
                var held = await HeldForReviewAsync(first, trader1);
                task = TaskOf(held);
                orderId = held.OrderId;
                instance = Guid.Parse(Review(held)["instanceId"]!.GetValue<string>());
                var officer = await first.ClientForAsync("compliance1");
                (await officer.PostJsonAsync($"/api/v1/tasks/{task}/claim", new { })).Expect(HttpStatusCode.OK);
            }
        }

        // The restarted platform reloads the open instance (its claim too) and re-schedules its timers (the SLA is 25
        // minutes away: its Hangfire job does not run during the test; the job is run directly once the clock passes it).
        _platform.Clock.Fixed = start.AddMinutes(5);
        var compliance2 = await _platform.ClientForAsync("compliance2");
        var before = (await compliance2.GetAsync($"/api/v1/tasks/{task}")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("compliance1", before["claimedBy"]!.GetValue<string>());
        Assert.Equal("compliance", before["role"]!.GetValue<string>());
        _platform.Clock.Fixed = start.AddMinutes(31);
        var history = (await compliance2.GetAsync($"/api/v1/workflows/instances/{instance}")).Expect(HttpStatusCode.OK).Json;
        var entry = history["transitions"]!.AsArray().Single(t => t!["trigger"]!.GetValue<string>() == "start")!["sequence"]!.GetValue<int>();
        await using (var scope = _platform.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<WorkflowTimerJob>().RunAsync(instance, "sla", entry, start.UtcDateTime.AddMinutes(30),
                CancellationToken.None);
        }
        var escalated = (await compliance2.GetAsync($"/api/v1/tasks/{task}")).Json;
        Assert.Equal("senior_compliance", escalated["role"]!.GetValue<string>());
        Assert.Null(escalated["claimedBy"]);

        var compliance1 = await _platform.ClientForAsync("compliance1");
        (await compliance1.PostJsonAsync($"/api/v1/tasks/{task}/approve", new { })).Expect(HttpStatusCode.Forbidden);
        var done = (await compliance2.PostJsonAsync($"/api/v1/tasks/{task}/approve", new { })).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(orderId, done["order"]!["orderId"]!.GetValue<long>());
        Assert.Equal("Accepted", done["order"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Two_approvers_racing_exactly_one_wins()
    {
        var trader1 = await _platform.ClientForAsync("trader1");
        var compliance1 = await _platform.ClientForAsync("compliance1");
        var compliance2 = await _platform.ClientForAsync("compliance2");
        var held = await HeldForReviewAsync(_platform, trader1);
        var task = TaskOf(held);

        var replies = await Task.WhenAll(
            compliance1.PostJsonAsync($"/api/v1/tasks/{task}/approve", new { }),
            compliance2.PostJsonAsync($"/api/v1/tasks/{task}/approve", new { }));

        Assert.Single(replies, r => r.Status == HttpStatusCode.OK);
        Assert.Single(replies, r => r.Status == HttpStatusCode.Conflict);
        await using var db = new NpgsqlConnection(_platform.ConnectionString);
        await db.OpenAsync();
        Assert.Equal("1", await ScalarAsync(db, $"SELECT count(*)::text FROM order_events WHERE \"OrderId\" = {held.OrderId} AND \"Kind\" = 'Released'"));
    }

    /// <summary>1002 made a pre-existing individual account over USD 1m without FATCA's enhanced review; a small order on it is held.</summary>
    private static async Task<Reply> HeldForReviewAsync(ProductionPlatformFactory platform, ApiClient trader1)
    {
        await using (var db = new NpgsqlConnection(platform.ConnectionString))
        {
            await db.OpenAsync();
            await using var update = new NpgsqlCommand(
                "UPDATE accounts SET \"IsPreexisting\" = true, \"BalanceUsd\" = 2000000, \"EnhancedReviewDone\" = false WHERE \"Id\" = 1002", db);
            await update.ExecuteNonQueryAsync();
        }
        var held = (await trader1.SubmitAsync(1002, "COMI.INT", "Buy", 80m, 10)).Expect(HttpStatusCode.Created);
        Assert.Equal("PendingReview", held.Str("status"));
        Assert.Equal("compliance-review", Review(held)["definition"]!.GetValue<string>());
        return held;
    }

    private static JsonNode Review(Reply order) => order.Json["review"]!;

    private static string TaskOf(Reply order) => Review(order)["openTask"]!["taskId"]!.GetValue<string>();

    private static async Task<string?> ScalarAsync(NpgsqlConnection db, string sql)
    {
        await using var command = new NpgsqlCommand(sql, db);
        return (await command.ExecuteScalarAsync())?.ToString();
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "TradSys.sln")))
        {
            dir = dir.Parent;
        }
        return dir!.FullName;
    }
}
