using System.Net;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Ordering;

/// <summary>What was acknowledged survives a restart: the books are rebuilt from the database in time priority.</summary>
public sealed class RestartTests
{
    [Fact]
    public async Task The_embedded_database_runs_with_a_write_ahead_log_and_full_synchronous_commits()
    {
        await using var platform = new PlatformFactory();
        _ = platform.CreateClient();
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={platform.DatabasePath};Pooling=false");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
        // FULL (2): a commit the writer acknowledged is on disk, not only in the log's page cache.
        command.CommandText = "PRAGMA synchronous;";
        Assert.Equal(2L, (long)(await command.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task Working_orders_survive_a_restart_in_time_priority_and_trade_afterwards()
    {
        string path;
        long first, second;
        await using (var before = new PlatformFactory())
        {
            path = before.DatabasePath;
            var trader1 = await before.ClientForAsync("trader1");
            first = (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 79m, 30)).Expect(HttpStatusCode.Created).OrderId;
            second = (await trader1.SubmitAsync(1002, "COMI.INT", "Buy", 79m, 30)).Expect(HttpStatusCode.Created).OrderId;
        }

        await using var after = new PlatformFactory { DatabasePath = path };
        var trader2 = await after.ClientForAsync("trader2");
        var sell = (await trader2.SubmitAsync(2001, "COMI.INT", "Sell", 79m, 40)).Expect(HttpStatusCode.Created);

        Assert.Equal("Filled", sell.Str("status"));
        var trader1After = await after.ClientForAsync("trader1");
        Assert.Equal("Filled", (await trader1After.GetAsync($"/api/v1/orders/{first}")).Str("status"));
        var secondAfter = (await trader1After.GetAsync($"/api/v1/orders/{second}")).Expect(HttpStatusCode.OK);
        Assert.Equal("PartiallyFilled", secondAfter.Str("status"));
        Assert.Equal(10, secondAfter.Long("filledQuantity"));
        var next = (await trader1After.SubmitAsync(1001, "COMI.INT", "Buy", 75m, 10)).Expect(HttpStatusCode.Created).OrderId;
        Assert.True(next > second, "order ids continue after a restart");
    }

    [Fact]
    public async Task Client_order_ids_survive_a_restart_a_resend_gets_its_order_and_other_terms_conflict()
    {
        string path;
        long id;
        await using (var before = new PlatformFactory())
        {
            path = before.DatabasePath;
            var trader1 = await before.ClientForAsync("trader1");
            id = (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 78m, 30, clientOrderId: "restart-resend-1")).Expect(HttpStatusCode.Created).OrderId;
            (await trader1.PatchJsonAsync($"/api/v1/orders/{id}", new { quantity = 20 })).Expect(HttpStatusCode.OK);
        }

        // The writer keeps every client order id in memory, rebuilt from the orders table at start-up.
        await using var after = new PlatformFactory { DatabasePath = path };
        var trader1After = await after.ClientForAsync("trader1");
        var again = (await trader1After.SubmitAsync(1001, "COMI.INT", "Buy", 78m, 30, clientOrderId: "restart-resend-1")).Expect(HttpStatusCode.OK);
        Assert.Equal(id, again.OrderId);
        Assert.Equal(20, again.Long("quantity"));
        (await trader1After.SubmitAsync(1001, "COMI.INT", "Buy", 78m, 40, clientOrderId: "restart-resend-1")).Expect(HttpStatusCode.Conflict);
        // The same client order id on another account is another order.
        (await trader1After.SubmitAsync(1002, "COMI.INT", "Buy", 78m, 30, clientOrderId: "restart-resend-1")).Expect(HttpStatusCode.Created);
    }

    [Fact]
    public async Task An_amendments_idempotency_key_survives_a_restart()
    {
        string path;
        long id;
        await using (var before = new PlatformFactory())
        {
            path = before.DatabasePath;
            var trader1 = await before.ClientForAsync("trader1");
            id = (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 77m, 30)).Expect(HttpStatusCode.Created).OrderId;
            (await trader1.PatchJsonAsync($"/api/v1/orders/{id}", new { price = 77.5m }, "restart-amend-1")).Expect(HttpStatusCode.OK);
        }

        // The key is kept on the order's row, so a resend that reaches another writer (a restart, a failover) is still recognised.
        await using var after = new PlatformFactory { DatabasePath = path };
        var trader1After = await after.ClientForAsync("trader1");
        var again = (await trader1After.PatchJsonAsync($"/api/v1/orders/{id}", new { price = 77.5m }, "restart-amend-1")).Expect(HttpStatusCode.OK);
        Assert.Equal("true", again.Headers["Idempotent-Replayed"]);
        Assert.Equal(77.5m, again.Json["price"]!.GetValue<decimal>());
        var events = (await trader1After.GetAsync($"/api/v1/orders/{id}/events")).Json.AsArray();
        Assert.Single(events, e => e!["kind"]?.GetValue<string>() == "Modified");
    }
}
