using System.Globalization;
using System.Net;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using TradSys.Engine.Fix;
using TradSys.Web.Fix;
using TradSys.Web.Fix.Simulator;
using TradSys.Web.Fix.Venues;
using TradSys.Web.Ordering;
using TradSys.Web.Persistence.Entities;
using TradSys.Web.ReferenceData;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Fix;

/// <summary>
/// A client's cancel (35=F) and replace (35=G) of an order routed to a venue (EGX on a simulator the test runs, so it can trade in the
/// venue's book behind the platform's back): Pending Cancel / Pending Replace when the request goes to the venue, then the venue's
/// outcome (Canceled, Replaced, or its OrderCancelReject) relayed once under the client's ClOrdIDs; a venue that is down refuses at
/// once with the reason, as REST does.
/// </summary>
public sealed partial class FixOrderEntryTests
{
    private static readonly DateTimeOffset EgxOpen = new(2026, 11, 26, 9, 30, 0, TimeSpan.Zero); // Thursday 11:30 in Cairo

    private static ExchangeSimulator Egx() =>
        new("EGX", ExchangeSimulatorHost.Instruments("EGX", DemoData.Venues(), DemoData.Instruments()), "RUN1");

    /// <summary>The venue's FIX gateway on loopback, taking the platform's routing session ROUTER.</summary>
    private static ExchangeSimulatorHost Gateway(ExchangeSimulator venue, out int port)
    {
        var host = new ExchangeSimulatorHost(venue, new FixAcceptorConfig(venue.Venue, 0, venue.Venue, ["ROUTER"]), _ => new InMemoryFixSessionStore(),
            TimeProvider.System, NullLogger.Instance);
        port = host.Start(0).Port;
        return host;
    }

