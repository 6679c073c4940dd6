using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using TradSys.Engine.Fix;
using TradSys.Web.Fix;
using TradSys.Web.Fix.Simulator;
using TradSys.Web.Hosting;

namespace TradSys.Web.Tests.Fix;

/// <summary>
/// The exchange simulator as its command runs it (<c>simulator --venue EGX --port 0 --clients BROKER1,BROKER2</c>), with two of our
/// initiators logged on over loopback: crossing orders and a bad tick, as execution reports on the wire. No QuickFIX needed.
/// </summary>
public sealed class ExchangeSimulatorOverFixTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private sealed class Peer(string compId)
    {
        public ConcurrentQueue<Dictionary<int, string>> Reports { get; } = new();

        public FixSessionSettings Settings { get; } = new() { SenderCompId = compId, TargetCompId = "EGX", Role = FixSessionRole.Initiator, ResetOnLogon = true };

        public void Received(FixMessage m)
        {
            var fields = new Dictionary<int, string>();
            for (var i = 0; i < m.FieldCount; i++)
            {
                fields[m[i].Tag] = Encoding.ASCII.GetString(m.Value(i));
            }

            Reports.Enqueue(fields);
        }

        public async Task<List<Dictionary<int, string>>> Take(int count)
        {
            var deadline = DateTime.UtcNow + Wait;
            while (Reports.Count < count)
            {
                Assert.True(DateTime.UtcNow < deadline, $"{Settings.SenderCompId} got {Reports.Count} of {count} reports");
                await Task.Delay(20);
            }

            var taken = new List<Dictionary<int, string>>();
            while (taken.Count < count && Reports.TryDequeue(out var r))
            {
                taken.Add(r);
            }

            return taken;
        }
    }

    private static byte[] Body(params (int Tag, string Value)[] fields) =>
        Encoding.ASCII.GetBytes(string.Concat(fields.Select(f => $"{f.Tag}={f.Value}\u0001")));

    [Fact]
    public async Task Two_initiators_cross_on_the_EGX_simulator_and_a_bad_tick_is_rejected_with_its_reason()
    {
        using var stop = new CancellationTokenSource();
        var console = new CommandConsole(new StringReader(""), new StringWriter(), new StringWriter(), false, _ => null);
        var listening = new TaskCompletionSource<IPEndPoint>();
        var command = SimulatorCommand.RunAsync(["--venue", "EGX", "--port", "0", "--clients", "BROKER1,BROKER2"], console, stop.Token,
            listening.SetResult);
        var endPoint = await listening.Task.WaitAsync(Wait);
        Assert.Contains("EGX simulator listening on 127.0.0.1:", console.Out.ToString(), StringComparison.Ordinal);

        var buyer = new Peer("BROKER1");
        var seller = new Peer("BROKER2");
        var buying = await FixInitiator.ConnectAsync(endPoint, buyer.Settings, new InMemoryFixSessionStore(), buyer.Received, TimeProvider.System,
            NullLogger.Instance, CancellationToken.None);
        var selling = await FixInitiator.ConnectAsync(endPoint, seller.Settings, new InMemoryFixSessionStore(), seller.Received, TimeProvider.System,
            NullLogger.Instance, CancellationToken.None);
        await Task.WhenAll(buying.LoggedOn, selling.LoggedOn).WaitAsync(Wait);

        var now = DateTime.UtcNow.ToString("yyyyMMdd-HH:mm:ss.fff", CultureInfo.InvariantCulture);
        Assert.True(await selling.SendAsync("D"u8.ToArray(), Body((11, "S1"), (55, "COMI"), (54, "2"), (60, now), (38, "100"), (40, "2"), (44, "80.10"))) > 0);
        var sellNew = Assert.Single(await seller.Take(1));
        Assert.Equal(("8", "0", "0", "S1", "100"), (sellNew[35], sellNew[150], sellNew[39], sellNew[11], sellNew[151]));

        Assert.True(await buying.SendAsync("D"u8.ToArray(), Body((11, "B1"), (55, "COMI"), (54, "1"), (60, now), (38, "60"), (40, "2"), (44, "80.20"))) > 0);
        var buyReports = await buyer.Take(2);
        Assert.Equal(("0", "0"), (buyReports[0][150], buyReports[0][39]));
        var buyFill = buyReports[1];
        Assert.Equal(("F", "2", "60", "0"), (buyFill[150], buyFill[39], buyFill[14], buyFill[151]));
        Assert.Equal(80.10m, decimal.Parse(buyFill[31], CultureInfo.InvariantCulture));
        Assert.Equal(80.10m, decimal.Parse(buyFill[6], CultureInfo.InvariantCulture));

        var sellFill = Assert.Single(await seller.Take(1));
        Assert.Equal(("F", "1", "60", "40", "S1"), (sellFill[150], sellFill[39], sellFill[14], sellFill[151], sellFill[11]));
        Assert.Equal(sellNew[37], sellFill[37]);
        var execIds = new[] { sellNew[17], buyReports[0][17], buyFill[17], sellFill[17] };
        Assert.Equal(4, execIds.Distinct().Count());

        Assert.True(await buying.SendAsync("D"u8.ToArray(), Body((11, "B2"), (55, "COMI"), (54, "1"), (60, now), (38, "10"), (40, "2"), (44, "80.005"))) > 0);
        var rejected = Assert.Single(await buyer.Take(1));
        Assert.Equal(("8", "8", "B2"), (rejected[150], rejected[39], rejected[11]));
        Assert.Equal("the price is not on the tick: 80.005 is not a multiple of EGX's tick of 0.01 at that price", rejected[58]);

        await stop.CancelAsync();
        Assert.Equal(ExitCodes.Done, await command.WaitAsync(Wait));
        // Stopping logs the sessions out: both initiators see a Logout, not a dropped connection.
        Assert.Equal(FixDisconnectReason.Logout, (await buying.Completion.WaitAsync(Wait)).Reason);
        Assert.Equal(FixDisconnectReason.Logout, (await selling.Completion.WaitAsync(Wait)).Reason);
    }

    [Fact]
    public async Task The_command_names_every_problem_of_its_command_line()
    {
        var error = new StringWriter();
        var console = new CommandConsole(new StringReader(""), new StringWriter(), error, false, _ => null);
        var code = await SimulatorCommand.RunAsync(["--venue", "NYSE", "--port", "x"], console, CancellationToken.None);
        Assert.Equal(ExitCodes.Usage, code);
        var text = error.ToString();
        Assert.Contains("error: --port must be a whole number from 0 to 65535, not 'x'", text, StringComparison.Ordinal);
        Assert.Contains("error: --venue: unknown venue 'NYSE' (the venues are EGX, ADX, INTERNAL)", text, StringComparison.Ordinal);
    }
}

