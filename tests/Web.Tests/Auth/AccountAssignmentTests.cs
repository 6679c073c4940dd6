using System.Net;
using Microsoft.EntityFrameworkCore;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Auth;

/// <summary>An admin gives an account to a trader: the new trader trades it from their next request, the previous one no longer does.</summary>
public sealed class AccountAssignmentTests
{
    private static object NewUser(string userName, string[] roles) => new
    {
        userName, displayName = $"User {userName}", roles, password = "a-long-enough-password",
    };

    [Fact]
    public async Task A_new_trader_trades_an_account_once_an_admin_assigns_it_and_its_previous_trader_no_longer_does()
    {
        await using var platform = new PlatformFactory();
        var admin = await platform.ClientForAsync("admin");
        var trader1 = await platform.ClientForAsync("trader1");
        (await trader1.SubmitAsync(1003, "COMI.INT", "Buy", 78m, 10)).Expect(HttpStatusCode.Created);

        var id = (await admin.PostJsonAsync("/api/v1/users", NewUser("desk.two", ["trader"]))).Expect(HttpStatusCode.Created).Long("id");
        var client = (await admin.PostJsonAsync($"/api/v1/users/{id}/clients", new { })).Expect(HttpStatusCode.Created);
        var newTrader = new ApiClient(platform.CreateClient());
        await newTrader.AuthenticateAsync(client.Str("clientId"), client.Str("clientSecret"));
        Assert.Empty((await newTrader.GetAsync("/api/v1/accounts")).Expect(HttpStatusCode.OK).Json.AsArray());
        (await newTrader.SubmitAsync(1003, "COMI.INT", "Buy", 78m, 10)).Expect(HttpStatusCode.Forbidden);

        var assigned = (await admin.SendAsync(HttpMethod.Put, $"/api/v1/users/{id}/accounts/1003", null)).Expect(HttpStatusCode.OK);
        Assert.Equal([1003L], assigned.Json["accounts"]!.AsArray().Select(a => a!.GetValue<long>()));

        // The same token: the account is theirs at the next request, to read and to trade.
        Assert.Equal([1003L], (await newTrader.GetAsync("/api/v1/accounts")).Expect(HttpStatusCode.OK).Json.AsArray().Select(a => a!["accountId"]!.GetValue<long>()));
        (await newTrader.SubmitAsync(1003, "COMI.INT", "Buy", 78m, 10)).Expect(HttpStatusCode.Created);
        (await trader1.SubmitAsync(1003, "COMI.INT", "Buy", 78m, 10)).Expect(HttpStatusCode.Forbidden);
        Assert.DoesNotContain(1003L, (await trader1.GetAsync("/api/v1/accounts")).Expect(HttpStatusCode.OK).Json.AsArray().Select(a => a!["accountId"]!.GetValue<long>()));

        // Once more changes nothing and writes no second record.
        (await admin.SendAsync(HttpMethod.Put, $"/api/v1/users/{id}/accounts/1003", null)).Expect(HttpStatusCode.OK);
        await platform.WithDbAsync(async db =>
        {
            var record = await db.AuditLog.SingleAsync(a => a.Action == "account.owner_changed");
            Assert.Equal("admin", record.Actor);
            Assert.Equal("account/1003", record.Subject);
            Assert.Contains("\"from\":\"trader1\"", record.Details, StringComparison.Ordinal);
            Assert.Contains("\"to\":\"desk.two\"", record.Details, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Only_an_active_trader_gets_an_account_and_unknown_ids_are_named()
    {
        await using var platform = new PlatformFactory();
        var admin = await platform.ClientForAsync("admin");
        var viewer = (await admin.PostJsonAsync("/api/v1/users", NewUser("just.looking", ["viewer"]))).Expect(HttpStatusCode.Created).Long("id");
        var notATrader = (await admin.SendAsync(HttpMethod.Put, $"/api/v1/users/{viewer}/accounts/1001", null)).Expect(HttpStatusCode.Conflict);
        Assert.Contains("just.looking is not a trader", notATrader.Body, StringComparison.Ordinal);

        var gone = (await admin.PostJsonAsync("/api/v1/users", NewUser("gone.trader", ["trader"]))).Expect(HttpStatusCode.Created).Long("id");
        (await admin.PatchJsonAsync($"/api/v1/users/{gone}", new { isActive = false })).Expect(HttpStatusCode.OK);
        Assert.Contains("gone.trader is deactivated", (await admin.SendAsync(HttpMethod.Put, $"/api/v1/users/{gone}/accounts/1001", null))
            .Expect(HttpStatusCode.Conflict).Body, StringComparison.Ordinal);

        Assert.Contains("there is no account 999999", (await admin.SendAsync(HttpMethod.Put, $"/api/v1/users/{gone}/accounts/999999", null))
            .Expect(HttpStatusCode.NotFound).Body, StringComparison.Ordinal);
        Assert.Contains("there is no user 999999", (await admin.SendAsync(HttpMethod.Put, "/api/v1/users/999999/accounts/1001", null))
            .Expect(HttpStatusCode.NotFound).Body, StringComparison.Ordinal);
        // Nothing changed: 1001 is still trader1's.
        await platform.WithDbAsync(async db => Assert.Equal(2, (await db.Accounts.SingleAsync(a => a.Id == 1001)).OwnerUserId));
        var trader = await platform.ClientForAsync("trader1");
        (await trader.SendAsync(HttpMethod.Put, $"/api/v1/users/{viewer}/accounts/1001", null)).Expect(HttpStatusCode.Forbidden);
    }
}
