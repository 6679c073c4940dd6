using System.Net;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Apis;

/// <summary>Amends: priority rules and validation (their own platform, so no other order sits in the book).</summary>
public sealed class AmendTests(PlatformFactory platform) : IClassFixture<PlatformFactory>
{
    [Fact]
    public async Task Amending_quantity_down_keeps_priority_and_a_price_change_loses_it()
    {
        var trader1 = await platform.ClientForAsync("trader1");
        var trader2 = await platform.ClientForAsync("trader2");
        var first = (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 73.00m, 50)).Expect(HttpStatusCode.Created);
        var second = (await trader1.SubmitAsync(1002, "COMI.INT", "Buy", 73.00m, 50)).Expect(HttpStatusCode.Created);

        var down = (await trader1.PatchJsonAsync($"/api/v1/orders/{first.OrderId}", new { quantity = 40 })).Expect(HttpStatusCode.OK);
        Assert.Equal(40, down.Long("quantity"));
        var sell = (await trader2.SubmitAsync(2001, "COMI.INT", "Sell", 73.00m, 10)).Expect(HttpStatusCode.Created);
        var firstFill = sell.Json["trades"]!.AsArray().Single()!;
        Assert.Equal(first.OrderId, (await trader1.GetAsync($"/api/v1/trades?orderId={first.OrderId}")).Json["items"]!.AsArray().Single()!["buyOrderId"]!.GetValue<long>());
        Assert.Equal(10, firstFill["quantity"]!.GetValue<long>());

        // Re-price the first order away and back: it now queues behind the second.
        (await trader1.PatchJsonAsync($"/api/v1/orders/{first.OrderId}", new { price = 72.90m })).Expect(HttpStatusCode.OK);
        (await trader1.PatchJsonAsync($"/api/v1/orders/{first.OrderId}", new { price = 73.00m })).Expect(HttpStatusCode.OK);
        (await trader2.SubmitAsync(2001, "COMI.INT", "Sell", 73.00m, 10)).Expect(HttpStatusCode.Created);
        var secondNow = (await trader1.GetAsync($"/api/v1/orders/{second.OrderId}")).Expect(HttpStatusCode.OK);
        Assert.Equal(10, secondNow.Long("filledQuantity"));

        var events = (await trader1.GetAsync($"/api/v1/orders/{first.OrderId}/events")).Json.AsArray();
        Assert.Contains(events, e => e!["reason"]?.GetValue<string>() == "amended: time priority kept");
        Assert.Contains(events, e => e!["reason"]?.GetValue<string>() == "amended: time priority lost");

        (await trader1.DeleteAsync($"/api/v1/orders/{first.OrderId}")).Expect(HttpStatusCode.OK);
        (await trader1.DeleteAsync($"/api/v1/orders/{second.OrderId}")).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_amend_is_validated_and_below_filled_is_refused()
    {
        var trader1 = await platform.ClientForAsync("trader1");
        var trader2 = await platform.ClientForAsync("trader2");
        var buy = (await trader1.SubmitAsync(1001, "FAB.INT", "Buy", 14.50m, 100)).Expect(HttpStatusCode.Created);
        (await trader2.SubmitAsync(2001, "FAB.INT", "Sell", 14.50m, 30)).Expect(HttpStatusCode.Created);
        var before = await platform.CountRowsAsync();

        var offTick = (await trader1.PatchJsonAsync($"/api/v1/orders/{buy.OrderId}", new { price = 14.505m })).Expect(HttpStatusCode.BadRequest);
        Assert.Contains("not on the tick", offTick.Errors("price").Single(), StringComparison.Ordinal);
        var belowFilled = (await trader1.PatchJsonAsync($"/api/v1/orders/{buy.OrderId}", new { quantity = 30 })).Expect(HttpStatusCode.BadRequest);
        Assert.Contains("already filled", belowFilled.Errors("quantity").Single(), StringComparison.Ordinal);
        var empty = (await trader1.PatchJsonAsync($"/api/v1/orders/{buy.OrderId}", new { })).Expect(HttpStatusCode.BadRequest);
        Assert.NotEmpty(empty.Errors("body"));
        Assert.Equal(before, await platform.CountRowsAsync());

        (await trader1.DeleteAsync($"/api/v1/orders/{buy.OrderId}")).Expect(HttpStatusCode.OK);
    }
}
