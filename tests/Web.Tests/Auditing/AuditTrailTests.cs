using System.Net;
using Microsoft.EntityFrameworkCore;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Auditing;

/// <summary>The audit log is a hash chain: any change to a past record is found and named.</summary>
public sealed class AuditTrailTests
{
    [Fact]
    public async Task Order_activity_is_audited_and_the_chain_verifies()
    {
        await using var platform = new PlatformFactory();
        var trader1 = await platform.ClientForAsync("trader1");
        var order = (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 78m, 10)).Expect(HttpStatusCode.Created);
        (await trader1.DeleteAsync($"/api/v1/orders/{order.OrderId}")).Expect(HttpStatusCode.OK);
        var regulator = await platform.ClientForAsync("regulator1");

        var verify = (await regulator.GetAsync("/api/v1/audit/verify")).Expect(HttpStatusCode.OK).Json;
        Assert.True(verify["valid"]!.GetValue<bool>());
        var trail = (await regulator.GetAsync("/api/v1/audit?pageSize=500")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray();
        var actions = trail.Select(r => r!["action"]!.GetValue<string>()).ToList();
        Assert.Contains("order.submitted", actions);
        Assert.Contains("order.canceled", actions);
        Assert.Contains("token.issued", actions);
        Assert.Equal(verify["recordsChecked"]!.GetValue<long>(), trail.Count);
    }

    [Fact]
    public async Task A_record_appended_by_another_process_between_two_orders_is_chained_after_and_no_order_is_refused()
    {
        await using var platform = new PlatformFactory();
        var trader1 = await platform.ClientForAsync("trader1");
        // The order writer remembers the tail its commit left (one round trip less a batch on PostgreSQL)...
        (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 77m, 10)).Expect(HttpStatusCode.Created);
        // ...then another process (a command run beside the platform, another node) appends, not through this process's AuditTrail.
        long outside = 0;
        await platform.WithDbAsync(async db =>
        {
            var tail = await db.AuditLog.AsNoTracking().OrderByDescending(a => a.Id).FirstAsync();
            var record = TradSys.Web.Auditing.AuditTrail.Chain(
                [new TradSys.Web.Auditing.AuditEntry(tail.Timestamp, "ops-script", "reference.loaded", "file/outside.json", "{}")],
                (tail.Id, tail.Hash))[0];
            db.AuditLog.Add(record);
            await db.SaveChangesAsync();
            outside = record.Id;
        });

