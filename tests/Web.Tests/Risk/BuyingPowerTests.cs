using System.Net;
using System.Text.Json.Nodes;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Risk;

/// <summary>
/// Cash and buying power through the API, as the back office, a trader and a risk officer use them: deposits and withdrawals booked
/// by operations, a buy refused a cent above the buying power and accepted at it, open buys reserving, trades moving cash on the trade
/// date and settling it T+2 on EGX, withdrawals of unsettled proceeds refused, and buying power never going negative under concurrent
/// orders. Each demo account opens with an illustrative deposit of 1,000,000,000 in its base currency (DemoData.DemoFunding).
/// </summary>
public sealed class BuyingPowerTests
{
    /// <summary>Monday 2026-11-23 09:00 UTC: 11:00 in Cairo and 13:00 in Abu Dhabi, both in continuous trading.</summary>
    private static readonly DateTimeOffset Monday = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    private const decimal Funding = 1_000_000_000m;

    private static Task<Reply> WithdrawAsync(ApiClient ops, long account, decimal amount, string currency = "EGP", string? reference = null) =>
        ops.PostJsonAsync($"/api/v1/accounts/{account}/cash/withdrawals",
            new { currency, amount, reference = reference ?? Guid.NewGuid().ToString("N"), reason = "client instruction" });

    private static async Task<JsonNode> CashAsync(ApiClient client, long account) =>
        (await client.GetAsync($"/api/v1/accounts/{account}/cash")).Expect(HttpStatusCode.OK).Json;

    private static decimal Dec(JsonNode node, string name) => node[name]!.GetValue<decimal>();

    private static JsonNode Currency(JsonNode cash, string currency) =>
        cash["currencies"]!.AsArray().Single(c => c!["currency"]!.GetValue<string>() == currency)!;

    [Fact]
    public async Task A_buy_a_cent_above_the_buying_power_is_refused_one_at_it_is_accepted_and_open_buys_reserve_it()
    {
        await using var platform = new PlatformFactory();
        var ops = await platform.ClientForAsync("ops1");
        var trader1 = await platform.ClientForAsync("trader1");
        var booked = (await WithdrawAsync(ops, 1001, Funding - 8_000m, reference: "SWIFT-0001")).Expect(HttpStatusCode.Created).Json;
        Assert.Equal(8_000m, Dec(booked["cash"]!, "buyingPower"));
        Assert.Equal(-(Funding - 8_000m), Dec(booked["movement"]!, "amount"));
        Assert.Equal("Withdrawal", booked["movement"]!["kind"]!.GetValue<string>());

        var refused = (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 80.01m, 100)).Expect(HttpStatusCode.Created);
        Assert.Equal("Rejected", refused.Str("status"));
        Assert.Equal(2009, refused.Long("rejectCode"));
        Assert.Contains("the buy would cost 8,001.00 EGP, more than the buying power of account 1001, 8,000.00 EGP " +
                        "(cash 8,000.00 + credit line 0.00 - reserved by open buys 0.00)", refused.Str("rejectReason"), StringComparison.Ordinal);
        var rule = refused.Json["decision"]!["explanation"]!.AsArray().Single()!;
        Assert.Equal("RISK.BUYING_POWER", rule["ruleId"]!.GetValue<string>());
        Assert.Equal(8_001m, rule["inputs"]!["Order.Required"]!.GetValue<decimal>());

