using System.Net;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Hosting;

/// <summary>The admin's health report: every check with its figures, for admins only; the anonymous probes say only up or down.</summary>
public sealed class AdminHealthTests(PlatformFactory platform) : IClassFixture<PlatformFactory>
{
    [Fact]
    public async Task An_admin_sees_every_check_with_its_figures_and_the_nodes_mode()
    {
        var admin = await platform.ClientForAsync("admin");
        // An order and a trade, so the journal has entries for the outbox to publish.
        var trader1 = await platform.ClientForAsync("trader1");
        var trader2 = await platform.ClientForAsync("trader2");
        (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 80m, 10)).Expect(HttpStatusCode.Created);
        (await trader2.SubmitAsync(2001, "COMI.INT", "Sell", 80m, 10)).Expect(HttpStatusCode.Created);
        var reply = (await admin.GetAsync("/api/v1/admin/health")).Expect(HttpStatusCode.OK);
        for (var i = 0; i < 100 && reply.Json["checks"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == "outbox")!["data"]!["lag"]!.GetValue<long>() > 0; i++)
        {
            await Task.Delay(100);
            reply = (await admin.GetAsync("/api/v1/admin/health")).Expect(HttpStatusCode.OK);
        }
        Assert.Equal("Healthy", reply.Str("status"));
        var checks = reply.Json["checks"]!.AsArray().ToDictionary(c => c!["name"]!.GetValue<string>(), c => c!);
        Assert.Equal(["database", "fix-acceptors", "fix-sessions", "jobs", "order-writer", "outbox", "reporting", "risk-alerts", "token-revocations", "writer-leadership"], checks.Keys.Where(k => !k.StartsWith("masstransit", StringComparison.Ordinal)).Order());
        Assert.All(checks.Values, c => Assert.Equal("Healthy", c["status"]!.GetValue<string>()));
        var writer = checks["order-writer"];
        Assert.True(writer["data"]!["journalAvailable"]!.GetValue<bool>());
        Assert.Equal(65_536, writer["data"]!["queueCapacity"]!.GetValue<int>());
        // Everything committed is published, in fewer messages than entries: the sell's batch (its entries, the buy's fill and the
        // trade) is one message, and when the publisher catches up from the database both batches can go in one.
        var outbox = checks["outbox"]["data"]!;
        Assert.True(outbox["committedSequence"]!.GetValue<long>() >= 4);
        Assert.Equal(outbox["committedSequence"]!.GetValue<long>(), outbox["publishedSequence"]!.GetValue<long>());
        Assert.Equal(0, outbox["lag"]!.GetValue<long>());
        Assert.InRange(outbox["messages"]!.GetValue<long>(), 1, outbox["committedSequence"]!.GetValue<long>() - 1);
        Assert.True(checks["jobs"]["data"]!["servers"]!.GetValue<long>() >= 1);
        Assert.True(checks["jobs"]["data"]!["recurring"]!.GetValue<long>() >= 1);
        Assert.True(checks["token-revocations"]["data"]!["cachedTokens"]!.GetValue<int>() >= 1);
        Assert.Equal("no FIX session is configured (Fix:Sessions)", checks["fix-sessions"]["description"]!.GetValue<string>());
        Assert.Equal("leader", checks["writer-leadership"]["data"]!["role"]!.GetValue<string>());
        Assert.Equal("a single node: it writes every book", checks["writer-leadership"]["description"]!.GetValue<string>());
        var node = reply.Json["node"]!;
        Assert.Equal("Sqlite", node["database"]!.GetValue<string>());
        Assert.Equal("InMemory", node["bus"]!.GetValue<string>());
        Assert.Equal("InMemory", node["jobs"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("trader1")]
    [InlineData("compliance1")]
    [InlineData("regulator1")]
    [InlineData("viewer1")]
    public async Task Other_roles_are_refused(string clientId)
    {
        var client = await platform.ClientForAsync(clientId);
        (await client.GetAsync("/api/v1/admin/health")).Expect(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Anonymous_callers_get_only_the_probes()
    {
        (await platform.Anonymous().GetAsync("/api/v1/admin/health")).Expect(HttpStatusCode.Unauthorized);
        var ready = await platform.Anonymous().GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.Status);
        Assert.Equal("Healthy", ready.Body);
    }
}
