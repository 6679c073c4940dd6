using Microsoft.EntityFrameworkCore;
using TradSys.Web.Fix.Venues;
using TradSys.Web.Persistence;
using TradSys.Web.Persistence.Entities;
using TradSys.Web.ReferenceData;

namespace TradSys.Web.Ordering;

/// <summary>
/// Applies exchanges' reports on routed orders inside the single writer (<see cref="VenueExecutionCommand"/>): a fill becomes the
/// order's fill and a trade (against the venue: the other side's order and account are 0) through the same journal recorder as
/// the engine's, so positions, cash, order updates and reports see it like an internal trade; New, Canceled, Expired and
/// Rejected change the order's state. Each (session, ExecID) is applied once: the ones applied are kept in
/// <c>venue_executions</c>, written in the batch's transaction (<see cref="Stage"/>) and loaded again at recovery, so a venue's
/// resend (PossDup) changes nothing, also after a restart. Only the writer's thread touches it.
/// </summary>
internal sealed class VenueExecutions(OrderBooks books, ReferenceDataCache referenceData, ILogger log)
{
    private readonly HashSet<(string Session, string ExecId)> _applied = [];
    private readonly HashSet<(string Session, string ExecId)> _batchApplied = [];
    private readonly List<VenueExecutionRecord> _staged = [];
    private readonly Dictionary<long, OrderRecord> _open = [];

    /// <summary>Routed orders not yet final (pending new or working at the venue).</summary>
    public int OpenCount => _open.Count;

    /// <summary>A newly routed order: the venue's reports on it are applied from now on.</summary>
    public void Track(OrderRecord order) => _open[order.Id] = order;

    /// <summary>A routed order not yet final (pending new or working at the venue); null for any other.</summary>
    public OrderRecord? Open(long orderId) => _open.GetValueOrDefault(orderId);

