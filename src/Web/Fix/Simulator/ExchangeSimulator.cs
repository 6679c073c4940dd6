using System.Globalization;
using System.Text;
using TradSys.Engine.Fix;
using TradSys.Web.Ordering;

namespace TradSys.Web.Fix.Simulator;

/// <summary>A message the simulator sends: to which session (the peer's comp id), its MsgType and its encoded body fields.</summary>
/// <param name="Owner">The peer comp id of the session it goes to.</param>
/// <param name="MsgType">8 (ExecutionReport) or 9 (OrderCancelReject).</param>
/// <param name="Body">The body fields, each ending with SOH (for <see cref="FixSession.Send(ReadOnlySpan{byte}, ReadOnlySpan{byte}, DateTime)"/>).</param>
public sealed record SimulatorMessage(string Owner, string MsgType, byte[] Body)
{
    /// <summary>The body parsed back into tag=value pairs (for tests and the log).</summary>
    public IReadOnlyDictionary<int, string> Fields()
    {
        var fields = new Dictionary<int, string>();
        foreach (var pair in Encoding.ASCII.GetString(Body).Split('\u0001', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            fields[int.Parse(pair.AsSpan(0, eq), CultureInfo.InvariantCulture)] = pair[(eq + 1)..];
        }

        return fields;
    }
}

/// <summary>
/// An exchange behind FIX 4.4, matching on the platform's own engine (<see cref="MatchingEngine"/>, one book per instrument of
/// the venue) with the venue's reference data: NewOrderSingle (D), OrderCancelRequest (F), OrderCancelReplaceRequest (G) and
/// OrderStatusRequest (H) in,
/// ExecutionReports (8) and OrderCancelRejects (9) out, for whichever session owns each order (a cross answers both sides).
/// Pure: no I/O and no clock (the time is passed in); not thread-safe (its host serialises <see cref="Handle"/>).
/// </summary>
/// <remarks>
/// What it keeps, per FIX 4.4 volume 4:
/// <list type="bullet">
/// <item>An order is validated like the platform's own (<see cref="OrderValidator"/>: lot, tick, daily price limits, type and time
/// in force) and refused with ExecType=8/OrdStatus=8, an OrdRejReason and a Text naming the problem and the venue's rule.</item>
/// <item>Accepted: ExecType=0 New. Each fill: ExecType=F Trade with LastPx/LastQty, OrdStatus 1 or 2, CumQty, LeavesQty and AvgPx
/// (the quantity-weighted average of the fills). An IOC, FOK or market remainder: ExecType=4 Canceled with LeavesQty 0.</item>
/// <item>Cancel: ExecType=4 Canceled, ClOrdID the request's, OrigClOrdID the order's. Replace: ExecType=5 Replaced with the new
/// price and quantity (then fills if it now crosses). An unknown order: OrderCancelReject with CxlRejReason 1; a finished order:
/// CxlRejReason 0 (too late); a replace the reference data refuses: CxlRejReason 99 with the reason.</item>
/// <item>OrderStatusRequest: ExecType=I with the order's OrdStatus, CumQty, LeavesQty and AvgPx; an unknown order: ExecType=I,
/// OrdStatus=8, OrdRejReason=5 (Unknown order).</item>
/// <item>OrderID and ExecID carry the venue and <c>runId</c> (the host's start time), so they are unique across runs too.</item>
/// <item>The market is always in continuous trading: the venue's session phases and auctions are not simulated yet.</item>
/// </list>
/// </remarks>
public sealed class ExchangeSimulator : IEngineEventSink
{
    private const int OrdRejReason = 103;
    private const int CxlRejReason = 102;
    private const int CxlRejResponseTo = 434;

    private readonly MatchingEngine engine;
    private readonly Dictionary<string, InstrumentSpec> bySymbol = new(StringComparer.Ordinal);
    private readonly Dictionary<long, SimulatedOrder> orders = [];
    private readonly Dictionary<(string Owner, string ClOrdId), long> byClOrdId = [];
    private readonly List<SimulatorMessage> outbox = [];
    private readonly string prefix;
    private readonly byte[] buffer = new byte[4096];
    private long nextOrderId = 1;
    private long nextExecId = 1;
    private DateTime now;
    private (long OrderId, string ClOrdId, string OrigClOrdId)? request;

