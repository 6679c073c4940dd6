using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using TradSys.Engine.Fix;
using TradSys.Web.Fix;
using TradSys.Web.Fix.Simulator;
using TradSys.Web.Fix.Venues;
using TradSys.Web.Ordering;
using TradSys.Web.ReferenceData;
using TradSys.Web.Tests.Support;
using static TradSys.Web.Tests.Fix.VenueRoutingOverFixTests;

namespace TradSys.Web.Tests.Fix;

/// <summary>
/// Reconciliation of routed orders when a venue session logs on (issue 16): the platform asks the venue for the status of every
/// routed order it believes open (OrderStatusRequest, 35=H) and brings each to what the venue says. The simulators here are run by
/// the test, so their books outlive the session (and the platform): a venue whose FIX gateway is down keeps trading, and its reports
/// to a member that is not logged on are lost, as the simulator does not queue them.
/// </summary>
public sealed class VenueReconciliationTests
{
    private static readonly DateTimeOffset EgxContinuous = new(2026, 11, 26, 9, 30, 0, TimeSpan.Zero); // Thursday 11:30 in Cairo

    private static ExchangeSimulator Venue(string code, string run) =>
        new(code, ExchangeSimulatorHost.Instruments(code, DemoData.Venues(), DemoData.Instruments()), run);

    private static ExchangeSimulatorHost Gateway(ExchangeSimulator venue, int port, out int bound)
    {
        var host = new ExchangeSimulatorHost(venue, new FixAcceptorConfig(venue.Venue, port, venue.Venue, ["BROKER1"]), _ => new InMemoryFixSessionStore(),
            TimeProvider.System, NullLogger.Instance);
        bound = host.Start(port).Port;
        return host;
    }

