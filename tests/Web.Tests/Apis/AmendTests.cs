using System.Net;
using Microsoft.Extensions.DependencyInjection;
using TradSys.Engine;
using TradSys.Web.Ordering;
using TradSys.Web.ReferenceData;
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

    [Fact]
    public async Task An_amend_sent_again_with_its_idempotency_key_is_answered_with_the_order_as_it_stands_even_after_a_fill()
    {
        var trader1 = await platform.ClientForAsync("trader1");
        var trader2 = await platform.ClientForAsync("trader2");
        var buy = (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 75.00m, 100)).Expect(HttpStatusCode.Created);
        var path = $"/api/v1/orders/{buy.OrderId}";
        var key = Guid.NewGuid().ToString();

        var first = (await trader1.PatchJsonAsync(path, new { price = 75.10m }, key)).Expect(HttpStatusCode.OK);
        Assert.Equal(75.10m, first.Json["price"]!.GetValue<decimal>());
        Assert.False(first.Headers.ContainsKey("Idempotent-Replayed"));
        var eventsAfterFirst = (await trader1.GetAsync($"{path}/events")).Json.AsArray().Count;

        // Sent again (its answer lost, say): the order as it stands, nothing applied a second time.
        var again = (await trader1.PatchJsonAsync(path, new { price = 75.10m }, $"\"{key}\"")).Expect(HttpStatusCode.OK);
        Assert.Equal("true", again.Headers["Idempotent-Replayed"]);
        Assert.Equal(75.10m, again.Json["price"]!.GetValue<decimal>());
        Assert.Equal(eventsAfterFirst, (await trader1.GetAsync($"{path}/events")).Json.AsArray().Count);

        // The key reused for other terms: refused, nothing changed (a new amendment takes a new key).
        var reused = (await trader1.PatchJsonAsync(path, new { price = 75.20m }, key)).Expect(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("gave it price 75.1, quantity 100", reused.Str("detail"), StringComparison.Ordinal);
        Assert.Equal(75.10m, (await trader1.GetAsync(path)).Json["price"]!.GetValue<decimal>());
        Assert.Equal(eventsAfterFirst, (await trader1.GetAsync($"{path}/events")).Json.AsArray().Count);

        // The order fills at the amended price; the same amendment sent again still learns it was carried out.
        (await trader2.SubmitAsync(2001, "COMI.INT", "Sell", 75.10m, 100)).Expect(HttpStatusCode.Created);
        var afterFill = (await trader1.PatchJsonAsync(path, new { price = 75.10m }, key)).Expect(HttpStatusCode.OK);
        Assert.Equal("true", afterFill.Headers["Idempotent-Replayed"]);
        Assert.Equal("Filled", afterFill.Str("status"));
        Assert.Equal(75.10m, afterFill.Json["price"]!.GetValue<decimal>());
        Assert.Equal(100, afterFill.Long("filledQuantity"));

        // Another amendment (another key, or none) is refused; the refusal states the order's terms as they are.
        var other = (await trader1.PatchJsonAsync(path, new { price = 75.10m }, Guid.NewGuid().ToString())).Expect(HttpStatusCode.Conflict);
        Assert.Equal("Filled", other.Str("orderStatus"));
        Assert.Equal(75.10m, other.Json["price"]!.GetValue<decimal>());
        Assert.Equal(100, other.Long("quantity"));
        (await trader1.PatchJsonAsync(path, new { price = 75.10m })).Expect(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_bad_idempotency_key_is_refused_and_changes_nothing()
    {
        var trader1 = await platform.ClientForAsync("trader1");
        var buy = (await trader1.SubmitAsync(1001, "FAB.INT", "Buy", 14.20m, 100)).Expect(HttpStatusCode.Created);
        var path = $"/api/v1/orders/{buy.OrderId}";
        var before = await platform.CountRowsAsync();

        var tooLong = (await trader1.PatchJsonAsync(path, new { quantity = 90 }, new string('k', 65))).Expect(HttpStatusCode.BadRequest);
        Assert.Contains("1 to 64 characters; this one has 65", tooLong.Errors("Idempotency-Key").Single(), StringComparison.Ordinal);
        var empty = (await trader1.PatchJsonAsync(path, new { quantity = 90 }, "\"\"")).Expect(HttpStatusCode.BadRequest);
        Assert.NotEmpty(empty.Errors("Idempotency-Key"));
        var space = (await trader1.PatchJsonAsync(path, new { quantity = 90 }, "two words")).Expect(HttpStatusCode.BadRequest);
        Assert.Contains("U+0020", space.Errors("Idempotency-Key").Single(), StringComparison.Ordinal);
        Assert.Equal(before, await platform.CountRowsAsync());
        Assert.Equal(100, (await trader1.GetAsync(path)).Long("quantity"));

        (await trader1.DeleteAsync(path)).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_writer_finds_an_amendment_it_carried_out_by_its_key_and_applies_nothing()
    {
        // Two sends of one amendment can reach the writer before either is answered (a standby's forward and the balancer's resend
        // after that standby died): the API's read of the order cannot tell, the writer can.
        var trader1 = await platform.ClientForAsync("trader1");
        var buy = (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 74.00m, 60)).Expect(HttpStatusCode.Created);
        var instrument = platform.Services.GetRequiredService<ReferenceDataCache>().Get("COMI.INT");
        var amend = new ModifyCommand("trader1", buy.OrderId, Price.FromDecimal(74.20m, instrument.Decimals), new Quantity(60), UserId: 2,
            AmendKey: "writer-replay-1");

        var first = await platform.SendAsync(amend);
        Assert.Equal(SequencerOutcome.Modified, first.Outcome);
        var before = await platform.CountRowsAsync();
        var second = await platform.SendAsync(amend with { NewQuantity = new Quantity(50) });
        Assert.Equal(SequencerOutcome.AmendReplayed, second.Outcome);
        Assert.Equal(60, second.Order!.Quantity);
        Assert.Equal(74.20m, second.Order.Price);
        Assert.Equal(before, await platform.CountRowsAsync());
        // Another trader's send with the key learns nothing about the order.
        Assert.Equal(SequencerOutcome.NotYourAccount, (await platform.SendAsync(amend with { UserId = 3 })).Outcome);

        (await trader1.DeleteAsync($"/api/v1/orders/{buy.OrderId}")).Expect(HttpStatusCode.OK);
    }
}
