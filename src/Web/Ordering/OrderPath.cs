using System.Diagnostics;
using TradSys.Rules.Packs;
using TradSys.Web.Observability;
using TradSys.Web.Ordering.Rules;
using TradSys.Web.Ordering.Stages;
using TradSys.Web.Persistence.Entities;
using TradSys.Web.ReferenceData;

namespace TradSys.Web.Ordering;

/// <summary>
/// The order path inside the single writer, one command at a time, every stage in the order it runs. A new order:
///
/// <code>
///   resend?      same account and client order id: the earlier order comes back (ClientOrderIds)
///   authorise    the caller's own, open account (read for the batch)
///   validate     instrument, lots, tick, daily limits, the venue's phase, at the journal's timestamp (ValidateStage)
///   risk         trading statuses (kill switches), the order limits that apply and buying power (RiskStage)
///   rule packs   every applicable pack; Block rejects it with the rules' reasons (RulesStage)
///   workflow     straight through, or held for review or approval outside the engine (WorkflowStep)
///   match        the in-process engine; its events become journal entries and trades (MatchStage, JournalRecorder),
///                or, for a venue routed over FIX, pending new until the venue answers (RouteStage; sent after the commit)
/// </code>
///
/// then the writer commits the batch (<see cref="Journal.OrderJournal"/>) and publishes it. Amendments, cancels, held orders and
/// queries take the shorter paths of <see cref="WorkingOrders"/>, <see cref="WorkflowStep"/> and <see cref="BookQueries"/>.
/// </summary>
internal sealed class OrderPath(
    OrderBooks books,
    ClientOrderIds clientOrderIds,
    ValidateStage validate,
    RiskStage risk,
    RulesStage rules,
    WorkflowStep workflow,
    MatchStage match,
    WorkingOrders working,
    BookQueries queries,
    Risk.RiskControlCommands riskControls,
    Risk.CashCommands cash,
    Risk.ExposureQueries exposure,
    VenueExecutions venues,
    ReferenceDataCache referenceData,
    PlatformMetrics metrics,
    OrderTracing tracing,
    ListingCommands listings,
    VenueCalendarCommands calendars,
    SplitCommands splits,
    SymbolChangeCommands symbolChanges)
{
    /// <summary>
    /// Applies one command to the books; what it changed is recorded for the batch's commit. <paramref name="trace"/> is a new
    /// order's span when it is traced (its stages become child spans), null otherwise.
    /// </summary>
    public SequencerResult Apply(SequencerCommand command, WriterBatch batch, Activity? trace = null)
    {
        books.Recorder.BeginCommand();
        var firstEvent = books.Recorder.Events.Count;
        var result = command switch
        {
            SubmitCommand s => Submit(s, batch, trace),
            CheckOrderCommand c => Check(c, batch),
            ModifyCommand m => working.Amend(m, batch),
            CancelCommand c when books.Held.TryGetValue(c.OrderId, out var held) => WorkingOrders.Owns(c.UserId, held, batch)
                ? workflow.Cancel(held, c, batch)
                : new SequencerResult(SequencerOutcome.NotYourAccount, null, []),
            CancelCommand c => working.Cancel(c, batch),
            MassCancelCommand mc => working.MassCancel(mc, batch),
            ExpireDayOrdersCommand x => working.Expire(x, batch),
            ReleaseHeldOrderCommand r => workflow.Release(r, batch),
            RejectHeldOrderCommand r => workflow.Reject(r, batch),
            WorkflowTaskCommand w => workflow.Task(w, batch),
            WorkflowTimerCommand t => workflow.Timer(t, batch),
            QuoteQuery q => queries.Quote(q, batch),
            DepthQuery d => queries.Depth(d),
            // The phases were brought in line at the start of the batch.
            AdvancePhasesCommand => queries.PhasesAdvanced(),
            SetTradingStatusCommand t => riskControls.SetStatus(t, batch),
            ProposeRiskLimitsCommand l => riskControls.Propose(l, batch),
            DecideRiskLimitProposalCommand d => riskControls.Decide(d, batch),
            BookCashCommand b => cash.Book(b, batch),
            CashQuery q => cash.Read(q, batch),
            PayDividendCommand d => cash.PayDividend(d, batch),
            ApplySplitCommand s => splits.Apply(s, batch),
            ApplySymbolChangeCommand s => symbolChanges.Apply(s, batch),
            ExposureQuery e => exposure.Read(e, batch),
            ListInstrumentCommand l => listings.List(l, batch),
            EditInstrumentCommand e => listings.Edit(e, batch),
            DelistInstrumentCommand d => listings.Delist(d, batch),
            ImportInstrumentsCommand i => listings.Import(i, batch),
            EditVenueCalendarCommand v => calendars.Edit(v, batch),
            VenueExecutionCommand v => venues.Apply(v, batch),
            VenueSendFailedCommand f => venues.SendFailed(f, batch),
            VenueReconcileCommand r => match.Route.Reconcile(r.Session),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name, "unknown order writer command"),
        };
        books.UpdateAggregates();
        switch (command)
        {
            case ModifyCommand { Fix: { } fix } m when result.Outcome is SequencerOutcome.Modified or SequencerOutcome.VenueRequestPending:
                KeepClOrdId(fix, m.OrderId, firstEvent, batch);
                break;
            case CancelCommand { Fix: { } fix } c when result.Outcome is SequencerOutcome.Canceled or SequencerOutcome.VenueRequestPending:
                KeepClOrdId(fix, c.OrderId, firstEvent, batch);
                break;
        }
        return result;
    }

    /// <summary>
    /// A FIX client's replace or cancel was carried out, or (a routed order) sent to the venue: its ClOrdID is committed with it,
    /// naming the journal entry (the order's first of the command: Modified or Canceled; ReplaceRequested or CancelRequested, whose
    /// ExecutionReport is the pending replace or cancel, the venue's answer following as a later entry of the order) that answers it.
    /// </summary>
    private void KeepClOrdId(FixClientRequest fix, long orderId, int firstEvent, WriterBatch batch)
    {
        var events = books.Recorder.Events;
        long sequence = 0;
        for (var i = firstEvent; i < events.Count; i++)
        {
            if (events[i].OrderId == orderId)
            {
                sequence = events[i].Sequence;
                break;
            }
        }
        batch.FixClOrdIds.Add(new FixClientOrderIdRecord
        {
            ClientCompId = fix.ClientCompId, ClOrdId = fix.ClOrdId, OrderId = orderId, MsgType = fix.MsgType, OrigClOrdId = fix.OrigClOrdId,
            Sequence = sequence, CreatedAt = batch.Now,
        });
    }

    private SequencerResult Submit(SubmitCommand s, WriterBatch batch, Activity? trace)
    {
        if (Resend(s, batch) is { } earlier)
        {
            return earlier;
        }
        if (Authorise(s, anyAccount: false, batch, out var account) is { } refused)
        {
            return refused;
        }
        // Each stage timed for the metrics and the trace (a timestamp read per stage; PlatformMetrics records nothing when nobody
        // listens, and a stage span is made only for a traced order).
        var started = Stopwatch.GetTimestamp();
        var code = validate.NewOrder(s, account.SelfTradePrevention, batch.Timestamp, out var submit);
        started = Stage(OrderStage.Validate, started, trace);
        if (code != RejectCode.None)
        {
            return new SequencerResult(SequencerOutcome.Invalid, null, [], code);
        }

        var order = NewOrder(s, books.NextOrderId++, batch.Now);
        books.Recorder.Added.Add(order);
        batch.Created[order.Id] = order;
        clientOrderIds.Add(s.AccountId, s.ClientOrderId, order.Id, order.SubmissionHash!.Value);

        started = Stopwatch.GetTimestamp();
        StoredDecision? decision = risk.Check(order, account, batch.Now);
        started = Stage(OrderStage.Risk, started, trace);
        if (decision is not null)
        {
            // Refused by a trading status or a limit: rejected with the risk reason code, the explanation stored like a rule decision.
            order.RuleOutcome = decision.Outcome;
            batch.Decisions.Add(decision.ToRecord(order.Id));
            books.Recorder.RecordHostRejection(order, RiskStage.CodeOf(decision), decision.BlockSummary(), batch.Timestamp);
        }
        else
        {
            decision = Decide(s, order, account, batch);
            started = Stage(OrderStage.Rules, started, trace);
            order.RuleOutcome = decision.Outcome;
            batch.Decisions.Add(decision.ToRecord(order.Id));
            if (decision.Outcome == nameof(RuleOutcome.Block))
            {
                books.Recorder.RecordHostRejection(order, RejectCode.BlockedByRule, decision.BlockSummary(), batch.Timestamp);
            }
            else
            {
                var route = workflow.Decide(s, order, decision, account, batch.Instruments.GetValueOrDefault(s.Instrument.Symbol), batch);
                started = Stage(OrderStage.Workflow, started, trace);
                if (route == WorkflowStep.Route.ToEngine)
                {
                    books.Aggregates.NoteShortNotifications(order.AccountId, order.Symbol, decision);
                    match.Submit(order, submit, batch.Now);
                    Stage(OrderStage.Match, started, trace);
                }
            }
        }
        batch.Record(s.Actor, "order.submitted", $"order/{order.Id}", new
        {
            order.AccountId, order.ClientOrderId, order.Symbol, side = order.Side.ToString(), type = order.Type.ToString(),
            order.Price, order.Quantity, status = order.Status.ToString(), order.RejectCode, rules = decision?.Outcome,
        });
        return new SequencerResult(SequencerOutcome.Created, order.Snapshot(), [.. books.Recorder.CommandTrades], Decision: decision);
    }

    /// <summary>Ends a stage in the metrics and, for a traced order, as a span of its trace; returns now (the next stage's start).</summary>
    private long Stage(OrderStage stage, long started, Activity? trace)
    {
        var now = metrics.Stage(stage, started);
        if (trace is not null)
        {
            tracing.Stage(trace, stage, started, now);
        }
        return now;
    }

    /// <summary>What the packs would decide on a new order: validated and decided as a submit would be; nothing is kept.</summary>
    private SequencerResult Check(CheckOrderCommand c, WriterBatch batch)
    {
        var s = c.Order;
        if (Authorise(s, c.AnyAccount, batch, out var account) is { } refused)
        {
            return refused;
        }
        var code = validate.NewOrder(s, account.SelfTradePrevention, batch.Timestamp, out _);
        if (code != RejectCode.None)
        {
            return new SequencerResult(SequencerOutcome.Invalid, null, [], code);
        }
        return new SequencerResult(SequencerOutcome.Checked, null, [], Decision: Decide(s, NewOrder(s, 0, batch.Now), account, batch, RulesStage.Context.Whole));
    }

    /// <summary>
    /// A resend of an order the account already has under this client order id: the same submission gets that order back
    /// (whatever happened to it since); other terms are a conflict. Null for a new order.
    /// </summary>
    private SequencerResult? Resend(SubmitCommand s, WriterBatch batch)
    {
        if (!clientOrderIds.TryFind(s.AccountId, s.ClientOrderId, out var entry))
        {
            return null;
        }
        var prior = books.Open(entry.OrderId) ?? batch.Created.GetValueOrDefault(entry.OrderId) ?? batch.Priors.GetValueOrDefault(entry.OrderId)
            ?? throw new InvalidOperationException($"order {entry.OrderId} is in the client order id index but not in the database");
        if (!ClientOrderIds.Confirm(prior, s.AccountId, s.ClientOrderId))
        {
            return null;
        }
        var outcome = ClientOrderIds.SameSubmission(prior, entry.Submission, s) ? SequencerOutcome.Duplicate : SequencerOutcome.DuplicateMismatch;
        return new SequencerResult(outcome, prior.Snapshot(), []);
    }

    /// <summary>The account must exist, be open, and (for orders) belong to the caller; null when it does.</summary>
    private static SequencerResult? Authorise(SubmitCommand s, bool anyAccount, WriterBatch batch, out Account account)
    {
        if (!batch.Accounts.TryGetValue(s.AccountId, out account!))
        {
            return new SequencerResult(SequencerOutcome.UnknownAccount, null, []);
        }
        if (!anyAccount && account.OwnerUserId != s.UserId)
        {
            return new SequencerResult(SequencerOutcome.NotYourAccount, null, []);
        }
        return account.IsActive ? null : new SequencerResult(SequencerOutcome.AccountClosed, null, []);
    }

    private StoredDecision Decide(SubmitCommand s, OrderRecord order, Account account, WriterBatch batch, RulesStage.Context keep = RulesStage.Context.Stored)
    {
        if (!batch.Instruments.TryGetValue(s.Instrument.Symbol, out var row))
        {
            return StoredDecision.Refused($"instrument {s.Instrument.Symbol} is not in the database", batch.Now);
        }
        return rules.Decide(s, order, account, row, referenceData.Get(s.Instrument.Id), books.Engine, books.Recorder, batch.Now, keep);
    }

    /// <summary>The order row a new order starts as (status New); the id is 0 for an order that is only checked.</summary>
    private static OrderRecord NewOrder(SubmitCommand s, long id, DateTime now)
    {
        var terms = s.Terms ?? OrderTerms.None;
        return new OrderRecord
        {
            Id = id, ClientOrderId = s.ClientOrderId, AccountId = s.AccountId, UserId = s.UserId,
            ShortMarking = terms.ShortMarking, LocateId = terms.LocateId, UsesMargin = terms.UsesMargin, IsAdvised = terms.IsAdvised,
            CounterpartyLei = terms.CounterpartyLei, Uti = terms.Uti, IsCleared = terms.IsCleared, MarkupBps = terms.MarkupBps,
            MarkupDisclosed = terms.MarkupDisclosed,
            Symbol = s.Instrument.Symbol, Side = s.Side, Type = s.Type, TimeInForce = s.TimeInForce,
            Price = s.Type is OrderType.Limit or OrderType.StopLimit ? s.Price.ToDecimal(s.Instrument.PriceDecimals) : null,
            StopPrice = s.Type is OrderType.Stop or OrderType.StopLimit ? s.StopPrice.ToDecimal(s.Instrument.PriceDecimals) : null,
            DisplayQuantity = s.DisplayQuantity.Raw > 0 ? s.DisplayQuantity.Raw : null,
            ExpireAt = s.ExpireAt > 0 ? new DateTime(s.ExpireAt, DateTimeKind.Utc) : null,
            Quantity = s.Quantity.Raw, LeavesQuantity = s.Quantity.Raw, Status = OrderStatus.New,
            CreatedAt = now, UpdatedAt = now, SubmissionHash = id == 0 ? null : ClientOrderIds.SubmissionOf(s),
        };
    }
}
