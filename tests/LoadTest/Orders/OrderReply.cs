using System.Text;
using System.Text.Json;

namespace TradSys.LoadTest.Orders;

/// <summary>An order's status as the API names it.</summary>
public enum ReplyStatus
{
    Unknown,
    New,
    Accepted,
    PartiallyFilled,
    Filled,
    Canceled,
    Rejected,
    PendingReview,
}

/// <summary>One trade in an order reply. A trader sees only their own side's order id: the other is null.</summary>
public readonly record struct ReplyTrade(long TradeId, decimal Price, long Quantity, long? BuyOrderId, long? SellOrderId, string AggressorSide);

/// <summary>
/// The parts of an order reply (POST, PATCH, DELETE /api/v1/orders...) the tool needs, read with
/// <see cref="Utf8JsonReader"/> straight from the response bytes; the rule decision and the rest are skipped. One
/// instance per connection, overwritten by each parse.
/// </summary>
public sealed class OrderReply
{
    public long OrderId { get; private set; }

    public long AccountId { get; private set; }

    public decimal? Price { get; private set; }

    public long Quantity { get; private set; }

    public long FilledQuantity { get; private set; }

    public long LeavesQuantity { get; private set; }

    public ReplyStatus Status { get; private set; }

    public int? RejectCode { get; private set; }

    /// <summary>Whether the reply's clientOrderId, symbol and side were those expected (true when none was expected or the reply has none).</summary>
    public bool EchoMatches { get; private set; }

    public List<ReplyTrade> Trades { get; } = [];

    public static ReplyStatus ParseStatus(ReadOnlySpan<byte> utf8) => utf8 switch
    {
        _ when utf8.SequenceEqual("Accepted"u8) => ReplyStatus.Accepted,
        _ when utf8.SequenceEqual("PartiallyFilled"u8) => ReplyStatus.PartiallyFilled,
        _ when utf8.SequenceEqual("Filled"u8) => ReplyStatus.Filled,
        _ when utf8.SequenceEqual("Canceled"u8) => ReplyStatus.Canceled,
        _ when utf8.SequenceEqual("Rejected"u8) => ReplyStatus.Rejected,
        _ when utf8.SequenceEqual("PendingReview"u8) => ReplyStatus.PendingReview,
        _ when utf8.SequenceEqual("New"u8) => ReplyStatus.New,
        _ => ReplyStatus.Unknown,
    };

    /// <summary>Whether an order with this status is still working (in the book, or waiting to be).</summary>
    public static bool IsWorking(ReplyStatus status) => status is ReplyStatus.Accepted or ReplyStatus.PartiallyFilled or ReplyStatus.New;

    /// <summary>Reads a reply; false (and the fields undefined) if it is not an order object with an orderId.</summary>
    /// <param name="json">The response body.</param>
    /// <param name="expectedClientOrderId">When given, <see cref="EchoMatches"/> says whether the reply carries it.</param>
    /// <param name="expectedSymbol">Likewise for the symbol.</param>
    /// <param name="expectedSide">Likewise for the side ("Buy" or "Sell").</param>
    public bool TryParse(ReadOnlySpan<byte> json, string? expectedClientOrderId = null, string? expectedSymbol = null, string? expectedSide = null)
    {
        OrderId = 0;
        AccountId = 0;
        Price = null;
        Quantity = FilledQuantity = LeavesQuantity = 0;
        Status = ReplyStatus.Unknown;
        RejectCode = null;
        EchoMatches = true;
        Trades.Clear();
        var sawId = false;
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("orderId"u8))
                {
                    reader.Read();
                    OrderId = reader.GetInt64();
                    sawId = true;
                }
                else if (reader.ValueTextEquals("accountId"u8))
                {
                    reader.Read();
                    AccountId = reader.TokenType == JsonTokenType.Null ? 0 : reader.GetInt64();
                }
                else if (reader.ValueTextEquals("clientOrderId"u8))
                {
                    reader.Read();
                    EchoMatches &= expectedClientOrderId is null || reader.TokenType != JsonTokenType.String || reader.ValueTextEquals(expectedClientOrderId);
                }
                else if (reader.ValueTextEquals("symbol"u8))
                {
                    reader.Read();
                    EchoMatches &= expectedSymbol is null || reader.TokenType != JsonTokenType.String || reader.ValueTextEquals(expectedSymbol);
                }
                else if (reader.ValueTextEquals("side"u8))
                {
                    reader.Read();
                    EchoMatches &= expectedSide is null || reader.TokenType != JsonTokenType.String || reader.ValueTextEquals(expectedSide);
                }
                else if (reader.ValueTextEquals("price"u8))
                {
                    reader.Read();
                    Price = reader.TokenType == JsonTokenType.Null ? null : reader.GetDecimal();
                }
                else if (reader.ValueTextEquals("quantity"u8))
                {
                    reader.Read();
                    Quantity = reader.GetInt64();
                }
                else if (reader.ValueTextEquals("filledQuantity"u8))
                {
                    reader.Read();
                    FilledQuantity = reader.GetInt64();
                }
                else if (reader.ValueTextEquals("leavesQuantity"u8))
                {
                    reader.Read();
                    LeavesQuantity = reader.GetInt64();
                }
                else if (reader.ValueTextEquals("status"u8))
                {
                    reader.Read();
                    Status = reader.TokenType == JsonTokenType.String ? ParseStatus(reader.ValueSpan) : ReplyStatus.Unknown;
                }
                else if (reader.ValueTextEquals("rejectCode"u8))
                {
                    reader.Read();
                    RejectCode = reader.TokenType == JsonTokenType.Null ? null : reader.GetInt32();
                }
                else if (reader.ValueTextEquals("trades"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.StartArray)
                    {
                        ReadTrades(ref reader);
                    }
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
        catch (FormatException)
        {
            return false;
        }
        return sawId;
    }

