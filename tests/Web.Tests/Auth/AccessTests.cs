using System.Net;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Auth;

/// <summary>Who may do what: no anonymous access, traders trade their own accounts, the other roles only read.</summary>
public sealed class AccessTests(PlatformFactory platform) : IClassFixture<PlatformFactory>
{
    public static TheoryData<string> DataEndpoints =>
    [
        "/api/v1/orders", "/api/v1/orders/1", "/api/v1/orders/1/events", "/api/v1/trades", "/api/v1/instruments",
        "/api/v1/instruments/COMI/depth", "/api/v1/instruments/COMI/quote", "/api/v1/venues", "/api/v1/accounts", "/api/v1/me", "/api/v1/audit/verify",
    ];

    [Theory]
    [MemberData(nameof(DataEndpoints))]
    public async Task Nothing_is_served_without_a_token(string path)
    {
        var reply = await platform.Anonymous().GetAsync(path);
        Assert.Equal(HttpStatusCode.Unauthorized, reply.Status);
    }

    [Fact]
    public async Task Anonymous_order_entry_is_refused()
    {
        var reply = await platform.Anonymous().SubmitAsync(1001, "COMI.INT", "Buy", 80m, 10);
        Assert.Equal(HttpStatusCode.Unauthorized, reply.Status);
    }

    [Fact]
    public async Task A_wrong_client_secret_gets_no_token()
    {
        var http = platform.CreateClient();
        using var response = await http.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = "trader1", ["client_secret"] = "guess",
        }));
        Assert.False(response.IsSuccessStatusCode);
        Assert.Contains("invalid_client", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_carries_the_users_roles()
    {
        var me = (await (await platform.ClientForAsync("compliance1")).GetAsync("/api/v1/me")).Expect(HttpStatusCode.OK);
        Assert.Equal("compliance1", me.Str("userName"));
        Assert.Equal(["compliance"], me.Json["roles"]!.AsArray().Select(r => r!.GetValue<string>()));
    }

    [Theory]
    [InlineData("admin")]
    [InlineData("compliance1")]
    [InlineData("regulator1")]
    [InlineData("viewer1")]
    public async Task Only_traders_place_amend_or_cancel_orders(string clientId)
    {
        var trader1 = await platform.ClientForAsync("trader1");
        var order = (await trader1.SubmitAsync(1001, "COMI.INT", "Sell", 86m, 10)).Expect(HttpStatusCode.Created);
        var other = await platform.ClientForAsync(clientId);
        var before = await platform.CountRowsAsync();

        (await other.SubmitAsync(1001, "COMI.INT", "Buy", 80m, 10)).Expect(HttpStatusCode.Forbidden);
        (await other.PatchJsonAsync($"/api/v1/orders/{order.OrderId}", new { quantity = 5 })).Expect(HttpStatusCode.Forbidden);
        (await other.DeleteAsync($"/api/v1/orders/{order.OrderId}")).Expect(HttpStatusCode.Forbidden);

        Assert.Equal(before, await platform.CountRowsAsync());
        (await other.GetAsync($"/api/v1/orders/{order.OrderId}")).Expect(HttpStatusCode.OK);
        (await trader1.DeleteAsync($"/api/v1/orders/{order.OrderId}")).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_trader_cannot_see_or_touch_another_traders_orders()
    {
        var trader1 = await platform.ClientForAsync("trader1");
        var trader2 = await platform.ClientForAsync("trader2");
        var order = (await trader2.SubmitAsync(2001, "FAB.INT", "Sell", 17m, 10)).Expect(HttpStatusCode.Created);

        (await trader1.GetAsync($"/api/v1/orders/{order.OrderId}")).Expect(HttpStatusCode.NotFound);
        (await trader1.GetAsync($"/api/v1/orders/{order.OrderId}/events")).Expect(HttpStatusCode.NotFound);
        (await trader1.PatchJsonAsync($"/api/v1/orders/{order.OrderId}", new { quantity = 5 })).Expect(HttpStatusCode.NotFound);
        (await trader1.DeleteAsync($"/api/v1/orders/{order.OrderId}")).Expect(HttpStatusCode.NotFound);
        (await trader1.GetAsync("/api/v1/orders?accountId=2001")).Expect(HttpStatusCode.Forbidden);
        (await trader1.GetAsync("/api/v1/trades?accountId=2001")).Expect(HttpStatusCode.Forbidden);

        var listed = (await trader1.GetAsync("/api/v1/orders?pageSize=200")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray();
        Assert.DoesNotContain(listed, o => o!["accountId"]!.GetValue<long>() is 2001 or 2002 or 2003);
        var accounts = (await trader1.GetAsync("/api/v1/accounts")).Expect(HttpStatusCode.OK).Json.AsArray();
        Assert.Equal([1001L, 1002L, 1003L, 1004L], accounts.Select(a => a!["accountId"]!.GetValue<long>()));
        (await trader2.DeleteAsync($"/api/v1/orders/{order.OrderId}")).Expect(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("trader1", HttpStatusCode.Forbidden)]
    [InlineData("viewer1", HttpStatusCode.Forbidden)]
    [InlineData("admin", HttpStatusCode.OK)]
    [InlineData("compliance1", HttpStatusCode.OK)]
    [InlineData("regulator1", HttpStatusCode.OK)]
    public async Task The_audit_trail_is_for_admins_compliance_and_regulators(string clientId, HttpStatusCode expected)
    {
        var reply = await (await platform.ClientForAsync(clientId)).GetAsync("/api/v1/audit/verify");
        Assert.Equal(expected, reply.Status);
    }
}