    /// <summary>Creates the venue with its instruments.</summary>
    /// <param name="venue">The venue's code (EGX, ADX).</param>
    /// <param name="instruments">Its instruments; their ids are the engine's book indexes (0 to count-1).</param>
    /// <param name="runId">Distinguishes this run's OrderIDs and ExecIDs from an earlier run's (e.g. the start time).</param>
    public ExchangeSimulator(string venue, IReadOnlyList<InstrumentSpec> instruments, string runId)
    {
        ArgumentNullException.ThrowIfNull(instruments);
        Venue = venue;
        prefix = venue + "-" + runId + "-";
        engine = new MatchingEngine(this, Math.Max(1, instruments.Count));
        foreach (var spec in instruments)
        {
            engine.AddInstrument(spec.Id);
            bySymbol[spec.Symbol] = spec;
        }
    }

    /// <summary>The venue's code.</summary>
    public string Venue { get; }

    /// <summary>The venue's instruments by symbol.</summary>
    public IReadOnlyDictionary<string, InstrumentSpec> Instruments => bySymbol;

    /// <summary>Handles one application message from the session of <paramref name="owner"/> (the peer's comp id).</summary>
    /// <param name="owner">The peer comp id of the session it came on.</param>
    /// <param name="message">A valid D, F, G or H (the session validated it against the dictionary).</param>
    /// <param name="time">The time now, UTC.</param>
    /// <returns>What to send, to which session, in order.</returns>
    public IReadOnlyList<SimulatorMessage> Handle(string owner, FixMessage message, DateTime time)
    {
        ArgumentNullException.ThrowIfNull(message);
        outbox.Clear();
        now = time;
        switch (Encoding.ASCII.GetString(message.MsgType))
        {
            case "D":
                NewOrder(owner, message);
                break;
            case "F":
                Cancel(owner, message);
                break;
            case "G":
                Replace(owner, message);
                break;
            case "H":
                Status(owner, message);
                break;
            default:
                throw new ArgumentException("The simulator takes D, F, G and H (the session's AcceptedApplicationMessages keeps the others out).", nameof(message));
        }

        request = null;
        return [.. outbox];
    }

    private void NewOrder(string owner, FixMessage m)
    {
        var clOrdId = Text(m, FixTag.ClOrdId);
        var symbol = Text(m, FixTag.Symbol);
        var side = m.TryGetChar(FixTag.Side, out var s) ? s switch { '1' => Side.Buy, '2' => Side.Sell, _ => (Side)0 } : (Side)0;
        var draft = new SimulatedOrder(owner, clOrdId, symbol, side, Text(m, FixTag.Account));
        m.TryGetDecimal(FixTag.OrderQty, out var qty);
        draft.OrderQty = qty;
        draft.OrdType = m.TryGetChar(FixTag.OrdType, out var ot) ? ot : '2';
        if (m.TryGetDecimal(FixTag.Price, out var px))
        {
            draft.LimitPrice = px;
        }

        if (byClOrdId.ContainsKey((owner, clOrdId)))
        {
            Reject(draft, 6, $"ClOrdID {clOrdId} was already used on this session");
            return;
        }

        if (!bySymbol.TryGetValue(symbol, out var spec))
        {
            Reject(draft, 1, $"unknown symbol {symbol} on {Venue}");
            return;
        }

        draft.Spec = spec;
        if (side == 0)
        {
            Reject(draft, 11, "Side must be 1 (buy) or 2 (sell)");
            return;
        }

        OrderType type;
        switch (draft.OrdType)
        {
            case '1':
                type = OrderType.Market;
                break;
            case '2':
                type = OrderType.Limit;
                break;
            default:
                Reject(draft, 11, $"OrdType {draft.OrdType} is not supported (1 market, 2 limit)");
                return;
        }

        var tif = m.TryGetChar(FixTag.TimeInForce, out var t) ? t switch
        {
            '0' => TimeInForce.Day, '1' => TimeInForce.Gtc, '3' => TimeInForce.Ioc, '4' => TimeInForce.Fok, _ => (TimeInForce)0,
        } : TimeInForce.Day;
        if (tif == 0)
        {
            Reject(draft, 11, $"TimeInForce {t} is not supported (0 day, 1 GTC, 3 IOC, 4 FOK)");
            return;
        }

        if (!Quantity.TryFromDecimal(qty, out var quantity))
        {
            Reject(draft, 13, $"OrderQty {qty.ToString(CultureInfo.InvariantCulture)} is not a whole number of shares");
            return;
        }

        var price = default(Price);
        if (type == OrderType.Limit && draft.LimitPrice is { } limit && !Price.TryFromDecimal(limit, spec.PriceDecimals, out price))
        {
            Reject(draft, 99, $"the price {limit.ToString(CultureInfo.InvariantCulture)} is not on {Venue}'s tick of " +
                              TickText(spec, Price.FromDecimal(decimal.Round(limit, spec.PriceDecimals), spec.PriceDecimals)));
            return;
        }

        var orderId = nextOrderId++;
        var cmd = new SubmitOrder(orderId, spec.Id, 0, side, type, tif, price, quantity, now.Ticks);
        var code = OrderValidator.Validate(in cmd, spec, MarketPhase.Continuous);
        if (code != RejectCode.None)
        {
            Reject(draft, OrdRejReasonOf(code), Explain(code, spec, price, quantity));
            return;
        }

        draft.OrderId = orderId;
        orders[orderId] = draft;
        byClOrdId[(owner, clOrdId)] = orderId;
        engine.Submit(in cmd);
    }

