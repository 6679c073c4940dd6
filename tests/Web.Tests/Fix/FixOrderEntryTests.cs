using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using TradSys.Engine.Fix;
using TradSys.Web.Fix;
using TradSys.Web.Persistence;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Fix;

/// <summary>
/// Client order entry over the FIX acceptor (<c>Fix:Acceptor</c> with <c>Clients:BROKER1</c> bound to the API client trader1 and
/// its accounts 1001 and 1002), with our own initiator as the client's OMS over loopback and the platform's REST API as the
/// other side: orders, fills, cancel, replace, mass cancel, refusals, a PossDup resend and throttling, on the embedded database.
/// </summary>
public sealed partial class FixOrderEntryTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private static int FreePort()
    {
        var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    private static PlatformFactory Platform(int port, int perSecond = 50, int burst = 100) => new()
    {
        Settings = new()
        {
            ["Fix:Acceptor:Port"] = port.ToString(CultureInfo.InvariantCulture),
            ["Fix:Acceptor:SenderCompId"] = "TRADSYS",
            ["Fix:Acceptor:TargetCompIds:0"] = "BROKER1",
            ["Fix:Acceptor:Clients:BROKER1:ClientId"] = "trader1",
            ["Fix:Acceptor:Clients:BROKER1:Accounts:0"] = "1001",
            ["Fix:Acceptor:Clients:BROKER1:Accounts:1"] = "1002",
            ["Trading:OrderRateLimit:PerSecond"] = perSecond.ToString(CultureInfo.InvariantCulture),
            ["Trading:OrderRateLimit:Burst"] = burst.ToString(CultureInfo.InvariantCulture),
        },
    };

    /// <summary>The client's side: our initiator as BROKER1, every application message it receives kept as tag -> value.</summary>
    private sealed class Client
    {
        public ConcurrentQueue<Dictionary<int, string>> Received { get; } = new();

        public FixSessionDriver Session { get; private set; } = null!;

        /// <summary>Logs on with a reset and new numbers, or with <paramref name="store"/>'s numbers when <paramref name="reset"/> is false.</summary>
        public static async Task<Client> LogOnAsync(FixAcceptors acceptors, int port, IFixSessionStore? store = null, bool reset = true)
        {
            Assert.NotNull(acceptors.OrderEntry);
            var client = new Client();
            var settings = new FixSessionSettings { SenderCompId = "BROKER1", TargetCompId = "TRADSYS", Role = FixSessionRole.Initiator, ResetOnLogon = reset };
            client.Session = await FixInitiator.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), settings, store ?? new InMemoryFixSessionStore(), client.Keep,
                TimeProvider.System, NullLogger.Instance, CancellationToken.None);
            await client.Session.LoggedOn.WaitAsync(Wait);
            return client;
        }

        private void Keep(FixMessage m)
        {
            var fields = new Dictionary<int, string>();
            for (var i = 0; i < m.FieldCount; i++)
            {
                fields[m[i].Tag] = Encoding.ASCII.GetString(m.Value(i));
            }

            Received.Enqueue(fields);
        }

        public async Task SendAsync(string msgType, params (int Tag, string Value)[] fields) =>
            Assert.True(await Session.SendAsync(Encoding.ASCII.GetBytes(msgType), Encoding.ASCII.GetBytes(string.Concat(fields.Select(f => $"{f.Tag}={f.Value}\u0001")))) > 0);

        /// <summary>The next <paramref name="count"/> messages received.</summary>
        public async Task<List<Dictionary<int, string>>> Take(int count)
        {
            var deadline = DateTime.UtcNow + Wait;
            while (Received.Count < count)
            {
                Assert.True(DateTime.UtcNow < deadline,
                    $"got {Received.Count} of {count} messages: {string.Join(" / ", Received.Select(m => string.Join("|", m.Select(f => $"{f.Key}={f.Value}"))))}");
                await Task.Delay(20);
            }

            var taken = new List<Dictionary<int, string>>();
            while (taken.Count < count && Received.TryDequeue(out var m))
            {
                taken.Add(m);
            }

            return taken;
        }

        public async Task<Dictionary<int, string>> One() => Assert.Single(await Take(1));

        public async Task LogOutAsync()
        {
            await Session.LogoutAsync();
            Assert.Equal(FixDisconnectReason.Logout, (await Session.Completion.WaitAsync(Wait)).Reason);
        }
    }

    /// <summary>Messages received until one matches (all of them, in order, the match last).</summary>
    private static async Task<List<Dictionary<int, string>>> Until(Client client, Func<Dictionary<int, string>, bool> match)
    {
        var seen = new List<Dictionary<int, string>>();
        while (seen.Count == 0 || !match(seen[^1]))
        {
            seen.Add(await client.One());
        }

        return seen;
    }

    [Fact]
    public async Task Execution_reports_published_while_the_client_is_logged_off_are_delivered_in_order_when_it_logs_on_again()
    {
        var port = FreePort();
        await using var platform = Platform(port);
        var acceptors = platform.Services.GetRequiredService<FixAcceptors>();
        var client = await Client.LogOnAsync(acceptors, port);
        await client.SendAsync("D", Order("L1", "1", "100", "79.00"));
        var accepted = await client.One();
        Assert.Equal(("0", "L1"), (accepted[150], accepted[11]));
        await client.LogOutAsync();

        // While BROKER1 is logged off, trader2 sells 40 then 60 into its order over REST: two fills, the order filled.
        var trader2 = await platform.ClientForAsync("trader2");
        (await trader2.SubmitAsync(2001, "COMI.INT", "Sell", 79.00m, 40)).Expect(HttpStatusCode.Created);
        (await trader2.SubmitAsync(2001, "COMI.INT", "Sell", 79.00m, 60)).Expect(HttpStatusCode.Created);

        var again = await Client.LogOnAsync(acceptors, port);
        var missed = await again.Take(2);
        Assert.All(missed, m => Assert.Equal(("8", "F", "L1", accepted[37]), (m[35], m[150], m[11], m[37])));
        Assert.Equal([("1", "40", "40"), ("2", "60", "100")], missed.Select(m => (m[39], m[32], m[14])));
        Assert.True(long.Parse(missed[0][17], CultureInfo.InvariantCulture) < long.Parse(missed[1][17], CultureInfo.InvariantCulture));
        await again.LogOutAsync();
    }

    [Fact]
    public async Task A_client_mass_cancel_sends_its_routed_orders_cancels_to_the_venue_and_reports_them_canceled_when_it_confirms()
    {
        int port = FreePort(), venuePort = FreePort();
        await using var platform = Platform(port);
        var venue = venuePort.ToString(CultureInfo.InvariantCulture);
        foreach (var (key, value) in new Dictionary<string, string>
        {
            ["Fix:Simulators:0:Venue"] = "EGX", ["Fix:Simulators:0:Port"] = venue, ["Fix:Simulators:0:TargetCompIds:0"] = "ROUTER",
            ["Fix:Sessions:0:Name"] = "egx", ["Fix:Sessions:0:Host"] = "127.0.0.1", ["Fix:Sessions:0:Port"] = venue,
            ["Fix:Sessions:0:SenderCompId"] = "ROUTER", ["Fix:Sessions:0:TargetCompId"] = "EGX", ["Fix:Sessions:0:ResetOnLogon"] = "true",
            ["Routing:Venues:EGX:Session"] = "egx",
        })
        {
            platform.Settings[key] = value;
        }
        platform.Clock.Fixed = new DateTimeOffset(2026, 11, 26, 9, 30, 0, TimeSpan.Zero); // EGX open: Thursday 11:30 in Cairo
        var sessions = platform.Services.GetRequiredService<FixSessions>();
        var deadline = DateTime.UtcNow + Wait;
        while (sessions.StateOf("egx") != FixSessionState.Active)
        {
            Assert.True(DateTime.UtcNow < deadline, "the egx session did not log on");
            await Task.Delay(20);
        }
        var client = await Client.LogOnAsync(platform.Services.GetRequiredService<FixAcceptors>(), port);

        // A COMI order goes to EGX: pending new, then New once the venue acknowledges it.
        await client.SendAsync("D", (11, "R1"), (1, "1001"), (55, "COMI"), (54, "1"), (60, Now), (38, "100"), (40, "2"), (44, "80.00"));
        Assert.Equal(["A", "0"], (await Until(client, m => m[35] == "8" && m[150] == "0")).Select(m => m[150]));

        // The mass cancel: the report counts the routed order as affected and says its cancel is pending at the venue; the
        // order's Canceled report follows when the venue confirms.
        await client.SendAsync("q", (11, "M1"), (530, "7"), (60, Now));
        var answers = await Until(client, m => m[35] == "8" && m[150] == "4");
        var report = Assert.Single(answers, m => m[35] == "r");
        Assert.Equal(("M1", "7", "1"), (report[11], report[531], report[533]));
        Assert.Equal("0 order(s) canceled on accounts 1001, 1002; 1 routed order(s) pending cancel at their venue", report[58]);
        Assert.Equal(("4", "R1"), (answers[^1][39], answers[^1][11]));
        var trader1 = await platform.ClientForAsync("trader1");
        Assert.Equal(0, (await trader1.GetAsync("/api/v1/orders?open=true")).Expect(HttpStatusCode.OK).Json["total"]!.GetValue<int>());
        await client.LogOutAsync();
    }

    private static string Now => DateTime.UtcNow.ToString("yyyyMMdd-HH:mm:ss.fff", CultureInfo.InvariantCulture);

    private static (int, string)[] Order(string clOrdId, string side, string quantity, string price, string? account = "1001")
    {
        var fields = new List<(int, string)> { (11, clOrdId) };
        if (account is not null)
        {
            fields.Add((1, account));
        }

        fields.AddRange([(55, "COMI.INT"), (54, side), (60, Now), (38, quantity), (40, "2"), (44, price)]);
        return [.. fields];
    }

    /// <summary>Starts the platform (and with it the acceptor).</summary>
    private static FixAcceptors Started(PlatformFactory platform) => platform.Services.GetRequiredService<FixAcceptors>();

    private static async Task<int> OrdersWith(PlatformFactory platform, string clientOrderId)
    {
        var count = 0;
        await platform.WithDbAsync(async db => count = await db.Orders.CountAsync(o => o.ClientOrderId == clientOrderId));
        return count;
    }

    [Fact]
    public async Task A_client_session_trades_against_REST_cancels_replaces_and_mass_cancels_with_execution_reports_for_each()
    {
        var port = FreePort();
        await using var platform = Platform(port);
        var trader2 = await platform.ClientForAsync("trader2");
        var client = await Client.LogOnAsync(Started(platform), port);

        // A new order: New, from the order path (the same order REST shows, entered as trader1).
        await client.SendAsync("D", Order("B1", "1", "100", "80.00"));
        var accepted = await client.One();
        Assert.Equal(("8", "0", "0", "B1", "1001", "100", "0"), (accepted[35], accepted[150], accepted[39], accepted[11], accepted[1], accepted[151], accepted[14]));
        var orderId = long.Parse(accepted[37], CultureInfo.InvariantCulture);
        var trader1 = await platform.ClientForAsync("trader1");
        var viaRest = (await trader1.GetAsync($"/api/v1/orders/{orderId}")).Expect(HttpStatusCode.OK);
        Assert.Equal(("B1", "Accepted"), (viaRest.Str("clientOrderId"), viaRest.Str("status")));

        // The other side arrives over REST: the fill reaches the session.
        (await trader2.SubmitAsync(2001, "COMI.INT", "Sell", 80.00m, 100)).Expect(HttpStatusCode.Created);
        var fill = await client.One();
        Assert.Equal(("F", "2", "B1", "100", "100", "0"), (fill[150], fill[39], fill[11], fill[32], fill[14], fill[151]));
        Assert.Equal(80m, decimal.Parse(fill[31], CultureInfo.InvariantCulture));
        Assert.Equal(80m, decimal.Parse(fill[6], CultureInfo.InvariantCulture));
        Assert.Equal(accepted[37], fill[37]);
        Assert.Equal("Filled", (await trader1.GetAsync($"/api/v1/orders/{orderId}")).Expect(HttpStatusCode.OK).Str("status"));

        // A cancel: Canceled, answering the cancel's ClOrdID and naming the order's.
        await client.SendAsync("D", Order("B2", "1", "50", "77.00"));
        Assert.Equal("0", (await client.One())[150]);
        await client.SendAsync("F", (41, "B2"), (11, "C2"), (55, "COMI.INT"), (54, "1"), (60, Now));
        var canceled = await client.One();
        Assert.Equal(("8", "4", "4", "C2", "B2", "0"), (canceled[35], canceled[150], canceled[39], canceled[11], canceled[41], canceled[151]));

        // A cancel of an order that is no longer working: OrderCancelReject, too late.
        await client.SendAsync("F", (41, "B2"), (11, "C2b"), (55, "COMI.INT"), (54, "1"), (60, Now));
        var tooLate = await client.One();
        Assert.Equal(("9", "C2b", "B2", "4", "1", "0"), (tooLate[35], tooLate[11], tooLate[41], tooLate[39], tooLate[434], tooLate[102]));

        // A replace: Replaced with the new terms; the order then answers to its new ClOrdID.
        await client.SendAsync("D", Order("B3", "1", "50", "77.00"));
        var b3 = await client.One();
        await client.SendAsync("G", (41, "B3"), (11, "B3R"), (1, "1001"), (55, "COMI.INT"), (54, "1"), (60, Now), (38, "60"), (40, "2"), (44, "77.50"));
        var replaced = await client.One();
        Assert.Equal(("5", "0", "B3R", "B3", "60", "60", b3[37]), (replaced[150], replaced[39], replaced[11], replaced[41], replaced[38], replaced[151], replaced[37]));
        Assert.Equal(77.5m, decimal.Parse(replaced[44], CultureInfo.InvariantCulture));
        var amended = (await trader1.GetAsync($"/api/v1/orders/{b3[37]}")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal((77.5m, 60L), (amended["price"]!.GetValue<decimal>(), amended["quantity"]!.GetValue<long>()));

        // A replace the platform refuses (off the tick): OrderCancelReject with the reject code, and the order keeps its terms.
        await client.SendAsync("G", (41, "B3R"), (11, "B3R2"), (55, "COMI.INT"), (54, "1"), (60, Now), (38, "60"), (40, "2"), (44, "77.501"));
        var refused = await client.One();
        Assert.Equal(("9", "2", "B3R2", "B3R", "0"), (refused[35], refused[434], refused[11], refused[41], refused[39]));
        Assert.StartsWith("rejectCode 1005", refused[58], StringComparison.Ordinal);

        // A mass cancel of every order on the session's accounts: one Canceled per order, and the report counts them.
        await client.SendAsync("D", Order("B4", "1", "10", "76.00", account: "1002"));
        Assert.Equal("0", (await client.One())[150]);
        await client.SendAsync("q", (11, "M1"), (530, "7"), (60, Now));
        var answers = await client.Take(3);
        var report = Assert.Single(answers, m => m[35] == "r");
        Assert.Equal(("M1", "7", "2"), (report[11], report[531], report[533]));
        var cancels = answers.Where(m => m[35] == "8").ToList();
        Assert.Equal(2, cancels.Count);
        Assert.All(cancels, c => Assert.Equal(("4", "4"), (c[150], c[39])));
        Assert.Equal(["B3R", "B4"], cancels.Select(c => c[11]).Order(StringComparer.Ordinal));
        var open = (await trader1.GetAsync("/api/v1/orders?open=true")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(0, open["total"]!.GetValue<int>());

        await client.LogOutAsync();
    }

    [Fact]
    public async Task A_wrong_account_an_incomplete_or_malformed_message_and_an_unknown_order_are_refused_with_their_reason_and_change_nothing()
    {
        var port = FreePort();
        await using var platform = Platform(port);
        var client = await Client.LogOnAsync(Started(platform), port);
        var before = await platform.CountRowsAsync();

        // trader2's account: ExecutionReport Rejected, unknown account, naming the session's accounts.
        await client.SendAsync("D", Order("W1", "1", "10", "80.00", account: "2001"));
        var wrong = await client.One();
        Assert.Equal(("8", "8", "8", "W1", "15"), (wrong[35], wrong[150], wrong[39], wrong[11], wrong[103]));
        Assert.Equal("account 2001 is not one of this session's accounts (1001, 1002)", wrong[58]);

        // No account with two bound: the account is required.
        await client.SendAsync("D", Order("W2", "1", "10", "80.00", account: null));
        Assert.Equal("Account (1) is required: this session trades accounts 1001, 1002", (await client.One())[58]);

        // A limit order without its price: BusinessMessageReject 5 (conditionally required field missing) naming tag 44.
        await client.SendAsync("D", (11, "W3"), (1, "1001"), (55, "COMI.INT"), (54, "1"), (60, Now), (38, "10"), (40, "2"));
        var missing = await client.One();
        Assert.Equal(("j", "D", "5"), (missing[35], missing[372], missing[380]));
        Assert.EndsWith("(44)", missing[58], StringComparison.Ordinal);

        // An order without a quantity: BusinessMessageReject 5 naming OrderQty (38), with the ClOrdID it refers to.
        await client.SendAsync("D", (11, "W3b"), (1, "1001"), (55, "COMI.INT"), (54, "1"), (60, Now), (40, "2"), (44, "80.00"));
        var noQuantity = await client.One();
        Assert.Equal(("j", "D", "5", "W3b"), (noQuantity[35], noQuantity[372], noQuantity[380], noQuantity[379]));
        Assert.Equal("OrderQty is required (38)", noQuantity[58]);

        // A quantity of zero: session Reject 5 (value is incorrect) with RefTagID 38. A session Reject is not handed to the
        // client's application, so it is read from what the acceptor sent (kept in the database for resends).
        var acceptors = Started(platform);
        var ours = acceptors.Acceptor!.Live("BROKER1")!;
        var rejectSeq = ours.SequenceNumbers.NextSender;
        var refusedBefore = acceptors.OrderEntry!.Refused;
        await client.SendAsync("D", Order("W4", "1", "0", "80.00"));
        var deadline = DateTime.UtcNow + Wait;
        while (client.Session.SequenceNumbers.NextTarget <= rejectSeq)
        {
            Assert.True(DateTime.UtcNow < deadline, "no answer to an order of quantity 0");
            await Task.Delay(20);
        }

        Assert.Equal(refusedBefore + 1, acceptors.OrderEntry.Refused);
        using (var store = DatabaseFixSessionStore.Open(platform.Services.GetRequiredService<DatabaseSettings>(),
                   DatabaseFixSessionStore.IdOf(new FixSessionSettings { SenderCompId = "TRADSYS", TargetCompId = "BROKER1", Role = FixSessionRole.Acceptor }),
                   TimeProvider.System))
        {
            Assert.True(store.TryGet(rejectSeq, out var sent));
            var text = Encoding.ASCII.GetString(sent.Span).Replace('\u0001', '|');
            Assert.Contains("|35=3|", text, StringComparison.Ordinal);
            Assert.Contains("|371=38|372=D|373=5|", text, StringComparison.Ordinal);
        }

        // A price off the tick: the order path's own validation, with its reject code.
        await client.SendAsync("D", Order("W5", "1", "10", "80.001"));
        var offTick = await client.One();
        Assert.Equal(("8", "8"), (offTick[150], offTick[39]));
        Assert.StartsWith("rejectCode 1005", offTick[58], StringComparison.Ordinal);

        // A cancel of an order the session does not have: OrderCancelReject, unknown order.
        await client.SendAsync("F", (41, "NOPE"), (11, "W6"), (55, "COMI.INT"), (54, "1"), (60, Now));
        var unknown = await client.One();
        Assert.Equal(("9", "1", "1"), (unknown[35], unknown[434], unknown[102]));

        // A message type the acceptor does not take (NewOrderList): BusinessMessageReject 3, unsupported.
        await client.SendAsync("E", (66, "W7"));
        var unsupported = await client.One();
        Assert.Equal(("j", "3"), (unsupported[35], unsupported[380]));

        Assert.Equal(before, await platform.CountRowsAsync());
        await client.LogOutAsync();
    }

    [Fact]
    public async Task A_PossDup_resend_of_a_NewOrderSingle_enters_no_second_order_and_reports_the_order_it_is()
    {
        var port = FreePort();
        await using var platform = Platform(port);
        var client = await Client.LogOnAsync(Started(platform), port);
        await client.SendAsync("D", Order("P1", "1", "10", "79.00"));
        var first = await client.One();
        Assert.Equal(("0", "0"), (first[150], first[39]));

        // The same order again, flagged as a possible duplicate (PossDupFlag and OrigSendingTime in the header).
        await client.SendAsync("D", [(43, "Y"), (122, Now), .. Order("P1", "1", "10", "79.00")]);
        var status = await client.One();
        Assert.Equal(("8", "I", "0", "P1", first[37]), (status[35], status[150], status[39], status[11], status[37]));
        Assert.Equal(1, await OrdersWith(platform, "P1"));

        // The same ClOrdID with other terms is not a resend: refused, duplicate order.
        await client.SendAsync("D", Order("P1", "1", "20", "79.00"));
        var conflict = await client.One();
        Assert.Equal(("8", "6"), (conflict[39], conflict[103]));
        Assert.Equal(1, await OrdersWith(platform, "P1"));
        await client.LogOutAsync();
    }

    [Fact]
    public async Task New_orders_beyond_the_REST_order_limit_are_rejected_as_throttled_and_cancels_are_not_limited()
    {
        var port = FreePort();
        await using var platform = Platform(port, perSecond: 1, burst: 1);
        var client = await Client.LogOnAsync(Started(platform), port);
        for (var i = 1; i <= 4; i++)
        {
            await client.SendAsync("D", Order($"T{i}", "1", "10", "75.00"));
        }

        var answers = await client.Take(4);
        var throttled = answers.Where(a => a[39] == "8").ToList();
        var accepted = answers.Where(a => a[39] == "0").ToList();
        Assert.NotEmpty(throttled);
        Assert.NotEmpty(accepted);
        Assert.Equal(4, throttled.Count + accepted.Count);
        Assert.All(throttled, t => Assert.StartsWith("throttled: order entry and amends are limited to 1 a second per session", t[58], StringComparison.Ordinal));
        foreach (var t in throttled)
        {
            Assert.Equal(0, await OrdersWith(platform, t[11]));
        }

        // Cancels are never limited: each accepted order cancels at once.
        var n = 0;
        foreach (var a in accepted)
        {
            await client.SendAsync("F", (41, a[11]), (11, $"X{++n}"), (55, "COMI.INT"), (54, "1"), (60, Now));
        }

        Assert.All(await client.Take(accepted.Count), c => Assert.Equal("4", c[150]));
        await client.LogOutAsync();
    }

    [Fact]
    public void The_client_bindings_name_every_problem_by_its_key()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Fix:Acceptor:Port"] = "9878",
            ["Fix:Acceptor:SenderCompId"] = "TRADSYS",
            ["Fix:Acceptor:TargetCompIds:0"] = "BROKER1",
            ["Fix:Acceptor:TargetCompIds:1"] = "BROKER2",
            ["Fix:Acceptor:Clients:BROKER1:ClientId"] = "trader1",
            ["Fix:Acceptor:Clients:BROKER1:Accounts:0"] = "x",
            ["Fix:Acceptor:Clients:BROKER3:ClientId"] = "trader2",
        }).Build();
        FixAcceptors.Read(configuration, out var problems);
        Assert.Equal(
        [
            "Fix:Acceptor:Clients:BROKER3: 'BROKER3' is not one of Fix:Acceptor:TargetCompIds",
            "Fix:Acceptor:Clients:BROKER1:Accounts:0 must be an account id (a positive whole number), not 'x'",
            "Fix:Acceptor:Clients:BROKER1:Accounts needs at least one account the session may trade (e.g. Fix:Acceptor:Clients:BROKER1:Accounts:0 = 1001)",
            "Fix:Acceptor:Clients:BROKER2:ClientId is required: the API client (OAuth client id) whose trader the session's orders are entered as",
            "Fix:Acceptor:Clients:BROKER2:Accounts needs at least one account the session may trade (e.g. Fix:Acceptor:Clients:BROKER2:Accounts:0 = 1001)",
        ], problems);
    }

    [Fact]
    public async Task An_order_mass_status_request_reports_each_working_order_once_with_its_figures_and_refuses_what_it_cannot_answer()
    {
        var port = FreePort();
        await using var platform = Platform(port);
        var trader2 = await platform.ClientForAsync("trader2");
        var client = await Client.LogOnAsync(Started(platform), port);

        // Two working orders: S1 on 1001, partly filled (30 of 100 at 79.00), and S2 on 1002, untouched.
        await client.SendAsync("D", Order("S1", "1", "100", "79.00"));
        var s1 = await client.One();
        await client.SendAsync("D", Order("S2", "1", "50", "78.00", account: "1002"));
        var s2 = await client.One();
        (await trader2.SubmitAsync(2001, "COMI.INT", "Sell", 79.00m, 30)).Expect(HttpStatusCode.Created);
        Assert.Equal(("F", "1"), ((await client.One())[150], "1"));

        // All orders (7): one ExecutionReport 150=I each, oldest first, 584 echoed, 911=2, 912=Y on the last only.
        await client.SendAsync("AF", (584, "MS1"), (585, "7"));
        var all = await client.Take(2);
        Assert.All(all, m => Assert.Equal(("8", "I", "MS1", "2"), (m[35], m[150], m[584], m[911])));
        Assert.Equal([("S1", s1[37], "1001", "1", "30", "70", "N"), ("S2", s2[37], "1002", "0", "0", "50", "Y")],
            all.Select(m => (m[11], m[37], m[1], m[39], m[14], m[151], m[912])));
        Assert.Equal(79m, decimal.Parse(all[0][6], CultureInfo.InvariantCulture));
        Assert.Equal(("2", "1", "COMI.INT"), (all[0][40], all[0][54], all[0][55]));
        Assert.NotEqual(all[0][17], all[1][17]);

        // By party (8): only that account's; by security (1): the orders in it; with a Side, only that side.
        await client.SendAsync("AF", (584, "MS2"), (585, "8"), (453, "1"), (448, "1002"), (447, "D"), (452, "24"));
        var party = await client.One();
        Assert.Equal(("I", "MS2", "S2", "1", "Y"), (party[150], party[584], party[11], party[911], party[912]));
        await client.SendAsync("AF", (584, "MS3"), (585, "1"), (55, "COMI.INT"), (1, "1001"));
        var security = await client.One();
        Assert.Equal(("MS3", "S1", "1", "Y"), (security[584], security[11], security[911], security[912]));
        await client.SendAsync("AF", (584, "MS4"), (585, "7"), (54, "2"));
        var none = await client.One();
        Assert.Equal(("8", "I", "NONE", "8", "MS4", "0", "Y"), (none[35], none[150], none[37], none[39], none[584], none[911], none[912]));

        // What it cannot answer: a type it does not support, an unknown security, a party not its own: BusinessMessageReject, the tag named.
        await client.SendAsync("AF", (584, "MS5"), (585, "5"), (336, "1"));
        var unsupported = await client.One();
        Assert.Equal(("j", "AF", "MS5", "0"), (unsupported[35], unsupported[372], unsupported[379], unsupported[380]));
        Assert.Contains("MassStatusReqType (585) 5 is not supported", unsupported[58], StringComparison.Ordinal);
        await client.SendAsync("AF", (584, "MS6"), (585, "1"), (55, "NOPE"));
        var unknown = await client.One();
        Assert.Equal(("j", "MS6", "2"), (unknown[35], unknown[379], unknown[380]));
        await client.SendAsync("AF", (584, "MS7"), (585, "8"), (1, "2001"));
        var notOurs = await client.One();
        Assert.Equal(("j", "MS7", "6"), (notOurs[35], notOurs[379], notOurs[380]));
        Assert.Contains("(1) is not one of this session's accounts (1001, 1002)", notOurs[58], StringComparison.Ordinal);

        // Malformed: the dictionary answers: a type FIX 4.4 does not define is a session Reject naming 585; a missing id names 584;
        // a by-security request without a security is a business reject, conditionally required field missing.
        // (Session Rejects are the session layer's: read from the acceptor's store of sent messages, as they went out.)
        await client.SendAsync("AF", (584, "MS8"), (585, "9"));
        await client.SendAsync("AF", (585, "7"));
        await client.SendAsync("AF", (584, "MS9"), (585, "1"));
        var noSymbol = await client.One();
        Assert.Equal(("j", "AF", "5"), (noSymbol[35], noSymbol[372], noSymbol[380]));
        Assert.Contains("55", noSymbol[58], StringComparison.Ordinal);
        var sessionRejects = new List<string>();
        using (var store = DatabaseFixSessionStore.Open(platform.Services.GetRequiredService<DatabaseSettings>(),
                   DatabaseFixSessionStore.IdOf(new FixSessionSettings { SenderCompId = "TRADSYS", TargetCompId = "BROKER1", Role = FixSessionRole.Acceptor }),
                   TimeProvider.System))
        {
            for (var seq = 1; seq < store.NextSenderMsgSeqNum; seq++)
            {
                if (store.TryGet(seq, out var sent) && Encoding.ASCII.GetString(sent.Span).Replace('\u0001', '|') is var text && text.Contains("|35=3|", StringComparison.Ordinal))
                {
                    sessionRejects.Add(text);
                }
            }
        }

        Assert.Equal(2, sessionRejects.Count);
        Assert.Contains("|371=585|372=AF|373=5|", sessionRejects[0], StringComparison.Ordinal);
        Assert.Contains("|371=584|372=AF|373=1|", sessionRejects[1], StringComparison.Ordinal);

        // Nothing changed: both orders still work as they were.
        await client.SendAsync("AF", (584, "MS10"), (585, "7"));
        Assert.Equal([("S1", "70"), ("S2", "50")], (await client.Take(2)).Select(m => (m[11], m[151])));
        await client.LogOutAsync();
    }

    [Fact]
    public async Task Execution_reports_missed_while_logged_off_survive_a_platform_restart_and_reach_the_client_once_in_journal_order()
    {
        var port = FreePort();
        string path;
        string orderId;
        await using (var before = Platform(port))
        {
            path = before.DatabasePath;
            var client = await Client.LogOnAsync(Started(before), port);
            await client.SendAsync("D", Order("P1", "1", "100", "79.00"));
            var accepted = await client.One();
            Assert.Equal(("0", "P1"), (accepted[150], accepted[11]));
            orderId = accepted[37];
            await client.LogOutAsync();

            // Logged off: trader2 sells 40 into the order; the platform then stops before the client is back.
            var trader2 = await before.ClientForAsync("trader2");
            (await trader2.SubmitAsync(2001, "COMI.INT", "Sell", 79.00m, 40)).Expect(HttpStatusCode.Created);
            await WaitForFilled(before, "P1", 40);
        }

        await using var after = new PlatformFactory { Settings = Platform(port).Settings, DatabasePath = path };
        var acceptors = Started(after);
        var seller = await after.ClientForAsync("trader2");
        (await seller.SubmitAsync(2001, "COMI.INT", "Sell", 79.00m, 60)).Expect(HttpStatusCode.Created);
        await WaitForFilled(after, "P1", 100);

        // Back on: the two fills it missed (one before the restart, one after), in journal order, and not the New it already had:
        // the mass status request answered next shows nothing else was queued before it.
        var again = await Client.LogOnAsync(acceptors, port);
        await again.SendAsync("AF", (584, "AFTER"), (585, "7"));
        var received = await again.Take(3);
        Assert.Equal([("8", "F", "1", "40", "40"), ("8", "F", "2", "60", "100")], received.Take(2).Select(m => (m[35], m[150], m[39], m[32], m[14])));
        Assert.All(received.Take(2), m => Assert.Equal(("P1", orderId), (m[11], m[37])));
        Assert.Equal(79m, decimal.Parse(received[1][6], CultureInfo.InvariantCulture));
        Assert.True(long.Parse(received[0][17], CultureInfo.InvariantCulture) < long.Parse(received[1][17], CultureInfo.InvariantCulture));
        Assert.Equal(("I", "AFTER", "0"), (received[2][150], received[2][584], received[2][911]));
        await again.LogOutAsync();

        // A further logon: nothing is sent twice.
        var third = await Client.LogOnAsync(acceptors, port);
        await third.SendAsync("AF", (584, "THIRD"), (585, "7"));
        var only = await third.One();
        Assert.Equal(("I", "THIRD"), (only[150], only[584]));
        await third.LogOutAsync();
    }

    [Fact]
    public async Task After_a_platform_restart_an_order_answers_to_its_replace_and_cancel_ClOrdIDs_and_none_of_them_can_be_used_again()
    {
        var port = FreePort();
        string path;
        string orderId;
        await using (var before = Platform(port))
        {
            path = before.DatabasePath;
            var client = await Client.LogOnAsync(Started(before), port);
            await client.SendAsync("D", Order("K1", "1", "100", "79.00"));
            orderId = (await client.One())[37];
            await client.SendAsync("G", (41, "K1"), (11, "K1R"), (1, "1001"), (55, "COMI.INT"), (54, "1"), (60, Now), (38, "80"), (40, "2"), (44, "78.50"));
            var replaced = await client.One();
            Assert.Equal(("5", "K1R", "K1", orderId), (replaced[150], replaced[11], replaced[41], replaced[37]));
            await client.SendAsync("D", Order("K2", "1", "10", "77.00"));
            var k2New = await client.One();
            Assert.Equal(("0", "K2"), (k2New[150], k2New[11]));
            var k2 = k2New[37];
            await client.SendAsync("F", (41, "K2"), (11, "K2C"), (55, "COMI.INT"), (54, "1"), (60, Now));
            var k2Canceled = await client.One();
            Assert.Equal(("4", "K2C", k2), (k2Canceled[150], k2Canceled[11], k2Canceled[37]));
            await client.LogOutAsync();
        }

        // Kept with the commits that carried them out.
        await using var after = new PlatformFactory { Settings = Platform(port).Settings, DatabasePath = path };
        var acceptors = Started(after);
        List<(string, string, string, long)> kept = [];
        await after.WithDbAsync(async db => kept = (await db.FixClientOrderIds.Where(c => c.ClientCompId == "BROKER1").ToListAsync())
            .Select(c => (c.ClOrdId, c.MsgType, c.OrigClOrdId, c.OrderId)).OrderBy(c => c.ClOrdId, StringComparer.Ordinal).ToList());
        Assert.Equal(2, kept.Count);
        Assert.Equal(("K1R", "G", "K1", long.Parse(orderId, CultureInfo.InvariantCulture)), kept[0]);
        Assert.Equal(("K2C", "F", "K2"), (kept[1].Item1, kept[1].Item2, kept[1].Item3));

        var again = await Client.LogOnAsync(acceptors, port);

        // OrderStatusRequest by the replace's ClOrdID: the order with its replaced terms, the request's ClOrdID and OrdStatusReqID echoed.
        await again.SendAsync("H", (11, "K1R"), (790, "ST1"), (55, "COMI.INT"), (54, "1"));
        var status = await again.One();
        Assert.Equal(("8", "I", "0", orderId, "K1R", "80", "80", "ST1"),
            (status[35], status[150], status[39], status[37], status[11], status[38], status[151], status[790]));
        Assert.Equal(78.5m, decimal.Parse(status[44], CultureInfo.InvariantCulture));

        // ... and by the cancel's ClOrdID: canceled.
        await again.SendAsync("H", (11, "K2C"), (55, "COMI.INT"), (54, "1"));
        var canceledStatus = await again.One();
        Assert.Equal(("I", "4", "K2C"), (canceledStatus[150], canceledStatus[39], canceledStatus[11]));

        // The ClOrdIDs stay used: a new order with the replace's is refused as a duplicate and enters nothing; a cancel with the
        // cancel's is refused with CxlRejReason 6.
        await again.SendAsync("D", Order("K1R", "1", "10", "77.00"));
        var duplicate = await again.One();
        Assert.Equal(("8", "8", "6", "K1R"), (duplicate[150], duplicate[39], duplicate[103], duplicate[11]));
        Assert.Contains("already used by this session", duplicate[58], StringComparison.Ordinal);
        Assert.Equal(0, await OrdersWith(after, "K1R"));
        await again.SendAsync("F", (41, "K1R"), (11, "K2C"), (55, "COMI.INT"), (54, "1"), (60, Now));
        var duplicateCancel = await again.One();
        Assert.Equal(("9", "1", "6", "K2C"), (duplicateCancel[35], duplicateCancel[434], duplicateCancel[102], duplicateCancel[11]));

        // A cancel naming the replace's ClOrdID: Canceled, answering the cancel and naming the replace.
        await again.SendAsync("F", (41, "K1R"), (11, "K1C"), (55, "COMI.INT"), (54, "1"), (60, Now));
        var canceled = await again.One();
        Assert.Equal(("8", "4", "4", "K1C", "K1R", orderId), (canceled[35], canceled[150], canceled[39], canceled[11], canceled[41], canceled[37]));

        // A status request for an order the session does not have: unknown order.
        await again.SendAsync("H", (11, "NOPE"), (55, "COMI.INT"), (54, "1"));
        var unknown = await again.One();
        Assert.Equal(("I", "8", "5", "NONE", "NOPE"), (unknown[150], unknown[39], unknown[103], unknown[37], unknown[11]));
        await again.LogOutAsync();
    }

    [Fact]
    public async Task An_order_mass_status_request_for_an_underlying_reports_its_derivatives_orders_and_names_what_the_platform_does_not_keep()
    {
        var port = FreePort();
        await using var platform = Platform(port);
        var client = await Client.LogOnAsync(Started(platform), port);

        // A working order on the FAB future (underlying FAB, ISIN AEN000101016) and one on COMI.
        await client.SendAsync("D", (11, "U1"), (1, "1001"), (55, "FAB.F2612"), (54, "1"), (60, Now), (38, "2"), (40, "2"), (44, "15.50"));
        var future = await client.One();
        Assert.Equal(("0", "U1"), (future[150], future[11]));
        await client.SendAsync("D", Order("U2", "1", "10", "79.00"));
        Assert.Equal("0", (await client.One())[150]);

        // By UnderlyingSymbol, and by UnderlyingSecurityID as an ISIN: the future's order only.
        await client.SendAsync("AF", (584, "UA1"), (585, "6"), (311, "FAB"));
        var bySymbol = await client.One();
        Assert.Equal(("I", "UA1", "U1", future[37], "FAB.F2612", "1", "Y"), (bySymbol[150], bySymbol[584], bySymbol[11], bySymbol[37], bySymbol[55], bySymbol[911], bySymbol[912]));
        await client.SendAsync("AF", (584, "UA2"), (585, "6"), (309, "AEN000101016"), (305, "4"));
        var byIsin = await client.One();
        Assert.Equal(("UA2", "U1", "1"), (byIsin[584], byIsin[11], byIsin[911]));

        // An underlying with no derivative listed: no matching order. An unknown one, or an ISIN given under another source: refused.
        await client.SendAsync("AF", (584, "UA3"), (585, "6"), (311, "COMI"));
        var none = await client.One();
        Assert.Equal(("I", "NONE", "0", "Y"), (none[150], none[37], none[911], none[912]));
        await client.SendAsync("AF", (584, "UA4"), (585, "6"), (311, "NOPE"));
        var unknown = await client.One();
        Assert.Equal(("j", "UA4", "2"), (unknown[35], unknown[379], unknown[380]));
        Assert.Contains("unknown underlying 'NOPE' (311)", unknown[58], StringComparison.Ordinal);
        await client.SendAsync("AF", (584, "UA5"), (585, "6"), (309, "FAB"), (305, "8"));
        var source = await client.One();
        Assert.Equal(("j", "UA5"), (source[35], source[379]));
        Assert.Contains("UnderlyingSecurityIDSource (305) must be 4 (ISIN)", source[58], StringComparison.Ordinal);

        // By product, CFICode, security type or trading session: refused, naming the attribute the platform does not keep.
        foreach (var (type, tag, value, field) in new[] { ("2", 460, "5", "Product (460)"), ("3", 461, "ESVUFR", "CFICode (461)"), ("4", 167, "CS", "SecurityType (167)"), ("5", 336, "1", "TradingSessionID (336)") })
        {
            await client.SendAsync("AF", (584, "UB" + type), (585, type), (tag, value));
            var refused = await client.One();
            Assert.Equal(("j", "AF", "UB" + type, "0"), (refused[35], refused[372], refused[379], refused[380]));
            Assert.Contains($"MassStatusReqType (585) {type} is not supported: the platform keeps no {field}", refused[58], StringComparison.Ordinal);
        }

        // Without the field its type selects by: BusinessMessageReject 5 (conditionally required field missing) naming it, as for a
        // type 1 without its Symbol; the session goes on.
        foreach (var (type, tag) in new[] { ("6", "311"), ("2", "460") })
        {
            await client.SendAsync("AF", (584, "UC" + type), (585, type));
            var missing = await client.One();
            Assert.Equal(("j", "AF", "5"), (missing[35], missing[372], missing[380]));
            Assert.Contains(tag, missing[58], StringComparison.Ordinal);
        }
        await client.SendAsync("AF", (584, "UC7"), (585, "7"), (54, "2"));
        var after = await client.One();
        Assert.Equal(("I", "UC7", "0"), (after[150], after[584], after[911]));
        await client.LogOutAsync();
    }

    private static async Task WaitForFilled(PlatformFactory platform, string clientOrderId, long filled)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (true)
        {
            long now = 0;
            await platform.WithDbAsync(async db => now = await db.Orders.Where(o => o.ClientOrderId == clientOrderId).Select(o => o.FilledQuantity).SingleAsync());
            if (now == filled)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"order {clientOrderId} has {now} filled, not {filled}");
            await Task.Delay(50);
        }
    }
}
