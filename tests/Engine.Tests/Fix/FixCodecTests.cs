using System.Buffers;
using System.Text;
using TradSys.Engine.Fix;
using static TradSys.Engine.Tests.Fix.FixText;

namespace TradSys.Engine.Tests.Fix;

public class FixCodecTests
{
    private static readonly string NewOrder =
        $"35=D|49=TW44|56=ISLD|34=2|52=20261207-09:00:00.123|11=ORD-1|453=2|448=BRK1|447=D|452=1|448=TRD7|447=D|452=11|1=ACC-9|21=1|55=COMI|48=EGS60121C018|22=4|54=1|60=20261207-09:00:00|38=1500|40=2|44=81.25|59=0";

    [Fact]
    public void Frames_a_whole_message_and_reads_its_fields_as_spans_ints_decimals_and_timestamps()
    {
        byte[] bytes = Message(NewOrder);
        Assert.Equal(FixFrameStatus.Complete, FixFramer.TryFrame(bytes, out int length));
        Assert.Equal(bytes.Length, length);

        var message = new FixMessage();
        Assert.True(message.Parse(bytes));
        Assert.Equal("D"u8.ToArray(), message.MsgType.ToArray());
        Assert.True(message.TryGetInt(FixTag.MsgSeqNum, out int seq));
        Assert.Equal(2, seq);
        Assert.True(message.TryGetDecimal(FixTag.Price, out decimal price));
        Assert.Equal(81.25m, price);
        Assert.True(message.TryGetDecimal(FixTag.OrderQty, out decimal qty));
        Assert.Equal(1500m, qty);
        Assert.True(message.TryGetUtcTimestamp(FixTag.SendingTime, out var sendingTime));
        Assert.Equal(new DateTime(2026, 12, 7, 9, 0, 0, 123, DateTimeKind.Utc), sendingTime);
        Assert.True(message.TryGetChar(FixTag.Side, out char side));
        Assert.Equal('1', side);
        Assert.True(message.TryGetSpan(FixTag.Symbol, out var symbol));
        Assert.Equal("COMI", Encoding.ASCII.GetString(symbol));
        Assert.False(message.Has(FixTag.StopPx));
    }

    [Fact]
    public void Reads_each_instance_of_the_parties_group()
    {
        var message = new FixMessage();
        Assert.True(message.Parse(Message(NewOrder)));
        var parties = FixDataDictionary.Fix44.Group(FixTag.NoPartyIds)!;
        Span<FixFieldRange> instances = stackalloc FixFieldRange[4];
        int count = message.GetGroup(parties, instances);

        Assert.Equal(2, count);
        Assert.True(message.TryGetSpan(FixTag.PartyId, instances[0], out var first));
        Assert.Equal("BRK1", Encoding.ASCII.GetString(first));
        Assert.True(message.TryGetSpan(FixTag.PartyId, instances[1], out var second));
        Assert.Equal("TRD7", Encoding.ASCII.GetString(second));
        Assert.True(message.TryGetSpan(FixTag.PartyRole, instances[1], out var role));
        Assert.Equal("11", Encoding.ASCII.GetString(role));
        Assert.False(message.TryGetSpan(FixTag.Account, instances[1], out _));
    }

    [Fact]
    public void Reads_a_group_nested_in_a_group_instance()
    {
        var message = new FixMessage();
        Assert.True(message.Parse(Message(
            "35=D|49=TW44|56=ISLD|34=2|52=20261207-09:00:00|11=ID|453=2|448=BRK1|447=D|452=1|802=2|523=DESK-A|803=4|523=EGX|803=1|448=TRD7|447=D|452=11|21=1|55=COMI|54=1|60=20261207-09:00:00|38=1|40=1")));
        var parties = FixDataDictionary.Fix44.Group(FixTag.NoPartyIds)!;
        var subIds = FixDataDictionary.Fix44.Group(802)!;
        Span<FixFieldRange> outer = stackalloc FixFieldRange[4];
        Span<FixFieldRange> inner = stackalloc FixFieldRange[4];

        Assert.Equal(2, message.GetGroup(parties, outer));
        Assert.Equal(2, message.GetGroup(subIds, outer[0], inner));
        Assert.True(message.TryGetSpan(523, inner[1], out var second));
        Assert.Equal("EGX", Encoding.ASCII.GetString(second));
        Assert.Equal(0, message.GetGroup(subIds, outer[1], inner));
        Assert.True(message.TryGetSpan(FixTag.PartyId, outer[1], out var trader));
        Assert.Equal("TRD7", Encoding.ASCII.GetString(trader));
        Assert.True(new FixValidator().Validate(message).IsValid);
    }

