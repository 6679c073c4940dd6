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

    /// <summary>The routed orders not yet final of the accounts (of one symbol only, when given), oldest first.</summary>
    public IReadOnlyList<OrderRecord> OpenOf(IReadOnlyCollection<long> accountIds, string? symbol) =>
        [.. _open.Values.Where(o => accountIds.Contains(o.AccountId) && (symbol is null || o.Symbol == symbol)).OrderBy(o => o.Id)];

    /// <summary>The routed orders not yet final on a session, oldest first (what reconciliation asks the venue about).</summary>
    public IReadOnlyList<OrderRecord> OpenOn(string session) =>
        [.. _open.Values.Where(o => string.Equals(o.RoutedSession, session, StringComparison.Ordinal)).OrderBy(o => o.Id)];

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
            if (what == "replace")
            {
                // The amendment was not carried out after all: its key goes, so the same amendment sent again is a new request.
                order.AmendKey = null;
            }
            ClearPending(order);
            books.Recorder.RecordVenueRequest(order, OrderEventKind.CancelRejected,
                $"{route} refused the {what} {e.ClOrdId}" + (e.Text is null ? "" : $": {e.Text}") + "; the order keeps its terms", batch.Timestamp);
            // The venue's CxlRejReason, for a FIX client whose cancel or replace this answers (FixOrderEntry relays it).
            books.Recorder.Events[^1].ReasonCode = e.RejectReason;
            batch.Record(command.Actor, "order.venue_cancel_rejected", $"order/{order.Id}", new { venue = route, request = what, e.ClOrdId, state = e.State.ToString(), e.Text });
            return new SequencerResult(SequencerOutcome.VenueExecutionApplied, order.Snapshot(), []);
        }
        if (e.IsStatus)
        {
            // ExecIDs of status reports need not be unique (FIX 4.2 sent 0): reconciliation is idempotent by the figures instead.
            return Reconcile(command, order, route, batch);
        }
        var key = (e.Session, e.ExecId);
        if (_applied.Contains(key) || !_batchApplied.Add(key))
        {
            return new SequencerResult(SequencerOutcome.VenueExecutionDuplicate, order.Snapshot(), []);
        }
        if (e.IsFill && e.CumQuantity > 0 && e.CumQuantity <= order.FilledQuantity)
        {
            // A fill the order's booked quantity already covers: reconciliation booked it from a status report before this report
            // (sent late, or resent under a new ExecID) came in. Kept as applied so its ExecID stays a duplicate; no second fill.
            log.LogWarning("FIX session {Session}: fill {ExecId} of order {OrderId} (CumQty {CumQty}) is already booked ({Filled} filled); not booked again",
                e.Session, e.ExecId, order.Id, e.CumQuantity, order.FilledQuantity);
            _staged.Add(new VenueExecutionRecord
            {
                Session = e.Session, ExecId = e.ExecId, OrderId = order.Id, ExecType = e.ExecType.ToString(), OrderState = e.State.ToString(),
                Text = $"not booked: CumQty {e.CumQuantity} was already booked (reconciliation)", AppliedAt = batch.Now,
            });
            return new SequencerResult(SequencerOutcome.VenueExecutionDuplicate, order.Snapshot(), []);
        }

        var instrument = referenceData.Get(order.Symbol);
        var timestamp = batch.Timestamp;
        var recorder = books.Recorder;
        // The recorder's handlers find the order among the live ones (a routed order is never in the engine's book).
        recorder.Live[order.Id] = order;
        order.VenueOrderId ??= e.VenueOrderId;
        long? tradeId = null;
        long booked = 0;
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
            if (e.CumQuantity > 0 && order.FilledQuantity + quantity > e.CumQuantity && e.CumQuantity == decimal.Truncate(e.CumQuantity))
            {
                // Part of this fill was booked already by reconciliation (from a status report's CumQty): only the rest is new.
                log.LogWarning("FIX session {Session}: fill {ExecId} of order {OrderId} ({LastQty}, CumQty {CumQty}) is partly booked ({Filled} filled); booking {Rest}",
                    e.Session, e.ExecId, order.Id, e.LastQuantity, e.CumQuantity, order.FilledQuantity, (long)e.CumQuantity - order.FilledQuantity);
                quantity = (long)e.CumQuantity - order.FilledQuantity;
            }
            tradeId = BookFill(order, instrument, price, quantity, e.State, timestamp);
            booked = quantity;
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
            LastQuantity = e.IsFill ? booked : 0, LastPrice = e.IsFill ? e.LastPrice : null, TradeId = tradeId,
            Text = e.Text is { Length: > 512 } t ? t[..512] : e.Text, AppliedAt = batch.Now,
        });
        return new SequencerResult(SequencerOutcome.VenueExecutionApplied, order.Snapshot(), [.. recorder.CommandTrades]);
    }

    /// <summary>
    /// An Order Status report (ExecType I), the venue's answer to reconciliation's OrderStatusRequest: the order is brought to what
    /// the venue says, each correction journalled with its reason and audited (<c>order.venue_reconciled</c>).
    /// <list type="bullet">
    /// <item>Unknown at the venue (OrdStatus 8, e.g. OrdRejReason 5): a pending-new order never reached it and is rejected; a working
    /// one is canceled; both say why.</item>
    /// <item>Acknowledged while the platform did not see it: accepted. A replace the venue carried out: its new terms.</item>
    /// <item>CumQty above the quantity booked: the difference is booked as one fill at the price that makes the booked average equal
    /// AvgPx (rounded to the instrument's decimals), a trade like any other. Idempotent by the figures: a second answer finds nothing
    /// missing, and a late Trade report whose CumQty is covered is not booked (<see cref="Apply"/>).</item>
    /// <item>Canceled or expired at the venue: canceled here, with the venue's reason. A cancel or replace the venue never took (the
    /// order is working there under another ClOrdID): the order stops waiting for it, saying so.</item>
    /// </list>
    /// </summary>
    /// <summary>
    /// Books <paramref name="quantity"/> of a routed order done at its venue at <paramref name="price"/>: a trade against the venue's
    /// side and the order's fill (leaves 0 once the venue says Filled). Returns the trade's id.
    /// </summary>
    private long BookFill(OrderRecord order, TradableInstrument instrument, Price price, long quantity, VenueOrderState state, long timestamp)
    {
        var recorder = books.Recorder;
        var cumulative = order.FilledQuantity + quantity;
        var leaves = state == VenueOrderState.Filled ? 0 : Math.Max(0, order.Quantity - cumulative);
        var tradeId = books.Engine.ReserveTradeId();
        var buy = order.Side == Side.Buy;
        recorder.On(new TradeExecuted(tradeId, instrument.Spec.Id, price, new Quantity(quantity), buy ? order.Id : TradeRecord.VenueSide,
            buy ? TradeRecord.VenueSide : order.Id, buy ? order.AccountId : TradeRecord.VenueSide, buy ? TradeRecord.VenueSide : order.AccountId, order.Side, timestamp));
        recorder.On(new OrderFilled(order.Id, tradeId, price, new Quantity(quantity), new Quantity(cumulative), new Quantity(leaves), true, timestamp));
        return tradeId;
    }

    private SequencerResult Reconcile(VenueExecutionCommand command, OrderRecord order, string route, WriterBatch batch)
    {
        var e = command.Execution;
        var instrument = referenceData.Get(order.Symbol);
        var timestamp = batch.Timestamp;
        var recorder = books.Recorder;
        recorder.Live[order.Id] = order;
        var corrections = new List<string>();
        long? tradeId = null;
        long missed = 0;
        decimal? missedPrice = null;
        if (e.State == VenueOrderState.Rejected)
        {
            var why = $"{route} does not have the order: its order status request for ClOrdID {e.ClOrdId} was answered Rejected" +
                      (e.RejectReason == VenueExecution.UnknownOrder ? " (unknown order)" : e.RejectReason is { } r ? $" (OrdRejReason {r})" : "") +
                      (e.Text is null ? "" : $": {e.Text}");
            if (order.Status == OrderStatus.New)
            {
                recorder.RecordHostRejection(order, RejectCode.VenueRejected, $"closed by reconciliation: {why}; it never reached the venue", timestamp);
                corrections.Add("rejected: never reached the venue");
            }
            else
            {
                CancelWithReason(order, $"closed by reconciliation: {why}; its remaining {order.LeavesQuantity} no longer work there", CancelReason.Requested, timestamp);
                corrections.Add($"canceled: the venue no longer has it ({order.FilledQuantity} filled stays booked)");
            }
        }
        else
        {
            if (e.VenueOrderId is { } venueOrderId && venueOrderId != "NONE")
            {
                order.VenueOrderId ??= venueOrderId;
            }
            if (order.Status == OrderStatus.New && e.State != VenueOrderState.PendingNew)
            {
                recorder.On(new OrderAccepted(order.Id, instrument.Spec.Id, order.AccountId, order.Side, order.Type, default, new Quantity(order.Quantity), timestamp));
                recorder.Events[^1].Reason = $"accepted at {route} (found by reconciliation)";
                corrections.Add("accepted");
            }
            if (order.VenuePending == Stages.RouteStage.PendingReplace && e.ClOrdId == order.VenuePendingClOrdId)
            {
                if (!ApplyReplaced(order, e, route, instrument, timestamp))
                {
                    return new SequencerResult(SequencerOutcome.VenueExecutionIgnored, order.Snapshot(), []);
                }
                recorder.Events[^1].Reason += " (found by reconciliation)";
                corrections.Add($"replaced as {e.ClOrdId}");
            }
            if (e.CumQuantity != decimal.Truncate(e.CumQuantity))
            {
                log.LogError("FIX session {Session}: status of order {OrderId} has CumQty {CumQty}, not whole shares; its fills are not reconciled",
                    e.Session, order.Id, e.CumQuantity);
            }
            else if ((long)e.CumQuantity > order.FilledQuantity)
            {
                missed = (long)e.CumQuantity - order.FilledQuantity;
                if (e.AveragePrice is not { } average || average <= 0)
                {
                    log.LogError("FIX session {Session}: status of order {OrderId} says {CumQty} filled ({Filled} booked) without an AvgPx; the missing {Missed} are not booked",
                        e.Session, order.Id, e.CumQuantity, order.FilledQuantity, missed);
                    return new SequencerResult(SequencerOutcome.VenueExecutionIgnored, order.Snapshot(), []);
                }
                var exact = (average * e.CumQuantity - order.FilledNotional) / missed;
                if (!Price.TryFromDecimal(decimal.Round(exact, instrument.Decimals, MidpointRounding.ToEven), instrument.Decimals, out var price) || price.Raw <= 0)
                {
                    log.LogError("FIX session {Session}: status of order {OrderId} (CumQty {CumQty}, AvgPx {AvgPx}) gives the missing fill a price of {Price}; not booked",
                        e.Session, order.Id, e.CumQuantity, average, exact);
                    return new SequencerResult(SequencerOutcome.VenueExecutionIgnored, order.Snapshot(), []);
                }
                missedPrice = price.ToDecimal(instrument.Decimals);
                var bookedBefore = order.FilledQuantity;
                tradeId = BookFill(order, instrument, price, missed, e.State, timestamp);
                recorder.Events[^1].Reason = $"fill found by reconciliation: {route} reports {e.CumQuantity} filled at an average of {average}, " +
                                             $"{bookedBefore} were booked; the missing {missed} booked at {missedPrice.Value.ToString("0.00##########", System.Globalization.CultureInfo.InvariantCulture)}" +
                                             (exact == missedPrice ? "" : $" (exactly {decimal.Round(exact, 8)}, rounded to {instrument.Decimals} decimals)");
                corrections.Add($"fill of {missed} at {missedPrice.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)} booked");
            }
            else if ((long)e.CumQuantity < order.FilledQuantity)
            {
                log.LogError("FIX session {Session}: {Venue} reports {CumQty} of order {OrderId} filled, fewer than the {Filled} booked; left as booked for review",
                    e.Session, route, e.CumQuantity, order.Id, order.FilledQuantity);
            }
            if (e.State is VenueOrderState.Canceled or VenueOrderState.Expired && order.Status is not (OrderStatus.Filled or OrderStatus.Canceled or OrderStatus.Rejected))
            {
                var requested = e.State == VenueOrderState.Canceled && order.VenuePending == Stages.RouteStage.PendingCancel && e.ClOrdId == order.VenuePendingClOrdId;
                var state = e.State == VenueOrderState.Expired ? "expired" : "canceled";
                CancelWithReason(order, requested ? null : $"{state} at {route} (found by reconciliation)" + (e.Text is null ? "" : $": {e.Text}"),
                    e.State == VenueOrderState.Expired ? CancelReason.Expired : CancelReason.Requested, timestamp);
                corrections.Add(requested ? "canceled on request" : state + " at the venue");
            }
            if (order.VenuePending is { } pending && order.IsWorking && e.ClOrdId != order.VenuePendingClOrdId)
            {
                var what = pending == Stages.RouteStage.PendingCancel ? "cancel" : "replace";
                var request = order.VenuePendingClOrdId;
                ClearPending(order);
                recorder.RecordVenueRequest(order, OrderEventKind.CancelRejected,
                    $"the {what} {request} did not reach {route}: reconciliation found the order working there as ClOrdID {e.ClOrdId}; send it again", timestamp);
                corrections.Add($"the {what} {request} was never taken");
            }
        }
        if (corrections.Count == 0)
        {
            return new SequencerResult(SequencerOutcome.VenueStatusMatched, order.Snapshot(), []);
        }
        if (order.Status is OrderStatus.Filled or OrderStatus.Canceled or OrderStatus.Rejected)
        {
            ClearPending(order);
            _open.Remove(order.Id);
        }
        batch.Record(command.Actor, "order.venue_reconciled", $"order/{order.Id}", new
        {
            venue = route, e.ClOrdId, venueState = e.State.ToString(), cumQty = e.CumQuantity, avgPx = e.AveragePrice, e.RejectReason, e.Text,
            corrections, status = order.Status.ToString(), order.FilledQuantity,
        });
        var key = (e.Session, $"I:{order.Id}:{(long)decimal.Truncate(e.CumQuantity)}:{e.State}");
        if (!_applied.Contains(key) && _batchApplied.Add(key))
        {
            _staged.Add(new VenueExecutionRecord
            {
                Session = e.Session, ExecId = key.Item2, OrderId = order.Id, ExecType = "I", OrderState = e.State.ToString(), LastQuantity = missed,
                LastPrice = missedPrice, TradeId = tradeId, Text = Truncate("reconciled: " + string.Join("; ", corrections)), AppliedAt = batch.Now,
            });
        }
        return new SequencerResult(SequencerOutcome.VenueExecutionApplied, order.Snapshot(), [.. recorder.CommandTrades]);
    }

    private void CancelWithReason(OrderRecord order, string? reason, CancelReason cancelReason, long timestamp)
    {
        var recorder = books.Recorder;
        recorder.CancelReasonOverride = reason;
        try
        {
            recorder.On(new OrderCanceled(order.Id, new Quantity(order.LeavesQuantity), cancelReason, timestamp));
        }
        finally
        {
            recorder.CancelReasonOverride = null;
        }
    }

    private static string Truncate(string text) => text.Length > 512 ? text[..512] : text;

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
