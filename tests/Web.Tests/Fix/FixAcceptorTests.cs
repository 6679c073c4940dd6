using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using TradSys.Engine.Fix;
using TradSys.Web.Fix;
using TradSys.Web.Persistence;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Fix;

/// <summary>
/// The FIX acceptor over loopback with our own initiator as the peer, sequence numbers in the platform's database (the embedded
/// SQLite): logon, heartbeats, logout, a reconnect that continues the numbers; and connections it refuses.
/// </summary>
public sealed class FixAcceptorTests : IAsyncDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private readonly PlatformFactory _platform = new();

    public ValueTask DisposeAsync() => _platform.DisposeAsync();

    private DatabaseFixSessionStore Open(FixSessionSettings settings) =>
        DatabaseFixSessionStore.Open(_platform.Services.GetRequiredService<DatabaseSettings>(), DatabaseFixSessionStore.IdOf(settings), TimeProvider.System);

    private static readonly FixSessionSettings Ours = new() { SenderCompId = "TRADSYS", TargetCompId = "BROKER1", Role = FixSessionRole.Acceptor };

    private static readonly FixSessionSettings Theirs = new() { SenderCompId = "BROKER1", TargetCompId = "TRADSYS", Role = FixSessionRole.Initiator, HeartBtInt = 1 };

    private FixAcceptor Acceptor(List<string> received) =>
        new([Ours], s => Open(s), (_, _, m) => received.Add(Encoding.ASCII.GetString(m.MsgType)), TimeProvider.System, NullLogger.Instance);

    private static async Task Until(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting until " + what);
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task Our_initiator_logs_on_heartbeats_and_logs_out_and_a_second_logon_continues_the_numbers_from_the_database()
    {
        var received = new List<string>();
        (int Sender, int Target) afterFirst;
        await using (var acceptor = Acceptor(received))
        {
            var endPoint = acceptor.Start(0);
            Assert.Equal(IPAddress.Loopback, endPoint.Address);
            using var store = Open(Theirs);
            var initiator = await FixInitiator.ConnectAsync(endPoint, Theirs, store, _ => { }, TimeProvider.System, NullLogger.Instance, CancellationToken.None);
            await initiator.LoggedOn.WaitAsync(Wait);
            var ours = acceptor.Live("BROKER1");
            Assert.NotNull(ours);
            Assert.Equal(FixSessionState.Active, ours.State);

            // HeartBtInt 1 (the initiator's, which the acceptor adopts): both sides heartbeat while silent.
            await Until(() => initiator.SequenceNumbers.NextTarget >= 4 && ours.SequenceNumbers.NextTarget >= 4, "two heartbeats each way");

            // An application message reaches the acceptor's application in sequence.
            Assert.True(await initiator.SendAsync("D"u8.ToArray(), ExchangeSimulatorTests.Order("B1", '1', "10", "80.00").SelectMany(Field).ToArray()) > 0);
            await Until(() => received.Count == 1, "the order is delivered");
            Assert.Equal("D", received[0]);

            await initiator.LogoutAsync("done for today");
            var end = await initiator.Completion.WaitAsync(Wait);
            Assert.Equal(FixDisconnectReason.Logout, end.Reason);
            await Until(() => acceptor.Live("BROKER1") is null, "the acceptor frees the session");
            afterFirst = (store.NextSenderMsgSeqNum, store.NextTargetMsgSeqNum);
            Assert.True(afterFirst.Sender > 4 && afterFirst.Target > 4, $"numbers after the first session: {afterFirst}");
        }

        // A new acceptor (a restart): its numbers come from the database, and the initiator logs on again without a reset.
        await using (var restarted = Acceptor(received))
        {
            var endPoint = restarted.Start(0);
            using var store = Open(Theirs);
            Assert.Equal(afterFirst, (store.NextSenderMsgSeqNum, store.NextTargetMsgSeqNum));
            var initiator = await FixInitiator.ConnectAsync(endPoint, Theirs, store, _ => { }, TimeProvider.System, NullLogger.Instance, CancellationToken.None);
            await initiator.LoggedOn.WaitAsync(Wait);
            Assert.Equal(afterFirst.Target + 1, store.NextTargetMsgSeqNum);
            Assert.Equal(afterFirst.Sender + 1, store.NextSenderMsgSeqNum);
            await initiator.LogoutAsync();
            Assert.Equal(FixDisconnectReason.Logout, (await initiator.Completion.WaitAsync(Wait)).Reason);
        }

        using var acceptorStore = Open(Ours);
        Assert.Equal((afterFirst.Target + 2, afterFirst.Sender + 2), (acceptorStore.NextSenderMsgSeqNum, acceptorStore.NextTargetMsgSeqNum));
    }

    private static byte[] Field((int Tag, string Value) f) => Encoding.ASCII.GetBytes($"{f.Tag}={f.Value}\u0001");

    private static byte[] Logon(string sender, string target, string msgType = "A")
    {
        var buffer = new byte[512];
        var w = new FixWriter(buffer, "FIX.4.4"u8, Encoding.ASCII.GetBytes(msgType));
        w.Add(FixTag.SenderCompId, sender);
        w.Add(FixTag.TargetCompId, target);
        w.Add(FixTag.MsgSeqNum, 1);
        w.AddUtcTimestamp(FixTag.SendingTime, DateTime.UtcNow);
        if (msgType == "A")
        {
            w.Add(FixTag.EncryptMethod, 0);
            w.Add(FixTag.HeartBtInt, 30);
        }

        return buffer.AsSpan(0, w.Finish()).ToArray();
    }

    /// <summary>Sends the bytes on a new connection and reads until the acceptor closes it: what it answered (nothing, when refused).</summary>
    private static async Task<int> AnsweredBytes(IPEndPoint endPoint, byte[] first)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(endPoint);
        await socket.SendAsync(first);
        var total = 0;
        var chunk = new byte[1024];
        int n;
        while ((n = await socket.ReceiveAsync(chunk, SocketFlags.None).WaitAsync(Wait)) > 0)
        {
            total += n;
        }

        return total;
    }

    [Fact]
    public async Task A_logon_with_unknown_comp_ids_a_garbled_logon_and_a_first_message_that_is_not_a_logon_are_refused_without_an_answer()
    {
        // A logon timeout far beyond this test's read wait: every refusal below has to be at once, or the read times out.
        await using var acceptor = new FixAcceptor([Ours with { LogonTimeout = TimeSpan.FromMinutes(5) }], s => Open(s), (_, _, _) => { },
            TimeProvider.System, NullLogger.Instance);
        var endPoint = acceptor.Start(0);

        Assert.Equal(0, await AnsweredBytes(endPoint, Logon("INTRUDER", "TRADSYS")));
        Assert.Equal(0, await AnsweredBytes(endPoint, Logon("BROKER1", "SOMEONE")));
        Assert.Equal(0, await AnsweredBytes(endPoint, Logon("BROKER1", "TRADSYS", msgType: "0")));

        // A Logon whose BodyLength is wrong (QuickFIX's 1d) is garbled: the connection is closed at once, not after the logon timeout.
        var garbled = Encoding.ASCII.GetString(Logon("BROKER1", "TRADSYS"));
        var wrongLength = System.Text.RegularExpressions.Regex.Replace(garbled, "\u00019=\\d+\u0001", "\u00019=40\u0001");
        Assert.Equal(0, await AnsweredBytes(endPoint, Encoding.ASCII.GetBytes(wrongLength)));
        Assert.Equal(4, acceptor.Refused);
        Assert.Null(acceptor.Live("BROKER1"));

        // The session itself is still free: the right comp ids log on.
        using var store = Open(Theirs);
        var initiator = await FixInitiator.ConnectAsync(endPoint, Theirs with { ResetOnLogon = true }, store, _ => { }, TimeProvider.System,
            NullLogger.Instance, CancellationToken.None);
        await initiator.LoggedOn.WaitAsync(Wait);

        // A second connection for the same session while it is logged on is refused too.
        Assert.Equal(0, await AnsweredBytes(endPoint, Logon("BROKER1", "TRADSYS")));
        Assert.Equal(5, acceptor.Refused);
        Assert.Equal(FixSessionState.Active, initiator.State);
        await initiator.LogoutAsync();
        await initiator.Completion.WaitAsync(Wait);
    }

    [Fact]
    public async Task A_port_already_in_use_is_refused_with_a_message_naming_the_port_and_its_keys()
    {
        await using var first = Acceptor([]);
        var taken = first.Start(0);
        await using var second = Acceptor([]);
        var refused = Assert.Throws<InvalidOperationException>(() => second.Start(taken.Port));
        Assert.Contains($"127.0.0.1:{taken.Port}", refused.Message, StringComparison.Ordinal);
        Assert.Contains("already uses the port", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Fix:EmbeddedVenues:EgxPort", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_configuration_names_every_problem_by_its_key()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Fix:Acceptor:Port"] = "99999",
            ["Fix:Simulators:0:Venue"] = "EGX",
            ["Fix:Simulators:0:Port"] = "9881",
            ["Fix:Simulators:0:TargetCompIds:0"] = "BROKER1",
            ["Fix:Simulators:1:Port"] = "9881",
            ["Fix:Simulators:1:TargetCompIds:0"] = "BROKER1",
            ["Fix:Simulators:1:TargetCompIds:1"] = "BROKER1",
        }).Build();
        FixAcceptors.Read(configuration, out var problems);
        Assert.Equal(
        [
            "Fix:Acceptor:Port must be a whole number from 1 to 65535, not '99999'",
            "Fix:Acceptor:SenderCompId is required",
            "Fix:Acceptor:TargetCompIds needs at least one peer comp id (e.g. Fix:Acceptor:TargetCompIds:0 = BROKER1)",
            "Fix:Simulators:1:Venue is required (e.g. EGX or ADX)",
            "Fix:Simulators:1:SenderCompId is required",
            "Fix:Simulators:1:TargetCompIds:1: 'BROKER1' is listed twice",
            "Fix:Simulators:0:Port and Fix:Simulators:1:Port are the same port 9881",
        ], problems);
    }
}
