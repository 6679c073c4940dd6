using System.Net;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Apis;

/// <summary>POST /api/v1/orders/check: the packs' decision on an order, with order entry's validation, storing nothing.</summary>
public sealed class OrderCheckTests : IDisposable
{
    private readonly PlatformFactory _platform = new();

    public void Dispose() => _platform.Dispose();

    private static object Order(long accountId, string clientOrderId, string symbol = "COMI.INT", decimal price = 80.00m) => new
    {
        accountId, clientOrderId, symbol, side = "Buy", price, quantity = 10,
    };

    [Fact]
    public async Task A_blocked_order_is_explained_and_nothing_is_written()
    {
        var trader2 = await _platform.ClientForAsync("trader2");
        var before = await _platform.CountRowsAsync();
        var reply = (await trader2.PostJsonAsync("/api/v1/orders/check", Order(2002, "check-fatca-1"))).Expect(HttpStatusCode.OK);
        Assert.Equal("Block", reply.Str("outcome"));
        var codes = reply.Json["decision"]!["reasons"]!.AsArray().Select(r => r!["code"]!.GetValue<string>()).ToList();
        Assert.Contains(codes, c => c.Contains("FATCA", StringComparison.Ordinal));
        Assert.Equal(before, await _platform.CountRowsAsync());
    }

    [Fact]
    public async Task A_passing_check_leaves_the_client_order_id_free_for_the_real_order()
    {
        var trader1 = await _platform.ClientForAsync("trader1");
        var reply = (await trader1.PostJsonAsync("/api/v1/orders/check", Order(1001, "check-then-send"))).Expect(HttpStatusCode.OK);
        Assert.Equal("Pass", reply.Str("outcome"));
        var sent = (await trader1.PostJsonAsync("/api/v1/orders", Order(1001, "check-then-send"))).Expect(HttpStatusCode.Created);
        Assert.Equal("Accepted", sent.Str("status"));
    }

    [Fact]
    public async Task A_check_is_validated_like_an_order()
    {
        var trader1 = await _platform.ClientForAsync("trader1");
        var bad = (await trader1.PostJsonAsync("/api/v1/orders/check", Order(1001, "check-tick", price: 80.005m))).Expect(HttpStatusCode.BadRequest);
        Assert.NotEmpty(bad.Errors("price"));
        (await trader1.PostJsonAsync("/api/v1/orders/check", Order(2001, "check-not-mine"))).Expect(HttpStatusCode.Forbidden);
        var viewer = await _platform.ClientForAsync("viewer1");
        (await viewer.PostJsonAsync("/api/v1/orders/check", Order(1001, "check-viewer"))).Expect(HttpStatusCode.Forbidden);
    }
}
