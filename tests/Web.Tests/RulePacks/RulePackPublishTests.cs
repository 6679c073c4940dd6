using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.RulePacks;

/// <summary>Publishing and rolling back change the published set: each test runs its own platform.</summary>
public sealed class RulePackPublishTests
{
    [Fact]
    public async Task A_published_version_takes_effect_at_once_and_is_audited_with_its_actor()
    {
        await using var platform = new PlatformFactory();
        var compliance = await platform.ClientForAsync("compliance1");
        var draft = RulePackSamples.ScaWithUpperLimit("1.1.0", 25);

        var published = await MakerChecker.PublishAsync(platform, "sca", draft, "ADX widened the band");
        Assert.Equal("1.1.0", published.Str("version"));
        Assert.Equal("compliance1", published.Str("publishedBy"));
        Assert.Equal("ADX widened the band; approved by compliance2", published.Str("comment"));
        Assert.Equal(draft, published.Str("json"));

        var dryRun = (await compliance.PostRawAsync("/api/v1/rulepacks/dry-run", RulePackSamples.DryRun(RulePackSamples.AdxOrder(120))))
            .Expect(HttpStatusCode.OK).Json;
        Assert.Equal("Pass", dryRun["outcome"]!.GetValue<string>());
        Assert.Contains(dryRun["appliedPacks"]!.AsArray(), p => p!["packId"]!.GetValue<string>() == "sca" && p["version"]!.GetValue<string>() == "1.1.0");
        var over = (await compliance.PostRawAsync("/api/v1/rulepacks/dry-run", RulePackSamples.DryRun(RulePackSamples.AdxOrder(126))))
            .Expect(HttpStatusCode.OK).Json;
        Assert.Equal("25", over["firedRules"]![0]!["inputs"]!.AsArray().Single(i => i!["name"]!.GetValue<string>() == "@UpperLimitPct")!["value"]!.ToJsonString());

        var list = (await compliance.GetAsync("/api/v1/rulepacks")).Expect(HttpStatusCode.OK).Json.AsArray();
        var sca = list.Single(p => p!["id"]!.GetValue<string>() == "sca")!;
        Assert.Equal("1.1.0", sca["currentVersion"]!.GetValue<string>());
        Assert.Equal("compliance1", sca["publishedBy"]!.GetValue<string>());
        var history = (await compliance.GetAsync("/api/v1/rulepacks/sca/versions")).Expect(HttpStatusCode.OK).Json.AsArray();
        Assert.Equal(["1.1.0", "1.0.0"], history.Select(v => v!["version"]!.GetValue<string>()));
        Assert.Equal([true, false], history.Select(v => v!["isCurrent"]!.GetValue<bool>()));

        var audit = await AuditAsync(platform, "rulepack.published", "compliance1");
        var details = JsonNode.Parse(Assert.Single(audit).Details)!;
        Assert.Equal("sca", details["pack"]!.GetValue<string>());
        Assert.Equal("1.1.0", details["version"]!.GetValue<string>());
        Assert.Equal("1.0.0", details["previousVersion"]!.GetValue<string>());
        Assert.Equal(published.Str("sha256"), details["sha256"]!.GetValue<string>());
        Assert.Equal(8, (await AuditAsync(platform, "rulepack.published", "system")).Count);
        Assert.True((await compliance.GetAsync("/api/v1/audit/verify")).Expect(HttpStatusCode.OK).Json["valid"]!.GetValue<bool>());

        var again = (await compliance.PostRawAsync("/api/v1/rulepacks/sca/publish", RulePackSamples.ScaWithUpperLimit("1.1.0", 30)))
            .Expect(HttpStatusCode.BadRequest);
        Assert.Contains("already has a version 1.1.0", again.Errors("version")[0], StringComparison.Ordinal);
        Assert.Equal(2, (await compliance.GetAsync("/api/v1/rulepacks/sca/versions")).Json.AsArray().Count);
    }