    public SequencerResult Apply(VenueExecutionCommand command, WriterBatch batch)
    {
        var e = command.Execution;
        if (!TryFind(e.Session, e.ClOrdId, e.OrigClOrdId, out var order))
        {
            var known = !e.IsCancelReject && (_applied.Contains((e.Session, e.ExecId)) || _batchApplied.Contains((e.Session, e.ExecId)));
            if (known)
            {
                return new SequencerResult(SequencerOutcome.VenueExecutionDuplicate, null, []);
            }
            log.LogWarning("FIX session {Session}: report {ExecId} ({State}) for ClOrdID {ClOrdId} names no open order routed on this session; not applied",
                e.Session, e.ExecId, e.State, e.ClOrdId);
            return new SequencerResult(SequencerOutcome.VenueExecutionIgnored, null, []);
        }
        var route = referenceData.Get(order.Symbol).VenueRow.Code;
        if (e.IsCancelReject)
        {
            // Applied once: it answers the request the order waits for, which it then no longer does; a resend finds nothing pending.
            if (order.VenuePendingClOrdId != e.ClOrdId)
            {
                log.LogWarning("FIX session {Session}: OrderCancelReject for ClOrdID {ClOrdId} of order {OrderId}, which waits for {Pending}; not applied",
                    e.Session, e.ClOrdId, order.Id, order.VenuePendingClOrdId ?? "no request");
                return new SequencerResult(SequencerOutcome.VenueExecutionDuplicate, order.Snapshot(), []);
            }
            var what = order.VenuePending == Stages.RouteStage.PendingCancel ? "cancel" : "replace";
            ClearPending(order);
            books.Recorder.RecordVenueRequest(order, OrderEventKind.CancelRejected,
                $"{route} refused the {what} {e.ClOrdId}" + (e.Text is null ? "" : $": {e.Text}") + "; the order keeps its terms", batch.Timestamp);
            batch.Record(command.Actor, "order.venue_cancel_rejected", $"order/{order.Id}", new { venue = route, request = what, e.ClOrdId, state = e.State.ToString(), e.Text });
            return new SequencerResult(SequencerOutcome.VenueExecutionApplied, order.Snapshot(), []);
        }
        var key = (e.Session, e.ExecId);
        if (_applied.Contains(key) || !_batchApplied.Add(key))
        {
            return new SequencerResult(SequencerOutcome.VenueExecutionDuplicate, order.Snapshot(), []);
        }

        var instrument = referenceData.Get(order.Symbol);
        var timestamp = batch.Timestamp;
        var recorder = books.Recorder;
        // The recorder's handlers find the order among the live ones (a routed order is never in the engine's book).
        recorder.Live[order.Id] = order;
        order.VenueOrderId ??= e.VenueOrderId;
        long? tradeId = null;
        if (e.IsFill)
        {
            if (!Price.TryFromDecimal(e.LastPrice, instrument.Decimals, out var price) || e.LastQuantity != decimal.Truncate(e.LastQuantity))
            {
                _batchApplied.Remove(key);
                log.LogError("FIX session {Session}: fill {ExecId} of order {OrderId} at {LastPx} x {LastQty} does not fit {Symbol} ({Decimals} price decimals, whole shares); not applied",
                    e.Session, e.ExecId, order.Id, e.LastPrice, e.LastQuantity, order.Symbol, instrument.Decimals);
                return new SequencerResult(SequencerOutcome.VenueExecutionIgnored, order.Snapshot(), []);
            }
            var quantity = (long)e.LastQuantity;
            var cumulative = order.FilledQuantity + quantity;
            var leaves = e.State == VenueOrderState.Filled ? 0 : Math.Max(0, order.Quantity - cumulative);
            tradeId = books.Engine.ReserveTradeId();
            var buy = order.Side == Side.Buy;
            recorder.On(new TradeExecuted(tradeId.Value, instrument.Spec.Id, price, new Quantity(quantity), buy ? order.Id : TradeRecord.VenueSide,
                buy ? TradeRecord.VenueSide : order.Id, buy ? order.AccountId : TradeRecord.VenueSide, buy ? TradeRecord.VenueSide : order.AccountId, order.Side, timestamp));
            recorder.On(new OrderFilled(order.Id, tradeId.Value, price, new Quantity(quantity), new Quantity(cumulative), new Quantity(leaves), true, timestamp));
        }
        else if (e.ExecType == '5' || e.State == VenueOrderState.Replaced)
        {
            if (!ApplyReplaced(order, e, route, instrument, timestamp))
            {
                _batchApplied.Remove(key);
                return new SequencerResult(SequencerOutcome.VenueExecutionIgnored, order.Snapshot(), []);
            }
        }
        else
        {
            switch (e.State)
            {
                case VenueOrderState.New when order.Status == OrderStatus.New:
                    recorder.On(new OrderAccepted(order.Id, instrument.Spec.Id, order.AccountId, order.Side, order.Type, default, new Quantity(order.Quantity), timestamp));
                    break;
                case VenueOrderState.Canceled or VenueOrderState.Expired when order.Status is not (OrderStatus.Filled or OrderStatus.Canceled or OrderStatus.Rejected):
                    // The answer to the trader's own cancel is a cancel on request; any other is the venue's, with its reason.
                    var requested = e.State == VenueOrderState.Canceled && order.VenuePending == Stages.RouteStage.PendingCancel && e.ClOrdId == order.VenuePendingClOrdId;
                    recorder.CancelReasonOverride = requested ? null
                        : e.State == VenueOrderState.Expired
                        ? $"expired at {route}" + (e.Text is null ? "" : $": {e.Text}")
                        : $"canceled by {route}" + (e.Text is null ? "" : $": {e.Text}");
                    try
                    {
                        recorder.On(new OrderCanceled(order.Id, new Quantity(order.LeavesQuantity),
                            e.State == VenueOrderState.Expired ? CancelReason.Expired : CancelReason.Requested, timestamp));
                    }
                    finally
                    {
                        recorder.CancelReasonOverride = null;
                    }
                    break;
                case VenueOrderState.Rejected when order.Status == OrderStatus.New:
                    recorder.RecordHostRejection(order, RejectCode.VenueRejected, $"{route} rejected the order" + (e.Text is null ? "" : $": {e.Text}"), timestamp);
                    break;
                default:
                    // Pending states and replaces (amends are not routed yet) are recorded below, not applied.
                    break;
            }
        }
        if (order.Status is OrderStatus.Filled or OrderStatus.Canceled or OrderStatus.Rejected)
        {
            // Nothing waits for an answer on a finished order (a venue's late refusal of a cancel finds it closed and is logged).
            ClearPending(order);
            _open.Remove(order.Id);
        }
        _staged.Add(new VenueExecutionRecord
        {
            Session = e.Session, ExecId = e.ExecId, OrderId = order.Id, ExecType = e.ExecType.ToString(), OrderState = e.State.ToString(),
            LastQuantity = e.IsFill ? (long)e.LastQuantity : 0, LastPrice = e.IsFill ? e.LastPrice : null, TradeId = tradeId,
            Text = e.Text is { Length: > 512 } t ? t[..512] : e.Text, AppliedAt = batch.Now,
        });
        return new SequencerResult(SequencerOutcome.VenueExecutionApplied, order.Snapshot(), [.. recorder.CommandTrades]);
    }

