using System.Net;
using System.Text.Json;
using TradSys.Web.Tests.Support;
using TradSys.Web.Tests.Workflows;

namespace TradSys.Web.Tests.Risk;

/// <summary>
/// The pre-trade risk stage through the API, as a risk officer and a trader use it: the kill switches (firm, trader, account)
/// take effect on the very next order while cancels pass, and every limit refuses an order just above it and accepts one at it,
/// with a risk reason code, a message naming the limit, its value and the order's figure, and an explanation stored with the order.
/// </summary>
public sealed class RiskControlsTests
{
    private static Task<Reply> PutAsync(ApiClient client, string path, object body) =>
        client.SendAsync(HttpMethod.Put, path, JsonSerializer.Serialize(body));

    private static Task<Reply> HaltAsync(ApiClient risk, string scope, string key, string status = "Halted", string reason = "desk incident") =>
        PutAsync(risk, $"/api/v1/risk/trading-statuses/{scope}/{key}", new { status, reason });

    /// <summary>Limits proposed by <paramref name="risk"/> and approved by risk2 (maker-checker): the approval's reply.</summary>
    private static Task<Reply> LimitsAsync(PlatformFactory platform, ApiClient risk, string scope, string key, object limits) =>
        MakerChecker.SetLimitsAsync(platform, risk, scope, key, limits);

    [Fact]
    public async Task A_halted_account_refuses_its_next_order_but_its_working_orders_can_still_be_canceled()
    {
        await using var platform = new PlatformFactory();
        var risk = await platform.ClientForAsync("risk1");
        var trader1 = await platform.ClientForAsync("trader1");
        var resting = (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 79.50m, 10)).Expect(HttpStatusCode.Created);
        Assert.Equal("Accepted", resting.Str("status"));

        var set = (await HaltAsync(risk, "account", "1001", reason: "margin call unanswered")).Expect(HttpStatusCode.OK);
        Assert.Equal("Halted", set.Str("status"));
        Assert.Equal("risk1", set.Str("setBy"));