        // The next order's batch finds the remembered tail taken, reads the real one and commits: accepted, chained after it.
        var second = (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 76m, 10)).Expect(HttpStatusCode.Created);
        var verify = (await (await platform.ClientForAsync("regulator1")).GetAsync("/api/v1/audit/verify")).Expect(HttpStatusCode.OK).Json;
        Assert.True(verify["valid"]!.GetValue<bool>());
        await platform.WithDbAsync(async db =>
        {
            var submitted = await db.AuditLog.AsNoTracking().Where(a => a.Action == "order.submitted" && a.Subject == $"order/{second.OrderId}").SingleAsync();
            Assert.True(submitted.Id > outside);
        });
        // And a third order, with the tail remembered again, is accepted as well.
        (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 75m, 10)).Expect(HttpStatusCode.Created);
        verify = (await (await platform.ClientForAsync("regulator1")).GetAsync("/api/v1/audit/verify")).Expect(HttpStatusCode.OK).Json;
        Assert.True(verify["valid"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Altering_a_record_is_reported_at_that_record()
    {
        await using var platform = new PlatformFactory();
        var trader1 = await platform.ClientForAsync("trader1");
        for (var i = 0; i < 3; i++)
        {
            (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 77m, 10)).Expect(HttpStatusCode.Created);
        }
        // The second order's record: the chain also holds the rule packs stored at first start and token issuance.
        long altered = 0;
        await platform.WithDbAsync(async db =>
        {
            altered = (await db.AuditLog.Where(a => a.Action == "order.submitted").OrderBy(a => a.Id).Skip(1).FirstAsync()).Id;
            await db.Database.ExecuteSqlRawAsync(
                "UPDATE audit_log SET \"Details\" = replace(\"Details\", '77', '70') WHERE \"Id\" = {0}", altered);
        });

        var verify = (await (await platform.ClientForAsync("admin")).GetAsync("/api/v1/audit/verify")).Expect(HttpStatusCode.OK).Json;
        Assert.False(verify["valid"]!.GetValue<bool>());
        Assert.Equal(altered, verify["firstBrokenId"]!.GetValue<long>());
        Assert.Contains("altered", verify["problem"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deleting_a_record_is_reported_as_a_gap()
    {
        await using var platform = new PlatformFactory();
        var trader1 = await platform.ClientForAsync("trader1");
        (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 77m, 10)).Expect(HttpStatusCode.Created);
        await platform.WithDbAsync(db => db.Database.ExecuteSqlRawAsync("DELETE FROM audit_log WHERE \"Id\" = 1"));

        var verify = (await (await platform.ClientForAsync("compliance1")).GetAsync("/api/v1/audit/verify")).Expect(HttpStatusCode.OK).Json;
        Assert.False(verify["valid"]!.GetValue<bool>());
        Assert.Equal(1, verify["firstBrokenId"]!.GetValue<long>());
        Assert.Contains("missing", verify["problem"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_trail_is_filtered_by_time_actor_action_and_subject()
    {
        await using var platform = new PlatformFactory();
        var trader1 = await platform.ClientForAsync("trader1");
        var first = (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 78m, 10)).Expect(HttpStatusCode.Created).OrderId;
        var second = (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 77m, 10)).Expect(HttpStatusCode.Created).OrderId;
        (await trader1.DeleteAsync($"/api/v1/orders/{first}")).Expect(HttpStatusCode.OK);
        var regulator = await platform.ClientForAsync("regulator1");
        async Task<List<System.Text.Json.Nodes.JsonNode>> ReadAsync(string query) =>
            [.. (await regulator.GetAsync("/api/v1/audit?pageSize=500&" + query)).Expect(HttpStatusCode.OK).Json["items"]!.AsArray().Select(r => r!)];

        var all = await ReadAsync("");
        var byAction = await ReadAsync("action=order.submitted");
        Assert.Equal([$"order/{second}", $"order/{first}"], byAction.Select(r => r["subject"]!.GetValue<string>()));
        var byActor = await ReadAsync("actor=trader1");
        Assert.NotEmpty(byActor);
        Assert.All(byActor, r => Assert.Equal("trader1", r["actor"]!.GetValue<string>()));
        Assert.Equal(all.Count(r => r["actor"]!.GetValue<string>() == "trader1"), byActor.Count);
        // An exact subject is that order only; a subject ending in '/' is every order.
        var one = await ReadAsync($"subject=order/{first}");
        Assert.Equal(["order.canceled", "order.submitted"], one.Select(r => r["action"]!.GetValue<string>()));
        var orders = await ReadAsync("subject=order/");
        Assert.Equal(3, orders.Count);
        Assert.Equal(2, (await ReadAsync($"subject=order/&action=order.submitted")).Count);
        // A time range: from inclusive, to exclusive.
        var at = all.Single(r => r["action"]!.GetValue<string>() == "order.canceled")["timestamp"]!.GetValue<DateTime>();
        var from = Uri.EscapeDataString(at.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        var window = await ReadAsync($"from={from}&to={Uri.EscapeDataString(at.AddMilliseconds(1).ToString("O", System.Globalization.CultureInfo.InvariantCulture))}");
        Assert.Contains(window, r => r["action"]!.GetValue<string>() == "order.canceled");
        Assert.All(window, r => Assert.InRange(r["timestamp"]!.GetValue<DateTime>(), at, at.AddMilliseconds(1)));
        Assert.DoesNotContain(await ReadAsync($"to={from}"), r => r["action"]!.GetValue<string>() == "order.canceled");
        // The page's total counts the filtered records.
        Assert.Equal(2, (await regulator.GetAsync("/api/v1/audit?action=order.submitted&pageSize=1")).Expect(HttpStatusCode.OK).Json["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task The_trail_of_an_account_is_its_own_records_and_those_of_its_orders()
    {
        await using var platform = new PlatformFactory();
        var trader1 = await platform.ClientForAsync("trader1");
        var other = (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 78m, 10)).Expect(HttpStatusCode.Created).OrderId;
        var mine = (await trader1.SubmitAsync(1002, "COMI.INT", "Buy", 77m, 10)).Expect(HttpStatusCode.Created).OrderId;
        (await trader1.DeleteAsync($"/api/v1/orders/{mine}")).Expect(HttpStatusCode.OK);
        var ops = await platform.ClientForAsync("ops1");
        (await ops.PostJsonAsync("/api/v1/accounts/1002/cash/deposits", new { currency = "EGP", amount = 500m, reference = "W-1", reason = "wire" }))
            .Expect(HttpStatusCode.Created);
        var compliance = await platform.ClientForAsync("compliance1");

        var page = (await compliance.GetAsync("/api/v1/audit?pageSize=500&account=1002")).Expect(HttpStatusCode.OK).Json;
        var records = page["items"]!.AsArray().Select(r => (Subject: r!["subject"]!.GetValue<string>(), Action: r["action"]!.GetValue<string>())).ToList();

        Assert.All(records, r => Assert.Contains(r.Subject, new[] { "account/1002", $"order/{mine}" }));
        Assert.Contains(($"order/{mine}", "order.submitted"), records);
        Assert.Contains(($"order/{mine}", "order.canceled"), records);
        Assert.Contains(("account/1002", "account.cash_deposited"), records);
        Assert.Equal(records.Count, page["total"]!.GetValue<int>());
        var first = (await compliance.GetAsync("/api/v1/audit?pageSize=500&account=1001")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray();
        Assert.Contains(first, r => r!["subject"]!.GetValue<string>() == $"order/{other}");
        Assert.DoesNotContain(first, r => r!["subject"]!.GetValue<string>() == $"order/{mine}");
        // With another filter: the account's order submissions only.
        var submitted = (await compliance.GetAsync("/api/v1/audit?account=1002&action=order.submitted")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray();
        Assert.Equal($"order/{mine}", Assert.Single(submitted)!["subject"]!.GetValue<string>());
        // The export reads the same filter.
        using var csv = await compliance.Http.GetAsync("/api/v1/audit/export?account=1002&action=account.cash_deposited");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.Contains(",account.cash_deposited,account/1002,", StringComparison.Ordinal));
        Assert.All(lines.Skip(1), l => Assert.Contains(",account/1002,", l, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("from=yesterday", "from", "is not an ISO 8601 time")]
    [InlineData("account=abc", "account", "'abc' is not a whole number")]
    [InlineData("account=999999", "account", "there is no account 999999")]
    [InlineData("to=2026-13-01", "to", "is not an ISO 8601 time")]
    [InlineData("from=2026-11-24T10:00:00Z&to=2026-11-24T09:00:00Z", "to", "must be later than from")]
    [InlineData("from=2026-11-24T10:00:00Z&to=2026-11-24T10:00:00Z", "to", "must be later than from")]
    [InlineData("pageSize=0", "pageSize", "must be a whole number from 1 to 500")]
    public async Task A_bad_filter_is_refused_naming_the_field(string query, string field, string message)
    {
        await using var platform = new PlatformFactory();
        var reply = (await (await platform.ClientForAsync("compliance1")).GetAsync("/api/v1/audit?" + query)).Expect(HttpStatusCode.BadRequest);
        Assert.Contains(message, reply.Json["errors"]![field]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_actor_longer_than_any_user_name_is_refused()
    {
        await using var platform = new PlatformFactory();
        var reply = (await (await platform.ClientForAsync("admin")).GetAsync("/api/v1/audit?actor=" + new string('a', 129))).Expect(HttpStatusCode.BadRequest);
        Assert.Contains("at most 128 characters", reply.Json["errors"]!["actor"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
