using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using TradSys.Web.RulePacks;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.RulePacks;

/// <summary>
/// The author's replay beside a submitted change (GET /api/v1/rulepacks/changes/{instanceId}/replays): matched on the
/// content's hash, never on time, so a replay of another draft is never shown as the change's; the approver's own replay
/// of the change's content; refusals and roles.
/// </summary>
public sealed class RulePackChangeReplayTests(ReplayPlatform platform) : IClassFixture<ReplayPlatform>
{
    [Fact]
    public void The_content_hash_ignores_whitespace_escaping_and_the_version_and_sees_every_other_change()
    {
        var draft = ReplaySamples.SecWithCollarLowPct("1.0.0", 1);
        var hash = RulePackStore.ContentSha256Of(draft);
        Assert.NotNull(hash);
        // The editor re-indents the text and writes the version only at submit.
        Assert.Equal(hash, RulePackStore.ContentSha256Of(JsonNode.Parse(draft)!.ToJsonString()));
        Assert.Equal(hash, RulePackStore.ContentSha256Of(ReplaySamples.SecWithCollarLowPct("1.1.0", 1)));
        Assert.Equal(hash, RulePackStore.ContentSha256Of(draft.Replace("Collar", "Coll\\u0061r", StringComparison.Ordinal)));
        // Any value, key or order: another content.
        Assert.NotEqual(hash, RulePackStore.ContentSha256Of(ReplaySamples.SecWithCollarLowPct("1.0.0", 2)));
        Assert.NotEqual(hash, RulePackStore.ContentSha256Of(RulePackSamples.Edited("sec", p => p["parameters"]!["CollarLowPct"]!["value"] = 1.0m)));
        Assert.NotEqual(hash, RulePackStore.ContentSha256Of(RulePackSamples.Edited("sec", p =>
        {
            p["parameters"]!["CollarLowPct"]!["value"] = 1;
            var rules = p["rules"]!.AsArray();
            var first = rules[0]!;
            rules.RemoveAt(0);
            rules.Add(first);
        })));
        Assert.Null(RulePackStore.ContentSha256Of("{ \"id\": "));
    }

