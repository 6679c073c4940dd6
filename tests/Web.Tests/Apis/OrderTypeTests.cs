using System.Net;
using TradSys.Web.Ordering;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Apis;

/// <summary>Every order type, time in force and instruction through the REST API, each on a fresh platform.</summary>
public sealed class OrderTypeTests
{
    private static Task<Reply> Send(ApiClient api, object order) => api.PostJsonAsync("/api/v1/orders", order);

    private static string[] Kinds(Reply events) => [.. events.Json.AsArray().Select(e => e!["kind"]!.GetValue<string>())];

    [Fact]
    public async Task A_stop_order_waits_outside_the_book_then_a_trade_at_its_stop_price_triggers_it()
    {
        await using var platform = new PlatformFactory();
        var t1 = await platform.ClientForAsync("trader1");
        var t2 = await platform.ClientForAsync("trader2");
        (await t2.SubmitAsync(2001, "COMI.INT", "Buy", 78.50m, 100)).Expect(HttpStatusCode.Created);
        var stop = (await Send(t1, new { accountId = 1001, clientOrderId = "stop-1", symbol = "COMI.INT", side = "Sell", type = "Stop", stopPrice = 79.00m, quantity = 50 }))
            .Expect(HttpStatusCode.Created);
        Assert.Equal("Accepted", stop.Str("status"));
        Assert.Equal(79.00m, stop.Json["stopPrice"]!.GetValue<decimal>());
        Assert.Null(stop.Json["triggeredAt"]);
        Assert.Empty((await t1.GetAsync("/api/v1/instruments/COMI.INT/depth")).Json["asks"]!.AsArray());

        (await t2.SubmitAsync(2001, "COMI.INT", "Buy", 79.00m, 10)).Expect(HttpStatusCode.Created);
        (await t1.SubmitAsync(1002, "COMI.INT", "Sell", 79.00m, 10)).Expect(HttpStatusCode.Created); // prints 79.00: the stop triggers

        var after = (await t1.GetAsync($"/api/v1/orders/{stop.OrderId}")).Expect(HttpStatusCode.OK);
        Assert.Equal("Filled", after.Str("status"));
        Assert.NotNull(after.Json["triggeredAt"]);
        Assert.Equal(78.50m, after.Json["averagePrice"]!.GetValue<decimal>());
        Assert.Equal(["Accepted", "Triggered", "Filled"], Kinds(await t1.GetAsync($"/api/v1/orders/{stop.OrderId}/events")));
    }

    [Fact]
    public async Task An_iceberg_shows_only_its_slice_refreshes_at_the_back_and_keeps_its_slice_across_a_restart()
    {
        string path;
        long iceberg;
        await using (var platform = new PlatformFactory())
        {
            path = platform.DatabasePath;
            var t1 = await platform.ClientForAsync("trader1");
            var t2 = await platform.ClientForAsync("trader2");
            iceberg = (await Send(t2, new { accountId = 2001, clientOrderId = "ice-1", symbol = "COMI.INT", side = "Sell", price = 81.00m, quantity = 100, displayQuantity = 20 }))
                .Expect(HttpStatusCode.Created).OrderId;
            var ask = (await t1.GetAsync("/api/v1/instruments/COMI.INT/depth")).Json["asks"]!.AsArray().Single()!;
            Assert.Equal(20, ask["quantity"]!.GetValue<long>());

            var buy = (await t1.SubmitAsync(1001, "COMI.INT", "Buy", 81.00m, 30)).Expect(HttpStatusCode.Created);
            Assert.Equal("Filled", buy.Str("status"));
            Assert.Equal([20L, 10L], buy.Json["trades"]!.AsArray().Select(t => t!["quantity"]!.GetValue<long>()));
            var shown = (await t1.GetAsync("/api/v1/instruments/COMI.INT/depth")).Json["asks"]!.AsArray().Single()!;
            Assert.Equal(10, shown["quantity"]!.GetValue<long>());
            Assert.Equal(70, (await t2.GetAsync($"/api/v1/orders/{iceberg}")).Long("leavesQuantity"));
        }

        await using var restarted = new PlatformFactory { DatabasePath = path };
        var viewer = await restarted.ClientForAsync("viewer1");
        var rebuilt = (await viewer.GetAsync("/api/v1/instruments/COMI.INT/depth")).Json["asks"]!.AsArray().Single()!;
        Assert.Equal(10, rebuilt["quantity"]!.GetValue<long>());
    }

