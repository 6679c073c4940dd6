using System.Net;
using System.Text.Json.Nodes;
using TradSys.Web.Ordering;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Ordering.Rules;

/// <summary>What the rules stage does to orders: block, hold, tag, warn; stored decisions; aggregates under concurrency and restart.</summary>
public sealed class RulesStageTests
{
    private static Dictionary<string, object?> Extra(params (string Key, object? Value)[] fields) => fields.ToDictionary(f => f.Key, f => f.Value);

    [Fact]
    public async Task A_blocked_order_is_rejected_with_the_rules_reasons_and_never_reaches_the_book()
    {
        await using var platform = new PlatformFactory();
        var trader2 = await platform.ClientForAsync("trader2");
        // 2002 has US indicia (a US phone number) and neither a W-9 nor a W-8BEN.
        var reply = (await trader2.SubmitAsync(2002, "COMI.INT", "Buy", 80m, 10)).Expect(HttpStatusCode.Created);
        Assert.Equal("Rejected", reply.Str("status"));
        Assert.Equal(4001, reply.Long("rejectCode"));
        Assert.Contains("FATCA.INDICIA_UNCURED", reply.Str("rejectReason"), StringComparison.Ordinal);
        var decision = reply.Json["decision"]!;
        Assert.Equal("Block", decision["outcome"]!.GetValue<string>());
        var reason = decision["reasons"]!.AsArray().Single(r => r!["rule"]!.GetValue<string>() == "FATCA.INDICIA_UNCURED")!;
        Assert.Equal("fatca", reason["pack"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(reason["version"]!.GetValue<string>()));
        Assert.False(string.IsNullOrEmpty(reason["article"]!.GetValue<string>()));
        var explained = decision["explanation"]!.AsArray().Single(r => r!["ruleId"]!.GetValue<string>() == "FATCA.INDICIA_UNCURED")!;
        Assert.Equal("UsPhone", explained["inputs"]!["Account.UsIndicia"]!.GetValue<string>());

        Assert.Empty((await trader2.GetAsync("/api/v1/instruments/COMI.INT/depth")).Json["bids"]!.AsArray());
        var events = (await trader2.GetAsync($"/api/v1/orders/{reply.OrderId}/events")).Expect(HttpStatusCode.OK).Json.AsArray();
        var rejected = Assert.Single(events)!;
        Assert.Equal("Rejected", rejected["kind"]!.GetValue<string>());
        Assert.Equal(4001, rejected["reasonCode"]!.GetValue<int>());
        Assert.Contains("FATCA", rejected["reason"]!.GetValue<string>(), StringComparison.Ordinal);

        var got = (await trader2.GetAsync($"/api/v1/orders/{reply.OrderId}")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(decision.ToJsonString(), got["decision"]!.ToJsonString());
        var listed = (await trader2.GetAsync("/api/v1/orders?accountId=2002")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray().Single()!;
        Assert.Equal("Block", listed["ruleOutcome"]!.GetValue<string>());
        Assert.Null(listed["decision"]);
    }

    [Fact]
    public async Task A_resend_returns_the_stored_decision()
    {
        await using var platform = new PlatformFactory();
        var trader2 = await platform.ClientForAsync("trader2");
        var first = (await trader2.SubmitAsync(2002, "COMI.INT", "Buy", 80m, 10, clientOrderId: "blocked-1")).Expect(HttpStatusCode.Created);
        var again = (await trader2.SubmitAsync(2002, "COMI.INT", "Buy", 80m, 10, clientOrderId: "blocked-1")).Expect(HttpStatusCode.OK);
        Assert.Equal(first.OrderId, again.OrderId);
        Assert.Equal(first.Json["decision"]!.ToJsonString(), again.Json["decision"]!.ToJsonString());
        Assert.Equal(1, (await platform.CountRowsAsync()).Orders);
    }

    [Fact]
    public async Task A_held_order_is_pending_review_outside_the_book_and_the_trader_can_cancel_it()
    {
        await using var platform = new PlatformFactory();
        platform.Clock.Fixed = RuleCaseRun.MarketTime;
        var trader1 = await platform.ClientForAsync("trader1");
        var trader2 = await platform.ClientForAsync("trader2");
        // Above AED 30m on ADX: SCA large-trade approval.
        var held = (await trader1.SubmitAsync(1001, "FAB", "Buy", 15.50m, 2_000_000)).Expect(HttpStatusCode.Created);
        Assert.Equal("PendingReview", held.Str("status"));
        Assert.Equal("Review", held.Json["decision"]!["outcome"]!.GetValue<string>());
        Assert.Contains(held.Json["decision"]!["reasons"]!.AsArray(), r => r!["rule"]!.GetValue<string>() == "SCA.LARGE_TRADE");
        Assert.Empty((await trader1.GetAsync("/api/v1/instruments/FAB/depth")).Json["bids"]!.AsArray());

        // A sell at its price finds nothing to trade with: the engine never saw the held order.
        var sell = (await trader2.SubmitAsync(2001, "FAB", "Sell", 15.50m, 100, extra: RuleCaseRun.Long)).Expect(HttpStatusCode.Created);
        Assert.Equal("Accepted", sell.Str("status"));

        var canceled = (await trader1.DeleteAsync($"/api/v1/orders/{held.OrderId}")).Expect(HttpStatusCode.OK);
        Assert.Equal("Canceled", canceled.Str("status"));
        Assert.Equal(0, canceled.Long("leavesQuantity"));
        var kinds = (await trader1.GetAsync($"/api/v1/orders/{held.OrderId}/events")).Json.AsArray().Select(e => e!["kind"]!.GetValue<string>());
        Assert.Equal(["HeldForReview", "Canceled"], kinds);
        (await trader1.DeleteAsync($"/api/v1/orders/{held.OrderId}")).Expect(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task The_workflow_seam_releases_a_held_order_to_the_engine_or_rejects_it()
    {
        await using var platform = new PlatformFactory();
        platform.Clock.Fixed = RuleCaseRun.MarketTime;
        var trader1 = await platform.ClientForAsync("trader1");
        var first = (await trader1.SubmitAsync(1001, "FAB", "Buy", 15.50m, 2_000_000)).Expect(HttpStatusCode.Created).OrderId;
        var second = (await trader1.SubmitAsync(1001, "FAB", "Buy", 15.48m, 2_000_000)).Expect(HttpStatusCode.Created).OrderId;

        var released = await platform.SendAsync(new ReleaseHeldOrderCommand("compliance1", first, "large trade approved"));
        Assert.Equal(SequencerOutcome.Released, released.Outcome);
        Assert.Equal("Accepted", (await trader1.GetAsync($"/api/v1/orders/{first}")).Str("status"));
        var bid = (await trader1.GetAsync("/api/v1/instruments/FAB/depth")).Json["bids"]!.AsArray().Single()!;
        Assert.Equal(2_000_000, bid["quantity"]!.GetValue<long>());

        var rejected = await platform.SendAsync(new RejectHeldOrderCommand("compliance1", second, "not approved"));
        Assert.Equal(SequencerOutcome.RejectedInReview, rejected.Outcome);
        var order = (await trader1.GetAsync($"/api/v1/orders/{second}")).Json;
        Assert.Equal("Rejected", order["status"]!.GetValue<string>());
        Assert.Equal(4003, order["rejectCode"]!.GetValue<int>());
        Assert.Equal("rejected in compliance review by compliance1: not approved", order["rejectReason"]!.GetValue<string>());
        var kinds = (await trader1.GetAsync($"/api/v1/orders/{first}/events")).Json.AsArray().Select(e => e!["kind"]!.GetValue<string>());
        Assert.Equal(["HeldForReview", "Released", "Accepted"], kinds);
    }

    [Fact]
    public async Task A_held_day_order_expires_with_its_trading_day()
    {
        await using var platform = new PlatformFactory();
        platform.Clock.Fixed = RuleCaseRun.MarketTime;
        var trader1 = await platform.ClientForAsync("trader1");
        var held = (await trader1.SubmitAsync(1001, "FAB", "Buy", 15.50m, 2_000_000)).Expect(HttpStatusCode.Created).OrderId;

        platform.Clock.Fixed = RuleCaseRun.MarketTime.AddHours(3); // 16:00 in Abu Dhabi: ADX is closed
        var result = await platform.SendAsync(new ExpireDayOrdersCommand("system"));
        Assert.Equal(1, result.Count);
        var order = (await trader1.GetAsync($"/api/v1/orders/{held}")).Json;
        Assert.Equal("Canceled", order["status"]!.GetValue<string>());
        var last = (await trader1.GetAsync($"/api/v1/orders/{held}/events")).Json.AsArray().Last()!;
        Assert.Contains("expired while held for review", last["reason"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_tags_and_warnings_let_the_order_go_on()
    {
        await using var platform = new PlatformFactory();
        platform.Clock.Fixed = RuleCaseRun.MarketTime;
        var trader1 = await platform.ClientForAsync("trader1");
        // 1003 is Sharia-only: Telecom Egypt passes the AAOIFI screens, but 2% of its revenue is non-permissible.
        var warned = (await trader1.SubmitAsync(1003, "ETEL", "Buy", 38m, 10)).Expect(HttpStatusCode.Created);
        Assert.Equal("Accepted", warned.Str("status"));
        Assert.Equal("Warn", warned.Str("ruleOutcome"));
        Assert.Contains(warned.Json["decision"]!["warnings"]!.AsArray(), w => w!["rule"]!.GetValue<string>() == "SHARIA.PURIFICATION");
        Assert.Single((await trader1.GetAsync("/api/v1/instruments/ETEL/depth")).Json["bids"]!.AsArray());

        // The same account buying a conventional bank is blocked by the excluded-sector screen.
        var blocked = (await trader1.SubmitAsync(1003, "COMI", "Buy", 80m, 10)).Expect(HttpStatusCode.Created);
        Assert.Equal("Rejected", blocked.Str("status"));
        Assert.Contains(blocked.Json["decision"]!["reasons"]!.AsArray(), r => r!["rule"]!.GetValue<string>() == "SHARIA.EXCLUDED_SECTOR");
    }

    [Fact]
    public async Task A_pack_published_through_the_api_decides_the_next_order_without_a_restart()
    {
        await using var platform = new PlatformFactory();
        platform.Clock.Fixed = RuleCaseRun.MarketTime;
        var trader1 = await platform.ClientForAsync("trader1");
        var before = (await trader1.SubmitAsync(1001, "FAB", "Buy", 17.10m, 10)).Expect(HttpStatusCode.Created);
        Assert.Equal("Accepted", before.Str("status"));

        await MakerChecker.PublishAsync(platform, "sca", RulePackSamples.ScaWithUpperLimit("1.1.0", 10));

        var after = (await trader1.SubmitAsync(1001, "FAB", "Buy", 17.10m, 10)).Expect(HttpStatusCode.Created);
        Assert.Equal("Rejected", after.Str("status"));
        var reason = after.Json["decision"]!["reasons"]!.AsArray().Single()!;
        Assert.Equal("SCA.PRICE_UPPER", reason["rule"]!.GetValue<string>());
        Assert.Equal("1.1.0", reason["version"]!.GetValue<string>());
    }

    [Fact]
    public async Task Two_concurrent_orders_can_never_both_pass_a_credit_limit()
    {
        await using var platform = new PlatformFactory();
        var run = new RuleCaseRun(platform, await platform.ClientForAsync("trader1"));
        // A US account with USD 30 of credit: one order of 10 COMI.INT (about USD 16.4) fits, two do not.
        var account = await run.NewAccountAsync(RuleCaseTemplates.Sec, a => a.CreditLimit = 30m);
        var replies = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            run.Trader.SubmitAsync(account, "COMI.INT", "Buy", 79.00m - (i * 0.01m), 10)));
        var statuses = replies.Select(r => r.Expect(HttpStatusCode.Created).Str("status")).ToList();
        Assert.Equal(1, statuses.Count(s => s == "Accepted"));
        Assert.All(replies.Where(r => r.Str("status") == "Rejected"), r =>
            Assert.Contains(r.Json["decision"]!["reasons"]!.AsArray(), x => x!["rule"]!.GetValue<string>() == "SEC.CREDIT_LIMIT"));
    }

    [Fact]
    public async Task Open_orders_count_against_the_credit_limit_after_a_restart()
    {
        string path;
        long account;
        await using (var before = new PlatformFactory())
        {
            path = before.DatabasePath;
            var run = new RuleCaseRun(before, await before.ClientForAsync("trader1"));
            account = await run.NewAccountAsync(RuleCaseTemplates.Sec, a => a.CreditLimit = 30m);
            Assert.Equal("Accepted", (await run.Trader.SubmitAsync(account, "COMI.INT", "Buy", 79m, 10)).Expect(HttpStatusCode.Created).Str("status"));
        }

        await using var after = new PlatformFactory { DatabasePath = path };
        var trader1 = await after.ClientForAsync("trader1");
        var second = (await trader1.SubmitAsync(account, "COMI.INT", "Buy", 78m, 10)).Expect(HttpStatusCode.Created);
        Assert.Equal("Rejected", second.Str("status"));
        var credit = second.Json["decision"]!["explanation"]!.AsArray().Single(r => r!["ruleId"]!.GetValue<string>() == "SEC.CREDIT_LIMIT")!;
        Assert.True(credit["inputs"]!["Aggregates.OpenOrdersNotional"]!.GetValue<decimal>() > 16m, credit.ToJsonString());
    }

    [Fact]
    public async Task Positions_from_trades_survive_a_restart()
    {
        string path;
        long account;
        await using (var before = new PlatformFactory())
        {
            path = before.DatabasePath;
            var run = new RuleCaseRun(before, await before.ClientForAsync("trader1"));
            account = await run.NewAccountAsync(RuleCaseTemplates.Passing, null);
            await run.RestAsync("COMI.INT", "Sell", 80m, 30);
            Assert.Equal("Filled", (await run.Trader.SubmitAsync(account, "COMI.INT", "Buy", 80m, 30)).Expect(HttpStatusCode.Created).Str("status"));
        }

        await using var after = new PlatformFactory { DatabasePath = path };
        // A pack that reports every order shows the position the writer rebuilt.
        var probe = RulePackSamples.Edited("fatca", p =>
        {
            p["version"] = "9.0.0";
            p["rules"]!.AsArray().Add(new JsonObject
            {
                ["id"] = "FATCA.PROBE", ["description"] = "probe", ["expression"] = "Aggregates.PositionQuantity > 0", ["outcome"] = "Report",
                ["reasonCode"] = "PROBE-901", ["message"] = "position {Aggregates.PositionQuantity}", ["regulation"] = "test",
            });
        });
        await MakerChecker.PublishAsync(after, "fatca", probe);
        var trader1 = await after.ClientForAsync("trader1");
        var order = (await trader1.SubmitAsync(account, "COMI.INT", "Sell", 81m, 10)).Expect(HttpStatusCode.Created);
        var fired = order.Json["decision"]!["explanation"]!.AsArray().Single(r => r!["ruleId"]!.GetValue<string>() == "FATCA.PROBE")!;
        Assert.Equal(30, fired["inputs"]!["Aggregates.PositionQuantity"]!.GetValue<long>());
    }

    [Fact]
    public async Task An_off_tick_price_is_refused_by_validation_before_the_MiFID_tick_rule()
    {
        await using var platform = new PlatformFactory();
        var trader1 = await platform.ClientForAsync("trader1");
        var rows = await platform.CountRowsAsync();
        // 1004 is booked in the EU, so the MiFID pack applies; the venue's own tick check (1005) answers first.
        var reply = (await trader1.SubmitAsync(1004, "COMI.INT", "Buy", 80.005m, 10)).Expect(HttpStatusCode.BadRequest);
        Assert.Contains(reply.Errors("price"), e => e.Contains("not on the tick", StringComparison.Ordinal));
        Assert.Equal(rows, await platform.CountRowsAsync());
    }

    [Theory]
    [InlineData("shortMarking", "Sideways", "shortMarking")]
    [InlineData("shortMarking", "None", "shortMarking")]
    [InlineData("counterpartyLei", "TOO-SHORT", "counterpartyLei")]
    [InlineData("locateId", "bad locate!", "locateId")]
    [InlineData("uti", "not/alnum", "uti")]
    [InlineData("markupBps", -1, "markupBps")]
    public async Task Bad_compliance_terms_are_refused_naming_the_field_and_write_nothing(string field, object value, string expectedField)
    {
        await using var platform = new PlatformFactory();
        var trader1 = await platform.ClientForAsync("trader1");
        var rows = await platform.CountRowsAsync();
        var reply = (await trader1.SubmitAsync(1001, "COMI.INT", "Sell", 80m, 10, extra: Extra((field, value)))).Expect(HttpStatusCode.BadRequest);
        Assert.NotEmpty(reply.Errors(expectedField));
        Assert.Equal(rows, await platform.CountRowsAsync());
    }

    [Fact]
    public async Task A_buy_cannot_be_marked_short()
    {
        await using var platform = new PlatformFactory();
        var trader1 = await platform.ClientForAsync("trader1");
        var reply = (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 80m, 10, extra: Extra(("shortMarking", "Short")))).Expect(HttpStatusCode.BadRequest);
        Assert.Contains(reply.Errors("shortMarking"), e => e.Contains("only a sell", StringComparison.Ordinal));
    }
}