    private void Cancel(string owner, FixMessage m)
    {
        var clOrdId = Text(m, FixTag.ClOrdId);
        var orig = Text(m, FixTag.OrigClOrdId);
        if (!Find(owner, m, orig, out var order))
        {
            CancelReject(owner, clOrdId, orig, null, '1', 1, $"unknown order {orig}");
            return;
        }

        if (order.IsDone)
        {
            CancelReject(owner, clOrdId, orig, order, '1', 0, "too late to cancel: the order is " + StatusText(order.OrdStatus));
            return;
        }

        request = (order.OrderId, clOrdId, order.ClOrdId);
        engine.Cancel(new CancelOrder(order.OrderId, now.Ticks));
    }

    private void Replace(string owner, FixMessage m)
    {
        var clOrdId = Text(m, FixTag.ClOrdId);
        var orig = Text(m, FixTag.OrigClOrdId);
        if (!Find(owner, m, orig, out var order))
        {
            CancelReject(owner, clOrdId, orig, null, '2', 1, $"unknown order {orig}");
            return;
        }

        if (order.IsDone)
        {
            CancelReject(owner, clOrdId, orig, order, '2', 0, "too late to replace: the order is " + StatusText(order.OrdStatus));
            return;
        }

        if (byClOrdId.ContainsKey((owner, clOrdId)))
        {
            CancelReject(owner, clOrdId, orig, order, '2', 6, $"ClOrdID {clOrdId} was already used on this session");
            return;
        }

        var spec = order.Spec!;
        m.TryGetDecimal(FixTag.OrderQty, out var qty);
        var newPrice = Price.Zero;
        if (order.OrdType == '2')
        {
            var limit = m.TryGetDecimal(FixTag.Price, out var px) ? px : order.LimitPrice ?? 0;
            if (!Price.TryFromDecimal(limit, spec.PriceDecimals, out newPrice))
            {
                CancelReject(owner, clOrdId, orig, order, '2', 99, $"the price {limit.ToString(CultureInfo.InvariantCulture)} is not on {Venue}'s tick of " +
                    TickText(spec, Price.FromDecimal(decimal.Round(limit, spec.PriceDecimals), spec.PriceDecimals)));
                return;
            }
        }

        if (!Quantity.TryFromDecimal(qty, out var quantity))
        {
            CancelReject(owner, clOrdId, orig, order, '2', 99, $"OrderQty {qty.ToString(CultureInfo.InvariantCulture)} is not a whole number of shares");
            return;
        }

        var code = OrderValidator.ValidateModify(newPrice, quantity, spec, MarketPhase.Continuous);
        if (code != RejectCode.None)
        {
            CancelReject(owner, clOrdId, orig, order, '2', 99, Explain(code, spec, newPrice, quantity));
            return;
        }

        request = (order.OrderId, clOrdId, order.ClOrdId);
        engine.Modify(new ModifyOrder(order.OrderId, newPrice, quantity, now.Ticks));
    }

