using System.Net;
using Npgsql;

namespace TradSys.Integration.Tests;

/// <summary>The rules stage on PostgreSQL: a blocked and a held order are stored with their decisions in the order's transaction.</summary>
[Collection(ProductionCollection.Name)]
public sealed class RulesOnPostgresTests : IAsyncLifetime
{
    private readonly ProductionPlatformFactory _platform = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _platform.DisposeAsync();

    [Fact]
    public async Task A_blocked_order_is_stored_rejected_with_its_decision()
    {
        var trader2 = await _platform.ClientForAsync("trader2");
        // 2002 has US indicia and no W-9: FATCA blocks.
        var reply = (await trader2.SubmitAsync(2002, "COMI.INT", "Buy", 80m, 10)).Expect(HttpStatusCode.Created);
        Assert.Equal("Rejected", reply.Str("status"));

        await using var connection = new NpgsqlConnection(_platform.ConnectionString);
        await connection.OpenAsync();
        Assert.Equal(("Rejected", "Block"), await OrderAsync(connection, reply.OrderId));
        var (outcome, codes, json) = await DecisionAsync(connection, reply.OrderId);
        Assert.Equal("Block", outcome);
        Assert.Contains("FATCA-", codes, StringComparison.Ordinal);
        Assert.Contains("FATCA.INDICIA_UNCURED", json, StringComparison.Ordinal);
        await using var journal = new NpgsqlCommand("SELECT \"Kind\", \"ReasonCode\" FROM order_events WHERE \"OrderId\" = @id", connection);
        journal.Parameters.AddWithValue("id", reply.OrderId);
        await using var row = await journal.ExecuteReaderAsync();
        Assert.True(await row.ReadAsync());
        Assert.Equal("Rejected", row.GetString(0));
        Assert.Equal(4001, row.GetInt32(1));
    }

    [Fact]
    public async Task A_held_order_is_stored_pending_review_and_can_be_canceled()
    {
        var trader1 = await _platform.ClientForAsync("trader1"); // starts the platform, which creates the database
        await using (var setup = new NpgsqlConnection(_platform.ConnectionString))
        {
            // Before the first order: a pre-existing individual account over USD 1m without the enhanced review.
            await setup.OpenAsync();
            await using var update = new NpgsqlCommand(
                "UPDATE accounts SET \"IsPreexisting\" = true, \"BalanceUsd\" = 2000000 WHERE \"Id\" = 1002", setup);
            Assert.Equal(1, await update.ExecuteNonQueryAsync());

            var reply = (await trader1.SubmitAsync(1002, "COMI.INT", "Buy", 79m, 10)).Expect(HttpStatusCode.Created);
            Assert.Equal("PendingReview", reply.Str("status"));
            Assert.Equal(("PendingReview", "Review"), await OrderAsync(setup, reply.OrderId));
            var (outcome, codes, _) = await DecisionAsync(setup, reply.OrderId);
            Assert.Equal("Review", outcome);
            Assert.Contains("FATCA-", codes, StringComparison.Ordinal);

            (await trader1.DeleteAsync($"/api/v1/orders/{reply.OrderId}")).Expect(HttpStatusCode.OK);
            Assert.Equal(("Canceled", "Review"), await OrderAsync(setup, reply.OrderId));
        }
    }

    private static async Task<(string Status, string RuleOutcome)> OrderAsync(NpgsqlConnection connection, long id)
    {
        await using var command = new NpgsqlCommand("SELECT \"Status\", \"RuleOutcome\" FROM orders WHERE \"Id\" = @id", connection);
        command.Parameters.AddWithValue("id", id);
        await using var row = await command.ExecuteReaderAsync();
        Assert.True(await row.ReadAsync(), $"order {id} is not in PostgreSQL");
        return (row.GetString(0), row.GetString(1));
    }

    private static async Task<(string Outcome, string Codes, string Json)> DecisionAsync(NpgsqlConnection connection, long id)
    {
        await using var command = new NpgsqlCommand("SELECT \"Outcome\", \"ReasonCodes\", \"Json\" FROM rule_decisions WHERE \"OrderId\" = @id", connection);
        command.Parameters.AddWithValue("id", id);
        await using var row = await command.ExecuteReaderAsync();
        Assert.True(await row.ReadAsync(), $"no decision for order {id}");
        return (row.GetString(0), row.GetString(1), row.GetString(2));
    }
}
