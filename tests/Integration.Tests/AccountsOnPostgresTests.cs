using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using TradSys.Web.Persistence;
using TradSys.Web.Tests.Support;

namespace TradSys.Integration.Tests;

/// <summary>
/// Client onboarding on PostgreSQL (issue 14): the migration's account_versions table and W-8BEN signing date, and an edit through
/// the API deciding the very next order through the accounts table's trigger-raised change counter.
/// </summary>
[Collection(ProductionCollection.Name)]
public sealed class AccountsOnPostgresTests : IAsyncLifetime
{
    private readonly ProductionPlatformFactory _platform = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _platform.DisposeAsync();

    private static async Task<Reply> PutAsync(ApiClient client, string path, JsonNode body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, path) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
        using var response = await client.Http.SendAsync(request);
        return new Reply(response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.Location);
    }

    /// <summary>The audit filter by account (its own records and its orders') as PostgreSQL translates it.</summary>
    [Fact]
    public async Task The_audit_trail_of_an_account_holds_its_own_records_and_those_of_its_orders()
    {
        var trader1 = await _platform.ClientForAsync("trader1");
        var mine = (await trader1.SubmitAsync(1002, "COMI.INT", "Buy", 79m, 10)).Expect(HttpStatusCode.Created).OrderId;
        var other = (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 79m, 10)).Expect(HttpStatusCode.Created).OrderId;
        var ops = await _platform.ClientForAsync("ops1");
        (await ops.PostJsonAsync("/api/v1/accounts/1002/cash/deposits", new { currency = "EGP", amount = 100m, reference = "W-9", reason = "wire" }))
            .Expect(HttpStatusCode.Created);
        var compliance = await _platform.ClientForAsync("compliance1");

        var subjects = (await compliance.GetAsync("/api/v1/audit?account=1002&pageSize=500")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray()
            .Select(r => r!["subject"]!.GetValue<string>()).ToList();

        Assert.Contains($"order/{mine}", subjects);
        Assert.Contains("account/1002", subjects);
        Assert.DoesNotContain($"order/{other}", subjects);
        Assert.All(subjects, s => Assert.True(s == "account/1002" || s == $"order/{mine}", s));
    }

    [Fact]
    public async Task An_edit_is_stored_as_a_version_and_decides_the_very_next_order()
    {
        var ops = await _platform.ClientForAsync("ops1");
        var trader1 = await _platform.ClientForAsync("trader1");
        Assert.Equal("Accepted", (await trader1.SubmitAsync(1002, "COMI.INT", "Buy", 80m, 10)).Expect(HttpStatusCode.Created).Str("status"));

        var account = (await ops.GetAsync("/api/v1/accounts/1002")).Expect(HttpStatusCode.OK).Json;
        account["shariaOnly"] = true;
        account["fatcaStatus"] = "ForeignCertifiedW8";
        account["w8BenSignedOn"] = "2026-01-05";
        account["reason"] = "Sharia-only at the client's request; W-8BEN received";
        var edited = (await PutAsync(ops, "/api/v1/accounts/1002", account)).Expect(HttpStatusCode.OK).Json;
        Assert.Equal((1, "2029-12-31"), (edited["version"]!.GetValue<int>(), edited["w8BenExpiresOn"]!.GetValue<string>()));

        var blocked = (await trader1.SubmitAsync(1002, "COMI.INT", "Buy", 80m, 10)).Expect(HttpStatusCode.Created);
        Assert.Equal("Rejected", blocked.Str("status"));
        Assert.Contains("SHARIA.EXCLUDED_SECTOR", blocked.Str("rejectReason"), StringComparison.Ordinal);

        await using var connection = new NpgsqlConnection(_platform.ConnectionString);
        await connection.OpenAsync();
        await using var read = new NpgsqlCommand(
            "SELECT v.\"Version\", v.\"ChangedBy\", v.\"ChangedFields\", a.\"W8BenSignedOn\", a.\"W8BenExpiresOn\" FROM account_versions v " +
            "JOIN accounts a ON a.\"Id\" = v.\"AccountId\" WHERE v.\"AccountId\" = 1002", connection);
        await using var row = await read.ExecuteReaderAsync();
        Assert.True(await row.ReadAsync());
        Assert.Equal((1, "ops1"), (row.GetInt32(0), row.GetString(1)));
        Assert.Equal(["fatcaStatus", "w8BenSignedOn", "w8BenExpiresOn", "shariaOnly"], JsonNode.Parse(row.GetString(2))!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.Equal((new DateOnly(2026, 1, 5), new DateOnly(2029, 12, 31)), (row.GetFieldValue<DateOnly>(3), row.GetFieldValue<DateOnly>(4)));
        Assert.False(await row.ReadAsync());

        var created = (await ops.PostJsonAsync("/api/v1/accounts", new
        {
            name = "Delta Trading LLC", ownerUserId = 3, clientCategory = "Professional", isClassified = true, isLegalEntity = true, jurisdiction = "Us",
            lei = "784F5XWPLTWKTBV3E584", fatcaStatus = "UsPersonW9", hasW9 = true, usTin = "12-3456789", emirClass = "Financial",
            creditCurrency = "USD", reason = "onboarding",
        })).Expect(HttpStatusCode.Created);
        Assert.Equal(2004, created.Long("accountId"));
    }

    [Fact]
    public async Task A_change_committed_by_another_process_reaches_the_writer_through_its_notification()
    {
        var trader1 = await _platform.ClientForAsync("trader1");
        var signal = _platform.Services.GetRequiredService<ReferenceChangeSignal>();
        await WaitForAsync(() => signal.Stamp >= 0, "the reference-change listener to listen");
        Assert.Equal("Accepted", (await trader1.SubmitAsync(1002, "COMI.INT", "Buy", 80m, 10)).Expect(HttpStatusCode.Created).Str("status"));
        var skippedBefore = signal.ReadsSkipped;
        for (var i = 0; i < 3; i++)
        {
            (await trader1.SubmitAsync(1002, "COMI.INT", "Buy", 80m, 10)).Expect(HttpStatusCode.Created);
        }
        // Nothing changed in between: the writer took the counters of its last read instead of reading them again.
        Assert.True(signal.ReadsSkipped > skippedBefore, $"no batch skipped the counters' read ({signal.Reads} reads, {signal.ReadsSkipped} skipped)");

        // An operator's SQL, not the platform: only PostgreSQL's notification tells this process.
        var notified = signal.Notifications;
        await using (var connection = new NpgsqlConnection(_platform.ConnectionString))
        {
            await connection.OpenAsync();
            await using var update = new NpgsqlCommand("UPDATE accounts SET \"ShariaOnly\" = true WHERE \"Id\" = 1002", connection);
            Assert.Equal(1, await update.ExecuteNonQueryAsync());
        }
        await WaitForAsync(() => signal.Notifications > notified, "the change's notification");

        var blocked = (await trader1.SubmitAsync(1002, "COMI.INT", "Buy", 80m, 10)).Expect(HttpStatusCode.Created);
        Assert.Equal("Rejected", blocked.Str("status"));
        Assert.Contains("SHARIA.EXCLUDED_SECTOR", blocked.Str("rejectReason"), StringComparison.Ordinal);
    }

    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"waited 30 s for {what}");
            await Task.Delay(20);
        }
    }
}
