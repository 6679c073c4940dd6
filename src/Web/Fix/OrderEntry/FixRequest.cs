using System.Globalization;
using System.Text;
using TradSys.Engine.Fix;

namespace TradSys.Web.Fix.OrderEntry;

/// <summary>
/// What is wrong with a client's order message, answered before it reaches the order path: a session Reject (35=3) with
/// <paramref name="Reason"/> and the tag at fault in RefTagID, or, when <paramref name="Business"/>, a BusinessMessageReject
/// (35=j) 5, conditionally required field missing, naming the tag.
/// </summary>
internal sealed record FixRequestProblem(bool Business, FixSessionRejectReason Reason, int Tag, string Text);

/// <summary>
/// A client's NewOrderSingle (D), OrderCancelRequest (F), OrderCancelReplaceRequest (G), OrderStatusRequest (H), OrderMassCancelRequest (q) or
/// OrderMassStatusRequest (AF, its MassStatusReqID in <see cref="ClOrdId"/>), parsed
/// out of the message (which is only valid during the session's delivery) after the data dictionary checked its tags and
/// formats: the order path's terms, or the first problem found.
/// </summary>
internal sealed record FixRequest(string MsgType, string ClOrdId)
{
    private const long MaxQuantity = 1_000_000_000_000;
    private const int ExpireTime = 126;
    private const int ExpireDate = 432;
    private const int MaxFloor = 111;

    public string? OrigClOrdId { get; init; }

    public string? OrderId { get; init; }

    public string? Account { get; init; }

    public string? Symbol { get; init; }

    public Side Side { get; init; }

    public OrderType Type { get; init; }

    public TimeInForce TimeInForce { get; init; } = TimeInForce.Day;

    public long Quantity { get; init; }

    public decimal Price { get; init; }

    public decimal StopPrice { get; init; }

    public long DisplayQuantity { get; init; }

    /// <summary>A GTD order's expiry, UTC ticks (0: none).</summary>
    public long ExpireAt { get; init; }

    /// <summary>OrderMassCancelRequest's MassCancelRequestType (530).</summary>
    public char MassCancelType { get; init; }

    /// <summary>The request's MsgSeqNum (for a BusinessMessageReject's RefSeqNum; set for OrderMassStatusRequest).</summary>
    public int MsgSeqNum { get; init; }

    /// <summary>OrderMassStatusRequest's MassStatusReqType (585).</summary>
    public int MassStatusType { get; init; }

    /// <summary>OrderMassStatusRequest without Side (54): orders of both sides.</summary>
    public bool BothSides { get; init; }

    /// <summary>OrderMassStatusRequest's SecurityID (48), when it names the security that way.</summary>
    public string? SecurityId { get; init; }

    /// <summary>OrderStatusRequest's OrdStatusReqID (790), echoed on its answer.</summary>
    public string? StatusReqId { get; init; }

    /// <summary>
    /// OrderMassStatusRequest's selecting field for MassStatusReqType 2-5 (Product 460, CFICode 461, SecurityType 167,
    /// TradingSessionID 336), as given.
    /// </summary>
    public string? Selector { get; init; }

    /// <summary>OrderMassStatusRequest's UnderlyingSymbol (311), for MassStatusReqType 6.</summary>
    public string? UnderlyingSymbol { get; init; }

    /// <summary>OrderMassStatusRequest's UnderlyingSecurityID (309) and its source (305), for MassStatusReqType 6.</summary>
    public (string Id, string? Source)? UnderlyingSecurityId { get; init; }

    /// <summary>OrderMassStatusRequest's first PartyID (448).</summary>
    public string? PartyId { get; init; }

