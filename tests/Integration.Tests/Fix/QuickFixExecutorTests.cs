using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TradSys.Engine.Fix;
using TradSys.Web.Fix;
using TradSys.Web.Persistence;
using Xunit.Abstractions;

namespace TradSys.Integration.Tests.Fix;

/// <summary>
/// Our FIX initiator over TCP against an engine nobody on this team wrote: QuickFIX C++'s executor example, started on
/// 127.0.0.1 by tests/infra/quickfix-executor.sh (which installs and builds it the first time). It fills every limit order
/// at its limit price. The test logs on as BROKER1, sends a limit NewOrderSingle, checks the fill, and logs out.
/// </summary>
[Collection(ProductionCollection.Name)]
public sealed partial class QuickFixExecutorTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private sealed record Received(string MsgType, string ClOrdId, string OrderId, string ExecId, char ExecType, char OrdStatus, string Symbol, char Side,
        decimal OrderQty, decimal LastQty, decimal LastPx, decimal CumQty, decimal LeavesQty, decimal AvgPx);

    [Fact]
    public async Task A_limit_order_sent_to_QuickFIX_executor_is_filled_at_its_limit_price_and_the_session_logs_out_cleanly()
    {
        int port = FreeLoopbackPort();
        var (pid, executorLog) = await StartExecutor(port);
        try
        {
            var received = Channel.CreateUnbounded<Received>();
            using var logs = LoggerFactory.Create(b => b.AddProvider(new TestOutputLoggerProvider(output)).SetMinimumLevel(LogLevel.Debug));
            var settings = new FixSessionSettings
            {
                SenderCompId = "BROKER1", TargetCompId = "EXEC", Role = FixSessionRole.Initiator, HeartBtInt = 30, ResetOnLogon = true,
            };
            var session = await FixInitiator.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), settings, new InMemoryFixSessionStore(),
                message => received.Writer.TryWrite(Read(message)), TimeProvider.System, logs.CreateLogger("fix"), CancellationToken.None);

            await session.LoggedOn.WaitAsync(Wait);
            Assert.Equal(FixSessionState.Active, session.State);

            const string clOrdId = "CL-INTEROP-1";
            int seq = await session.SendAsync("D"u8.ToArray(), LimitBuy(clOrdId, 150m, 12.35m));
            Assert.Equal(2, seq); // the Logon was 1 (ResetSeqNumFlag=Y)

            var fill = await received.Reader.ReadAsync().AsTask().WaitAsync(Wait);
            Assert.Equal("8", fill.MsgType);
            Assert.Equal(clOrdId, fill.ClOrdId);
            Assert.Equal('F', fill.ExecType); // Trade
            Assert.Equal('2', fill.OrdStatus); // Filled
            Assert.Equal("COMI", fill.Symbol);
            Assert.Equal('1', fill.Side);
            Assert.Equal(150m, fill.OrderQty);
            Assert.Equal(150m, fill.LastQty);
            Assert.Equal(12.35m, fill.LastPx);
            Assert.Equal(150m, fill.CumQty);
            Assert.Equal(0m, fill.LeavesQty);
            Assert.Equal(12.35m, fill.AvgPx);
            Assert.NotEmpty(fill.OrderId);
            Assert.NotEmpty(fill.ExecId);

            await session.LogoutAsync();
            var end = await session.Completion.WaitAsync(Wait);
            Assert.Equal(FixDisconnectReason.Logout, end.Reason);
            Assert.Equal(FixSessionState.Disconnected, session.State);
            Assert.False(received.Reader.TryRead(out var extra), $"an unexpected application message: {extra}");

            // What the executor logged: it took every message we sent (no session Reject 3, no BusinessMessageReject j),
            // and it saw our Logon, order and Logout, and its own Logout answer.
            string messages = await File.ReadAllTextAsync(executorLog);
            output.WriteLine(messages.Replace('\u0001', '|'));
            Assert.DoesNotContain("\u000135=3\u0001", messages, StringComparison.Ordinal);
            Assert.DoesNotContain("\u000135=j\u0001", messages, StringComparison.Ordinal);
            Assert.Contains("\u000149=BROKER1\u0001", messages, StringComparison.Ordinal);
            Assert.Equal(2, Regex.Matches(messages, "\u000135=5\u0001").Count);
            Assert.Single(Regex.Matches(messages, "\u000135=D\u0001"));
            Assert.Single(Regex.Matches(messages, "\u000135=8\u0001"));
        }
        finally
        {
            using var executor = Process.GetProcessById(pid);
            executor.Kill();
            await executor.WaitForExitAsync().WaitAsync(Wait);
        }
    }

    /// <summary>
    /// The session's numbers kept in PostgreSQL (<see cref="DatabaseFixSessionStore"/>): after a first session that logs on with a
    /// reset, trades and logs out, a new connection with the store opened again (as after a restart of the platform) logs on
    /// without a reset and continues the numbers where they were; QuickFIX, which keeps its own numbers on file, accepts that
    /// Logon and the next order without a resend or a reject.
    /// </summary>
    [Fact]
    public async Task Sequence_numbers_kept_in_PostgreSQL_continue_the_session_with_QuickFIX_after_a_restart()
    {
        int port = FreeLoopbackPort();
        var (pid, executorLog) = await StartExecutor(port);
        await using var platform = new ProductionPlatformFactory();
        var database = platform.Services.GetRequiredService<DatabaseSettings>();
        try
        {
            using var logs = LoggerFactory.Create(b => b.AddProvider(new TestOutputLoggerProvider(output)).SetMinimumLevel(LogLevel.Debug));
            var first = new FixSessionSettings { SenderCompId = "BROKER1", TargetCompId = "EXEC", Role = FixSessionRole.Initiator, HeartBtInt = 30, ResetOnLogon = true };
            var id = DatabaseFixSessionStore.IdOf(first);
            using (var store = DatabaseFixSessionStore.Open(database, id, TimeProvider.System))
            {
                var fill = await TradeOnceAsync(port, first, store, "CL-RESTART-1", logs.CreateLogger("fix"), expectedSeq: 2);
                Assert.Equal('2', fill.OrdStatus);
                // Logon, order, logout each way.
                Assert.Equal(4, store.NextSenderMsgSeqNum);
                Assert.Equal(4, store.NextTargetMsgSeqNum);
            }

            // "Restart": a new store on the same rows, a Logon without ResetSeqNumFlag carrying the next number.
            var again = first with { ResetOnLogon = false };
            using (var reopened = DatabaseFixSessionStore.Open(database, id, TimeProvider.System))
            {
                Assert.Equal(4, reopened.NextSenderMsgSeqNum);
                Assert.Equal(4, reopened.NextTargetMsgSeqNum);
                Assert.True(reopened.TryGet(2, out var sentOrder), "the first session's order is kept for resend requests");
                Assert.Contains("11=CL-RESTART-1\u0001", Encoding.ASCII.GetString(sentOrder.Span), StringComparison.Ordinal);
                var fill = await TradeOnceAsync(port, again, reopened, "CL-RESTART-2", logs.CreateLogger("fix"), expectedSeq: 5);
                Assert.Equal('2', fill.OrdStatus);
                Assert.Equal(7, reopened.NextSenderMsgSeqNum);
            }

            string messages = await File.ReadAllTextAsync(executorLog);
            output.WriteLine(messages.Replace('\u0001', '|'));
            Assert.DoesNotContain("\u000135=3\u0001", messages, StringComparison.Ordinal); // no session-level reject
            Assert.DoesNotContain("\u000135=2\u0001", messages, StringComparison.Ordinal); // no resend request either way
            // Our second Logon carried 34=4 and no ResetSeqNumFlag; only the first asked for a reset.
            Assert.Single(Regex.Matches(messages, "^(?=.*\u000135=A\u0001)(?=.*\u000149=BROKER1\u0001)(?=.*\u000134=4\u0001).*$", RegexOptions.Multiline));
            Assert.Single(Regex.Matches(messages, "^(?=.*\u000135=A\u0001)(?=.*\u000149=BROKER1\u0001)(?=.*\u0001141=Y\u0001).*$", RegexOptions.Multiline));
            Assert.Equal(2, Regex.Matches(messages, "\u000135=D\u0001").Count);
            Assert.Equal(2, Regex.Matches(messages, "\u000135=8\u0001").Count);
        }
        finally
        {
            using var executor = Process.GetProcessById(pid);
            executor.Kill();
            await executor.WaitForExitAsync().WaitAsync(Wait);
        }
    }

    /// <summary>
    /// A session configured in the platform (<c>Fix:Sessions</c>) logs on to QuickFIX at start, is reported in the admin health
    /// report with its numbers, goes Disconnected (health degraded, saying it reconnects) when the executor dies, and logs on again
    /// by itself once the executor is back.
    /// </summary>
    [Fact]
    public async Task A_configured_session_logs_on_at_start_and_reconnects_after_the_venue_comes_back()
    {
        int port = FreeLoopbackPort();
        var (pid, _) = await StartExecutor(port);
        await using var platform = new ProductionPlatformFactory
        {
            Settings = new()
            {
                ["Fix:Sessions:0:Name"] = "exec", ["Fix:Sessions:0:Host"] = "127.0.0.1",
                ["Fix:Sessions:0:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Fix:Sessions:0:SenderCompId"] = "BROKER1", ["Fix:Sessions:0:TargetCompId"] = "EXEC", ["Fix:Sessions:0:ResetOnLogon"] = "true",
                ["Fix:Sessions:0:ReconnectSeconds"] = "1", ["Fix:Sessions:0:MaxReconnectSeconds"] = "2",
            },
        };
        var sessions = platform.Services.GetRequiredService<FixSessions>();
        try
        {
            var active = await UntilAsync(sessions, s => s.State == FixSessionState.Active);
            Assert.Equal(1, active.Connects);
            Assert.Equal("FIX.4.4:BROKER1->EXEC", active.SessionId);
            Assert.Equal(2, active.NextSenderMsgSeqNum); // the Logon was 1
            var admin = await platform.ClientForAsync("admin");
            var health = (await admin.GetAsync("/api/v1/admin/health")).Expect(HttpStatusCode.OK).Json;
            var check = health["checks"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == "fix-sessions")!;
            Assert.Equal("Healthy", check["status"]!.GetValue<string>());
            Assert.Contains("Active", check["data"]!["exec"]!.GetValue<string>(), StringComparison.Ordinal);

            KillExecutor(pid);
            var down = await UntilAsync(sessions, s => s.State == FixSessionState.Disconnected);
            Assert.Contains("reconnecting", down.LastProblem, StringComparison.Ordinal);
            health = (await admin.GetAsync("/api/v1/admin/health")).Expect(HttpStatusCode.OK).Json;
            check = health["checks"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == "fix-sessions")!;
            Assert.Equal("Degraded", check["status"]!.GetValue<string>());

            (pid, _) = await StartExecutor(port);
            var back = await UntilAsync(sessions, s => s.State == FixSessionState.Active && s.Connects >= 2);
            Assert.NotNull(back.LoggedOnAt);
        }
        finally
        {
            KillExecutor(pid);
        }
    }

    private static async Task<FixSessionStatus> UntilAsync(FixSessions sessions, Func<FixSessionStatus, bool> done)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var status = Assert.Single(sessions.Statuses);
            if (done(status))
            {
                return status;
            }
            Assert.True(waited.Elapsed < Wait, $"the session did not get there in {Wait.TotalSeconds} s: {status}");
            await Task.Delay(50);
        }
    }

    private static void KillExecutor(int pid)
    {
        try
        {
            using var executor = Process.GetProcessById(pid);
            executor.Kill();
            executor.WaitForExit(Wait);
        }
        catch (ArgumentException)
        {
            // Already gone.
        }
    }

    /// <summary>Logs on, sends one limit buy, waits for its fill, logs out; returns the fill.</summary>
    private static async Task<Received> TradeOnceAsync(int port, FixSessionSettings settings, IFixSessionStore store, string clOrdId, ILogger log,
        int expectedSeq)
    {
        var received = Channel.CreateUnbounded<Received>();
        var session = await FixInitiator.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), settings, store,
            message => received.Writer.TryWrite(Read(message)), TimeProvider.System, log, CancellationToken.None);
        await session.LoggedOn.WaitAsync(Wait);
        Assert.Equal(expectedSeq, await session.SendAsync("D"u8.ToArray(), LimitBuy(clOrdId, 100m, 12.40m)));
        var fill = await received.Reader.ReadAsync().AsTask().WaitAsync(Wait);
        Assert.Equal(clOrdId, fill.ClOrdId);
        await session.LogoutAsync();
        Assert.Equal(FixDisconnectReason.Logout, (await session.Completion.WaitAsync(Wait)).Reason);
        return fill;
    }

    /// <summary>The body of a limit buy NewOrderSingle of COMI (the executor fills it at its price).</summary>
    private static ReadOnlyMemory<byte> LimitBuy(string clOrdId, decimal quantity, decimal price)
    {
        var body = new byte[512];
        var w = FixWriter.ForFields(body);
        w.Add(FixTag.ClOrdId, clOrdId);
        w.Add(FixTag.HandlInst, '1');
        w.Add(FixTag.Symbol, "COMI");
        w.Add(FixTag.Side, '1');
        w.AddUtcTimestamp(FixTag.TransactTime, DateTime.UtcNow);
        w.Add(FixTag.OrderQty, quantity);
        w.Add(FixTag.OrdType, '2');
        w.Add(FixTag.Price, price);
        return body.AsMemory(0, w.Length);
    }

    private static Received Read(FixMessage m)
    {
        string Text(int tag) => m.TryGetSpan(tag, out var v) ? Encoding.ASCII.GetString(v) : "";
        char Char(int tag) => m.TryGetChar(tag, out char c) ? c : '\0';
        decimal Number(int tag) => m.TryGetDecimal(tag, out decimal d) ? d : -1m;
        return new Received(Encoding.ASCII.GetString(m.MsgType), Text(FixTag.ClOrdId), Text(FixTag.OrderId), Text(FixTag.ExecId), Char(FixTag.ExecType),
            Char(FixTag.OrdStatus), Text(FixTag.Symbol), Char(FixTag.Side), Number(FixTag.OrderQty), Number(FixTag.LastQty), Number(FixTag.LastPx),
            Number(FixTag.CumQty), Number(FixTag.LeavesQty), Number(FixTag.AvgPx));
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Runs tests/infra/quickfix-executor.sh: the executor's pid is its last line, its log file in its own log.</summary>
    private async Task<(int Pid, string Log)> StartExecutor(int port)
    {
        var start = new ProcessStartInfo("bash") { WorkingDirectory = RepositoryRoot(), RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("tests/infra/quickfix-executor.sh");
        start.ArgumentList.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
        string said = await stdout, log = await stderr;
        output.WriteLine(log);
        Assert.True(process.ExitCode == 0, $"tests/infra/quickfix-executor.sh {port} exited {process.ExitCode}:\n{said}\n{log}");
        int pid = int.Parse(said.Trim().Split('\n')[^1], System.Globalization.CultureInfo.InvariantCulture);
        var logFile = LogFileLine().Match(log);
        Assert.True(logFile.Success, "the script did not say where the executor logs");
        return (pid, logFile.Groups[1].Value.Trim());
    }

    [GeneratedRegex("its log \\(every message in and out\\) is (.+)$", RegexOptions.Multiline)]
    private static partial Regex LogFileLine();

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TradSys.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no TradSys.sln above {AppContext.BaseDirectory}");
    }

    /// <summary>Writes the session's log lines into the test's output.</summary>
    private sealed class TestOutputLoggerProvider(ITestOutputHelper output) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(output, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(ITestOutputHelper output, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                output.WriteLine($"{logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : "\n" + exception)}");
        }
    }
}
