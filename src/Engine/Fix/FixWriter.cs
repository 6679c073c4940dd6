using System.Buffers.Text;

namespace TradSys.Engine.Fix;

/// <summary>
/// Encodes one FIX message into a caller's buffer without allocating: construct it with the BeginString and MsgType, add
/// fields in order, then <see cref="Finish"/> writes BodyLength (9) and CheckSum (10) and returns the message length; the
/// message then starts at the buffer's first byte. With an <c>IBufferWriter&lt;byte&gt;</c>, write into its
/// <c>GetSpan(n)</c> and <c>Advance</c> by the returned length. The body is written after a reserved gap for
/// <c>8=...|9=...|</c> and moved down once its length is known (one short memmove), so nothing is written twice.
/// </summary>
public ref struct FixWriter
{
    private const int MaxBodyLengthDigits = 7;
    private readonly Span<byte> destination;
    private readonly ReadOnlySpan<byte> beginString;
    private readonly int bodyStart;
    private int position;
    private bool finished;
    private readonly bool fieldsOnly;

    /// <summary>Starts a message.</summary>
    /// <param name="destination">Where the message is written; it must hold the whole message.</param>
    /// <param name="beginString">The BeginString value, e.g. <c>"FIX.4.4"u8</c>.</param>
    /// <param name="msgType">The MsgType value, e.g. <c>"8"u8</c>.</param>
    public FixWriter(Span<byte> destination, ReadOnlySpan<byte> beginString, ReadOnlySpan<byte> msgType)
    {
        this.destination = destination;
        this.beginString = beginString;
        bodyStart = 2 + beginString.Length + 1 + 2 + MaxBodyLengthDigits + 1;
        position = bodyStart;
        finished = false;
        fieldsOnly = false;
        Add(FixTag.MsgType, msgType);
    }

    /// <summary>
    /// Starts a list of body fields only (no BeginString, BodyLength, MsgType or CheckSum), e.g. the body of an application
    /// message a session wraps with its header: add fields, then read <see cref="Length"/> bytes from the destination.
    /// </summary>
    /// <param name="destination">Where the fields are written.</param>
    /// <returns>A writer for fields; <see cref="Finish"/> must not be called on it.</returns>
    public static FixWriter ForFields(Span<byte> destination) => new(destination);

    private FixWriter(Span<byte> destination)
    {
        this.destination = destination;
        beginString = default;
        bodyStart = 0;
        position = 0;
        finished = false;
        fieldsOnly = true;
    }

    /// <summary>The bytes written so far (after <see cref="Finish"/>, the whole message's length).</summary>
    public readonly int Length => finished ? position : position - bodyStart;

    /// <summary>Adds a field with a raw ASCII value.</summary>
    /// <param name="tag">The tag.</param>
    /// <param name="value">The value; it must not contain SOH.</param>
    public void Add(int tag, ReadOnlySpan<byte> value)
    {
        WriteTag(tag);
        Ensure(value.Length + 1);
        value.CopyTo(destination[position..]);
        position += value.Length;
        destination[position++] = FixValue.Soh;
    }

    /// <summary>Adds a field with an ASCII string value (identifiers, text).</summary>
    /// <param name="tag">The tag.</param>
    /// <param name="value">The value; characters above 0x7F are written as '?'.</param>
    public void Add(int tag, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        WriteTag(tag);
        Ensure(value.Length + 1);
        foreach (char c in value)
        {
            destination[position++] = c is > (char)0 and < (char)0x80 and not (char)1 ? (byte)c : (byte)'?';
        }

        destination[position++] = FixValue.Soh;
    }

    /// <summary>Adds an int field.</summary>
    /// <param name="tag">The tag.</param>
    /// <param name="value">The value.</param>
    public void Add(int tag, long value)
    {
        WriteTag(tag);
        Ensure(21);
        Utf8Formatter.TryFormat(value, destination[position..], out int written);
        position += written;
        destination[position++] = FixValue.Soh;
    }

    /// <summary>Adds a float field (Qty, Price, Amt...).</summary>
    /// <param name="tag">The tag.</param>
    /// <param name="value">The value.</param>
    public void Add(int tag, decimal value)
    {
        WriteTag(tag);
        Ensure(32);
        Utf8Formatter.TryFormat(value, destination[position..], out int written);
        position += written;
        destination[position++] = FixValue.Soh;
    }

    /// <summary>Adds a char field.</summary>
    /// <param name="tag">The tag.</param>
    /// <param name="value">The value (ASCII).</param>
    public void Add(int tag, char value)
    {
        WriteTag(tag);
        Ensure(2);
        destination[position++] = (byte)value;
        destination[position++] = FixValue.Soh;
    }

    /// <summary>Adds a Boolean field (Y or N).</summary>
    /// <param name="tag">The tag.</param>
    /// <param name="value">The value.</param>
    public void Add(int tag, bool value) => Add(tag, value ? 'Y' : 'N');

    /// <summary>Adds a UTCTimestamp field with milliseconds.</summary>
    /// <param name="tag">The tag.</param>
    /// <param name="utc">The time, in UTC.</param>
    public void AddUtcTimestamp(int tag, DateTime utc)
    {
        WriteTag(tag);
        Ensure(22);
        position += FixValue.FormatUtcTimestamp(utc, destination[position..]);
        destination[position++] = FixValue.Soh;
    }

    /// <summary>Adds already encoded fields (<c>tag=value|</c>...), e.g. the body of a stored message being resent.</summary>
    /// <param name="fields">The encoded fields, each ending with SOH.</param>
    public void AddEncoded(ReadOnlySpan<byte> fields)
    {
        Ensure(fields.Length);
        fields.CopyTo(destination[position..]);
        position += fields.Length;
    }

    /// <summary>Writes BeginString, BodyLength and CheckSum and returns the whole message's length.</summary>
    /// <returns>The message length; the message is <c>destination[..length]</c>.</returns>
    public int Finish()
    {
        if (finished || fieldsOnly)
        {
            ThrowHelper.ThrowInvalidOperation(fieldsOnly ? "A list of fields has no trailer to finish." : "The message is already finished.");
        }

        int bodyLength = position - bodyStart;
        Span<byte> digits = stackalloc byte[MaxBodyLengthDigits];
        Utf8Formatter.TryFormat(bodyLength, digits, out int digitCount);
        int headerLength = 2 + beginString.Length + 1 + 2 + digitCount + 1;
        destination.Slice(bodyStart, bodyLength).CopyTo(destination[headerLength..]);
        int p = 0;
        destination[p++] = (byte)'8';
        destination[p++] = (byte)'=';
        beginString.CopyTo(destination[p..]);
        p += beginString.Length;
        destination[p++] = FixValue.Soh;
        destination[p++] = (byte)'9';
        destination[p++] = (byte)'=';
        digits[..digitCount].CopyTo(destination[p..]);
        p += digitCount;
        destination[p++] = FixValue.Soh;
        position = headerLength + bodyLength;
        int checkSum = FixFramer.CheckSum(destination[..position]);
        Ensure(7);
        destination[position++] = (byte)'1';
        destination[position++] = (byte)'0';
        destination[position++] = (byte)'=';
        destination[position++] = (byte)('0' + (checkSum / 100));
        destination[position++] = (byte)('0' + (checkSum / 10 % 10));
        destination[position++] = (byte)('0' + (checkSum % 10));
        destination[position++] = FixValue.Soh;
        finished = true;
        return position;
    }

    private void WriteTag(int tag)
    {
        if (finished)
        {
            ThrowHelper.ThrowInvalidOperation("The message is already finished.");
        }

        Ensure(12);
        Utf8Formatter.TryFormat(tag, destination[position..], out int written);
        position += written;
        destination[position++] = (byte)'=';
    }

    private readonly void Ensure(int bytes)
    {
        if (position + bytes > destination.Length)
        {
            ThrowHelper.ThrowArgument("The destination is too small for the message.", nameof(destination));
        }
    }
}