    /// <summary>
    /// OrderStatusRequest (H): an ExecutionReport with ExecType I (Order Status) and the order as the venue has it now (OrdStatus,
    /// CumQty, LeavesQty, AvgPx), found by ClOrdID (any the order has had) or OrderID, on the requesting session's orders only. An
    /// order the venue does not know (never received, or rejected) gets ExecType I, OrdStatus 8 (Rejected), OrdRejReason 5
    /// (Unknown order) and OrderID NONE, as FIX 4.4 volume 4 has it.
    /// </summary>
    private void Status(string owner, FixMessage m)
    {
        var clOrdId = Text(m, FixTag.ClOrdId);
        if (Find(owner, m, clOrdId, out var order))
        {
            Report(order, 'I');
            return;
        }

        var side = m.TryGetChar(FixTag.Side, out var s) && s == '2' ? Side.Sell : Side.Buy;
        var unknown = new SimulatedOrder(owner, clOrdId, Text(m, FixTag.Symbol), side, "") { OrdStatus = '8' };
        Report(unknown, 'I', text: $"unknown order {clOrdId}", ordRejReason: 5);
    }

    private bool Find(string owner, FixMessage m, string origClOrdId, out SimulatedOrder order)
    {
        if (byClOrdId.TryGetValue((owner, origClOrdId), out var id) && orders.TryGetValue(id, out order!))
        {
            return true;
        }

        // OrderID (37) as the venue gave it, when the OrigClOrdID is not known here.
        var orderId = Text(m, FixTag.OrderId);
        if (orderId.StartsWith(prefix, StringComparison.Ordinal) &&
            long.TryParse(orderId.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out id) &&
            orders.TryGetValue(id, out order!) && order.Owner == owner)
        {
            return true;
        }

        order = null!;
        return false;
    }

    /// <inheritdoc/>
    public void On(in OrderAccepted e)
    {
        var order = orders[e.OrderId];
        order.OrdStatus = '0';
        order.LeavesQty = e.Quantity.Raw;
        Report(order, '0');
    }

    /// <inheritdoc/>
    public void On(in OrderRejected e)
    {
        var order = orders[e.OrderId];
        orders.Remove(e.OrderId);
        Reject(order, OrdRejReasonOf(e.Code), Explain(e.Code, order.Spec!, default, default));
    }

    /// <inheritdoc/>
    public void On(in TradeExecuted e)
    {
    }

    /// <inheritdoc/>
    public void On(in OrderFilled e)
    {
        var order = orders[e.OrderId];
        var spec = order.Spec!;
        var lastPx = e.Price.ToDecimal(spec.PriceDecimals);
        order.Notional += lastPx * e.Quantity.Raw;
        order.CumQty = e.CumulativeFilled.Raw;
        order.LeavesQty = e.Leaves.Raw;
        order.OrdStatus = e.Leaves.Raw == 0 ? '2' : '1';
        Report(order, 'F', lastQty: e.Quantity.Raw, lastPx: lastPx, tradeId: e.TradeId);
    }

    /// <inheritdoc/>
    public void On(in OrderCanceled e)
    {
        var order = orders[e.OrderId];
        order.LeavesQty = 0;
        string? clOrdId = null, origClOrdId = null;
        if (request is { } r && r.OrderId == e.OrderId)
        {
            (clOrdId, origClOrdId) = (r.ClOrdId, r.OrigClOrdId);
            byClOrdId[(order.Owner, r.ClOrdId)] = order.OrderId;
            order.ClOrdId = r.ClOrdId;
        }

        var expired = e.Reason == CancelReason.Expired;
        order.OrdStatus = expired ? 'C' : '4';
        Report(order, expired ? 'C' : '4', clOrdId: clOrdId, origClOrdId: origClOrdId,
            text: e.Reason == CancelReason.Requested ? null : "remainder canceled: " + e.Reason);
    }

