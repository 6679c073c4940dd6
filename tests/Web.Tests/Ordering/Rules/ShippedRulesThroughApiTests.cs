using System.Net;
using System.Text.Json.Nodes;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Ordering.Rules;

/// <summary>
/// Every shipped rule, both ways, on orders entered through POST /api/v1/orders: the firing order carries the rule
/// in its decision with the outcome's effect on the order (Block: Rejected 4001; Review: PendingReview; Report: a
/// report tag; Warn: a warning), and its passing twin, with the same pack applied, does not. One platform per rule.
/// </summary>
public sealed class ShippedRulesThroughApiTests
{
    public static TheoryData<string> Rules() => RestRuleCases.Keys();

    [Fact]
    public void Every_shipped_rule_has_a_case()
    {
        var shipped = Directory.GetFiles(RulePackSamples.RulesetsDirectory, "*.json")
            .Where(f => !f.EndsWith("rulepack.schema.json", StringComparison.Ordinal))
            .SelectMany(f => JsonNode.Parse(File.ReadAllText(f))!["rules"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()))
            .Order(StringComparer.Ordinal).ToList();
        // MIFID.TICK is shown by RulesStageTests: the validate stage refuses an off-tick price before any pack runs.
        var covered = RestRuleCases.All.Select(c => c.Rule).Append("MIFID.TICK").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(shipped, covered);
    }

    [Theory]
    [MemberData(nameof(Rules))]
    public async Task A_shipped_rule_fires_on_an_order_through_the_api_and_not_on_its_passing_twin(string rule)
    {
        var c = RestRuleCases.All.Single(x => x.Rule == rule);
        await using var platform = new PlatformFactory();
        platform.Clock.Fixed = RuleCaseRun.MarketTime;
        var run = new RuleCaseRun(platform, await platform.ClientForAsync("trader1"));
        if (c.Publish is { } edit)
        {
            var draft = RulePackSamples.Edited(c.Pack, p =>
            {
                p["version"] = "9.0.0";
                edit(p);
            });
            await MakerChecker.PublishAsync(platform, c.Pack, draft);
        }
        if (c.Pack == "emir")
        {
            // The EMIR cases trade an equity derivative.
            await run.EditInstrumentAsync("FWRY.CW", i =>
            {
                i.IsDerivative = true;
                i.AssetClass = TradSys.Rules.Context.AssetClass.Equity;
            });
        }

        var fired = await SubmitAsync(run, c, c.Fire);
        var entry = fired.Explanation.SingleOrDefault(r => r!["ruleId"]!.GetValue<string>() == rule);
        Assert.True(entry is not null, $"{rule} did not fire: {fired.Order}");
        var outcome = entry!["outcome"]!.GetValue<string>();
        var code = entry["reasonCode"]!.GetValue<string>();
        var decision = fired.Order["decision"]!;
        switch (outcome)
        {
            case "Block":
                Assert.Equal("Rejected", fired.Order["status"]!.GetValue<string>());
                Assert.Equal(4001, fired.Order["rejectCode"]!.GetValue<int>());
                Assert.Contains(code, fired.Order["rejectReason"]!.GetValue<string>(), StringComparison.Ordinal);
                Assert.Contains(decision["reasons"]!.AsArray(), r => r!["code"]!.GetValue<string>() == code && r["rule"]!.GetValue<string>() == rule);
                break;
            case "Review":
                Assert.Contains(decision["reasons"]!.AsArray(), r => r!["rule"]!.GetValue<string>() == rule);
                if (decision["outcome"]!.GetValue<string>() == "Review")
                {
                    Assert.Equal("PendingReview", fired.Order["status"]!.GetValue<string>());
                }
                break;
            case "Report":
                Assert.Contains(rule, decision["reportTags"]!.AsArray().Select(t => t!.GetValue<string>()));
                break;
            case "Warn":
                Assert.Contains(decision["warnings"]!.AsArray(), r => r!["rule"]!.GetValue<string>() == rule);
                break;
            default:
                Assert.Fail($"unexpected outcome {outcome}");
                break;
        }
        Assert.NotNull(entry["inputs"]);
        Assert.NotEmpty(entry["inputs"]!.AsObject());

        var passed = await SubmitAsync(run, c, c.Pass);
        Assert.DoesNotContain(passed.Explanation, r => r!["ruleId"]!.GetValue<string>() == rule);
    }

    private static async Task<(JsonNode Order, JsonArray Explanation)> SubmitAsync(RuleCaseRun run, RestRuleCase c, Way way)
    {
        var account = await run.NewAccountAsync(RuleCaseTemplates.For(c.Pack), way.Account);
        Func<Task>? restore = way.Instrument is { } edit ? await run.EditInstrumentAsync(RuleCaseTemplates.Symbol(c.Pack, way.Order), edit) : null;
        try
        {
            if (way.Before is { } before)
            {
                await before(run, account);
            }
            var reply = (await run.SubmitAsync(account, RuleCaseTemplates.Order(c.Pack), way.Order)).Expect(HttpStatusCode.Created);
            var order = reply.Json;
            var decision = order["decision"] ?? throw new InvalidOperationException("no decision: " + reply.Body);
            Assert.Contains(decision["packs"]!.AsArray(), p => p!["packId"]!.GetValue<string>() == c.Pack);
            return (order, decision["explanation"]!.AsArray());
        }
        finally
        {
            if (restore is not null)
            {
                await restore();
            }
        }
    }
}
