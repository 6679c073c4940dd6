using System.Net;
using TradSys.Web.Ordering;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Ordering;

/// <summary>A DAY order ends with its trading day; a GTC order does not.</summary>
public sealed class DayOrderExpiryTests
{
    [Fact]
    public async Task At_the_EGX_close_day_orders_expire_and_good_till_canceled_orders_stay()
    {
        await using var platform = new PlatformFactory();
        var trader1 = await platform.ClientForAsync("trader1");
        platform.Clock.Fixed = new DateTimeOffset(2026, 11, 26, 8, 30, 0, TimeSpan.Zero); // Thursday 10:30 in Cairo
        var day = (await trader1.SubmitAsync(1001, "COMI", "Buy", 79m, 10)).Expect(HttpStatusCode.Created).OrderId;
        var gtc = (await trader1.PostJsonAsync("/api/v1/orders", new
        {
            accountId = 1001, clientOrderId = "gtc-1", symbol = "COMI", side = "Buy", timeInForce = "Gtc", price = 79m, quantity = 10,
        })).Expect(HttpStatusCode.Created).OrderId;

        Assert.Equal(0, (await platform.SendAsync(new ExpireDayOrdersCommand("system"))).Count);
        platform.Clock.Fixed = new DateTimeOffset(2026, 11, 26, 12, 35, 0, TimeSpan.Zero); // 14:35 in Cairo: closed
        Assert.Equal(1, (await platform.SendAsync(new ExpireDayOrdersCommand("system"))).Count);

        var expired = (await trader1.GetAsync($"/api/v1/orders/{day}")).Expect(HttpStatusCode.OK);
        Assert.Equal("Canceled", expired.Str("status"));
        var last = (await trader1.GetAsync($"/api/v1/orders/{day}/events")).Json.AsArray()[^1]!;
        Assert.Equal("expired: DAY order, the EGX trading day it was entered on is over", last["reason"]!.GetValue<string>());
        Assert.Equal("Accepted", (await trader1.GetAsync($"/api/v1/orders/{gtc}")).Str("status"));
        Assert.Equal(0, (await platform.SendAsync(new ExpireDayOrdersCommand("system"))).Count);
    }

    [Fact]
    public async Task On_the_round_the_clock_internal_venue_a_day_order_ends_at_midnight()
    {
        await using var platform = new PlatformFactory();
        var trader2 = await platform.ClientForAsync("trader2");
        platform.Clock.Fixed = new DateTimeOffset(2026, 11, 24, 23, 0, 0, TimeSpan.Zero);
        var order = (await trader2.SubmitAsync(2001, "FAB.INT", "Sell", 16m, 10)).Expect(HttpStatusCode.Created).OrderId;
        platform.Clock.Fixed = new DateTimeOffset(2026, 11, 24, 23, 59, 59, TimeSpan.Zero);
        Assert.Equal(0, (await platform.SendAsync(new ExpireDayOrdersCommand("system"))).Count);
        platform.Clock.Fixed = new DateTimeOffset(2026, 11, 25, 0, 0, 1, TimeSpan.Zero);
        Assert.Equal(1, (await platform.SendAsync(new ExpireDayOrdersCommand("system"))).Count);
        Assert.Equal("Canceled", (await trader2.GetAsync($"/api/v1/orders/{order}")).Str("status"));
    }

    [Fact]
    public async Task The_watcher_expires_day_orders_on_its_own()
    {
        await using var platform = new PlatformFactory { Settings = { ["Trading:DayOrderExpirySeconds"] = "1" } };
        var trader1 = await platform.ClientForAsync("trader1");
        var order = (await trader1.SubmitAsync(1002, "COMI.INT", "Buy", 78m, 10)).Expect(HttpStatusCode.Created).OrderId;
        platform.Clock.Fixed = DateTimeOffset.UtcNow.AddDays(1);

        var status = "";
        for (var i = 0; i < 100 && status != "Canceled"; i++)
        {
            await Task.Delay(100);
            status = (await trader1.GetAsync($"/api/v1/orders/{order}")).Str("status");
        }
        Assert.Equal("Canceled", status);
        var audit = (await (await platform.ClientForAsync("regulator1")).GetAsync("/api/v1/audit?pageSize=500")).Json["items"]!.AsArray();
        Assert.Contains(audit, r => r!["action"]!.GetValue<string>() == "order.expired" && r["actor"]!.GetValue<string>() == "system");
    }
}
