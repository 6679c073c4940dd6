using TradSys.Engine.Fix;
using static TradSys.Engine.Tests.Fix.FixText;

namespace TradSys.Engine.Tests.Fix;

/// <summary>Our initiator and our acceptor talking to each other through an in-memory wire that can lose messages.</summary>
public class FixSessionPairTests
{
    private sealed class Wire : IFixSessionOutput
    {
        public Queue<byte[]> InFlight { get; } = new();

        public List<string> Delivered { get; } = [];

        public List<FixDisconnectReason> Disconnects { get; } = [];

        public bool DropNext { get; set; }

        public void Send(ReadOnlySpan<byte> message)
        {
            if (DropNext)
            {
                DropNext = false;
                return;
            }

            InFlight.Enqueue(message.ToArray());
        }

        public void Deliver(FixMessage message) => Delivered.Add(Text(message.Raw));

        public void Disconnect(FixDisconnectReason reason, string text) => Disconnects.Add(reason);
    }

    private static void Pump(FixSession a, Wire aOut, FixSession b, Wire bOut, DateTime now)
    {
        while (aOut.InFlight.Count > 0 || bOut.InFlight.Count > 0)
        {
            if (aOut.InFlight.TryDequeue(out byte[]? toB))
            {
                b.OnReceived(toB, now);
            }

            if (bOut.InFlight.TryDequeue(out byte[]? toA))
            {
                a.OnReceived(toA, now);
            }
        }
    }

    [Fact]
    public void A_lost_execution_report_is_recovered_by_resend_and_delivered_in_order()
    {
        var now = T0;
        var venueWire = new Wire();
        var brokerWire = new Wire();
        var venue = new FixSession(new FixSessionSettings { SenderCompId = "EGX", TargetCompId = "BRK1", Role = FixSessionRole.Acceptor },
            new InMemoryFixSessionStore(), venueWire);
        var broker = new FixSession(new FixSessionSettings { SenderCompId = "BRK1", TargetCompId = "EGX", Role = FixSessionRole.Initiator, HeartBtInt = 30 },
            new InMemoryFixSessionStore(), brokerWire);
        venue.OnConnected(now);
        broker.OnConnected(now);
        Pump(broker, brokerWire, venue, venueWire, now);
        Assert.Equal(FixSessionState.Active, broker.State);
        Assert.Equal(FixSessionState.Active, venue.State);

        var body = new byte[256];
        foreach (string orderId in new[] { "O-1", "O-2", "O-3" })
        {
            var w = FixWriter.ForFields(body);
            w.Add(FixTag.OrderId, orderId);
            w.Add(FixTag.ExecId, "E-" + orderId);
            w.Add(FixTag.ExecType, '0');
            w.Add(FixTag.OrdStatus, '0');
            w.Add(FixTag.Symbol, "COMI");
            w.Add(FixTag.Side, '1');
            w.Add(FixTag.LeavesQty, 100m);
            w.Add(FixTag.CumQty, 0m);
            w.Add(FixTag.AvgPx, 0m);
            venueWire.DropNext = orderId == "O-2";
            Assert.NotEqual(0, venue.Send("8"u8, body.AsSpan(0, w.Length), now));
            Pump(broker, brokerWire, venue, venueWire, now);
        }

        // O-3 arrived after the gap and waited for it; O-2 came back as a resend (PossDupFlag=Y); O-3's own resend was a duplicate.
        Assert.Equal(["O-1", "O-2", "O-3"], brokerWire.Delivered.Select(m => Get(m, 37)!));
        Assert.Equal([null, "Y", null], brokerWire.Delivered.Select(m => Get(m, 43)));
        Assert.Equal(5, broker.NextTargetMsgSeqNum);
        Assert.Empty(brokerWire.Disconnects);
        Assert.Empty(venueWire.Disconnects);

        broker.Logout(now);
        Pump(broker, brokerWire, venue, venueWire, now);
        Assert.Equal([FixDisconnectReason.Logout], brokerWire.Disconnects);
        Assert.Equal([FixDisconnectReason.Logout], venueWire.Disconnects);
    }
}