        // At the buying power exactly: accepted, and it rests (no seller), reserving all of it.
        var resting = (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 80.00m, 100)).Expect(HttpStatusCode.Created);
        Assert.Equal("Accepted", resting.Str("status"));
        var cash = await CashAsync(trader1, 1001);
        Assert.Equal((8_000m, 1, 0m), (Dec(cash, "reserved"), cash["reservingOrders"]!.GetValue<int>(), Dec(cash, "buyingPower")));
        var next = (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 79.00m, 10)).Expect(HttpStatusCode.Created);
        Assert.Equal(2009, next.Long("rejectCode"));

        // A sell of shares the account does not hold is a short sale: its short part needs margin too (50% of its value).
        var shortSale = (await trader1.SubmitAsync(1001, "COMI.INT", "Sell", 85.00m, 10)).Expect(HttpStatusCode.Created);
        Assert.Equal(2009, shortSale.Long("rejectCode"));
        Assert.Contains("the short part of the sell (10 shares beyond the 0 held) needs 425.00 EGP of margin", shortSale.Str("rejectReason"), StringComparison.Ordinal);

        // Canceling the resting buy frees its reservation; a market buy is checked at the top of the day's band (80 + 10% = 88).
        (await trader1.DeleteAsync($"/api/v1/orders/{resting.OrderId}")).Expect(HttpStatusCode.OK);
        Assert.Equal(8_000m, Dec(await CashAsync(trader1, 1001), "buyingPower"));
        var market = (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", null, 100, type: "Market")).Expect(HttpStatusCode.Created);
        Assert.Equal(2009, market.Long("rejectCode"));
        Assert.Contains("the buy would cost 8,800.00 EGP", market.Str("rejectReason"), StringComparison.Ordinal);

        // An amendment that raises the cost is checked against the buying power without the order's own reservation.
        var small = (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 75.00m, 100)).Expect(HttpStatusCode.Created);
        Assert.Equal("Accepted", small.Str("status"));
        (await trader1.PatchJsonAsync($"/api/v1/orders/{small.OrderId}", new { price = 80.00m })).Expect(HttpStatusCode.OK);
        var tooMuch = await trader1.PatchJsonAsync($"/api/v1/orders/{small.OrderId}", new { quantity = 110 });
        Assert.NotEqual(HttpStatusCode.OK, tooMuch.Status);
        Assert.Contains("more than the buying power of account 1001", tooMuch.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_trade_moves_cash_on_its_trade_date_and_settles_it_two_EGX_trading_days_later()
    {
        await using var platform = new PlatformFactory();
        platform.Clock.Fixed = Monday;
        var ops = await platform.ClientForAsync("ops1");
        var trader1 = await platform.ClientForAsync("trader1");
        var trader2 = await platform.ClientForAsync("trader2");
        (await trader2.SubmitAsync(2001, "ETEL", "Sell", 38.00m, 50)).Expect(HttpStatusCode.Created);
        Assert.Equal("Filled", (await trader1.SubmitAsync(1002, "ETEL", "Buy", 38.00m, 50)).Expect(HttpStatusCode.Created).Str("status"));

        // The buyer: 1,900 EGP paid on the trade date, settling Wednesday 25 November (T+2).
        var buyer = Currency(await CashAsync(trader1, 1002), "EGP");
        Assert.Equal((Funding - 1_900m, Funding), (Dec(buyer, "available"), Dec(buyer, "settled")));
        var leg = buyer["unsettled"]!.AsArray().Single()!;
        Assert.Equal(("2026-11-25", "EGX", -1_900m), (leg["settlesOn"]!.GetValue<string>(), leg["venue"]!.GetValue<string>(), Dec(leg, "amount")));

        // The seller (base currency AED) receives EGP: available now, withdrawable only once settled.
        var seller = await CashAsync(trader2, 2001);
        Assert.Equal((1_900m, 0m), (Dec(Currency(seller, "EGP"), "available"), Dec(Currency(seller, "EGP"), "settled")));
        Assert.Equal(Funding, Dec(Currency(seller, "AED"), "settled"));
        var early = (await WithdrawAsync(ops, 2001, 1_900m)).Expect(HttpStatusCode.Conflict);
        Assert.Contains("more than the settled EGP cash of account 2001, 0.00 EGP (sale proceeds can be withdrawn once they settle)",
            early.Str("detail"), StringComparison.Ordinal);

        // Tuesday: still unsettled. Wednesday: settled, and the proceeds can be paid out.
        platform.Clock.Fixed = Monday.AddDays(1);
        Assert.Equal(0m, Dec(Currency(await CashAsync(trader2, 2001), "EGP"), "settled"));
        platform.Clock.Fixed = Monday.AddDays(2);
        var settled = Currency(await CashAsync(trader1, 1002), "EGP");
        Assert.Equal((Funding - 1_900m, Funding - 1_900m), (Dec(settled, "available"), Dec(settled, "settled")));
        Assert.Empty(settled["unsettled"]!.AsArray());
        (await WithdrawAsync(ops, 2001, 1_900m)).Expect(HttpStatusCode.Created);
        Assert.Equal(0m, Dec(Currency(await CashAsync(trader2, 2001), "EGP"), "available"));
    }

    [Fact]
    public async Task Concurrent_buys_from_many_connections_never_take_the_buying_power_below_zero()
    {
        await using var platform = new PlatformFactory();
        var ops = await platform.ClientForAsync("ops1");
        (await WithdrawAsync(ops, 1001, Funding - 80_000m)).Expect(HttpStatusCode.Created);
        var clients = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => platform.ClientForAsync("trader1")));

        // 40 buys of 8,000 EGP each against 80,000: exactly ten fit, whatever order the writer takes them in.
        var replies = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => clients[i % clients.Length].SubmitAsync(1001, "COMI.INT", "Buy", 80.00m, 100)));
        var statuses = replies.Select(r => r.Expect(HttpStatusCode.Created)).ToList();
        Assert.Equal(10, statuses.Count(r => r.Str("status") == "Accepted"));
        Assert.Equal(30, statuses.Count(r => r.Json["rejectCode"]?.GetValue<long>() == 2009));
        var cash = await CashAsync(clients[0], 1001);
        Assert.Equal((80_000m, 10, 0m), (Dec(cash, "reserved"), cash["reservingOrders"]!.GetValue<int>(), Dec(cash, "buyingPower")));
    }

    [Fact]
    public async Task Cash_survives_a_restart_with_its_reservations_and_unsettled_legs()
    {
        string database;
        {
            await using var before = new PlatformFactory();
            before.Clock.Fixed = Monday;
            var ops = await before.ClientForAsync("ops1");
            var trader1 = await before.ClientForAsync("trader1");
            var trader2 = await before.ClientForAsync("trader2");
            (await WithdrawAsync(ops, 1002, Funding - 100_000m)).Expect(HttpStatusCode.Created);
            (await trader2.SubmitAsync(2001, "ETEL", "Sell", 38.00m, 50)).Expect(HttpStatusCode.Created);
            (await trader1.SubmitAsync(1002, "ETEL", "Buy", 38.00m, 50)).Expect(HttpStatusCode.Created);
            (await trader1.SubmitAsync(1002, "ETEL", "Buy", 37.00m, 100)).Expect(HttpStatusCode.Created);
            database = before.DatabasePath;
        }
        await using var after = new PlatformFactory { DatabasePath = database };
        after.Clock.Fixed = Monday.AddMinutes(5);
        var again = await after.ClientForAsync("trader1");
        var cash = await CashAsync(again, 1002);
        var egp = Currency(cash, "EGP");
        Assert.Equal((98_100m, 100_000m), (Dec(egp, "available"), Dec(egp, "settled")));
        Assert.Equal((3_700m, 94_400m), (Dec(cash, "reserved"), Dec(cash, "buyingPower")));
    }

    [Fact]
    public async Task Bad_cash_requests_get_every_problem_at_once_and_change_nothing()
    {
        await using var platform = new PlatformFactory();
        var ops = await platform.ClientForAsync("ops1");
        var trader1 = await platform.ClientForAsync("trader1");
        var bad = (await ops.PostJsonAsync("/api/v1/accounts/1001/cash/deposits", new { currency = "XYZ", amount = -5m, reason = " " }))
            .Expect(HttpStatusCode.BadRequest);
        Assert.Contains("'XYZ' has no platform FX rate", bad.Errors("currency").Single(), StringComparison.Ordinal);
        Assert.Contains("must be positive", bad.Errors("amount").Single(), StringComparison.Ordinal);
        Assert.Contains("is required", bad.Errors("reference").Single(), StringComparison.Ordinal);
        Assert.Contains("is required", bad.Errors("reason").Single(), StringComparison.Ordinal);
        Assert.Contains("more than 2 decimal places", (await ops.PostJsonAsync("/api/v1/accounts/1001/cash/deposits",
            new { currency = "EGP", amount = 1.005m, reference = "R", reason = "r" })).Expect(HttpStatusCode.BadRequest).Errors("amount").Single(), StringComparison.Ordinal);
        (await ops.PostJsonAsync("/api/v1/accounts/9999/cash/deposits", new { currency = "EGP", amount = 5m, reference = "R", reason = "r" }))
            .Expect(HttpStatusCode.NotFound);
        (await ops.PostRawAsync("/api/v1/accounts/1001/cash/deposits", "{\"amount\": ")).Expect(HttpStatusCode.BadRequest);

        // Only operations and admins book money; a trader reads only their own accounts.
        (await trader1.PostJsonAsync("/api/v1/accounts/1001/cash/deposits", new { currency = "EGP", amount = 5m, reference = "R", reason = "r" }))
            .Expect(HttpStatusCode.Forbidden);
        (await trader1.GetAsync("/api/v1/accounts/2001/cash")).Expect(HttpStatusCode.Forbidden);

        // A payment reference is booked once.
        var first = (await ops.PostJsonAsync("/api/v1/accounts/1001/cash/deposits", new { currency = "USD", amount = 2_500.50m, reference = "TT-77", reason = "top-up" }))
            .Expect(HttpStatusCode.Created).Json;
        Assert.Equal(2_500.50m, Dec(Currency(first["cash"]!, "USD"), "available"));
        var twice = (await ops.PostJsonAsync("/api/v1/accounts/1001/cash/deposits", new { currency = "USD", amount = 2_500.50m, reference = "TT-77", reason = "top-up" }))
            .Expect(HttpStatusCode.Conflict);
        Assert.Contains("the payment reference 'TT-77' is already booked on account 1001", twice.Str("detail"), StringComparison.Ordinal);

        // Nothing of the refused requests was booked: the opening deposit and the one top-up, newest first; each audited.
        var movements = (await trader1.GetAsync("/api/v1/accounts/1001/cash/movements")).Expect(HttpStatusCode.OK).Json.AsArray();
        Assert.Equal(["TT-77", "DEMO-FUNDING"], movements.Select(m => m!["reference"]!.GetValue<string>()));
        Assert.Equal("ops1", movements[0]!["enteredBy"]!.GetValue<string>());
        var admin = await platform.ClientForAsync("admin");
        var audit = (await admin.GetAsync("/api/v1/audit?subject=account/1001&action=account.cash_deposited")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray();
        Assert.Contains("TT-77", audit.Single()!["details"]!.ToJsonString(), StringComparison.Ordinal);
    }
}
