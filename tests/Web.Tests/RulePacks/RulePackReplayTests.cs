using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TradSys.Rules.Evaluation;
using TradSys.Web.Ordering.Rules;
using TradSys.Web.Persistence.Entities;
using TradSys.Web.RulePacks;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.RulePacks;

/// <summary>The platform with replay pages of two orders, so that every run here spans several pages.</summary>
public sealed class ReplayPlatform : PlatformFactory
{
    public const int PageSize = 2;

    public ReplayPlatform()
    {
        Settings = new() { ["Rules:ReplayPageSize"] = PageSize.ToString(System.Globalization.CultureInfo.InvariantCulture) };
    }
}

/// <summary>
/// Replaying a draft over orders submitted through POST /api/v1/orders: which decisions would change and why, progress,
/// skipped orders, retries, and every refusal. The tests share one platform; each filters the orders it owns by account.
/// </summary>
public sealed class RulePackReplayTests(ReplayPlatform platform) : IClassFixture<ReplayPlatform>
{
    [Fact]
    public async Task A_draft_that_narrows_the_price_collar_changes_exactly_the_orders_beyond_it_with_the_collar_rule()
    {
        var trader2 = await platform.ClientForAsync("trader2");
        var compliance = await platform.ClientForAsync("compliance1");
        // Account 2003 is a US counterparty: the SEC pack applies. FAB.INT's reference price is 15.50; the shipped collar for
        // prices up to 25 is 10%, the draft's 1%: 15.80 (+1.9%) and 15.00 (-3.2%) break it, the others do not.
        var prices = new[] { 15.50m, 15.60m, 15.80m, 15.40m, 15.00m };
        var orders = new List<(long Id, decimal Price)>();
        var from = DateTime.UtcNow.AddMilliseconds(-1); // the time window isolates this test's orders from the other tests' ones
        for (var i = 0; i < prices.Length; i++)
        {
            var reply = (await trader2.SubmitAsync(2003, "FAB.INT", "Buy", prices[i], 10 * (i + 1))).Expect(HttpStatusCode.Created);
            Assert.Equal("Accepted", reply.Str("status"));
            orders.Add((reply.OrderId, prices[i]));
        }

        var (run, seen) = await ReplaySamples.RunAsync(compliance,
            ReplaySamples.Request(JsonValue.Create(ReplaySamples.SecWithCollarLowPct("1.1.0", 1)), from, DateTime.UtcNow.AddSeconds(1), 2003, "FAB.INT"));

        Assert.Equal("Completed", run["status"]!.GetValue<string>());
        Assert.Equal("sec", run["packId"]!.GetValue<string>());
        Assert.Equal("1.1.0", run["draftVersion"]!.GetValue<string>());
        Assert.Equal(prices.Length, run["total"]!.GetValue<int>());
        Assert.Equal(prices.Length, run["processed"]!.GetValue<int>());
        Assert.Equal(100, run["percent"]!.GetValue<int>());
        Assert.Equal(2, run["changed"]!.GetValue<int>());
        Assert.Equal(3, run["unchanged"]!.GetValue<int>());
        Assert.Equal(0, run["skipped"]!.GetValue<int>());
        Assert.Equal(0, run["baselineDiffersFromStored"]!.GetValue<int>());
        Assert.Equal(seen.Order(), seen);
        var transition = Assert.Single(run["transitions"]!.AsArray())!;
        Assert.Equal("Block", transition["draft"]!.GetValue<string>());
        Assert.Equal(2, transition["count"]!.GetValue<int>());

        var changes = await ReplaySamples.ChangesAsync(compliance, run["id"]!.GetValue<string>(), pageSize: 1);
        Assert.Equal(orders.Where(o => o.Price is 15.80m or 15.00m).Select(o => o.Id), changes.Select(c => c["orderId"]!.GetValue<long>()));
        foreach (var change in changes)
        {
            var order = orders.Single(o => o.Id == change["orderId"]!.GetValue<long>());
            Assert.Equal(2003, change["accountId"]!.GetValue<long>());
            Assert.Equal("FAB.INT", change["symbol"]!.GetValue<string>());
            Assert.Equal("Buy", change["side"]!.GetValue<string>());
            Assert.Equal(order.Price, change["price"]!.GetValue<decimal>());
            Assert.Equal(change["storedOutcome"]!.GetValue<string>(), change["baselineOutcome"]!.GetValue<string>());
            Assert.NotEqual("Block", change["baselineOutcome"]!.GetValue<string>());
            Assert.Equal("Block", change["draftOutcome"]!.GetValue<string>());
            var fired = Assert.Single(change["newlyFired"]!.AsArray())!;
            Assert.Equal("sec", fired["packId"]!.GetValue<string>());
            Assert.Equal("1.1.0", fired["packVersion"]!.GetValue<string>());
            Assert.Equal("SEC.PRICE_COLLAR", fired["ruleId"]!.GetValue<string>());
            Assert.Equal("Block", fired["outcome"]!.GetValue<string>());
            Assert.False(string.IsNullOrWhiteSpace(fired["reasonCode"]!.GetValue<string>()));
            Assert.False(string.IsNullOrWhiteSpace(fired["message"]!.GetValue<string>()));
            Assert.Empty(change["noLongerFired"]!.AsArray());
        }

        // The published set is untouched: SEC is still the shipped version and the same orders still pass it.
        var sec = (await compliance.GetAsync("/api/v1/rulepacks/sec")).Expect(HttpStatusCode.OK);
        Assert.Equal(RulePackSamples.ShippedVersion("sec"), sec.Str("version"));
        var again = (await trader2.SubmitAsync(2003, "FAB.INT", "Buy", 15.00m, 70)).Expect(HttpStatusCode.Created);
        Assert.Equal("Accepted", again.Str("status"));
    }

