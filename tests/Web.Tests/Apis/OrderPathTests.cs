using System.Net;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Apis;

/// <summary>An order's whole path through the REST API: submit, match, journal, read back.</summary>
public sealed class OrderPathTests(PlatformFactory platform) : IClassFixture<PlatformFactory>
{
    [Fact]
    public async Task A_buy_and_a_sell_that_cross_trade_at_the_resting_price()
    {
        var trader1 = await platform.ClientForAsync("trader1");
        var trader2 = await platform.ClientForAsync("trader2");

        var buy = (await trader1.SubmitAsync(1001, "FAB.INT", "Buy", 15.60m, 100)).Expect(HttpStatusCode.Created);
        Assert.Equal("Accepted", buy.Str("status"));
        Assert.Equal($"/api/v1/orders/{buy.OrderId}", buy.Location!.OriginalString);

        var sell = (await trader2.SubmitAsync(2001, "FAB.INT", "Sell", 15.50m, 60)).Expect(HttpStatusCode.Created);
        Assert.Equal("Filled", sell.Str("status"));
        var fill = sell.Json["trades"]!.AsArray().Single()!;
        Assert.Equal(15.60m, fill["price"]!.GetValue<decimal>());
        Assert.Equal(60, fill["quantity"]!.GetValue<long>());
        Assert.Equal("Sell", fill["aggressorSide"]!.GetValue<string>());

        var restingBuy = (await trader1.GetAsync($"/api/v1/orders/{buy.OrderId}")).Expect(HttpStatusCode.OK);
        Assert.Equal("PartiallyFilled", restingBuy.Str("status"));
        Assert.Equal(60, restingBuy.Long("filledQuantity"));
        Assert.Equal(40, restingBuy.Long("leavesQuantity"));
        Assert.Equal(15.60m, restingBuy.Json["averagePrice"]!.GetValue<decimal>());

        var trades = (await trader1.GetAsync($"/api/v1/trades?orderId={buy.OrderId}")).Expect(HttpStatusCode.OK);
        var trade = trades.Json["items"]!.AsArray().Single()!;
        Assert.Equal(buy.OrderId, trade["buyOrderId"]!.GetValue<long>());
        Assert.Equal(1001, trade["buyAccountId"]!.GetValue<long>());
        Assert.Null(trade["sellAccountId"]);
        Assert.Null(trade["sellOrderId"]);

        var events = (await trader1.GetAsync($"/api/v1/orders/{buy.OrderId}/events")).Expect(HttpStatusCode.OK).Json.AsArray();
        Assert.Equal(["Accepted", "PartiallyFilled"], events.Select(e => e!["kind"]!.GetValue<string>()));
        Assert.True(events[1]!["sequence"]!.GetValue<long>() > events[0]!["sequence"]!.GetValue<long>());

        var depth = (await trader1.GetAsync("/api/v1/instruments/FAB.INT/depth")).Expect(HttpStatusCode.OK).Json;
        var bid = depth["bids"]!.AsArray().First()!;
        Assert.Equal(15.60m, bid["price"]!.GetValue<decimal>());
        Assert.Equal(40, bid["quantity"]!.GetValue<long>());
    }

    [Fact]
    public async Task Resending_an_order_returns_the_first_one_and_different_terms_conflict()
    {
        var trader1 = await platform.ClientForAsync("trader1");
        var first = (await trader1.SubmitAsync(1002, "COMI.INT", "Buy", 76.00m, 10, clientOrderId: "resend-1")).Expect(HttpStatusCode.Created);
        var before = await platform.CountRowsAsync();

        var again = (await trader1.SubmitAsync(1002, "COMI.INT", "Buy", 76.00m, 10, clientOrderId: "resend-1")).Expect(HttpStatusCode.OK);
        Assert.Equal(first.OrderId, again.OrderId);

        var different = (await trader1.SubmitAsync(1002, "COMI.INT", "Buy", 76.10m, 10, clientOrderId: "resend-1")).Expect(HttpStatusCode.Conflict);
        Assert.Contains("resend-1", different.Str("detail"), StringComparison.Ordinal);
        Assert.Equal(before, await platform.CountRowsAsync());
    }