    /// <inheritdoc/>
    public void On(in OrderModified e)
    {
        var order = orders[e.OrderId];
        var r = request!.Value;
        byClOrdId[(order.Owner, r.ClOrdId)] = order.OrderId;
        order.ClOrdId = r.ClOrdId;
        order.OrderQty = e.Quantity.Raw;
        order.LeavesQty = e.Leaves.Raw;
        if (order.OrdType == '2')
        {
            order.LimitPrice = e.Price.ToDecimal(order.Spec!.PriceDecimals);
        }

        order.OrdStatus = order.CumQty > 0 ? '1' : '0';
        Report(order, '5', clOrdId: r.ClOrdId, origClOrdId: r.OrigClOrdId);
    }

    /// <inheritdoc/>
    public void On(in ModifyRejected e)
    {
        var order = orders[e.OrderId];
        var r = request!.Value;
        CancelReject(order.Owner, r.ClOrdId, r.OrigClOrdId, order, '2', 99, Explain(e.Code, order.Spec!, default, default));
    }

    /// <inheritdoc/>
    public void On(in CancelRejected e)
    {
        var order = orders[e.OrderId];
        var r = request!.Value;
        CancelReject(order.Owner, r.ClOrdId, r.OrigClOrdId, order, '1', 1, Explain(e.Code, order.Spec!, default, default));
    }

    /// <inheritdoc/>
    public void On(in OrderTriggered e)
    {
    }

    private void Reject(SimulatedOrder order, int reason, string text)
    {
        order.OrdStatus = '8';
        order.LeavesQty = 0;
        Report(order, '8', text: text, ordRejReason: reason);
    }

    private void Report(SimulatedOrder order, char execType, decimal lastQty = 0, decimal lastPx = 0, long tradeId = 0, string? clOrdId = null,
        string? origClOrdId = null, string? text = null, int ordRejReason = -1)
    {
        var w = FixWriter.ForFields(buffer);
        w.Add(FixTag.OrderId, order.OrderId == 0 ? "NONE" : prefix + order.OrderId.ToString(CultureInfo.InvariantCulture));
        w.Add(FixTag.ClOrdId, clOrdId ?? order.ClOrdId);
        if (origClOrdId is not null)
        {
            w.Add(FixTag.OrigClOrdId, origClOrdId);
        }

        w.Add(FixTag.ExecId, prefix + "E" + (nextExecId++).ToString(CultureInfo.InvariantCulture));
        w.Add(FixTag.ExecType, execType);
        w.Add(FixTag.OrdStatus, order.OrdStatus);
        if (ordRejReason >= 0)
        {
            w.Add(OrdRejReason, ordRejReason);
        }

        if (order.Account.Length > 0)
        {
            w.Add(FixTag.Account, order.Account);
        }

        w.Add(FixTag.Symbol, order.Symbol);
        w.Add(FixTag.Side, order.Side == Side.Sell ? '2' : '1');
        if (order.OrdType != '\0')
        {
            // Not known for an order status request's unknown order.
            w.Add(FixTag.OrderQty, order.OrderQty);
            w.Add(FixTag.OrdType, order.OrdType);
        }
        if (order.OrdType == '2' && order.LimitPrice is { } price)
        {
            w.Add(FixTag.Price, price);
        }

        if (tradeId != 0)
        {
            w.Add(FixTag.LastQty, lastQty);
            w.Add(FixTag.LastPx, lastPx);
        }

        w.Add(FixTag.LeavesQty, order.LeavesQty);
        w.Add(FixTag.CumQty, order.CumQty);
        w.Add(FixTag.AvgPx, order.CumQty == 0 ? 0m : decimal.Round(order.Notional / order.CumQty, 6));
        w.AddUtcTimestamp(FixTag.TransactTime, now);
        if (text is not null)
        {
            w.Add(FixTag.Text, text);
        }

        outbox.Add(new SimulatorMessage(order.Owner, "8", buffer.AsSpan(0, w.Length).ToArray()));
    }

