using System.Globalization;
using System.Text;
using TradSys.Engine.Fix;

namespace TradSys.Web.Fix.Venues;

/// <summary>
/// The FIX 4.4 messages of a venue route, pure (no I/O, time passed in): a platform order to NewOrderSingle (35=D), a cancel to
/// OrderCancelRequest (35=F), an amendment to OrderCancelReplaceRequest (35=G), a status query to OrderStatusRequest (35=H), and
/// an ExecutionReport (35=8) or OrderCancelReject (35=9) back to a <see cref="VenueExecution"/>.
///
/// ClOrdID: <c>TS{orderId}</c> for the order, <c>TS{orderId}-C{n}</c> / <c>-R{n}</c> for its n-th cancel or replace. Made from the
/// platform's durable order id, so a resend carries the same id, and every answer names the platform order it is about.
/// </summary>
public static class FixVenueMessages
{
    private const string Prefix = "TS";
    private const int ExpireTime = 126;
    private const int OrdRejReason = 103;
    private const int CxlRejReason = 102;

    /// <summary>The most a message's body takes here (fields only; the session adds the header).</summary>
    public const int MaxBody = 512;

    /// <summary>The ClOrdID of a platform order.</summary>
    public static string ClOrdIdOf(long orderId) => Prefix + orderId.ToString(CultureInfo.InvariantCulture);

    /// <summary>The ClOrdID of the <paramref name="n"/>-th cancel of an order.</summary>
    public static string CancelClOrdIdOf(long orderId, int n) => ClOrdIdOf(orderId) + "-C" + n.ToString(CultureInfo.InvariantCulture);

    /// <summary>The ClOrdID of the <paramref name="n"/>-th replace of an order.</summary>
    public static string ReplaceClOrdIdOf(long orderId, int n) => ClOrdIdOf(orderId) + "-R" + n.ToString(CultureInfo.InvariantCulture);

