using System.Buffers;

namespace TradSys.Engine.Fix;

/// <summary>What <see cref="FixFramer"/> found at the start of a buffer.</summary>
public enum FixFrameStatus
{
    /// <summary>A whole message whose BodyLength and CheckSum are right; its length is returned.</summary>
    Complete,

    /// <summary>The bytes so far may start a message: read more.</summary>
    Incomplete,

    /// <summary>
    /// The bytes do not start a valid message (no <c>8=</c>, a BodyLength that does not land on <c>10=</c>, a wrong
    /// CheckSum): skip the returned count and try again. Per FIX, a garbled message is ignored, not rejected.
    /// </summary>
    Garbled,
}

/// <summary>
/// Finds message boundaries in a received byte stream: <c>8=BeginString|9=BodyLength|...|10=ccc|</c>, where BodyLength
/// counts the bytes after its own SOH up to and including the SOH before <c>10=</c>, and CheckSum is the sum of every byte
/// before <c>10=</c> modulo 256, written with 3 digits. Allocation-free; it never throws on the peer's bytes.
/// </summary>
public static class FixFramer
{
    /// <summary>A message longer than this is treated as garbage rather than waited for.</summary>
    public const int MaxMessageLength = 1 << 20;

    private const int TrailerLength = 7; // 10=ccc|

    /// <summary>Frames the message at the start of <paramref name="data"/>.</summary>
    /// <param name="data">Received bytes, the first of which should be the <c>8</c> of a BeginString.</param>
    /// <param name="length">For <see cref="FixFrameStatus.Complete"/> the message length; for <see cref="FixFrameStatus.Garbled"/>
    /// the number of bytes to discard; otherwise 0.</param>
    /// <returns>Whether a whole message, more data, or garbage starts the buffer.</returns>
    public static FixFrameStatus TryFrame(ReadOnlySpan<byte> data, out int length)
    {
        length = 0;
        ReadOnlySpan<byte> begin = "8="u8;
        if (data.Length < 2)
        {
            return data.Length == 0 || data[0] == (byte)'8' ? FixFrameStatus.Incomplete : Skip(data, out length);
        }

        if (!data.StartsWith(begin))
        {
            return Skip(data, out length);
        }

        int beginEnd = data.IndexOf(FixValue.Soh);
        if (beginEnd < 0)
        {
            return data.Length > 32 ? Skip(data, out length) : FixFrameStatus.Incomplete;
        }

        int pos = beginEnd + 1;
        if (data.Length < pos + 2)
        {
            return FixFrameStatus.Incomplete;
        }

        if (data[pos] != (byte)'9' || data[pos + 1] != (byte)'=')
        {
            return Skip(data, out length);
        }

        pos += 2;
        int bodyLength = 0;
        int digits = 0;
        while (true)
        {
            if (pos >= data.Length)
            {
                return FixFrameStatus.Incomplete;
            }

            byte b = data[pos++];
            if (b == FixValue.Soh)
            {
                break;
            }

            uint d = (uint)(b - '0');
            if (d > 9 || ++digits > 7)
            {
                return Skip(data, out length);
            }

            bodyLength = (bodyLength * 10) + (int)d;
        }

        if (digits == 0 || bodyLength == 0 || pos + bodyLength + TrailerLength > MaxMessageLength)
        {
            return Skip(data, out length);
        }

        int bodyEnd = pos + bodyLength;
        int total = bodyEnd + TrailerLength;
        if (data.Length < total)
        {
            // A BodyLength too long would wait forever: if another message already starts inside the declared body,
            // this one is garbage. (A data field holding "|8=FIX" is the only false alarm, and none of ours carry one.)
            int next = data[pos..].IndexOf("\u00018=FIX"u8);
            if (next >= 0)
            {
                length = pos + next + 1;
                return FixFrameStatus.Garbled;
            }

            return FixFrameStatus.Incomplete;
        }

        var trailer = data.Slice(bodyEnd, TrailerLength);
        if (data[bodyEnd - 1] != FixValue.Soh || trailer[0] != (byte)'1' || trailer[1] != (byte)'0' || trailer[2] != (byte)'='
            || trailer[6] != FixValue.Soh || !FixValue.TryParseInt(trailer.Slice(3, 3), out int checkSum) || trailer[3] == (byte)'-')
        {
            return WrongBodyLength(data, bodyEnd, out length);
        }

        if (CheckSum(data[..bodyEnd]) != checkSum)
        {
            length = total;
            return FixFrameStatus.Garbled;
        }

        length = total;
        return FixFrameStatus.Complete;
    }

