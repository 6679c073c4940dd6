using System.Net;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Apis;

/// <summary>
/// Order-entry throttling per user: beyond the bucket a new order or an amend gets 429 with Retry-After and a problem that
/// states the limit, and nothing is written; another user has their own bucket; cancels are never throttled. The bucket
/// refills by real time, so this host's limit is set so that a second's refill cannot make the test pass or fail by luck.
/// </summary>
public sealed class OrderRateLimitTests : IClassFixture<OrderRateLimitTests.ThrottledPlatform>
{
    private readonly ThrottledPlatform platform;

    public OrderRateLimitTests(ThrottledPlatform platform) => this.platform = platform;

    /// <summary>A platform whose traders may send 1 order a second, in bursts of 3.</summary>
    public sealed class ThrottledPlatform : PlatformFactory
    {
        public ThrottledPlatform()
        {
            Settings["Trading:OrderRateLimit:PerSecond"] = "1";
            Settings["Trading:OrderRateLimit:Burst"] = "3";
        }
    }

    [Fact]
    public async Task Beyond_the_burst_order_entry_is_refused_with_429_and_nothing_is_written_but_cancels_still_work()
    {
        var trader1 = await platform.ClientForAsync("trader1");
        var accepted = new List<long>();
        HttpStatusCode? refusedWith = null;
        Reply? refusal = null;
        // A burst of 3, refilled at 1 a second: within ten quick sends at least one is refused, whatever the timing.
        for (var i = 0; i < 10 && refusal is null; i++)
        {
            var reply = await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 75m + i, 10);
            if (reply.Status == HttpStatusCode.Created)
            {
                accepted.Add(reply.OrderId);
                continue;
            }
            refusedWith = reply.Status;
            refusal = reply;
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, refusedWith);
        Assert.InRange(accepted.Count, 3, 9);
        Assert.Contains("limited to 1 a second per user (bursts of 3)", refusal!.Str("detail"), StringComparison.Ordinal);
        Assert.Contains("Cancels are never limited", refusal.Str("detail"), StringComparison.Ordinal);

        // The refused request wrote nothing, and a further send within the same moment is refused as well.
        var before = await platform.CountRowsAsync();
        using var raw = await trader1.Http.PostAsync("/api/v1/orders", new StringContent(
            """{"accountId":1001,"clientOrderId":"throttled-1","symbol":"COMI.INT","side":"Buy","price":75,"quantity":10}""",
            System.Text.Encoding.UTF8, "application/json"));
        if (raw.StatusCode == HttpStatusCode.TooManyRequests)
        {
            Assert.True(raw.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), $"Retry-After: {raw.Headers.RetryAfter}");
            Assert.Equal(before, await platform.CountRowsAsync());
        }
        else
        {
            // A second passed since the refusal and the bucket refilled one token: the order was taken.
            Assert.Equal(HttpStatusCode.Created, raw.StatusCode);
            accepted.Add(System.Text.Json.Nodes.JsonNode.Parse(await raw.Content.ReadAsStringAsync())!["orderId"]!.GetValue<long>());
        }

        // Cancels are not throttled: every accepted order can be taken off at once.
        foreach (var id in accepted)
        {
            (await trader1.DeleteAsync($"/api/v1/orders/{id}")).Expect(HttpStatusCode.OK);
        }

        // Another user has their own bucket.
        var trader2 = await platform.ClientForAsync("trader2");
        (await trader2.SubmitAsync(2001, "FAB.INT", "Sell", 17m, 10)).Expect(HttpStatusCode.Created);
    }
}
