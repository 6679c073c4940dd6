using System.Net;
using System.Text.Json.Nodes;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using TradSys.Web.Tests.Support;

namespace TradSys.Integration.Tests;

/// <summary>A rule-pack replay in the production mode: the run and its changes in PostgreSQL, the job under Hangfire on PostgreSQL.</summary>
[Collection(ProductionCollection.Name)]
public sealed class ReplayOnPostgresTests : IAsyncLifetime
{
    private readonly ProductionPlatformFactory _platform = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _platform.DisposeAsync();

    [Fact]
    public async Task A_replay_runs_as_a_Hangfire_job_on_PostgreSQL_and_reports_the_orders_a_narrower_collar_would_block()
    {
        var trader2 = await _platform.ClientForAsync("trader2");
        var compliance = await _platform.ClientForAsync("compliance1");
        Assert.Equal("Hangfire.PostgreSql.PostgreSqlStorage", _platform.Services.GetRequiredService<JobStorage>().GetType().FullName);
        // Account 2003 (US): the SEC collar applies. FAB.INT's reference price is 15.50; the draft narrows the collar to 1%.
        var inside = (await trader2.SubmitAsync(2003, "FAB.INT", "Buy", 15.60m, 10)).Expect(HttpStatusCode.Created).OrderId;
        var beyond = (await trader2.SubmitAsync(2003, "FAB.INT", "Buy", 15.00m, 20)).Expect(HttpStatusCode.Created).OrderId;
        var blocked = (await trader2.SubmitAsync(2002, "COMI.INT", "Buy", 80m, 10)).Expect(HttpStatusCode.Created).OrderId; // FATCA, both ways

        var (run, _) = await ReplaySamples.RunAsync(compliance,
            ReplaySamples.Request(JsonValue.Create(ReplaySamples.SecWithCollarLowPct("1.1.0", 1))), TimeSpan.FromSeconds(120));

        Assert.Equal("Completed", run["status"]!.GetValue<string>());
        Assert.Equal(3, run["total"]!.GetValue<int>());
        Assert.Equal(3, run["processed"]!.GetValue<int>());
        Assert.Equal(1, run["changed"]!.GetValue<int>());
        Assert.Equal(2, run["unchanged"]!.GetValue<int>());
        var change = Assert.Single(await ReplaySamples.ChangesAsync(compliance, run["id"]!.GetValue<string>()));
        Assert.Equal(beyond, change["orderId"]!.GetValue<long>());
        Assert.Equal("Block", change["draftOutcome"]!.GetValue<string>());
        Assert.Equal("SEC.PRICE_COLLAR", Assert.Single(change["newlyFired"]!.AsArray())!["ruleId"]!.GetValue<string>());

        // Stored in PostgreSQL: every decision with its context, the run and its one change row.
        await using var connection = new NpgsqlConnection(_platform.ConnectionString);
        await connection.OpenAsync();
        await using (var contexts = new NpgsqlCommand(
            "SELECT count(*) FROM rule_decisions WHERE \"OrderId\" = ANY(@ids) AND \"ContextJson\" IS NOT NULL", connection))
        {
            contexts.Parameters.AddWithValue("ids", new[] { inside, beyond, blocked });
            Assert.Equal(3L, (long)(await contexts.ExecuteScalarAsync())!);
        }
        await using (var stored = new NpgsqlCommand(
            "SELECT r.\"Status\", r.\"Processed\", (SELECT count(*) FROM rule_pack_replay_changes c WHERE c.\"ReplayId\" = r.\"Id\") " +
            "FROM rule_pack_replays r WHERE r.\"Id\" = @id", connection))
        {
            stored.Parameters.AddWithValue("id", Guid.Parse(run["id"]!.GetValue<string>()));
            await using var row = await stored.ExecuteReaderAsync();
            Assert.True(await row.ReadAsync());
            Assert.Equal("Completed", row.GetString(0));
            Assert.Equal(3, row.GetInt32(1));
            Assert.Equal(1L, row.GetInt64(2));
        }
    }
}