    /// <summary>
    /// Frames the message at the start of a (possibly multi-segment) sequence, as <c>System.IO.Pipelines</c> hands it over.
    /// A message split across segments is copied into <paramref name="scratch"/> to be framed; a single segment is not copied.
    /// </summary>
    /// <param name="data">Received bytes.</param>
    /// <param name="scratch">A caller's reusable buffer of at least the longest message expected.</param>
    /// <param name="length">As for the span overload.</param>
    /// <returns>As for the span overload.</returns>
    public static FixFrameStatus TryFrame(in ReadOnlySequence<byte> data, Span<byte> scratch, out int length)
    {
        if (data.IsSingleSegment)
        {
            return TryFrame(data.FirstSpan, out length);
        }

        int copy = (int)Math.Min(data.Length, scratch.Length);
        data.Slice(0, copy).CopyTo(scratch);
        var status = TryFrame(scratch[..copy], out length);
        if (status == FixFrameStatus.Incomplete && copy == scratch.Length)
        {
            // Longer than the caller's longest message: drop what was seen rather than wait forever.
            length = copy;
            return FixFrameStatus.Garbled;
        }

        return status;
    }

    /// <summary>The FIX CheckSum of some bytes: their sum modulo 256.</summary>
    public static int CheckSum(ReadOnlySpan<byte> bytes)
    {
        // Eight bytes at a time: split each word into four 16-bit lanes of byte pairs and add lane-wise; a lane gains at
        // most 510 a word, so 128 words fit before the lanes are folded into the total.
        const ulong pairMask = 0x00FF00FF00FF00FFUL;
        ulong total = 0;
        int i = 0;
        while (bytes.Length - i >= 8)
        {
            ulong lanes = 0;
            for (int words = 0; words < 128 && bytes.Length - i >= 8; words++, i += 8)
            {
                ulong word = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(bytes[i..]);
                lanes += (word & pairMask) + ((word >> 8) & pairMask);
            }

            total += (lanes & 0xFFFF) + ((lanes >> 16) & 0xFFFF) + ((lanes >> 32) & 0xFFFF) + (lanes >> 48);
        }

        for (; i < bytes.Length; i++)
        {
            total += bytes[i];
        }

        return (int)(total & 0xFF);
    }

    /// <summary>
    /// BodyLength does not land on the CheckSum: the message runs to the first CheckSum field at or after where BodyLength puts
    /// it, and the whole of it is garbled (as QuickFIX frames it). A BodyLength too short so drops this message alone; one too
    /// long drops the message it runs into too, whose sender resends both after the ResendRequest their gap brings.
    /// </summary>
    private static FixFrameStatus WrongBodyLength(ReadOnlySpan<byte> data, int bodyEnd, out int length)
    {
        length = 0;
        int found = data[(bodyEnd - 1)..].IndexOf("\u000110="u8);
        if (found < 0)
        {
            return data.Length >= MaxMessageLength ? Skip(data, out length) : FixFrameStatus.Incomplete;
        }

        int checkSumField = bodyEnd + found;
        int end = data[checkSumField..].IndexOf(FixValue.Soh);
        if (end < 0)
        {
            return FixFrameStatus.Incomplete;
        }

        length = checkSumField + end + 1;
        return FixFrameStatus.Garbled;
    }

    /// <summary>Garbage: skip to the next <c>8=FIX</c> after the first byte, or all but a possible partial start at the end.</summary>
    private static FixFrameStatus Skip(ReadOnlySpan<byte> data, out int length)
    {
        int next = data[1..].IndexOf("8=FIX"u8);
        length = next >= 0 ? next + 1 : Math.Max(1, data.Length - 4);
        return FixFrameStatus.Garbled;
    }
}