    [Fact]
    public async Task IOC_keeps_what_executes_and_FOK_executes_all_or_nothing()
    {
        await using var platform = new PlatformFactory();
        var t1 = await platform.ClientForAsync("trader1");
        var t2 = await platform.ClientForAsync("trader2");
        (await t2.SubmitAsync(2001, "FAB.INT", "Sell", 15.60m, 20)).Expect(HttpStatusCode.Created);

        var fok = (await Send(t1, new { accountId = 1001, clientOrderId = "fok-1", symbol = "FAB.INT", side = "Buy", timeInForce = "Fok", price = 15.60m, quantity = 50 }))
            .Expect(HttpStatusCode.Created);
        Assert.Equal("Canceled", fok.Str("status"));
        Assert.Equal(0, fok.Long("filledQuantity"));
        Assert.Empty(fok.Json["trades"]!.AsArray());
        // The order itself says why it ended, in its reply and whenever it is read (the blotter shows it).
        Assert.Equal("FOK: the whole quantity could not execute at once, so nothing did", fok.Str("cancelReason"));
        Assert.Equal(fok.Str("cancelReason"), (await t1.GetAsync($"/api/v1/orders/{fok.OrderId}")).Str("cancelReason"));

        var ioc = (await Send(t1, new { accountId = 1001, clientOrderId = "ioc-1", symbol = "FAB.INT", side = "Buy", timeInForce = "Ioc", price = 15.60m, quantity = 50 }))
            .Expect(HttpStatusCode.Created);
        Assert.Equal("Canceled", ioc.Str("status"));
        Assert.Equal(20, ioc.Long("filledQuantity"));
        var last = (await t1.GetAsync($"/api/v1/orders/{ioc.OrderId}/events")).Json.AsArray()[^1]!;
        Assert.StartsWith("IOC", last["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(last["reason"]!.GetValue<string>(), ioc.Str("cancelReason"));
        Assert.Empty((await t1.GetAsync("/api/v1/instruments/FAB.INT/depth")).Json["bids"]!.AsArray());

        // A cancel the trader asked for needs no reason.
        var day = (await t1.SubmitAsync(1001, "FAB.INT", "Buy", 15.50m, 10)).Expect(HttpStatusCode.Created);
        (await t1.DeleteAsync($"/api/v1/orders/{day.OrderId}")).Expect(HttpStatusCode.OK);
        var canceled = (await t1.GetAsync($"/api/v1/orders/{day.OrderId}")).Json;
        Assert.Equal("Canceled", canceled["status"]!.GetValue<string>());
        Assert.Null(canceled["cancelReason"]);
    }

    [Fact]
    public async Task A_market_to_limit_order_takes_the_best_price_and_rests_its_remainder_there()
    {
        await using var platform = new PlatformFactory();
        var t1 = await platform.ClientForAsync("trader1");
        var t2 = await platform.ClientForAsync("trader2");
        (await t2.SubmitAsync(2001, "COMI.INT", "Sell", 81.00m, 20)).Expect(HttpStatusCode.Created);
        (await t2.SubmitAsync(2001, "COMI.INT", "Sell", 81.50m, 30)).Expect(HttpStatusCode.Created);

        var mtl = (await Send(t1, new { accountId = 1001, clientOrderId = "mtl-1", symbol = "COMI.INT", side = "Buy", type = "MarketToLimit", quantity = 50 }))
            .Expect(HttpStatusCode.Created);

        Assert.Equal("PartiallyFilled", mtl.Str("status"));
        Assert.Equal(81.00m, mtl.Json["price"]!.GetValue<decimal>());
        Assert.Equal(20, mtl.Long("filledQuantity"));
        var bid = (await t1.GetAsync("/api/v1/instruments/COMI.INT/depth")).Json["bids"]!.AsArray().Single()!;
        Assert.Equal(81.00m, bid["price"]!.GetValue<decimal>());
        Assert.Equal(30, bid["quantity"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_GTD_order_expires_at_its_time_and_a_past_expiry_is_refused()
    {
        await using var platform = new PlatformFactory();
        var t1 = await platform.ClientForAsync("trader1");
        var past = (await Send(t1, new { accountId = 1001, clientOrderId = "gtd-0", symbol = "COMI.INT", side = "Buy", timeInForce = "Gtd", price = 79m, quantity = 10, expireAt = DateTimeOffset.UtcNow.AddMinutes(-1) }))
            .Expect(HttpStatusCode.BadRequest);
        Assert.Contains("not in the future", past.Errors("expireAt").Single(), StringComparison.Ordinal);

        var expireAt = DateTimeOffset.UtcNow.AddHours(1);
        var gtd = (await Send(t1, new { accountId = 1001, clientOrderId = "gtd-1", symbol = "COMI.INT", side = "Buy", timeInForce = "Gtd", price = 79m, quantity = 10, expireAt }))
            .Expect(HttpStatusCode.Created);
        Assert.Equal(0, (await platform.SendAsync(new ExpireDayOrdersCommand("system"))).Count);
        platform.Clock.Fixed = expireAt.AddSeconds(1);
        Assert.Equal(1, (await platform.SendAsync(new ExpireDayOrdersCommand("system"))).Count);
        var last = (await t1.GetAsync($"/api/v1/orders/{gtd.OrderId}/events")).Json.AsArray()[^1]!;
        Assert.StartsWith("expired: GTD order", last["reason"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_order_that_would_trade_with_its_own_account_is_canceled_not_traded()
    {
        await using var platform = new PlatformFactory();
        var t1 = await platform.ClientForAsync("trader1");
        var resting = (await t1.SubmitAsync(1001, "COMI.INT", "Sell", 82m, 10)).Expect(HttpStatusCode.Created).OrderId;

        var incoming = (await t1.SubmitAsync(1001, "COMI.INT", "Buy", 82m, 10)).Expect(HttpStatusCode.Created);

        Assert.Equal("Canceled", incoming.Str("status"));
        Assert.Empty(incoming.Json["trades"]!.AsArray());
        Assert.Equal("Accepted", (await t1.GetAsync($"/api/v1/orders/{resting}")).Str("status"));
        var last = (await t1.GetAsync($"/api/v1/orders/{incoming.OrderId}/events")).Json.AsArray()[^1]!;
        Assert.StartsWith("self-trade prevention", last["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        // Two accounts of the same trader are different owners of record: they may trade.
        (await t1.SubmitAsync(1002, "COMI.INT", "Buy", 82m, 10)).Expect(HttpStatusCode.Created);
        Assert.Equal("Filled", (await t1.GetAsync($"/api/v1/orders/{resting}")).Str("status"));
    }

    [Fact]
    public async Task Mass_cancel_by_symbol_and_by_account_touches_only_the_traders_own_orders()
    {
        await using var platform = new PlatformFactory();
        var t1 = await platform.ClientForAsync("trader1");
        var t2 = await platform.ClientForAsync("trader2");
        var a = (await t1.SubmitAsync(1001, "COMI.INT", "Buy", 79m, 10)).Expect(HttpStatusCode.Created).OrderId;
        var b = (await t1.SubmitAsync(1002, "COMI.INT", "Buy", 79m, 10)).Expect(HttpStatusCode.Created).OrderId;
        var c = (await t1.SubmitAsync(1001, "FAB.INT", "Buy", 15m, 10)).Expect(HttpStatusCode.Created).OrderId;
        var other = (await t2.SubmitAsync(2001, "COMI.INT", "Buy", 79m, 10)).Expect(HttpStatusCode.Created).OrderId;

        var bySymbol = (await t1.DeleteAsync("/api/v1/orders?symbol=COMI.INT")).Expect(HttpStatusCode.OK);
        Assert.Equal([a, b], bySymbol.Json["orderIds"]!.AsArray().Select(i => i!.GetValue<long>()).Order());
        Assert.Equal("Accepted", (await t2.GetAsync($"/api/v1/orders/{other}")).Str("status"));
        Assert.Equal("Accepted", (await t1.GetAsync($"/api/v1/orders/{c}")).Str("status"));

        var byAccount = (await t1.DeleteAsync("/api/v1/orders?accountId=1001")).Expect(HttpStatusCode.OK);
        Assert.Equal(1, byAccount.Json["canceled"]!.GetValue<int>());
        Assert.NotEmpty((await t1.DeleteAsync("/api/v1/orders")).Expect(HttpStatusCode.BadRequest).Errors("accountId"));
        (await t1.DeleteAsync("/api/v1/orders?accountId=2001")).Expect(HttpStatusCode.Forbidden);
        (await (await platform.ClientForAsync("viewer1")).DeleteAsync("/api/v1/orders?symbol=COMI.INT")).Expect(HttpStatusCode.Forbidden);
        Assert.Equal("Accepted", (await t2.GetAsync($"/api/v1/orders/{other}")).Str("status"));
    }

    [Fact]
    public async Task Order_type_fields_are_validated()
    {
        await using var platform = new PlatformFactory();
        var t1 = await platform.ClientForAsync("trader1");
        var before = await platform.CountRowsAsync();
        Assert.NotEmpty((await Send(t1, new { accountId = 1001, clientOrderId = "v1", symbol = "COMI.INT", side = "Sell", type = "Stop", quantity = 10 }))
            .Expect(HttpStatusCode.BadRequest).Errors("stopPrice"));
        Assert.NotEmpty((await Send(t1, new { accountId = 1001, clientOrderId = "v2", symbol = "COMI.INT", side = "Buy", price = 80m, stopPrice = 79m, quantity = 10 }))
            .Expect(HttpStatusCode.BadRequest).Errors("stopPrice"));
        Assert.Contains("less than the quantity", (await Send(t1, new { accountId = 1001, clientOrderId = "v3", symbol = "COMI.INT", side = "Buy", price = 80m, quantity = 20, displayQuantity = 20 }))
            .Expect(HttpStatusCode.BadRequest).Errors("displayQuantity").Single(), StringComparison.Ordinal);
        Assert.NotEmpty((await Send(t1, new { accountId = 1001, clientOrderId = "v4", symbol = "COMI.INT", side = "Buy", type = "Market", timeInForce = "Gtd", quantity = 10, expireAt = DateTimeOffset.UtcNow.AddHours(1) }))
            .Expect(HttpStatusCode.BadRequest).Errors("timeInForce"));
        Assert.NotEmpty((await Send(t1, new { accountId = 1001, clientOrderId = "v5", symbol = "COMI.INT", side = "Buy", price = 80m, quantity = 10, expireAt = DateTimeOffset.UtcNow.AddHours(1) }))
            .Expect(HttpStatusCode.BadRequest).Errors("expireAt"));
        Assert.Equal(before, await platform.CountRowsAsync());
    }

    [Fact]
    public async Task A_waiting_stop_limit_amends_its_quantity_limit_and_stop_price_and_keeps_them_across_a_restart()
    {
        string path;
        long stop;
        await using (var platform = new PlatformFactory())
        {
            path = platform.DatabasePath;
            var t1 = await platform.ClientForAsync("trader1");
            stop = (await Send(t1, new { accountId = 1001, clientOrderId = "stop-a", symbol = "COMI.INT", side = "Buy", type = "StopLimit", stopPrice = 84m, price = 85m, quantity = 10 }))
                .Expect(HttpStatusCode.Created).OrderId;

            var bigger = (await t1.PatchJsonAsync($"/api/v1/orders/{stop}", new { quantity = 20 })).Expect(HttpStatusCode.OK);
            Assert.Equal(20, bigger.Long("quantity"));
            Assert.Equal(84m, bigger.Json["stopPrice"]!.GetValue<decimal>());
            Assert.Equal(85m, bigger.Json["price"]!.GetValue<decimal>());

            var moved = (await t1.PatchJsonAsync($"/api/v1/orders/{stop}", new { stopPrice = 81.5m, price = 82m })).Expect(HttpStatusCode.OK);
            Assert.Equal(81.5m, moved.Json["stopPrice"]!.GetValue<decimal>());
            Assert.Equal(82m, moved.Json["price"]!.GetValue<decimal>());
            Assert.Equal("Accepted", moved.Str("status"));
            Assert.Null(moved.Json["triggeredAt"]);

            var events = (await t1.GetAsync($"/api/v1/orders/{stop}/events")).Json.AsArray();
            Assert.Equal(["Accepted", "Modified", "Modified"], events.Select(e => e!["kind"]!.GetValue<string>()));
            Assert.Equal("amended: time priority lost (stop price 81.5)", events[2]!["reason"]!.GetValue<string>());
            Assert.Empty((await t1.GetAsync("/api/v1/instruments/COMI.INT/depth")).Json["bids"]!.AsArray());
        }

        await using var restarted = new PlatformFactory { DatabasePath = path };
        var trader1 = await restarted.ClientForAsync("trader1");
        var trader2 = await restarted.ClientForAsync("trader2");
        Assert.Equal("Accepted", (await trader2.SubmitAsync(2003, "COMI.INT", "Buy", 81.5m, 10)).Expect(HttpStatusCode.Created).Str("status"));
        var print = (await trader2.SubmitAsync(2001, "COMI.INT", "Sell", 81.5m, 10)).Expect(HttpStatusCode.Created); // prints 81.50: the amended stop triggers
        Assert.Equal("Filled", print.Str("status"));
        var triggered = (await trader1.GetAsync($"/api/v1/orders/{stop}")).Expect(HttpStatusCode.OK);
        Assert.NotNull(triggered.Json["triggeredAt"]);
        var bid = (await trader1.GetAsync("/api/v1/instruments/COMI.INT/depth")).Json["bids"]!.AsArray().Single()!;
        Assert.Equal(82m, bid["price"]!.GetValue<decimal>());
        Assert.Equal(20, bid["quantity"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_stop_order_amended_to_a_stop_price_already_reached_triggers_at_once()
    {
        await using var platform = new PlatformFactory();
        var t1 = await platform.ClientForAsync("trader1");
        var t2 = await platform.ClientForAsync("trader2");
        (await t2.SubmitAsync(2001, "COMI.INT", "Sell", 80m, 10)).Expect(HttpStatusCode.Created);
        (await t1.SubmitAsync(1002, "COMI.INT", "Buy", 80m, 10)).Expect(HttpStatusCode.Created); // last trade 80.00
        (await t2.SubmitAsync(2001, "COMI.INT", "Sell", 81m, 30)).Expect(HttpStatusCode.Created);
        var stop = (await Send(t1, new { accountId = 1001, clientOrderId = "stop-b", symbol = "COMI.INT", side = "Buy", type = "Stop", stopPrice = 82m, quantity = 20 }))
            .Expect(HttpStatusCode.Created).OrderId;

        var filled = (await t1.PatchJsonAsync($"/api/v1/orders/{stop}", new { stopPrice = 80m })).Expect(HttpStatusCode.OK);
        Assert.Equal("Filled", filled.Str("status"));
        Assert.Equal(81m, filled.Json["averagePrice"]!.GetValue<decimal>());
        Assert.Null(filled.Json["price"]);
        Assert.Equal(80m, filled.Json["stopPrice"]!.GetValue<decimal>());
        Assert.Equal(["Accepted", "Modified", "Triggered", "Filled"], Kinds(await t1.GetAsync($"/api/v1/orders/{stop}/events")));
    }

    [Fact]
    public async Task Amending_a_stop_price_is_refused_where_it_does_not_apply_and_changes_nothing()
    {
        await using var platform = new PlatformFactory();
        var t1 = await platform.ClientForAsync("trader1");
        var t2 = await platform.ClientForAsync("trader2");
        var stop = (await Send(t1, new { accountId = 1001, clientOrderId = "stop-c", symbol = "COMI.INT", side = "Sell", type = "Stop", stopPrice = 78m, quantity = 10 }))
            .Expect(HttpStatusCode.Created).OrderId;
        var limit = (await t1.SubmitAsync(1001, "COMI.INT", "Buy", 79m, 10)).Expect(HttpStatusCode.Created).OrderId;
        var stopLimit = (await Send(t1, new { accountId = 1002, clientOrderId = "stop-d", symbol = "COMI.INT", side = "Buy", type = "StopLimit", stopPrice = 80m, price = 80.5m, quantity = 10 }))
            .Expect(HttpStatusCode.Created).OrderId;
        var before = await platform.CountRowsAsync();

        Assert.Contains("has no limit price", (await t1.PatchJsonAsync($"/api/v1/orders/{stop}", new { price = 77m }))
            .Expect(HttpStatusCode.BadRequest).Errors("price").Single(), StringComparison.Ordinal);
        Assert.Contains("not on the tick", (await t1.PatchJsonAsync($"/api/v1/orders/{stop}", new { stopPrice = 77.005m }))
            .Expect(HttpStatusCode.BadRequest).Errors("stopPrice").Single(), StringComparison.Ordinal);
        Assert.NotEmpty((await t1.PatchJsonAsync($"/api/v1/orders/{stop}", new { stopPrice = -1m })).Expect(HttpStatusCode.BadRequest).Errors("stopPrice"));
        Assert.Contains("has no stop price", (await t1.PatchJsonAsync($"/api/v1/orders/{limit}", new { stopPrice = 78m }))
            .Expect(HttpStatusCode.BadRequest).Errors("stopPrice").Single(), StringComparison.Ordinal);
        Assert.Equal(before, await platform.CountRowsAsync());

        // Triggered, the stop-limit rests as a limit order: its price can change, its stop price no longer.
        (await t2.SubmitAsync(2001, "COMI.INT", "Sell", 80m, 10)).Expect(HttpStatusCode.Created);
        (await t2.SubmitAsync(2003, "COMI.INT", "Buy", 80m, 10)).Expect(HttpStatusCode.Created); // prints 80.00: triggers stop-d
        Assert.NotNull((await t1.GetAsync($"/api/v1/orders/{stopLimit}")).Json["triggeredAt"]);
        Assert.Contains("triggered", (await t1.PatchJsonAsync($"/api/v1/orders/{stopLimit}", new { stopPrice = 81m }))
            .Expect(HttpStatusCode.Conflict).Str("detail"), StringComparison.Ordinal);
        (await t1.PatchJsonAsync($"/api/v1/orders/{stopLimit}", new { price = 79.5m })).Expect(HttpStatusCode.OK);
    }
}
