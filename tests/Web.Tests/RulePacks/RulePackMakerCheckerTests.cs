using System.Net;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.RulePacks;

/// <summary>Maker-checker: a rule-pack change goes live only when a second officer approves it; its author never can.</summary>
public sealed class RulePackMakerCheckerTests
{
    [Fact]
    public async Task A_submitted_version_is_not_live_until_a_second_officer_approves_it()
    {
        await using var platform = new PlatformFactory();
        var compliance1 = await platform.ClientForAsync("compliance1");
        var compliance2 = await platform.ClientForAsync("compliance2");

        var submitted = (await compliance1.PostRawAsync("/api/v1/rulepacks/sca/publish", RulePackSamples.ScaWithUpperLimit("1.1.0", 25)))
            .Expect(HttpStatusCode.Accepted);
        Assert.Equal("AwaitingChecker", submitted.Str("state"));
        var task = submitted.Json["task"]!["taskId"]!.GetValue<string>();
        Assert.Equal("compliance1", submitted.Json["task"]!["maker"]!.GetValue<string>());
        Assert.Equal("1.0.0", (await compliance1.GetAsync("/api/v1/rulepacks/sca")).Str("version"));
        Assert.Equal("Block", await DryRunAsync(compliance1, 120));

        var own = (await compliance1.PostJsonAsync($"/api/v1/tasks/{task}/approve", new { })).Expect(HttpStatusCode.Forbidden);
        Assert.Contains("never be its checker", own.Body, StringComparison.Ordinal);
        Assert.Equal("1.0.0", (await compliance1.GetAsync("/api/v1/rulepacks/sca")).Str("version"));

        var approved = (await compliance2.PostJsonAsync($"/api/v1/tasks/{task}/approve", new { comment = "band checked" })).Expect(HttpStatusCode.OK);
        Assert.Equal("Published", approved.Json["task"]!["state"]!.GetValue<string>());
        Assert.Equal("1.1.0", (await compliance1.GetAsync("/api/v1/rulepacks/sca")).Str("version"));
        Assert.Equal("Pass", await DryRunAsync(compliance1, 120));
        (await compliance2.PostJsonAsync($"/api/v1/tasks/{task}/approve", new { })).Expect(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_rejected_change_never_goes_live_and_a_rollback_needs_approval_too()
    {
        await using var platform = new PlatformFactory();
        var compliance1 = await platform.ClientForAsync("compliance1");
        var compliance2 = await platform.ClientForAsync("compliance2");
        var submitted = (await compliance1.PostRawAsync("/api/v1/rulepacks/sca/publish", RulePackSamples.ScaWithUpperLimit("1.1.0", 25)))
            .Expect(HttpStatusCode.Accepted);
        var task = submitted.Json["task"]!["taskId"]!.GetValue<string>();
        (await compliance2.PostJsonAsync($"/api/v1/tasks/{task}/reject", new { })).Expect(HttpStatusCode.BadRequest);
        (await compliance2.PostJsonAsync($"/api/v1/tasks/{task}/reject", new { comment = "band not confirmed by ADX" })).Expect(HttpStatusCode.OK);
        Assert.Single((await compliance1.GetAsync("/api/v1/rulepacks/sca/versions")).Json.AsArray());

        await MakerChecker.PublishAsync(platform, "sca", RulePackSamples.ScaWithUpperLimit("1.2.0", 25));
        var rollback = (await compliance2.PostJsonAsync("/api/v1/rulepacks/sca/rollback", new { version = "1.0.0" })).Expect(HttpStatusCode.Accepted);
        Assert.Equal("1.2.0", (await compliance1.GetAsync("/api/v1/rulepacks/sca")).Str("version"));
        var rollbackTask = rollback.Json["task"]!["taskId"]!.GetValue<string>();
        (await compliance2.PostJsonAsync($"/api/v1/tasks/{rollbackTask}/approve", new { })).Expect(HttpStatusCode.Forbidden);
        (await compliance1.PostJsonAsync($"/api/v1/tasks/{rollbackTask}/approve", new { })).Expect(HttpStatusCode.OK);
        Assert.Equal("1.0.0", (await compliance1.GetAsync("/api/v1/rulepacks/sca")).Str("version"));
    }

    [Fact]
    public async Task Two_checkers_racing_publish_the_change_once()
    {
        await using var platform = new PlatformFactory();
        var compliance1 = await platform.ClientForAsync("compliance1");
        var compliance2 = await platform.ClientForAsync("compliance2");
        var submitted = (await compliance2.PostRawAsync("/api/v1/rulepacks/sca/publish", RulePackSamples.ScaWithUpperLimit("1.1.0", 25)))
            .Expect(HttpStatusCode.Accepted);
        var task = submitted.Json["task"]!["taskId"]!.GetValue<string>();
        var other = await platform.ClientForAsync("compliance1");

        var replies = await Task.WhenAll(
            compliance1.PostJsonAsync($"/api/v1/tasks/{task}/approve", new { }),
            other.PostJsonAsync($"/api/v1/tasks/{task}/approve", new { }));

        Assert.Single(replies, r => r.Status == HttpStatusCode.OK);
        Assert.Single(replies, r => r.Status == HttpStatusCode.Conflict);
        Assert.Equal(2, (await compliance1.GetAsync("/api/v1/rulepacks/sca/versions")).Json.AsArray().Count);
    }

    private static async Task<string> DryRunAsync(ApiClient client, decimal price) =>
        (await client.PostRawAsync("/api/v1/rulepacks/dry-run", RulePackSamples.DryRun(RulePackSamples.AdxOrder(price)))).Expect(HttpStatusCode.OK)
        .Json["outcome"]!.GetValue<string>();
}