    [Fact]
    public async Task Resending_the_original_submission_of_an_order_amended_since_returns_the_order_not_a_conflict()
    {
        var trader1 = await platform.ClientForAsync("trader1");
        var first = (await trader1.SubmitAsync(1002, "COMI.INT", "Buy", 76.00m, 20, clientOrderId: "resend-amended-1")).Expect(HttpStatusCode.Created);
        (await trader1.PatchJsonAsync($"/api/v1/orders/{first.OrderId}", new { price = 76.50m, quantity = 30 })).Expect(HttpStatusCode.OK);
        var before = await platform.CountRowsAsync();

        // The client never heard the first reply and sends the same submission again: it gets the order as it is now.
        var again = (await trader1.SubmitAsync(1002, "COMI.INT", "Buy", 76.00m, 20, clientOrderId: "resend-amended-1")).Expect(HttpStatusCode.OK);
        Assert.Equal(first.OrderId, again.OrderId);
        Assert.Equal(76.50m, again.Json["price"]!.GetValue<decimal>());
        Assert.Equal(30, again.Long("quantity"));
        // The amended terms are not what was submitted under this client order id: a conflict, as any other terms are.
        (await trader1.SubmitAsync(1002, "COMI.INT", "Buy", 76.50m, 30, clientOrderId: "resend-amended-1")).Expect(HttpStatusCode.Conflict);
        Assert.Equal(before, await platform.CountRowsAsync());
    }

    [Fact]
    public async Task A_resend_of_an_order_that_no_longer_works_returns_it()
    {
        var trader1 = await platform.ClientForAsync("trader1");
        var first = (await trader1.SubmitAsync(1002, "COMI.INT", "Buy", 76.00m, 20, clientOrderId: "resend-canceled-1")).Expect(HttpStatusCode.Created);
        (await trader1.DeleteAsync($"/api/v1/orders/{first.OrderId}")).Expect(HttpStatusCode.OK);

        var again = (await trader1.SubmitAsync(1002, "COMI.INT", "Buy", 76.00m, 20, clientOrderId: "resend-canceled-1")).Expect(HttpStatusCode.OK);
        Assert.Equal(first.OrderId, again.OrderId);
        Assert.Equal("Canceled", again.Str("status"));
    }