    /// <summary>The platform order a ClOrdID made by this class names; false for any other id.</summary>
    public static bool TryParseOrderId(string clOrdId, out long orderId)
    {
        orderId = 0;
        if (clOrdId is null || !clOrdId.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }
        var digits = clOrdId.AsSpan(Prefix.Length);
        var dash = digits.IndexOf('-');
        if (dash >= 0)
        {
            digits = digits[..dash];
        }
        return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out orderId) && orderId > 0;
    }

    /// <summary>Encodes a NewOrderSingle's body; returns its length.</summary>
    /// <exception cref="ArgumentException">The order's type or time in force has no venue mapping (the route stage refuses those first).</exception>
    public static int NewOrderSingle(VenueOrder order, VenueRoute route, DateTime transactTime, Span<byte> body)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(route);
        var w = FixWriter.ForFields(body);
        w.Add(FixTag.ClOrdId, ClOrdIdOf(order.OrderId));
        w.Add(FixTag.Account, route.Account ?? order.AccountId.ToString(CultureInfo.InvariantCulture));
        w.Add(FixTag.HandlInst, '1');
        Instrument(ref w, order, route);
        w.Add(FixTag.Side, SideOf(order.Side));
        w.AddUtcTimestamp(FixTag.TransactTime, transactTime);
        w.Add(FixTag.OrderQty, order.Quantity);
        Terms(ref w, order);
        return w.Length;
    }

    /// <summary>
    /// Encodes an OrderCancelRequest's body for the whole remaining quantity: <paramref name="origClOrdId"/> is the id the venue knows
    /// the order by now (its last confirmed replace's, or the order's own); returns its length.
    /// </summary>
    public static int OrderCancelRequest(VenueOrder order, string clOrdId, string origClOrdId, string? venueOrderId, VenueRoute route, DateTime transactTime,
        Span<byte> body)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(route);
        var w = FixWriter.ForFields(body);
        w.Add(FixTag.OrigClOrdId, origClOrdId);
        w.Add(FixTag.ClOrdId, clOrdId);
        if (venueOrderId is not null)
        {
            w.Add(FixTag.OrderId, venueOrderId);
        }
        w.Add(FixTag.Account, route.Account ?? order.AccountId.ToString(CultureInfo.InvariantCulture));
        Instrument(ref w, order, route);
        w.Add(FixTag.Side, SideOf(order.Side));
        w.AddUtcTimestamp(FixTag.TransactTime, transactTime);
        w.Add(FixTag.OrderQty, order.Quantity);
        return w.Length;
    }

    /// <summary>
    /// Encodes an OrderCancelReplaceRequest's body: <paramref name="amended"/> carries the new price and total quantity,
    /// <paramref name="origClOrdId"/> the id the order is known by now; returns its length.
    /// </summary>
    public static int OrderCancelReplaceRequest(VenueOrder amended, string clOrdId, string origClOrdId, string? venueOrderId, VenueRoute route,
        DateTime transactTime, Span<byte> body)
    {
        ArgumentNullException.ThrowIfNull(amended);
        ArgumentNullException.ThrowIfNull(route);
        var w = FixWriter.ForFields(body);
        if (venueOrderId is not null)
        {
            w.Add(FixTag.OrderId, venueOrderId);
        }
        w.Add(FixTag.OrigClOrdId, origClOrdId);
        w.Add(FixTag.ClOrdId, clOrdId);
        w.Add(FixTag.Account, route.Account ?? amended.AccountId.ToString(CultureInfo.InvariantCulture));
        w.Add(FixTag.HandlInst, '1');
        Instrument(ref w, amended, route);
        w.Add(FixTag.Side, SideOf(amended.Side));
        w.AddUtcTimestamp(FixTag.TransactTime, transactTime);
        w.Add(FixTag.OrderQty, amended.Quantity);
        Terms(ref w, amended);
        return w.Length;
    }

    /// <summary>
    /// Encodes an OrderStatusRequest's body (reconciliation asks the venue where an order is): <paramref name="clOrdId"/> is the id the
    /// venue knows the order by now (its last confirmed replace's, or the order's own); returns its length.
    /// </summary>
    public static int OrderStatusRequest(VenueOrder order, string clOrdId, string? venueOrderId, VenueRoute route, Span<byte> body)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(route);
        var w = FixWriter.ForFields(body);
        if (venueOrderId is not null)
        {
            w.Add(FixTag.OrderId, venueOrderId);
        }
        w.Add(FixTag.ClOrdId, clOrdId);
        Instrument(ref w, order, route);
        w.Add(FixTag.Side, SideOf(order.Side));
        return w.Length;
    }

    /// <summary>True for the order types and times in force a route sends (market and limit; DAY, GTC, IOC, FOK, GTD).</summary>
    public static bool CanRoute(OrderType type, TimeInForce timeInForce) =>
        type is OrderType.Limit or OrderType.Market && timeInForce is TimeInForce.Day or TimeInForce.Gtc or TimeInForce.Ioc or TimeInForce.Fok or TimeInForce.Gtd;

    /// <summary>
    /// Reads an ExecutionReport (35=8) or OrderCancelReject (35=9); false, with the problem in words, for any other message or a
    /// report missing a field the platform needs (ClOrdID, OrdStatus; ExecID and ExecType on a report; LastQty and LastPx on a fill).
    /// </summary>
    public static bool TryReadExecution(string session, FixMessage message, out VenueExecution? execution, out string problem)
    {
        ArgumentNullException.ThrowIfNull(message);
        execution = null;
        var msgType = message.MsgType;
        var isReport = msgType is [(byte)'8'];
        var isCancelReject = msgType is [(byte)'9'];
        if (!isReport && !isCancelReject)
        {
            problem = $"MsgType {Encoding.ASCII.GetString(msgType)} is not an ExecutionReport (8) or OrderCancelReject (9)";
            return false;
        }
        var missing = new List<string>();
        var clOrdId = Text(message, FixTag.ClOrdId);
        if (clOrdId is null)
        {
            missing.Add("ClOrdID (11)");
        }
        if (!message.TryGetChar(FixTag.OrdStatus, out var ordStatus))
        {
            missing.Add("OrdStatus (39)");
        }
        var execId = Text(message, FixTag.ExecId);
        var execType = '\0';
        decimal lastQty = 0, lastPx = 0, cumQty = 0, leavesQty = 0;
        if (isReport)
        {
            if (execId is null)
            {
                missing.Add("ExecID (17)");
            }
            if (!message.TryGetChar(FixTag.ExecType, out execType))
            {
                missing.Add("ExecType (150)");
            }
            message.TryGetDecimal(FixTag.CumQty, out cumQty);
            message.TryGetDecimal(FixTag.LeavesQty, out leavesQty);
            if (execType == 'F')
            {
                if (!message.TryGetDecimal(FixTag.LastQty, out lastQty))
                {
                    missing.Add("LastQty (32)");
                }
                if (!message.TryGetDecimal(FixTag.LastPx, out lastPx))
                {
                    missing.Add("LastPx (31)");
                }
            }
        }
        if (missing.Count > 0)
        {
            problem = $"{(isReport ? "ExecutionReport" : "OrderCancelReject")} without {string.Join(", ", missing)}";
            return false;
        }
        decimal? orderQty = isReport && message.TryGetDecimal(FixTag.OrderQty, out var q) ? q : null;
        decimal? price = isReport && message.TryGetDecimal(FixTag.Price, out var p) ? p : null;
        decimal? avgPx = isReport && message.TryGetDecimal(FixTag.AvgPx, out var a) ? a : null;
        int? rejectReason = message.TryGetInt(isReport ? OrdRejReason : CxlRejReason, out var r) ? r : null;
        execution = new VenueExecution(session, isCancelReject, execId ?? "", clOrdId!, Text(message, FixTag.OrigClOrdId), Text(message, FixTag.OrderId),
            execType, StateOf(ordStatus), lastQty, lastPx, cumQty, leavesQty, message.IsYes(FixTag.PossDupFlag), Text(message, FixTag.Text), orderQty, price,
            avgPx, rejectReason);
        problem = "";
        return true;
    }

    /// <summary>OrdStatus (39) in the platform's words.</summary>
    public static VenueOrderState StateOf(char ordStatus) => ordStatus switch
    {
        '0' => VenueOrderState.New,
        '1' => VenueOrderState.PartiallyFilled,
        '2' => VenueOrderState.Filled,
        '4' => VenueOrderState.Canceled,
        '5' => VenueOrderState.Replaced,
        '6' => VenueOrderState.PendingCancel,
        '8' => VenueOrderState.Rejected,
        'A' => VenueOrderState.PendingNew,
        'C' => VenueOrderState.Expired,
        'E' => VenueOrderState.PendingReplace,
        _ => VenueOrderState.Other,
    };

    /// <summary>
    /// The order's type, its limit price when it has one, its time in force and a GTD order's ExpireTime (126, required by FIX 4.4
    /// with TimeInForce 6): the terms a new order and a replace both state.
    /// </summary>
    private static void Terms(ref FixWriter w, VenueOrder order)
    {
        w.Add(FixTag.OrdType, OrdTypeOf(order.Type));
        if (order.Type == OrderType.Limit)
        {
            w.Add(FixTag.Price, order.Price ?? throw new ArgumentException($"limit order {order.OrderId} has no price", nameof(order)));
        }
        w.Add(FixTag.TimeInForce, TimeInForceOf(order.TimeInForce));
        if (order.TimeInForce == TimeInForce.Gtd)
        {
            w.AddUtcTimestamp(ExpireTime, order.ExpireAt ?? throw new ArgumentException($"GTD order {order.OrderId} has no expiry", nameof(order)));
        }
    }

    private static void Instrument(ref FixWriter w, VenueOrder order, VenueRoute route)
    {
        w.Add(FixTag.Symbol, order.Symbol);
        if (route.InstrumentId == VenueInstrumentId.Isin)
        {
            w.Add(FixTag.SecurityId, order.Isin);
            w.Add(FixTag.SecurityIdSource, '4');
        }
    }

    private static char SideOf(Side side) => side switch
    {
        Side.Buy => '1',
        Side.Sell => '2',
        _ => throw new ArgumentOutOfRangeException(nameof(side), side, "no FIX side"),
    };

    private static char OrdTypeOf(OrderType type) => type switch
    {
        OrderType.Market => '1',
        OrderType.Limit => '2',
        _ => throw new ArgumentException($"a venue route takes market and limit orders, not {type}", nameof(type)),
    };

    private static char TimeInForceOf(TimeInForce timeInForce) => timeInForce switch
    {
        TimeInForce.Day => '0',
        TimeInForce.Gtc => '1',
        TimeInForce.Ioc => '3',
        TimeInForce.Fok => '4',
        TimeInForce.Gtd => '6',
        _ => throw new ArgumentException($"no FIX TimeInForce for {timeInForce}", nameof(timeInForce)),
    };

    private static string? Text(FixMessage message, int tag) =>
        message.TryGetSpan(tag, out var value) && value.Length > 0 ? Encoding.ASCII.GetString(value) : null;
}