    [Fact]
    public void Frames_back_to_back_messages_one_at_a_time()
    {
        byte[] first = Message("35=0|49=TW44|56=ISLD|34=2|52=20261207-09:00:00");
        byte[] second = Message("35=1|49=TW44|56=ISLD|34=3|52=20261207-09:00:01|112=HELLO");
        byte[] stream = [.. first, .. second];

        Assert.Equal(FixFrameStatus.Complete, FixFramer.TryFrame(stream, out int one));
        Assert.Equal(first.Length, one);
        Assert.Equal(FixFrameStatus.Complete, FixFramer.TryFrame(stream.AsSpan(one), out int two));
        Assert.Equal(second.Length, two);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(1030)]
    [InlineData(5000)]
    public void The_checksum_is_the_byte_sum_modulo_256_at_any_length(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        int expected = 0;
        foreach (byte b in bytes)
        {
            expected = (expected + b) % 256;
        }

        Assert.Equal(expected, FixFramer.CheckSum(bytes));
    }

    [Fact]
    public void A_wrong_checksum_is_garbled_and_skipped_whole()
    {
        byte[] bytes = Message("35=0|49=TW44|56=ISLD|34=2|52=20261207-09:00:00");
        bytes[^2] = bytes[^2] == (byte)'9' ? (byte)'0' : (byte)(bytes[^2] + 1);

        Assert.Equal(FixFrameStatus.Garbled, FixFramer.TryFrame(bytes, out int skip));
        Assert.Equal(bytes.Length, skip);
        Assert.False(new FixMessage().Parse(bytes));
    }

    [Fact]
    public void A_body_length_that_does_not_land_on_the_checksum_is_garbled_and_the_next_message_is_found()
    {
        byte[] good = Message("35=0|49=TW44|56=ISLD|34=2|52=20261207-09:00:00");
        string text = Encoding.ASCII.GetString(good);
        byte[] wrongLength = Encoding.ASCII.GetBytes(text.Replace("\u00019=", "\u00019=1", StringComparison.Ordinal));
        byte[] stream = [.. wrongLength, .. good];

        Assert.Equal(FixFrameStatus.Garbled, FixFramer.TryFrame(stream, out int skip));
        Assert.Equal(wrongLength.Length, skip);
        Assert.Equal(FixFrameStatus.Complete, FixFramer.TryFrame(stream.AsSpan(skip), out int length));
        Assert.Equal(good.Length, length);
    }

    [Fact]
    public void A_body_length_too_long_runs_to_the_next_checksum_and_takes_the_message_it_runs_into_with_it()
    {
        // QuickFIX's 2m: a message whose BodyLength reaches into the next one is framed up to the next CheckSum field, so both
        // are garbled and the sender resends both; one too short is garbled alone and the next message is framed.
        byte[] first = Message("35=0|49=TW44|56=ISLD|34=4|52=20261207-09:00:00");
        byte[] second = Message("35=0|49=TW44|56=ISLD|34=5|52=20261207-09:00:00");
        byte[] third = Message("35=0|49=TW44|56=ISLD|34=6|52=20261207-09:00:00");
        string text = Encoding.ASCII.GetString(first);
        int declared = int.Parse(text.Split('\u0001')[1][2..], System.Globalization.CultureInfo.InvariantCulture);
        byte[] tooLong = Encoding.ASCII.GetBytes(text.Replace($"\u00019={declared}", $"\u00019={declared + 20}", StringComparison.Ordinal));
        byte[] stream = [.. tooLong, .. second, .. third];

        Assert.Equal(FixFrameStatus.Garbled, FixFramer.TryFrame(stream, out int skip));
        Assert.Equal(tooLong.Length + second.Length, skip);
        Assert.Equal(FixFrameStatus.Complete, FixFramer.TryFrame(stream.AsSpan(skip), out int length));
        Assert.Equal(third.Length, length);

        byte[] tooShort = Encoding.ASCII.GetBytes(text.Replace($"\u00019={declared}", $"\u00019={declared - 20}", StringComparison.Ordinal));
        stream = [.. tooShort, .. second];
        Assert.Equal(FixFrameStatus.Garbled, FixFramer.TryFrame(stream, out skip));
        Assert.Equal(tooShort.Length, skip);
        Assert.Equal(FixFrameStatus.Complete, FixFramer.TryFrame(stream.AsSpan(skip), out length));
        Assert.Equal(second.Length, length);
    }

