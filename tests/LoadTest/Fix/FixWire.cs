using System.Globalization;
using System.Text;

namespace TradSys.LoadTest.Fix;

/// <summary>
/// The tool's own FIX 4.4 tag=value, written here rather than taken from the platform (the tool references no src, so it measures
/// the platform as any client would): a message from its fields with BodyLength and CheckSum, and a reader that cuts received bytes
/// into whole messages and reads the few tags the tool needs.
/// </summary>
public static class FixWire
{
    public const char Soh = '\u0001';

    /// <summary>A whole message: 8, 9, then <paramref name="fields"/> ("35=D", "34=2", ...) in the order given, then 10.</summary>
    public static byte[] Message(IEnumerable<string> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var body = new StringBuilder();
        foreach (var field in fields)
        {
            body.Append(field).Append(Soh);
        }
        var head = $"8=FIX.4.4{Soh}9={Encoding.ASCII.GetByteCount(body.ToString())}{Soh}";
        var bytes = Encoding.ASCII.GetBytes(head + body);
        var sum = 0;
        foreach (var b in bytes)
        {
            sum += b;
        }
        return Encoding.ASCII.GetBytes(head + body + $"10={sum % 256:000}{Soh}");
    }

    /// <summary>FIX's UTCTimestamp with milliseconds.</summary>
    public static string Time(DateTime utc) => utc.ToString("yyyyMMdd-HH:mm:ss.fff", CultureInfo.InvariantCulture);

    /// <summary>
    /// The length of the whole message at the start of <paramref name="data"/> (from its BodyLength and the CheckSum field after
    /// it), 0 when more bytes are needed; -1 when the bytes do not start a message.
    /// </summary>
    public static int Frame(ReadOnlySpan<byte> data)
    {
        if (data.Length < 16)
        {
            return 0;
        }
        if (data[0] != (byte)'8' || data[1] != (byte)'=')
        {
            return -1;
        }
        var first = data.IndexOf((byte)Soh);
        if (first < 0 || first + 3 > data.Length)
        {
            return 0;
        }
        if (data[first + 1] != (byte)'9' || data[first + 2] != (byte)'=')
        {
            return -1;
        }
        var lengthEnd = data[(first + 3)..].IndexOf((byte)Soh);
        if (lengthEnd < 0)
        {
            return 0;
        }
        if (!int.TryParse(data.Slice(first + 3, lengthEnd), NumberStyles.None, CultureInfo.InvariantCulture, out var bodyLength))
        {
            return -1;
        }
        var total = first + 3 + lengthEnd + 1 + bodyLength + 7; // 10=ccc|
        return data.Length < total ? 0 : total;
    }

    /// <summary>The value of a tag in a whole message, or null.</summary>
    public static string? Get(ReadOnlySpan<byte> message, int tag)
    {
        Span<byte> prefix = stackalloc byte[12];
        prefix[0] = (byte)Soh;
        tag.TryFormat(prefix[1..], out var digits, provider: CultureInfo.InvariantCulture);
        prefix[digits + 1] = (byte)'=';
        var key = prefix[..(digits + 2)];
        var at = message.IndexOf(key);
        if (at < 0)
        {
            return null;
        }
        var value = message[(at + key.Length)..];
        var end = value.IndexOf((byte)Soh);
        return Encoding.ASCII.GetString(end < 0 ? value : value[..end]);
    }
}
