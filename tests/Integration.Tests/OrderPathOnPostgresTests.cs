using System.Collections.Concurrent;
using System.Net;
using MassTransit;
using Npgsql;
using TradSys.Contracts;
using TradSys.Web.Tests.Support;

namespace TradSys.Integration.Tests;

/// <summary>The order path on the production stack: PostgreSQL holds what was acknowledged, RabbitMQ carries the trades.</summary>
[Collection(ProductionCollection.Name)]
public sealed class OrderPathOnPostgresTests : IAsyncLifetime
{
    private readonly ProductionPlatformFactory _platform = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _platform.DisposeAsync();

    [Fact]
    public async Task An_accepted_order_is_in_PostgreSQL_when_the_reply_arrives()
    {
        var trader1 = await _platform.ClientForAsync("trader1");

        var reply = (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 79.50m, 100, clientOrderId: "pg-durable-1")).Expect(HttpStatusCode.Created);

        // Read straight from the server on a separate connection, right after the reply: no waiting, no retry.
        await using var connection = new NpgsqlConnection(_platform.ConnectionString);
        await connection.OpenAsync();
        await using var order = new NpgsqlCommand(
            "SELECT \"Status\", \"Quantity\", \"Price\", \"ClientOrderId\" FROM orders WHERE \"Id\" = @id", connection);
        order.Parameters.AddWithValue("id", reply.OrderId);
        await using (var row = await order.ExecuteReaderAsync())
        {
            Assert.True(await row.ReadAsync(), "the acknowledged order is not in PostgreSQL");
            Assert.Equal("Accepted", row.GetString(0));
            Assert.Equal(100, row.GetInt64(1));
            Assert.Equal(79.50m, row.GetDecimal(2));
            Assert.Equal("pg-durable-1", row.GetString(3));
        }
        await using var journal = new NpgsqlCommand("SELECT \"Kind\" FROM order_events WHERE \"OrderId\" = @id ORDER BY \"Sequence\"", connection);
        journal.Parameters.AddWithValue("id", reply.OrderId);
        Assert.Equal("Accepted", (string?)await journal.ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_trade_is_published_on_RabbitMQ_with_the_order_and_market_data_updates()
    {
        var trades = new ConcurrentQueue<TradeExecuted>();
        var updates = new ConcurrentQueue<OrderUpdated>();
        var journal = new ConcurrentQueue<JournalCommitted>();
        var depth = new ConcurrentQueue<DepthUpdated>();
        var quotes = new ConcurrentQueue<QuoteUpdated>();
        var rabbit = ProductionPlatformFactory.RabbitUri;
        var credentials = rabbit.UserInfo.Split(':', 2);
        var listener = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(rabbit.Host, (ushort)rabbit.Port, "/", h =>
            {
                h.Username(Uri.UnescapeDataString(credentials[0]));
                h.Password(Uri.UnescapeDataString(credentials[1]));
            });
            cfg.ReceiveEndpoint($"tradsys-it-{Guid.NewGuid():N}", e =>
            {
                e.AutoDelete = true;
                e.Durable = false;
                // One message at a time, so the order heard is the order published.
                e.PrefetchCount = 1;
                e.ConcurrentMessageLimit = 1;
                e.Handler<JournalCommitted>(ctx =>
                {
                    journal.Enqueue(ctx.Message);
                    foreach (var t in ctx.Message.Trades)
                    {
                        trades.Enqueue(t);
                    }
                    foreach (var u in ctx.Message.Updates)
                    {
                        updates.Enqueue(u);
                    }
                    return Task.CompletedTask;
                });
                e.Handler<DepthUpdated>(ctx => { depth.Enqueue(ctx.Message); return Task.CompletedTask; });
                e.Handler<QuoteUpdated>(ctx => { quotes.Enqueue(ctx.Message); return Task.CompletedTask; });
            });
        });
        using var start = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await listener.StartAsync(start.Token);
        try
        {
            var trader1 = await _platform.ClientForAsync("trader1");
            var trader2 = await _platform.ClientForAsync("trader2");
            var buy = (await trader1.SubmitAsync(1001, "FAB.INT", "Buy", 15.60m, 200)).Expect(HttpStatusCode.Created).OrderId;
            var sell = (await trader2.SubmitAsync(2001, "FAB.INT", "Sell", 15.50m, 200)).Expect(HttpStatusCode.Created).OrderId;

            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (DateTime.UtcNow < deadline &&
                   !(trades.Any(t => t.BuyOrderId == buy && t.SellOrderId == sell) && updates.Count(u => u.Status == "Filled") >= 2
                     && quotes.Any(q => q.Symbol == "FAB.INT" && q.Volume == 200)))
            {
                await Task.Delay(100);
            }

            var trade = Assert.Single(trades, t => t.BuyOrderId == buy && t.SellOrderId == sell);
            Assert.Equal(15.60m, trade.Price);
            Assert.Equal(200, trade.Quantity);
            Assert.Equal("FAB.INT", trade.Symbol);
            Assert.Equal("AED", trade.Currency);
            Assert.Equal(["Accepted", "Filled"], updates.Where(u => u.OrderId == buy).OrderBy(u => u.Sequence).Select(u => u.Kind));
            Assert.Equal(["Accepted", "Filled"], updates.Where(u => u.OrderId == sell).OrderBy(u => u.Sequence).Select(u => u.Kind));
            // One message per committed batch: the sell's batch carries its own entries and the trade together, and the
            // messages arrive in journal order.
            var sellBatch = Assert.Single(journal, m => m.Trades.Any(t => t.SellOrderId == sell));
            Assert.Contains(sellBatch.Updates, u => u.OrderId == sell && u.Kind == "Filled");
            Assert.Contains(sellBatch.Updates, u => u.OrderId == buy && u.Kind == "Filled");
            var sequences = journal.SelectMany(m => m.Updates).Select(u => u.Sequence).ToList();
            Assert.Equal(sequences.Order(), sequences);

            // Market data: the bid appeared, then went; the quote shows the trade.
            var fab = depth.Where(d => d.Symbol == "FAB.INT").OrderBy(d => d.Sequence).ToList();
            Assert.Equal([new DepthLevelChange(15.60m, 200, 1)], fab[0].Bids);
            Assert.Equal([new DepthLevelChange(15.60m, 0, 0)], fab[1].Bids);
            Assert.True(fab[1].Sequence > fab[0].Sequence);
            var quote = quotes.Where(q => q.Symbol == "FAB.INT").MaxBy(q => q.Sequence)!;
            Assert.Equal(15.60m, quote.Last);
            Assert.Equal(200, quote.Volume);
            Assert.Null(quote.Bid);
        }
        finally
        {
            await listener.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task The_audit_chain_verifies_after_a_round_trip_through_PostgreSQL()
    {
        var trader1 = await _platform.ClientForAsync("trader1");
        for (var i = 0; i < 5; i++)
        {
            (await trader1.SubmitAsync(1002, "COMI.INT", "Buy", 78.10m + (i * 0.01m), 10)).Expect(HttpStatusCode.Created);
        }
        var verify = (await (await _platform.ClientForAsync("regulator1")).GetAsync("/api/v1/audit/verify")).Expect(HttpStatusCode.OK).Json;
        Assert.True(verify["valid"]!.GetValue<bool>(), verify.ToJsonString());
        Assert.True(verify["recordsChecked"]!.GetValue<long>() >= 7);
    }

    [Fact]
    public async Task With_the_database_refusing_connections_orders_amends_and_cancels_get_503_with_retry_after_and_nothing_acknowledged_is_lost()
    {
        var trader1 = await _platform.ClientForAsync("trader1");
        var resting = (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 79.00m, 50, clientOrderId: "pg-outage-resting")).Expect(HttpStatusCode.Created);

        await using var admin = new NpgsqlConnection(ProductionPlatformFactory.BaseConnectionString);
        await admin.OpenAsync();
        async Task AdminAsync(string sql)
        {
            await using var command = new NpgsqlCommand(sql, admin);
            await command.ExecuteNonQueryAsync();
        }
        // The platform's database stops taking connections, and the ones it has are cut: what a restart of PostgreSQL looks like.
        await AdminAsync($"ALTER DATABASE \"{_platform.DatabaseName}\" ALLOW_CONNECTIONS false");
        await AdminAsync($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{_platform.DatabaseName}' AND usename = current_user");
        try
        {
            var submit = await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 78.00m, 10, clientOrderId: "pg-outage-new");
            var amend = await trader1.PatchJsonAsync($"/api/v1/orders/{resting.OrderId}", new { quantity = 40 });
            var cancel = await trader1.DeleteAsync($"/api/v1/orders/{resting.OrderId}");
            foreach (var reply in new[] { submit, amend, cancel })
            {
                reply.Expect(HttpStatusCode.ServiceUnavailable);
                Assert.Equal("Not carried out", reply.Str("title"));
                Assert.Contains("not carried out", reply.Str("detail"), StringComparison.Ordinal);
                Assert.True(reply.RetryAfter is > 0, $"a 503 carries Retry-After: {reply.Body}");
            }
        }
        finally
        {
            await AdminAsync($"ALTER DATABASE \"{_platform.DatabaseName}\" ALLOW_CONNECTIONS true");
        }

        // Back: the writer rebuilds its books from what was committed, and the same requests go through.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        Reply again;
        while ((again = await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 78.00m, 10, clientOrderId: "pg-outage-new")).Status == HttpStatusCode.ServiceUnavailable
               && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
        }
        again.Expect(HttpStatusCode.Created);
        var kept = (await trader1.GetAsync($"/api/v1/orders/{resting.OrderId}")).Expect(HttpStatusCode.OK);
        Assert.Equal("Accepted", kept.Str("status"));
        Assert.Equal(50, kept.Long("quantity"));
        (await trader1.DeleteAsync($"/api/v1/orders/{resting.OrderId}")).Expect(HttpStatusCode.OK);
    }
}
