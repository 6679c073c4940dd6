using System.Text.Json;

namespace TradSys.Web.Streaming;

/// <summary>
/// A client message, checked: <c>{"op":"subscribe"|"unsubscribe","channel":"...","symbol"?:"...","accountId"?:1001,"id"?:...}</c>
/// (order_updates also <c>"fromSequence"</c>), <c>{"op":"ping","id"?:...}</c>, or order entry: <c>{"op":"order.new","order":{...}}</c>
/// (the body of <c>POST /api/v1/orders</c>), <c>{"op":"order.amend","orderId":7,"amend":{...}}</c> (the body of
/// <c>PATCH /api/v1/orders/{id}</c>; <c>"idempotencyKey"</c> optional, REST's <c>Idempotency-Key</c> header), <c>{"op":"order.cancel","orderId":7}</c>; the order bodies are checked by REST itself. Every field's problem is collected at once; <see cref="Code"/> names the first kind of
/// problem (unknown_op, unknown_channel; invalid_message when neither). Unknown fields are refused, so a typo is not silently ignored.
/// </summary>
internal sealed class ClientRequest
{
    private static readonly string[] Ops = ["subscribe", "unsubscribe", "ping", OrderNew, OrderAmend, OrderCancel];

    public const string OrderNew = "order.new";
    public const string OrderAmend = "order.amend";
    public const string OrderCancel = "order.cancel";
    private const string OpList = "subscribe, unsubscribe, ping, order.new, order.amend, order.cancel";

    public JsonElement? Id { get; private set; }
    public string? Op { get; private set; }
    public string? Channel { get; private set; }
    public string? Symbol { get; private set; }
    public long? AccountId { get; private set; }
    public long? FromSequence { get; private set; }
    /// <summary>order.new: the order's JSON as the client sent it.</summary>
    public byte[]? Order { get; private set; }
    /// <summary>order.amend: the amendment's JSON as the client sent it.</summary>
    public byte[]? Amend { get; private set; }
    /// <summary>order.amend and order.cancel: the order.</summary>
    public long? OrderId { get; private set; }
    /// <summary>order.amend: the amendment's key (REST's <c>Idempotency-Key</c>, checked there), so that a resend is answered as carried out.</summary>
    public string? IdempotencyKey { get; private set; }

    /// <summary>Whether this is one of the order-entry ops.</summary>
    public bool IsOrderEntry => Op is OrderNew or OrderAmend or OrderCancel;
    public List<FieldProblem> Problems { get; } = [];
    public string? Code { get; private set; }

