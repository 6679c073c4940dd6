using System.Net;
using System.Net.Sockets;
using System.Text;
using TradSys.Engine.Fix;
using TradSys.Web.Fix.Acceptance;
using TradSys.Web.Hosting;

namespace TradSys.Web.Tests.Fix;

/// <summary>
/// <c>fix-echo</c>, the acceptor QuickFIX's acceptance suite runs against, driven over loopback the way the suite's runner drives
/// it: raw messages in, whole messages compared out (the header in tag order, the body echoed in tag order).
/// </summary>
public sealed class FixEchoCommandTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_new_order_is_echoed_in_tag_order_a_poss_resend_seen_before_is_dropped_and_other_messages_get_a_business_reject()
    {
        using var stop = new CancellationTokenSource();
        var console = new CommandConsole(new StringReader(""), new StringWriter(), new StringWriter(), false, _ => null);
        var listening = new TaskCompletionSource<IPEndPoint>();
        var command = FixEchoCommand.RunAsync(["--port", "0"], console, stop.Token, listening.SetResult);
        var endPoint = await listening.Task.WaitAsync(Wait);
        Assert.Contains("as ISLD for TW, TW44", console.Out.ToString(), StringComparison.Ordinal);

        using (var peer = await Peer.ConnectAsync(endPoint))
        {
            await peer.SendAsync("35=A|34=1|49=TW44|52={now}|56=ISLD|98=0|108=30");
            Assert.Equal("35=A|34=1|49=ISLD|56=TW44|98=0|108=30", await peer.ReceiveAsync());

            // Body fields out of order come back in tag order; PossResend (a header field) comes back too.
            await peer.SendAsync("35=D|34=2|49=TW44|52={now}|56=ISLD|97=Y|11=id|60={now}|55=MSFT|54=1|40=1|21=3");
            Assert.Equal("35=D|34=2|49=ISLD|56=TW44|97=Y|11=id|21=3|40=1|54=1|55=MSFT|60={now}", await peer.ReceiveAsync());

            // The same ClOrdID again with PossResend=Y is dropped; a TestRequest after it shows nothing else was sent.
            await peer.SendAsync("35=D|34=3|49=TW44|52={now}|56=ISLD|97=Y|11=id|21=3|40=1|54=1|55=MSFT|60={now}");
            await peer.SendAsync("35=1|34=4|49=TW44|52={now}|56=ISLD|112=PING");
            Assert.Equal("35=0|34=3|49=ISLD|56=TW44|112=PING", await peer.ReceiveAsync());

            // An execution report is a valid FIX message the application does not take.
            await peer.SendAsync("35=8|34=5|49=TW44|52={now}|56=ISLD|37=O|17=E|150=0|39=0|55=X|54=1|151=1|14=0|6=0");
            Assert.Equal("35=j|34=4|49=ISLD|56=TW44|45=5|58=Unsupported Message Type|372=8|380=3", await peer.ReceiveAsync());

            await peer.SendAsync("35=5|34=6|49=TW44|52={now}|56=ISLD");
            Assert.Equal("35=5|34=5|49=ISLD|56=TW44", await peer.ReceiveAsync());
        }

        // A new connection starts at 1 again (reset at every Logon), and its ClOrdIDs afresh.
        using (var peer = await Peer.ConnectAsync(endPoint))
        {
            await peer.SendAsync("35=A|34=1|49=TW|52={now}|56=ISLD|98=0|108=30");
            Assert.Equal("35=A|34=1|49=ISLD|56=TW|98=0|108=30", await peer.ReceiveAsync());
        }

        using (var peer = await Peer.ConnectAsync(endPoint))
        {
            await peer.SendAsync("35=A|34=1|49=TW44|52={now}|56=ISLD|98=0|108=30");
            Assert.Equal("35=A|34=1|49=ISLD|56=TW44|98=0|108=30", await peer.ReceiveAsync());
            await peer.SendAsync("35=D|34=2|49=TW44|52={now}|56=ISLD|97=Y|11=id|21=3|40=1|54=1|55=MSFT|60={now}");
            Assert.Equal("35=D|34=2|49=ISLD|56=TW44|97=Y|11=id|21=3|40=1|54=1|55=MSFT|60={now}", await peer.ReceiveAsync());
        }

        await stop.CancelAsync();
        Assert.Equal(ExitCodes.Done, await command.WaitAsync(Wait));
    }

    [Fact]
    public async Task The_command_names_every_problem_of_its_command_line()
    {
        var error = new StringWriter();
        var console = new CommandConsole(new StringReader(""), new StringWriter(), error, false, _ => null);
        var code = await FixEchoCommand.RunAsync(["--port", "x", "--clients", "TW,TW"], console, CancellationToken.None);
        Assert.Equal(ExitCodes.Usage, code);
        var text = error.ToString();
        Assert.Contains("error: --port must be a whole number from 0 to 65535, not 'x'", text, StringComparison.Ordinal);
        Assert.Contains("error: --clients names a comp id twice", text, StringComparison.Ordinal);
    }

    /// <summary>A raw peer: messages written as text ('|' for SOH, {now} for the time), answers read back without the volatile fields.</summary>
    private sealed class Peer : IDisposable
    {
        private readonly Socket socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        private readonly List<byte> pending = [];
        private readonly string now = DateTime.UtcNow.ToString("yyyyMMdd-HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture);

        public static async Task<Peer> ConnectAsync(IPEndPoint endPoint)
        {
            var peer = new Peer();
            await peer.socket.ConnectAsync(endPoint);
            return peer;
        }

        public async Task SendAsync(string fields)
        {
            string body = fields.Replace("{now}", now, StringComparison.Ordinal).Replace('|', '\u0001') + "\u0001";
            string head = $"8=FIX.4.4\u00019={Encoding.ASCII.GetByteCount(body)}\u0001";
            int sum = Encoding.ASCII.GetBytes(head + body).Sum(b => b);
            await socket.SendAsync(Encoding.ASCII.GetBytes(head + body + $"10={sum % 256:000}\u0001"));
        }

        /// <summary>The next whole message, checked to frame, without 8, 9, 52 and 10; {now} for this peer's time.</summary>
        public async Task<string> ReceiveAsync()
        {
            var chunk = new byte[4096];
            while (true)
            {
                var buffered = pending.ToArray();
                if (FixFramer.TryFrame(buffered, out int length) == FixFrameStatus.Complete)
                {
                    pending.RemoveRange(0, length);
                    var fields = Encoding.ASCII.GetString(buffered, 0, length).Split('\u0001', StringSplitOptions.RemoveEmptyEntries)
                        .Where(f => !f.StartsWith("8=", StringComparison.Ordinal) && !f.StartsWith("9=", StringComparison.Ordinal)
                                    && !f.StartsWith("52=", StringComparison.Ordinal) && !f.StartsWith("10=", StringComparison.Ordinal));
                    return string.Join('|', fields).Replace(now, "{now}", StringComparison.Ordinal);
                }

                int n = await socket.ReceiveAsync(chunk, SocketFlags.None).WaitAsync(Wait);
                Assert.True(n > 0, "the acceptor closed the connection; pending: " + Encoding.ASCII.GetString(pending.ToArray()));
                pending.AddRange(chunk.AsSpan(0, n).ToArray());
            }
        }

        public void Dispose() => socket.Dispose();
    }
}