    [Fact]
    public async Task The_approver_sees_the_authors_replay_of_exactly_the_submitted_content_with_how_outcomes_move_and_never_another_drafts()
    {
        var trader2 = await platform.ClientForAsync("trader2");
        var compliance1 = await platform.ClientForAsync("compliance1");
        var compliance2 = await platform.ClientForAsync("compliance2");
        // FAB.INT's reference price is 15.50; the shipped SEC collar for prices up to 25 is 10%, the draft's 1%: 15.80 and 15.00 break it.
        var from = DateTime.UtcNow.AddMilliseconds(-1);
        foreach (var price in new[] { 15.50m, 15.80m, 15.40m, 15.00m })
        {
            Assert.Equal("Accepted", (await trader2.SubmitAsync(2003, "FAB.INT", "Buy", price, 10)).Expect(HttpStatusCode.Created).Str("status"));
        }
        var to = DateTime.UtcNow.AddSeconds(1);
        // The author replays the draft at the current version's number (the editor's text before Submit), and another draft too.
        var (authorsRun, _) = await ReplaySamples.RunAsync(compliance1,
            ReplaySamples.Request(JsonValue.Create(ReplaySamples.SecWithCollarLowPct("1.0.0", 1)), from, to, 2003, "FAB.INT"));
        var (otherRun, _) = await ReplaySamples.RunAsync(compliance1,
            ReplaySamples.Request(JsonValue.Create(ReplaySamples.SecWithCollarLowPct("1.0.0", 2)), from, to, 2003, "FAB.INT"));
        Assert.Equal(2, authorsRun["changed"]!.GetValue<int>());
        Assert.NotEqual(authorsRun["contentSha256"]!.GetValue<string>(), otherRun["contentSha256"]!.GetValue<string>());

        // Submitted as the editor submits: the version written in and the text re-indented.
        var submittedJson = JsonNode.Parse(ReplaySamples.SecWithCollarLowPct("1.4.0", 1))!.ToJsonString();
        var submitted = (await compliance1.PostRawAsync("/api/v1/rulepacks/sec/publish", submittedJson)).Expect(HttpStatusCode.Accepted);
        var instance = submitted.Str("instanceId");

        var reply = (await compliance2.GetAsync($"/api/v1/rulepacks/changes/{instance}/replays")).Expect(HttpStatusCode.OK).Json;

        Assert.Equal("sec", reply["packId"]!.GetValue<string>());
        Assert.Equal("1.4.0", reply["version"]!.GetValue<string>());
        Assert.Equal("compliance1", reply["maker"]!.GetValue<string>());
        Assert.Equal(RulePackStore.ContentSha256Of(submittedJson), reply["contentSha256"]!.GetValue<string>());
        var replay = Assert.Single(reply["replays"]!.AsArray())!;
        Assert.True(replay["byAuthor"]!.GetValue<bool>());
        var run = replay["run"]!;
        Assert.Equal(authorsRun["id"]!.GetValue<string>(), run["id"]!.GetValue<string>());
        Assert.Equal("Completed", run["status"]!.GetValue<string>());
        Assert.Equal(authorsRun["from"]!.GetValue<DateTime>(), run["from"]!.GetValue<DateTime>());
        Assert.Equal(authorsRun["to"]!.GetValue<DateTime>(), run["to"]!.GetValue<DateTime>());
        Assert.Equal(4, run["total"]!.GetValue<int>());
        Assert.Equal(2, run["changed"]!.GetValue<int>());
        Assert.Equal(2, run["unchanged"]!.GetValue<int>());
        var changes = await ReplaySamples.ChangesAsync(compliance2, run["id"]!.GetValue<string>());
        var effect = Assert.Single(replay["effects"]!.AsArray())!;
        Assert.Equal(changes[0]["baselineOutcome"]!.GetValue<string>(), effect["baseline"]!.GetValue<string>());
        Assert.Equal("Block", effect["draft"]!.GetValue<string>());
        Assert.Equal(["SEC.PRICE_COLLAR"], effect["newlyFired"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Empty(effect["noLongerFired"]!.AsArray());
        Assert.Equal(2, effect["count"]!.GetValue<int>());
        var transition = Assert.Single(run["transitions"]!.AsArray())!;
        Assert.Equal(2, transition["count"]!.GetValue<int>());

        // A second change with other content: nobody replayed it, and the first change's run is not offered as its.
        var second = (await compliance1.PostRawAsync("/api/v1/rulepacks/sec/publish", ReplaySamples.SecWithCollarLowPct("1.5.0", 5))).Expect(HttpStatusCode.Accepted);
        var none = (await compliance2.GetAsync($"/api/v1/rulepacks/changes/{second.Str("instanceId")}/replays")).Expect(HttpStatusCode.OK).Json;
        Assert.Empty(none["replays"]!.AsArray());

        // The approver replays it themselves: the change's own content, so it is listed as this change's, not the author's.
        var started = (await compliance2.PostJsonAsync($"/api/v1/rulepacks/changes/{second.Str("instanceId")}/replays",
            new { from = from.ToString("O"), to = to.ToString("O"), accountId = 2003, symbol = "FAB.INT" })).Expect(HttpStatusCode.Accepted);
        var (approversRun, _) = await ReplaySamples.WaitAsync(compliance2, started.Location!.OriginalString);
        Assert.Equal("Completed", approversRun["status"]!.GetValue<string>());
        Assert.Equal("1.5.0", approversRun["draftVersion"]!.GetValue<string>());
        Assert.Equal("compliance2", approversRun["requestedBy"]!.GetValue<string>());
        var now = (await compliance2.GetAsync($"/api/v1/rulepacks/changes/{second.Str("instanceId")}/replays")).Expect(HttpStatusCode.OK).Json;
        var theirs = Assert.Single(now["replays"]!.AsArray())!;
        Assert.False(theirs["byAuthor"]!.GetValue<bool>());
        Assert.Equal(approversRun["id"]!.GetValue<string>(), theirs["run"]!["id"]!.GetValue<string>());
        // The first change still shows only its author's run.
        Assert.Single((await compliance2.GetAsync($"/api/v1/rulepacks/changes/{instance}/replays")).Expect(HttpStatusCode.OK).Json["replays"]!.AsArray());
    }

    public static TheoryData<string, string, string> BadStarts => new()
    {
        { "from missing", "from", "is required" },
        { "from after to", "to", "must be after from" },
        { "unknown account", "accountId", "no account 9999" },
        { "unknown symbol", "symbol", "no instrument 'NOPE'" },
        { "bad time", "$.to", "" },
    };

    [Theory]
    [MemberData(nameof(BadStarts))]
    public async Task A_bad_replay_of_a_change_is_refused_naming_the_field_and_nothing_is_stored(string kind, string field, string message)
    {
        var compliance1 = await platform.ClientForAsync("compliance1");
        var compliance2 = await platform.ClientForAsync("compliance2");
        var submitted = (await compliance1.PostRawAsync("/api/v1/rulepacks/sec/publish", ReplaySamples.SecWithCollarLowPct($"2.{kind.Length}.{field.Length}", 7)))
            .Expect(HttpStatusCode.Accepted);
        var now = DateTime.UtcNow;
        var body = kind switch
        {
            "from missing" => "{\"to\": \"" + now.ToString("O") + "\"}",
            "from after to" => "{\"from\": \"" + now.ToString("O") + "\", \"to\": \"" + now.AddHours(-1).ToString("O") + "\"}",
            "unknown account" => "{\"from\": \"" + now.AddHours(-1).ToString("O") + "\", \"to\": \"" + now.ToString("O") + "\", \"accountId\": 9999}",
            "unknown symbol" => "{\"from\": \"" + now.AddHours(-1).ToString("O") + "\", \"to\": \"" + now.ToString("O") + "\", \"symbol\": \"NOPE\"}",
            _ => "{\"from\": \"" + now.AddHours(-1).ToString("O") + "\", \"to\": \"tomorrow\"}",
        };
        var before = await RunsAsync();

        var reply = (await compliance2.PostRawAsync($"/api/v1/rulepacks/changes/{submitted.Str("instanceId")}/replays", body)).Expect(HttpStatusCode.BadRequest);

        var errors = reply.Errors(field);
        Assert.NotEmpty(errors);
        Assert.Contains(message, errors[0], StringComparison.Ordinal);
        Assert.Equal(before, await RunsAsync());
    }

    [Fact]
    public async Task An_unknown_change_is_404_and_only_compliance_reads_or_replays_a_change()
    {
        var compliance = await platform.ClientForAsync("compliance2");
        var unknown = Guid.NewGuid();
        Assert.Contains($"no rule-pack change '{unknown}'", (await compliance.GetAsync($"/api/v1/rulepacks/changes/{unknown}/replays"))
            .Expect(HttpStatusCode.NotFound).Body, StringComparison.Ordinal);
        var before = await RunsAsync();
        (await compliance.PostJsonAsync($"/api/v1/rulepacks/changes/{unknown}/replays",
            new { from = DateTime.UtcNow.AddHours(-1).ToString("O"), to = DateTime.UtcNow.ToString("O") })).Expect(HttpStatusCode.NotFound);

        var submitted = (await (await platform.ClientForAsync("compliance1")).PostRawAsync("/api/v1/rulepacks/sec/publish",
            ReplaySamples.SecWithCollarLowPct("3.0.0", 3))).Expect(HttpStatusCode.Accepted);
        var path = $"/api/v1/rulepacks/changes/{submitted.Str("instanceId")}/replays";
        foreach (var user in new[] { "trader1", "viewer1", "regulator1", "admin" })
        {
            var client = await platform.ClientForAsync(user);
            (await client.GetAsync(path)).Expect(HttpStatusCode.Forbidden);
            (await client.PostJsonAsync(path, new { from = DateTime.UtcNow.AddHours(-1).ToString("O"), to = DateTime.UtcNow.ToString("O") }))
                .Expect(HttpStatusCode.Forbidden);
        }
        Assert.Equal(before, await RunsAsync());
    }

    private async Task<int> RunsAsync()
    {
        var count = 0;
        await platform.WithDbAsync(async db => count = await db.RulePackReplays.CountAsync());
        return count;
    }
}
