using System.Net;
using Microsoft.EntityFrameworkCore;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Ordering.Rules;

/// <summary>
/// An amendment passes the rule packs again, as the rest of the order it would leave: a Block or a Review refuses it and
/// the order keeps its terms; the order's own open notional is not counted twice; a quantity decrease is never stopped.
/// </summary>
public sealed class AmendRulesTests
{
    [Fact]
    public async Task An_amend_that_raises_the_quantity_past_the_credit_limit_is_refused_and_the_order_keeps_its_terms()
    {
        await using var platform = new PlatformFactory();
        var run = new RuleCaseRun(platform, await platform.ClientForAsync("trader1"));
        // USD 30 of credit: 10 COMI.INT at 79 (about USD 16.4) fits; 20 do not.
        var account = await run.NewAccountAsync(RuleCaseTemplates.Sec, a => a.CreditLimit = 30m);
        var order = (await run.Trader.SubmitAsync(account, "COMI.INT", "Buy", 79m, 10)).Expect(HttpStatusCode.Created);
        Assert.Equal("Accepted", order.Str("status"));

        var refused = (await run.Trader.PatchJsonAsync($"/api/v1/orders/{order.OrderId}", new { quantity = 20 }))
            .Expect(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(4001, refused.Json["rejectCode"]!.GetValue<int>());
        Assert.Contains("SEC.CREDIT_LIMIT", refused.Str("detail"), StringComparison.Ordinal);
        var credit = refused.Json["decision"]!["explanation"]!.AsArray().Single(r => r!["ruleId"]!.GetValue<string>() == "SEC.CREDIT_LIMIT")!;
        // The order's own working notional is left out of the open orders: only the amended order counts, once.
        Assert.Equal(0m, credit["inputs"]!["Aggregates.OpenOrdersNotional"]!.GetValue<decimal>());
        var amended = credit["inputs"]!["Order.NotionalInAccountCurrency"]!.GetValue<decimal>();
        Assert.InRange(amended, 30m, 40m); // 20 shares at 79 EGP, about USD 32.8

        var after = (await run.Trader.GetAsync($"/api/v1/orders/{order.OrderId}")).Expect(HttpStatusCode.OK);
        Assert.Equal(10, after.Long("quantity"));
        Assert.Equal(79m, after.Json["price"]!.GetValue<decimal>());
        var bid = (await run.Trader.GetAsync("/api/v1/instruments/COMI.INT/depth")).Json["bids"]!.AsArray().Single()!;
        Assert.Equal(10, bid["quantity"]!.GetValue<long>());
        var kinds = (await run.Trader.GetAsync($"/api/v1/orders/{order.OrderId}/events")).Json.AsArray().Select(e => e!["kind"]!.GetValue<string>());
        Assert.Equal(["Accepted"], kinds);
        List<TradSys.Web.Persistence.Entities.AuditRecord> audit = [];
        await platform.WithDbAsync(async db => audit = await db.AuditLog.AsNoTracking()
            .Where(a => a.Action == "order.amend_refused" && a.Subject == $"order/{order.OrderId}").ToListAsync());
        Assert.Contains("SEC.CREDIT_LIMIT", Assert.Single(audit).Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_price_amend_counts_the_order_once_and_a_quantity_decrease_is_never_stopped()
    {
        await using var platform = new PlatformFactory();
        var run = new RuleCaseRun(platform, await platform.ClientForAsync("trader1"));
        // USD 40 of credit: 20 COMI.INT at 79 (about USD 32.8) fits.
        var account = await run.NewAccountAsync(RuleCaseTemplates.Sec, a => a.CreditLimit = 40m);
        var order = (await run.Trader.SubmitAsync(account, "COMI.INT", "Buy", 79m, 20)).Expect(HttpStatusCode.Created);
        Assert.Equal("Accepted", order.Str("status"));

        // Counted twice (its open notional plus the amended order) it would be over USD 40; counted once it fits.
        var moved = (await run.Trader.PatchJsonAsync($"/api/v1/orders/{order.OrderId}", new { price = 78.5m })).Expect(HttpStatusCode.OK);
        Assert.Equal(78.5m, moved.Json["price"]!.GetValue<decimal>());
        Assert.NotNull(moved.Json["decision"]);

        // Tighten the limit below the working order: raising it is refused, lowering it goes through without the packs.
        await platform.WithDbAsync(async db =>
        {
            var row = await db.Accounts.SingleAsync(a => a.Id == account);
            row.CreditLimit = 5m;
            await db.SaveChangesAsync();
        });
        (await run.Trader.PatchJsonAsync($"/api/v1/orders/{order.OrderId}", new { quantity = 30 })).Expect(HttpStatusCode.UnprocessableEntity);
        var reduced = (await run.Trader.PatchJsonAsync($"/api/v1/orders/{order.OrderId}", new { quantity = 10 })).Expect(HttpStatusCode.OK);
        Assert.Equal(10, reduced.Long("quantity"));
        Assert.Null(reduced.Json["decision"]);
    }

    [Fact]
    public async Task An_amend_that_would_need_review_is_refused_because_a_working_order_cannot_wait_for_review()
    {
        await using var platform = new PlatformFactory();
        platform.Clock.Fixed = RuleCaseRun.MarketTime;
        var trader1 = await platform.ClientForAsync("trader1");
        var order = (await trader1.SubmitAsync(1001, "FAB", "Buy", 15.50m, 1_000)).Expect(HttpStatusCode.Created);
        Assert.Equal("Accepted", order.Str("status"));

        // Above AED 30m on ADX the SCA pack wants the exchange's large-trade approval.
        var refused = (await trader1.PatchJsonAsync($"/api/v1/orders/{order.OrderId}", new { quantity = 2_000_000 }))
            .Expect(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(4002, refused.Json["rejectCode"]!.GetValue<int>());
        Assert.Equal("Review", refused.Json["decision"]!["outcome"]!.GetValue<string>());
        Assert.Contains(refused.Json["decision"]!["reasons"]!.AsArray(), r => r!["rule"]!.GetValue<string>() == "SCA.LARGE_TRADE");
        Assert.Contains("send a new order", refused.Str("detail"), StringComparison.Ordinal);
        var after = (await trader1.GetAsync($"/api/v1/orders/{order.OrderId}")).Json;
        Assert.Equal("Accepted", after["status"]!.GetValue<string>());
        Assert.Equal(1_000, after["quantity"]!.GetValue<long>());
    }

    [Fact]
    public async Task An_amend_that_passes_with_a_warning_returns_the_warning()
    {
        await using var platform = new PlatformFactory();
        platform.Clock.Fixed = RuleCaseRun.MarketTime;
        var trader1 = await platform.ClientForAsync("trader1");
        // 1003 is Sharia-only; Telecom Egypt passes the screens with a purification warning.
        var order = (await trader1.SubmitAsync(1003, "ETEL", "Buy", 38m, 10)).Expect(HttpStatusCode.Created);
        var amended = (await trader1.PatchJsonAsync($"/api/v1/orders/{order.OrderId}", new { quantity = 20 })).Expect(HttpStatusCode.OK);
        Assert.Equal(20, amended.Long("quantity"));
        Assert.Equal("Warn", amended.Json["decision"]!["outcome"]!.GetValue<string>());
        Assert.Contains(amended.Json["decision"]!["warnings"]!.AsArray(), w => w!["rule"]!.GetValue<string>() == "SHARIA.PURIFICATION");
    }
}
