using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TradSys.Engine.Fix;
using TradSys.Web.Fix;
using TradSys.Web.Fix.Venues;
using TradSys.Web.Ordering;
using TradSys.Web.Persistence;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Fix;

/// <summary>
/// Venue routing against the in-process EGX simulator over FIX on loopback (issue 16): EGX routed
/// (<c>Routing:Venues:EGX:Session</c>) over a configured session to a simulator started with the platform (<c>Fix:Simulators</c>).
/// A trader's amend and cancel of a routed order go out as OrderCancelReplaceRequest and OrderCancelRequest, the order shows
/// pending replace / pending cancel, and the venue's answers are applied once through the single writer.
/// </summary>
public sealed class VenueRoutingOverFixTests
{
    private static readonly DateTimeOffset EgxContinuous = new(2026, 11, 26, 9, 30, 0, TimeSpan.Zero); // Thursday 11:30 in Cairo

    private static PlatformFactory Routed()
    {
        var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);
        probe.Stop();
        var platform = new PlatformFactory
        {
            Settings = new()
            {
                ["Fix:Simulators:0:Venue"] = "EGX", ["Fix:Simulators:0:Port"] = port, ["Fix:Simulators:0:TargetCompIds:0"] = "BROKER1",
                ["Fix:Sessions:0:Name"] = "egx", ["Fix:Sessions:0:Host"] = "127.0.0.1", ["Fix:Sessions:0:Port"] = port,
                ["Fix:Sessions:0:SenderCompId"] = "BROKER1", ["Fix:Sessions:0:TargetCompId"] = "EGX", ["Fix:Sessions:0:ResetOnLogon"] = "true",
                ["Fix:Sessions:0:ReconnectSeconds"] = "1", ["Fix:Sessions:0:MaxReconnectSeconds"] = "1",
                ["Routing:Venues:EGX:Session"] = "egx",
            },
        };
        platform.Clock.Fixed = EgxContinuous;
        return platform;
    }

    [Fact]
    public async Task A_routed_order_is_amended_and_canceled_at_the_venue_with_pending_states_and_each_answer_applied_once()
    {
        await using var platform = Routed();
        var sessions = platform.Services.GetRequiredService<FixSessions>();
        await Until(() => sessions.StateOf("egx") == FixSessionState.Active, "the egx session to log on to the simulator");
        var trader1 = await platform.ClientForAsync("trader1");

        var placed = (await trader1.SubmitAsync(1001, "COMI", "Buy", 80.00m, 100)).Expect(HttpStatusCode.Created);
        Assert.Equal("New", placed.Str("status"));
        var id = placed.OrderId;
        await UntilOrder(trader1, id, o => o["status"]!.GetValue<string>() == "Accepted");

        // Amend: 202, pending replace with the old terms, then the venue's Replaced report gives the new ones.
        var amend = (await trader1.PatchJsonAsync($"/api/v1/orders/{id}", new { price = 80.50m, quantity = 200 })).Expect(HttpStatusCode.Accepted);
        Assert.Equal(("PendingReplace", 80.00m, 100L), (amend.Str("venuePending"), amend.Json["price"]!.GetValue<decimal>(), amend.Long("quantity")));
        var replaced = await UntilOrder(trader1, id, o => o["venuePending"] is null && o["quantity"]!.GetValue<long>() == 200);
        Assert.Equal(("Accepted", 80.50m, 200L), (replaced["status"]!.GetValue<string>(), replaced["price"]!.GetValue<decimal>(),
            replaced["leavesQuantity"]!.GetValue<long>()));

        // Cancel: 202, pending cancel, then Canceled on request (no venue reason), the cancel naming the replace as OrigClOrdID.
        var cancel = (await trader1.DeleteAsync($"/api/v1/orders/{id}")).Expect(HttpStatusCode.Accepted);
        Assert.Equal(("PendingCancel", "Accepted"), (cancel.Str("venuePending"), cancel.Str("status")));
        var canceled = await UntilOrder(trader1, id, o => o["status"]!.GetValue<string>() == "Canceled");
        Assert.Null(canceled["venuePending"]);
        Assert.Null(canceled["cancelReason"]);

        var events = (await trader1.GetAsync($"/api/v1/orders/{id}/events")).Expect(HttpStatusCode.OK).Json.AsArray();
        Assert.Equal(["Routed", "Accepted", "ReplaceRequested", "Modified", "CancelRequested", "Canceled"],
            events.Select(e => e!["kind"]!.GetValue<string>()));
        Assert.Contains($"as ClOrdID TS{id}-R1 (OrigClOrdID TS{id})", events[2]!["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains($"replaced at EGX as ClOrdID TS{id}-R1", events[3]!["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains($"as ClOrdID TS{id}-C2 (OrigClOrdID TS{id}-R1)", events[4]!["reason"]!.GetValue<string>(), StringComparison.Ordinal);

        // Each answer once: the venue's reports, sent again, change nothing; the requests are audited.
        await platform.WithDbAsync(async db =>
        {
            await VenueReportsResentChangeNothingAsync(platform, db, id, ["0", "5", "4"]);
            var actions = await db.AuditLog.AsNoTracking().Where(a => a.Subject == $"order/{id}").Select(a => a.Action).ToListAsync();
            Assert.Contains("order.replace_requested", actions);
            Assert.Contains("order.cancel_requested", actions);
            var row = await db.Orders.AsNoTracking().SingleAsync(o => o.Id == id);
            Assert.Equal(($"TS{id}-R1", 2, (string?)null), (row.VenueClOrdId, row.VenueRequests, row.VenuePending));
        });
        Assert.Equal(6, (await trader1.GetAsync($"/api/v1/orders/{id}/events")).Expect(HttpStatusCode.OK).Json.AsArray().Count);
    }

    [Fact]
    public async Task A_venue_refusal_of_a_cancel_is_applied_once_and_a_down_venue_refuses_cancels_and_amends_with_the_reason()
    {
        await using var platform = Routed();
        var sessions = platform.Services.GetRequiredService<FixSessions>();
        await Until(() => sessions.StateOf("egx") == FixSessionState.Active, "the egx session to log on to the simulator");
        var trader1 = await platform.ClientForAsync("trader1");
        var id = (await trader1.SubmitAsync(1001, "COMI", "Buy", 80.00m, 100)).Expect(HttpStatusCode.Created).OrderId;
        await UntilOrder(trader1, id, o => o["status"]!.GetValue<string>() == "Accepted");
        await platform.WithDbAsync(async db =>
        {
            var user = await db.Users.AsNoTracking().SingleAsync(u => u.UserName == "trader1");
            // Both queued before the writer commits the cancel, so before its request reaches the venue: the refusal answers it.
            var cancel = platform.SendAsync(new CancelCommand("trader1", id, user.Id));
            var reject = new VenueExecution("egx", true, "", FixVenueMessages.CancelClOrdIdOf(id, 1), FixVenueMessages.ClOrdIdOf(id), null, '\0',
                VenueOrderState.New, 0, 0, 0, 0, false, "too late to cancel");
            var refused = platform.SendAsync(new VenueExecutionCommand(reject));
            Assert.Equal(SequencerOutcome.VenueRequestPending, (await cancel).Outcome);
            var applied = await refused;
            Assert.Equal(SequencerOutcome.VenueExecutionApplied, applied.Outcome);
            Assert.Null(applied.Order!.VenuePending);
            // The same refusal again: nothing waits for it any more. A duplicate while the order still works at the venue; ignored as
            // naming no open order once the simulator's own Canceled report (the cancel did reach it) has ended the order, which may
            // come first on a loaded machine. Either way nothing is applied: the events below have one CancelRejected.
            var again = (await platform.SendAsync(new VenueExecutionCommand(reject with { PossDup = true }))).Outcome;
            Assert.Contains(again, new[] { SequencerOutcome.VenueExecutionDuplicate, SequencerOutcome.VenueExecutionIgnored });
        });
        var events = (await trader1.GetAsync($"/api/v1/orders/{id}/events")).Expect(HttpStatusCode.OK).Json.AsArray();
        Assert.Single(events, e => e!["kind"]!.GetValue<string>() == "CancelRejected");
        Assert.Contains($"EGX refused the cancel TS{id}-C1: too late to cancel; the order keeps its terms",
            events.Single(e => e!["kind"]!.GetValue<string>() == "CancelRejected")!["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        // The simulator did cancel it: its report still ends the order, so it never stays working here while gone there.
        var ended = await UntilOrder(trader1, id, o => o["status"]!.GetValue<string>() == "Canceled");
        Assert.StartsWith("canceled by EGX", ended["cancelReason"]!.GetValue<string>(), StringComparison.Ordinal);

        // Another order; then the venue goes away: its cancel and amend are refused at once with the reason, and nothing changes.
        var second = (await trader1.SubmitAsync(1001, "COMI", "Buy", 79.00m, 100)).Expect(HttpStatusCode.Created).OrderId;
        await UntilOrder(trader1, second, o => o["status"]!.GetValue<string>() == "Accepted");
        await Assert.Single(platform.Services.GetRequiredService<FixAcceptors>().Simulators).DisposeAsync();
        await Until(() => sessions.StateOf("egx") != FixSessionState.Active, "the egx session to drop");
        var noCancel = (await trader1.DeleteAsync($"/api/v1/orders/{second}")).Expect(HttpStatusCode.Conflict);
        Assert.Contains("venue EGX is not reachable, its FIX session 'egx' is", noCancel.Body, StringComparison.Ordinal);
        Assert.Contains("nothing is queued", noCancel.Body, StringComparison.Ordinal);
        var noAmend = (await trader1.PatchJsonAsync($"/api/v1/orders/{second}", new { quantity = 50 })).Expect(HttpStatusCode.Conflict);
        Assert.Contains("the amendment was not sent: venue EGX is not reachable", noAmend.Body, StringComparison.Ordinal);
        var still = (await trader1.GetAsync($"/api/v1/orders/{second}")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(("Accepted", 100L), (still["status"]!.GetValue<string>(), still["quantity"]!.GetValue<long>()));
        Assert.Null(still["venuePending"]);
    }

    [Fact]
    public async Task A_mass_cancel_sends_each_routed_order_a_cancel_and_they_end_canceled_when_the_venue_confirms_or_say_why_not()
    {
        await using var platform = Routed();
        var sessions = platform.Services.GetRequiredService<FixSessions>();
        await Until(() => sessions.StateOf("egx") == FixSessionState.Active, "the egx session to log on to the simulator");
        var trader1 = await platform.ClientForAsync("trader1");
        var routed = new List<long>();
        foreach (var (price, quantity) in new[] { (80.00m, 100L), (79.50m, 200L) })
        {
            var id = (await trader1.SubmitAsync(1001, "COMI", "Buy", price, quantity)).Expect(HttpStatusCode.Created).OrderId;
            await UntilOrder(trader1, id, o => o["status"]!.GetValue<string>() == "Accepted");
            routed.Add(id);
        }
        // An order on the internal venue, and one of account 1002 (not in the mass cancel's filter).
        var internalId = (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 79.00m, 100)).Expect(HttpStatusCode.Created).OrderId;
        var other = (await trader1.SubmitAsync(1002, "COMI", "Buy", 79.00m, 100)).Expect(HttpStatusCode.Created).OrderId;
        await UntilOrder(trader1, other, o => o["status"]!.GetValue<string>() == "Accepted");

        var reply = (await trader1.DeleteAsync("/api/v1/orders?accountId=1001")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal([internalId], reply["orderIds"]!.AsArray().Select(x => x!.GetValue<long>()));
        Assert.Equal(routed, reply["cancelRequested"]!.AsArray().Select(x => x!.GetValue<long>()));
        Assert.Empty(reply["notCanceled"]!.AsArray());
        foreach (var id in routed)
        {
            var canceled = await UntilOrder(trader1, id, o => o["status"]!.GetValue<string>() == "Canceled");
            Assert.Null(canceled["cancelReason"]);
            var events = (await trader1.GetAsync($"/api/v1/orders/{id}/events")).Expect(HttpStatusCode.OK).Json.AsArray();
            Assert.Equal(["Routed", "Accepted", "CancelRequested", "Canceled"], events.Select(e => e!["kind"]!.GetValue<string>()));
            Assert.Contains($"cancel sent to EGX as ClOrdID TS{id}-C1 (OrigClOrdID TS{id})", events[2]!["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        Assert.Equal("Accepted", (await trader1.GetAsync($"/api/v1/orders/{other}")).Expect(HttpStatusCode.OK).Json["status"]!.GetValue<string>());

        // With the venue down, account 1002's routed order cannot be canceled: the mass cancel says so and leaves it as it is.
        await Assert.Single(platform.Services.GetRequiredService<FixAcceptors>().Simulators).DisposeAsync();
        await Until(() => sessions.StateOf("egx") != FixSessionState.Active, "the egx session to drop");
        var down = (await trader1.DeleteAsync("/api/v1/orders?accountId=1002")).Expect(HttpStatusCode.OK).Json;
        Assert.Empty(down["cancelRequested"]!.AsArray());
        var why = Assert.Single(down["notCanceled"]!.AsArray())!.GetValue<string>();
        Assert.StartsWith($"order {other} (COMI, routed to its venue) was not canceled: the cancel was not sent: venue EGX is not reachable", why, StringComparison.Ordinal);
        var still = (await trader1.GetAsync($"/api/v1/orders/{other}")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("Accepted", still["status"]!.GetValue<string>());
        Assert.Null(still["venuePending"]);
        await platform.WithDbAsync(async db => Assert.Contains(await db.AuditLog.AsNoTracking().Where(a => a.Action == "orders.mass_canceled").Select(a => a.Details).ToListAsync(),
            d => d.Contains("not reachable", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Fix_EmbeddedVenues_routes_EGX_and_ADX_to_in_process_simulators_where_two_traders_cross_and_the_fills_come_back()
    {
        static string FreePort()
        {
            var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);
            probe.Stop();
            return port;
        }
        await using var platform = new PlatformFactory
        {
            Settings = new() { ["Fix:EmbeddedVenues:Enabled"] = "true", ["Fix:EmbeddedVenues:EgxPort"] = FreePort(), ["Fix:EmbeddedVenues:AdxPort"] = FreePort() },
        };
        platform.Clock.Fixed = EgxContinuous;
        var sessions = platform.Services.GetRequiredService<FixSessions>();
        Assert.Equal(["egx-sim", "adx-sim"], sessions.Names);
        Assert.Equal(["EGX", "ADX"], platform.Services.GetRequiredService<FixAcceptors>().Simulators.Select(s => s.Venue));
        await Until(() => sessions.StateOf("egx-sim") == FixSessionState.Active && sessions.StateOf("adx-sim") == FixSessionState.Active,
            "both sessions to log on to their simulators");
        var trader1 = await platform.ClientForAsync("trader1");
        var trader2 = await platform.ClientForAsync("trader2");

        var buy = (await trader1.SubmitAsync(1001, "COMI", "Buy", 80.00m, 100)).Expect(HttpStatusCode.Created).OrderId;
        await UntilOrder(trader1, buy, o => o["status"]!.GetValue<string>() == "Accepted");
        var sell = (await trader2.SubmitAsync(2001, "COMI", "Sell", 80.00m, 100)).Expect(HttpStatusCode.Created).OrderId;
        var bought = await UntilOrder(trader1, buy, o => o["status"]!.GetValue<string>() == "Filled");
        var sold = await UntilOrder(trader2, sell, o => o["status"]!.GetValue<string>() == "Filled");
        Assert.Equal((80.00m, 80.00m), (bought["averagePrice"]!.GetValue<decimal>(), sold["averagePrice"]!.GetValue<decimal>()));
        await platform.WithDbAsync(async db =>
        {
            // Each side's fill came back over FIX as a trade against the venue (the other side 0), not an internal cross.
            var trades = await db.Trades.AsNoTracking().Where(t => t.BuyOrderId == buy || t.SellOrderId == sell).ToListAsync();
            Assert.Equal(2, trades.Count);
            Assert.Contains(trades, t => t.BuyOrderId == buy && t.SellOrderId == 0);
            Assert.Contains(trades, t => t.SellOrderId == sell && t.BuyOrderId == 0);
            Assert.Equal(2, await db.VenueExecutions.CountAsync(x => x.Session == "egx-sim" && x.ExecType == "F"));
        });

        // The admin health report shows both sides of each session: ours (fix-sessions) and the simulators' (fix-acceptors).
        var admin = await platform.ClientForAsync("admin");
        var checks = (await admin.GetAsync("/api/v1/admin/health")).Expect(HttpStatusCode.OK).Json["checks"]!.AsArray()
            .ToDictionary(c => c!["name"]!.GetValue<string>(), c => c!["data"]!);
        Assert.StartsWith("Active, 127.0.0.1:", checks["fix-sessions"]["egx-sim"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("next sent", checks["fix-sessions"]["adx-sim"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.StartsWith("Active, on 127.0.0.1:", checks["fix-acceptors"]["EGX simulator EGX<-BROKER1"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("next expected", checks["fix-acceptors"]["ADX simulator ADX<-BROKER1"]!.GetValue<string>(), StringComparison.Ordinal);

        var adx = (await trader1.SubmitAsync(1001, "FAB", "Buy", 15.50m, 100)).Expect(HttpStatusCode.Created).OrderId;
        await UntilOrder(trader1, adx, o => o["status"]!.GetValue<string>() == "Accepted");
        var events = (await trader1.GetAsync($"/api/v1/orders/{adx}/events")).Expect(HttpStatusCode.OK).Json.AsArray();
        Assert.Contains("routed to ADX over FIX session 'adx-sim'", events[0]!["reason"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    /// <summary>
    /// The venue's reports applied to an order (their ExecTypes in the order applied are <paramref name="execTypes"/>), each sent again
    /// as a resend (PossDup): every one is a duplicate the writer refuses, so it changes nothing.
    /// </summary>
    internal static async Task VenueReportsResentChangeNothingAsync(PlatformFactory platform, TradSysDbContext db, long id, string[] execTypes)
    {
        var applied = await db.VenueExecutions.AsNoTracking().Where(x => x.OrderId == id).OrderBy(x => x.AppliedAt).ToListAsync();
        Assert.Equal(execTypes, applied.Select(x => x.ExecType));
        foreach (var x in applied)
        {
            var again = await platform.SendAsync(new VenueExecutionCommand(new VenueExecution("egx", false, x.ExecId, FixVenueMessages.CancelClOrdIdOf(id, 2),
                null, null, x.ExecType[0], FixVenueMessages.StateOf(x.ExecType[0]), 0, 0, 0, 0, true, null)));
            Assert.Equal(SequencerOutcome.VenueExecutionDuplicate, again.Outcome);
        }
    }

    internal static async Task Until(Func<bool> done, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!done())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for " + what);
            await Task.Delay(20);
        }
    }

    internal static async Task<JsonNode> UntilOrder(ApiClient client, long id, Func<JsonNode, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var order = (await client.GetAsync($"/api/v1/orders/{id}")).Expect(HttpStatusCode.OK).Json;
            if (done(order))
            {
                return order;
            }
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting on order {id}: {order.ToJsonString()}");
            await Task.Delay(20);
        }
    }
}