        var refused = (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 79.50m, 10)).Expect(HttpStatusCode.Created);
        Assert.Equal("Rejected", refused.Str("status"));
        Assert.Equal(2001, refused.Long("rejectCode"));
        Assert.Contains("trading is halted for account 1001 (margin call unanswered; set by risk1)", refused.Str("rejectReason"), StringComparison.Ordinal);
        var rule = refused.Json["decision"]!["explanation"]!.AsArray().Single()!;
        Assert.Equal("RISK.TRADING_STATUS", rule["ruleId"]!.GetValue<string>());
        Assert.Equal("Halted", rule["inputs"]!["Status.Value"]!.GetValue<string>());

        // Cancels always pass: halting must never stop anyone taking risk off.
        Assert.Equal("Canceled", (await trader1.DeleteAsync($"/api/v1/orders/{resting.OrderId}")).Expect(HttpStatusCode.OK).Str("status"));
        // Another account of another trader trades on.
        var trader2 = await platform.ClientForAsync("trader2");
        Assert.Equal("Accepted", (await trader2.SubmitAsync(2001, "COMI.INT", "Sell", 80.50m, 10)).Expect(HttpStatusCode.Created).Str("status"));

        (await HaltAsync(risk, "account", "1001", status: "Active", reason: "margin call met")).Expect(HttpStatusCode.OK);
        Assert.Equal("Accepted", (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 79.50m, 10)).Expect(HttpStatusCode.Created).Str("status"));

        var history = (await risk.GetAsync("/api/v1/risk/trading-statuses/history?scope=account&key=1001")).Expect(HttpStatusCode.OK).Json.AsArray();
        Assert.Equal(["Active", "Halted"], history.Select(h => h!["status"]!.GetValue<string>()));
        var audit = (await platform.ClientForAsync("admin")).GetAsync("/api/v1/audit?subject=account/1001&action=risk.trading_status_set");
        var records = (await audit).Expect(HttpStatusCode.OK).Json["items"]!.AsArray();
        Assert.Equal(2, records.Count);
        Assert.Contains(records, r => r!["details"]!.ToJsonString().Contains("margin call unanswered", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_trading_status_sent_again_with_the_same_reason_changes_nothing_and_another_reason_is_a_new_setting()
    {
        await using var platform = new PlatformFactory();
        var risk = await platform.ClientForAsync("risk1");
        var admin = await platform.ClientForAsync("admin");

        var first = (await HaltAsync(risk, "account", "1001", reason: "margin call unanswered")).Expect(HttpStatusCode.OK);
        Assert.False(first.Json["unchanged"]!.GetValue<bool>());
        // The same request again (a resend after "outcome unknown"), even from another officer: the setting in force, unchanged.
        foreach (var client in new[] { risk, admin })
        {
            var again = (await HaltAsync(client, "account", "1001", reason: "margin call unanswered")).Expect(HttpStatusCode.OK);
            Assert.True(again.Json["unchanged"]!.GetValue<bool>());
            Assert.Equal("Halted", again.Str("status"));
            Assert.Equal("margin call unanswered", again.Str("reason"));
            Assert.Equal("risk1", again.Str("setBy"));
            Assert.Equal(first.Str("setAt"), again.Str("setAt"));
        }

        async Task<(int History, int Audit)> CountAsync()
        {
            var history = (await risk.GetAsync("/api/v1/risk/trading-statuses/history?scope=account&key=1001")).Expect(HttpStatusCode.OK).Json.AsArray();
            var audit = (await admin.GetAsync("/api/v1/audit?subject=account/1001&action=risk.trading_status_set")).Expect(HttpStatusCode.OK);
            return (history.Count, audit.Json["items"]!.AsArray().Count);
        }
        Assert.Equal((1, 1), await CountAsync());
        var listed = (await risk.GetAsync("/api/v1/risk/trading-statuses")).Expect(HttpStatusCode.OK).Json.AsArray().Single()!.AsObject();
        Assert.False(listed.ContainsKey("unchanged"));

        // The same status for another reason is a new setting: written and audited.
        var reasoned = (await HaltAsync(risk, "account", "1001", reason: "margin call unanswered, second notice")).Expect(HttpStatusCode.OK);
        Assert.False(reasoned.Json["unchanged"]!.GetValue<bool>());
        Assert.Equal((2, 2), await CountAsync());
        // Another status, and back: each a setting.
        (await HaltAsync(risk, "account", "1001", status: "Active", reason: "margin call met")).Expect(HttpStatusCode.OK);
        (await HaltAsync(risk, "account", "1001", reason: "margin call unanswered")).Expect(HttpStatusCode.OK);
        Assert.Equal((4, 4), await CountAsync());
    }

    [Fact]
    public async Task A_held_order_is_not_released_into_the_market_while_its_account_is_halted()
    {
        await using var platform = new PlatformFactory();
        var risk = await platform.ClientForAsync("risk1");
        var trader1 = await platform.ClientForAsync("trader1");
        var officer = await platform.ClientForAsync("compliance1");
        var held = await WorkflowScenarios.HeldForReviewAsync(platform, trader1);
        var task = WorkflowScenarios.TaskOf(held);

        (await HaltAsync(risk, "account", "1002", reason: "suspicious activity")).Expect(HttpStatusCode.OK);
        var refused = (await WorkflowScenarios.ApproveAsync(officer, task)).Expect(HttpStatusCode.Conflict);
        Assert.Contains("trading is halted for account 1002 (suspicious activity", refused.Str("detail"), StringComparison.Ordinal);
        Assert.Equal("PendingReview", (await trader1.GetAsync($"/api/v1/orders/{held.OrderId}")).Expect(HttpStatusCode.OK).Str("status"));

        (await HaltAsync(risk, "account", "1002", status: "Active", reason: "cleared")).Expect(HttpStatusCode.OK);
        (await WorkflowScenarios.ApproveAsync(officer, task)).Expect(HttpStatusCode.OK);
        Assert.Equal("Accepted", (await trader1.GetAsync($"/api/v1/orders/{held.OrderId}")).Expect(HttpStatusCode.OK).Str("status"));
    }

    [Fact]
    public async Task The_firm_kill_switch_stops_every_trader_and_a_trader_switch_stops_only_that_trader()
    {
        await using var platform = new PlatformFactory();
        var admin = await platform.ClientForAsync("admin");
        var trader1 = await platform.ClientForAsync("trader1");
        var trader2 = await platform.ClientForAsync("trader2");

        (await HaltAsync(admin, "trader", "2")).Expect(HttpStatusCode.OK);
        Assert.Equal(2001, (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 79.50m, 10)).Expect(HttpStatusCode.Created).Long("rejectCode"));
        Assert.Equal("Accepted", (await trader2.SubmitAsync(2001, "COMI.INT", "Buy", 79.50m, 10)).Expect(HttpStatusCode.Created).Str("status"));

        (await HaltAsync(admin, "firm", "firm", reason: "exchange connectivity lost")).Expect(HttpStatusCode.OK);
        var refused = (await trader2.SubmitAsync(2001, "COMI.INT", "Buy", 79.50m, 10)).Expect(HttpStatusCode.Created);
        Assert.Equal(2001, refused.Long("rejectCode"));
        Assert.Contains("trading is halted for the firm", refused.Str("rejectReason"), StringComparison.Ordinal);

        var statuses = (await admin.GetAsync("/api/v1/risk/trading-statuses")).Expect(HttpStatusCode.OK).Json.AsArray();
        Assert.Equal(["firm:firm:Halted", "trader:2:Halted"],
            statuses.Select(s => $"{s!["scope"]}:{s["key"]}:{s["status"]}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Reducing_only_takes_an_order_that_brings_the_position_closer_to_flat_and_nothing_else()
    {
        await using var platform = new PlatformFactory();
        var risk = await platform.ClientForAsync("risk1");
        var trader1 = await platform.ClientForAsync("trader1");
        var trader2 = await platform.ClientForAsync("trader2");
        // 1001 buys 100 from 2001: long 100.
        (await trader2.SubmitAsync(2001, "COMI.INT", "Sell", 80m, 100)).Expect(HttpStatusCode.Created);
        Assert.Equal("Filled", (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 80m, 100)).Expect(HttpStatusCode.Created).Str("status"));

        (await HaltAsync(risk, "account", "1001", status: "ReducingOnly", reason: "reduce exposure")).Expect(HttpStatusCode.OK);
        var buy = (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 79m, 10)).Expect(HttpStatusCode.Created);
        Assert.Equal(2002, buy.Long("rejectCode"));
        Assert.Contains("the position is 100", buy.Str("rejectReason"), StringComparison.Ordinal);
        var tooMuch = (await trader1.SubmitAsync(1001, "COMI.INT", "Sell", 81m, 110)).Expect(HttpStatusCode.Created);
        Assert.Equal(2002, tooMuch.Long("rejectCode"));
        Assert.Equal("Accepted", (await trader1.SubmitAsync(1001, "COMI.INT", "Sell", 81m, 100)).Expect(HttpStatusCode.Created).Str("status"));
    }

    [Fact]
    public async Task Each_order_limit_refuses_an_order_just_above_it_and_takes_one_at_it()
    {
        await using var platform = new PlatformFactory();
        var risk = await platform.ClientForAsync("risk1");
        var trader1 = await platform.ClientForAsync("trader1");

        // Quantity and notional for the instrument (COMI.INT trades in EGP; the limit is in EGP).
        (await LimitsAsync(platform, risk, "instrument", "COMI.INT", new { currency = "EGP", maxOrderQuantity = 1000, maxOrderNotional = 72_000m, reason = "fat finger" }))
            .Expect(HttpStatusCode.OK);
        var quantity = (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 72m, 1010)).Expect(HttpStatusCode.Created);
        Assert.Equal(2003, quantity.Long("rejectCode"));
        Assert.Contains("the order's quantity 1,010 is above the maximum order quantity 1,000 set for instrument COMI.INT", quantity.Str("rejectReason"),
            StringComparison.Ordinal);
        Assert.Equal("Accepted", (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 72m, 1000)).Expect(HttpStatusCode.Created).Str("status"));
        var notional = (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 72.01m, 1000)).Expect(HttpStatusCode.Created);
        Assert.Equal(2004, notional.Long("rejectCode"));
        Assert.Contains("the order's notional 72,010.00 EGP is above the maximum order notional 72,000.00 EGP", notional.Str("rejectReason"), StringComparison.Ordinal);
        var inputs = notional.Json["decision"]!["explanation"]!.AsArray().Single()!["inputs"]!;
        Assert.Equal(72_000m, inputs["Limit.Value"]!.GetValue<decimal>());
        Assert.Equal(72_010m, inputs["Order.Value"]!.GetValue<decimal>());
        Assert.Equal("instrument COMI.INT", inputs["Limit.Scope"]!.GetValue<string>());

        // A price collar of 5% around the reference price 80 (no trade yet): 84 is at the edge, 84.01 beyond it.
        (await LimitsAsync(platform, risk, "account", "1001", new { priceCollarPct = 5m, reason = "collar" })).Expect(HttpStatusCode.OK);
        Assert.Equal("Accepted", (await trader1.SubmitAsync(1001, "COMI.INT", "Sell", 84m, 10)).Expect(HttpStatusCode.Created).Str("status"));
        var collar = (await trader1.SubmitAsync(1001, "COMI.INT", "Sell", 84.01m, 10)).Expect(HttpStatusCode.Created);
        Assert.Equal(2005, collar.Long("rejectCode"));
        Assert.Contains("the price 84.01 is 5.0125% from the reference price 80", collar.Str("rejectReason"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_order_and_position_limits_count_the_orders_and_trades_already_made()
    {
        await using var platform = new PlatformFactory();
        var risk = await platform.ClientForAsync("risk1");
        var trader1 = await platform.ClientForAsync("trader1");
        var trader2 = await platform.ClientForAsync("trader2");

        // Professional is the category of 1001 in the demo data: a category limit applies to it.
        (await LimitsAsync(platform, risk, "category", "Professional", new { maxOpenOrders = 2, reason = "professional desk" })).Expect(HttpStatusCode.OK);
        var first = (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 79m, 10)).Expect(HttpStatusCode.Created);
        (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 79m, 10)).Expect(HttpStatusCode.Created);
        var third = (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 79m, 10)).Expect(HttpStatusCode.Created);
        Assert.Equal(2006, third.Long("rejectCode"));
        Assert.Contains("the account would have 3 working orders, above the maximum of 2 set for client category Professional", third.Str("rejectReason"),
            StringComparison.Ordinal);
        (await trader1.DeleteAsync($"/api/v1/orders/{first.OrderId}")).Expect(HttpStatusCode.OK);
        Assert.Equal("Accepted", (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 79m, 10)).Expect(HttpStatusCode.Created).Str("status"));

        // Long position limit 100 on 2001: after buying 60, another 40 is at the limit, 50 beyond it.
        (await LimitsAsync(platform, risk, "account", "2001", new { maxLongPosition = 100, maxShortPosition = 0, reason = "long only, small" })).Expect(HttpStatusCode.OK);
        var sellerToo = (await trader2.SubmitAsync(2001, "COMI.INT", "Sell", 80m, 10)).Expect(HttpStatusCode.Created);
        Assert.Equal(2008, sellerToo.Long("rejectCode"));
        Assert.Contains("would be 10 short, beyond the maximum short position 0 set for account 2001", sellerToo.Str("rejectReason"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_amendment_above_a_limit_is_refused_and_the_order_keeps_its_terms()
    {
        await using var platform = new PlatformFactory();
        var risk = await platform.ClientForAsync("risk1");
        var trader1 = await platform.ClientForAsync("trader1");
        (await LimitsAsync(platform, risk, "firm", "firm", new { currency = "EGP", maxOrderQuantity = 500, reason = "firm default" })).Expect(HttpStatusCode.OK);
        var order = (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 79m, 500)).Expect(HttpStatusCode.Created);
        Assert.Equal("Accepted", order.Str("status"));

        var amend = (await trader1.PatchJsonAsync($"/api/v1/orders/{order.OrderId}", new { quantity = 510 })).Expect(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(2003, amend.Long("rejectCode"));
        Assert.Contains("refused by pre-trade risk controls", amend.Str("detail"), StringComparison.Ordinal);
        Assert.Contains("maximum order quantity 500 set for the firm", amend.Str("detail"), StringComparison.Ordinal);
        Assert.Equal(500, (await trader1.GetAsync($"/api/v1/orders/{order.OrderId}")).Expect(HttpStatusCode.OK).Long("quantity"));
        // Lowering the quantity needs no check.
        Assert.Equal(400, (await trader1.PatchJsonAsync($"/api/v1/orders/{order.OrderId}", new { quantity = 400 })).Expect(HttpStatusCode.OK).Long("quantity"));
    }

    [Fact]
    public async Task Limits_are_versioned_a_stale_version_is_a_conflict_and_they_survive_a_restart()
    {
        string path;
        await using (var platform = new PlatformFactory())
        {
            path = platform.DatabasePath;
            var risk = await platform.ClientForAsync("risk1");
            var v1 = (await LimitsAsync(platform, risk, "account", "1001", new { maxOrderQuantity = 100, reason = "new client", version = 0 })).Expect(HttpStatusCode.OK);
            Assert.Equal(1, v1.Long("version"));
            Assert.Equal("USD", v1.Str("currency"));
            (await LimitsAsync(platform, risk, "account", "1001", new { maxOrderQuantity = 200, reason = "raised", version = 1 })).Expect(HttpStatusCode.OK);
            var stale = (await LimitsAsync(platform, risk, "account", "1001", new { maxOrderQuantity = 300, reason = "raced", version = 1 }))
                .Expect(HttpStatusCode.Conflict);
            Assert.Contains("at version 2, not 1", stale.Str("detail"), StringComparison.Ordinal);
            (await HaltAsync(risk, "account", "2001")).Expect(HttpStatusCode.OK);
        }
        await using var again = new PlatformFactory { DatabasePath = path };
        var trader1 = await again.ClientForAsync("trader1");
        Assert.Equal(2003, (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 79m, 210)).Expect(HttpStatusCode.Created).Long("rejectCode"));
        Assert.Equal("Accepted", (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 79m, 200)).Expect(HttpStatusCode.Created).Str("status"));
        var trader2 = await again.ClientForAsync("trader2");
        Assert.Equal(2001, (await trader2.SubmitAsync(2001, "COMI.INT", "Buy", 79m, 10)).Expect(HttpStatusCode.Created).Long("rejectCode"));
        Assert.Equal(HttpStatusCode.Forbidden, (await trader1.GetAsync("/api/v1/risk/limits/account/1001/history")).Status);
        var riskAfter = await again.ClientForAsync("risk1");
        var history = (await riskAfter.GetAsync("/api/v1/risk/limits/account/1001/history")).Expect(HttpStatusCode.OK).Json.AsArray();
        Assert.Equal([2L, 1L], history.Select(h => h!["version"]!.GetValue<long>()));
    }

    [Fact]
    public async Task Bad_changes_get_every_problem_at_once_and_change_nothing()
    {
        await using var platform = new PlatformFactory();
        var risk = await platform.ClientForAsync("risk1");
        var bad = (await LimitsAsync(platform, risk, "account", "1001", new
        {
            currency = "XYZ", maxOrderQuantity = 0, maxOrderNotional = -5m, priceCollarPct = 2000m, maxLongPosition = -1, reason = " ",
        })).Expect(HttpStatusCode.BadRequest);
        Assert.Contains("no reference FX rate", Assert.Single(bad.Errors("currency")), StringComparison.Ordinal);
        Assert.Contains("must be positive", Assert.Single(bad.Errors("maxOrderQuantity")), StringComparison.Ordinal);
        Assert.Contains("must be positive", Assert.Single(bad.Errors("maxOrderNotional")), StringComparison.Ordinal);
        Assert.Contains("at most 1000", Assert.Single(bad.Errors("priceCollarPct")), StringComparison.Ordinal);
        Assert.Contains("must not be negative", Assert.Single(bad.Errors("maxLongPosition")), StringComparison.Ordinal);
        Assert.Contains("reason is required", Assert.Single(bad.Errors("reason")), StringComparison.Ordinal);

        var status = (await HaltAsync(risk, "venue", "EGX", status: "Frozen", reason: "")).Expect(HttpStatusCode.BadRequest);
        Assert.Contains("not a scope of trading statuses", Assert.Single(status.Errors("scope")), StringComparison.Ordinal);
        Assert.Contains("not a trading status", Assert.Single(status.Errors("status")), StringComparison.Ordinal);
        Assert.Single(status.Errors("reason"));
        Assert.Contains("there is no account 424242", (await HaltAsync(risk, "account", "424242")).Expect(HttpStatusCode.NotFound).Str("detail"),
            StringComparison.Ordinal);
        Assert.Single((await LimitsAsync(platform, risk, "category", "Whale", new { maxOpenOrders = 1, reason = "x" })).Expect(HttpStatusCode.BadRequest).Errors("key"));

        var trader1 = await platform.ClientForAsync("trader1");
        Assert.Equal(HttpStatusCode.Forbidden, (await HaltAsync(trader1, "account", "1001")).Status);
        Assert.Empty((await risk.GetAsync("/api/v1/risk/limits")).Expect(HttpStatusCode.OK).Json.AsArray());
        Assert.Empty((await risk.GetAsync("/api/v1/risk/limit-proposals?status=all")).Expect(HttpStatusCode.OK).Json.AsArray());
        Assert.Empty((await risk.GetAsync("/api/v1/risk/trading-statuses")).Expect(HttpStatusCode.OK).Json.AsArray());
        Assert.Equal("Accepted", (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 79m, 10)).Expect(HttpStatusCode.Created).Str("status"));
    }
}
