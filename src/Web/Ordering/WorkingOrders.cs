using TradSys.Rules.Packs;
using TradSys.Web.Ordering.Rules;
using TradSys.Web.Ordering.Stages;
using TradSys.Web.Persistence.Entities;
using TradSys.Web.ReferenceData;

namespace TradSys.Web.Ordering;

/// <summary>
/// The shorter paths of orders already in the books: amend (validate at the journal's time; the risk stage and the rule packs
/// again unless the amendment only lowers the quantity; match), cancel, mass cancel, and the expiry of DAY and GTD orders.
/// </summary>
internal sealed class WorkingOrders(OrderBooks books, ValidateStage validate, RiskStage risk, RulesStage rules, WorkflowStep workflow, MatchStage match,
    ReferenceDataCache referenceData)
{
    /// <summary>
    /// Amends a working order's price, total quantity, or a waiting stop's stop price. An amendment that raises the quantity or
    /// moves a price passes the packs again, as the rest of the order it would leave: Block or Review refuses it (a working order
    /// cannot wait for review in the book) and the order keeps its terms; the decision goes into the audit trail either way.
    /// </summary>
    public SequencerResult Amend(ModifyCommand m, WriterBatch batch)
    {
        // A routed order's amendment is checked here like any other, then goes to its venue as a replace (RouteStage.Replace).
        var routed = match.Route.Routed(m.OrderId);
        var order = routed;
        if (m.AmendKey is { } key && (routed ?? books.Recorder.Live.GetValueOrDefault(m.OrderId)) is { } keyed && keyed.AmendKey == key)
        {
            // The same amendment again (its first send was carried out and its answer lost): the order as it stands, nothing applied.
            return Owns(m.UserId, keyed, batch)
                ? new SequencerResult(SequencerOutcome.AmendReplayed, keyed.Snapshot(), [])
                : new SequencerResult(SequencerOutcome.NotYourAccount, null, []);
        }
        if (routed is { Status: OrderStatus.New })
        {
            return Owns(m.UserId, routed, batch) ? match.Route.Replace(routed, m, batch) : new SequencerResult(SequencerOutcome.NotYourAccount, null, []);
        }
        if (order is null && !books.Recorder.Live.TryGetValue(m.OrderId, out order) || !order!.IsWorking)
        {
            return new SequencerResult(SequencerOutcome.Refused, order?.Snapshot(), [], RejectCode.OrderNotActive);
        }
        if (!Owns(m.UserId, order, batch))
        {
            return new SequencerResult(SequencerOutcome.NotYourAccount, null, []);
        }
        var instrument = referenceData.Get(order.Symbol);
        var refusal = validate.Amendment(order, m, batch.Timestamp);
        if (refusal != RejectCode.None)
        {
            return new SequencerResult(SequencerOutcome.Invalid, order.Snapshot(), [], refusal);
        }
        var needsChecks = RulesStage.AmendmentNeedsRules(order, m.NewPrice, m.NewQuantity, m.NewStopPrice, instrument.Decimals);
        // The risk stage first, as for a new order: the order as it would be against the statuses and limits in force.
        var riskRefusal = needsChecks
            ? risk.CheckExisting(order, batch.Accounts.GetValueOrDefault(order.AccountId), m.NewQuantity.Raw,
                m.NewPrice.Raw != 0 ? m.NewPrice.ToDecimal(instrument.Decimals) : null, batch.Now)
            : null;
        var decision = riskRefusal ?? (needsChecks ? DecideAmendment(order, instrument, m, batch) : null);
        if (decision is { Outcome: nameof(RuleOutcome.Block) or nameof(RuleOutcome.Review) })
        {
            var code = riskRefusal is not null ? RiskStage.CodeOf(riskRefusal)
                : decision.Outcome == nameof(RuleOutcome.Block) ? RejectCode.BlockedByRule : RejectCode.AmendmentNeedsReview;
            batch.Record(m.Actor, "order.amend_refused", $"order/{order.Id}", new
            {
                price = m.NewPrice.Raw != 0 ? m.NewPrice.ToDecimal(instrument.Decimals) : (decimal?)null,
                quantity = m.NewQuantity.Raw, rejectCode = (int)code, rules = decision,
            });
            return new SequencerResult(SequencerOutcome.AmendRefusedByRules, order.Snapshot(), [], code, Decision: decision);
        }
        if (routed is not null)
        {
            var sent = match.Route.Replace(routed, m, batch);
            if (sent.Outcome == SequencerOutcome.VenueRequestPending && decision is not null)
            {
                books.Aggregates.NoteShortNotifications(order.AccountId, order.Symbol, decision);
            }
            return sent with { Decision = decision };
        }
        var engineRefusal = match.Modify(m, batch.Timestamp);
        if (engineRefusal != RejectCode.None)
        {
            return new SequencerResult(SequencerOutcome.Refused, order.Snapshot(), [], engineRefusal);
        }
        if (decision is not null)
        {
            books.Aggregates.NoteShortNotifications(order.AccountId, order.Symbol, decision);
        }
        order.AmendKey = m.AmendKey;
        batch.Record(m.Actor, "order.amended", $"order/{order.Id}", new
        {
            order.Price, order.StopPrice, order.Quantity, order.FilledQuantity, status = order.Status.ToString(), rules = decision, m.AmendKey,
        });
        return new SequencerResult(SequencerOutcome.Modified, order.Snapshot(), [.. books.Recorder.CommandTrades], Decision: decision);
    }

    /// <summary>Cancels a working order (a held one is canceled by <see cref="WorkflowStep.Cancel"/>).</summary>
    public SequencerResult Cancel(CancelCommand c, WriterBatch batch)
    {
        if (match.Route.Routed(c.OrderId) is { } routed)
        {
            // Goes to its venue as an OrderCancelRequest; the venue's answer cancels it (RouteStage.Cancel).
            return Owns(c.UserId, routed, batch) ? match.Route.Cancel(routed, c.Actor, batch) : new SequencerResult(SequencerOutcome.NotYourAccount, null, []);
        }
        if (!books.Recorder.Live.TryGetValue(c.OrderId, out var order) || !order.IsWorking)
        {
            return new SequencerResult(SequencerOutcome.Refused, order?.Snapshot(), [], RejectCode.OrderNotActive);
        }
        if (!Owns(c.UserId, order, batch))
        {
            return new SequencerResult(SequencerOutcome.NotYourAccount, null, []);
        }
        var refusal = match.Cancel(c.OrderId, batch.Timestamp);
        if (refusal != RejectCode.None)
        {
            return new SequencerResult(SequencerOutcome.Refused, order.Snapshot(), [], refusal);
        }
        batch.Record(c.Actor, "order.canceled", $"order/{order.Id}", new { order.FilledQuantity, status = order.Status.ToString() });
        return new SequencerResult(SequencerOutcome.Canceled, order.Snapshot(), []);
    }

    /// <summary>
    /// Cancels every working and held order of the accounts, optionally of one instrument only; a routed order's cancel goes to its
    /// venue (<see cref="RouteStage.MassCancel"/>).
    /// </summary>
    public SequencerResult MassCancel(MassCancelCommand mc, WriterBatch batch)
    {
        foreach (var accountId in mc.AccountIds)
        {
            match.MassCancel(accountId, mc.Instrument, batch.Timestamp);
        }
        var symbol = mc.Instrument is { } only ? referenceData.Get(only).Row.Symbol : null;
        workflow.MassCancel(mc, symbol, batch);
        var ids = books.Recorder.CommandCanceled.ToArray();
        // Routed orders are at their venues, not in the engine's book: each gets an OrderCancelRequest, canceled when the venue confirms.
        var (venue, notSent) = match.Route.MassCancel(mc.AccountIds, symbol, mc.Actor, batch);
        batch.Record(mc.Actor, "orders.mass_canceled", symbol is not null ? $"instrument/{symbol}" : "accounts",
            new { accounts = mc.AccountIds, canceled = ids, venueCancelRequested = venue, notCanceled = notSent });
        return new SequencerResult(SequencerOutcome.MassCanceled, null, [], Count: ids.Length, OrderIds: ids, VenueCancelIds: venue, NotCanceled: notSent);
    }

    /// <summary>
    /// Expires DAY orders whose trading day is over (the venue is closed now, or its local date has moved on since the order was
    /// accepted: the internal venue never closes, so its day ends at midnight) and GTD orders past their expiry; held ones too.
    /// </summary>
    public SequencerResult Expire(ExpireDayOrdersCommand command, WriterBatch batch)
    {
        var now = batch.Now;
        var nowTicks = now.Ticks;
        var due = new List<(OrderRecord Order, string Reason)>();
        foreach (var order in books.Recorder.Live.Values)
        {
            // A routed order is expired by its venue, which reports it (VenueExecutions); it is not in the engine's book.
            if (!order.IsWorking || order.RoutedSession is not null)
            {
                continue;
            }
            var venue = referenceData.Get(order.Symbol).Spec.Venue;
            if (order.TimeInForce == TimeInForce.Day &&
                (venue.PhaseAt(nowTicks) == MarketPhase.Closed ||
                 DateOnly.FromDateTime(venue.ToVenueLocal(nowTicks)) != DateOnly.FromDateTime(venue.ToVenueLocal(order.CreatedAt.Ticks))))
            {
                due.Add((order, $"expired: DAY order, the {venue.Code} trading day it was entered on is over"));
            }
            else if (order.TimeInForce == TimeInForce.Gtd && order.ExpireAt <= now)
            {
                due.Add((order, $"expired: GTD order, its expiry {order.ExpireAt:O} has passed"));
            }
        }
        // Held orders expire too (the engine never had them): a DAY order held past its trading day no longer applies.
        workflow.Expire(command, batch);
        var expired = due.Count + books.Recorder.CommandCanceled.Count;
        foreach (var (order, reason) in due)
        {
            match.Expire(order, reason, nowTicks);
            batch.Record(command.Actor, "order.expired", $"order/{order.Id}", new { order.AccountId, order.Symbol, order.FilledQuantity, reason });
        }
        return new SequencerResult(SequencerOutcome.Expired, null, [], Count: expired);
    }

    /// <summary>Whether the trader asking (null: the platform itself) owns the order's account, as read for this batch.</summary>
    public static bool Owns(long? userId, OrderRecord order, WriterBatch batch) =>
        userId is not { } user || batch.Accounts.TryGetValue(order.AccountId, out var account) && account.OwnerUserId == user;

    /// <summary>The rules stage's decision on an amendment of a working order, with the rows read for this batch.</summary>
    private StoredDecision DecideAmendment(OrderRecord order, TradableInstrument instrument, ModifyCommand m, WriterBatch batch)
    {
        if (!batch.Accounts.TryGetValue(order.AccountId, out var account) || !batch.Instruments.TryGetValue(order.Symbol, out var row))
        {
            return StoredDecision.Refused($"account {order.AccountId} or instrument {order.Symbol} is not in the database", batch.Now);
        }
        return rules.DecideAmendment(order, m.NewPrice, m.NewQuantity, m.NewStopPrice, account, row, instrument, books.Engine, books.Recorder, batch.Now);
    }
}