    [Fact]
    public void A_partial_message_asks_for_more_bytes()
    {
        byte[] bytes = Message("35=0|49=TW44|56=ISLD|34=2|52=20261207-09:00:00");
        for (int cut = 0; cut < bytes.Length; cut++)
        {
            Assert.Equal(FixFrameStatus.Incomplete, FixFramer.TryFrame(bytes.AsSpan(0, cut), out _));
        }
    }

    [Fact]
    public void Frames_and_parses_a_message_split_across_pipeline_segments()
    {
        byte[] bytes = Message(NewOrder);
        var first = new Segment(bytes.AsMemory(0, 40));
        var last = first.Append(bytes.AsMemory(40));
        var sequence = new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);

        Assert.Equal(FixFrameStatus.Complete, FixFramer.TryFrame(sequence, new byte[4096], out int length));
        Assert.Equal(bytes.Length, length);
        var message = new FixMessage();
        Assert.True(message.Parse(sequence.Slice(0, length)));
        Assert.True(message.TryGetSpan(FixTag.ClOrdId, out var clOrdId));
        Assert.Equal("ORD-1", Encoding.ASCII.GetString(clOrdId));
    }

    [Fact]
    public void The_writer_computes_body_length_and_checksum_as_an_independent_encoder_does()
    {
        var buffer = new byte[512];
        var w = new FixWriter(buffer, "FIX.4.4"u8, "8"u8);
        w.Add(FixTag.SenderCompId, "ISLD"u8);
        w.Add(FixTag.TargetCompId, "TW44"u8);
        w.Add(FixTag.MsgSeqNum, 7);
        w.AddUtcTimestamp(FixTag.SendingTime, new DateTime(2026, 12, 7, 9, 0, 1, 5, DateTimeKind.Utc));
        w.Add(FixTag.OrderId, "O-1");
        w.Add(FixTag.ExecType, 'F');
        w.Add(FixTag.LastPx, 81.25m);
        w.Add(FixTag.PossDupFlag, false);
        int length = w.Finish();

        string expected = Text(Message("35=8|49=ISLD|56=TW44|34=7|52=20261207-09:00:01.005|37=O-1|150=F|31=81.25|43=N"));
        Assert.Equal(expected, Text(buffer.AsSpan(0, length)));
    }

    [Fact]
    public void Parsing_and_encoding_allocate_nothing_once_warm()
    {
        byte[] bytes = Message(NewOrder);
        var message = new FixMessage();
        var validator = new FixValidator();
        var buffer = new byte[1024];
        int Encode()
        {
            var w = new FixWriter(buffer, "FIX.4.4"u8, "8"u8);
            w.Add(FixTag.OrderId, "O-1"u8);
            w.Add(FixTag.CumQty, 1500m);
            w.AddUtcTimestamp(FixTag.TransactTime, T0);
            return w.Finish();
        }

        long allocated = Allocations.LeastOf(() =>
        {
            for (int i = 0; i < 100; i++)
            {
                message.Parse(bytes);
                validator.Validate(message);
                Encode();
            }
        });

        Assert.Equal(0, allocated);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