    /// <summary>
    /// A Replaced report (ExecType 5): the order takes the new price and total quantity (the report's Price and OrderQty, else the
    /// pending request's) and is known by the report's ClOrdID from now on. False when the terms do not fit the instrument.
    /// </summary>
    private bool ApplyReplaced(OrderRecord order, VenueExecution e, string route, TradableInstrument instrument, long timestamp)
    {
        var quantity = e.OrderQuantity ?? order.VenuePendingQuantity ?? order.Quantity;
        var limit = order.Type == OrderType.Limit ? e.Price ?? order.VenuePendingPrice ?? order.Price : null;
        var price = default(Price);
        if (quantity != decimal.Truncate(quantity) || quantity <= 0 || (limit is { } l && !Price.TryFromDecimal(l, instrument.Decimals, out price)))
        {
            log.LogError("FIX session {Session}: replace {ExecId} of order {OrderId} to {Price} x {Quantity} does not fit {Symbol}; not applied",
                e.Session, e.ExecId, order.Id, limit, quantity, order.Symbol);
            return false;
        }
        if (order.Status is OrderStatus.Filled or OrderStatus.Canceled or OrderStatus.Rejected)
        {
            return true;
        }
        var total = (long)quantity;
        if (limit is null && order.Price is { } current)
        {
            Price.TryFromDecimal(current, instrument.Decimals, out price);
        }
        books.Recorder.On(new OrderModified(order.Id, price, new Quantity(total), new Quantity(Math.Max(0, total - order.FilledQuantity)), true, timestamp));
        if (limit is null)
        {
            order.Price = null;
        }
        books.Recorder.Events[^1].Reason = $"replaced at {route} as ClOrdID {e.ClOrdId}: price {order.Price?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "market"}, quantity {total}";
        order.VenueClOrdId = e.ClOrdId;
        if (order.VenuePendingClOrdId == e.ClOrdId || order.VenuePending == Stages.RouteStage.PendingReplace)
        {
            ClearPending(order);
        }
        return true;
    }

    private static void ClearPending(OrderRecord order)
    {
        order.VenuePending = null;
        order.VenuePendingClOrdId = null;
        order.VenuePendingPrice = null;
        order.VenuePendingQuantity = null;
    }

    /// <summary>
    /// A routed order's NewOrderSingle could not be sent: rejected, unless the venue has answered for it meanwhile. A cancel or
    /// replace that could not be sent: the order stops waiting for it, and its journal says why.
    /// </summary>
    public SequencerResult SendFailed(VenueSendFailedCommand command, WriterBatch batch)
    {
        if (command.RequestClOrdId is { } request)
        {
            if (!_open.TryGetValue(command.OrderId, out var pending) || pending.VenuePendingClOrdId != request)
            {
                return new SequencerResult(SequencerOutcome.VenueExecutionIgnored, pending?.Snapshot(), []);
            }
            ClearPending(pending);
            books.Recorder.RecordVenueRequest(pending, OrderEventKind.CancelRejected, command.Reason, batch.Timestamp);
            batch.Record(command.Actor, "order.venue_request_not_sent", $"order/{pending.Id}", new { clOrdId = request, reason = command.Reason });
            return new SequencerResult(SequencerOutcome.VenueExecutionApplied, pending.Snapshot(), []);
        }
        if (!_open.TryGetValue(command.OrderId, out var order) || order.Status != OrderStatus.New)
        {
            return new SequencerResult(SequencerOutcome.VenueExecutionIgnored, order?.Snapshot(), []);
        }
        books.Recorder.Live[order.Id] = order;
        books.Recorder.RecordHostRejection(order, RejectCode.VenueUnavailable, command.Reason, batch.Timestamp);
        _open.Remove(order.Id);
        return new SequencerResult(SequencerOutcome.VenueExecutionApplied, order.Snapshot(), []);
    }

    /// <summary>The batch's applied reports, added to the commit's transaction.</summary>
    public void Stage(TradSysDbContext db)
    {
        if (_staged.Count > 0)
        {
            db.VenueExecutions.AddRange(_staged);
        }
    }

    /// <summary>After the commit: the batch's ExecIDs count as applied.</summary>
    public void Committed()
    {
        _applied.UnionWith(_batchApplied);
        _batchApplied.Clear();
        _staged.Clear();
    }

    /// <summary>
    /// Loads what was committed: the ExecIDs applied and the routed orders still open (pending new or working at the venue). At
    /// start-up and after a failed commit (the batch's own changes are forgotten with it).
    /// </summary>
    public async Task LoadAsync(TradSysDbContext db, CancellationToken cancellationToken)
    {
        _batchApplied.Clear();
        _staged.Clear();
        _applied.Clear();
        _open.Clear();
        foreach (var x in await db.VenueExecutions.AsNoTracking().Select(x => new { x.Session, x.ExecId }).ToListAsync(cancellationToken))
        {
            _applied.Add((x.Session, x.ExecId));
        }
        var open = await db.Orders.AsNoTracking()
            .Where(o => o.RoutedSession != null && (o.Status == OrderStatus.New || o.Status == OrderStatus.Accepted || o.Status == OrderStatus.PartiallyFilled))
            .ToListAsync(cancellationToken);
        foreach (var order in open)
        {
            _open[order.Id] = order;
        }
    }

    private bool TryFind(string session, string clOrdId, string? origClOrdId, out OrderRecord order)
    {
        order = null!;
        return (FixVenueMessages.TryParseOrderId(clOrdId, out var id) || (origClOrdId is not null && FixVenueMessages.TryParseOrderId(origClOrdId, out id)))
            && _open.TryGetValue(id, out order!) && string.Equals(order.RoutedSession, session, StringComparison.Ordinal);
    }
}