    private static Dictionary<string, string> Session(int index, string name, string venue, int port) => new()
    {
        [$"Fix:Sessions:{index}:Name"] = name, [$"Fix:Sessions:{index}:Host"] = "127.0.0.1", [$"Fix:Sessions:{index}:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        [$"Fix:Sessions:{index}:SenderCompId"] = "BROKER1", [$"Fix:Sessions:{index}:TargetCompId"] = venue, [$"Fix:Sessions:{index}:ResetOnLogon"] = "true",
        [$"Fix:Sessions:{index}:ReconnectSeconds"] = "1", [$"Fix:Sessions:{index}:MaxReconnectSeconds"] = "1", [$"Routing:Venues:{venue}:Session"] = name,
    };

    /// <summary>Another member's order straight into the venue's book (its gateway may be down): what the venue sent back, to whom.</summary>
    private static IReadOnlyList<SimulatorMessage> Trade(ExchangeSimulator venue, string clOrdId, char side, string quantity, string price, string symbol)
    {
        var message = new FixMessage();
        Assert.True(message.Parse(ExchangeSimulatorTests.Message("D", ExchangeSimulatorTests.Order(clOrdId, side, quantity, price, symbol))));
        return venue.Handle("BROKER2", message, EgxContinuous.UtcDateTime);
    }

    [Fact]
    public async Task A_fill_made_at_the_venue_while_the_session_was_down_is_booked_once_after_it_logs_on_again()
    {
        var egx = Venue("EGX", "RUN1");
        var gateway = Gateway(egx, 0, out var port);
        var settings = Session(0, "egx", "EGX", port);
        await using var platform = new PlatformFactory { Settings = settings };
        platform.Clock.Fixed = EgxContinuous;
        var sessions = platform.Services.GetRequiredService<FixSessions>();
        await Until(() => sessions.StateOf("egx") == FixSessionState.Active, "the egx session to log on");
        var trader1 = await platform.ClientForAsync("trader1");
        var id = (await trader1.SubmitAsync(1001, "COMI", "Buy", 80.00m, 100)).Expect(HttpStatusCode.Created).OrderId;
        await UntilOrder(trader1, id, o => o["status"]!.GetValue<string>() == "Accepted");

        // The venue's gateway goes down; its book does not. Another member sells 60 into the order: the venue's Trade report to
        // BROKER1 has no session to go on and is lost.
        await gateway.DisposeAsync();
        await Until(() => sessions.StateOf("egx") != FixSessionState.Active, "the egx session to drop");
        var lost = Trade(egx, "S1", '2', "60", "80.00", "COMI").Single(m => m.Owner == "BROKER1" && m.Fields()[FixTag.ExecType] == "F").Fields();
        Assert.Equal(("60", "1"), (lost[FixTag.CumQty], lost[FixTag.OrdStatus]));
        Assert.Equal("Accepted", (await trader1.GetAsync($"/api/v1/orders/{id}")).Expect(HttpStatusCode.OK).Json["status"]!.GetValue<string>());

        // The gateway is back: the session logs on, asks for the order's status, and books the missing 60 once.
        await using var back = Gateway(egx, port, out _);
        var reconciled = await UntilOrder(trader1, id, o => o["filledQuantity"]!.GetValue<long>() == 60);
        Assert.Equal(("PartiallyFilled", 40L, 80.00m), (reconciled["status"]!.GetValue<string>(), reconciled["leavesQuantity"]!.GetValue<long>(),
            reconciled["averagePrice"]!.GetValue<decimal>()));
        var events = (await trader1.GetAsync($"/api/v1/orders/{id}/events")).Expect(HttpStatusCode.OK).Json.AsArray();
        Assert.Equal(["Routed", "Accepted", "PartiallyFilled"], events.Select(e => e!["kind"]!.GetValue<string>()));
        Assert.Equal("fill found by reconciliation: EGX reports 60 filled at an average of 80, 0 were booked; the missing 60 booked at 80.00",
            events[2]!["reason"]!.GetValue<string>());

        // The venue's own report of that fill, coming in late (say a resend from its store): its CumQty is booked, so no second fill.
        // The same status again (another logon): nothing to correct.
        var late = new VenueExecution("egx", false, lost[FixTag.ExecId], $"TS{id}", null, lost[FixTag.OrderId], 'F', VenueOrderState.PartiallyFilled,
            60, 80.00m, 60, 40, true, null, AveragePrice: 80.00m);
        Assert.Equal(SequencerOutcome.VenueExecutionDuplicate, (await platform.SendAsync(new VenueExecutionCommand(late))).Outcome);
        Assert.Equal(SequencerOutcome.VenueExecutionDuplicate, (await platform.SendAsync(new VenueExecutionCommand(late with { PossDup = true }))).Outcome);
        var status = late with { ExecId = "0", ExecType = 'I', LastQuantity = 0, LastPrice = 0, PossDup = false };
        Assert.Equal(SequencerOutcome.VenueStatusMatched, (await platform.SendAsync(new VenueExecutionCommand(status))).Outcome);
        await platform.WithDbAsync(async db =>
        {
            var trades = await db.Trades.AsNoTracking().Where(t => t.BuyOrderId == id).ToListAsync();
            Assert.Equal((80.00m, 60L), (Assert.Single(trades).Price, trades[0].Quantity));
            var applied = await db.VenueExecutions.AsNoTracking().Where(x => x.OrderId == id && x.ExecType == "I").SingleAsync();
            Assert.Equal((60L, trades[0].Id), (applied.LastQuantity, applied.TradeId));
            Assert.Contains("order.venue_reconciled", await db.AuditLog.AsNoTracking().Where(a => a.Subject == $"order/{id}").Select(a => a.Action).ToListAsync());
        });

        var position = Assert.Single((await trader1.GetAsync("/api/v1/positions?accountId=1001&symbol=COMI")).Expect(HttpStatusCode.OK).Json.AsArray())!;
        Assert.Equal(60, position["quantity"]!.GetValue<long>());

        // A status report saying 70 filled at an average of 80.0001 (a fill of 10 at 80.0007 the platform never saw, as a venue with
        // finer prices might report): the missing 10 are booked at that price rounded to COMI's three decimals, as the reason says.
        var more = await platform.SendAsync(new VenueExecutionCommand(status with { CumQuantity = 70, LeavesQuantity = 30, AveragePrice = 80.0001m }));
        Assert.Equal((SequencerOutcome.VenueExecutionApplied, 70L), (more.Outcome, more.Order!.FilledQuantity));
        Assert.Equal((80.001m, 10L), (Assert.Single(more.Trades).Price, more.Trades[0].Quantity));
        var rounded = (await trader1.GetAsync($"/api/v1/orders/{id}/events")).Expect(HttpStatusCode.OK).Json.AsArray()[^1]!["reason"]!.GetValue<string>();
        Assert.EndsWith("the missing 10 booked at 80.001 (exactly 80.0007, rounded to 3 decimals)", rounded, StringComparison.Ordinal);

        // The venue's next Trade report (40 more, CumQty 100) overlaps the 10 booked from that status: only the 30 not yet booked are.
        // (trader2's sell, routed to EGX over the same session, crosses it there.)
        var trader2 = await platform.ClientForAsync("trader2");
        (await trader2.SubmitAsync(2001, "COMI", "Sell", 80.00m, 40)).Expect(HttpStatusCode.Created);
        var filled = await UntilOrder(trader1, id, o => o["status"]!.GetValue<string>() == "Filled");
        Assert.Equal((100L, 0L), (filled["filledQuantity"]!.GetValue<long>(), filled["leavesQuantity"]!.GetValue<long>()));
        await platform.WithDbAsync(async db => Assert.Equal([60L, 10L, 30L],
            await db.Trades.AsNoTracking().Where(t => t.BuyOrderId == id).OrderBy(t => t.Id).Select(t => t.Quantity).ToListAsync()));
    }

    [Fact]
    public async Task After_a_restart_of_the_platform_an_order_filled_meanwhile_is_booked_and_one_the_venue_lost_is_closed_with_the_reason()
    {
        var egx = Venue("EGX", "RUN1");
        await using var egxGateway = Gateway(egx, 0, out var egxPort);
        var adxGateway = Gateway(Venue("ADX", "RUN1"), 0, out var adxPort);
        var settings = Session(0, "egx", "EGX", egxPort);
        foreach (var (key, value) in Session(1, "adx", "ADX", adxPort))
        {
            settings[key] = value;
        }
        long filledMeanwhile, working, lostAtAdx;
        string path;
        await using (var before = new PlatformFactory { Settings = settings })
        {
            before.Clock.Fixed = EgxContinuous;
            path = before.DatabasePath;
            var sessions = before.Services.GetRequiredService<FixSessions>();
            await Until(() => sessions.StateOf("egx") == FixSessionState.Active && sessions.StateOf("adx") == FixSessionState.Active, "both sessions to log on");
            var trader1 = await before.ClientForAsync("trader1");
            filledMeanwhile = (await trader1.SubmitAsync(1001, "COMI", "Buy", 80.00m, 100)).Expect(HttpStatusCode.Created).OrderId;
            working = (await trader1.SubmitAsync(1001, "COMI", "Buy", 79.00m, 50)).Expect(HttpStatusCode.Created).OrderId;
            lostAtAdx = (await trader1.SubmitAsync(1001, "FAB", "Buy", 15.50m, 100)).Expect(HttpStatusCode.Created).OrderId;
            foreach (var id in new[] { filledMeanwhile, working, lostAtAdx })
            {
                await UntilOrder(trader1, id, o => o["status"]!.GetValue<string>() == "Accepted");
            }
        }

        // While the platform is down: the first order is filled at EGX in two trades (at its own price, the resting one), and ADX
        // restarts with an empty book.
        Trade(egx, "S1", '2', "30", "80.00", "COMI");
        Trade(egx, "S2", '2', "70", "79.95", "COMI");
        await adxGateway.DisposeAsync();
        await using var adxAgain = Gateway(Venue("ADX", "RUN2"), adxPort, out _);

        await using var after = new PlatformFactory { Settings = settings, DatabasePath = path };
        after.Clock.Fixed = EgxContinuous;
        var client = await after.ClientForAsync("trader1");
        var filled = await UntilOrder(client, filledMeanwhile, o => o["status"]!.GetValue<string>() == "Filled");
        Assert.Equal((100L, 80.00m), (filled["filledQuantity"]!.GetValue<long>(), filled["averagePrice"]!.GetValue<decimal>()));
        var fillEvents = (await client.GetAsync($"/api/v1/orders/{filledMeanwhile}/events")).Expect(HttpStatusCode.OK).Json.AsArray();
        // Two fills the platform never saw become one at their average.
        Assert.Equal(["Routed", "Accepted", "Filled"], fillEvents.Select(e => e!["kind"]!.GetValue<string>()));
        Assert.Equal("fill found by reconciliation: EGX reports 100 filled at an average of 80, 0 were booked; the missing 100 booked at 80.00",
            fillEvents[^1]!["reason"]!.GetValue<string>());

        var closed = await UntilOrder(client, lostAtAdx, o => o["status"]!.GetValue<string>() == "Canceled");
        Assert.Equal("closed by reconciliation: ADX does not have the order: its order status request for ClOrdID " +
                     $"TS{lostAtAdx} was answered Rejected (unknown order): unknown order TS{lostAtAdx}; its remaining 100 no longer work there",
            closed["cancelReason"]!.GetValue<string>());

        // The order still working at EGX is as it was, and still answers to its venue: it can be canceled there.
        var still = (await client.GetAsync($"/api/v1/orders/{working}")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(("Accepted", 50L), (still["status"]!.GetValue<string>(), still["leavesQuantity"]!.GetValue<long>()));
        (await client.DeleteAsync($"/api/v1/orders/{working}")).Expect(HttpStatusCode.Accepted);
        await UntilOrder(client, working, o => o["status"]!.GetValue<string>() == "Canceled");
        await after.WithDbAsync(async db =>
        {
            Assert.Equal(1, await db.Trades.CountAsync(t => t.BuyOrderId == filledMeanwhile));
            Assert.Equal(0, await db.Trades.CountAsync(t => t.BuyOrderId == lostAtAdx));
        });
    }
}