    private void ReadTrades(ref Utf8JsonReader reader)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            long tradeId = 0, quantity = 0;
            decimal price = 0;
            long? buy = null, sell = null;
            var aggressor = "";
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("tradeId"u8))
                {
                    reader.Read();
                    tradeId = reader.GetInt64();
                }
                else if (reader.ValueTextEquals("price"u8))
                {
                    reader.Read();
                    price = reader.GetDecimal();
                }
                else if (reader.ValueTextEquals("quantity"u8))
                {
                    reader.Read();
                    quantity = reader.GetInt64();
                }
                else if (reader.ValueTextEquals("buyOrderId"u8))
                {
                    reader.Read();
                    buy = reader.TokenType == JsonTokenType.Null ? null : reader.GetInt64();
                }
                else if (reader.ValueTextEquals("sellOrderId"u8))
                {
                    reader.Read();
                    sell = reader.TokenType == JsonTokenType.Null ? null : reader.GetInt64();
                }
                else if (reader.ValueTextEquals("aggressorSide"u8))
                {
                    reader.Read();
                    aggressor = reader.ValueTextEquals("Buy"u8) ? "Buy" : reader.ValueTextEquals("Sell"u8) ? "Sell" : reader.GetString() ?? "";
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
            Trades.Add(new ReplyTrade(tradeId, price, quantity, buy, sell, aggressor));
        }
    }
}

/// <summary>The title and detail of an RFC 7807 problem reply, for the report.</summary>
public static class ProblemText
{
    /// <summary>"title: detail" of a problem body (at most 300 characters), or the start of whatever the body is.</summary>
    public static string Describe(ReadOnlySpan<byte> body)
    {
        string? title = null, detail = null;
        try
        {
            var reader = new Utf8JsonReader(body);
            if (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("title"u8))
                    {
                        reader.Read();
                        title = reader.GetString();
                    }
                    else if (reader.ValueTextEquals("detail"u8))
                    {
                        reader.Read();
                        detail = reader.GetString();
                    }
                    else
                    {
                        reader.Read();
                        reader.Skip();
                    }
                }
            }
        }
        catch (JsonException)
        {
        }
        catch (InvalidOperationException)
        {
        }
        var text = title is null && detail is null
            ? (body.IsEmpty ? "(empty body)" : Encoding.UTF8.GetString(body[..Math.Min(body.Length, 300)]))
            : detail is null ? title! : title is null ? detail : $"{title}: {detail}";
        return text.Length > 300 ? text[..300] : text;
    }

    /// <summary>
    /// The order's state a 409 problem carries (<c>orderId</c>, <c>orderStatus</c>, <c>filledQuantity</c>): the platform's answer to an amend
    /// or cancel of an order that is no longer working. False when the body is not such a problem.
    /// </summary>
    public static bool TryReadOrderState(ReadOnlySpan<byte> body, out long orderId, out string status, out long filledQuantity)
    {
        orderId = 0;
        status = "";
        filledQuantity = 0;
        bool hasId = false, hasStatus = false, hasFilled = false;
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("orderId"u8) && reader.Read() && reader.TokenType == JsonTokenType.Number)
                {
                    hasId = reader.TryGetInt64(out orderId);
                }
                else if (reader.ValueTextEquals("orderStatus"u8) && reader.Read() && reader.TokenType == JsonTokenType.String)
                {
                    status = reader.GetString() ?? "";
                    hasStatus = status.Length > 0;
                }
                else if (reader.ValueTextEquals("filledQuantity"u8) && reader.Read() && reader.TokenType == JsonTokenType.Number)
                {
                    hasFilled = reader.TryGetInt64(out filledQuantity);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
        return hasId && hasStatus && hasFilled;
    }

    /// <summary>The text with every run of digits replaced by N, so that the same reason about different orders counts once.</summary>
    public static string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(text.Length);
        var inDigits = false;
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c))
            {
                if (!inDigits)
                {
                    builder.Append('N');
                }
                inDigits = true;
            }
            else
            {
                builder.Append(c);
                inDigits = false;
            }
        }
        return builder.ToString();
    }
}