/// <summary>A simulator started in-process by configuration (<c>Fix:Simulators:0</c>), on the platform's loaded reference data and database.</summary>
public sealed class ExchangeSimulatorInProcessTests
{
    [Fact]
    public async Task Fix_Simulators_starts_an_ADX_simulator_with_the_platform_that_a_session_logs_on_to_and_trades_with()
    {
        var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        await using var platform = new Support.PlatformFactory
        {
            Settings = new()
            {
                ["Fix:Simulators:0:Venue"] = "ADX",
                ["Fix:Simulators:0:Port"] = port.ToString(CultureInfo.InvariantCulture),
                ["Fix:Simulators:0:TargetCompIds:0"] = "BROKER1",
            },
        };
        var acceptors = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<FixAcceptors>(platform.Services);
        var host = Assert.Single(acceptors.Simulators);
        Assert.Equal(("ADX", port), (host.Venue, host.Acceptor.EndPoint!.Port));

        var reports = new ConcurrentQueue<string>();
        var settings = new FixSessionSettings { SenderCompId = "BROKER1", TargetCompId = "ADX", Role = FixSessionRole.Initiator, ResetOnLogon = true };
        var session = await FixInitiator.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), settings, new InMemoryFixSessionStore(),
            m => reports.Enqueue(Encoding.ASCII.GetString(m.Raw).Replace('\u0001', '|')), TimeProvider.System, NullLogger.Instance, CancellationToken.None);
        await session.LoggedOn.WaitAsync(TimeSpan.FromSeconds(20));
        var now = DateTime.UtcNow.ToString("yyyyMMdd-HH:mm:ss.fff", CultureInfo.InvariantCulture);
        await session.SendAsync("D"u8.ToArray(), Encoding.ASCII.GetBytes($"11=F1\u000155=FAB\u000154=1\u000160={now}\u000138=100\u000140=2\u000144=15.50\u0001"));
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (reports.IsEmpty)
        {
            Assert.True(DateTime.UtcNow < deadline, "no execution report from the in-process simulator");
            await Task.Delay(20);
        }

        Assert.True(reports.TryDequeue(out var report));
        Assert.Contains("|35=8|", report, StringComparison.Ordinal);
        Assert.Contains("|150=0|39=0|", report, StringComparison.Ordinal);
        Assert.Contains("|55=FAB|", report, StringComparison.Ordinal);
        await session.LogoutAsync();
        Assert.Equal(FixDisconnectReason.Logout, (await session.Completion.WaitAsync(TimeSpan.FromSeconds(20))).Reason);
    }
}
