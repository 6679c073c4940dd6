using System.Text.Json;

namespace TradSys.Client;

/// <summary>Reads one server message into its typed event (camelCase JSON, absent optional fields omitted).</summary>
public static class StreamJson
{
    /// <summary>The serializer settings of the protocol.</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    /// <summary>The typed event of <paramref name="utf8"/>, and the client's request id it answers (ack, error, pong), if any.</summary>
    /// <exception cref="JsonException">not a JSON object with a string <c>type</c>.</exception>
    public static StreamEvent Read(ReadOnlySpan<byte> utf8, out string? requestId)
    {
        using var document = JsonDocument.Parse(utf8.ToArray());
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var typeElement) || typeElement.ValueKind != JsonValueKind.String)
        {
            throw new JsonException("a server message must be a JSON object with a string \"type\"");
        }
        requestId = root.TryGetProperty("id", out var id) ? id.ValueKind == JsonValueKind.String ? id.GetString() : id.GetRawText() : null;
        var type = typeElement.GetString()!;
        return type switch
        {
            "welcome" => As<Welcome>(root),
            "ack" => As<Ack>(root),
            "error" => As<StreamError>(root),
            "pong" => As<Pong>(root),
            "heartbeat" => As<Heartbeat>(root),
            "snapshot" => As<MarketDataSnapshot>(root),
            "update" => As<MarketDataUpdate>(root),
            "trade" => As<Trade>(root),
            "order_update" => As<OrderUpdate>(root),
            "portfolio" => As<Portfolio>(root),
            "alert" => As<Alert>(root),
            _ => new UnknownEvent(type, root.Clone()),
        };
    }

    private static T As<T>(JsonElement root) =>
        root.Deserialize<T>(Options) ?? throw new JsonException($"a {typeof(T).Name} message was null");
}
