using System.Net;
using System.Text.Json;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Risk;

/// <summary>
/// The concentration limits through POST /api/v1/orders: an instrument's share of the account's portfolio value and the account's
/// share of the issuer's shares outstanding, each refusing an order just above it and taking one at it, with a risk reason code, a
/// message naming the limit, its value and the order's figure, and the explanation stored with the order.
/// </summary>
public sealed class ConcentrationLimitsTests
{
    /// <summary>Monday 2026-11-23 09:00 UTC: 11:00 in Cairo, EGX in continuous trading.</summary>
    private static readonly DateTimeOffset Monday = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    private static async Task WithdrawAllButAsync(ApiClient ops, long account, decimal keep)
    {
        var cash = (await ops.GetAsync($"/api/v1/accounts/{account}/cash")).Expect(HttpStatusCode.OK).Json;
        var available = cash["currencies"]!.AsArray().Single(c => c!["currency"]!.GetValue<string>() == "EGP")!["available"]!.GetValue<decimal>();
        (await ops.PostJsonAsync($"/api/v1/accounts/{account}/cash/withdrawals",
            new { currency = "EGP", amount = available - keep, reference = Guid.NewGuid().ToString("N"), reason = "client instruction" }))
            .Expect(HttpStatusCode.Created);
    }

    [Fact]
    public async Task The_instrument_share_of_the_portfolio_refuses_an_order_just_above_the_limit_and_takes_one_at_it()
    {
        await using var platform = new PlatformFactory();
        platform.Clock.Fixed = Monday;
        var ops = await platform.ClientForAsync("ops1");
        var risk = await platform.ClientForAsync("risk1");
        var trader1 = await platform.ClientForAsync("trader1");
        var trader2 = await platform.ClientForAsync("trader2");
        await WithdrawAllButAsync(ops, 1001, 100_000m);
        // 1001 buys 50 COMI.INT at 80 from 2001: 4,000 EGP of shares and 96,000 EGP of cash, a portfolio of 100,000 EGP.
        (await trader2.SubmitAsync(2001, "COMI.INT", "Sell", 80m, 50)).Expect(HttpStatusCode.Created);
        Assert.Equal("Filled", (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 80m, 50)).Expect(HttpStatusCode.Created).Str("status"));

