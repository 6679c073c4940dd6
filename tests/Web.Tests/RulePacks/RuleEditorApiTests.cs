using System.Net;
using System.Text.Json.Nodes;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.RulePacks;

/// <summary>
/// What the portal's rule editor adds to the rule-pack API: a sample order's context assembled by the single writer (to dry-run
/// a draft on), and a submitted change's diff for its approver.
/// </summary>
public sealed class RuleEditorApiTests : IDisposable
{
    private readonly PlatformFactory _platform = new();

    public void Dispose() => _platform.Dispose();

    private static object Order(string clientOrderId, decimal price = 80.50m, long accountId = 1001) =>
        new { accountId, clientOrderId, symbol = "COMI.INT", side = "Buy", type = "Limit", price, quantity = 100 };

    [Fact]
    public async Task A_sample_order_context_reproduces_the_published_decision_in_a_dry_run_and_stores_nothing()
    {
        var compliance = await _platform.ClientForAsync("compliance1");
        // Any active account: an officer tests rules for every client (1001 is trader1's).
        var reply = (await compliance.PostJsonAsync("/api/v1/rulepacks/order-context", Order("ctx-1"))).Expect(HttpStatusCode.OK);
        Assert.Equal("Pass", reply.Str("outcome"));
        var context = reply.Json["context"]!;
        Assert.Equal(1001, context["account"]!["id"]!.GetValue<long>());
        Assert.Equal(100, context["order"]!["quantity"]!.GetValue<long>());
        Assert.Equal(80.00m, context["market"]!["priorClose"]!.GetValue<decimal>());

        var published = (await compliance.PostJsonAsync("/api/v1/rulepacks/dry-run", new { order = context })).Expect(HttpStatusCode.OK);
        Assert.Equal("Pass", published.Str("outcome"));

        // A draft that puts the internal venue under the SCA price limit at 0 %: the same context is blocked.
        var draft = JsonNode.Parse(RulePackSamples.FileText("sca"))!;
        draft["parameters"]!["Venues"]!["value"]!.AsArray().Add("XOFF");
        draft["parameters"]!["UpperLimitPct"]!["value"] = 0;
        var run = (await compliance.PostJsonAsync("/api/v1/rulepacks/dry-run", new { pack = draft.ToJsonString(), order = context })).Expect(HttpStatusCode.OK);
        Assert.Equal("Block", run.Str("outcome"));
        Assert.Contains(run.Json["firedRules"]!.AsArray(), r => r!["ruleId"]!.GetValue<string>() == "SCA.PRICE_UPPER");

        // Nothing was stored: no order, and the clientOrderId is still free for trader1.
        var trader = await _platform.ClientForAsync("trader1");
        Assert.Equal(0, (await trader.GetAsync("/api/v1/orders?accountId=1001")).Expect(HttpStatusCode.OK).Json["total"]!.GetValue<int>());
        (await trader.SubmitAsync(1001, "COMI.INT", "Buy", 80.50m, 100, clientOrderId: "ctx-1")).Expect(HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_sample_order_is_validated_like_an_order_and_only_compliance_may_ask()
    {
        var compliance = await _platform.ClientForAsync("compliance1");
        var bad = (await compliance.PostJsonAsync("/api/v1/rulepacks/order-context",
            new { accountId = 1001, clientOrderId = "ctx-2", symbol = "NOPE", side = "Buy", price = 1m, quantity = 100 })).Expect(HttpStatusCode.BadRequest);
        Assert.Contains("unknown instrument", Assert.Single(bad.Errors("symbol")), StringComparison.Ordinal);
        var noAccount = (await compliance.PostJsonAsync("/api/v1/rulepacks/order-context", Order("ctx-3", accountId: 999_999))).Expect(HttpStatusCode.BadRequest);
        Assert.Contains("does not exist", Assert.Single(noAccount.Errors("accountId")), StringComparison.Ordinal);

        foreach (var user in new[] { "trader1", "viewer1", "regulator1", "admin" })
        {
            var client = await _platform.ClientForAsync(user);
            (await client.PostJsonAsync("/api/v1/rulepacks/order-context", Order("ctx-4"))).Expect(HttpStatusCode.Forbidden);
        }
    }

    [Fact]
    public async Task The_approver_reads_a_submitted_changes_diff_against_the_current_version()
    {
        var maker = await _platform.ClientForAsync("compliance1");
        var draft = JsonNode.Parse(RulePackSamples.FileText("sca"))!;
        draft["version"] = "1.0.1";
        draft["parameters"]!["UpperLimitPct"]!["value"] = 12;
        var submitted = (await maker.PostRawAsync("/api/v1/rulepacks/sca/publish", draft.ToJsonString())).Expect(HttpStatusCode.Accepted);
        var instance = submitted.Json["task"]!["instanceId"]!.GetValue<string>();

        var checker = await _platform.ClientForAsync("compliance2");
        var diff = (await checker.GetAsync($"/api/v1/rulepacks/changes/{instance}/diff")).Expect(HttpStatusCode.OK);
        Assert.Equal("1.0.0", diff.Str("from"));
        Assert.Equal("1.0.1", diff.Str("to"));
        Assert.Contains("-      \"value\": 15,", diff.Str("diff"), StringComparison.Ordinal);
        Assert.Contains("+      \"value\": 12,", diff.Str("diff"), StringComparison.Ordinal);
        Assert.Equal(2, diff.Json["added"]!.GetValue<int>());
        // In words, above the lines: the one value that changed (the version number always does).
        Assert.Equal(["UpperLimitPct: 15 -> 12"], diff.Json["changes"]!.AsArray().Select(c => c!.GetValue<string>()));

        (await checker.GetAsync($"/api/v1/rulepacks/changes/{Guid.NewGuid()}/diff")).Expect(HttpStatusCode.NotFound);
        var trader = await _platform.ClientForAsync("trader1");
        (await trader.GetAsync($"/api/v1/rulepacks/changes/{instance}/diff")).Expect(HttpStatusCode.Forbidden);
    }
}
