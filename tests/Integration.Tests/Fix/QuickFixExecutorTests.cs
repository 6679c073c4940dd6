using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using TradSys.Engine.Fix;
using TradSys.Web.Fix;
using Xunit.Abstractions;

namespace TradSys.Integration.Tests.Fix;

/// <summary>
/// Our FIX initiator over TCP against an engine nobody on this team wrote: QuickFIX C++'s executor example, started on
/// 127.0.0.1 by tests/infra/quickfix-executor.sh (which installs and builds it the first time). It fills every limit order
/// at its limit price. The test logs on as BROKER1, sends a limit NewOrderSingle, checks the fill, and logs out.
/// </summary>
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
            var body = new byte[512];
            var w = FixWriter.ForFields(body);
            w.Add(FixTag.ClOrdId, clOrdId);
            w.Add(FixTag.HandlInst, '1');
            w.Add(FixTag.Symbol, "COMI");
            w.Add(FixTag.Side, '1');
            w.AddUtcTimestamp(FixTag.TransactTime, DateTime.UtcNow);
            w.Add(FixTag.OrderQty, 150m);
            w.Add(FixTag.OrdType, '2');
            w.Add(FixTag.Price, 12.35m);
            int seq = await session.SendAsync("D"u8.ToArray(), body.AsMemory(0, w.Length));
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