    /// <summary>The settings of <see cref="Platform"/> with EGX routed over the session egx to the gateway on <paramref name="venuePort"/>.</summary>
    private static Dictionary<string, string> RoutedSettings(int port, int venuePort)
    {
        var settings = Platform(port).Settings;
        var venue = venuePort.ToString(CultureInfo.InvariantCulture);
        foreach (var (key, value) in new Dictionary<string, string>
        {
            ["Fix:Sessions:0:Name"] = "egx", ["Fix:Sessions:0:Host"] = "127.0.0.1", ["Fix:Sessions:0:Port"] = venue,
            ["Fix:Sessions:0:SenderCompId"] = "ROUTER", ["Fix:Sessions:0:TargetCompId"] = "EGX", ["Fix:Sessions:0:ResetOnLogon"] = "true",
            ["Fix:Sessions:0:ReconnectSeconds"] = "1", ["Fix:Sessions:0:MaxReconnectSeconds"] = "1", ["Routing:Venues:EGX:Session"] = "egx",
        })
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>The platform with the client acceptor on <paramref name="port"/> and EGX routed over the session egx to the gateway.</summary>
    private static async Task<PlatformFactory> RoutedPlatformAsync(int port, int venuePort)
    {
        var platform = new PlatformFactory { Settings = RoutedSettings(port, venuePort) };
        platform.Clock.Fixed = EgxOpen;
        var sessions = platform.Services.GetRequiredService<FixSessions>();
        await VenueRoutingOverFixTests.Until(() => sessions.StateOf("egx") == FixSessionState.Active, "the egx session to log on");
        return platform;
    }

    /// <summary>A COMI buy of the client's, routed to EGX; returns the platform's order id once the venue has acknowledged it.</summary>
    private static async Task<long> RoutedBuyAsync(Client client, string clOrdId)
    {
        await client.SendAsync("D", (11, clOrdId), (1, "1001"), (55, "COMI"), (54, "1"), (60, Now), (38, "100"), (40, "2"), (44, "80.00"));
        var answers = await Until(client, m => m[35] == "8" && m[150] == "0");
        Assert.Equal(["A", "0"], answers.Select(m => m[150]));
        return long.Parse(answers[^1][37], CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task A_client_replace_and_cancel_of_a_routed_order_are_pending_until_the_venue_carries_them_out_each_reported_once_under_its_ClOrdIDs()
    {
        var egx = Egx();
        await using var gateway = Gateway(egx, out var venuePort);
        var port = FreePort();
        await using var platform = await RoutedPlatformAsync(port, venuePort);
        var client = await Client.LogOnAsync(Started(platform), port);
        var id = await RoutedBuyAsync(client, "V1");

        // Replace: Pending Replace (E) under the request's ClOrdIDs with the order's terms as they are, then Replaced (5) with the
        // new terms once EGX has carried it out.
        await client.SendAsync("G", (11, "V2"), (41, "V1"), (1, "1001"), (55, "COMI"), (54, "1"), (60, Now), (38, "200"), (40, "2"), (44, "80.50"));
        var replace = await client.Take(2);
        Assert.Equal(("8", "E", "E", "V2", "V1", "100"), (replace[0][35], replace[0][150], replace[0][39], replace[0][11], replace[0][41], replace[0][38]));
        Assert.Equal(("8", "5", "0", "V2", "V1", "200", "200"),
            (replace[1][35], replace[1][150], replace[1][39], replace[1][11], replace[1][41], replace[1][38], replace[1][151]));
        Assert.Equal(80.50m, decimal.Parse(replace[1][44], CultureInfo.InvariantCulture));

        // Cancel, naming the replace: Pending Cancel (6), then Canceled (4).
        await client.SendAsync("F", (11, "V3"), (41, "V2"), (1, "1001"), (55, "COMI"), (54, "1"), (60, Now));
        var cancel = await client.Take(2);
        Assert.Equal(("8", "6", "6", "V3", "V2"), (cancel[0][35], cancel[0][150], cancel[0][39], cancel[0][11], cancel[0][41]));
        Assert.Equal(("8", "4", "4", "V3", "V2", "0"), (cancel[1][35], cancel[1][150], cancel[1][39], cancel[1][11], cancel[1][41], cancel[1][151]));
        Assert.All(replace.Concat(cancel), m => Assert.Equal(id.ToString(CultureInfo.InvariantCulture), m[37]));

        // The venue's reports again (a resend, PossDup) change nothing; the ClOrdIDs are kept with the requests that went to the venue.
        await platform.WithDbAsync(async db =>
        {
            await VenueRoutingOverFixTests.VenueReportsResentChangeNothingAsync(platform, db, id, ["0", "5", "4"]);

            var kept = await db.FixClientOrderIds.AsNoTracking().Where(k => k.ClientCompId == "BROKER1").OrderBy(k => k.Sequence).ToListAsync();
            Assert.Equal([("V2", "G", "V1", id), ("V3", "F", "V2", id)], kept.Select(k => (k.ClOrdId, k.MsgType, k.OrigClOrdId, k.OrderId)));
            var kinds = await db.OrderEvents.AsNoTracking().Where(e => kept.Select(k => k.Sequence).Contains(e.Sequence)).OrderBy(e => e.Sequence)
                .Select(e => e.Kind).ToListAsync();
            Assert.Equal([OrderEventKind.ReplaceRequested, OrderEventKind.CancelRequested], kinds);
        });

        // Nothing was sent twice: the next message is the answer to a status request, by the cancel's ClOrdID.
        await client.SendAsync("H", (11, "V3"), (790, "ST1"), (55, "COMI"), (54, "1"));
        var status = await client.One();
        Assert.Equal(("8", "I", "4", "V3", "ST1"), (status[35], status[150], status[39], status[11], status[790]));
        // ClOrdIDs a routed request used are taken.
        await client.SendAsync("F", (11, "V2"), (41, "V1"), (55, "COMI"), (54, "1"), (60, Now));
        var reused = await client.One();
        Assert.Equal(("9", "6", "1"), (reused[35], reused[102], reused[434]));
        await client.LogOutAsync();
    }

    [Fact]
    public async Task A_venue_refusing_a_client_cancel_or_replace_of_a_routed_order_is_relayed_once_and_a_down_venue_refuses_at_once_as_over_REST()
    {
        var egx = Egx();
        var gateway = Gateway(egx, out var venuePort);
        try
        {
            var port = FreePort();
            await using var platform = await RoutedPlatformAsync(port, venuePort);
            var client = await Client.LogOnAsync(Started(platform), port);
            var id = await RoutedBuyAsync(client, "W1");

            // Another member sells 100 into the order at EGX; the venue's Trade report to the platform is lost (the test holds it):
            // the order is filled at the venue while the platform still has it working.
            var message = new FixMessage();
            Assert.True(message.Parse(ExchangeSimulatorTests.Message("D", ExchangeSimulatorTests.Order("X1", '2', "100", "80.00"))));
            var lost = egx.Handle("BROKER2", message, EgxOpen.UtcDateTime).Single(m => m.Owner == "ROUTER" && m.Fields()[FixTag.ExecType] == "F").Fields();
            Assert.Equal("2", lost[FixTag.OrdStatus]);

            // The cancel goes to EGX (Pending Cancel), which refuses it: the client gets EGX's OrderCancelReject, CxlRejReason 0 (too late)
            // with its text, under the cancel's ClOrdIDs; the order is as the platform knows it (working, OrdStatus 0).
            await client.SendAsync("F", (11, "W2"), (41, "W1"), (1, "1001"), (55, "COMI"), (54, "1"), (60, Now));
            var cancel = await client.Take(2);
            Assert.Equal(("8", "6", "6", "W2", "W1"), (cancel[0][35], cancel[0][150], cancel[0][39], cancel[0][11], cancel[0][41]));
            Assert.Equal(("9", "W2", "W1", "1", "0", "0"), (cancel[1][35], cancel[1][11], cancel[1][41], cancel[1][434], cancel[1][102], cancel[1][39]));
            Assert.Equal($"EGX refused the cancel TS{id}-C1: too late to cancel: the order is filled; the order keeps its terms", cancel[1][58]);

            // The same for a replace: Pending Replace, then the refusal with CxlRejResponseTo 2.
            await client.SendAsync("G", (11, "W3"), (41, "W1"), (1, "1001"), (55, "COMI"), (54, "1"), (60, Now), (38, "150"), (40, "2"), (44, "80.00"));
            var replace = await client.Take(2);
            Assert.Equal(("8", "E", "E", "W3", "W1", "100"), (replace[0][35], replace[0][150], replace[0][39], replace[0][11], replace[0][41], replace[0][38]));
            Assert.Equal(("9", "W3", "W1", "2", "0"), (replace[1][35], replace[1][11], replace[1][41], replace[1][434], replace[1][102]));
            Assert.Equal($"EGX refused the replace TS{id}-R2: too late to replace: the order is filled; the order keeps its terms", replace[1][58]);

            // EGX's refusals again (a resend): nothing waits for them, nothing is applied, and the client gets nothing: the next
            // message is the answer to its status request.
            foreach (var (clOrdId, text) in new[] { (FixVenueMessages.CancelClOrdIdOf(id, 1), "too late to cancel"), (FixVenueMessages.ReplaceClOrdIdOf(id, 2), "too late to replace") })
            {
                var again = await platform.SendAsync(new VenueExecutionCommand(new VenueExecution("egx", true, "", clOrdId, FixVenueMessages.ClOrdIdOf(id), null, '\0',
                    VenueOrderState.Filled, 0, 0, 0, 0, true, text)));
                Assert.Equal(SequencerOutcome.VenueExecutionDuplicate, again.Outcome);
            }

            await client.SendAsync("H", (11, "W1"), (55, "COMI"), (54, "1"));
            var status = await client.One();
            Assert.Equal(("8", "I", "0", "W1"), (status[35], status[150], status[39], status[11]));
            await platform.WithDbAsync(async db => Assert.Equal(2, await db.OrderEvents.CountAsync(e => e.OrderId == id &&
                e.Kind == OrderEventKind.CancelRejected && e.ReasonCode == 0)));

            // EGX's gateway goes down: a cancel and a replace are refused at once with the reason (nothing is sent or queued), as a
            // DELETE over REST is; the order is unchanged.
            await gateway.DisposeAsync();
            var sessions = platform.Services.GetRequiredService<FixSessions>();
            await VenueRoutingOverFixTests.Until(() => sessions.StateOf("egx") != FixSessionState.Active, "the egx session to drop");
            await client.SendAsync("F", (11, "W4"), (41, "W1"), (1, "1001"), (55, "COMI"), (54, "1"), (60, Now));
            var down = await client.One();
            Assert.Equal(("9", "W4", "W1", "1", "99", "0"), (down[35], down[11], down[41], down[434], down[102], down[39]));
            Assert.StartsWith("rejectCode 5001: the cancel was not sent: venue EGX is not reachable, its FIX session 'egx' is", down[58], StringComparison.Ordinal);
            Assert.Contains("nothing is queued", down[58], StringComparison.Ordinal);
            await client.SendAsync("G", (11, "W5"), (41, "W1"), (1, "1001"), (55, "COMI"), (54, "1"), (60, Now), (38, "150"), (40, "2"), (44, "80.00"));
            var downReplace = await client.One();
            Assert.Equal(("9", "W5", "2", "99"), (downReplace[35], downReplace[11], downReplace[434], downReplace[102]));
            Assert.StartsWith("rejectCode 5001: the amendment was not sent: venue EGX is not reachable", downReplace[58], StringComparison.Ordinal);

            var trader1 = await platform.ClientForAsync("trader1");
            var rest = (await trader1.DeleteAsync($"/api/v1/orders/{id}")).Expect(HttpStatusCode.Conflict);
            Assert.Contains("the cancel was not sent: venue EGX is not reachable, its FIX session 'egx' is", rest.Body, StringComparison.Ordinal);
            var order = (await trader1.GetAsync($"/api/v1/orders/{id}")).Expect(HttpStatusCode.OK).Json;
            Assert.Equal(("Accepted", 100L), (order["status"]!.GetValue<string>(), order["quantity"]!.GetValue<long>()));
            Assert.Null(order["venuePending"]);
            await client.LogOutAsync();
        }
        finally
        {
            await gateway.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_client_cancel_of_a_routed_order_across_its_logoff_and_a_platform_restart_is_reported_pending_then_canceled_once_under_its_ClOrdIDs()
    {
        var egx = Egx();
        await using var gateway = Gateway(egx, out var venuePort);
        var port = FreePort();
        string path;
        long id;
        List<Dictionary<int, string>> beforeRestart;
        await using (var before = await RoutedPlatformAsync(port, venuePort))
        {
            path = before.DatabasePath;
            var client = await Client.LogOnAsync(Started(before), port);
            id = await RoutedBuyAsync(client, "Y1");

            // The cancel, and once it is committed the client logs off and the platform stops: the Pending Cancel and the venue's Canceled reach the
            // client before that, or are left to its next logon, and the venue's answer is applied before the stop or found after it
            // by reconciliation. Whichever happens, the client ends up told each once, under the cancel's ClOrdIDs.
            await client.SendAsync("F", (11, "Y2"), (41, "Y1"), (1, "1001"), (55, "COMI"), (54, "1"), (60, Now));
            var trader = await before.ClientForAsync("trader1");
            await VenueRoutingOverFixTests.UntilOrder(trader, id, o => o["venuePending"] is not null || o["status"]!.GetValue<string>() == "Canceled");
            await client.LogOutAsync();
            beforeRestart = [.. client.Received];
        }

        await using var after = new PlatformFactory { Settings = RoutedSettings(port, venuePort), DatabasePath = path };
        after.Clock.Fixed = EgxOpen;
        var acceptors = Started(after);
        var trader1 = await after.ClientForAsync("trader1");
        await VenueRoutingOverFixTests.UntilOrder(trader1, id, o => o["status"]!.GetValue<string>() == "Canceled");
        var again = await Client.LogOnAsync(acceptors, port);
        await again.SendAsync("H", (11, "Y2"), (55, "COMI"), (54, "1"));
        var afterRestart = await Until(again, m => m[150] == "I");
        Assert.Equal(("4", "Y2"), (afterRestart[^1][39], afterRestart[^1][11]));
        var reports = beforeRestart.Concat(afterRestart.SkipLast(1)).ToList();
        Assert.Equal([("8", "6", "6", "Y2", "Y1"), ("8", "4", "4", "Y2", "Y1")], reports.Select(m => (m[35], m[150], m[39], m[11], m[41])));
        Assert.All(reports, m => Assert.Equal(id.ToString(CultureInfo.InvariantCulture), m[37]));
        await again.LogOutAsync();
    }

    [Fact]
    public async Task A_relayed_OrderCancelReject_whose_cursor_save_a_crash_lost_is_recognised_at_the_next_logon_and_not_sent_again()
    {
        var egx = Egx();
        await using var gateway = Gateway(egx, out var venuePort);
        var port = FreePort();
        var numbers = new InMemoryFixSessionStore();
        string path;
        Dictionary<int, string> pendingCancel;
        await using (var before = await RoutedPlatformAsync(port, venuePort))
        {
            path = before.DatabasePath;
            var client = await Client.LogOnAsync(Started(before), port, numbers);
            await RoutedBuyAsync(client, "V1");

            // EGX fills the order behind the platform's back (the test holds the venue's Trade report), so it refuses the client's
            // cancel: Pending Cancel, then EGX's OrderCancelReject relayed from the journal's CancelRejected entry.
            var message = new FixMessage();
            Assert.True(message.Parse(ExchangeSimulatorTests.Message("D", ExchangeSimulatorTests.Order("X1", '2', "100", "80.00"))));
            Assert.Contains(egx.Handle("BROKER2", message, EgxOpen.UtcDateTime), m => m.Owner == "ROUTER" && m.Fields()[FixTag.ExecType] == "F");
            await client.SendAsync("F", (11, "V2"), (41, "V1"), (1, "1001"), (55, "COMI"), (54, "1"), (60, Now));
            var cancel = await client.Take(2);
            pendingCancel = cancel[0];
            var refusal = cancel[1];
            Assert.Equal(("8", "6", "9", "V2", "1"), (pendingCancel[35], pendingCancel[150], refusal[35], refusal[11], refusal[434]));

            // The worker saves its cursor at the refusal (its MsgSeqNum) once its queue is empty.
            var deadline = DateTime.UtcNow + Wait;
            var saved = 0;
            while (saved != int.Parse(refusal[34], CultureInfo.InvariantCulture))
            {
                Assert.True(DateTime.UtcNow < deadline, $"the cursor is at MsgSeqNum {saved}, not at the refusal's {refusal[34]}");
                await Task.Delay(20);
                await before.WithDbAsync(async db => saved = (await db.FixReportCursors.SingleAsync(c => c.ClientCompId == "BROKER1")).MsgSeqNum);
            }

            await client.LogOutAsync();
        }

        // A crash between the refusal's send and the cursor's save: the cursor still at the Pending Cancel (its ExecID, the journal
        // entry, and its MsgSeqNum), while the session's store kept the OrderCancelReject it sent after it.
        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=false"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE fix_report_cursors SET LastSequence = $sequence, MsgSeqNum = $msgSeqNum WHERE ClientCompId = 'BROKER1'";
            command.Parameters.AddWithValue("$sequence", long.Parse(pendingCancel[17], CultureInfo.InvariantCulture));
            command.Parameters.AddWithValue("$msgSeqNum", int.Parse(pendingCancel[34], CultureInfo.InvariantCulture));
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }

        // The restarted platform's crash check recognises the kept OrderCancelReject as the CancelRejected entry's report: the client,
        // logging on with its numbers (no reset, so the kept messages stay), is not sent it again before the answer to its status request.
        await using var after = new PlatformFactory { Settings = RoutedSettings(port, venuePort), DatabasePath = path };
        after.Clock.Fixed = EgxOpen;
        var again = await Client.LogOnAsync(Started(after), port, numbers, reset: false);
        await again.SendAsync("H", (11, "V1"), (55, "COMI"), (54, "1"));
        var received = await Until(again, m => m.GetValueOrDefault(150) == "I");
        Assert.DoesNotContain(received, m => m[35] == "9");
        Assert.Equal("V1", received[^1][11]);
        await again.LogOutAsync();
    }
}
