using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using TradSys.Engine.Fix;
using TradSys.Web.Fix;

namespace TradSys.Web.Tests.Fix;

/// <summary>The FIX initiator over a real loopback socket whose peer is this test: what it writes, and a peer that hangs up.</summary>
public class FixInitiatorTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task It_sends_its_logon_and_when_the_peer_hangs_up_the_connection_ends_without_a_session_reason()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var venue = (IPEndPoint)listener.LocalEndpoint;
        var accepted = listener.AcceptSocketAsync();
        var settings = new FixSessionSettings { SenderCompId = "BROKER1", TargetCompId = "EXEC", Role = FixSessionRole.Initiator, ResetOnLogon = true };
        var delivered = new List<string>();

        var session = await FixInitiator.ConnectAsync(venue, settings, new InMemoryFixSessionStore(), m => delivered.Add(Encoding.ASCII.GetString(m.Raw)),
            TimeProvider.System, NullLogger.Instance, CancellationToken.None);
        using var peer = await accepted.WaitAsync(Wait);

        // The peer reads our Logon: one whole, valid message with our CompIDs and the reset flag.
        var received = new List<byte>();
        var chunk = new byte[1024];
        while (FixFramer.TryFrame(received.ToArray(), out _) == FixFrameStatus.Incomplete)
        {
            int n = await peer.ReceiveAsync(chunk, SocketFlags.None).WaitAsync(Wait);
            Assert.True(n > 0, "the initiator closed before sending a whole Logon");
            received.AddRange(chunk.AsSpan(0, n));
        }

        Assert.Equal(FixFrameStatus.Complete, FixFramer.TryFrame(received.ToArray(), out int length));
        Assert.Equal(received.Count, length);
        var logon = new FixMessage();
        Assert.True(logon.Parse(received.ToArray()));
        Assert.Equal("A", Encoding.ASCII.GetString(logon.MsgType));
        Assert.True(logon.TryGetSpan(FixTag.SenderCompId, out var sender) && sender.SequenceEqual("BROKER1"u8));
        Assert.True(logon.TryGetSpan(FixTag.TargetCompId, out var target) && target.SequenceEqual("EXEC"u8));
        Assert.True(logon.IsYes(FixTag.ResetSeqNumFlag));
        Assert.True(logon.TryGetInt(FixTag.MsgSeqNum, out int seq) && seq == 1);
        Assert.Equal(FixSessionState.LogonSent, session.State);

        // Garbage, then the peer hangs up without answering.
        await peer.SendAsync("garbage that is not FIX"u8.ToArray());
        peer.Shutdown(SocketShutdown.Both);
        peer.Close();

        var end = await session.Completion.WaitAsync(Wait);
        Assert.Null(end.Reason);
        Assert.Equal("the peer closed the connection", end.Text);
        Assert.Equal(FixSessionState.Disconnected, session.State);
        Assert.False(session.LoggedOn.IsCompleted);
        Assert.Empty(delivered);
        Assert.Equal(0, await session.SendAsync("D"u8.ToArray(), "11=X\u0001"u8.ToArray()));
    }
}