    [Fact]
    public async Task Concurrent_submissions_of_one_client_order_id_create_one_order()
    {
        var trader1 = await platform.ClientForAsync("trader1");
        var replies = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ =>
            trader1.SubmitAsync(1002, "COMI.INT", "Buy", 75.00m, 10, clientOrderId: "race-1")));

        Assert.All(replies, r => Assert.True(r.Status is HttpStatusCode.Created or HttpStatusCode.OK, r.Body));
        Assert.Single(replies, r => r.Status == HttpStatusCode.Created);
        Assert.Single(replies.Select(r => r.OrderId).Distinct());
    }

    [Fact]
    public async Task Cancel_ends_a_working_order_and_a_second_cancel_conflicts()
    {
        var trader1 = await platform.ClientForAsync("trader1");
        var order = (await trader1.SubmitAsync(1001, "COMI.INT", "Sell", 87.00m, 20)).Expect(HttpStatusCode.Created);

        var canceled = (await trader1.DeleteAsync($"/api/v1/orders/{order.OrderId}")).Expect(HttpStatusCode.OK);
        Assert.Equal("Canceled", canceled.Str("status"));
        Assert.Equal(0, canceled.Long("leavesQuantity"));

        // A cancel sent again (its first answer lost) learns the outcome from the refusal's fields, not only from its text.
        var again = (await trader1.DeleteAsync($"/api/v1/orders/{order.OrderId}")).Expect(HttpStatusCode.Conflict);
        Assert.Contains("Canceled", again.Str("detail"), StringComparison.Ordinal);
        Assert.Equal((409L, order.OrderId, "Canceled", 0L), (again.Long("status"), again.Long("orderId"), again.Str("orderStatus"), again.Long("filledQuantity")));
        var amend = (await trader1.PatchJsonAsync($"/api/v1/orders/{order.OrderId}", new { quantity = 10 })).Expect(HttpStatusCode.Conflict);
        Assert.Contains("only working orders", amend.Str("detail"), StringComparison.Ordinal);
        Assert.Equal((order.OrderId, "Canceled", 0L), (amend.Long("orderId"), amend.Str("orderStatus"), amend.Long("filledQuantity")));
    }

    [Fact]
    public async Task Orders_list_filters_and_pages_newest_first()
    {
        var trader2 = await platform.ClientForAsync("trader2");
        for (var i = 0; i < 3; i++)
        {
            // Account 2003 is booked in the US: the SEC pack wants every sell marked.
            (await trader2.SubmitAsync(2003, "FAB.INT", "Sell", 16.50m + (i * 0.01m), 10, extra: new Dictionary<string, object?> { ["shortMarking"] = "Long" }))
                .Expect(HttpStatusCode.Created);
        }
        var page1 = (await trader2.GetAsync("/api/v1/orders?accountId=2003&symbol=FAB.INT&status=Accepted&pageSize=2")).Expect(HttpStatusCode.OK).Json;
        var page2 = (await trader2.GetAsync("/api/v1/orders?accountId=2003&symbol=FAB.INT&status=Accepted&pageSize=2&page=2")).Expect(HttpStatusCode.OK).Json;

        Assert.Equal(3, page1["total"]!.GetValue<int>());
        var ids = page1["items"]!.AsArray().Concat(page2["items"]!.AsArray()).Select(o => o!["orderId"]!.GetValue<long>()).ToList();
        Assert.Equal(3, ids.Count);
        Assert.Equal(ids.OrderDescending(), ids);

        var bad = (await trader2.GetAsync("/api/v1/orders?status=Sleeping&pageSize=0&open=maybe")).Expect(HttpStatusCode.BadRequest);
        Assert.Contains("Accepted", bad.Errors("status").Single(), StringComparison.Ordinal);
        Assert.NotEmpty(bad.Errors("pageSize"));
        Assert.Equal("'maybe' is not true or false", bad.Errors("open").Single());
    }

    [Fact]
    public async Task Open_orders_are_the_working_and_held_ones_and_open_false_the_rest()
    {
        var trader2 = await platform.ClientForAsync("trader2");
        var extra = new Dictionary<string, object?> { ["shortMarking"] = "Long" };
        var working = (await trader2.SubmitAsync(2003, "FAB.INT", "Sell", 16.70m, 10, extra: extra)).Expect(HttpStatusCode.Created);
        var canceled = (await trader2.SubmitAsync(2003, "FAB.INT", "Sell", 16.71m, 10, extra: extra)).Expect(HttpStatusCode.Created);
        (await trader2.DeleteAsync($"/api/v1/orders/{canceled.OrderId}")).Expect(HttpStatusCode.OK);

        var open = (await trader2.GetAsync("/api/v1/orders?accountId=2003&open=true&pageSize=200")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray();
        var closed = (await trader2.GetAsync("/api/v1/orders?accountId=2003&open=false&pageSize=200")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray();

        Assert.Contains(open, o => o!["orderId"]!.GetValue<long>() == working.OrderId);
        Assert.DoesNotContain(open, o => o!["orderId"]!.GetValue<long>() == canceled.OrderId);
        Assert.All(open, o => Assert.Contains(o!["status"]!.GetValue<string>(), new[] { "Accepted", "PartiallyFilled", "PendingReview" }));
        Assert.Contains(closed, o => o!["orderId"]!.GetValue<long>() == canceled.OrderId);
        Assert.DoesNotContain(closed, o => o!["orderId"]!.GetValue<long>() == working.OrderId);
    }
}
