using System.Buffers;

namespace TradSys.Engine.Fix;

/// <summary>One field of a parsed message: its tag and where its value lies in the message's bytes.</summary>
/// <param name="Tag">The tag number; 0 when the tag was not a number (a Reject with reason 0 follows).</param>
/// <param name="ValueOffset">Offset of the value in <see cref="FixMessage.Raw"/>.</param>
/// <param name="ValueLength">Length of the value; 0 for a tag without a value (<c>58=|</c>).</param>
public readonly record struct FixField(int Tag, int ValueOffset, int ValueLength);

/// <summary>A range of field indexes, [Start, End): the whole body, or one instance of a repeating group.</summary>
/// <param name="Start">First field index.</param>
/// <param name="End">One past the last field index.</param>
public readonly record struct FixFieldRange(int Start, int End);

/// <summary>
/// A parsed FIX message, reusable: <see cref="Parse(ReadOnlySpan{byte})"/> copies the framed bytes into a buffer the
/// instance keeps and records each field's tag and value position in a preallocated array, so parsing allocates nothing
/// once the buffers have grown to the longest message seen. Values are read as spans, ints, decimals, chars, booleans and
/// timestamps. The instance is valid until the next <c>Parse</c>; one instance per connection, never shared across threads.
/// </summary>
public sealed class FixMessage
{
    private byte[] buffer;
    private FixField[] fields;
    private int length;
    private int count;

    /// <summary>Creates a message with room for typical messages; the buffers grow if a longer one arrives.</summary>
    /// <param name="initialBytes">Initial byte capacity.</param>
    /// <param name="initialFields">Initial field capacity.</param>
    public FixMessage(int initialBytes = 4096, int initialFields = 256)
    {
        buffer = new byte[Math.Max(64, initialBytes)];
        fields = new FixField[Math.Max(8, initialFields)];
    }

    /// <summary>The whole message as received, <c>8=</c> to the CheckSum's SOH.</summary>
    public ReadOnlySpan<byte> Raw => buffer.AsSpan(0, length);

    /// <summary>The number of fields, header and trailer included.</summary>
    public int FieldCount => count;

    /// <summary>The field at an index (0 is BeginString, 1 BodyLength, 2 MsgType).</summary>
    /// <param name="index">The field index.</param>
    public FixField this[int index] => (uint)index < (uint)count ? fields[index] : default;

    /// <summary>The MsgType (35) value.</summary>
    public ReadOnlySpan<byte> MsgType => count > 2 ? Value(2) : default;

    /// <summary>Whether this is a session (administrative) message: MsgType 0, 1, 2, 3, 4, 5 or A.</summary>
    public bool IsAdmin => MsgType is [(byte)'0' or (byte)'1' or (byte)'2' or (byte)'3' or (byte)'4' or (byte)'5' or (byte)'A'];

    /// <summary>
    /// Parses one framed message (as returned by <see cref="FixFramer"/>). The message must be exactly one whole frame
    /// with a right BodyLength and CheckSum, and start with BeginString, BodyLength and MsgType; anything else is garbled.
    /// </summary>
    /// <param name="frame">The message bytes.</param>
    /// <returns>True when parsed; false for a garbled message, which FIX says to ignore.</returns>
    public bool Parse(ReadOnlySpan<byte> frame)
    {
        length = 0;
        count = 0;
        if (FixFramer.TryFrame(frame, out int framed) != FixFrameStatus.Complete || framed != frame.Length)
        {
            return false;
        }

        if (buffer.Length < frame.Length)
        {
            buffer = new byte[Math.Max(frame.Length, buffer.Length * 2)];
        }

        frame.CopyTo(buffer);
        length = frame.Length;
        return Tokenize();
    }

    /// <summary>Parses one framed message held in a sequence (a <c>PipeReader</c>'s buffer), copying it once.</summary>
    /// <param name="frame">Exactly the message's bytes.</param>
    /// <returns>As <see cref="Parse(ReadOnlySpan{byte})"/>.</returns>
    public bool Parse(in ReadOnlySequence<byte> frame)
    {
        if (frame.IsSingleSegment)
        {
            return Parse(frame.FirstSpan);
        }

        if (frame.Length > FixFramer.MaxMessageLength)
        {
            length = count = 0;
            return false;
        }

        int total = (int)frame.Length;
        if (buffer.Length < total)
        {
            buffer = new byte[Math.Max(total, buffer.Length * 2)];
        }

        frame.CopyTo(buffer);
        return Parse(buffer.AsSpan(0, total));
    }

