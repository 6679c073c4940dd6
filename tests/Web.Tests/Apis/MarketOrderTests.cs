using System.Net;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Apis;

/// <summary>Market orders: immediate, never resting (their own platform, so the book starts empty).</summary>
public sealed class MarketOrderTests(PlatformFactory platform) : IClassFixture<PlatformFactory>
{
    [Fact]
    public async Task A_market_order_with_nothing_to_trade_against_is_rejected_and_recorded()
    {
        var trader2 = await platform.ClientForAsync("trader2");
        var reply = (await trader2.SubmitAsync(2001, "COMI.INT", "Sell", null, 10, type: "Market")).Expect(HttpStatusCode.Created);
        Assert.Equal("Rejected", reply.Str("status"));
        Assert.Equal(3003, reply.Long("rejectCode"));
        Assert.Contains("no opposite orders", reply.Str("rejectReason"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_market_order_fills_what_it_can_and_the_rest_is_canceled()
    {
        var trader1 = await platform.ClientForAsync("trader1");
        var trader2 = await platform.ClientForAsync("trader2");
        (await trader1.SubmitAsync(1001, "COMI.INT", "Sell", 84.00m, 30)).Expect(HttpStatusCode.Created);

        var market = (await trader2.SubmitAsync(2001, "COMI.INT", "Buy", null, 50, type: "Market")).Expect(HttpStatusCode.Created);

        var order = (await trader2.GetAsync($"/api/v1/orders/{market.OrderId}")).Expect(HttpStatusCode.OK);
        Assert.Equal("Canceled", order.Str("status"));
        Assert.Equal(30, order.Long("filledQuantity"));
        var kinds = (await trader2.GetAsync($"/api/v1/orders/{market.OrderId}/events")).Json.AsArray().Select(e => e!["kind"]!.GetValue<string>());
        Assert.Equal(["Accepted", "PartiallyFilled", "Canceled"], kinds);
    }
}