    private void CancelReject(string owner, string clOrdId, string origClOrdId, SimulatedOrder? order, char responseTo, int reason, string text)
    {
        var w = FixWriter.ForFields(buffer);
        w.Add(FixTag.OrderId, order is null ? "NONE" : prefix + order.OrderId.ToString(CultureInfo.InvariantCulture));
        w.Add(FixTag.ClOrdId, clOrdId);
        w.Add(FixTag.OrigClOrdId, origClOrdId);
        w.Add(FixTag.OrdStatus, order?.OrdStatus ?? '8');
        w.Add(CxlRejResponseTo, responseTo);
        w.Add(CxlRejReason, reason);
        w.AddUtcTimestamp(FixTag.TransactTime, now);
        w.Add(FixTag.Text, text);
        outbox.Add(new SimulatorMessage(owner, "9", buffer.AsSpan(0, w.Length).ToArray()));
    }

    /// <summary>FIX 4.4's OrdRejReason for the engine's code: 1 unknown symbol, 2 exchange closed, 3 exceeds limit, 11 unsupported characteristic, 13 quantity, else 99.</summary>
    private static int OrdRejReasonOf(RejectCode code) => code switch
    {
        RejectCode.UnknownInstrument => 1,
        RejectCode.SessionClosed or RejectCode.InstrumentNotTrading => 2,
        RejectCode.PriceOutsideDailyLimits => 3,
        RejectCode.NonPositiveQuantity or RejectCode.QuantityNotWholeLots or RejectCode.QuantityAboveMaximum => 13,
        RejectCode.InvalidOrderType or RejectCode.InvalidTimeInForce or RejectCode.LimitOrderNeedsPrice or RejectCode.MarketOrderHasPrice => 11,
        _ => 99,
    };

    /// <summary>The platform's words for the code, with the venue's rule where it is a tick, lot or limit.</summary>
    private string Explain(RejectCode code, InstrumentSpec spec, Price price, Quantity quantity)
    {
        var text = RejectReasons.Describe(code);
        return code switch
        {
            RejectCode.PriceOffTick => $"{text}: {Format(spec, price)} is not a multiple of {Venue}'s tick of {TickText(spec, price)}",
            RejectCode.QuantityNotWholeLots => $"{text}: {quantity.Raw.ToString(CultureInfo.InvariantCulture)} is not a multiple of {spec.Symbol}'s lot of {spec.LotSize.ToString(CultureInfo.InvariantCulture)}",
            RejectCode.PriceOutsideDailyLimits => $"{text}: {Format(spec, price)} is outside {Format(spec, spec.DailyBand().Low)} to {Format(spec, spec.DailyBand().High)}",
            _ => text,
        };
    }

    private static string TickText(InstrumentSpec spec, Price price) =>
        Format(spec, new Price(spec.Venue.Ticks.TickAt(price))) + " at that price";

    private static string Format(InstrumentSpec spec, Price price) => price.ToDecimal(spec.PriceDecimals).ToString(CultureInfo.InvariantCulture);

    private static string StatusText(char status) => status switch
    {
        '2' => "filled",
        '4' => "canceled",
        '8' => "rejected",
        'C' => "expired",
        _ => "done",
    };

    private static string Text(FixMessage m, int tag) => m.TryGetSpan(tag, out var span) ? Encoding.ASCII.GetString(span) : "";

    /// <summary>An order as the venue knows it: who owns it, its current ClOrdID, and the FIX figures its reports carry.</summary>
    private sealed class SimulatedOrder(string owner, string clOrdId, string symbol, Side side, string account)
    {
        public string Owner { get; } = owner;

        public string ClOrdId { get; set; } = clOrdId;

        public string Symbol { get; } = symbol;

        public Side Side { get; } = side;

        public string Account { get; } = account;

        public long OrderId { get; set; }

        public InstrumentSpec? Spec { get; set; }

        public char OrdType { get; set; }

        public decimal? LimitPrice { get; set; }

        public decimal OrderQty { get; set; }

        public decimal CumQty { get; set; }

        public decimal LeavesQty { get; set; }

        public decimal Notional { get; set; }

        public char OrdStatus { get; set; }

        public bool IsDone => OrdStatus is '2' or '4' or '8' or 'C';
    }
}