    private bool Tokenize()
    {
        var span = buffer.AsSpan(0, length);
        int pos = 0;
        while (pos < span.Length)
        {
            int tag = 0;
            bool numeric = true;
            int start = pos;

            // A negative tag ("-1=...") is kept as such, so the Reject can name it (RefTagID -1, invalid tag number).
            bool negative = pos + 1 < span.Length && span[pos] == (byte)'-' && (uint)(span[pos + 1] - '0') <= 9;
            if (negative)
            {
                pos++;
            }

            while (pos < span.Length && span[pos] != (byte)'=' && span[pos] != FixValue.Soh)
            {
                uint d = (uint)(span[pos] - '0');
                if (d > 9 || tag > 99_999_999)
                {
                    numeric = false;
                }
                else
                {
                    tag = (tag * 10) + (int)d;
                }

                pos++;
            }

            if (pos == start || pos >= span.Length || span[pos] != (byte)'=' || !numeric)
            {
                tag = 0;
            }
            else if (negative)
            {
                tag = -tag;
            }

            if (pos < span.Length && span[pos] == (byte)'=')
            {
                pos++;
            }

            int valueStart = pos;
            int soh = span[pos..].IndexOf(FixValue.Soh);
            pos += soh;
            Add(new FixField(tag, valueStart, pos - valueStart));
            pos++;
        }

        if (count < 4 || fields[0].Tag != FixTag.BeginString || fields[1].Tag != FixTag.BodyLength
            || fields[2].Tag != FixTag.MsgType || fields[2].ValueLength == 0)
        {
            length = count = 0;
            return false;
        }

        return true;
    }

    private void Add(FixField field)
    {
        if (count == fields.Length)
        {
            Array.Resize(ref fields, fields.Length * 2);
        }

        fields[count++] = field;
    }

    /// <summary>The value of the field at an index.</summary>
    /// <param name="index">The field index.</param>
    public ReadOnlySpan<byte> Value(int index)
    {
        var f = this[index];
        return buffer.AsSpan(f.ValueOffset, f.ValueLength);
    }

    /// <summary>The offset in <see cref="Raw"/> where the field at an index starts (its tag's first digit).</summary>
    /// <param name="index">The field index.</param>
    public int FieldStart(int index) => index <= 0 ? 0 : fields[index - 1].ValueOffset + fields[index - 1].ValueLength + 1;

