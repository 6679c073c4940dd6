using System.Net;
using System.Net.Sockets;
using System.Text;
using TradSys.LoadTest.Fix;

namespace TradSys.LoadTest.Tests.Fix;

/// <summary>The <c>fix</c> command's wire format, options, and one session against a scripted acceptor on loopback.</summary>
public sealed class FixToolTests
{
    [Fact]
    public void A_message_carries_its_body_length_and_checksum_and_is_framed_whole_from_a_stream()
    {
        var message = FixWire.Message(["35=0", "34=2", "49=A", "56=B"]);
        var text = Encoding.ASCII.GetString(message);
        Assert.StartsWith("8=FIX.4.4\u00019=20\u000135=0\u0001", text, StringComparison.Ordinal);
        var beforeChecksum = text[..text.IndexOf("10=", StringComparison.Ordinal)];
        Assert.EndsWith($"10={Encoding.ASCII.GetBytes(beforeChecksum).Sum(b => b) % 256:000}\u0001", text, StringComparison.Ordinal);
        Assert.Equal(20, text.Length - text.IndexOf("35=", StringComparison.Ordinal) - "10=ccc\u0001".Length);

        byte[] two = [.. message, .. FixWire.Message(["35=8", "34=3", "11=X-1", "150=8", "58=too far"])];
        Assert.Equal(message.Length, FixWire.Frame(two));
        Assert.Equal(0, FixWire.Frame(two.AsSpan(0, message.Length - 1)));
        Assert.Equal(-1, FixWire.Frame("garbage that is long enough"u8));
        var second = two.AsSpan(message.Length);
        Assert.Equal(second.Length, FixWire.Frame(second));
        Assert.Equal(("8", "X-1", "too far", null), (FixWire.Get(second, 35), FixWire.Get(second, 11), FixWire.Get(second, 58), FixWire.Get(second, 44)));
    }

    [Fact]
    public void The_options_have_crossing_defaults_and_every_bad_value_is_named()
    {
        var o = FixLoadOptions.Parse(["fix", "--port", "9878"]);
        Assert.Equal((9878, "TRADSYS", 20_000, 32, "COMI.INT", 80.00m), (o.Port, o.TargetCompId, o.Orders, o.Window, o.Symbol, o.Price));
        Assert.Equal([new FixClient("BROKER1", 1001), new FixClient("BROKER2", 2001)], o.Clients);

        Assert.Equal("fix: --port is required (the platform's Fix:Acceptor:Port)", Assert.Throws<UsageException>(() => FixLoadOptions.Parse(["fix"])).Message);
        Assert.Contains("--clients: at least two sessions", Assert.Throws<UsageException>(() => FixLoadOptions.Parse(["fix", "--port", "1", "--clients", "A:1"])).Message, StringComparison.Ordinal);
        Assert.Contains("'A-1001' is not COMPID:ACCOUNT", Assert.Throws<UsageException>(() => FixLoadOptions.Parse(["fix", "--port", "1", "--clients", "A-1001,B:2"])).Message, StringComparison.Ordinal);
        Assert.Contains("a comp id is named twice", Assert.Throws<UsageException>(() => FixLoadOptions.Parse(["fix", "--port", "1", "--clients", "A:1,A:2"])).Message, StringComparison.Ordinal);
        Assert.Contains("--price: 'x' is not a positive decimal number", Assert.Throws<UsageException>(() => FixLoadOptions.Parse(["fix", "--port", "1", "--price", "x"])).Message, StringComparison.Ordinal);
        Assert.Contains("fix: unknown option '--rate'", Assert.Throws<UsageException>(() => FixLoadOptions.Parse(["fix", "--port", "1", "--rate", "5"])).Message, StringComparison.Ordinal);
        Assert.Equal([5, 5, 4], new[] { 0, 1, 2 }.Select(i => FixLoadCommand.Share(14, 3, i)));
    }

    [Fact]
    public async Task A_session_logs_on_keeps_its_window_answers_a_test_request_and_times_each_order_to_its_first_report()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var options = FixLoadOptions.Parse(["fix", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--window", "3"]);
        var maxUnanswered = 0;
        string? heartbeatId = null;
        var acceptor = Task.Run(async () =>
        {
            using var socket = await listener.AcceptSocketAsync();
            var received = new List<byte>();
            var chunk = new byte[4096];
            var unanswered = new Queue<string>();
            var seq = 0;
            var orders = 0;
            async Task Send(params string[] fields) => await socket.SendAsync(FixWire.Message([fields[0], $"34={++seq}", "49=TRADSYS", "56=BROKER1", .. fields[1..]]));
            while (orders < 10 || heartbeatId is null)
            {
                var n = await socket.ReceiveAsync(chunk);
                Assert.True(n > 0);
                received.AddRange(chunk.AsSpan(0, n).ToArray());
                int length;
                while ((length = FixWire.Frame(received.ToArray())) > 0)
                {
                    var message = received.GetRange(0, length).ToArray();
                    received.RemoveRange(0, length);
                    switch (FixWire.Get(message, 35))
                    {
                        case "A":
                            Assert.Equal("Y", FixWire.Get(message, 141));
                            await Send("35=A", "98=0", "108=30");
                            break;
                        case "D":
                            orders++;
                            Assert.Equal(("1001", "1", "COMI.INT", "80.00"), (FixWire.Get(message, 1), FixWire.Get(message, 54), FixWire.Get(message, 55), FixWire.Get(message, 44)));
                            unanswered.Enqueue(FixWire.Get(message, 11)!);
                            maxUnanswered = Math.Max(maxUnanswered, unanswered.Count);
                            if (unanswered.Count == 3 || orders == 10)
                            {
                                // Answer in a burst: the first as rejected, the rest as new (then a fill the tool must not count again).
                                while (unanswered.TryDequeue(out var id))
                                {
                                    await Send("35=8", $"11={id}", orders == 3 && unanswered.Count == 2 ? "150=8" : "150=0", "58=price too far");
                                    await Send("35=8", $"11={id}", "150=F");
                                }
                                if (orders == 10)
                                {
                                    await Send("35=1", "112=PING");
                                }
                            }
                            break;
                        case "0":
                            heartbeatId = FixWire.Get(message, 112);
                            break;
                    }
                }
            }
        });

        var session = new FixLoadSession(options.Clients[0], '1', options, "T");
        await using (session)
        {
            await session.LogOnAsync(port, CancellationToken.None);
            var latency = await session.SendOrdersAsync(10, CancellationToken.None);
            await acceptor.WaitAsync(TimeSpan.FromSeconds(20));

            Assert.Equal(10, latency.Count);
            Assert.Equal(3, maxUnanswered);
            Assert.Equal("PING", heartbeatId);
            Assert.Equal(new Dictionary<string, int> { ["price too far"] = 1 }, session.Rejections);
            Assert.Equal(20, session.Received["8"]);
        }
    }
}