    [Fact]
    public async Task A_draft_that_changes_nothing_reports_no_change_and_processes_every_order_over_several_pages()
    {
        var trader1 = await platform.ClientForAsync("trader1");
        var compliance = await platform.ClientForAsync("compliance1");
        for (var i = 1; i <= 5; i++)
        {
            (await trader1.SubmitAsync(1002, "COMI.INT", "Buy", 79m + i / 10m, 10 * i)).Expect(HttpStatusCode.Created);
        }

        var (run, seen) = await ReplaySamples.RunAsync(compliance,
            ReplaySamples.Request(JsonValue.Create(ReplaySamples.SecWithCollarLowPct("1.0.1", 10)), accountId: 1002));

        Assert.Equal("Completed", run["status"]!.GetValue<string>());
        var total = run["total"]!.GetValue<int>();
        Assert.True(total >= 5 && total > ReplayPlatform.PageSize, $"total {total}");
        Assert.Equal(total, run["processed"]!.GetValue<int>());
        Assert.Equal(total, run["unchanged"]!.GetValue<int>());
        Assert.Equal(0, run["changed"]!.GetValue<int>());
        Assert.Empty(run["transitions"]!.AsArray());
        Assert.Equal(seen.Order(), seen);
        Assert.Empty(await ReplaySamples.ChangesAsync(compliance, run["id"]!.GetValue<string>()));
        Assert.NotNull(run["startedAt"]);
        Assert.NotNull(run["finishedAt"]);

        // The run is listed and its start audited with who, the pack and the range.
        var list = (await compliance.GetAsync("/api/v1/rulepacks/replays?pageSize=100")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray();
        Assert.Contains(list, r => r!["id"]!.GetValue<string>() == run["id"]!.GetValue<string>());
        await platform.WithDbAsync(async db =>
        {
            var audits = await db.AuditLog.AsNoTracking().Where(a => a.Action == "rulepack.replay_started").ToListAsync();
            var record = Assert.Single(audits, a => a.Details.Contains(run["id"]!.GetValue<string>(), StringComparison.Ordinal));
            Assert.Equal("compliance1", record.Actor);
            Assert.Equal("rulepack/sec", record.Subject);
            var details = JsonNode.Parse(record.Details)!;
            Assert.Equal("1.0.1", details["version"]!.GetValue<string>());
            Assert.Equal(1002, details["accountId"]!.GetValue<long>());
            Assert.Equal(run["from"]!.GetValue<DateTime>(), details["from"]!.GetValue<DateTime>());
            Assert.Equal(run["to"]!.GetValue<DateTime>(), details["to"]!.GetValue<DateTime>());
        });
    }

    [Fact]
    public async Task Orders_without_a_stored_context_are_skipped_with_their_reason_never_counted_unchanged()
    {
        var trader1 = await platform.ClientForAsync("trader1");
        var compliance = await platform.ClientForAsync("compliance1");
        var ids = new List<long>();
        for (var i = 1; i <= 4; i++)
        {
            ids.Add((await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 78m + i / 10m, 10 * i)).Expect(HttpStatusCode.Created).OrderId);
        }
        await platform.WithDbAsync(async db =>
        {
            // As decided before contexts were stored, and as refused before the packs ran (e.g. no FX rate).
            var old = await db.RuleDecisions.SingleAsync(d => d.OrderId == ids[0]);
            old.ContextJson = null;
            var refused = await db.RuleDecisions.SingleAsync(d => d.OrderId == ids[1]);
            var record = StoredDecision.Refused("the order could not be evaluated by the rule packs: no FX rate for EGP", refused.DecidedAt).ToRecord(ids[1]);
            refused.Json = record.Json;
            refused.Outcome = record.Outcome;
            refused.ContextJson = null;
            await db.SaveChangesAsync();
        });
        // A new pack (an id not published yet) that warns on every order of 30 or more: added to the set, not replacing one.
        var added = RulePackSamples.Edited("sca", p =>
        {
            p["id"] = "replay-test";
            p["regime"] = "Test";
            p["version"] = "0.1.0";
            p["appliesTo"] = "true";
            var big = p["parameters"]!["UpperLimitPct"]!.DeepClone().AsObject();
            big["value"] = 30;
            p["parameters"] = new JsonObject { ["BigQuantity"] = big };
            var rule = p["rules"]![0]!.DeepClone().AsObject();
            rule["id"] = "TEST.BIG";
            rule["expression"] = "Order.Quantity >= @BigQuantity";
            rule["outcome"] = "Warn";
            rule["reasonCode"] = "TEST-0001";
            rule["message"] = "A big order.";
            p["rules"] = new JsonArray(rule);
        });

        var (run, _) = await ReplaySamples.RunAsync(compliance, ReplaySamples.Request(JsonNode.Parse(added), accountId: 1001, symbol: "comi.int"));

        Assert.Equal("Completed", run["status"]!.GetValue<string>());
        Assert.Equal("COMI.INT", run["symbol"]!.GetValue<string>());
        Assert.Equal(4, run["total"]!.GetValue<int>());
        Assert.Equal(4, run["processed"]!.GetValue<int>());
        Assert.Equal(2, run["skipped"]!.GetValue<int>());
        Assert.Equal(1, run["skippedNoContext"]!.GetValue<int>());
        Assert.Equal(1, run["skippedRefused"]!.GetValue<int>());
        Assert.Equal(2, run["changed"]!.GetValue<int>());
        Assert.Equal(0, run["unchanged"]!.GetValue<int>());
        var changes = await ReplaySamples.ChangesAsync(compliance, run["id"]!.GetValue<string>());
        Assert.Equal(ids.Skip(2), changes.Select(c => c["orderId"]!.GetValue<long>()));
        Assert.All(changes, c =>
        {
            Assert.Equal("TEST.BIG", Assert.Single(c!["newlyFired"]!.AsArray())!["ruleId"]!.GetValue<string>());
            Assert.Equal("Warn", c["draftOutcome"]!.GetValue<string>());
        });
    }