        (await MakerChecker.SetLimitsAsync(platform, risk, "account", "1001", new { maxConcentrationPct = 8m, reason = "diversified mandate" }))
            .Expect(HttpStatusCode.OK);
        // The exposure's utilisation (and so the risk alert monitor) shows the limit's use now: 4,000 of 100,000 EGP is 4% of 8%.
        var share = Use((await risk.GetAsync("/api/v1/risk/exposure?accountId=1001")).Expect(HttpStatusCode.OK), "MaxConcentrationPct");
        Assert.Equal(("COMI.INT", 8m, 4m, 50m, "% of portfolio value"), (share["symbol"]!.GetValue<string>(), share["limitValue"]!.GetValue<decimal>(),
            share["used"]!.GetValue<decimal>(), share["utilisationPct"]!.GetValue<decimal>(), share["unit"]!.GetValue<string>()));
        // 60 more would make 110 shares, 8,800 EGP: 8.8% of the portfolio.
        var above = (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 80m, 60)).Expect(HttpStatusCode.Created);
        Assert.Equal("Rejected", above.Str("status"));
        Assert.Equal(2010, above.Long("rejectCode"));
        Assert.Contains("the position in COMI.INT would be 8.8% of the portfolio value of account 1001 (8,800.00 of 100,000.00 EGP), " +
                        "above the maximum concentration 8% set for account 1001", above.Str("rejectReason"), StringComparison.Ordinal);
        var rule = above.Json["decision"]!["explanation"]!.AsArray().Single()!;
        Assert.Equal(("risk", "RISK.CONCENTRATION", "Block", "2010"), (rule["packId"]!.GetValue<string>(), rule["ruleId"]!.GetValue<string>(),
            rule["outcome"]!.GetValue<string>(), rule["reasonCode"]!.GetValue<string>()));
        var inputs = rule["inputs"]!;
        Assert.Equal((8m, 8.8m, 100_000m, 8_800m), (inputs["Limit.Value"]!.GetValue<decimal>(), inputs["Order.Value"]!.GetValue<decimal>(),
            inputs["Account.PortfolioValue"]!.GetValue<decimal>(), inputs["Position.ValueAfter"]!.GetValue<decimal>()));

        // 50 more make 100 shares, 8,000 EGP: 8%, at the limit.
        Assert.Equal("Accepted", (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 80m, 50)).Expect(HttpStatusCode.Created).Str("status"));
        // A sell makes the position smaller: never refused by the concentration limit.
        Assert.Equal("Accepted", (await trader1.SubmitAsync(1001, "COMI.INT", "Sell", 81m, 10)).Expect(HttpStatusCode.Created).Str("status"));
    }

    [Fact]
    public async Task The_issuer_holding_counts_every_listing_and_refuses_an_order_just_above_the_limit_and_takes_one_at_it()
    {
        await using var platform = new PlatformFactory();
        platform.Clock.Fixed = Monday;
        var risk = await platform.ClientForAsync("risk1");
        var trader1 = await platform.ClientForAsync("trader1");
        var trader2 = await platform.ClientForAsync("trader2");
        // 1001 holds 100 COMI on EGX; COMI.INT is the same share (ISIN EGS60121C018), 3,000,000,000 shares outstanding (demo data).
        (await trader2.SubmitAsync(2001, "COMI", "Sell", 80m, 100)).Expect(HttpStatusCode.Created);
        Assert.Equal("Filled", (await trader1.SubmitAsync(1001, "COMI", "Buy", 80m, 100)).Expect(HttpStatusCode.Created).Str("status"));

        // 0.00001% of 3,000,000,000 is 300 shares.
        (await MakerChecker.SetLimitsAsync(platform, risk, "firm", "firm", new { maxIssuerHoldingPct = 0.00001m, reason = "issuer concentration" }))
            .Expect(HttpStatusCode.OK);
        var above = (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 80m, 210)).Expect(HttpStatusCode.Created);
        Assert.Equal(2011, above.Long("rejectCode"));
        Assert.Contains("account 1001 would hold 310 shares of the issuer of COMI.INT (ISIN EGS60121C018, every listing), 0.00001033% of its " +
                        "3,000,000,000 shares outstanding, above the maximum issuer holding 0.00001% set for the firm", above.Str("rejectReason"),
            StringComparison.Ordinal);
        var rule = above.Json["decision"]!["explanation"]!.AsArray().Single()!;
        Assert.Equal("RISK.ISSUER_HOLDING", rule["ruleId"]!.GetValue<string>());
        var inputs = rule["inputs"]!;
        Assert.Equal((310L, 3_000_000_000L, 0.00001m, 0.00001033m), (inputs["Account.IssuerHoldingAfter"]!.GetValue<long>(),
            inputs["Issuer.SharesOutstanding"]!.GetValue<long>(), inputs["Limit.Value"]!.GetValue<decimal>(), inputs["Order.Value"]!.GetValue<decimal>()));

        // 200 more make 300 shares of the issuer: at the limit.
        Assert.Equal("Accepted", (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 80m, 200)).Expect(HttpStatusCode.Created).Str("status"));

        // The utilisation counts what is held (100 COMI), not working orders: 100 of 3,000,000,000 shares, a third of the limit.
        var holding = Use((await risk.GetAsync("/api/v1/risk/exposure?accountId=1001")).Expect(HttpStatusCode.OK), "MaxIssuerHoldingPct");
        Assert.Equal(("COMI", 0.00001m, 0.0000033333m, "% of shares outstanding"), (holding["symbol"]!.GetValue<string>(),
            holding["limitValue"]!.GetValue<decimal>(), holding["used"]!.GetValue<decimal>(), holding["unit"]!.GetValue<string>()));
        Assert.InRange(holding["utilisationPct"]!.GetValue<decimal>(), 33.3m, 33.34m);
    }

    private static System.Text.Json.Nodes.JsonNode Use(Reply exposure, string limit) =>
        exposure.Json["utilisation"]!.AsArray().Single(u => u!["limit"]!.GetValue<string>() == limit)!;

    [Fact]
    public async Task Concentration_limits_outside_0_to_100_percent_and_a_volume_collar_of_0_are_refused_with_every_problem_and_change_nothing()
    {
        await using var platform = new PlatformFactory();
        var risk = await platform.ClientForAsync("risk1");
        var refused = (await risk.SendAsync(HttpMethod.Put, "/api/v1/risk/limits/account/1001",
            JsonSerializer.Serialize(new { maxConcentrationPct = 0m, maxIssuerHoldingPct = 100.5m, maxAdvPct = 0m, reason = "typo" })))
            .Expect(HttpStatusCode.BadRequest);
        Assert.Contains("above 0 and at most 100", refused.Json["errors"]!["maxConcentrationPct"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("shares outstanding", refused.Json["errors"]!["maxIssuerHoldingPct"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("must be positive", refused.Json["errors"]!["maxAdvPct"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        var pending = (await risk.GetAsync("/api/v1/risk/limit-proposals")).Expect(HttpStatusCode.OK).Json.AsArray();
        Assert.Empty(pending);
    }
}