    /// <summary>The request in <paramref name="message"/>, or null with the problem.</summary>
    public static FixRequest? Parse(FixMessage message, out FixRequestProblem? problem)
    {
        var msgType = Encoding.ASCII.GetString(message.MsgType);
        problem = null;
        string? Text(int tag) => message.TryGetSpan(tag, out var v) ? Encoding.ASCII.GetString(v) : null;
        if (msgType == "AF")
        {
            // OrderMassStatusRequest: MassStatusReqID stands where the other requests' ClOrdID does (it is echoed on every answer).
            var reqId = Text(FixTag.MassStatusReqId) ?? "";
            if (!ValidId(reqId))
            {
                problem = Value(FixTag.MassStatusReqId, "MassStatusReqID must be 1-64 characters of letters, digits and . _ : -");
                return null;
            }

            message.TryGetInt(FixTag.MassStatusReqType, out var scope);
            char? statusSide = null;
            if (message.TryGetChar(FixTag.Side, out var wanted))
            {
                if (wanted is not ('1' or '2'))
                {
                    problem = Value(FixTag.Side, $"Side {wanted} is not supported: 1 (Buy) or 2 (Sell), or leave it out for both");
                    return null;
                }

                statusSide = wanted;
            }

            return new FixRequest(msgType, reqId)
            {
                MsgSeqNum = message.TryGetInt(FixTag.MsgSeqNum, out var seq) ? seq : 0,
                Account = Text(FixTag.Account), Symbol = Text(FixTag.Symbol), SecurityId = Text(FixTag.SecurityId), PartyId = Text(FixTag.PartyId),
                MassStatusType = scope, Side = statusSide == '2' ? Side.Sell : Side.Buy, BothSides = statusSide is null,
                Selector = scope switch
                {
                    2 => Text(FixTag.Product), 3 => Text(FixTag.CfiCode), 4 => Text(FixTag.SecurityType), 5 => Text(FixTag.TradingSessionId), _ => null,
                },
                UnderlyingSymbol = Text(FixTag.UnderlyingSymbol),
                UnderlyingSecurityId = Text(FixTag.UnderlyingSecurityId) is { } underlying ? (underlying, Text(FixTag.UnderlyingSecurityIdSource)) : null,
            };
        }

        var clOrdId = Text(FixTag.ClOrdId) ?? "";
        if (!ValidId(clOrdId))
        {
            problem = Value(FixTag.ClOrdId, "ClOrdID must be 1-64 characters of letters, digits and . _ : - (it is the order's client order id)");
            return null;
        }

        var request = new FixRequest(msgType, clOrdId)
        {
            OrderId = Text(FixTag.OrderId), Account = Text(FixTag.Account), Symbol = Text(FixTag.Symbol), StatusReqId = Text(790),
        };
        if (msgType == "q")
        {
            message.TryGetChar(FixTag.MassCancelRequestType, out var massType);
            if (massType == '1' && request.Symbol is null)
            {
                problem = Missing(FixTag.Symbol, "Symbol is required with MassCancelRequestType 1 (cancel orders for a security)");
                return null;
            }

            return request with { MassCancelType = massType };
        }

        if (msgType is "F" or "G")
        {
            var orig = Text(FixTag.OrigClOrdId) ?? "";
            if (!ValidId(orig))
            {
                problem = Value(FixTag.OrigClOrdId, "OrigClOrdID must be 1-64 characters of letters, digits and . _ : -");
                return null;
            }

            if (orig == clOrdId)
            {
                problem = Value(FixTag.ClOrdId, "ClOrdID must differ from OrigClOrdID: a cancel or replace takes a new ClOrdID");
                return null;
            }

            request = request with { OrigClOrdId = orig };
        }

        message.TryGetChar(FixTag.Side, out var side);
        if (side is not ('1' or '2'))
        {
            problem = Value(FixTag.Side, $"Side {side} is not supported: 1 (Buy) or 2 (Sell)");
            return null;
        }

        request = request with { Side = side == '1' ? Side.Buy : Side.Sell };
        if (msgType is "F" or "H")
        {
            return request;
        }

        if (msgType == "D" && request.Symbol is null)
        {
            problem = Missing(FixTag.Symbol, "Symbol is required: the instrument's symbol, as GET /api/v1/instruments lists it");
            return null;
        }

        if (message.Has(FixTag.CashOrderQty))
        {
            problem = Value(FixTag.CashOrderQty, "CashOrderQty is not supported: give OrderQty (38), a number of shares");
            return null;
        }

        if (!message.TryGetDecimal(FixTag.OrderQty, out var quantity))
        {
            problem = Missing(FixTag.OrderQty, "OrderQty is required");
            return null;
        }

        if (quantity <= 0 || quantity != decimal.Truncate(quantity) || quantity > MaxQuantity)
        {
            problem = Value(FixTag.OrderQty, $"OrderQty must be a whole number of shares from 1 to {MaxQuantity.ToString(CultureInfo.InvariantCulture)}; got {quantity.ToString(CultureInfo.InvariantCulture)}");
            return null;
        }

        message.TryGetChar(FixTag.OrdType, out var ordType);
        OrderType? type = ordType switch
        {
            '1' => OrderType.Market, '2' => OrderType.Limit, '3' => OrderType.Stop, '4' => OrderType.StopLimit, _ => null,
        };
        if (type is null)
        {
            problem = Value(FixTag.OrdType, $"OrdType {ordType} is not supported: 1 (Market), 2 (Limit), 3 (Stop) or 4 (Stop limit)");
            return null;
        }

        var takesPrice = type is OrderType.Limit or OrderType.StopLimit;
        var takesStop = type is OrderType.Stop or OrderType.StopLimit;
        var hasPrice = message.TryGetDecimal(FixTag.Price, out var price);
        var hasStop = message.TryGetDecimal(FixTag.StopPx, out var stop);
        if (takesPrice && !hasPrice)
        {
            problem = Missing(FixTag.Price, $"Price is required for OrdType {ordType}");
            return null;
        }

        if (!takesPrice && hasPrice)
        {
            problem = Value(FixTag.Price, $"OrdType {ordType} takes no Price; leave it out");
            return null;
        }

        if (takesStop && !hasStop)
        {
            problem = Missing(FixTag.StopPx, $"StopPx is required for OrdType {ordType}");
            return null;
        }

        if (!takesStop && hasStop)
        {
            problem = Value(FixTag.StopPx, $"OrdType {ordType} takes no StopPx; leave it out");
            return null;
        }

        if ((hasPrice && price <= 0) || (hasStop && stop <= 0))
        {
            problem = Value(hasPrice && price <= 0 ? FixTag.Price : FixTag.StopPx, "a price must be positive");
            return null;
        }

        var tif = TimeInForce.Day;
        if (message.TryGetChar(FixTag.TimeInForce, out var tifChar))
        {
            TimeInForce? parsed = tifChar switch
            {
                '0' => TimeInForce.Day, '1' => TimeInForce.Gtc, '3' => TimeInForce.Ioc, '4' => TimeInForce.Fok, '6' => TimeInForce.Gtd, _ => null,
            };
            if (parsed is null)
            {
                problem = Value(FixTag.TimeInForce, $"TimeInForce {tifChar} is not supported: 0 (Day), 1 (GTC), 3 (IOC), 4 (FOK) or 6 (GTD)");
                return null;
            }

            tif = parsed.Value;
        }

        if (type == OrderType.Market && tif is TimeInForce.Gtc or TimeInForce.Gtd)
        {
            problem = Value(FixTag.TimeInForce, "a market order executes at once: TimeInForce 0 (Day), 3 (IOC) or 4 (FOK)");
            return null;
        }

        if (message.Has(ExpireDate))
        {
            problem = Value(ExpireDate, "ExpireDate is not supported: give ExpireTime (126), UTC");
            return null;
        }

        long expireAt = 0;
        var hasExpiry = message.TryGetUtcTimestamp(ExpireTime, out var expiry);
        if (tif == TimeInForce.Gtd && !hasExpiry)
        {
            problem = Missing(ExpireTime, "ExpireTime is required for TimeInForce 6 (GTD)");
            return null;
        }

        if (tif != TimeInForce.Gtd && hasExpiry)
        {
            problem = Value(ExpireTime, "ExpireTime is only for TimeInForce 6 (GTD)");
            return null;
        }

        if (hasExpiry)
        {
            expireAt = DateTime.SpecifyKind(expiry, DateTimeKind.Utc).Ticks;
        }

        long display = 0;
        if (message.TryGetDecimal(MaxFloor, out var floor))
        {
            if (floor <= 0 || floor != decimal.Truncate(floor) || floor > quantity)
            {
                problem = Value(MaxFloor, "MaxFloor must be a whole number of shares from 1 to OrderQty");
                return null;
            }

            display = (long)floor;
        }

        return request with
        {
            Type = type.Value, TimeInForce = tif, Quantity = (long)quantity, Price = hasPrice ? price : 0, StopPrice = hasStop ? stop : 0,
            ExpireAt = expireAt, DisplayQuantity = display,
        };
    }

    private static bool ValidId(string id) =>
        id.Length is > 0 and <= 64 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or ':' or '-');

    private static FixRequestProblem Value(int tag, string text) => new(false, FixSessionRejectReason.ValueIsIncorrect, tag, text);

    private static FixRequestProblem Missing(int tag, string text) => new(true, FixSessionRejectReason.RequiredTagMissing, tag, text);
}
