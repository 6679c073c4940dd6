using System.Globalization;
using System.Text;
using TradSys.Engine.Fix;

namespace TradSys.Engine.Tests.Fix;

/// <summary>
/// Builds FIX messages from readable text (fields separated by '|') with BodyLength and CheckSum computed here,
/// independently of <see cref="FixWriter"/>, and reads sent messages back as text.
/// </summary>
internal static class FixText
{
    public static readonly DateTime T0 = new(2026, 12, 7, 9, 0, 0, DateTimeKind.Utc);

    public static string Time(DateTime utc) => utc.ToString("yyyyMMdd-HH:mm:ss.fff", CultureInfo.InvariantCulture);

    /// <summary>A whole message from its fields after BodyLength ("35=D|34=2|..."), '|' standing for SOH.</summary>
    public static byte[] Message(string fields, string beginString = "FIX.4.4")
    {
        string body = fields.Replace('|', '\u0001');
        if (!body.EndsWith('\u0001'))
        {
            body += '\u0001';
        }

        string head = $"8={beginString}\u00019={Encoding.ASCII.GetByteCount(body)}\u0001";
        byte[] withoutTrailer = Encoding.ASCII.GetBytes(head + body);
        int sum = 0;
        foreach (byte b in withoutTrailer)
        {
            sum += b;
        }

        return Encoding.ASCII.GetBytes(head + body + $"10={sum % 256:000}\u0001");
    }

    public static string Text(ReadOnlySpan<byte> message) => Encoding.ASCII.GetString(message).Replace('\u0001', '|');

    /// <summary>The first value of a tag in a message's text, or null.</summary>
    public static string? Get(string message, int tag)
    {
        string prefix = tag.ToString(CultureInfo.InvariantCulture) + "=";
        foreach (string field in message.Split('|'))
        {
            if (field.StartsWith(prefix, StringComparison.Ordinal))
            {
                return field[prefix.Length..];
            }
        }

        return null;
    }
}

/// <summary>Records what a session asks its host to do.</summary>
internal sealed class RecordingOutput : IFixSessionOutput
{
    public List<string> Sent { get; } = [];

    public List<string> Delivered { get; } = [];

    public List<(FixDisconnectReason Reason, string Text)> Disconnects { get; } = [];

    private readonly FixMessage parsed = new();
    private readonly FixValidator validator = new();

    /// <summary>Records a sent message after checking it frames and passes our own dictionary, as a peer would check it.</summary>
    public void Send(ReadOnlySpan<byte> message)
    {
        Assert.Equal(FixFrameStatus.Complete, FixFramer.TryFrame(message, out int length));
        Assert.Equal(message.Length, length);
        Assert.True(parsed.Parse(message));
        var verdict = validator.Validate(parsed);
        Assert.True(verdict.IsValid, $"{verdict.Text} ({verdict.RefTagId}) in {FixText.Text(message)}");
        Sent.Add(FixText.Text(message));
    }

    public void Deliver(FixMessage message) => Delivered.Add(FixText.Text(message.Raw));

    public void Disconnect(FixDisconnectReason reason, string text) => Disconnects.Add((reason, text));

    /// <summary>The messages sent since the last call, for step-by-step scenarios.</summary>
    public List<string> Take()
    {
        var taken = new List<string>(Sent);
        Sent.Clear();
        return taken;
    }
}