    [Fact]
    public async Task A_retried_run_continues_after_the_last_saved_page_without_duplicating_changes_and_a_completed_run_is_left_alone()
    {
        var trader2 = await platform.ClientForAsync("trader2");
        var compliance = await platform.ClientForAsync("compliance1");
        var from = DateTime.UtcNow.AddMilliseconds(-1);
        for (var i = 1; i <= 5; i++)
        {
            // COMI.INT's reference price is 80.00: all within the shipped 3% collar, all beyond the draft's 1%.
            var reply = (await trader2.SubmitAsync(2003, "COMI.INT", "Buy", 79m - i / 10m, 10 * i)).Expect(HttpStatusCode.Created);
            Assert.Equal("Accepted", reply.Str("status"));
        }
        var (run, _) = await ReplaySamples.RunAsync(compliance,
            ReplaySamples.Request(JsonValue.Create(ReplaySamples.SecWithCollarHighPct("1.2.0", 1)),
                from, DateTime.UtcNow.AddSeconds(1), 2003, "COMI.INT"));
        var id = Guid.Parse(run["id"]!.GetValue<string>());
        var first = await ReplaySamples.ChangesAsync(compliance, id.ToString());
        Assert.Equal(5, run["changed"]!.GetValue<int>());

        // As if the job died after its first page: a failed run whose cursor stands after two orders.
        await platform.WithDbAsync(async db =>
        {
            var stored = await db.RulePackReplays.SingleAsync(r => r.Id == id);
            var kept = await db.RulePackReplayChanges.Where(c => c.ReplayId == id).OrderBy(c => c.OrderId).Take(2).ToListAsync();
            var cursor = kept[^1].OrderId;
            await db.RulePackReplayChanges.Where(c => c.ReplayId == id && c.OrderId > cursor).ExecuteDeleteAsync();
            stored.Status = ReplayStatus.Failed;
            stored.Error = "simulated crash";
            stored.Cursor = cursor;
            stored.Processed = 2;
            stored.Changed = 2;
            stored.FinishedAt = null;
            await db.SaveChangesAsync();
        });
        await RunJobAsync(id);
        await RunJobAsync(id); // twice: the second sees it completed and does nothing

        var after = (await compliance.GetAsync($"/api/v1/rulepacks/replays/{id}")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("Completed", after["status"]!.GetValue<string>());
        Assert.Null(after["error"]);
        Assert.Equal(5, after["total"]!.GetValue<int>());
        Assert.Equal(5, after["processed"]!.GetValue<int>());
        Assert.Equal(5, after["changed"]!.GetValue<int>());
        var again = await ReplaySamples.ChangesAsync(compliance, id.ToString());
        Assert.Equal(first.Select(c => c.ToJsonString()), again.Select(c => c.ToJsonString()));
    }

    [Fact]
    public async Task A_stored_context_re_evaluated_with_the_published_set_reproduces_the_stored_decision_exactly()
    {
        var trader1 = await platform.ClientForAsync("trader1");
        var trader2 = await platform.ClientForAsync("trader2");
        var ids = new[]
        {
            (await trader2.SubmitAsync(2002, "COMI.INT", "Buy", 80m, 10)).Expect(HttpStatusCode.Created).OrderId, // FATCA block
            (await trader1.SubmitAsync(1003, "COMI.INT", "Buy", 80m, 10)).Expect(HttpStatusCode.Created).OrderId, // Sharia block with inputs
            (await trader1.SubmitAsync(1004, "FWRY.CW", "Buy", 1.50m, 10)).Expect(HttpStatusCode.Created).OrderId, // MiFID complex product
            (await trader2.SubmitAsync(2003, "FAB.INT", "Sell", 16.50m, 10, extra: new Dictionary<string, object?>
                { ["shortMarking"] = "Short", ["locateId"] = "LOC-1" })).Expect(HttpStatusCode.Created).OrderId, // SEC short sale
        };
        var published = platform.Services.GetRequiredService<RuleEvaluator>();
        await platform.WithDbAsync(async db =>
        {
            foreach (var id in ids)
            {
                var record = await db.RuleDecisions.AsNoTracking().SingleAsync(d => d.OrderId == id);
                // Stored in parts: the order's own views, and the account's and instrument's snapshots they share with other orders.
                Assert.NotNull(record.ContextJson);
                Assert.NotNull(record.AccountSnapshotId);
                Assert.NotNull(record.InstrumentSnapshotId);
                var json = (await StoredContext.ReadAsync(db, [record], CancellationToken.None))[id];
                var context = OrderContextJson.Deserialize(json);
                Assert.Equal(json, OrderContextJson.Serialize(context));
                var decision = new RuleDecision();
                published.Evaluate(context, decision);
                var replayed = StoredDecision.From(decision.Explain(context), record.DecidedAt).ToRecord(id);
                Assert.Equal(record.Json, replayed.Json);
                Assert.Equal(record.Outcome, replayed.Outcome);
                Assert.Equal(record.ReasonCodes, replayed.ReasonCodes);
            }
        });
        // The snapshot is what the dry-run endpoint reads: the same decision comes back from it.
        await platform.WithDbAsync(async db =>
        {
            var record = await db.RuleDecisions.AsNoTracking().SingleAsync(d => d.OrderId == ids[1]);
            var json = (await StoredContext.ReadAsync(db, [record], CancellationToken.None))[ids[1]];
            var compliance = await platform.ClientForAsync("compliance1");
            var dry = (await compliance.PostRawAsync("/api/v1/rulepacks/dry-run", $"{{\"order\": {json}}}")).Expect(HttpStatusCode.OK).Json;
            Assert.Equal(record.Outcome, dry["outcome"]!.GetValue<string>());
        });
    }

    public static TheoryData<string, string, string> BadRequests => new()
    {
        { "no pack", "pack", "is required" },
        { "from after to", "to", "must be after from" },
        { "from missing", "from", "is required" },
        { "span too long", "to", "at most 93 days" },
        { "unknown account", "accountId", "no account 9999" },
        { "unknown symbol", "symbol", "no instrument 'NOPE'" },
        { "bad time", "$.from", "" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task A_bad_request_is_refused_naming_the_field_and_nothing_is_stored_or_started(string kind, string field, string message)
    {
        var compliance = await platform.ClientForAsync("compliance1");
        var draft = JsonValue.Create(ReplaySamples.SecWithCollarLowPct("1.3.0", 1));
        var now = DateTime.UtcNow;
        var body = kind switch
        {
            "no pack" => ReplaySamples.Request(null),
            "from after to" => ReplaySamples.Request(draft, now, now.AddHours(-1)),
            "from missing" => "{\"pack\": " + draft.ToJsonString() + ", \"to\": \"2026-11-02T00:00:00Z\"}",
            "span too long" => ReplaySamples.Request(draft, now.AddDays(-94), now),
            "unknown account" => ReplaySamples.Request(draft, accountId: 9999),
            "unknown symbol" => ReplaySamples.Request(draft, symbol: "NOPE"),
            _ => "{\"pack\": " + draft.ToJsonString() + ", \"from\": \"last tuesday\", \"to\": \"2026-11-02T00:00:00Z\"}",
        };
        var before = await CountsAsync();

        var reply = (await compliance.PostRawAsync("/api/v1/rulepacks/replays", body)).Expect(HttpStatusCode.BadRequest);

        var errors = reply.Errors(field);
        Assert.NotEmpty(errors);
        Assert.Contains(message, errors[0], StringComparison.Ordinal);
        Assert.Equal(before, await CountsAsync());
    }

    [Theory]
    [InlineData("malformed")]
    [InlineData("sandbox")]
    public async Task A_bad_draft_gets_the_same_problem_as_validate_and_nothing_is_stored_or_started(string kind)
    {
        var compliance = await platform.ClientForAsync("compliance1");
        var draft = kind == "malformed"
            ? RulePackSamples.FileText("sec").Replace($"\"version\": \"{RulePackSamples.ShippedVersion("sec")}\",", "\"version\": \"1.4.0\"", StringComparison.Ordinal)
            : RulePackSamples.Edited("sec", p => { p["version"] = "1.4.0"; p["rules"]![0]!["expression"] = "\"\".GetType().Assembly != null"; });
        var before = await CountsAsync();

        // Even with a bad range too: the draft is checked first.
        var reply = (await compliance.PostRawAsync("/api/v1/rulepacks/replays", ReplaySamples.Request(JsonValue.Create(draft), DateTime.UtcNow, DateTime.UtcNow.AddDays(-1))))
            .Expect(HttpStatusCode.BadRequest);
        var validate = (await compliance.PostRawAsync("/api/v1/rulepacks/validate", draft)).Expect(HttpStatusCode.BadRequest);

        Assert.Equal("The rule pack is not valid", reply.Str("title"));
        Assert.Equal(validate.Json["errors"]!.ToJsonString(), reply.Json["errors"]!.ToJsonString());
        Assert.Equal(validate.Str("detail"), reply.Str("detail"));
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task An_unknown_run_is_404_for_its_status_and_its_changes()
    {
        var regulator = await platform.ClientForAsync("regulator1");
        foreach (var id in new[] { Guid.NewGuid().ToString(), "not-a-run" })
        {
            var status = (await regulator.GetAsync($"/api/v1/rulepacks/replays/{id}")).Expect(HttpStatusCode.NotFound);
            Assert.Contains($"no replay run '{id}'", status.Str("detail"), StringComparison.Ordinal);
            (await regulator.GetAsync($"/api/v1/rulepacks/replays/{id}/changes")).Expect(HttpStatusCode.NotFound);
        }
        var badPage = (await regulator.GetAsync("/api/v1/rulepacks/replays?pageSize=0")).Expect(HttpStatusCode.BadRequest);
        Assert.NotEmpty(badPage.Errors("pageSize"));
    }

    [Theory]
    [InlineData("trader1", false)]
    [InlineData("viewer1", false)]
    [InlineData("regulator1", true)]
    [InlineData("admin", true)]
    public async Task Only_compliance_starts_a_run_and_traders_and_viewers_read_none(string clientId, bool reads)
    {
        var client = await platform.ClientForAsync(clientId);
        var before = await CountsAsync();
        (await client.PostRawAsync("/api/v1/rulepacks/replays", ReplaySamples.Request(JsonValue.Create(ReplaySamples.SecWithCollarLowPct("1.5.0", 1)))))
            .Expect(HttpStatusCode.Forbidden);
        Assert.Equal(before, await CountsAsync());
        var expected = reads ? HttpStatusCode.OK : HttpStatusCode.Forbidden;
        (await client.GetAsync("/api/v1/rulepacks/replays")).Expect(expected);
        (await client.GetAsync($"/api/v1/rulepacks/replays/{Guid.NewGuid()}")).Expect(reads ? HttpStatusCode.NotFound : HttpStatusCode.Forbidden);
    }

    private async Task RunJobAsync(Guid id)
    {
        await using var scope = platform.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<RulePackReplayJob>().RunAsync(id, CancellationToken.None);
    }

    private async Task<(int Runs, int Audit)> CountsAsync()
    {
        var counts = (0, 0);
        await platform.WithDbAsync(async db => counts = (await db.RulePackReplays.CountAsync(), await db.AuditLog.CountAsync()));
        return counts;
    }
}

/// <summary>A run answered 202 survives a restart of the embedded mode, whose in-memory job storage forgets its jobs.</summary>
public sealed class RulePackReplayRestartTests
{
    [Fact]
    public async Task A_run_whose_job_was_lost_with_the_process_is_resumed_after_a_restart()
    {
        string path;
        var id = Guid.NewGuid();
        long beyond;
        await using (var before = new PlatformFactory())
        {
            path = before.DatabasePath;
            var trader2 = await before.ClientForAsync("trader2");
            (await trader2.SubmitAsync(2003, "FAB.INT", "Buy", 15.50m, 10)).Expect(HttpStatusCode.Created);
            beyond = (await trader2.SubmitAsync(2003, "FAB.INT", "Buy", 15.00m, 20)).Expect(HttpStatusCode.Created).OrderId;
            // Stored and acknowledged, but its job lived only in the in-memory storage of the process that is now going away.
            await before.WithDbAsync(async db =>
            {
                db.RulePackReplays.Add(new RulePackReplay
                {
                    Id = id, PackId = "sec", DraftVersion = "1.1.0", DraftJson = ReplaySamples.SecWithCollarLowPct("1.1.0", 1),
                    From = DateTime.UtcNow.AddHours(-1), To = DateTime.UtcNow.AddHours(1), RequestedBy = "compliance1",
                    RequestedAt = DateTime.UtcNow, Status = ReplayStatus.Queued,
                });
                await db.SaveChangesAsync();
            });
        }

        await using var after = new PlatformFactory { DatabasePath = path };
        var compliance = await after.ClientForAsync("compliance1");
        var (run, _) = await ReplaySamples.WaitAsync(compliance, $"/api/v1/rulepacks/replays/{id}");

        Assert.Equal("Completed", run["status"]!.GetValue<string>());
        Assert.Equal(2, run["processed"]!.GetValue<int>());
        var change = Assert.Single(await ReplaySamples.ChangesAsync(compliance, id.ToString()));
        Assert.Equal(beyond, change["orderId"]!.GetValue<long>());
    }
}