    /// <summary>Reads one message; throws <see cref="JsonException"/> (with its position) when the text is not JSON.</summary>
    public static ClientRequest Parse(ReadOnlyMemory<byte> text)
    {
        using var document = JsonDocument.Parse(text);
        var request = new ClientRequest();
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            request.Problem("invalid_message", "$", $"a message is a JSON object, not {Describe(root.ValueKind)}");
            return request;
        }
        foreach (var property in root.EnumerateObject())
        {
            switch (property.Name)
            {
                case "id":
                    if (property.Value.ValueKind is JsonValueKind.String or JsonValueKind.Number)
                    {
                        request.Id = property.Value.Clone();
                    }
                    else
                    {
                        request.Problem("invalid_message", "id", $"a string or a number, not {Describe(property.Value.ValueKind)}");
                    }
                    break;
                case "op":
                    request.Op = request.String(property, "op");
                    break;
                case "channel":
                    request.Channel = request.String(property, "channel");
                    break;
                case "symbol":
                    request.Symbol = request.String(property, "symbol");
                    break;
                case "accountId":
                    if (property.Value.ValueKind == JsonValueKind.Number && property.Value.TryGetInt64(out var account) && account > 0)
                    {
                        request.AccountId = account;
                    }
                    else
                    {
                        request.Problem("invalid_message", "accountId", $"a positive whole number, not {property.Value.GetRawText()}");
                    }
                    break;
                case "fromSequence":
                    if (property.Value.ValueKind == JsonValueKind.Number && property.Value.TryGetInt64(out var from) && from >= 0)
                    {
                        request.FromSequence = from;
                    }
                    else
                    {
                        request.Problem("invalid_message", "fromSequence", $"the last journal sequence you saw (0 or more), not {property.Value.GetRawText()}");
                    }
                    break;
                case "order":
                    request.Order = request.Object(property, "order", "the order, as the body of POST /api/v1/orders");
                    break;
                case "amend":
                    request.Amend = request.Object(property, "amend", "the changes, as the body of PATCH /api/v1/orders/{id}");
                    break;
                case "orderId":
                    if (property.Value.ValueKind == JsonValueKind.Number && property.Value.TryGetInt64(out var order) && order > 0)
                    {
                        request.OrderId = order;
                    }
                    else
                    {
                        request.Problem("invalid_message", "orderId", $"a positive whole number, not {property.Value.GetRawText()}");
                    }
                    break;
                case "idempotencyKey":
                    request.IdempotencyKey = request.String(property, "idempotencyKey");
                    break;
                default:
                    request.Problem("invalid_message", property.Name,
                        "unknown field (fields: op, channel, symbol, accountId, fromSequence, order, amend, orderId, idempotencyKey, id)");
                    break;
            }
        }
        request.CheckOp();
        return request;
    }

    private void CheckOp()
    {
        if (Op is null)
        {
            if (!Problems.Any(p => p.Field == "op"))
            {
                Problem("invalid_message", "op", $"required: {OpList}");
            }
            return;
        }
        if (Array.IndexOf(Ops, Op) < 0)
        {
            Problem("unknown_op", "op", $"unknown op '{Op}' (ops: {OpList})");
            return;
        }
        if (IsOrderEntry)
        {
            CheckOrderEntry();
            return;
        }
        foreach (var (field, present) in new[] { ("order", Order is not null), ("amend", Amend is not null), ("orderId", OrderId is not null),
                     ("idempotencyKey", IdempotencyKey is not null) })
        {
            if (present)
            {
                Problem("invalid_message", field, $"only for order entry (order.new, order.amend, order.cancel), not {Op}");
            }
        }
        if (Op == "ping")
        {
            return;
        }
        if (Channel is null)
        {
            if (!Problems.Any(p => p.Field == "channel"))
            {
                Problem("invalid_message", "channel", $"required: {string.Join(", ", StreamMessages.Channels)}");
            }
            return;
        }
        if (!StreamMessages.Channels.Contains(Channel))
        {
            Problem("unknown_channel", "channel", $"unknown channel '{Channel}' (channels: {string.Join(", ", StreamMessages.Channels)})");
            return;
        }
        if (Channel is StreamMessages.MarketData or StreamMessages.Trades)
        {
            if (Symbol is null && !Problems.Any(p => p.Field == "symbol"))
            {
                Problem("invalid_message", "symbol", $"required for {Channel}");
            }
            if (AccountId is not null)
            {
                Problem("invalid_message", "accountId", $"{Channel} is public market data, not per account");
            }
        }
        if (FromSequence is not null && (Channel != StreamMessages.OrderUpdates || Op != "subscribe"))
        {
            Problem("invalid_message", "fromSequence", "only for subscribing to order_updates (market data starts from a snapshot)");
        }
        if (StreamMessages.PerAccount(Channel) && Symbol is not null)
        {
            Problem("invalid_message", "symbol", Channel == StreamMessages.Portfolio
                ? "portfolio is per account (accountId), not per symbol"
                : $"{Channel} is per account (accountId, or none for all your accounts), not per symbol");
        }
        if (Channel == StreamMessages.Portfolio && AccountId is null && !Problems.Any(p => p.Field == "accountId"))
        {
            Problem("invalid_message", "accountId", "required for portfolio: one account per subscription");
        }
    }

    /// <summary>The order ops' own fields: what each needs, and nothing of the subscriptions'.</summary>
    private void CheckOrderEntry()
    {
        foreach (var (field, present) in new[] { ("channel", Channel is not null), ("symbol", Symbol is not null), ("accountId", AccountId is not null),
                     ("fromSequence", FromSequence is not null) })
        {
            if (present)
            {
                Problem("invalid_message", field, Op == OrderNew
                    ? $"not a field of {Op}: the order's own fields go inside \"order\""
                    : $"not a field of {Op}");
            }
        }
        void Needs(bool present, bool allowed, string field, string what)
        {
            if (allowed && !present && !Problems.Any(p => p.Field == field))
            {
                Problem("invalid_message", field, $"required for {Op}: {what}");
            }
            else if (!allowed && present)
            {
                Problem("invalid_message", field, $"not a field of {Op}");
            }
        }
        Needs(Order is not null, Op == OrderNew, "order", "the order, as the body of POST /api/v1/orders");
        Needs(Amend is not null, Op == OrderAmend, "amend", "the changes, as the body of PATCH /api/v1/orders/{id}");
        Needs(OrderId is not null, Op is OrderAmend or OrderCancel, "orderId", "the order's id");
        if (IdempotencyKey is not null && Op != OrderAmend)
        {
            Problem("invalid_message", "idempotencyKey", Op == OrderNew
                ? "not a field of order.new: a new order is made idempotent by its clientOrderId"
                : $"not a field of {Op}");
        }
    }

    private byte[]? Object(JsonProperty property, string field, string what)
    {
        if (property.Value.ValueKind == JsonValueKind.Object)
        {
            return System.Text.Encoding.UTF8.GetBytes(property.Value.GetRawText());
        }
        Problem("invalid_message", field, $"a JSON object ({what}), not {Describe(property.Value.ValueKind)}");
        return null;
    }

    private string? String(JsonProperty property, string field)
    {
        if (property.Value.ValueKind == JsonValueKind.String && property.Value.GetString() is { Length: > 0 and <= 64 } value)
        {
            return value;
        }
        Problem("invalid_message", field, $"a non-empty string of at most 64 characters, not {property.Value.GetRawText()}");
        return null;
    }

    private void Problem(string code, string field, string message)
    {
        // The code names the most specific kind of problem; invalid_message only when there is nothing more specific.
        if (Code is null or "invalid_message")
        {
            Code = code;
        }
        Problems.Add(new FieldProblem(field, message));
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => kind.ToString(),
    };
}