    [Fact]
    public async Task Orders_evaluated_during_a_publish_see_the_old_pack_or_the_new_never_a_mix()
    {
        await using var platform = new PlatformFactory();
        var evaluator = platform.Services.GetRequiredService<TradSys.Web.RulePacks.RulePackStore>().Evaluator;
        var context = System.Text.Json.JsonSerializer.Deserialize<TradSys.Rules.Context.OrderContext>(
            RulePackSamples.AdxOrder(120).ToJsonString(), TradSys.Web.Apis.RulePacksApi.OrderContextJson)!;
        using var stop = new CancellationTokenSource();
        var seen = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        var readers = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            var decision = new TradSys.Rules.Evaluation.RuleDecision();
            while (!stop.IsCancellationRequested)
            {
                evaluator.Evaluate(context, decision);
                var explanation = decision.Explain(context);
                var sca = explanation.AppliedPacks.Single(p => p.PackId == "sca").Version;
                // 1.0.0 blocks at 120 (limit 15%), 1.1.0 passes (25%): the outcome must match the version that applied.
                seen.AddOrUpdate($"{sca} {explanation.Outcome}", 1, (_, n) => n + 1);
            }
        })).ToList();

        await MakerChecker.PublishAsync(platform, "sca", RulePackSamples.ScaWithUpperLimit("1.1.0", 25));
        await MakerChecker.RollbackAsync(platform, "sca", "1.0.0");
        await MakerChecker.RollbackAsync(platform, "sca", "1.1.0");
        await Task.Delay(50);
        stop.Cancel();
        await Task.WhenAll(readers);

        Assert.Subset(new HashSet<string> { "1.0.0 Block", "1.1.0 Pass" }, seen.Keys.ToHashSet());
        Assert.Contains("1.1.0 Pass", seen.Keys);
    }

    [Fact]
    public async Task Rollback_restores_the_previous_behaviour_and_is_audited()
    {
        await using var platform = new PlatformFactory();
        var compliance = await platform.ClientForAsync("compliance1");
        await MakerChecker.PublishAsync(platform, "sca", RulePackSamples.ScaWithUpperLimit("1.1.0", 25));

        var rolledBack = await MakerChecker.RollbackAsync(platform, "sca", "1.0.0", "band change postponed");
        Assert.Equal("1.0.0", rolledBack.Str("version"));
        Assert.True(rolledBack.Json["isCurrent"]!.GetValue<bool>());

        var dryRun = (await compliance.PostRawAsync("/api/v1/rulepacks/dry-run", RulePackSamples.DryRun(RulePackSamples.AdxOrder(120))))
            .Expect(HttpStatusCode.OK).Json;
        Assert.Equal("Block", dryRun["outcome"]!.GetValue<string>());
        Assert.Equal("1.0.0", dryRun["firedRules"]![0]!["packVersion"]!.GetValue<string>());
        var history = (await compliance.GetAsync("/api/v1/rulepacks/sca/versions")).Expect(HttpStatusCode.OK).Json.AsArray();
        Assert.Equal(["1.1.0", "1.0.0"], history.Select(v => v!["version"]!.GetValue<string>()));
        Assert.Equal([false, true], history.Select(v => v!["isCurrent"]!.GetValue<bool>()));
        var list = (await compliance.GetAsync("/api/v1/rulepacks")).Json.AsArray();
        var sca = list.Single(p => p!["id"]!.GetValue<string>() == "sca")!;
        Assert.Equal("1.0.0", sca["currentVersion"]!.GetValue<string>());
        Assert.Equal("compliance1", sca["currentSetBy"]!.GetValue<string>());

        var details = JsonNode.Parse(Assert.Single(await AuditAsync(platform, "rulepack.rolled_back", "compliance1")).Details)!;
        Assert.Equal("1.0.0", details["version"]!.GetValue<string>());
        Assert.Equal("1.1.0", details["previousVersion"]!.GetValue<string>());
        Assert.Equal("band change postponed; approved by compliance2", details["comment"]!.GetValue<string>());

        (await compliance.PostJsonAsync("/api/v1/rulepacks/sca/rollback", new { version = "1.0.0" })).Expect(HttpStatusCode.Conflict);
        (await compliance.PostJsonAsync("/api/v1/rulepacks/sca/rollback", new { version = "0.9.0" })).Expect(HttpStatusCode.NotFound);
        (await compliance.PostJsonAsync("/api/v1/rulepacks/nope/rollback", new { version = "1.0.0" })).Expect(HttpStatusCode.NotFound);
        (await compliance.PostJsonAsync("/api/v1/rulepacks/sca/rollback", new { })).Expect(HttpStatusCode.BadRequest);

        // Forward again to the stored 1.1.0: a rollback may pick any stored version.
        await MakerChecker.RollbackAsync(platform, "sca", "1.1.0");
        var after = (await compliance.PostRawAsync("/api/v1/rulepacks/dry-run", RulePackSamples.DryRun(RulePackSamples.AdxOrder(120)))).Json;
        Assert.Equal("Pass", after["outcome"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_diff_of_two_versions_shows_the_changed_lines_in_unified_format()
    {
        await using var platform = new PlatformFactory();
        await MakerChecker.PublishAsync(platform, "sca", RulePackSamples.ScaWithUpperLimit("1.1.0", 25));
        var regulator = await platform.ClientForAsync("regulator1");

        var diff = (await regulator.GetAsync("/api/v1/rulepacks/sca/diff?from=1.0.0&to=1.1.0")).Expect(HttpStatusCode.OK);
        Assert.Equal(2, diff.Json["added"]!.GetValue<int>());
        Assert.Equal(2, diff.Json["removed"]!.GetValue<int>());
        Assert.Equal(["UpperLimitPct: 15 -> 25"], diff.Json["changes"]!.AsArray().Select(c => c!.GetValue<string>()));
        var lines = diff.Str("diff").Split('\n');
        Assert.Equal("--- sca@1.0.0", lines[0]);
        Assert.Equal("+++ sca@1.1.0", lines[1]);
        Assert.StartsWith("@@ -", lines[2], StringComparison.Ordinal);
        Assert.Contains("-  \"version\": \"1.0.0\",", lines);
        Assert.Contains("+  \"version\": \"1.1.0\",", lines);
        Assert.Contains("-      \"value\": 15,", lines);
        Assert.Contains("+      \"value\": 25,", lines);
        Assert.Equal(2, lines.Count(l => l.StartsWith("@@", StringComparison.Ordinal)));

        var toCurrent = (await regulator.GetAsync("/api/v1/rulepacks/sca/diff?from=1.0.0")).Expect(HttpStatusCode.OK);
        Assert.Equal("1.1.0", toCurrent.Str("to"));
        var same = (await regulator.GetAsync("/api/v1/rulepacks/sca/diff?from=1.1.0&to=1.1.0")).Expect(HttpStatusCode.OK);
        Assert.Equal("", same.Str("diff"));
        Assert.NotEmpty((await regulator.GetAsync("/api/v1/rulepacks/sca/diff")).Expect(HttpStatusCode.BadRequest).Errors("from"));
        (await regulator.GetAsync("/api/v1/rulepacks/sca/diff?from=0.1.0")).Expect(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_published_version_survives_a_restart_and_the_file_is_not_reloaded()
    {
        string path;
        await using (var before = new PlatformFactory())
        {
            path = before.DatabasePath;
            await MakerChecker.PublishAsync(before, "sca", RulePackSamples.ScaWithUpperLimit("1.1.0", 25));
        }

        await using var after = new PlatformFactory { DatabasePath = path };
        var complianceAfter = await after.ClientForAsync("compliance1");
        var list = (await complianceAfter.GetAsync("/api/v1/rulepacks")).Expect(HttpStatusCode.OK).Json.AsArray();
        Assert.Equal(8, list.Count);
        Assert.Equal("1.1.0", list.Single(p => p!["id"]!.GetValue<string>() == "sca")!["currentVersion"]!.GetValue<string>());
        var dryRun = (await complianceAfter.PostRawAsync("/api/v1/rulepacks/dry-run", RulePackSamples.DryRun(RulePackSamples.AdxOrder(120)))).Json;
        Assert.Equal("Pass", dryRun["outcome"]!.GetValue<string>());
        Assert.Equal(2, (await complianceAfter.GetAsync("/api/v1/rulepacks/sca/versions")).Json.AsArray().Count);
        Assert.Equal(8, (await AuditAsync(after, "rulepack.published", "system")).Count);
    }

    [Fact]
    public async Task A_pack_file_that_does_not_load_stops_the_start_with_the_precise_error()
    {
        var directory = Path.Combine(Path.GetTempPath(), "tradsys-tests", "rulesets-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        File.Copy(Path.Combine(RulePackSamples.RulesetsDirectory, "rulepack.schema.json"), Path.Combine(directory, "rulepack.schema.json"));
        File.WriteAllText(Path.Combine(directory, "sca.json"),
            RulePackSamples.Edited("sca", p => p["rules"]![1]!["expression"] = "Order.Price > @Missing"));
        await using var platform = new PlatformFactory { Settings = { ["Rules:Directory"] = directory } };

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => platform.ClientForAsync("compliance1"));
        var message = failure.ToString();
        Assert.Contains("sca.json: pack 'sca' rule 'SCA.PRICE_UPPER' at rules[1].expression", message, StringComparison.Ordinal);
        Assert.Contains("unknown parameter reference '@Missing'", message, StringComparison.Ordinal);
    }

    private static async Task<List<TradSys.Web.Persistence.Entities.AuditRecord>> AuditAsync(PlatformFactory platform, string action, string actor)
    {
        var records = new List<TradSys.Web.Persistence.Entities.AuditRecord>();
        await platform.WithDbAsync(db =>
        {
            records.AddRange(db.AuditLog.Where(a => a.Action == action && a.Actor == actor).OrderBy(a => a.Id).ToList());
            return Task.CompletedTask;
        });
        return records;
    }
}
