using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using TradSys.Engine.Fix;
using TradSys.Web.Fix;
using TradSys.Web.Persistence;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Fix;

/// <summary>
/// The session store's grouped commits (<see cref="IFixSessionStore.Commit"/>): the messages of a group are stored together
/// and before any of them is on the wire, and a crash on either side of the commit is recovered the way FIX recovers: the
/// store's numbers continue and what was stored but never sent is resent on the peer's ResendRequest.
/// </summary>
public sealed class FixStoreGroupingTests : IAsyncDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private static readonly DateTime T0 = new(2026, 12, 7, 9, 0, 0, DateTimeKind.Utc);
    private readonly PlatformFactory _platform = new();

    private static readonly FixSessionSettings Ours = new() { SenderCompId = "TRADSYS", TargetCompId = "BROKER1", Role = FixSessionRole.Acceptor };

    private static readonly FixSessionSettings Theirs = new() { SenderCompId = "BROKER1", TargetCompId = "TRADSYS", Role = FixSessionRole.Initiator, HeartBtInt = 30 };

    public ValueTask DisposeAsync() => _platform.DisposeAsync();

    private DatabaseFixSessionStore Open(FixSessionSettings settings) =>
        DatabaseFixSessionStore.Open(_platform.Services.GetRequiredService<DatabaseSettings>(), DatabaseFixSessionStore.IdOf(settings), TimeProvider.System);

    [Fact]
    public void Held_changes_are_written_together_at_commit_and_not_before()
    {
        using (var store = Open(Ours))
        {
            store.Save(1, "one"u8);
            store.Save(2, "two"u8);
            store.NextTargetMsgSeqNum = 4;
            // The store itself sees its held changes at once (a resend within the same group finds them).
            Assert.Equal(3, store.NextSenderMsgSeqNum);
            Assert.True(store.TryGet(2, out var held));
            Assert.Equal("two", Encoding.ASCII.GetString(held.Span));
            Assert.Equal(2, store.Held);

            using (var other = Open(Ours))
            {
                Assert.Equal((1, 1), (other.NextSenderMsgSeqNum, other.NextTargetMsgSeqNum));
                Assert.False(other.TryGet(1, out _));
            }

            store.Commit();
            Assert.Equal(0, store.Held);
            store.Save(3, "three"u8);
            // Disposed with message 3 held: as a crash before its commit, it is lost (it never reached the wire).
        }

        using var reopened = Open(Ours);
        Assert.Equal((3, 4), (reopened.NextSenderMsgSeqNum, reopened.NextTargetMsgSeqNum));
        Assert.True(reopened.TryGet(1, out var one));
        Assert.Equal("one", Encoding.ASCII.GetString(one.Span));
        Assert.True(reopened.TryGet(2, out _));
        Assert.False(reopened.TryGet(3, out _));
    }

    /// <summary>Counts commits and remembers the highest MsgSeqNum committed, over the in-memory store.</summary>
    private sealed class CommitRecordingStore : IFixSessionStore
    {
        private readonly InMemoryFixSessionStore _inner = new();
        private int _savedThrough;
        private int _committedThrough;
        private int _commits;

        public int CommittedThrough => Volatile.Read(ref _committedThrough);

        public int Commits => Volatile.Read(ref _commits);

        public int NextSenderMsgSeqNum { get => _inner.NextSenderMsgSeqNum; set => _inner.NextSenderMsgSeqNum = value; }

        public int NextTargetMsgSeqNum { get => _inner.NextTargetMsgSeqNum; set => _inner.NextTargetMsgSeqNum = value; }

        public DateTime? SessionStartUtc => _inner.SessionStartUtc;

        public void Save(int msgSeqNum, ReadOnlySpan<byte> message)
        {
            _inner.Save(msgSeqNum, message);
            _savedThrough = Math.Max(_savedThrough, msgSeqNum);
        }

        public bool TryGet(int msgSeqNum, out ReadOnlyMemory<byte> message) => _inner.TryGet(msgSeqNum, out message);

        public void Reset(DateTime? sessionStartUtc)
        {
            _inner.Reset(sessionStartUtc);
            (_savedThrough, _committedThrough) = (0, 0);
        }

        public void Commit()
        {
            if (_savedThrough > _committedThrough)
            {
                Interlocked.Increment(ref _commits);
                Volatile.Write(ref _committedThrough, _savedThrough);
            }
        }
    }

    private static byte[] Message(string msgType, int seq, params (int Tag, string Value)[] body)
    {
        var buffer = new byte[1024];
        var w = new FixWriter(buffer, "FIX.4.4"u8, Encoding.ASCII.GetBytes(msgType));
        w.Add(FixTag.MsgSeqNum, seq);
        w.Add(FixTag.SenderCompId, "BROKER1");
        w.AddUtcTimestamp(FixTag.SendingTime, DateTime.UtcNow);
        w.Add(FixTag.TargetCompId, "TRADSYS");
        foreach (var (tag, value) in body)
        {
            w.Add(tag, value);
        }

        return buffer.AsSpan(0, w.Finish()).ToArray();
    }

    /// <summary>The whole messages at the start of <paramref name="text"/> (SOH-separated), removed from it.</summary>
    private static List<string> CutMessages(StringBuilder text)
    {
        var messages = new List<string>();
        while (true)
        {
            var all = text.ToString();
            var trailer = all.IndexOf("\u000110=", StringComparison.Ordinal);
            var end = trailer < 0 ? -1 : all.IndexOf('\u0001', trailer + 4);
            if (end < 0)
            {
                return messages;
            }

            messages.Add(all[..(end + 1)]);
            text.Remove(0, end + 1);
        }
    }

    private static string? Get(string message, int tag)
    {
        var prefix = "\u0001" + tag.ToString(CultureInfo.InvariantCulture) + "=";
        var at = message.IndexOf(prefix, StringComparison.Ordinal);
        return at < 0 ? null : message[(at + prefix.Length)..message.IndexOf('\u0001', at + 1)];
    }

    [Fact]
    public async Task The_replies_to_one_read_of_orders_are_stored_in_few_commits_and_each_before_it_reaches_the_peer()
    {
        var store = new CommitRecordingStore();
        await using var acceptor = new FixAcceptor([Ours], _ => store, (driver, _, m) =>
        {
            // Two ExecutionReports for each order, answered under the gate as the order entry does.
            var clOrdId = m.TryGetSpan(FixTag.ClOrdId, out var c) ? Encoding.ASCII.GetString(c) : "?";
            foreach (var execType in new[] { "0", "F" })
            {
                driver.Reply("8"u8, Encoding.ASCII.GetBytes($"37=O-{clOrdId}\u000111={clOrdId}\u000117={clOrdId}-{execType}\u0001150={execType}\u000139=0\u000155=COMI\u000154=1\u0001151=10\u000114=0\u00016=0\u0001"));
            }
        }, TimeProvider.System, NullLogger.Instance);
        var endPoint = acceptor.Start(0);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(endPoint);
        await socket.SendAsync(Message("A", 1, (FixTag.EncryptMethod, "0"), (FixTag.HeartBtInt, "30"), (FixTag.ResetSeqNumFlag, "Y")));

        var text = new StringBuilder();
        var chunk = new byte[65536];
        var received = new List<(string Message, int CommittedWhenRead)>();
        async Task ReadUntil(int count)
        {
            while (received.Count < count)
            {
                var n = await socket.ReceiveAsync(chunk, SocketFlags.None).WaitAsync(Wait);
                Assert.True(n > 0, "the acceptor closed the connection");
                // Read first, then ask the store what it had committed: a message on the wire must be committed by now.
                var committed = store.CommittedThrough;
                text.Append(Encoding.ASCII.GetString(chunk, 0, n));
                received.AddRange(CutMessages(text).Select(m => (m, committed)));
            }
        }

        await ReadUntil(1);
        Assert.Equal("A", Get(received[0].Message, 35));

        const int orders = 40;
        var burst = Enumerable.Range(0, orders).SelectMany(i => Message("D", i + 2, (FixTag.ClOrdId, "C" + i), (21, "1"), (FixTag.Symbol, "COMI"),
            (FixTag.Side, "1"), (FixTag.TransactTime, DateTime.UtcNow.ToString("yyyyMMdd-HH:mm:ss.fff", CultureInfo.InvariantCulture)),
            (FixTag.OrderQty, "10"), (FixTag.OrdType, "2"), (FixTag.Price, "80"))).ToArray();
        var commitsBefore = store.Commits;
        await socket.SendAsync(burst);
        await ReadUntil(1 + 2 * orders);

        var reports = received.Skip(1).ToList();
        Assert.All(reports, r => Assert.Equal("8", Get(r.Message, 35)));
        Assert.Equal(Enumerable.Range(2, 2 * orders).Select(n => n.ToString(CultureInfo.InvariantCulture)), reports.Select(r => Get(r.Message, 34)));
        // Stored before sent: every report was committed when the peer read it.
        Assert.All(reports, r => Assert.True(r.CommittedWhenRead >= int.Parse(Get(r.Message, 34)!, CultureInfo.InvariantCulture),
            $"MsgSeqNum {Get(r.Message, 34)} was read while the store had committed only through {r.CommittedWhenRead}"));
        // Grouped: the 80 reports of 40 orders sent in one write took far fewer commits than messages (one per socket read).
        var commits = store.Commits - commitsBefore;
        Assert.InRange(commits, 1, orders / 2);
    }

    /// <summary>An in-memory wire whose host commits the sender's store before anything it sent is delivered, as the driver does.</summary>
    private sealed class Wire(IFixSessionStore store) : IFixSessionOutput
    {
        public Queue<byte[]> Written { get; } = new();

        public List<string> Delivered { get; } = [];

        public List<FixDisconnectReason> Disconnects { get; } = [];

        public void Send(ReadOnlySpan<byte> message) => Written.Enqueue(message.ToArray());

        public void Deliver(FixMessage message) => Delivered.Add(Encoding.ASCII.GetString(message.Raw).Replace('\u0001', '|'));

        public void Disconnect(FixDisconnectReason reason, string text) => Disconnects.Add(reason);

        /// <summary>Commits, then hands what was written to the peer.</summary>
        public void Flush(FixSession peer, DateTime now)
        {
            store.Commit();
            while (Written.TryDequeue(out var message))
            {
                peer.OnReceived(message, now);
            }
        }
    }

    private static void Pump(FixSession venue, Wire venueWire, FixSession broker, Wire brokerWire, DateTime now)
    {
        while (venueWire.Written.Count > 0 || brokerWire.Written.Count > 0)
        {
            venueWire.Flush(broker, now);
            brokerWire.Flush(venue, now);
        }
    }

    private static byte[] OrderBody(string clOrdId) => Encoding.ASCII.GetBytes(
        $"11={clOrdId}\u000121=1\u000155=COMI\u000154=1\u000160=20261207-09:00:00.000\u000138=10\u000140=2\u000144=80\u0001");

    private static byte[] ReportBody(string clOrdId, string execType) => Encoding.ASCII.GetBytes(
        $"37=O-{clOrdId}\u000111={clOrdId}\u000117={clOrdId}-{execType}\u0001150={execType}\u000139=0\u000155=COMI\u000154=1\u0001151=10\u000114=0\u00016=0\u0001");

    [Fact]
    public void A_restart_after_a_crash_between_the_commit_and_the_send_resends_the_stored_reports_and_the_numbers_continue()
    {
        var now = T0;
        var brokerStore = new InMemoryFixSessionStore();
        var brokerWire = new Wire(brokerStore);
        var broker = new FixSession(Theirs, brokerStore, brokerWire);
        int reportsFrom;
        using (var venueStore = Open(Ours))
        {
            var venueWire = new Wire(venueStore);
            var venue = new FixSession(Ours, venueStore, venueWire);
            venue.OnConnected(now);
            broker.OnConnected(now);
            Pump(venue, venueWire, broker, brokerWire, now);
            Assert.Equal(FixSessionState.Active, venue.State);

            Assert.NotEqual(0, broker.Send("D"u8, OrderBody("C1"), now));
            brokerWire.Flush(venue, now);
            Assert.Single(venueWire.Delivered);
            reportsFrom = venue.Send("8"u8, ReportBody("C1", "0"), now);
            Assert.Equal(reportsFrom + 1, venue.Send("8"u8, ReportBody("C1", "F"), now));

            // The host commits the group, then the platform dies before the socket write: the reports never reach the broker.
            venueStore.Commit();
            venueWire.Written.Clear();
        }

        Assert.Equal(reportsFrom, broker.NextTargetMsgSeqNum);
        broker.OnDisconnected();
        now = now.AddSeconds(5);
        using (var venueStore = Open(Ours))
        {
            // The restart reads the numbers the commit left: both reports counted as sent, the order as received.
            Assert.Equal(reportsFrom + 2, venueStore.NextSenderMsgSeqNum);
            Assert.Equal(3, venueStore.NextTargetMsgSeqNum);
            var venueWire = new Wire(venueStore);
            var venue = new FixSession(Ours, venueStore, venueWire);
            venue.OnConnected(now);
            broker.OnConnected(now);
            Pump(venue, venueWire, broker, brokerWire, now);

            Assert.Equal(FixSessionState.Active, venue.State);
            Assert.Equal(FixSessionState.Active, broker.State);
            // The venue's Logon carried the next number (no reset); the broker asked for the gap and got both reports back as resends.
            Assert.Equal(["0", "F"], brokerWire.Delivered.Select(m => Field(m, 150)));
            Assert.All(brokerWire.Delivered, m => Assert.Equal("Y", Field(m, 43)));
            Assert.Equal([reportsFrom.ToString(CultureInfo.InvariantCulture), (reportsFrom + 1).ToString(CultureInfo.InvariantCulture)],
                brokerWire.Delivered.Select(m => Field(m, 34)));
            Assert.Equal(reportsFrom + 3, broker.NextTargetMsgSeqNum);
            Assert.Empty(venueWire.Delivered);
            Assert.Empty(venueWire.Disconnects);
            Assert.Empty(brokerWire.Disconnects);
        }

        using var after = Open(Ours);
        Assert.Equal(reportsFrom + 3, after.NextSenderMsgSeqNum);
    }

    [Fact]
    public void A_crash_before_the_commit_loses_only_what_never_left_and_the_broker_resends_its_order()
    {
        var now = T0;
        var brokerStore = new InMemoryFixSessionStore();
        var brokerWire = new Wire(brokerStore);
        var broker = new FixSession(Theirs, brokerStore, brokerWire);
        int logonSeq;
        using (var venueStore = Open(Ours))
        {
            var venueWire = new Wire(venueStore);
            var venue = new FixSession(Ours, venueStore, venueWire);
            venue.OnConnected(now);
            broker.OnConnected(now);
            Pump(venue, venueWire, broker, brokerWire, now);
            logonSeq = venueStore.NextSenderMsgSeqNum - 1;

            Assert.NotEqual(0, broker.Send("D"u8, OrderBody("C1"), now));
            brokerWire.Flush(venue, now);
            Assert.Single(venueWire.Delivered);
            venue.Send("8"u8, ReportBody("C1", "0"), now);
            // The platform dies before the commit: the order's number and its report are not stored, and nothing was sent.
            venueWire.Written.Clear();
        }

        broker.OnDisconnected();
        now = now.AddSeconds(5);
        using (var venueStore = Open(Ours))
        {
            Assert.Equal((logonSeq + 1, 2), (venueStore.NextSenderMsgSeqNum, venueStore.NextTargetMsgSeqNum));
            var venueWire = new Wire(venueStore);
            var venue = new FixSession(Ours, venueStore, venueWire);
            venue.OnConnected(now);
            broker.OnConnected(now);
            Pump(venue, venueWire, broker, brokerWire, now);

            // The venue expected the order's number again: it asked for it, and the broker resent the order (PossDupFlag=Y).
            Assert.Equal(FixSessionState.Active, venue.State);
            var resent = Assert.Single(venueWire.Delivered);
            Assert.Equal("C1", Field(resent, 11));
            Assert.Equal("Y", Field(resent, 43));
            // The venue's numbers continued from what it had stored: its Logon took the number the lost report had (the broker saw
            // no gap), then its ResendRequest the next.
            Assert.Equal(logonSeq + 3, venueStore.NextSenderMsgSeqNum);
            Assert.Equal(logonSeq + 3, broker.NextTargetMsgSeqNum);
            Assert.Empty(brokerWire.Delivered);
            Assert.Empty(brokerWire.Disconnects);
            Assert.Empty(venueWire.Disconnects);
        }
    }

    private static string? Field(string message, int tag)
    {
        var prefix = tag.ToString(CultureInfo.InvariantCulture) + "=";
        return message.Split('|').FirstOrDefault(f => f.StartsWith(prefix, StringComparison.Ordinal))?[prefix.Length..];
    }
}