    /// <summary>The index of the first field with a tag at or after <paramref name="start"/>, or -1.</summary>
    /// <param name="tag">The tag.</param>
    /// <param name="start">The first index to look at.</param>
    public int IndexOf(int tag, int start = 0)
    {
        for (int i = start; i < count; i++)
        {
            if (fields[i].Tag == tag)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Whether the message has a field with the tag.</summary>
    /// <param name="tag">The tag.</param>
    public bool Has(int tag) => IndexOf(tag) >= 0;

    /// <summary>The first value of a tag in the whole message.</summary>
    /// <param name="tag">The tag.</param>
    /// <param name="value">The value, empty when absent.</param>
    /// <returns>Whether the tag is present.</returns>
    public bool TryGetSpan(int tag, out ReadOnlySpan<byte> value) => TryGetSpan(tag, new FixFieldRange(0, count), out value);

    /// <summary>The first value of a tag within a range of fields (a group instance).</summary>
    /// <param name="tag">The tag.</param>
    /// <param name="range">The fields to look in.</param>
    /// <param name="value">The value, empty when absent.</param>
    /// <returns>Whether the tag is present in the range.</returns>
    public bool TryGetSpan(int tag, FixFieldRange range, out ReadOnlySpan<byte> value)
    {
        int end = Math.Min(range.End, count);
        for (int i = range.Start; i < end; i++)
        {
            if (fields[i].Tag == tag)
            {
                value = buffer.AsSpan(fields[i].ValueOffset, fields[i].ValueLength);
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>Reads an int value (Int, SeqNum, Length, NumInGroup).</summary>
    /// <param name="tag">The tag.</param>
    /// <param name="value">The value.</param>
    /// <returns>Whether present and well formed.</returns>
    public bool TryGetInt(int tag, out int value)
    {
        value = 0;
        return TryGetSpan(tag, out var span) && FixValue.TryParseInt(span, out value);
    }

    /// <summary>Reads a float value (Qty, Price, Amt...) within a range.</summary>
    /// <param name="tag">The tag.</param>
    /// <param name="range">The fields to look in.</param>
    /// <param name="value">The value.</param>
    /// <returns>Whether present and well formed.</returns>
    public bool TryGetDecimal(int tag, FixFieldRange range, out decimal value)
    {
        value = 0;
        return TryGetSpan(tag, range, out var span) && FixValue.TryParseDecimal(span, out value);
    }

    /// <summary>Reads a float value (Qty, Price, Amt...).</summary>
    /// <param name="tag">The tag.</param>
    /// <param name="value">The value.</param>
    /// <returns>Whether present and well formed.</returns>
    public bool TryGetDecimal(int tag, out decimal value) => TryGetDecimal(tag, new FixFieldRange(0, count), out value);

    /// <summary>Reads a char value.</summary>
    /// <param name="tag">The tag.</param>
    /// <param name="value">The value.</param>
    /// <returns>Whether present and one character long.</returns>
    public bool TryGetChar(int tag, out char value)
    {
        value = '\0';
        if (TryGetSpan(tag, out var span) && span.Length == 1)
        {
            value = (char)span[0];
            return true;
        }

        return false;
    }

    /// <summary>Whether a Boolean field is present with the value Y.</summary>
    /// <param name="tag">The tag.</param>
    public bool IsYes(int tag) => TryGetSpan(tag, out var span) && span is [(byte)'Y'];

    /// <summary>Reads a UTCTimestamp value.</summary>
    /// <param name="tag">The tag.</param>
    /// <param name="value">The value, as UTC.</param>
    /// <returns>Whether present and well formed.</returns>
    public bool TryGetUtcTimestamp(int tag, out DateTime value)
    {
        value = default;
        return TryGetSpan(tag, out var span) && FixValue.TryParseUtcTimestamp(span, out value);
    }

    /// <summary>
    /// The instances of a repeating group at the top level of the message (or within <paramref name="within"/>, for a
    /// nested group): each instance starts with the group's delimiter tag and runs while the tags belong to the group.
    /// </summary>
    /// <param name="group">The group's definition (from the dictionary).</param>
    /// <param name="within">Where to look: the whole message, or an enclosing instance.</param>
    /// <param name="instances">Receives the instance ranges.</param>
    /// <returns>The number of instances found (at most the destination's length).</returns>
    public int GetGroup(FixGroupDefinition group, FixFieldRange within, Span<FixFieldRange> instances)
    {
        ArgumentNullException.ThrowIfNull(group);
        int end = Math.Min(within.End, count);
        int at = -1;
        for (int i = within.Start; i < end; i++)
        {
            if (fields[i].Tag == group.CountTag)
            {
                at = i;
                break;
            }
        }

        if (at < 0)
        {
            return 0;
        }

        int found = 0;
        int i2 = at + 1;
        while (i2 < end && fields[i2].Tag == group.DelimiterTag && found < instances.Length)
        {
            int start = i2++;
            while (i2 < end && fields[i2].Tag != group.DelimiterTag && group.Contains(fields[i2].Tag))
            {
                i2++;
            }

            instances[found++] = new FixFieldRange(start, i2);
        }

        return found;
    }

    /// <summary>The instances of a top-level repeating group.</summary>
    /// <param name="group">The group's definition.</param>
    /// <param name="instances">Receives the instance ranges.</param>
    /// <returns>The number of instances found.</returns>
    public int GetGroup(FixGroupDefinition group, Span<FixFieldRange> instances) => GetGroup(group, new FixFieldRange(0, count), instances);
}
