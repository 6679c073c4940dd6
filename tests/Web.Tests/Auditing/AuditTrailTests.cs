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
}
